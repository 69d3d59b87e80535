"""A lone UTF-16 surrogate in a write's JSON body is a 422 naming the field, never a 500
(it was: a scenario named "\\ud800" failed when the store encoded it), and nothing is
saved; a proper surrogate pair is text and is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.surrogates import lone_surrogate_field
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[1] / "data"
TOKEN = "surrogate-tests-token-0123456789"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


@pytest.fixture
def client(tmp_path):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(DATA / "s_city"))
    with TestClient(create_app(store, Settings(default_at="2018-01-01",
                                               tokens={"tests": TOKEN}))) as c:
        yield c
    store.close()


def test_a_lone_surrogate_in_a_scenario_name_is_a_422_naming_the_field(client):
    body = b'{"name": "Plan \\ud800", "at": "2018-01-01"}'
    r = client.post("/scenarios", content=body, headers=HEADERS)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["errors"][0]["field"] == "name"
    assert "surrogate" in problem["detail"]
    assert client.get("/scenarios").json()["total"] == 0  # nothing saved


def test_a_lone_surrogate_deep_in_an_operation_is_named_by_its_path(client):
    body = (b'{"name": "Plan", "at": "2018-01-01", "operations": [{"op": "rename", '
            b'"unit": "btc", "name": "Ban \\udc00"}]}')
    r = client.post("/scenarios", content=body, headers=HEADERS)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "operations.0.name"


def test_a_surrogate_pair_is_text_and_is_kept(client):
    body = b'{"name": "Plan \\ud83d\\ude00", "at": "2018-01-01"}'
    r = client.post("/scenarios", content=body, headers=HEADERS)
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "Plan \U0001F600"


def test_the_check_reads_only_bodies_that_escape_a_surrogate():
    assert lone_surrogate_field(b'{"a": "\\u00e9"}') is None
    assert lone_surrogate_field(b'["\\uD800"]') == "0"
    assert lone_surrogate_field(b'{"a": {"b": "x\\uDFFF"}}') == "a.b"
    assert lone_surrogate_field(b'not json \\ud800') is None
