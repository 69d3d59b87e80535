"""Errors are problem+json (pinned here), never a 500 whatever the input; reads carry ETags;
the unit endpoints can be mounted under a prefix with its own parameter (scenarios)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from api.problems import install_problem_handlers
from api.responses import OrjsonResponse
from api.routes.queries import make_queries_router
from api.routes.units import make_units_router
from api.settings import Settings
from graph.errors import NotFound


def test_the_422_shape_is_pinned(town):
    r = town.get("/units/ubkt/subtree", params={"at": "2019-02-29", "depth": 2})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json() == {
        "type": "/problems/invalid-parameter",
        "title": "Invalid parameter", "status": 422,
        "detail": "at: impossible date: 2019-02 has no day 29",
        "errors": [{"field": "at", "message": "impossible date: 2019-02 has no day 29",
                    "value": "2019-02-29"}]}


def test_a_framework_validation_error_has_the_same_shape(town):
    r = town.get("/units/ubkt/subtree", params={"depth": "deep"})
    body = r.json()
    assert r.status_code == 422 and set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["title"] == "Invalid parameter" and body["errors"][0]["field"] == "depth"
    assert body["errors"][0]["value"] == "deep"


def test_the_404_shape_is_pinned(town):
    r = town.get("/units/nope/lineage")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json() == {"type": "/problems/not-found", "title": "Not found",
                        "status": 404, "detail": "no unit with id 'nope'",
                        "errors": [{"field": "unit_id", "message": "unknown unit id",
                                    "value": "nope"}]}


PATHS = ["/units", "/units/{u}", "/units/{u}/children", "/units/{u}/subtree",
         "/units/{u}/ancestors", "/units/{u}/lineage", "/units/{u}/history", "/units/{u}/posts",
         "/snapshot", "/search", "/diff", "/stats", "/path", "/events", "/events/{u}",
         "/documents/{u}", "/people/{u}"]
PARAMS = ["at", "from", "to", "root", "depth", "limit", "offset", "q", "kind", "level", "area",
          "type", "unit", "basis"]
texts = st.one_of(
    st.sampled_from(["", "0", "-1", "2018", "2018-07-01", "2018-02-30", "9999-12-31",
                     "0001-01-01", "0000", "hu", "ubkt", "town", "1e9", "99999999999999999999",
                     "%", "../", "null", "Ủy ban", "ĐẢNG", "\u0301", "MERGE", "party_board"]),
    st.text(max_size=30))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), unit=texts,
       params=st.dictionaries(st.sampled_from(PARAMS), texts, max_size=5))
def test_no_input_is_a_500(town, path, unit, params):
    assume(not unit.startswith("."))  # a dot segment would leave the API for the HTML pages
    r = town.get(path.replace("{u}", quote(unit, safe="") or "x"), params=params)
    assert r.status_code < 500, (path, unit, params, r.text)
    if r.status_code >= 400:
        assert r.headers["content-type"] == "application/problem+json"
        assert set(r.json()) >= {"type", "title", "status", "detail"}


def test_far_dates_are_answers_not_errors(town):
    for at in ("0001-01-01", "9999-12-31", "9999"):
        assert town.get("/stats", params={"at": at}).status_code == 200
        assert town.get("/snapshot", params={"at": at}).status_code == 200
    assert town.get("/diff", params={"from": "0001-01-01", "to": "9999-12-31"}).status_code == 200
    assert town.get("/units/hu", params={"at": "9999-12-31"}).status_code == 200


# -- ETags -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/units/hu", "/units/hu/subtree", "/units/ubkt/lineage",
                                  "/search?q=ubkt", "/stats", "/events", "/people/p-an"])
def test_reads_answer_304_to_their_own_etag(town, path):
    first = town.get(path)
    etag = first.headers["etag"]
    assert etag.startswith('"') and first.status_code == 200
    again = town.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert town.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_etag_changes_with_the_date_and_with_the_data(tmp_path, data_dir):
    from api.app import create_app
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset

    store = EmbeddedStore(tmp_path / "e.db")
    store.replace_dataset(read_dataset(data_dir / "q_town"))
    client = TestClient(create_app(store))
    a = client.get("/units/hu/children", params={"at": "2018-01-01"}).headers["etag"]
    b = client.get("/units/hu/children", params={"at": "2019-06-01"}).headers["etag"]
    assert a != b
    store.replace_dataset(read_dataset(data_dir / "q_town"))  # same data, a new revision
    r = client.get("/units/hu/children", params={"at": "2018-01-01"}, headers={"If-None-Match": a})
    assert r.status_code == 200 and r.headers["etag"] != a
    store.close()


# -- mounting the endpoints under a prefix with a parameter (as the scenarios do) -------------------
def test_the_routers_mount_under_a_prefix_whose_parameter_only_the_dependency_takes(data_dir):
    from graph.embedded.memory import MemoryGraph
    from loaders import read_dataset

    states = {"s1": MemoryGraph(read_dataset(data_dir / "chain")),
              "s2": MemoryGraph(read_dataset(data_dir / "q_town"))}

    def state_reader(scenario_id: str, request: Request):
        if scenario_id not in states:
            raise NotFound(f"no scenario with id {scenario_id!r}")
        return states[scenario_id]

    app = FastAPI(default_response_class=OrjsonResponse)
    app.state.settings = Settings(default_at="2019-06-01")
    install_problem_handlers(app)
    app.include_router(make_units_router(state_reader, prefix="/scenarios/{scenario_id}"))
    app.include_router(make_queries_router(state_reader, prefix="/scenarios/{scenario_id}"))
    client = TestClient(app)
    assert client.get("/scenarios/s1/units/c").json()["unit"]["name"] == "Ban Tổ chức - Nội vụ"
    assert client.get("/scenarios/s2/units/hu/children").json()["total"] == 5
    assert client.get("/scenarios/s2/search", params={"q": "ubkt"}).json()["items"][0]["unit"][
        "id"] == "ubkt"
    assert client.get("/scenarios/s1/units/ubkt/lineage").status_code == 200
    missing = client.get("/scenarios/nope/units/c")
    assert missing.status_code == 404 and missing.json()["detail"] == "no scenario with id 'nope'"
    assert client.get("/scenarios/s2/units/c").status_code == 404  # not in that state
    params = app.openapi()["paths"]["/scenarios/{scenario_id}/units/{unit_id}"]["get"]["parameters"]
    assert {p["name"] for p in params if p["in"] == "path"} == {"scenario_id", "unit_id"}


def test_a_read_today_by_default(chain):
    today = dt.date.today().isoformat()
    assert chain.get("/units/tu/children").json()["at"] == today
    assert chain.get("/stats").json()["at"] == today
