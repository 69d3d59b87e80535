"""A planner's rehearsal of Quận 2 + Quận 9 + Quận Thủ Đức -> Thành phố Thủ Đức (Nghị quyết
1111/NQ-UBTVQH14, in force 2021-01-01) on `tests/data/r_thu_duc` (README there) with
`tests/data/r_thu_duc_plans/reform.yaml`: the three districts consolidated into a
district-level city with their bodies, phường An Khánh into phường Thủ Thiêm, phường Bình An
and phường Bình Khánh into the new phường An Khánh, in one plan. Through HTTP (the app on a
real SQLite store file) and the CLI (`bomay load`, `scenario run | save | commit`, `show`,
`lineage`, `search`) before and after the date.

Every expected figure is derived by hand from the dataset's CSV files (the arithmetic is in
`tests/graph/scenarios/test_r_thu_duc.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.real_cases import (as_json, plan_operations, post_scenario, serve,
                                  unit_answer)
from tests.api.seed_plans import bomay, ok
from tests.graph.scenarios.test_r_thu_duc import (BODIES, FIGURES, NAMES, PARENTS, SIDES, TOTAL,
                                                  WARDS)

DATA = Path(__file__).resolve().parents[1] / "data"
REFORM = DATA / "r_thu_duc_plans" / "reform.yaml"
AT, BEFORE = "2021-01-01", "2020-12-31"


@pytest.fixture
def client(tmp_path):
    yield from serve(tmp_path, "r_thu_duc", AT)


def scenario(client) -> str:
    return post_scenario(client, "Thủ Đức 2021", AT, plan_operations(REFORM))


def unit(client, uid, at=AT, sid=None):
    return unit_answer(client, uid, at, sid)


def test_the_reform_through_http(client):
    sid = scenario(client)
    rep = client.get(f"/scenarios/{sid}/impact").json()
    assert [o["summary"] for o in rep["operations"]] == [
        "q2, q9, qtd consolidated into the new unit td on 2021-01-01",
        "q2-ak merged into q2-tt on 2021-01-01",
        "q2-ba, q2-bk consolidated into the new unit td-p-an-khanh on 2021-01-01"]
    groups = {g["unit"]: g["from"] for g in rep["bodies"]["groups"]}
    for k in BODIES:
        assert groups[f"td-{k}"] == [f"{s}-{k}" for s in SIDES], k
    assert groups["q2-tt-du"] == ["q2-ak-du"]
    assert groups["td-p-an-khanh-ubnd"] == ["q2-ba-ubnd", "q2-bk-ubnd"]
    assert rep["bodies"]["unpaired"] == []
    hc, lead = rep["headcount"], rep["leadership"]
    assert (hc["before"], hc["after_recorded"], hc["saving_total"], hc["after"]) == (
        TOTAL, TOTAL, 20, TOTAL - 20)
    assert (lead["before"], lead["removed"], lead["after"]) == (42, 18, 24)
    assert any("no headcount figure for q9-ubkt" in w for w in rep["warnings"])
    for uid, (name, name_en) in NAMES.items():
        status, body = unit(client, uid, sid=sid)
        assert (status, body["unit"]["name"], body["unit"]["name_en"], body["unit"]["area"],
                body["parent"]["id"]) == (200, name, name_en, "td", PARENTS[uid]), uid
    for uid, figure in FIGURES.items():
        status, body = unit(client, uid, sid=sid)
        assert body["headcount"]["headcount"] == figure, uid
    status, tu = unit(client, "td-tu", sid=sid)
    assert sorted(p["person_id"] for p in tu["posts"] if p["role"] == "secretary") == [
        "p-01", "p-09", "p-17"]
    status, ward = unit(client, "td-p-an-khanh-du", sid=sid)
    assert (ward["unit"]["name"], ward["parent"]["id"]) == ("Đảng ủy phường An Khánh", "td-tu")


def test_committed_the_baseline_answers_before_and_after(client):
    sid = scenario(client)
    assert client.post(f"/scenarios/{sid}/commit").status_code == 200
    # before: three districts, the numbered ones' bodies named with their territorial word
    for uid, name, parent in (("q2-tu", "Quận ủy Quận 2", "hcm-tu"),
                              ("q9-ubnd", "UBND Quận 9", "q9"),
                              ("qtd-qdoan", "Quận đoàn Thủ Đức", "qtd"),
                              ("q2-ak", "Phường An Khánh", "q2")):
        status, b = unit(client, uid, BEFORE)
        assert (status, b["unit"]["name"], b["parent"]["id"]) == (200, name, parent), uid
    assert unit(client, "td", BEFORE)[0] == 404
    # after: the old bodies answer 404 naming the new one
    for k in BODIES:
        for side in SIDES:
            status, gone = unit(client, f"{side}-{k}")
            assert status == 404 and gone["errors"][0]["superseded_by"] == [f"td-{k}"]
    for old, new in (("q2", "td"), ("q2-ak", "q2-tt"), ("q2-ak-ubnd", "q2-tt-ubnd"),
                     ("q2-ba", "td-p-an-khanh"), ("q2-bk-du", "td-p-an-khanh-du")):
        status, gone = unit(client, old)
        assert status == 404 and gone["errors"][0]["superseded_by"] == [new], old
    tree = client.get("/units/td/subtree", params={"at": AT, "depth": 1}).json()
    assert sorted(c["unit"]["id"] for c in tree["children"]) == sorted(
        ["td-hdnd", "td-ubnd", "td-mttq", "td-qdoan", *WARDS])
    lin = client.get("/units/q2-ubkt/lineage").json()
    assert [(s["unit"]["id"], s["event"]["type"], s["event"]["basis"])
            for s in lin["successors"]] == [("td-ubkt", "CONSOLIDATE",
                                             ["nq-1111-2020-ubtvqh14"])]
    lin = client.get("/units/td-p-an-khanh/lineage").json()
    assert sorted(p["unit"]["id"] for p in lin["predecessors"]) == ["q2-ba", "q2-bk"]
    # search: the numbered districts' committees before the date, the city's after; the
    # name An Khánh is the old ward's before and the new one's after
    for q, at, want in (("Quận ủy Quận 2", BEFORE, "q2-tu"), ("Quận ủy Quận 9", BEFORE, "q9-tu"),
                        ("Quận ủy Thủ Đức", BEFORE, "qtd-tu"),
                        ("Thành ủy Thủ Đức", AT, "td-tu"),
                        ("Ủy ban Kiểm tra Thành ủy Thủ Đức", AT, "td-ubkt"),
                        ("Thành đoàn Thủ Đức", AT, "td-qdoan"),
                        ("Phường An Khánh", BEFORE, "q2-ak"),
                        ("Phường An Khánh", AT, "td-p-an-khanh")):
        hits = client.get("/search", params={"q": q, "at": at}).json()
        assert hits["items"][0]["unit"]["id"] == want, (q, at)


def test_the_cli_runs_saves_and_commits_the_plan(tmp_path):
    store = str(tmp_path / "thu_duc.db")
    assert "loaded 63 units, 65 relations" in ok("--store", store, "load",
                                                 str(DATA / "r_thu_duc")).stdout
    run = as_json("--store", store, "scenario", "run", str(REFORM))
    assert [o["summary"] for o in run["operations"]][0] == \
        "q2, q9, qtd consolidated into the new unit td on 2021-01-01"
    assert (run["headcount"]["saving_total"], run["headcount"]["after"]) == (20, TOTAL - 20)
    assert (run["leadership"]["removed"], run["leadership"]["after"]) == (18, 24)
    text = ok("--store", store, "scenario", "run", str(REFORM)).stdout
    assert "Traceback" not in text and "td-p-an-khanh" in text
    sid = as_json("--store", store, "scenario", "save", str(REFORM))["id"]
    ok("--store", store, "scenario", "commit", sid)
    shown = as_json("--store", store, "show", "td-ubkt", "--at", AT)
    assert (shown["unit"]["name"], shown["unit"]["name_en"], shown["parent"]["id"],
            shown["headcount"]["headcount"]) == (*NAMES["td-ubkt"], "td-tu", 5 + 6)
    before = as_json("--store", store, "show", "q2-ubkt", "--at", BEFORE)
    assert (before["unit"]["name"], before["parent"]["id"]) == (
        "Ủy ban Kiểm tra Quận ủy Quận 2", "q2-tu")
    r = bomay("--store", store, "show", "q9-ubnd", "--at", AT)
    assert r.returncode == 1 and "td-ubnd" in r.stderr and "Traceback" not in r.stderr
    lin = as_json("--store", store, "lineage", "q2-ak")
    assert [(s["unit"]["id"], s["event"]["type"]) for s in lin["successors"]] == [
        ("q2-tt", "MERGE")]
    found = as_json("--store", store, "search", "Văn phòng Thành ủy", "--at", AT)
    assert found["items"][0]["unit"]["id"] == "td-vp"
