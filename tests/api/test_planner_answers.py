"""Answers a planner tripped on, over HTTP (the app on a real SQLite file) and the CLI (a
real `bomay` process on the same kind of store):

1. an assumption in the query (or a CLI flag) changes only the one it names: the others
   stay the scenario's own (a plan's `assumptions:`), in the impact, the comparison and a
   committed scenario's kept report;
2. a unit asked for on a date after it ended answers a 404 that says what took its place
   (the lineage's `superseded_by`: id, name, date, event and its type) and its lifetime,
   in the detail and as members of the problem, so that an old id leads to the new unit;
3. a query parameter a route does not know is a 422 naming it and the ones it accepts,
   instead of an answer for something else (`/stats?area=mc` answered for everything).

The merger is the real one of `tests/data/r_bac_ninh` (Nghị quyết 202/2025/QH15, in force
2025-07-01) with the plan of `tests/data/r_bac_ninh_plans/merge.yaml`; the figures are
derived by hand from the dataset's CSV files as `test_bac_ninh_http.py` derives them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.notebook import run_plan
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from graph.scenarios.service import ScenarioService
from loaders import read_dataset
from tests.api.seed_plans import bomay, ok

DATA = Path(__file__).resolve().parents[1] / "data"
PLANS = DATA / "r_bac_ninh_plans"
PLAN = yaml.safe_load((PLANS / "merge.yaml").read_text(encoding="utf-8"))
TOKEN = "planner-answers-token-0123456789abcdef"
AT, AFTER = "2025-07-01", "2025-07-02"
#: The plan's assumptions with Departments of Construction's `transport` left out (ratio 0).
NO_TRANSPORT = {"support_staff": 3, "support_saving": {"transport": 0}}
LDLD = "Liên đoàn Lao động tỉnh Bắc Ninh"

# By hand (test_bac_ninh_http.py): 6 duplicated support functions in the merged bodies
# (office_admin x 3: Party Offices, UBND Offices, ĐBQH-HĐND Offices; finance_accounting x 2:
# Party Offices, Departments of Finance; transport x 1: Departments of Construction), each
# saving (2 - 1) x support_staff x ratio; 14 removed leadership posts in bodies with a
# figure, one person each.
LEADERSHIP = 14


def support(staff: float, office: float = 0.5, finance: float = 0.5,
            transport: float = 0.5) -> float:
    return 3 * staff * office + 2 * staff * finance + 1 * staff * transport


def new_store(path: Path) -> EmbeddedStore:
    store = EmbeddedStore(path)
    store.replace_dataset(read_dataset(DATA / "r_bac_ninh"))
    return store


def save(service: ScenarioService, assumptions=None, name: str = PLAN["name"]) -> str:
    scenario, _ = service.create(name, AT, PLAN["description"], PLAN["operations"],
                                 extra={"assumptions": dict(assumptions or PLAN["assumptions"])})
    return scenario.id


@pytest.fixture
def client(tmp_path):
    store = new_store(tmp_path / "bn.db")
    with TestClient(create_app(store, Settings(default_at=AT, tokens={"tests": TOKEN})),
                    headers={"Authorization": f"Bearer {TOKEN}"},
                    raise_server_exceptions=False) as c:
        yield c
    store.close()


def create(client, assumptions) -> str:
    r = client.post("/scenarios", json={"name": PLAN["name"], "at": AT,
                                        "operations": PLAN["operations"],
                                        "assumptions": assumptions})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def headcount(client, sid, **params):
    r = client.get(f"/scenarios/{sid}/impact", params=params)
    assert r.status_code == 200, r.text
    return r.json()


# -- 1. an assumption asked for changes only itself --------------------------------------------
def test_a_query_assumption_changes_only_the_one_it_names(client):
    sid = create(client, PLAN["assumptions"])
    own = headcount(client, sid)
    assert own["headcount"]["saving_total"] == support(3) + LEADERSHIP == 23
    # no leadership saving; the scenario's 3 support staff stay (the defaults' 2 gave 6)
    rep = headcount(client, sid, remove_duplicate_leadership="false")
    assert rep["assumptions"]["support_staff"] == 3
    assert rep["assumptions"]["remove_duplicate_leadership"] is False
    assert rep["headcount"]["saving_total"] == support(3) == 9
    assert rep["headcount"]["after"] == 1966 - 9
    assert rep["leadership"]["removed"] == 0

    # a ratio asked for changes only its function: the scenario's transport 0 stays
    sid = create(client, NO_TRANSPORT)
    assert headcount(client, sid)["headcount"]["saving_total"] == \
        support(3, transport=0) + LEADERSHIP == 21.5
    for params in ({"saving.finance_accounting": "1"},
                   {"support_saving": "finance_accounting:1"}):
        rep = headcount(client, sid, **params)
        assert rep["assumptions"]["support_saving"] == {
            "office_admin": 0.5, "finance_accounting": 1, "transport": 0}, params
        assert rep["assumptions"]["support_staff"] == 3
        assert rep["headcount"]["saving_total"] == \
            support(3, finance=1, transport=0) + LEADERSHIP == 24.5
    # a malformed one is still refused, naming it
    r = client.get(f"/scenarios/{sid}/impact", params={"saving.transport": "2"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "saving.transport"


def test_compare_changes_only_the_named_assumption_in_each_scenario(client):
    plan, no_transport = create(client, PLAN["assumptions"]), create(client, NO_TRANSPORT)
    r = client.get("/compare", params={"scenarios": f"{plan},{no_transport}",
                                       "remove_duplicate_leadership": "false"})
    assert r.status_code == 200, r.text
    body = r.json()
    saving = {row["metric"]: row for row in body["table"]}["saving (assumptions)"]
    assert (saving[plan], saving[no_transport]) == (support(3), support(3, transport=0)) \
        == (9, 7.5)
    # what the request changed, and each scenario's whole assumptions in its report
    assert body["assumptions"] == {"remove_duplicate_leadership": False}
    got = {s["id"]: s["impact"]["assumptions"] for s in body["scenarios"]}
    assert got[no_transport]["support_saving"]["transport"] == 0
    assert {a["support_staff"] for a in got.values()} == {3}


def test_a_committed_scenario_reads_with_the_assumptions_it_was_committed_with(client):
    sid = create(client, NO_TRANSPORT)
    assert client.post(f"/scenarios/{sid}/commit").status_code == 200
    # its own support staff asked for again: the kept report (the defaults' transport 0.5
    # made this "other assumptions", a 409)
    r = client.get(f"/scenarios/{sid}/impact", params={"support_staff": 3})
    assert r.status_code == 200, r.text
    assert r.json()["headcount"]["saving_total"] == 21.5
    r = client.get(f"/scenarios/{sid}/impact", params={"support_staff": 2})
    assert r.status_code == 409 and "committed" in r.json()["detail"]


def test_the_cli_takes_the_same_assumptions_and_changes_only_those(tmp_path):
    path = tmp_path / "bn.db"
    store = new_store(path)
    service = ScenarioService(store)
    plan, no_transport = save(service), save(service, NO_TRANSPORT, "Không tính vận tải")
    store.close()
    db = str(path)

    r = ok("--store", db, "scenario", "impact", plan, "--keep-duplicate-leadership", "--json")
    rep = json.loads(r.stdout)
    assert (rep["assumptions"]["support_staff"], rep["headcount"]["saving_total"]) == (3, 9)
    rep = json.loads(ok("--store", db, "scenario", "impact", no_transport, "--saving",
                        "finance_accounting=1", "--json").stdout)
    assert rep["assumptions"]["support_saving"]["transport"] == 0
    assert rep["headcount"]["saving_total"] == 24.5
    # the text report says which were used
    text = ok("--store", db, "scenario", "impact", plan, "--support-staff", "4").stdout
    assert "4.0 people per support team" in text and "removed: yes (1" in text
    body = json.loads(ok("--store", db, "scenario", "compare", plan, no_transport,
                         "--keep-duplicate-leadership", "--json").stdout)
    saving = {row["metric"]: row for row in body["table"]}["saving (assumptions)"]
    assert (saving[plan], saving[no_transport]) == (9, 7.5)
    bad = bomay("--store", db, "scenario", "impact", plan, "--saving", "transport=2")
    assert bad.returncode == 1 and "saving.transport" in bad.stderr
    # a plan run from its file: the flags change only what they name in its assumptions
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(yaml.safe_dump({**PLAN, "assumptions": NO_TRANSPORT},
                                        allow_unicode=True), encoding="utf-8")
    ran = json.loads(ok("scenario", "run", str(plan_file), "--data", str(DATA / "r_bac_ninh"),
                        "--saving", "finance_accounting=1", "--json").stdout)
    assert ran["headcount"]["saving_total"] == 24.5


def test_a_notebook_run_changes_only_the_assumptions_it_names(tmp_path):
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(yaml.safe_dump({**PLAN, "assumptions": NO_TRANSPORT},
                                        allow_unicode=True), encoding="utf-8")
    store = new_store(tmp_path / "bn.db")
    try:
        run = run_plan(store, plan_file, assumptions={"support_saving": "finance_accounting:1"})
    finally:
        store.close()
    # the plan's transport 0 stays (the query's support_saving replaced the plan's whole)
    assert run.impact["assumptions"]["support_saving"]["transport"] == 0
    assert run.impact["headcount"]["saving_total"] == 24.5


# -- 2. an ended unit's 404 says what took its place --------------------------------------------
def test_an_ended_unit_s_404_names_what_superseded_it(client):
    sid = create(client, PLAN["assumptions"])
    # read against the scenario, before it is committed: the scenario's successor
    r = client.get(f"/scenarios/{sid}/units/bg-ldld", params={"at": AFTER})
    assert r.status_code == 404 and r.json()["superseded_by"][0]["id"] == "bn25-ldld"
    assert client.post(f"/scenarios/{sid}/commit").status_code == 200

    r = client.get("/units/bg-ldld", params={"at": AFTER})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    # the unit's own answer (any date) gives the same lineage: event id, date, type, name
    own = client.get("/units/bg-ldld").json()["superseded_by"]
    assert body["superseded_by"] == own
    assert [(s["id"], s["name"], s["date"], s["type"]) for s in own] == [
        ("bn25-ldld", LDLD, AT, "CONSOLIDATE")]
    event = own[0]["event"]
    # units.csv: LĐLĐ tỉnh Bắc Giang from 1997-01-01; ended by the merger on 2025-07-01
    assert (body["unit"], body["at"], body["valid_from"], body["valid_to"], body["reason"]) == (
        "bg-ldld", AFTER, "1997-01-01", AT, "consolidated")
    assert body["detail"] == (
        f"unit 'bg-ldld' (LĐLĐ tỉnh Bắc Giang) did not exist on {AFTER}: it existed from "
        f"1997-01-01 until {AT} (exclusive); it was consolidated on {AT} into bn25-ldld "
        f"({LDLD}) (event {event})")
    assert body["errors"][0]["superseded_by"] == ["bn25-ldld"]
    assert body["successors_on_date"] == [{"id": "bn25-ldld", "name": LDLD,
                                           "valid_from": AT, "valid_to": None}]
    # following it lands on the new unit: Bắc Ninh's place under the new Front
    new = client.get(f"/units/{body['successors_on_date'][0]['id']}", params={"at": AFTER})
    assert new.status_code == 200 and new.json()["parent"]["id"] == "bn25-mttq"
    # every read of a unit on a date says the same (children, posts, stats under it)
    for url, params in (("/units/bg-ldld/children", {"at": AFTER}),
                        ("/units/bg-ldld/posts", {"at": AFTER}),
                        ("/stats", {"root": "bg-ldld", "at": AFTER})):
        r = client.get(url, params=params)
        assert r.status_code == 404 and r.json()["superseded_by"] == own, url
    # before it began: what it was formed from
    r = client.get("/units/bn25-ldld", params={"at": "2025-06-30"})
    assert r.status_code == 404
    assert {s["id"] for s in r.json()["supersedes"]} == {"bg-ldld", "bn-ldld"}
    assert f"it was formed on {AT} from bg-ldld (LĐLĐ tỉnh Bắc Giang), bn-ldld ({LDLD})" \
        in r.json()["detail"]


def test_the_documented_404_is_the_live_answer(seed):
    from api.schemas import _PROBLEM_404, PROBLEM_404_REQUEST

    spec = seed.get("/openapi.json").json()
    documented = spec["paths"]["/units/{unit_id}"]["get"]["responses"]["404"]["content"][
        "application/problem+json"]["example"]
    live = seed.get(PROBLEM_404_REQUEST).json()
    assert _PROBLEM_404 == live
    # (the document leaves out the null members)
    assert documented["detail"] == live["detail"]
    assert documented["superseded_by"] == live["superseded_by"]


def test_a_chain_of_mergers_leads_to_the_unit_of_the_date(client):
    sid = create(client, PLAN["assumptions"])
    assert client.post(f"/scenarios/{sid}/commit").status_code == 200
    # a later what-if: the new Labour Federation merged into the new Front on 2025-09-01
    r = client.post("/scenarios", json={"name": "Sáp nhập LĐLĐ vào MTTQ", "at": "2025-09-01",
                                        "operations": [{"op": "merge", "into": "bn25-mttq",
                                                        "units": ["bn25-ldld"]}]})
    assert r.status_code == 201, r.text
    later = r.json()["id"]
    body = client.get(f"/scenarios/{later}/units/bg-ldld", params={"at": "2025-09-02"}).json()
    assert body["status"] == 404 and [s["id"] for s in body["superseded_by"]] == ["bn25-ldld"]
    assert [s["id"] for s in body["successors_on_date"]] == ["bn25-mttq"]
    assert "; on 2025-09-02 its place is held by bn25-mttq (" in body["detail"]


def test_the_cli_says_what_superseded_an_ended_unit(tmp_path):
    path = tmp_path / "bn.db"
    store = new_store(path)
    service = ScenarioService(store)
    service.commit(save(service))
    store.close()
    r = bomay("--store", str(path), "show", "bg-ldld", "--at", AFTER)
    assert r.returncode == 1
    assert f"did not exist on {AFTER}: it existed from 1997-01-01 until {AT} (exclusive); it " \
           f"was consolidated on {AT} into bn25-ldld ({LDLD})" in r.stderr
    shown = json.loads(ok("--store", str(path), "show", "bn25-ldld", "--at", AFTER,
                          "--json").stdout)
    assert shown["unit"]["name"] == LDLD


# -- 3. an unknown query parameter is refused ---------------------------------------------------
def test_an_unknown_query_parameter_is_a_422_naming_it(seed):
    r = seed.get("/units", params={"root": "mc", "at": "2018-08-07"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["detail"].startswith("'root': unknown query parameter of GET /units, which "
                                     "accepts area, at, format, kind, level")
    (error,) = body["errors"]
    assert (error["field"], error["value"]) == ("root", "mc")
    assert error["accepted"] == ["area", "at", "format", "kind", "level", "limit", "offset", "q"]
    assert error["hint"].startswith("the units under mc: GET /units/mc/subtree")
    # what the hint says: the subtree answers, and so does the area's listing
    assert seed.get("/units/mc/subtree", params={"at": "2018-08-07"}).status_code == 200
    area = seed.get("/units", params={"area": "mc", "at": "2018-08-07"}).json()["total"]
    stats = seed.get("/stats", params={"root": "mc", "at": "2018-08-07"}).json()
    assert stats["units"] == 1 + area == 17
    # an area's own figures: its units as the area listing gives them
    assert seed.get("/stats", params={"area": "mc", "at": "2018-08-07"}).json()["units"] == area

    for url, params, name in (("/units", {"kindd": "party_board"}, "kindd"),
                              ("/units/mc/children", {"limt": "5"}, "limt"),
                              ("/units/mc", {"at": "2018-08-07", "depth": "2"}, "depth"),
                              ("/search", {"q": "mong cai", "lang": "en"}, "lang"),
                              ("/stats", {"format": "csv"}, "format"),
                              ("/scenarios", {"foo": ""}, "foo")):
        r = seed.get(url, params=params)
        assert r.status_code == 422, (url, r.text)
        assert [e["field"] for e in r.json()["errors"]] == [name], url


def test_what_routes_read_besides_their_declared_parameters_still_passes(seed, client):
    # a listing's format (the CSV hook), its own paging of a listing with no limit
    r = seed.get("/units/mc/ancestors", params={"at": "2018-08-07", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    r = seed.get("/units", params={"area": "mc", "at": "2018-08-07", "format": "json"})
    assert r.status_code == 200 and r.json()["total"] == 16
    assert seed.head("/units", params={"at": "2018-08-07"}).status_code == 200
    # the pages take what a browser adds
    assert seed.get("/viz/units/mc", params={"at": "2018-08-07", "utm_source": "x"}
                    ).status_code == 200
    # the assumptions read by pattern
    sid = create(client, PLAN["assumptions"])
    rep = headcount(client, sid, **{"saving.office_admin": "0", "single_holder_roles": "head"})
    assert rep["assumptions"]["single_holder_roles"] == ["head"]
    r = client.get(f"/scenarios/{sid}/impact", params={"support_staf": "3"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "support_staf"
    assert "support_staff" in r.json()["errors"][0]["accepted"]


def test_every_documented_query_parameter_is_accepted(seed):
    """Each GET of the OpenAPI document, sent with every query parameter it documents (its
    example, else a word): never refused as unknown."""
    spec = seed.get("/openapi.json").json()
    checked = 0
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        params = {}
        url = path
        for p in get.get("parameters", ()):
            schema = p.get("schema", {})
            examples = p.get("examples") or schema.get("examples") or [
                (schema.get("enum") or [None, "x"])[1] or "x"]
            value = examples[0] if not isinstance(examples, dict) else next(
                iter(examples.values())).get("value")
            if p["in"] == "path":
                url = url.replace("{" + p["name"] + "}", str(value))
            elif p["in"] == "query":
                params[p["name"]] = "true" if schema.get("type") == "boolean" else str(value)
        if not params:
            continue
        r = seed.get(url, params=params)
        problem = r.json() if r.headers.get("content-type", "").endswith("problem+json") else {}
        assert "unknown query parameter" not in problem.get("detail", ""), (url, params, problem)
        checked += 1
    assert checked >= 20
