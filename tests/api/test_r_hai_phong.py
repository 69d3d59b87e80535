"""A planner's rehearsal of a real consolidation of a province with a centrally-run city, in
one plan as the 2025 reform did it: Tỉnh Hải Dương + Thành phố Hải Phòng -> Thành phố Hải
Phòng (Nghị quyết 202/2025/QH15, in force 2025-07-01), the wards and communes consolidated
about 3 into 1 from a mapping table naming them (`communes.csv`), the district level
dissolved (`tests/data/r_hai_phong_plans/reform.yaml`, on `tests/data/r_hai_phong`: README
there). Through HTTP (the app on a real SQLite store file) and the CLI (`bomay load`,
`scenario run | save | commit`, `show`, `lineage`, `search` before and after the date).

Every expected figure is derived by hand from the dataset's CSV files (the arithmetic is in
`tests/graph/scenarios/test_r_hai_phong.py`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.api.real_cases import (as_json, plan_operations, post_scenario, serve,
                                  unit_answer)
from tests.api.seed_plans import bomay, ok
from tests.graph.scenarios.test_r_hai_phong import (BOTH, COMMUNE_BODIES, COMMUNES, DISTRICTS,
                                                    KEPT, NAMES, TOTAL)

DATA = Path(__file__).resolve().parents[1] / "data"
PLANS = DATA / "r_hai_phong_plans"
REFORM = PLANS / "reform.yaml"
AT, BEFORE = "2025-07-01", "2025-06-30"


def operations() -> list[dict]:
    return plan_operations(REFORM)


@pytest.fixture
def client(tmp_path):
    yield from serve(tmp_path, "r_hai_phong", AT)


def scenario(client) -> str:
    return post_scenario(client, "Hải Dương - Hải Phòng 2025", AT, operations())


def unit(client, uid, at=AT, sid=None):
    return unit_answer(client, uid, at, sid)


def test_the_reform_through_http(client):
    sid = scenario(client)
    rep = client.get(f"/scenarios/{sid}/impact").json()
    assert [o["summary"] for o in rep["operations"]] == [
        "hd, hp consolidated into the new unit hp25 on 2025-07-01",
        "3 consolidations from a mapping table on 2025-07-01",
        "4 districts dissolved on 2025-07-01 within hp25; 12 of their bodies merged or moved up"]
    groups: dict[str, list[str]] = {}
    for g in rep["bodies"]["groups"]:
        groups.setdefault(g["unit"], []).extend(g["from"])
    for k in BOTH:
        assert groups[f"hp25-{k}"][:2] == [f"hd-{k}", f"hp-{k}"], k
    assert groups["hp25-tu"][2:] == [f"{d}-tu" for d in DISTRICTS]
    for new in COMMUNES:
        assert groups[f"{new}-ubnd"] == [f"{o}-ubnd" for o in COMMUNES[new][1]]
    assert sorted(u["unit"] for u in rep["bodies"]["unpaired"]) == ["hd-sngv", "hp-bqlkkt"]
    hc, lead = rep["headcount"], rep["leadership"]
    assert (hc["before"], hc["after_recorded"], hc["saving_total"], hc["after"]) == (
        TOTAL, TOTAL, 26, TOTAL - 26)
    assert (lead["before"], lead["removed"], lead["after"]) == (57, 26, 31)
    stc = [(s["function"], s["amount"], s["how"]) for s in hc["savings"]
           if s["unit"] == "hp25-stc"]
    assert stc == [("finance_accounting", 2, "(3 - 1) duplicates × 2 staff × 0.5")]
    # the operation's warnings name the bodies without a figure and without an area
    assert any("no headcount figure for hd-sxd" in w for w in rep["warnings"])
    assert any("hp-btc (hp)" in w for w in rep["warnings"])

    listed = client.get(f"/scenarios/{sid}/units", params={
        "at": AT, "area": "hp25", "limit": 500}).json()["items"]
    mine = {u["id"]: u for u in listed}
    assert {i: mine[i]["name"] for i in NAMES} == NAMES
    # Hải Dương's `UBKT Tỉnh ủy Hải Dương` carries the place, Hải Phòng's `Ủy ban Kiểm tra
    # Thành ủy` writes the head out: the official name takes both
    assert (mine["hp25-ubkt"]["name"], mine["hp25-ubkt"]["abbr"]) == (
        "Ủy ban Kiểm tra Thành ủy Hải Phòng", "UBKT")
    assert not [u for u in listed if u["level"] == "district"]
    top = Counter(u["kind"] for u in listed if u["parent"] == "hp25")
    assert top == {"commune": len(COMMUNES) + len(KEPT), "party_committee": 1,
                   "people_council": 1, "government": 1, "front": 1}
    # a body without a peer keeps its name, its figure and its head, in the new city
    status, sngv = unit(client, "hd-sngv", sid=sid)
    assert (status, sngv["unit"]["area"], sngv["parent"]["id"], sngv["headcount"]["headcount"],
            [p["person_id"] for p in sngv["posts"]]) == (200, "hp25", "hp25-ubnd", 15,
                                                         ["p-hd-11"])
    # the new Thành ủy: the sum of the two and of the four districts' Party committees;
    # every secretary's post came with it (the impact counts 5 of 6 as duplicates)
    status, tu = unit(client, "hp25-tu", sid=sid)
    assert (tu["unit"]["name"], tu["parent"]["id"], tu["headcount"]["headcount"]) == (
        "Thành ủy Hải Phòng", "hp25", 78)
    assert sorted(p["person_id"] for p in tu["posts"] if p["role"] == "secretary") == [
        "p-hd-01", "p-hd-15", "p-hd-17", "p-hp-01", "p-hp-15", "p-hp-18"]
    # a new ward's bodies, named for it
    for new, names in COMMUNE_BODIES.items():
        kids = client.get(f"/scenarios/{sid}/units/{new}/children", params={"at": AT}).json()
        assert sorted(k["name"] for k in kids["items"]) == sorted(names[1:]), new
        status, du = unit(client, f"{new}-du", sid=sid)
        assert (du["unit"]["name"], du["parent"]["id"]) == (names[0], "hp25-tu")


def test_committed_the_baseline_answers_before_and_after(client):
    sid = scenario(client)
    assert client.post(f"/scenarios/{sid}/commit").status_code == 200
    # before: two areas, the district-level city's `Thành ủy Hải Dương` under the Tỉnh ủy
    status, tphd = unit(client, "hd-tphd-tu", BEFORE)
    assert (status, tphd["unit"]["name"], tphd["parent"]["id"]) == (
        200, "Thành ủy Hải Dương", "hd-tu")
    assert unit(client, "hp25-tu", BEFORE)[0] == 404
    old = client.get("/units/hd/subtree", params={"at": BEFORE, "depth": 1}).json()
    assert {c["unit"]["id"] for c in old["children"]} >= {"hd-tu", "hd-ubnd", "hd-kt", "hd-tphd"}
    # after: the old bodies answer 404 naming the new one
    for k in ("tu", "btc", "vptu", "snv", "tdoan"):
        for old_id in (f"hd-{k}", f"hp-{k}"):
            status, gone = unit(client, old_id)
            assert status == 404 and gone["errors"][0]["superseded_by"] == [f"hp25-{k}"]
    status, gone = unit(client, "hd-tphd-tu")
    assert status == 404 and gone["errors"][0]["superseded_by"] == ["hp25-tu"]
    tree = client.get("/units/hp25/subtree", params={"at": AT, "depth": 1}).json()
    assert sorted(c["unit"]["id"] for c in tree["children"]) == sorted(
        ["hp25-tu", "hp25-hdnd", "hp25-ubnd", "hp25-mttq", *COMMUNES, *KEPT])
    # a kept ward moved up: its district before, the city after
    for at, area, parent in ((BEFORE, "hp-hb", "hp-hb"), (AT, "hp25", "hp25")):
        status, sd = unit(client, "hp-hb-sd", at)
        assert (sd["unit"]["area"], sd["parent"]["id"]) == (area, parent), at
    # lineage: Hải Phòng's board became the city's, on the resolution's basis; a ward's
    # Đảng ủy became the new ward's, on the commune resolution's
    lin = client.get("/units/hp-btc/lineage").json()
    assert [(s["unit"]["id"], s["event"]["type"], s["event"]["date"])
            for s in lin["successors"]] == [("hp25-btc", "CONSOLIDATE", AT)]
    assert lin["successors"][0]["event"]["basis"] == ["nq-202-2025-qh15"]
    lin = client.get("/units/hd-tphd-thd-du/lineage").json()
    assert [(s["unit"]["id"], s["event"]["basis"]) for s in lin["successors"]] == [
        ("hp25-p-hai-duong-du", ["nq-1669-2025-ubtvqh15"])]
    lin = client.get("/units/hp25-tu/lineage").json()
    assert {p["unit"]["id"] for p in lin["predecessors"]} == {"hd-tu", "hp-tu"} | {
        f"{d}-tu" for d in DISTRICTS}
    # search: the province's Tỉnh ủy by its name before the date, not the district-level
    # city's Thành ủy of the same place; neither after it
    hits = client.get("/search", params={"q": "Tỉnh ủy Hải Dương", "at": BEFORE}).json()
    assert hits["items"][0]["unit"]["id"] == "hd-tu"
    hits = client.get("/search", params={"q": "Thành ủy Hải Dương", "at": BEFORE}).json()
    assert hits["items"][0]["unit"]["id"] == "hd-tphd-tu"
    after = client.get("/search", params={"q": "Tỉnh ủy Hải Dương", "at": AT}).json()
    assert not {"hd-tu", "hd-tphd-tu"} & {h["unit"]["id"] for h in after["items"]}


def test_the_cli_runs_saves_and_commits_the_plan(tmp_path):
    store = str(tmp_path / "hp.db")
    assert "loaded 109 units, 112 relations" in ok("--store", store, "load",
                                                   str(DATA / "r_hai_phong")).stdout
    run = as_json("--store", store, "scenario", "run", str(REFORM))
    assert [o["summary"] for o in run["operations"]][1] == \
        "3 consolidations from a mapping table (communes.csv) on 2025-07-01"
    assert (run["headcount"]["saving_total"], run["headcount"]["after"]) == (26, TOTAL - 26)
    assert (run["leadership"]["removed"], run["leadership"]["after"]) == (26, 31)
    text = ok("--store", store, "scenario", "run", str(REFORM)).stdout
    assert "Traceback" not in text and "hp25" in text
    sid = as_json("--store", store, "scenario", "save", str(REFORM))["id"]
    ok("--store", store, "scenario", "commit", sid)
    shown = as_json("--store", store, "show", "hp25-vptu", "--at", AT)
    assert (shown["unit"]["name"], shown["parent"]["id"], shown["headcount"]["headcount"]) == (
        "Văn phòng Thành ủy", "hp25-tu", 125)
    before = as_json("--store", store, "show", "hd-vptu", "--at", BEFORE)
    assert (before["unit"]["name"], before["parent"]["id"]) == ("Văn phòng Tỉnh ủy", "hd-tu")
    r = bomay("--store", store, "show", "hd-vptu", "--at", AT)
    assert r.returncode == 1 and "hp25-vptu" in r.stderr and "Traceback" not in r.stderr
    lin = as_json("--store", store, "lineage", "hd-kt-ptckh")
    assert [(s["unit"]["id"], s["event"]["type"]) for s in lin["successors"]] == [
        ("hp25-stc", "MERGE")]
    lin = as_json("--store", store, "lineage", "hd-kt-pt")
    assert [s["unit"]["id"] for s in lin["successors"]] == ["hp25-x-phu-thai"]
    ward = as_json("--store", store, "show", "hp25-p-hong-bang", "--at", AT)
    assert (ward["unit"]["name"], ward["parent"]["id"]) == ("Phường Hồng Bàng", "hp25")
    found = as_json("--store", store, "search", "Văn phòng Thành ủy", "--at", AT)
    assert found["items"][0]["unit"]["id"] == "hp25-vptu"
