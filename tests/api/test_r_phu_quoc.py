"""A planner's rehearsal of Tỉnh An Giang + Tỉnh Kiên Giang -> Tỉnh An Giang with the three
special zones (Nghị quyết 202/2025/QH15, 1654/NQ-UBTVQH15), on `tests/data/r_phu_quoc`
(README there) with `tests/data/r_phu_quoc_plans/reform.yaml`: Thành phố Phú Quốc becomes
Đặc khu Phú Quốc less xã Thổ Châu, which becomes Đặc khu Thổ Châu (`become` with `units`).
Through HTTP (the app on a real SQLite store file) and the CLI (`bomay load`, `scenario run
| save | commit`, `show`, `lineage`), before and after the date.

Every expected figure is derived by hand from the dataset's CSV files (the arithmetic is in
`tests/graph/scenarios/test_r_phu_quoc.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.real_cases import (as_json, plan_operations, post_scenario, serve,
                                  unit_answer)
from tests.api.seed_plans import bomay, ok
from tests.graph.scenarios.test_r_phu_quoc import FIGURES, TOTAL, ZONE_BODIES, ZONES

DATA = Path(__file__).resolve().parents[1] / "data"
REFORM = DATA / "r_phu_quoc_plans" / "reform.yaml"
AT, BEFORE = "2025-07-01", "2025-06-30"


def operations() -> list[dict]:
    return plan_operations(REFORM)


@pytest.fixture
def client(tmp_path):
    yield from serve(tmp_path, "r_phu_quoc", AT)


def scenario(client, ops=None) -> str:
    return post_scenario(client, "An Giang 2025", AT, ops or operations())


def unit(client, uid, at=AT, sid=None):
    return unit_answer(client, uid, at, sid)


def test_the_province_and_the_zones_through_http(client):
    sid = scenario(client)
    rep = client.get(f"/scenarios/{sid}/impact").json()
    hc, lead = rep["headcount"], rep["leadership"]
    assert (hc["before"], hc["saving_total"], hc["after"]) == (TOTAL, 9, TOTAL - 9)
    assert (lead["before"], lead["removed"], lead["after"]) == (16, 7, 9)
    assert (rep["units"]["before"], rep["units"]["after"]) == (62, 35)
    groups = {g["unit"]: g["from"] for g in rep["bodies"]["groups"] if g["operation"] == 2}
    for bid, (_, _, _, inputs) in ZONE_BODIES.items():
        assert groups[bid] == inputs, bid
    assert [u["unit"] for u in rep["bodies"]["unpaired"]] == ["kg-bqlkkt"]
    for zid, (name, name_en, _) in ZONES.items():
        status, z = unit(client, zid, sid=sid)
        assert (status, z["unit"]["name"], z["unit"]["name_en"], z["unit"]["kind"],
                z["unit"]["level"], z["parent"]["id"]) == (
            200, name, name_en, "commune", "commune", "ag25"), zid
    for bid, (name, name_en, parent, _) in ZONE_BODIES.items():
        status, b = unit(client, bid, sid=sid)
        figure = (b.get("headcount") or {}).get("headcount")
        assert (status, b["unit"]["name"], b["unit"]["name_en"], b["unit"]["level"],
                b["parent"]["id"], figure) == (
            200, name, name_en, "commune", parent, FIGURES.get(bid)), bid
    # Thổ Châu's secretary keeps his post, in the zone's Đảng ủy, under the Tỉnh ủy
    status, du = unit(client, "ag25-dk-tc-du", sid=sid)
    assert [(p["person_id"], p["role"]) for p in du["posts"]] == [("p-12", "secretary")]
    diff = client.get(f"/scenarios/{sid}/diff").json()
    assert set(ZONES) <= {a["id"] for a in diff["added"]}
    removed = {r["id"]: r for r in diff["removed"]}
    assert {u: removed[u]["successors"] for u in ("kg-pq", "kg-pq-tc", "kg-pq-dd",
                                                  "kg-pq-tc-du", "kg-pq-tu")} == {
        "kg-pq": ["ag25-dk-pq"], "kg-pq-tc": ["ag25-dk-tc"], "kg-pq-dd": ["ag25-dk-pq"],
        "kg-pq-tc-du": ["ag25-dk-tc-du"], "kg-pq-tu": ["ag25-dk-pq-tu"]}


def test_a_become_entry_with_units_is_checked_with_the_field_named(client):
    ops = operations()
    ops[1]["become"][1]["except"] = ["kg-pq-dd"]
    r = client.post("/scenarios", json={"name": "x", "at": AT, "operations": ops})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "become[1].except"
    assert r.json()["detail"].startswith("operation 2 (dissolve_level): become[1].except")
    ops = operations()
    ops[1]["become"][1]["units"] = ["kg-kh-ht"]
    r = client.post("/scenarios", json={"name": "x", "at": AT, "operations": ops})
    assert r.status_code == 409
    err = r.json()["errors"][0]
    assert (err["field"], err["unit"]) == ("become[1].units", "kg-kh-ht")
    assert "kg-kh-ht is not a commune under kg-pq on 2025-07-01" in r.json()["detail"]


def test_committed_the_baseline_answers_before_and_after(client):
    sid = scenario(client)
    assert client.post(f"/scenarios/{sid}/commit").status_code == 200
    # before: the city and its commune, of the district and commune levels
    status, tc = unit(client, "kg-pq-tc", BEFORE)
    assert (status, tc["unit"]["name"], tc["parent"]["id"]) == (200, "Xã Thổ Châu", "kg-pq")
    status, tu = unit(client, "kg-pq-tu", BEFORE)
    assert (status, tu["unit"]["name"], tu["unit"]["level"], tu["parent"]["id"]) == (
        200, "Thành ủy Phú Quốc", "district", "kg-tu")
    assert unit(client, "ag25-dk-tc", BEFORE)[0] == 404
    # after: the old ones answer 404 naming their successors
    for old, new in (("kg-pq", "ag25-dk-pq"), ("kg-pq-tc", "ag25-dk-tc"),
                     ("kg-pq-at", "ag25-dk-pq"), ("kg-kh", "ag25-dk-kh"),
                     ("kg-pq-tc-du", "ag25-dk-tc-du"), ("kg-pq-tu", "ag25-dk-pq-tu"),
                     ("kg-tu", "ag25-tu")):
        status, gone = unit(client, old)
        assert status == 404 and gone["errors"][0]["superseded_by"] == [new], old
    tree = client.get("/units/ag25/subtree", params={"at": AT, "depth": 1}).json()
    assert sorted(c["unit"]["id"] for c in tree["children"]) == [
        "ag-ap-tt", "ag-ap-vhd", "ag25-dk-kh", "ag25-dk-pq", "ag25-dk-tc", "ag25-hdnd",
        "ag25-mttq", "ag25-tdoan", "ag25-tu", "ag25-ubnd"]
    # lineage: Thổ Châu's zone from the commune alone; Phú Quốc's Đảng ủy from the city's
    # and the wards' and Hàm Ninh's, not Thổ Châu's, on the resolution
    lin = client.get("/units/ag25-dk-tc/lineage").json()
    assert [(p["unit"]["id"], p["event"]["type"]) for p in lin["predecessors"]] == [
        ("kg-pq-tc", "CONSOLIDATE")]
    lin = client.get("/units/ag25-dk-pq-tu/lineage").json()
    assert sorted(p["unit"]["id"] for p in lin["predecessors"]) == [
        "kg-pq-at-du", "kg-pq-dd-du", "kg-pq-hn-du", "kg-pq-tu"]
    assert {p["event"]["basis"][0] for p in lin["predecessors"]} == {"nq-1654-2025-ubtvqh15"}


def test_the_cli_runs_saves_and_commits_the_plan(tmp_path):
    store = str(tmp_path / "ag.db")
    assert "loaded 63 units, 62 relations" in ok("--store", store, "load",
                                                 str(DATA / "r_phu_quoc")).stdout
    run = as_json("--store", store, "scenario", "run", str(REFORM))
    assert (run["headcount"]["saving_total"], run["headcount"]["after"]) == (9, TOTAL - 9)
    assert (run["leadership"]["removed"], run["leadership"]["after"]) == (7, 9)
    text = ok("--store", store, "scenario", "run", str(REFORM)).stdout
    assert "Traceback" not in text and "ag25-dk-tc" in text
    sid = as_json("--store", store, "scenario", "save", str(REFORM))["id"]
    ok("--store", store, "scenario", "commit", sid)
    shown = as_json("--store", store, "show", "ag25-dk-tc-ubnd", "--at", AT)
    assert (shown["unit"]["name"], shown["unit"]["level"], shown["parent"]["id"],
            shown["headcount"]["headcount"]) == ("UBND đặc khu Thổ Châu", "commune",
                                                 "ag25-dk-tc", 6)
    shown = as_json("--store", store, "show", "ag25-dk-pq-tu", "--at", AT)
    assert (shown["unit"]["name"], shown["unit"]["name_en"], shown["parent"]["id"]) == (
        "Đảng ủy đặc khu Phú Quốc", "Phu Quoc Special Zone Party Committee", "ag25-tu")
    before = as_json("--store", store, "show", "kg-pq-tc-ubnd", "--at", BEFORE)
    assert (before["unit"]["name"], before["parent"]["id"]) == ("UBND xã Thổ Châu",
                                                                "kg-pq-tc")
    r = bomay("--store", store, "show", "kg-pq-tc-ubnd", "--at", AT)
    assert r.returncode == 1 and "ag25-dk-tc-ubnd" in r.stderr and "Traceback" not in r.stderr
    lin = as_json("--store", store, "lineage", "kg-pq-tc")
    assert [(s["unit"]["id"], s["event"]["type"]) for s in lin["successors"]] == [
        ("ag25-dk-tc", "CONSOLIDATE")]
    lin = as_json("--store", store, "lineage", "ag25-dk-pq")
    assert sorted(p["unit"]["id"] for p in lin["predecessors"]) == [
        "kg-pq", "kg-pq-at", "kg-pq-dd", "kg-pq-hn"]
