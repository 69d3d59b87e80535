"""The 2025 reform of Móng Cái and Hải Hà (tests/data/r_mong_cai) with the CLI, as a
planner does it: the dataset checked with its plan in `plans/` (the annex beside it in
`plans/tables/`), a misspelt and an ambiguous name reported at the table's line and
column, the plan run, saved, shown, diffed, exported and run again to the same report,
committed, then the old ward read before and after the day and searched with a typo."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.seed_plans import bomay, ok

DATA = Path(__file__).resolve().parents[1] / "data"
PLANS = DATA / "r_mong_cai_plans"


@pytest.fixture
def folder(tmp_path) -> Path:
    """The dataset with the reform as one of its plans (status, date, basis, source)."""
    out = tmp_path / "r_mong_cai"
    shutil.copytree(DATA / "r_mong_cai", out)
    (out / "plans" / "tables").mkdir(parents=True)
    shutil.copy(PLANS / "communes.csv", out / "plans" / "tables" / "communes.csv")
    text = (PLANS / "reform.yaml").read_text(encoding="utf-8")
    text = text.replace("mapping: communes.csv", "mapping: tables/communes.csv").replace(
        "\nname: ", "\nstatus: planned\ndate: 2025-06-16\nbasis: [nq-1679-2025]\n"
                   "source: Nghị quyết 1679/NQ-UBTVQH15\nname: ", 1)
    (out / "plans" / "reform.yaml").write_text(text, encoding="utf-8")
    return out


def test_a_misspelt_and_an_ambiguous_name_are_reported_where_they_are_written(folder):
    table = folder / "plans" / "tables" / "communes.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("Trần Phú;", "Tran Fu;")
                     .replace("Quảng Phong;Quảng Nghĩa,Huyện Hải Hà", "Quảng Phong;Quảng Nghĩa,"),
                     encoding="utf-8")
    r = bomay("check", str(folder))
    assert r.returncode == 1 and "Traceback" not in r.stderr + r.stdout
    problems = json.loads(bomay("check", "--json", str(folder)).stdout)
    assert [(p["file"], p["line"], p["column"], p["field"], p["value"]) for p in problems] == [
        ("plans/tables/communes.csv", 2, 3, "names", "Tran Fu"),
        ("plans/tables/communes.csv", 9, 3, "names", "Quảng Nghĩa")]
    assert problems[0]["nearest"][0] == "Phường Trần Phú"
    assert sorted(c["id"] for c in problems[1]["candidates"]) == ["hh-quang-nghia",
                                                                  "mc-quang-nghia"]
    assert {c["area_before"] for c in problems[1]["candidates"]} == {
        "Huyện Hải Hà, Tỉnh Quảng Ninh", "Thành phố Móng Cái, Tỉnh Quảng Ninh"}


def test_the_reform_with_the_cli_from_check_to_commit(folder, tmp_path):
    store = str(tmp_path / "r.db")
    assert "1 plans" in ok("check", str(folder)).stdout
    ok("--store", store, "load", str(folder))
    plans = json.loads(ok("--store", store, "scenario", "list", "--json").stdout)
    assert [(p["id"], p["status"]) for p in plans["items"] if p.get("plan")] == [
        ("reform", "planned")]
    # the units the plan would change say so: the communes, and the Party cells and youth
    # unions the consolidations move without naming them in an event
    for unit in ("mc-ka-long", "mc-ka-long-cb1", "mc-hai-dong-doan", "qn-tu"):
        shown = json.loads(ok("--store", store, "show", unit, "--at", "2025-06-30",
                              "--json").stdout)
        assert [p["id"] for p in shown["plans"]] == ["reform"], unit
    report = json.loads(ok("--store", store, "scenario", "run", str(PLANS / "reform.yaml"),
                           "--json").stdout)
    assert (report["headcount"]["before"], report["headcount"]["after"]) == (1056, 756)
    sid = json.loads(ok("--store", store, "scenario", "save", str(PLANS / "reform.yaml"),
                        "--json").stdout)["id"]
    shown = json.loads(ok("--store", store, "scenario", "show", sid, "--json").stdout)
    assert shown["valid"] is True
    assert shown["operations"][1]["rows"][0]["names"] == [
        "Trần Phú", "Ka Long", "Hoà Lạc", "Ninh Dương", "xã Hải Xuân"]
    diff = json.loads(ok("--store", store, "scenario", "diff", sid, "--json").stdout)
    assert {a["id"] for a in diff["added"] if a["kind"] == "commune"} == {
        "qn-p-mong-cai-1", "qn-p-mong-cai-2", "qn-p-mong-cai-3", "qn-x-hai-son",
        "qn-x-hai-ninh", "qn-x-vinh-thuc", "qn-x-quang-ha", "qn-x-duong-hoa"}
    exported = tmp_path / "exported.yaml"
    ok("--store", store, "scenario", "export", sid, str(exported))
    again = json.loads(ok("--store", store, "scenario", "run", str(exported), "--json").stdout)
    for key in ("units", "headcount", "leadership", "bodies", "party"):
        assert again[key] == report[key], key

    ok("--store", store, "scenario", "commit", sid)
    before = json.loads(ok("--store", store, "show", "mc-ka-long", "--at", "2025-06-30",
                           "--json").stdout)
    assert (before["unit"]["area"], before["parent"]["id"]) == ("mc", "mc")
    gone = bomay("--store", store, "show", "mc-ka-long", "--at", "2025-07-01")
    assert gone.returncode == 1 and "did not exist on 2025-07-01" in gone.stderr
    after = json.loads(ok("--store", store, "show", "qn-p-mong-cai-1", "--at", "2025-07-01",
                          "--json").stdout)
    assert after["parent"]["id"] == "qn"
    found = json.loads(ok("--store", store, "search", "tran fu", "--at", "any",
                          "--json").stdout)
    assert found["items"][0]["unit"]["id"] == "mc-tran-phu"
    # the plan, written for the baseline before the reform, no longer applies to it
    stale = bomay("--store", store, "scenario", "run", str(PLANS / "reform.yaml"))
    assert stale.returncode == 1
    assert "no unit of kind and level district within qn exists on 2025-07-01" in stale.stderr


def test_a_problem_of_the_table_itself_is_reported_at_the_table(folder):
    """An unknown column, a row without its new name, more rows than the limit: at the
    table's file, line (and column), the message naming the plan and its operation, as the
    names of its rows are (not at the plan's `operations:` line, the table by its bare
    name)."""
    table = folder / "plans" / "tables" / "communes.csv"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("name_en", "nom_en", 1), encoding="utf-8")
    (problem,) = json.loads(bomay("check", "--json", str(folder)).stdout)
    assert (problem["file"], problem["line"], problem["column"], problem["field"]) == \
        ("plans/tables/communes.csv", 1, 5, "nom_en")
    assert problem["message"].startswith("plans/reform.yaml: operation 2 (consolidate_map): "
                                         "unknown column 'nom_en'")
    table.write_text(text.replace("qn-x-vinh-thuc,Xã Vĩnh Thực,", "qn-x-vinh-thuc,,"),
                     encoding="utf-8")
    (problem,) = json.loads(bomay("check", "--json", str(folder)).stdout)
    assert (problem["file"], problem["line"], problem["field"]) == \
        ("plans/tables/communes.csv", 7, "new_name")  # the table's column, as written
    table.write_text(text, encoding="utf-8")
    r = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "check",
                        str(folder)], capture_output=True, text=True, timeout=180,
                       env={**os.environ, "BOMAY_SCENARIO_MAX_MAPPING_ROWS": "3"})
    assert r.returncode == 1
    assert (r.stdout + r.stderr).startswith(
        "plans/tables/communes.csv:5: plans/reform.yaml: operation 2 "
        "(consolidate_map): more than 3 rows; the limit of a mapping table")
    # the same limit when the plan is run: at the plan's line of the operation
    plan = PLANS / "reform.yaml"
    op_line = next(i for i, text in enumerate(plan.read_text(encoding="utf-8").splitlines(), 1)
                   if "consolidate_map" in text)
    r = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "scenario",
                        "run", str(plan), "--data", str(DATA / "r_mong_cai")],
                       capture_output=True, text=True, timeout=180,
                       env={**os.environ, "BOMAY_SCENARIO_MAX_MAPPING_ROWS": "3"})
    assert r.returncode == 1
    assert r.stderr.startswith(f"error: {plan}:{op_line}: operation 2 (consolidate_map): "
                               "communes.csv:5: more than 3 rows"), r.stderr
