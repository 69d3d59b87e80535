"""The API answers the same on both backends: the same GET requests, through real HTTP
handling (Starlette's TestClient over `create_app`), against an embedded store and a
real Neo4j loaded with the same data (the bundled dataset, a synthetic two-province one),
must give the same status and the same JSON body."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset
from tests.graph.conftest import neo4j_settings

REPO = Path(__file__).parent.parent.parent.parent

pytestmark = pytest.mark.neo4j


def _urls(dataset, dates: list[str]) -> list[str]:
    units = sorted(dataset.units, key=lambda u: u.id)
    step = max(1, len(units) // 25)
    sample = [u.id for u in units[::step]]
    names = [u.name for u in units[::step * 3]] + [u.abbr for u in units if u.abbr][:5]
    # every area, and every area a unit had before it moved (names.csv `area`)
    areas = sorted({u.area for u in dataset.units if u.area}
                   | {n.area for n in dataset.names if n.area})
    urls = ["/health", "/events", "/units?limit=1000", "/units?kind=party_board&limit=7&offset=2"]
    for at in dates:
        urls += [f"/units?at={at}&limit=20&offset=5", f"/stats?at={at}", f"/snapshot?at={at}&depth=2",
                 f"/units?at={at}&level=province"]
        urls += [f"/units?at={at}&area={a}&limit=500" for a in areas[:40]]
        urls += [f"/units?at={at}&area={a}&limit=2&offset=1" for a in areas[:5]]
        for uid in sample:
            urls += [f"/units/{uid}?at={at}", f"/units/{uid}/children?at={at}",
                     f"/units/{uid}/subtree?at={at}", f"/units/{uid}/subtree?at={at}&depth=1",
                     f"/units/{uid}/ancestors?at={at}", f"/units/{uid}/posts?at={at}",
                     f"/stats?at={at}&root={uid}"]
        for text in names:
            urls.append(f"/search?q={text}&at={at}")
    for uid in sample:
        urls += [f"/units/{uid}", f"/units/{uid}/lineage", f"/units/{uid}/history",
                 f"/diff?from={dates[0]}&to={dates[-1]}&root={uid}"]
    urls.append(f"/diff?from={dates[0]}&to={dates[-1]}")
    return urls


def _compare(tmp_path, dataset, dates):
    from graph.neo4j.store import Neo4jStore
    embedded = EmbeddedStore(tmp_path / "parity.db")
    neo4j = Neo4jStore.from_env(neo4j_settings())
    try:
        neo4j.wipe()
        embedded.replace_dataset(dataset)
        neo4j.replace_dataset(dataset)
        settings = Settings(default_at="2020-01-01")
        a, b = TestClient(create_app(embedded, settings)), TestClient(create_app(neo4j, settings))
        urls = _urls(dataset, dates)
        for url in urls:
            got_a, got_b = a.get(url), b.get(url)
            assert got_a.status_code == got_b.status_code, url
            body_a, body_b = got_a.json(), got_b.json()
            if url == "/health":
                body_a.pop("revision"), body_b.pop("revision")
            assert body_a == body_b, url
        return len(urls)
    finally:
        embedded.close()
        neo4j.close()


def test_the_bundled_dataset_answers_the_same(tmp_path):
    asked = _compare(tmp_path, read_dataset(REPO / "data" / "seed"),
                     ["2017-04-20", "2018-08-07", "2020-02-11"])
    assert asked > 300


def test_a_synthetic_dataset_answers_the_same(tmp_path):
    from loaders.synth import generate
    generate(tmp_path / "synth", provinces=1, seed=3)
    dataset = read_dataset(tmp_path / "synth")
    today = dt.date.today().isoformat()
    asked = _compare(tmp_path, dataset, ["2015-01-01", "2024-06-01", today])
    assert asked > 300


def test_units_that_moved_answer_the_same(tmp_path):
    """tests/data/c_moved: two bodies whose area names.csv dates (they moved on 2025-07-01)."""
    asked = _compare(tmp_path, read_dataset(REPO / "tests" / "data" / "c_moved"),
                     ["2012-01-01", "2025-06-30", "2025-07-01"])
    assert asked > 100
