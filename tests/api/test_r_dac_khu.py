"""A planner's rehearsal of the end of the district level with two island districts that
become commune-level special zones (`đặc khu`), on `tests/data/r_dac_khu` (Thành phố Hải
Phòng, Nghị quyết 1669/NQ-UBTVQH15; README there) with
`tests/data/r_dac_khu_plans/reform.yaml` (`dissolve_level ... become:`). Through HTTP (the
app on a real SQLite store file) and the CLI (`bomay load`, `scenario run | save | commit`,
`show`, `lineage`) before and after the date.

Every expected figure is derived by hand from the dataset's CSV files (the arithmetic is in
`tests/graph/scenarios/test_r_dac_khu.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.real_cases import (as_json, plan_operations, post_scenario, serve,
                                  unit_answer)
from tests.api.seed_plans import bomay, ok
from tests.graph.scenarios.test_r_dac_khu import FIGURES, TOTAL, ZONE_BODIES

DATA = Path(__file__).resolve().parents[1] / "data"
REFORM = DATA / "r_dac_khu_plans" / "reform.yaml"
AT, BEFORE = "2025-07-01", "2025-06-30"


def operations() -> list[dict]:
    return plan_operations(REFORM)


@pytest.fixture
def client(tmp_path):
    yield from serve(tmp_path, "r_dac_khu", AT)


def scenario(client, ops=None) -> str:
    return post_scenario(client, "Đặc khu 2025", AT, ops or operations())


def unit(client, uid, at=AT, sid=None):
    return unit_answer(client, uid, at, sid)


def test_the_zones_through_http(client):
    sid = scenario(client)
    rep = client.get(f"/scenarios/{sid}/impact").json()
    hc, lead = rep["headcount"], rep["leadership"]
    assert (hc["before"], hc["saving_total"], hc["after"]) == (TOTAL, 7, TOTAL - 7)
    assert (lead["before"], lead["removed"], lead["after"]) == (11, 5, 6)
    groups = {g["unit"]: g["from"] for g in rep["bodies"]["groups"]}
    for bid, (_, _, inputs) in ZONE_BODIES.items():
        assert groups[bid] == inputs
    for zid in ("hp-dk-blv", "hp-dk-ch"):
        status, z = unit(client, zid, sid=sid)
        assert (status, z["unit"]["kind"], z["unit"]["level"], z["parent"]["id"]) == (
            200, "commune", "commune", "hp")
    for bid, (name, parent, _) in ZONE_BODIES.items():
        status, b = unit(client, bid, sid=sid)
        assert (b["unit"]["name"], b["unit"]["level"], b["parent"]["id"],
                b["headcount"]["headcount"]) == (name, "commune", parent, FIGURES[bid]), bid
    # Bạch Long Vĩ's secretary and chair keep their posts, in the zone's bodies
    status, tu = unit(client, "hp-dk-blv-tu", sid=sid)
    assert [(p["person_id"], p["role"]) for p in tu["posts"]] == [("p-05", "secretary")]
    diff = client.get(f"/scenarios/{sid}/diff").json()
    assert {"hp-dk-blv", "hp-dk-ch"} <= {a["id"] for a in diff["added"]}
    removed = {r["id"]: r for r in diff["removed"]}
    assert {u: removed[u]["successors"] for u in ("hp-blv", "hp-ch-tc", "hp-ch-tu")} == {
        "hp-blv": ["hp-dk-blv"], "hp-ch-tc": ["hp-dk-ch"], "hp-ch-tu": ["hp-dk-ch-tu"]}


def test_a_become_is_checked_with_the_field_named(client):
    ops = operations()
    ops[0]["become"][0]["new"]["level"] = "district"
    r = client.post("/scenarios", json={"name": "x", "at": AT, "operations": ops})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "become[0].new.level"
    assert r.json()["detail"].startswith("operation 1 (dissolve_level): become[0].new.level")
    ops = operations()
    ops[0]["become"][0]["area"] = "hp-ch-cb"
    r = client.post("/scenarios", json={"name": "x", "at": AT, "operations": ops})
    assert r.status_code == 409
    err = r.json()["errors"][0]
    assert (err["field"], err["unit"]) == ("become[0].area", "hp-ch-cb")
    assert "hp-ch-cb is not a district within hp on 2025-07-01" in r.json()["detail"]


def test_committed_the_baseline_answers_before_and_after(client):
    sid = scenario(client)
    assert client.post(f"/scenarios/{sid}/commit").status_code == 200
    # before: the island districts and their bodies, of the district level
    status, hu = unit(client, "hp-ch-tu", BEFORE)
    assert (status, hu["unit"]["name"], hu["unit"]["level"], hu["parent"]["id"]) == (
        200, "Huyện ủy Cát Hải", "district", "hp-tu")
    assert unit(client, "hp-dk-ch-tu", BEFORE)[0] == 404
    status, cb = unit(client, "hp-ch-cb", BEFORE)
    assert (status, cb["parent"]["id"]) == (200, "hp-ch")
    # after: the old ones answer 404 naming their successors
    for old, new in (("hp-blv", "hp-dk-blv"), ("hp-ch", "hp-dk-ch"), ("hp-ch-cb", "hp-dk-ch"),
                     ("hp-blv-tu", "hp-dk-blv-tu"), ("hp-ch-tc-du", "hp-dk-ch-tu")):
        status, gone = unit(client, old)
        assert status == 404 and gone["errors"][0]["superseded_by"] == [new], old
    tree = client.get("/units/hp/subtree", params={"at": AT, "depth": 1}).json()
    assert sorted(c["unit"]["id"] for c in tree["children"]) == [
        "hp-dk-blv", "hp-dk-ch", "hp-hb-hvt", "hp-hb-mk", "hp-hdnd", "hp-mttq", "hp-tl-ht",
        "hp-tl-tt", "hp-tu", "hp-ubnd"]
    # lineage: the zone's Đảng ủy from the district's and the two communes', on the basis
    lin = client.get("/units/hp-dk-ch-tu/lineage").json()
    assert sorted(p["unit"]["id"] for p in lin["predecessors"]) == [
        "hp-ch-cb-du", "hp-ch-tc-du", "hp-ch-tu"]
    assert {p["event"]["basis"][0] for p in lin["predecessors"]} == {"nq-1669-2025-ubtvqh15"}
    lin = client.get("/units/hp-blv/lineage").json()
    assert [(s["unit"]["id"], s["event"]["type"]) for s in lin["successors"]] == [
        ("hp-dk-blv", "CONSOLIDATE")]
    # the cell: its former area and parent before, the zone's after
    for at, area, parent in ((BEFORE, "hp-ch-tc", "hp-ch-tc-du"),
                             (AT, "hp-dk-ch", "hp-dk-ch-tu")):
        status, cell = unit(client, "hp-ch-tc-lm", at)
        assert (cell["unit"]["area"], cell["parent"]["id"]) == (area, parent), at


def test_the_cli_runs_saves_and_commits_the_plan(tmp_path):
    store = str(tmp_path / "dk.db")
    assert "loaded 50 units, 49 relations" in ok("--store", store, "load",
                                                 str(DATA / "r_dac_khu")).stdout
    run = as_json("--store", store, "scenario", "run", str(REFORM))
    assert (run["headcount"]["saving_total"], run["headcount"]["after"]) == (7, TOTAL - 7)
    assert (run["leadership"]["removed"], run["leadership"]["after"]) == (5, 6)
    text = ok("--store", store, "scenario", "run", str(REFORM)).stdout
    assert "Traceback" not in text and "hp-dk-ch" in text
    sid = as_json("--store", store, "scenario", "save", str(REFORM))["id"]
    ok("--store", store, "scenario", "commit", sid)
    shown = as_json("--store", store, "show", "hp-dk-ch-ubnd", "--at", AT)
    assert (shown["unit"]["name"], shown["unit"]["level"], shown["parent"]["id"],
            shown["headcount"]["headcount"]) == ("UBND đặc khu Cát Hải", "commune", "hp-dk-ch",
                                                 30)
    before = as_json("--store", store, "show", "hp-ch-ubnd", "--at", BEFORE)
    assert (before["unit"]["name"], before["parent"]["id"]) == ("UBND huyện Cát Hải", "hp-ch")
    r = bomay("--store", store, "show", "hp-ch-ubnd", "--at", AT)
    assert r.returncode == 1 and "hp-dk-ch-ubnd" in r.stderr and "Traceback" not in r.stderr
    lin = as_json("--store", store, "lineage", "hp-ch-cb-ubnd")
    assert [(s["unit"]["id"], s["event"]["type"]) for s in lin["successors"]] == [
        ("hp-dk-ch-ubnd", "CONSOLIDATE")]
    lin = as_json("--store", store, "lineage", "hp-dk-blv")
    assert [p["unit"]["id"] for p in lin["predecessors"]] == ["hp-blv"]
