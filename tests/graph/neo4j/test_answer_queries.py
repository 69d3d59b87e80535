"""How many queries one API answer sends to a real Neo4j server: a bound per answer that
does not grow with the number of units it holds (a regression guard: a province subtree
was 15,108 queries, a unit 20, a units page 52, a province diff 17,088), and the same
answer as the embedded store.

Every query goes through `graph.neo4j.plumbing.run` (`install_query_log` records them);
the server, the HTTP handling (`create_app` under Starlette's TestClient) and the data
(a synthetic province of ~700 units on two dates around its reform) are real."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.graph.conftest import install_query_log, synthetic_pair

pytestmark = pytest.mark.neo4j

BEFORE, AFTER = "2025-06-30", "2025-07-01"


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    dataset, embedded, neo4j = synthetic_pair(tmp_path_factory.mktemp("answers"), seed=5)
    settings = Settings(default_at=BEFORE)
    clients = (TestClient(create_app(embedded, settings)), TestClient(create_app(neo4j, settings)))
    yield embedded, neo4j, dataset, clients
    embedded.close()
    neo4j.close()


def _ask(stores, monkeypatch, url: str) -> tuple[int, int]:
    """(queries sent for `url`, units in its answer); the body equals the embedded one."""
    want_client, client = stores[3]
    want = want_client.get(url)
    log = install_query_log(monkeypatch)
    got = client.get(url)
    sent = len(log.sent)
    monkeypatch.undo()
    assert got.status_code == want.status_code == 200, (url, got.text[:300])
    assert got.json() == want.json(), url
    return sent, got.text.count('"valid_from"')


def _asked(client, monkeypatch, url: str) -> tuple[dict, list[str]]:
    """The answer to `url` and the names of the queries it sent."""
    log = install_query_log(monkeypatch)
    got = client.get(url)
    names = log.names()
    monkeypatch.undo()
    assert got.status_code == 200, (url, got.text[:300])
    return got.json(), names


def _province(stores) -> str:
    dataset = stores[2]
    return next(u.id for u in sorted(dataset.units, key=lambda u: u.id) if u.kind == "province")


# A subtree: the root looked up twice (the route, the query), the revision (the answer
# cache's key, graph.neo4j.store.ANSWER_CACHE_UNITS) before its one query (the size bound
# of api.bounds and the subtree together, answer:subtree_within) and for the ETag. A units page: the
# revision, the count (kept per revision), the page, its parents, the ETag's revision.
@pytest.mark.parametrize("url, bound", [
    ("/units/{p}/subtree?at={before}", 5),
    ("/units/{p}/subtree?at={after}", 5),
    ("/units/{p}/subtree?at={before}&depth=2", 5),
    ("/units/{p}?at={before}", 2),
    ("/units/{p}", 3),
    ("/units/{p}/history", 3),
    ("/units/{p}/children?at={before}", 4),
    ("/units?at={before}&limit=200", 5),
    ("/units?at={after}&level=commune&limit=100&offset=10", 5),
    # `ubnd` also asks for its written-out form (ủy ban nhân dân): more hits than Lucene's
    # first read holds, so the candidates are read again from every hit (one query more)
    ("/search?q=ubnd&at={before}", 6),
])
def test_an_answer_is_a_few_queries_whatever_its_size(stores, monkeypatch, url, bound):
    sent, units = _ask(stores, monkeypatch,
                       url.format(p=_province(stores), before=BEFORE, after=AFTER))
    assert sent <= bound, (url, sent)
    if "subtree" in url and "depth" not in url or url.startswith("/units?"):
        assert units >= 100  # big enough that one query a unit could not pass the bound


def test_a_province_diff_is_a_few_queries_per_level_not_per_unit(stores, monkeypatch):
    # the scope is walked one level of the tree at a time (both dates): its queries grow
    # with the depth of the hierarchy, never with the units in it
    sent, _ = _ask(stores, monkeypatch,
                   f"/diff?from={BEFORE}&to={AFTER}&root={_province(stores)}")
    neo4j = stores[1]
    assert neo4j.units_under([_province(stores)], dt.date.fromisoformat(BEFORE), None,
                             10_000) >= 100
    assert sent <= 30, sent


def test_every_unit_detail_is_two_queries(stores, monkeypatch):
    """The unit's answer read in one query (`unit_view`) plus the revision of its ETag, for
    units of every kind (with posts, links, events), on both sides of the reform."""
    dataset = stores[2]
    sample = sorted(dataset.units, key=lambda u: u.id)[::40]
    for unit in sample:
        for at in (BEFORE, AFTER):
            if not unit.valid_at(dt.date.fromisoformat(at)):
                continue
            sent, _ = _ask(stores, monkeypatch, f"/units/{unit.id}?at={at}")
            assert sent <= 2, (unit.id, at, sent)


def test_a_repeated_subtree_is_answered_from_the_kept_rows_of_its_revision(stores, monkeypatch):
    """The second ask sends no walk (index seeks only: the root, the revision) and answers
    the same body; a new revision (a reload) walks again."""
    _, neo4j, dataset, (_, client) = stores
    url = f"/units/{_province(stores)}/subtree?at={AFTER}&depth=3"
    first = client.get(url)
    again, names = _asked(client, monkeypatch, url)
    assert again == first.json()
    assert not [n for n in names if n.startswith("answer:")], names
    assert len(names) == 3, names  # the route's root, the revision (the cache), the ETag's
    neo4j.replace_dataset(dataset)  # same data, a new revision: nothing kept applies
    fresh, names = _asked(client, monkeypatch, url)
    assert fresh == first.json()
    assert "answer:subtree_within:4" in names, names  # the bound and the walk: one query
    assert not [n for n in names if n.startswith("answer:units_under")], names


@pytest.mark.parametrize("root", [None, "province"])
def test_repeated_stats_are_answered_from_the_counts_kept_for_their_revision(stores, monkeypatch,
                                                                             root):
    """A national count aggregates the whole generation (seconds at national size): the
    second ask sends no aggregation and answers the same body; a new revision counts again."""
    _, neo4j, dataset, (want_client, client) = stores
    url = f"/stats?at={AFTER}" + (f"&root={_province(stores)}" if root else "")
    first = client.get(url)
    assert first.status_code == 200 and first.json() == want_client.get(url).json()
    again, names = _asked(client, monkeypatch, url)
    assert again == first.json()
    assert not [n for n in names if n.startswith(("stats_", "scope_level"))], names
    neo4j.replace_dataset(dataset)  # same data, a new revision: nothing kept applies
    fresh, names = _asked(client, monkeypatch, url)
    assert fresh == first.json()
    assert [n for n in names if n.startswith("stats_units")], names
