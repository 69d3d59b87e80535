"""GET /units/{id}/subtree under `Settings.max_units` on a real Neo4j server: the size bound
and the answer come from one query (`answer:subtree_within:*`), and the outcome equals
the embedded store's (`api.bounds.check_tree` then the walk) at every cap around the
tree's own size: the same 200 body, or the same 422 problem.

Real parts: a synthetic province in a SQLite file and in Neo4j, `create_app` under
Starlette's TestClient, the query log of `graph.neo4j.plumbing.run`."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.graph.conftest import install_query_log, synthetic_pair

pytestmark = pytest.mark.neo4j

AT = "2025-06-30"


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    dataset, embedded, neo4j = synthetic_pair(tmp_path_factory.mktemp("bound"), seed=7)
    province = next(u.id for u in sorted(dataset.units, key=lambda u: u.id)
                    if u.kind == "province")
    yield embedded, neo4j, province
    embedded.close()
    neo4j.close()


def _clients(stores, cap: int):
    embedded, neo4j, _ = stores
    settings = Settings(default_at=AT, max_units=cap)
    return TestClient(create_app(embedded, settings)), TestClient(create_app(neo4j, settings))


@pytest.mark.parametrize("depth", [None, 0, 1, 2, 3])
def test_the_bound_refuses_and_answers_as_the_embedded_store(stores, monkeypatch, depth):
    embedded, neo4j, province = stores
    query = f"?at={AT}" + (f"&depth={depth}" if depth is not None else "")
    url = f"/units/{province}/subtree{query}"
    size = embedded.units_under([province], dt.date.fromisoformat(AT), depth, 100_000)
    assert size >= (1 if depth == 0 else 5)
    for cap in sorted({1, max(1, size - 1), size, size + 1}):
        want_client, client = _clients(stores, cap)
        want = want_client.get(url)
        log = install_query_log(monkeypatch)
        got = client.get(url)
        names = log.names()
        monkeypatch.undo()
        assert got.status_code == want.status_code, (cap, size, got.text[:300])
        assert got.json() == want.json(), (cap, size)
        assert want.status_code == (200 if size <= cap else 422), (cap, size)
        walks = [n for n in names if n.startswith("answer:")]
        assert len(walks) == 1 and walks[0].startswith("answer:subtree_within:"), names


def test_a_refused_tree_is_not_read(stores, monkeypatch):
    """Above the cap the one query returns the count and no rows."""
    _, neo4j, province = stores
    kept, neo4j.answer_cache_units = neo4j.answer_cache_units, 0  # ask the server
    try:
        found = neo4j.sourced_subtree_within(province, dt.date.fromisoformat(AT), None, 10)
        assert found == 11  # counted up to cap + 1, as units_under does
        tree = neo4j.sourced_subtree_within(province, dt.date.fromisoformat(AT), 1, 10_000)
        assert tree == neo4j.sourced_subtree(province, dt.date.fromisoformat(AT), 1)
    finally:
        neo4j.answer_cache_units = kept
