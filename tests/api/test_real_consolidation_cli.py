"""The real consolidation of `test_real_consolidation.py` (Hà Giang + Tuyên Quang ->
Tuyên Quang, Resolution 202/2025/QH15, 2025-07-01) driven the way a planner drives the
command line: `bomay load`, `scenario run | save | show | impact | diff | export | commit`
with `--json`, then `show`, `lineage`, `search` on dates before and after the reform, and
mapping tables with a bad row. Figures by hand from `tests/data/r_tuyen_quang` (see the
HTTP test for the arithmetic)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.api.seed_plans import bomay, ok

DATA = Path(__file__).resolve().parents[1] / "data"
PLANS = DATA / "r_tuyen_quang_plans"
#: headcount.csv: the provinces' bodies 490 + 507, the districts' 85, the communes' 144
TOTAL = 490 + 507 + 85 + 144

PROVINCES = """\
name: Hợp nhất tỉnh Hà Giang và tỉnh Tuyên Quang
at: 2025-07-01
assumptions:
  support_staff: 3
operations:
  - op: consolidate
    units: [hg, tq]
    basis: [nq-202-2025]
    new: {id: tq25, name: Tỉnh Tuyên Quang, name_en: Tuyen Quang Province}
    bodies: BODIES
"""


def as_json(*args):
    return json.loads(ok(*args, "--json").stdout)


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "r.db"
    out = ok("--store", str(path), "load", str(DATA / "r_tuyen_quang")).stdout
    assert "loaded 130 units, 145 relations" in out
    return str(path)


def plan(tmp_path, bodies="merge"):
    path = tmp_path / f"provinces-{bodies}.yaml"
    path.write_text(PROVINCES.replace("BODIES", bodies), encoding="utf-8")
    return str(path)


def test_save_show_impact_diff_export_of_the_provinces(store, tmp_path):
    saved = as_json("--store", store, "scenario", "save", plan(tmp_path))
    sid = saved["id"]
    shown = as_json("--store", store, "scenario", "show", sid)
    assert shown["valid"] is True
    assert shown["log"][0]["summary"] == "hg, tq consolidated into the new unit tq25 on 2025-07-01"
    rep = as_json("--store", store, "scenario", "impact", sid)
    groups = {g["unit"]: g["from"] for g in rep["bodies"]["groups"]}
    assert len(groups) == 18 and groups["tq25-hdnd"] == ["hg-hdnd", "tq-hdnd"]
    assert groups["tq25-ubnd"] == ["hg-ubnd", "tq-ubnd"]
    assert groups["tq25-tdoan"] == ["hg-tdoan", "tq-tdoan"]
    assert groups["tq25-sgddt"] == ["hg-sgddt", "tq-sgddt"]
    assert [u["unit"] for u in rep["bodies"]["unpaired"]] == ["hg-sngv"]
    # the plan's own assumption (support_staff 3): 4 duplicated support functions
    # (2 - 1) x 3 x 0.5 = 1.5 each, 6 in all, and 8 leadership posts: 14
    hc = rep["headcount"]
    assert (hc["before"], hc["saving_total"], hc["after"]) == (TOTAL, 14, TOTAL - 14)
    assert (rep["leadership"]["before"], rep["leadership"]["after"]) == (50, 42)
    diff = as_json("--store", store, "scenario", "diff", sid)
    added = {a["id"]: a["name"] for a in diff["added"]}
    assert len(added) == 19  # the province and its 18 new bodies
    # the namesake's `UBND tỉnh Tuyên Quang`, its head written out as Hà Giang's is
    assert added["tq25-ubnd"] == "Ủy ban nhân dân tỉnh Tuyên Quang"
    merged = {m["into"]: m["inputs"] for m in diff["merged"]}
    assert merged["tq25"] == ["hg", "tq"] and merged["tq25-ldld"] == ["hg-ldld", "tq-ldld"]
    assert len(merged) == 19
    # moved as they are: the 4 districts, Sở Ngoại vụ, the two Offices' cells
    assert sorted((m["id"], m["to"]) for m in diff["moved"]) == [
        ("hg-cb-vp", "tq25-vp"), ("hg-qb", "tq25"), ("hg-sngv", "tq25-ubnd"),
        ("hg-tp", "tq25"), ("tq-cb-vp", "tq25-vp"), ("tq-nh", "tq25"), ("tq-tp", "tq25")]
    # back to a plan file, which runs to the same report
    out = tmp_path / "exported.yaml"
    ok("--store", store, "scenario", "export", sid, str(out))
    again = json.loads(ok("--store", store, "scenario", "run", str(out), "--json").stdout)
    assert again["headcount"] == rep["headcount"]
    assert again["bodies"] == rep["bodies"]


def test_the_reform_plan_runs_then_commits_and_reads_back(store):
    reform = str(PLANS / "reform.yaml")
    run = json.loads(ok("--store", store, "scenario", "run", reform, "--json").stdout)
    assert [o["summary"] for o in run["operations"]] == [
        "hg, tq consolidated into the new unit tq25 on 2025-07-01",
        "4 consolidations from a mapping table (communes.csv) on 2025-07-01",
        "4 districts dissolved on 2025-07-01 within tq25; 24 of their bodies merged or moved up"]
    hc, lead = run["headcount"], run["leadership"]
    assert (hc["before"], hc["after_recorded"], hc["saving_total"], hc["after"]) == (
        TOTAL, TOTAL, 30, TOTAL - 30)
    assert (lead["before"], lead["removed"], lead["after"]) == (50, 28, 22)
    text = ok("--store", store, "scenario", "run", reform).stdout
    assert "Traceback" not in text and "tq25" in text
    # the scope's parents: the first twelve, then their number (a national plan has 50,000)
    scope = next(line for line in text.splitlines() if line.startswith("Scope:"))
    named = scope.split("parents: ")[1]
    assert named.startswith(", ".join(run["scope"]["parents"][:12]) + ", … (")
    assert f"({len(run['scope']['parents'])} in all; `--json` lists them all)" in named
    # one support-function saving for the Sở Tài chính given six finance offices
    assert text.count("(6 - 1) duplicates × 2 staff × 0.5") == 1

    sid = as_json("--store", store, "scenario", "save", reform)["id"]
    ok("--store", store, "scenario", "commit", sid)
    # after the date: one Tỉnh ủy, named for Tuyên Quang, over the communes' Party
    # Committees
    tu = as_json("--store", store, "show", "tq25-tu", "--at", "2025-07-01")
    assert (tu["unit"]["name"], tu["headcount"]["headcount"]) == ("Tỉnh ủy Tuyên Quang", 55)
    qb = as_json("--store", store, "show", "tq25-x-quan-ba-du", "--at", "2025-07-01")
    assert (qb["unit"]["name"], qb["parent"]["id"]) == ("Đảng ủy xã Quản Bạ", "tq25-tu")
    # before it: Hà Giang's own, under Hà Giang
    hg = as_json("--store", store, "show", "hg-tu", "--at", "2025-06-30")
    assert (hg["unit"]["name"], hg["parent"]["id"]) == ("Tỉnh ủy Hà Giang", "hg")
    r = bomay("--store", store, "show", "hg-tu", "--at", "2025-07-01")
    assert r.returncode == 1 and "did not exist on 2025-07-01" in r.stderr
    assert "Traceback" not in r.stderr
    # lineage of Hà Giang's bodies
    lin = as_json("--store", store, "lineage", "hg-ubnd")
    assert [(s["unit"]["id"], s["event"]["type"]) for s in lin["successors"]] == [
        ("tq25-ubnd", "CONSOLIDATE")]
    lin = as_json("--store", store, "lineage", "hg-qb-ubnd")
    assert [(s["unit"]["id"], s["event"]["type"]) for s in lin["successors"]] == [
        ("tq25-ubnd", "MERGE")]
    # search by an old name
    old = as_json("--store", store, "search", "Tỉnh đoàn Hà Giang", "--at", "2025-06-30")
    assert old["items"][0]["unit"]["id"] == "hg-tdoan"
    new = as_json("--store", store, "search", "Đoàn TNCS Hồ Chí Minh", "--at", "2025-07-01")
    assert [h["unit"]["id"] for h in new["items"]][:1] == ["tq25-tdoan"]


def test_bodies_keep_on_the_command_line(store, tmp_path):
    rep = json.loads(ok("--store", store, "scenario", "run", plan(tmp_path, "keep"),
                        "--json").stdout)
    assert rep["bodies"] == {"merged": 0, "bodies_ended": 0, "groups": [], "unpaired": []}
    assert (rep["headcount"]["saving_total"], rep["leadership"]["removed"]) == (0, 0)


@pytest.mark.parametrize("row, words", [
    ("tq25-x-moi,Xã Mới,hg-qb-zz;hg-qb-tv,", "communes.csv:6: unit hg-qb-zz is unknown"),
    ("tq25-x-moi,Xã Mới,hg-tp-mk;hg-qb-tv,",
     "communes.csv:6: units: hg-tp-mk is also listed by communes.csv:2"),
    ("tq25-x-moi,Xã Mới,,", "communes.csv:6: units: is required"),
    ("tq25-x-moi,,hg-qb-tv;hg-tp-qt,", "communes.csv:6: new.name: is required"),
    ("tq25-x-moi,Xã Mới,hg-qb-tv;hg-tp-qt,New,cell", "communes.csv:6: 5 cells; the header has 4"),
])
def test_a_bad_mapping_row_is_one_line_naming_the_row(store, tmp_path, row, words):
    shutil.copy(PLANS / "reform.yaml", tmp_path / "reform.yaml")
    table = (PLANS / "communes.csv").read_text(encoding="utf-8").replace(
        "hg-qb-ts;hg-qb-qb;hg-qb-tv", "hg-qb-ts;hg-qb-qb")
    (tmp_path / "communes.csv").write_text(table + row + "\n", encoding="utf-8")
    for cmd in ("run", "save"):
        r = bomay("--store", store, "scenario", cmd, str(tmp_path / "reform.yaml"))
        assert r.returncode == 1, r.stdout
        assert "Traceback" not in r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], r.stderr
    assert as_json("--store", store, "scenario", "list")["total"] == 0
