"""A Neo4j store loaded by an older reading of the names' forms holds old `search_words`
(`graph.neo4j.search_migration`): opened again, it folds them again in batches and records
the version on its Meta node, so that search finds what the new reading finds. On a real
server (NEO4J_URI), tests/data/f_doan (the Youth Union's committees beside the district
`Huyện Đoàn Hùng` and the army corps `Quân đoàn 1`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from graph.neo4j import plumbing, search, search_migration
from graph.neo4j.records import SEARCH_WORDS_VERSION, abbr_key, lucene_query, search_words
from graph.text import words
from loaders import read_dataset
from tests.graph.conftest import install_query_log, neo4j_settings

pytestmark = pytest.mark.neo4j

DATA = Path(__file__).resolve().parents[2] / "data"
YOUTH_UNION = {"pt-tdoan", "pt-dh-hdoan", "hcm-q1-qdoan"}


def _open():
    from graph.neo4j.store import Neo4jStore
    return Neo4jStore.from_env(neo4j_settings())


def _cypher(store, text, **params):
    """Cypher a person (or an older bomay) ran on the database: not one of the store's."""
    with store._driver.session(database=store.database) as session:
        return session.run(text, params).data()


def _stored(store):
    rows = _cypher(store, "MATCH (m:Meta {key: 'current'}) MATCH (u:Unit {gen: m.gen}) "
                          "RETURN u.id AS id, u.search_words AS words, u.abbr_key AS abbr")
    return {r["id"]: (r["words"], r["abbr"]) for r in rows}


def _version(store):
    return _cypher(store, "MATCH (m:Meta {key: 'current'}) "
                          "RETURN m.search_words_version AS v")[0]["v"]


def _make_stale(store):
    """Every unit's and former name's words as a load before the forms wrote them (its
    name's, English name's and id's words only), no abbreviation key, no version."""
    for label, key in (("Unit", "id"), ("UnitName", "seq")):
        rows = _cypher(store, f"MATCH (m:Meta {{key: 'current'}}) MATCH (n:{label} {{gen: m.gen}}) "
                              f"RETURN n.{key} AS key, n.name AS name, n.name_en AS name_en")
        old = [[r["key"], " ".join(sorted({*words(r["name"]), *words(r["name_en"] or ""),
                                           *(words(r["key"]) if label == "Unit" else ())}))]
               for r in rows]
        _cypher(store, f"MATCH (m:Meta {{key: 'current'}}) UNWIND $rows AS row "
                       f"MATCH (n:{label} {{gen: m.gen, {key}: row[0]}}) "
                       "SET n.search_words = row[1] REMOVE n.abbr_key", rows=old)
    _cypher(store, "MATCH (m:Meta {key: 'current'}) REMOVE m.search_words_version")


def _ids(store, q):
    return {u.id for u, _ in store.search_units(q, None, 50)}


def _candidates(store, q):
    """The units Lucene gives the rules for `q` by the stored words (before the typo pass,
    which would find a unit whose stored words miss it, and rank it by the rules)."""
    def work(tx):
        def run(name, **params):
            return plumbing.run(tx, name, {"gen": None} | params)
        return search.best_units(run, lucene_query(q), None, 50)
    return {p["id"] for p in store._read(work)}


@pytest.fixture
def loaded():
    store = _open()
    store.wipe()
    store.replace_dataset(read_dataset(DATA / "f_doan"))
    yield store
    store.close()


def test_a_load_records_the_version_of_its_words(loaded):
    assert _version(loaded) == SEARCH_WORDS_VERSION
    again = _open()
    try:
        assert again.search_words_migrated == 0  # up to date: nothing written
    finally:
        again.close()


def test_a_store_with_stale_words_is_folded_again_when_opened(loaded, monkeypatch):
    _make_stale(loaded)
    assert _version(loaded) is None
    # the stale words: the Union's short forms and HĐND are not found by their full words
    assert _candidates(loaded, "Đoàn thanh niên") == set()
    assert _candidates(loaded, "Hội đồng nhân dân huyện Đoàn Hùng") == set()

    monkeypatch.setattr(search_migration, "BATCH", 5)  # 12 units: three batches
    log = install_query_log(monkeypatch)
    reopened = _open()
    try:
        names = log.names()
        assert names.count("search_words:set_units") == 3
        assert names.count("search_words:set_names") == 1
        assert reopened.search_words_migrated == 12 + 1
        # values only as parameters: the texts are the store's constants, the rows apart
        sent = [(q, p) for q, p in log.sent if "search_words" in q and "rows" in p]
        assert sent and all("Đoàn" not in q and "pt-" not in q for q, _ in sent)
        assert _version(reopened) == SEARCH_WORDS_VERSION
        units = {u.id: u for u in read_dataset(DATA / "f_doan").units}
        assert _stored(reopened) == {
            uid: (search_words(u.name, u.name_en, u.id, u.kind),
                  abbr_key(u.abbr) if u.abbr else None) for uid, u in units.items()}
        assert _candidates(reopened, "Đoàn thanh niên") == YOUTH_UNION
        assert _ids(reopened, "Đoàn thanh niên") == YOUTH_UNION
        assert _candidates(reopened, "Hội đồng nhân dân huyện Đoàn Hùng") == {"pt-dh-hdnd"}
        assert [u.id for u, _ in reopened.search_units("Hội đồng nhân dân huyện Đoàn Hùng")] \
            == ["pt-dh-hdnd"]
        assert "pt-dh" in _ids(reopened, "huyện đoàn hùng")
        log.sent.clear()
    finally:
        reopened.close()
    third = _open()  # once recorded, opening writes nothing
    try:
        assert third.search_words_migrated == 0
        assert "search_words:set_units" not in log.names()
    finally:
        third.close()


def test_an_older_version_is_folded_again_and_an_empty_store_is_left_alone(loaded):
    _cypher(loaded, "MATCH (m:Meta {key: 'current'}) SET m.search_words_version = '0:old'")
    again = _open()
    try:
        assert again.search_words_migrated == 13
        assert _version(again) == SEARCH_WORDS_VERSION
        again.wipe()
    finally:
        again.close()
    empty = _open()
    try:
        assert empty.search_words_migrated == 0 and empty.is_empty()
    finally:
        empty.close()


@pytest.fixture
def both(tmp_path):
    dataset = read_dataset(DATA / "f_doan")
    embedded = EmbeddedStore(tmp_path / "s.db")
    embedded.replace_dataset(dataset)
    neo4j = _open()
    neo4j.wipe()
    neo4j.replace_dataset(dataset)
    _make_stale(neo4j)
    neo4j.close()
    neo4j = _open()  # folded again
    yield TestClient(create_app(embedded, Settings())), TestClient(create_app(neo4j, Settings()))
    embedded.close()
    neo4j.close()


def test_after_the_migration_both_backends_answer_the_same(both):
    embedded, neo4j = both
    for q in ("Đoàn thanh niên", "doan thanh nien", "Đoàn thanh niên Đoàn Hùng", "huyện đoàn hùng",
              "Huyện đoàn Đoàn Hùng", "Quân đoàn 1", "quan doan 1", "Đoàn thanh niên Phú",
              "Hội đồng nhân dân", "HĐND huyện Đoàn Hùng", "Tỉnh đoàn"):
        for at in (None, "any"):
            params = {"q": q, "limit": 50} | ({"at": at} if at else {})
            a, b = (c.get("/search", params=params) for c in (embedded, neo4j))
            assert a.status_code == b.status_code == 200, (q, a.text, b.text)
            assert b.json() == a.json(), (q, at)
    items = neo4j.get("/search", params={"q": "Đoàn thanh niên", "limit": 50}).json()["items"]
    assert {h["unit"]["id"] for h in items} == YOUTH_UNION
