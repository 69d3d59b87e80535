"""The query API over HTTP on tests/data/chain: A+B→C on 2018-07-01, C split into D and E on
2020-01-01. As-of boundaries, lineage through chains, search, errors, ETags, a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app


@pytest.fixture
def client(chain_store):
    return TestClient(create_app(chain_store))


def ids(items):
    return [i["id"] if "id" in i else i["unit"]["id"] for i in items]


@pytest.mark.parametrize("at,expected", [
    ("2018-06-30", ["a", "ubkt"]),   # the day before the consolidation
    ("2018-07-01", ["c", "ubkt"]),   # the day of it: valid_to is exclusive
    ("2019-12-31", ["c", "ubkt"]),
    ("2020-01-01", ["d", "ubkt"]),   # the day of the split
])
def test_children_on_both_sides_of_an_event(client, at, expected):
    body = client.get("/units/tu/children", params={"at": at}).json()
    assert ids(body["items"]) == expected and body["total"] == len(expected)


def test_a_unit_outside_its_lifetime_is_a_404_saying_when_it_existed(client):
    assert client.get("/units/a", params={"at": "2018-06-30"}).status_code == 200
    response = client.get("/units/a", params={"at": "2018-07-01"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "from 2000 until 2018-07-01" in response.json()["detail"]
    assert client.get("/units/a").status_code == 200  # without `at`: whatever its lifetime


def test_units_list_filters_as_of_a_date(client):
    before = client.get("/units", params={"at": "2018-06-30", "kind": "party_board"}).json()
    after = client.get("/units", params={"at": "2018-07-01", "kind": "party_board"}).json()
    assert ids(before["items"]) == ["a"] and ids(after["items"]) == ["c"]
    page = client.get("/units", params={"at": "2018-07-01", "limit": 2, "offset": 1}).json()
    everything = client.get("/units", params={"at": "2018-07-01"}).json()
    assert page["total"] == everything["total"] == 5
    assert ids(page["items"]) == ids(everything["items"])[1:3]


def test_lineage_is_transitive_through_a_chain_of_events(client):
    body = client.get("/units/e/lineage").json()
    preds = {(i["unit"]["id"], i["depth"], i["event"]["id"]) for i in body["predecessors"]}
    assert preds == {("c", 1, "ev-split"), ("a", 2, "ev-consolidate"), ("b", 2, "ev-consolidate")}
    assert body["successors"] == []
    succ = client.get("/units/a/lineage").json()["successors"]
    assert {(i["unit"]["id"], i["depth"]) for i in succ} == {("c", 1), ("d", 2), ("e", 2)}
    event = next(i["event"] for i in succ if i["unit"]["id"] == "c")
    assert (event["date"], event["type"], event["basis"]) == ("2018-07-01", "CONSOLIDATE", ["doc-plan"])


def test_ancestors_and_subtree_as_of_a_date(client):
    anc = client.get("/units/b/ancestors", params={"at": "2018-06-30"}).json()
    assert ids(anc["items"]) == ["ubnd", "city"]
    tree = client.get("/units/city/subtree", params={"at": "2020-01-01"}).json()
    flat = []

    def walk(node):
        flat.append(node["unit"]["id"])
        for child in node["children"]:
            walk(child)
    walk(tree)
    assert sorted(flat) == ["city", "d", "e", "tu", "ubkt", "ubnd"]
    shallow = client.get("/units/city/subtree", params={"at": "2020-01-01", "depth": 1}).json()
    assert [c["children"] for c in shallow["children"]] == [[], []]


def test_history_of_a_unit_in_date_order(client):
    items = client.get("/units/c/history").json()["items"]
    dates = [i["date"] for i in items]
    assert dates == sorted(dates)
    events = [i["id"] for i in items if i["type"] == "event"]
    assert events == ["ev-consolidate", "ev-split"]


def test_diff_between_two_dates_with_explaining_events(client):
    body = client.get("/diff", params={"from": "2018-06-30", "to": "2018-07-01", "root": "tu"}).json()
    assert ids(body["added"]) == ["c"] and ids(body["removed"]) == ["a"]
    assert body["added"][0]["events"] == ["ev-consolidate"]
    assert body["summary"]["headcount_before"] == 10 and body["summary"]["headcount_after"] == 15


@pytest.mark.parametrize("query,first", [
    ("ban to chuc thanh uy", "a"),        # no diacritics
    ("Ban Tổ chức Thành ủy", "a"),         # with them
    ("uy ban kiem tra", "ubkt"),
    ("UBKT", "ubkt"),                      # abbreviation
    ("home affairs", "b"),                 # English name
    ("phong noi vu", "b"),
])
def test_search_ignores_diacritics_and_knows_abbreviations(client, query, first):
    items = client.get("/search", params={"q": query, "at": "2018-01-01"}).json()["items"]
    assert items and items[0]["unit"]["id"] == first


def test_search_as_of_a_date_only_finds_units_that_exist(client):
    items = client.get("/search", params={"q": "phong noi vu", "at": "2020-06-01"}).json()["items"]
    assert ids(items) == ["e"]
    # without `at`, today: the unit ended in 2018 is not offered
    assert "b" not in ids(client.get("/search", params={"q": "phong noi vu"}).json()["items"])


def test_events_documents_people_and_posts(client):
    events = client.get("/events", params={"unit": "c"}).json()["items"]
    assert ids(events) == ["ev-consolidate", "ev-split"]
    doc = client.get("/documents/doc-plan").json()
    assert doc["code"] == "01-KH/TU" and ids(doc["events"]) == ["ev-consolidate", "ev-split"]
    person = client.get("/people/p1").json()
    assert {(p["unit"]["id"], p["role"]) for p in person["posts"]} == {
        ("tu", "secretary"), ("ubnd", "chair"), ("c", "head")}
    posts = client.get("/units/c/posts", params={"at": "2019-01-01"}).json()["items"]
    assert [(p["role"]) for p in posts] == ["head"]


def test_stats_count_units_headcount_and_concurrent_posts(client):
    body = client.get("/stats", params={"at": "2018-07-01", "root": "city"}).json()
    assert body["units"] == 5 and body["headcount"]["total"] == 15
    assert body["by_kind"]["party_board"] == 1 and body["people_with_concurrent_posts"] == 1


def test_the_error_shape_is_pinned(client):
    missing = client.get("/units/nope")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    body = missing.json()
    assert set(body) >= {"type", "title", "status", "detail"}
    assert (body["status"], body["title"]) == (404, "Not found")
    bad = client.get("/units", params={"at": "2018-02-30"})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["errors"][0]["field"] == "at"
    assert client.get("/units", params={"limit": -1}).json()["errors"][0]["field"] == "limit"


@pytest.mark.parametrize("path", [
    "/units?at=yesterday", "/units/a/subtree?depth=-3", "/diff?from=2018&to=x", "/path?from=a",
    "/events?type=EXPLODE&from=2018-99", "/units/%00/lineage", "/search?q=", "/snapshot?at=0000",
])
def test_odd_input_is_never_a_500(client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500, (path, response.text)
    assert response.headers["content-type"] == "application/problem+json"


def test_reads_carry_an_etag_and_answer_304(client):
    first = client.get("/units/a")
    etag = first.headers["etag"]
    again = client.get("/units/a", headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client.get("/units/b")
    assert other.headers["etag"] != etag


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_real_server_process_answers_over_http(tmp_path, data_dir):
    store = tmp_path / "server.db"
    env = {**os.environ, "BOMAY_STORE": str(store)}
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port),
                             "--seed", str(data_dir / "chain")], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert health.json()["counts"]["units"] == 9
        lineage = httpx.get(f"http://127.0.0.1:{port}/units/c/lineage", timeout=5).json()
        assert {i["unit"]["id"] for i in lineage["predecessors"]} == {"a", "b"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
