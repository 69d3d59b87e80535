"""The scenario API: create, operations, undo, impact, diff, units of a scenario, compare,
commit, persistence; errors as problem+json."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[1] / "data"
#: Writes need a token (api/security.py): the app knows this one, the client sends it.
TOKEN = "scenario-tests-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

CONSOLIDATE = {"op": "consolidate", "units": ["btc", "pnv"], "parent": "tu", "serves": ["ubnd"],
               "basis": ["doc-18"], "new": {"id": "tcnv", "name": "Ban Tổ chức - Nội vụ"}}
MERGE = {"op": "merge", "into": "ubkt", "units": ["tt"]}


@pytest.fixture
def store_path(tmp_path):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(DATA / "s_city"))
    store.close()
    return tmp_path / "s.db"


@pytest.fixture
def client(store_path):
    store = EmbeddedStore(store_path)
    with TestClient(create_app(store, Settings(default_at="2018-01-01", tokens={"tests": TOKEN})),
                    headers=AUTH) as c:
        yield c
    store.close()


def create(client, **extra):
    body = {"name": "Hợp nhất Ban Tổ chức và Phòng Nội vụ", "at": "2018-01-01",
            "description": "Plan A"} | extra
    r = client.post("/scenarios", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def problem(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    return r.json()


def test_create_list_get_delete(client):
    s = create(client)
    assert s["id"].startswith("hop-nhat-ban-to-chuc-va-phong-noi-vu-")
    assert (s["name"], s["at"], s["description"], s["operations"]) == (
        "Hợp nhất Ban Tổ chức và Phòng Nội vụ", "2018-01-01", "Plan A", [])
    listed = client.get("/scenarios").json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == s["id"]
    got = client.get(f"/scenarios/{s['id']}").json()
    assert got["valid"] is True and got["log"] == []
    assert client.delete(f"/scenarios/{s['id']}").status_code == 204
    problem(client.get(f"/scenarios/{s['id']}"), 404)
    problem(client.delete(f"/scenarios/{s['id']}"), 404)


def test_create_validates_its_body(client):
    body = problem(client.post("/scenarios", json={"name": "x", "at": "2018-13"}), 422)
    assert body["errors"][0]["field"] == "at"
    problem(client.post("/scenarios", json={"at": "2018"}), 422)
    problem(client.post("/scenarios", json={"name": "x", "at": "2018", "colour": 1}), 422)
    body = problem(client.post("/scenarios", json={"name": "x", "at": "2018-01-01",
                                                   "operations": [MERGE, MERGE]}), 409)
    assert "operation 2 (merge): unit tt does not exist on 2018-01-01" in body["detail"]
    assert client.get("/scenarios").json()["total"] == 0


def test_operations_then_impact_and_diff(client):
    sid = create(client)["id"]
    r = client.post(f"/scenarios/{sid}/operations", json=CONSOLIDATE)
    assert r.status_code == 201, r.text
    assert r.json()["added"][0]["index"] == 1 and len(r.json()["operations"]) == 1
    r = client.post(f"/scenarios/{sid}/operations", json={"operations": [MERGE]})
    assert r.json()["added"][0]["summary"] == "tt merged into ubkt on 2018-01-01"

    report = client.get(f"/scenarios/{sid}/impact").json()
    # by hand: btc 8 + pnv 6 + ubkt 9 + tt 7 = 30 people; office_admin duplicated in tcnv
    # (1 × 2 staff × 0.5 = 1); two heads in tcnv and two in ubkt (1 + 1)
    assert report["headcount"]["before"] == 30 and report["headcount"]["after_recorded"] == 30
    assert report["headcount"]["saving_total"] == 3 and report["headcount"]["after"] == 27
    assert report["units"]["before"] == 4 and report["units"]["after"] == 2
    assert report["leadership"]["removed"] == 2
    assert report["scenario"]["id"] == sid

    tuned = client.get(f"/scenarios/{sid}/impact", params={
        "remove_duplicate_leadership": "false", "support_saving": "office_admin:1",
        "support_staff": 3}).json()
    assert tuned["headcount"]["saving_total"] == 3  # 1 × 3 staff × 1.0, no leadership saving
    assert tuned["assumptions"]["support_saving"]["office_admin"] == 1
    assert client.get(f"/scenarios/{sid}/impact", params={"saving.office_admin": 0}).json()[
        "headcount"]["saving_total"] == 2
    body = problem(client.get(f"/scenarios/{sid}/impact", params={"support_saving": "x:2"}), 422)
    # refused by the documented pattern (function:ratio pairs, ratios 0..1) at the edge
    assert body["errors"][0]["field"] == "support_saving"

    d = client.get(f"/scenarios/{sid}/diff").json()
    assert [a["id"] for a in d["added"]] == ["tcnv"]
    assert sorted(x["id"] for x in d["removed"]) == ["btc", "pnv", "tt"]
    assert [(m["inputs"], m["into"]) for m in d["merged"]] == [(["btc", "pnv"], "tcnv"),
                                                               (["tt"], "ubkt")]


@pytest.mark.parametrize("params", [{"support_staff": "3.402823466e+38"}, {"support_staff": "inf"},
                                    {"max_span": "100001"}, {"leadership_post_saving": "1e308"}])
def test_assumptions_out_of_bounds_are_refused_not_a_500(client, params):
    """Schemathesis found a 500: a huge support_staff overflowed the report's integers."""
    sid = create(client)["id"]
    assert client.post(f"/scenarios/{sid}/operations", json=CONSOLIDATE).status_code == 201
    r = client.get(f"/scenarios/{sid}/impact", params=params)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == next(iter(params))


@pytest.mark.parametrize("bad_id", ["a/b", "..", "tc nv", "tc\u0000nv", "Ban Tổ chức"])
def test_a_new_unit_id_outside_the_contract_s_alphabet_is_refused_at_once(client, bad_id):
    """The data contract's id alphabet applies to scenario operations too (not only at commit)."""
    sid = create(client)["id"]
    op = CONSOLIDATE | {"new": {"id": bad_id, "name": "Ban Tổ chức - Nội vụ"}}
    body = problem(client.post(f"/scenarios/{sid}/operations", json=op), 422)
    assert "ASCII letters" in str(body["errors"])
    assert client.get(f"/scenarios/{sid}").json()["operations"] == []


def test_impact_answers_304_on_an_unchanged_scenario(client):
    sid = create(client, operations=[MERGE])["id"]
    r = client.get(f"/scenarios/{sid}/impact")
    etag = r.headers["etag"]
    assert client.get(f"/scenarios/{sid}/impact", headers={"if-none-match": etag}).status_code == 304
    client.post(f"/scenarios/{sid}/operations", json={"op": "move", "unit": "cb3",
                                                      "parent": "tu"})
    assert client.get(f"/scenarios/{sid}/impact",
                      headers={"if-none-match": etag}).status_code == 200


def test_conflicting_and_malformed_operations(client):
    sid = create(client, operations=[MERGE])["id"]
    body = problem(client.post(f"/scenarios/{sid}/operations", json=MERGE), 409)
    assert body["detail"].startswith("operation 2 (merge): unit tt does not exist on 2018-01-01")
    body = problem(client.post(f"/scenarios/{sid}/operations",
                               json={"op": "merge", "into": "ubkt"}), 422)
    assert body["errors"][0]["field"] == "units"
    body = problem(client.post(f"/scenarios/{sid}/operations",
                               json={"op": "dissolve", "unit": "dbcq"}), 409)
    assert "would orphan children cb1, cb2, cb3" in body["detail"]
    problem(client.post(f"/scenarios/{sid}/operations", json=[]), 422)
    problem(client.post("/scenarios/nope/operations", json=MERGE), 404)
    assert len(client.get(f"/scenarios/{sid}").json()["operations"]) == 1


def test_undo(client):
    sid = create(client, operations=[CONSOLIDATE, MERGE,
                                     {"op": "move", "unit": "cb3", "parent": "tcnv"}])["id"]
    body = problem(client.delete(f"/scenarios/{sid}/operations/1"), 409)
    assert body["detail"].startswith("operation 1 cannot be undone: without it, operation 3 "
                                     "(move): parent tcnv is unknown"), body["detail"]
    r = client.delete(f"/scenarios/{sid}/operations/2")
    assert r.status_code == 200, r.text
    assert r.json()["removed"] == MERGE
    assert [o["op"] for o in r.json()["operations"]] == ["consolidate", "move"]
    assert [e["index"] for e in r.json()["log"]] == [1, 2]
    problem(client.delete(f"/scenarios/{sid}/operations/3"), 404)
    problem(client.delete(f"/scenarios/{sid}/operations/0"), 422)
    report = client.get(f"/scenarios/{sid}/impact").json()
    assert "tt" not in report["units"]["ended"]


def test_units_endpoints_read_the_scenario_state(client):
    sid = create(client, operations=[CONSOLIDATE])["id"]
    r = client.get(f"/scenarios/{sid}/units/tcnv", params={"at": "2018-01-01"})
    assert r.status_code == 200, r.text
    assert r.json()["unit"]["name"] == "Ban Tổ chức - Nội vụ"
    assert client.get("/units/tcnv").status_code == 404  # the baseline does not have it
    kids = client.get(f"/scenarios/{sid}/units/tu/children", params={"at": "2018-01-01"}).json()
    ids = [k["id"] for k in (kids["items"] if isinstance(kids, dict) else kids)]
    assert "tcnv" in ids and "btc" not in ids
    problem(client.get("/scenarios/nope/units/tu"), 404)


def test_compare(client):
    a = create(client, operations=[CONSOLIDATE])["id"]
    b = create(client, name="Plan B", operations=[MERGE])["id"]
    r = client.get("/compare", params={"scenarios": f"{a},{b}"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [s["id"] for s in body["scenarios"]] == [a, b]
    rows = {row["metric"]: row for row in body["table"]}
    assert rows["headcount after"][a] == 12 and rows["headcount after"][b] == 15
    assert rows["units change"][a] == -1 and rows["units change"][b] == -1
    problem(client.get("/compare", params={"scenarios": f"{a},nope"}), 404)
    problem(client.get("/compare", params={"scenarios": " , "}), 422)


def test_commit_then_lineage_and_refusals(client):
    sid = create(client, operations=[CONSOLIDATE])["id"]
    before = client.get("/units/btc").json()
    assert before["unit"]["valid_to"] is None
    r = client.post(f"/scenarios/{sid}/commit")
    assert r.status_code == 200, r.text
    result = r.json()
    assert [e["type"] for e in result["events"]] == ["CONSOLIDATE"]
    assert result["scenario"]["committed"]
    event_id = result["events"][0]["id"]
    # the baseline now holds the new unit and the event
    assert client.get("/units/tcnv", params={"at": "2018-01-01"}).status_code == 200
    assert client.get("/units/btc").json()["unit"]["valid_to"] == "2018-01-01"
    lineage = client.get("/units/tcnv/lineage").json()
    assert event_id in str(lineage) and "btc" in str(lineage) and "pnv" in str(lineage)
    # a committed scenario cannot be committed again nor changed
    assert "already committed" in problem(client.post(f"/scenarios/{sid}/commit"), 409)["detail"]
    problem(client.post(f"/scenarios/{sid}/operations", json=MERGE), 409)
    # another scenario made before the commit that now conflicts with the new baseline
    other = create(client, name="late", operations=[])["id"]
    client.post(f"/scenarios/{other}/operations", json=MERGE)
    stale = create(client, name="stale")["id"]
    client.post(f"/scenarios/{stale}/operations",
                json={"op": "merge", "into": "btg", "units": ["bdv"]})
    assert client.post(f"/scenarios/{other}/commit").status_code == 200  # no conflict
    # stale's base revision is older, but its operation still applies: commit is fine
    assert client.post(f"/scenarios/{stale}/commit").status_code == 200


def test_commit_refused_when_the_baseline_changed_in_a_conflicting_way(client):
    a = create(client, name="A", operations=[MERGE])["id"]
    b = create(client, name="B", operations=[{"op": "dissolve", "unit": "tt",
                                              "functions_to": "ubkt"}])["id"]
    assert client.post(f"/scenarios/{a}/commit").status_code == 200
    body = problem(client.post(f"/scenarios/{b}/commit"), 409)
    assert "the baseline changed since scenario" in body["detail"]
    assert "unit tt does not exist on 2018-01-01" in body["detail"] or \
        "already ends" in body["detail"]
    got = client.get(f"/scenarios/{b}").json()
    assert got["valid"] is False and "baseline changed" in got["conflict"]
    problem(client.get(f"/scenarios/{b}/impact"), 409)


def test_scenarios_survive_a_restart(store_path):
    store = EmbeddedStore(store_path)
    with TestClient(create_app(store, Settings(tokens={"tests": TOKEN})),
                    headers=AUTH) as c:
        sid = create(c, operations=[CONSOLIDATE, MERGE])["id"]
        first = c.get(f"/scenarios/{sid}/impact").json()
    store.close()
    reopened = EmbeddedStore(store_path)
    with TestClient(create_app(reopened, Settings(tokens={"tests": TOKEN})),
                    headers=AUTH) as c:
        got = c.get(f"/scenarios/{sid}").json()
        assert [o["op"] for o in got["operations"]] == ["consolidate", "merge"]
        assert got["valid"] is True
        again = c.get(f"/scenarios/{sid}/impact").json()
        assert again["headcount"] == first["headcount"]
        assert again["units"] == first["units"]
    reopened.close()


def test_a_committed_scenario_stays_readable(client):
    sid = create(client, operations=[CONSOLIDATE, MERGE])["id"]
    impact_before = client.get(f"/scenarios/{sid}/impact").json()
    diff_before = client.get(f"/scenarios/{sid}/diff").json()
    assert client.post(f"/scenarios/{sid}/commit").status_code == 200
    r = client.get(f"/scenarios/{sid}/impact")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["headcount"] == impact_before["headcount"] and body["scenario"]["committed"]
    assert client.get(f"/scenarios/{sid}/diff").json() == diff_before
    got = client.get(f"/scenarios/{sid}").json()
    assert got["valid"] is True and [e["index"] for e in got["log"]] == [1, 2]
    assert client.get(f"/scenarios/{sid}/units/tcnv").status_code == 200  # the baseline now
    page = client.get(f"/viz/scenarios/{sid}")
    assert page.status_code == 200 and "tcnv" in page.text
    assert "cannot be deleted" in problem(client.delete(f"/scenarios/{sid}"), 409)["detail"]
    problem(client.get(f"/scenarios/{sid}/impact", params={"support_staff": 9}), 409)


def test_operations_are_bounded_per_request_and_per_scenario(store_path, monkeypatch):
    monkeypatch.setenv("BOMAY_SCENARIO_MAX_OPERATIONS", "3")
    monkeypatch.setenv("BOMAY_SCENARIO_MAX_OPERATIONS_PER_REQUEST", "2")
    store = EmbeddedStore(store_path)
    with TestClient(create_app(store, Settings(default_at="2018-01-01", tokens={"tests": TOKEN})),
                    headers=AUTH) as c:
        moves = [{"op": "move", "unit": u, "parent": "tu"} for u in ("cb1", "cb2", "cb3")]
        body = problem(c.post("/scenarios", json={"name": "x", "at": "2018-01-01",
                                                  "operations": moves}), 422)
        assert "max_operations_per_request" in body["detail"]
        assert body["errors"][0]["limit"] == "max_operations_per_request"
        sid = create(c, operations=moves[:2])["id"]
        body = problem(c.post(f"/scenarios/{sid}/operations", json=moves[2:] + [MERGE]), 422)
        assert "the limit is 3 per scenario (max_operations)" in body["detail"]
        assert c.post(f"/scenarios/{sid}/operations", json=moves[2]).status_code == 201
        assert len(c.get(f"/scenarios/{sid}").json()["operations"]) == 3
    store.close()


def test_two_servers_on_one_file_never_lose_an_answered_operation(store_path):
    """Two apps over two store objects on one SQLite file (two `bomay serve` processes)."""
    one, two = EmbeddedStore(store_path), EmbeddedStore(store_path)
    settings = Settings(tokens={"tests": TOKEN})
    with TestClient(create_app(one, settings), headers=AUTH) as a, \
            TestClient(create_app(two, settings), headers=AUTH) as b:
        sid = create(a)["id"]
        answered = 0
        for i, unit in enumerate(["cb1", "cb2", "cb3"]):
            r = (a if i % 2 else b).post(f"/scenarios/{sid}/operations",
                                         json={"op": "move", "unit": unit, "parent": "tu"})
            assert r.status_code in (201, 409), r.text
            answered += r.status_code == 201
        assert len(a.get(f"/scenarios/{sid}").json()["operations"]) == answered == 3
        # a commit on one and a delete on the other: exactly one wins
        assert b.post(f"/scenarios/{sid}/commit").status_code == 200
        assert a.delete(f"/scenarios/{sid}").status_code == 409
    one.close()
    two.close()


def test_create_takes_the_scenario_s_assumptions(client):
    r = client.post("/scenarios", json={"name": "A", "at": "2018-01-01",
                                        "operations": [CONSOLIDATE],
                                        "assumptions": {"support_staff": 3}})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    impact = client.get(f"/scenarios/{sid}/impact").json()
    assert impact["assumptions"]["support_staff"] == 3
    # office_admin held twice: (2 - 1) × 3 × 0.5 = 1.5, and one head removed: 1
    assert impact["headcount"]["saving_total"] == 2.5
    bad = client.post("/scenarios", json={"name": "B", "at": "2018-01-01",
                                          "assumptions": {"support_staf": 3}})
    assert bad.status_code == 422 and "support_staf" in bad.text


def test_a_commit_records_the_writer_s_token_name(client):
    sid = client.post("/scenarios", json={"name": "A", "at": "2018-01-01",
                                          "operations": [MERGE]}).json()["id"]
    assert client.post(f"/scenarios/{sid}/commit").status_code == 200
    change = client.get("/changes").json()["items"][0]
    assert (change["action"], change["who"]) == ("commit", "tests")


def test_a_mapping_and_a_territorial_consolidation_through_the_api(tmp_path):
    store = EmbeddedStore(tmp_path / "t.db")
    store.replace_dataset(read_dataset(DATA / "t_provinces"))
    from graph.scenarios.mapping import read_mapping
    rows = read_mapping(DATA / "t_provinces_plans" / "provinces.csv")
    with TestClient(create_app(store, Settings(tokens={"tests": TOKEN})), headers=AUTH) as c:
        r = c.post("/scenarios", json={"name": "Reform", "at": "2025-07-01", "operations": [
            {"op": "consolidate_map", "rows": rows},
            {"op": "dissolve_level", "level": "district"}]})
        assert r.status_code == 201, r.text
        impact = c.get(f"/scenarios/{r.json()['id']}/impact").json()
        assert impact["bodies"]["unpaired"][0]["unit"] == "pa-sngv"
        assert impact["leadership"]["after"] < impact["leadership"]["before"]
        unit = c.get(f"/scenarios/{r.json()['id']}/units/pn-tu", params={"at": "2025-07-01"})
        assert unit.status_code == 200 and unit.json()["unit"]["name"] == "Tỉnh ủy An Sơn"
        bad = c.post("/scenarios", json={"name": "Bad", "at": "2025-07-01", "operations": [
            {"op": "consolidate_map", "rows": rows + [{"new": {"id": "q", "name": "Q"},
                                                        "units": ["pa"], "where": "m.csv:3"}]}]})
        assert bad.status_code == 422 and "m.csv:3" in bad.text
    store.close()
