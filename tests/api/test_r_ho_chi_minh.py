"""A planner's rehearsal of Thành phố Hồ Chí Minh + Tỉnh Bình Dương + Tỉnh Bà Rịa - Vũng
Tàu -> Thành phố Hồ Chí Minh (Nghị quyết 202/2025/QH15) on `tests/data/r_ho_chi_minh`
(README there) with `tests/data/r_ho_chi_minh_plans/reform.yaml`: the three-way
consolidation, the ward table, the end of the district level and Đặc khu Côn Đảo, in one
plan. Through HTTP (the app on a real SQLite store file) and the CLI (`bomay load`,
`scenario run | save | commit`, `show`, `lineage`, `search`) before and after the date.

Every expected figure is derived by hand from the dataset's CSV files (the arithmetic is in
`tests/graph/scenarios/test_r_ho_chi_minh.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.real_cases import (as_json, plan_operations, post_scenario, serve,
                                  unit_answer)
from tests.api.seed_plans import bomay, ok
from tests.graph.scenarios.test_r_ho_chi_minh import (DISTRICTS, FIGURES, NAMES, SIDES, TOTAL,
                                                      WARDS, ZONE_BODIES)

DATA = Path(__file__).resolve().parents[1] / "data"
REFORM = DATA / "r_ho_chi_minh_plans" / "reform.yaml"
AT, BEFORE = "2025-07-01", "2025-06-30"


@pytest.fixture
def client(tmp_path):
    yield from serve(tmp_path, "r_ho_chi_minh", AT)


def operations() -> list[dict]:
    return plan_operations(REFORM)


def scenario(client) -> str:
    return post_scenario(client, "TP.HCM 2025", AT, operations())


def unit(client, uid, at=AT, sid=None):
    return unit_answer(client, uid, at, sid)


def test_the_reform_through_http(client):
    sid = scenario(client)
    rep = client.get(f"/scenarios/{sid}/impact").json()
    assert [o["summary"] for o in rep["operations"]][:2] == [
        "bd, brvt, hcm consolidated into the new unit hcm25 on 2025-07-01",
        "4 consolidations from a mapping table on 2025-07-01"]
    groups: dict[str, list[str]] = {}
    for g in rep["bodies"]["groups"]:
        groups.setdefault(g["unit"], []).extend(g["from"])
    for made in NAMES:
        k = made.split("-", 1)[1]
        assert sorted(groups[made][:3]) == [f"{s}-{k}" for s in SIDES], made
    assert groups["hcm25-tu"][3:] == [f"{d}-tu" for d in DISTRICTS]
    for new, (_, old) in WARDS.items():
        assert groups[f"{new}-du"] == [f"{o}-du" for o in old]
    assert sorted(u["unit"] for u in rep["bodies"]["unpaired"]) == ["brvt-sdl", "hcm-bqlkcx"]
    hc, lead = rep["headcount"], rep["leadership"]
    assert (hc["before"], hc["after_recorded"], hc["saving_total"], hc["after"]) == (
        TOTAL, TOTAL, 24, TOTAL - 24)
    assert (lead["before"], lead["removed"], lead["after"]) == (33, 22, 11)
    assert any("no headcount figure for hcm-ubkt" in w for w in rep["warnings"])
    for uid, name in NAMES.items():
        status, body = unit(client, uid, sid=sid)
        assert (status, body["unit"]["name"], body["unit"]["area"]) == (200, name, "hcm25")
    for uid, figure in FIGURES.items():
        status, body = unit(client, uid, sid=sid)
        assert body["headcount"]["headcount"] == figure, uid
    status, zone = unit(client, "hcm25-dk-cd", sid=sid)
    assert (zone["unit"]["name"], zone["unit"]["kind"], zone["parent"]["id"]) == (
        "Đặc khu Côn Đảo", "commune", "hcm25")
    for bid, (name, parent, _) in ZONE_BODIES.items():
        status, b = unit(client, bid, sid=sid)
        assert (b["unit"]["name"], b["unit"]["level"], b["parent"]["id"]) == (
            name, "commune", parent), bid
    # Côn Đảo's secretary keeps the post, in the zone's Đảng ủy
    status, tu = unit(client, "hcm25-dk-cd-tu", sid=sid)
    assert [(p["person_id"], p["role"]) for p in tu["posts"]] == [("p-26", "secretary")]
    status, tu = unit(client, "hcm25-tu", sid=sid)
    assert sorted(p["person_id"] for p in tu["posts"] if p["role"] == "secretary") == [
        "p-01", "p-07", "p-13", "p-19", "p-21", "p-22", "p-24"]


def test_committed_the_baseline_answers_before_and_after(client):
    sid = scenario(client)
    assert client.post(f"/scenarios/{sid}/commit").status_code == 200
    # before: three areas; the numbered district's bodies and the district-level city's
    # `Thành ủy Vũng Tàu` under their Party committees
    for uid, name, parent in (("hcm-q1-tu", "Quận ủy Quận 1", "hcm-tu"),
                              ("brvt-vt-tu", "Thành ủy Vũng Tàu", "brvt-tu"),
                              ("brvt-cd-tu", "Huyện ủy Côn Đảo", "brvt-tu"),
                              ("brvt-ubkt", "Ủy ban Kiểm tra Tỉnh ủy BR-VT", "brvt-tu")):
        status, b = unit(client, uid, BEFORE)
        assert (status, b["unit"]["name"], b["parent"]["id"]) == (200, name, parent), uid
    assert unit(client, "hcm25-tu", BEFORE)[0] == 404
    # after: the old bodies answer 404 naming the new one
    for k in ("tu", "btc", "ubkt", "snv", "tdoan"):
        for side in SIDES:
            status, gone = unit(client, f"{side}-{k}")
            assert status == 404 and gone["errors"][0]["superseded_by"] == [f"hcm25-{k}"]
    for old, new in (("hcm-q1-tu", "hcm25-tu"), ("brvt-cd", "hcm25-dk-cd"),
                     ("hcm-q3-p1", "hcm25-p-ban-co"), ("brvt-vt-p1", "hcm25-p-vung-tau")):
        status, gone = unit(client, old)
        assert status == 404 and gone["errors"][0]["superseded_by"] == [new], old
    tree = client.get("/units/hcm25/subtree", params={"at": AT, "depth": 1}).json()
    assert sorted(c["unit"]["id"] for c in tree["children"]) == sorted(
        ["hcm25-tu", "hcm25-hdnd", "hcm25-ubnd", "hcm25-mttq", "hcm25-tdoan", *WARDS,
         "hcm-q1-bt", "hcm25-dk-cd"])
    lin = client.get("/units/hcm-btc/lineage").json()
    assert [(s["unit"]["id"], s["event"]["type"], s["event"]["basis"])
            for s in lin["successors"]] == [("hcm25-btc", "CONSOLIDATE", ["nq-202-2025-qh15"])]
    lin = client.get("/units/hcm25-p-vung-tau-du/lineage").json()
    assert sorted(p["unit"]["id"] for p in lin["predecessors"]) == [
        "brvt-vt-p1-du", "brvt-vt-p2-du", "brvt-vt-tt-du"]
    # search before the date: the province's Tỉnh ủy, not the district-level city's
    # Thành ủy of the same place; the numbered district's Quận ủy, not the other's
    for q, want in (("Tỉnh ủy Bà Rịa - Vũng Tàu", "brvt-tu"),
                    ("Thành ủy Vũng Tàu", "brvt-vt-tu"),
                    ("Quận ủy Quận 1", "hcm-q1-tu"), ("Quận ủy Quận 3", "hcm-q3-tu")):
        hits = client.get("/search", params={"q": q, "at": BEFORE}).json()
        assert hits["items"][0]["unit"]["id"] == want, q
    # the places as lists abbreviate them: `TP.HCM` (not Thủ Dầu Một's `Thành ủy`), `BR-VT`
    for q, want in (("Thành ủy TP.HCM", "hcm-tu"), ("Sở Nội vụ TPHCM", "hcm-snv"),
                    ("Tỉnh đoàn BR-VT", "brvt-tdoan")):
        hits = client.get("/search", params={"q": q, "at": BEFORE}).json()
        assert hits["items"][0]["unit"]["id"] == want, q
    hits = client.get("/search", params={"q": "Thành đoàn Thành phố Hồ Chí Minh",
                                         "at": AT}).json()
    assert hits["items"][0]["unit"]["id"] == "hcm25-tdoan"


def test_the_cli_runs_saves_and_commits_the_plan(tmp_path):
    store = str(tmp_path / "hcm.db")
    assert "loaded 91 units, 93 relations" in ok("--store", store, "load",
                                                 str(DATA / "r_ho_chi_minh")).stdout
    run = as_json("--store", store, "scenario", "run", str(REFORM))
    assert [o["summary"] for o in run["operations"]][1] == \
        "4 consolidations from a mapping table (communes.csv) on 2025-07-01"
    assert (run["headcount"]["saving_total"], run["headcount"]["after"]) == (24, TOTAL - 24)
    assert (run["leadership"]["removed"], run["leadership"]["after"]) == (22, 11)
    text = ok("--store", store, "scenario", "run", str(REFORM)).stdout
    assert "Traceback" not in text and "hcm25-dk-cd" in text
    sid = as_json("--store", store, "scenario", "save", str(REFORM))["id"]
    ok("--store", store, "scenario", "commit", sid)
    shown = as_json("--store", store, "show", "hcm25-btc", "--at", AT)
    assert (shown["unit"]["name"], shown["parent"]["id"], shown["headcount"]["headcount"]) == (
        "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh", "hcm25-tu", 30 + 18 + 15)
    before = as_json("--store", store, "show", "hcm-q1-ubnd", "--at", BEFORE)
    assert (before["unit"]["name"], before["parent"]["id"]) == ("Ủy ban nhân dân Quận 1",
                                                                "hcm-q1")
    r = bomay("--store", store, "show", "hcm-q1-ubnd", "--at", AT)
    assert r.returncode == 1 and "hcm25-ubnd" in r.stderr and "Traceback" not in r.stderr
    lin = as_json("--store", store, "lineage", "hcm-q1-pnv")
    assert [(s["unit"]["id"], s["event"]["type"]) for s in lin["successors"]] == [
        ("hcm25-snv", "MERGE")]
    lin = as_json("--store", store, "lineage", "hcm25-dk-cd")
    assert [p["unit"]["id"] for p in lin["predecessors"]] == ["brvt-cd"]
    zone = as_json("--store", store, "show", "hcm25-dk-cd-ubnd", "--at", AT)
    assert (zone["unit"]["name"], zone["parent"]["id"], zone["headcount"]["headcount"]) == (
        "UBND đặc khu Côn Đảo", "hcm25-dk-cd", 8)
    found = as_json("--store", store, "search", "Ủy ban Kiểm tra Thành ủy Thành phố Hồ Chí Minh",
                    "--at", AT)
    assert found["items"][0]["unit"]["id"] == "hcm25-ubkt"
