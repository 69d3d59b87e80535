"""Search by either form of a body's name (`HĐND` / `Hội đồng nhân dân`, `Sở GD&ĐT`, `UBKT`,
`MTTQ`; `graph.names_forms`) on the Neo4j store: Lucene's candidates must hold the units
the embedded `SearchIndex` finds by canonical words, so the stored `search_words` carry a
name's canonical words and `lucene_query` asks for the query's.

Without a server: the Lucene query's text, the stored words, and a reading of that query
over every unit's stored words (the clauses `lucene_query` writes: `+word`, `+prefix*`,
`abbr_key:`) that must keep every unit the embedded rules find. With a server (NEO4J_URI,
marked `neo4j`): both backends answer the same through HTTP on tests/data/r_tuyen_quang."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from graph.model import Unit, UnitName
from graph.neo4j.records import lucene_query, node_columns, row_encoder
from graph.queries.search import SearchIndex
from loaders import read_dataset
from tests.graph.conftest import neo4j_settings
from tests.graph.neo4j.test_search_neo4j import _search

DATA = Path(__file__).resolve().parents[2] / "data"
QUERIES = ["Hội đồng nhân dân tỉnh Tuyên Quang", "HĐND tỉnh Hà Giang", "Sở GD&ĐT tỉnh Hà Giang",
           "Sở GD&ĐT Hà Giang", "so gd dt ha giang", "Sở Giáo dục và Đào tạo tỉnh Tuyên Quang",
           "UBKT Tỉnh ủy Tuyên Quang", "Ủy ban Kiểm tra Tỉnh ủy Hà Giang", "ubkt ha giang",
           "Mặt trận Tổ quốc Hà Giang", "Ủy ban MTTQ Việt Nam tỉnh Tuyên Quang",
           "Hội đồng nhân dân", "HĐND", "hoi dong nhan dan tinh tuyen qu", "Sở Y tế Hà Giang"]


# -- without a server ------------------------------------------------------------------------------
def _stored(table: str, record) -> dict:
    return dict(zip(node_columns(table), row_encoder(table)(record, 1.0)))


def test_the_stored_words_hold_the_name_s_canonical_words():
    unit = Unit("tq-hdnd", "HĐND tỉnh Tuyên Quang", "people_council", "province",
                name_en="Tuyen Quang Provincial People's Council", abbr="HĐND")
    words = _stored("units", unit)["search_words"].split()
    assert {"hdnd", "hoi", "dong", "nhan", "dan", "tinh", "tuyen", "quang", "tq"} <= set(words)
    assert words == sorted(set(words))
    former = UnitName("hg-sgddt", "Sở GD&ĐT tỉnh Hà Giang")
    assert set(_stored("names", former)["search_words"].split()) == {
        "so", "gd", "dt", "giao", "duc", "va", "dao", "tao", "tinh", "ha", "giang"}


@pytest.mark.parametrize("q,lucene", [
    ("HĐND tỉnh Hà Giang", "search_words:(+hdnd +tinh +ha +giang*) OR "
                           "search_words:(+hoi +dong +nhan +dan +tinh +ha +giang*) OR "
                           "abbr_key:hdndtinhhagiang"),
    # the last word written out from a form is whole, not a prefix
    ("Sở GD&ĐT", "search_words:(+so +gd +dt*) OR search_words:(+so +giao +duc +va +dao +tao) "
                 "OR abbr_key:sogd\\&dt"),
    ("UBKT", "search_words:(+ubkt*) OR search_words:(+uy +ban +kiem +tra) OR abbr_key:ubkt"),
    # no form: the query as before
    ("ban to chuc", "search_words:(+ban +to +chuc*) OR abbr_key:bantochuc"),
    ("Hội đồng nhân dân", "search_words:(+hoi +dong +nhan +dan*) OR abbr_key:hoidongnhandan"),
])
def test_the_lucene_query_asks_for_the_canonical_words(q, lucene):
    assert lucene_query(q) == lucene


def _lucene_matches(query: str, stored: dict) -> bool:
    """The clauses `lucene_query` writes, read over one node's stored words: a clause of
    `+word` / `+prefix*` terms (all must match), or the abbreviation key."""
    tokens = set((stored.get("search_words") or "").split())
    for clause in query.split(" OR "):
        if clause.startswith("abbr_key:"):
            if stored.get("abbr_key") == re.sub(r"\\(.)", r"\1", clause[len("abbr_key:"):]):
                return True
            continue
        terms = re.fullmatch(r"search_words:\((.*)\)", clause).group(1).split()
        if all(t.endswith("*") and any(w.startswith(t[1:-1]) for w in tokens)
               or t[1:] in tokens for t in terms):
            return True
    return False


@pytest.mark.parametrize("q", QUERIES)
def test_lucene_s_candidates_hold_every_unit_the_rules_find(q):
    dataset = read_dataset(DATA / "r_tuyen_quang")
    found = {uid for uid, _ in SearchIndex(dataset.units, fuzzy=False).search(q)}
    assert found
    query = lucene_query(q)
    assert query is not None
    candidates = {u.id for u in dataset.units if _lucene_matches(query, _stored("units", u))}
    assert found <= candidates, found - candidates
    # ...and ranked by `SearchIndex` over the candidates alone, the same answer
    only = [u for u in dataset.units if u.id in candidates]
    assert list(SearchIndex(only, fuzzy=False).search(q)) == \
        list(SearchIndex(dataset.units, fuzzy=False).search(q))


# -- with a server ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """tests/data/r_tuyen_quang in an embedded store and on Neo4j, each behind its app."""
    from graph.neo4j.store import Neo4jStore
    dataset = read_dataset(DATA / "r_tuyen_quang")
    embedded = EmbeddedStore(tmp_path_factory.mktemp("forms") / "s.db")
    embedded.replace_dataset(dataset)
    neo4j = Neo4jStore.from_env(neo4j_settings())
    neo4j.wipe()
    neo4j.replace_dataset(dataset)
    yield TestClient(create_app(embedded, Settings())), TestClient(create_app(neo4j, Settings()))
    embedded.close()
    neo4j.close()


@pytest.mark.neo4j
@pytest.mark.parametrize("q,first", [("Hội đồng nhân dân tỉnh Tuyên Quang", "tq-hdnd"),
                                     ("HĐND tỉnh Hà Giang", "hg-hdnd"),
                                     ("Sở GD&ĐT Hà Giang", "hg-sgddt"),
                                     ("Sở Giáo dục và Đào tạo tỉnh Tuyên Quang", "tq-sgddt"),
                                     ("UBKT Tỉnh ủy Tuyên Quang", "tq-ubkt"),
                                     ("Ủy ban Kiểm tra Tỉnh ủy Hà Giang", "hg-ubkt"),
                                     ("Mặt trận Tổ quốc Hà Giang", "hg-mttq")])
def test_either_form_finds_the_body_on_neo4j(both, q, first):
    _, neo4j = both
    items = _search(neo4j, q, "any")["items"]
    assert items and items[0]["unit"]["id"] == first, items
    assert items[0]["score"] >= 0.6  # a rule band, not the typo pass


@pytest.mark.neo4j
@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("at", [None, "any"])
def test_both_backends_answer_the_same_search_by_either_form(both, q, at):
    embedded, neo4j = both
    assert _search(neo4j, q, at) == _search(embedded, q, at)
