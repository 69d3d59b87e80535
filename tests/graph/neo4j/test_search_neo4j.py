"""Search on the Neo4j store against the embedded store's (real server, real HTTP through
`create_app`): former names (`names.csv`) found and said (`formerly`), the typo pass when
the rules find nothing (`mong cay` finds Móng Cái, `ha giag` Hà Giang), `at=any`, and the
same ranking as the embedded store on a synthetic dataset with typed-wrong names."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.memory import MemoryGraph
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset
from tests.api.test_search_fuzzy import NAMES, UNITS
from tests.graph.conftest import neo4j_settings

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The typo and former-name fixture of tests/api/test_search_fuzzy.py in an embedded
    store and on Neo4j, each behind its own app."""
    from graph.neo4j.store import Neo4jStore
    folder = tmp_path_factory.mktemp("search")
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    (folder / "names.csv").write_text(NAMES, encoding="utf-8")
    dataset = read_dataset(folder)
    embedded = EmbeddedStore(folder / "s.db")
    embedded.replace_dataset(dataset)
    neo4j = Neo4jStore.from_env(neo4j_settings())
    neo4j.wipe()
    neo4j.replace_dataset(dataset)
    yield TestClient(create_app(embedded, Settings())), TestClient(create_app(neo4j, Settings())), neo4j
    embedded.close()
    neo4j.close()


def _search(client, q, at=None):
    params = {"q": q} | ({"at": at} if at else {})
    r = client.get("/search", params=params)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("q,first", [("mong cay", "mc"), ("ha giag", "hg"),
                                     ("ban to chuk", "btc")])
def test_a_typo_finds_the_unit_first_on_neo4j(both, q, first):
    _, neo4j, _ = both
    items = _search(neo4j, q, "any")["items"]
    assert items and items[0]["unit"]["id"] == first, items
    assert all(h["score"] < 0.2 and "formerly" not in h for h in items)


def test_ha_giag_brings_hà_giang_alone(both):
    _, neo4j, _ = both
    assert [h["unit"]["id"] for h in _search(neo4j, "ha giag")["items"]] == ["hg"]


def test_a_former_name_finds_the_unit_and_says_so_on_neo4j(both):
    _, neo4j, _ = both
    (hit,) = _search(neo4j, "ban tuyen huan", "any")["items"]
    assert hit["unit"]["id"] == "btg" and 0.2 < hit["score"] < 0.42
    assert hit["formerly"] == {"name": "Ban Tuyên huấn Tỉnh ủy Quảng Ninh",
                               "name_en": "Board of Propaganda and Training", "abbr": "BTH",
                               "valid_from": "2010", "valid_to": "2015-01-01"}
    (hit,) = _search(neo4j, "BTH", "any")["items"]  # a former abbreviation
    assert hit["unit"]["id"] == "btg" and hit["formerly"]["abbr"] == "BTH"
    current = _search(neo4j, "ban tuyen giao")["items"]
    assert current[0]["unit"]["id"] == "btg" and "formerly" not in current[0]


@pytest.mark.parametrize("q", ["mong cay", "ha giag", "ban to chuk", "mong duong", "ha giang",
                               "ban tuyen huan", "BTH", "bth", "ban tuyen giao", "tuyen",
                               "board of propaganda", "quang ninh", "zzzz", "tinh ha",
                               "Móng Cái", "mong", "ha", "ban tuyen huam", "board of propaganda "
                               "and trainin", "bqn tuyen huan"])
@pytest.mark.parametrize("at", [None, "any", "2005", "2012-06-01", "2020"])
def test_both_backends_answer_the_same_search(both, q, at):
    embedded, neo4j, _ = both
    assert _search(neo4j, q, at) == _search(embedded, q, at)


def test_a_rule_match_on_another_date_means_no_typo_pass(both):
    """`ban tuyen` matches btg, which exists from 2010: in 2005 the embedded store answers
    nothing (its typo pass runs only when the rules match no unit on any date)."""
    embedded, neo4j, _ = both
    assert _search(neo4j, "ban tuyen giao", "2005")["items"] == []
    assert _search(embedded, "ban tuyen giao", "2005")["items"] == []


def test_the_snapshot_searches_its_own_revision(both):
    _, _, store = both
    snap = store.pinned()
    for q in ("mong cay", "ban tuyen huan", "BTH", "tinh"):
        assert snap.search_units(q, None, 5) == store.search_units(q, None, 5), q


def _typo(name: str, rng: random.Random) -> str:
    """The name with one letter of one word of four letters or more dropped or doubled."""
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 4]
    if not long:
        return name
    i = rng.choice(long)
    j = rng.randrange(1, len(words[i]))
    w = words[i]
    words[i] = w[:j] + w[j + 1:] if rng.random() < 0.5 else w[:j] + w[j] + w[j:]
    return " ".join(words)


def test_typos_of_synthetic_names_rank_as_on_the_embedded_store(tmp_path):
    """Names of a synthetic province, each typed wrong once: where the rules find nothing,
    the typo pass over Lucene's fuzzy candidates ranks as rapidfuzz over every name does
    (first hits equal; the whole answers compared and the differences counted)."""
    from graph.neo4j.store import Neo4jStore
    from loaders.synth import generate
    generate(tmp_path / "synth", provinces=1, seed=4)
    dataset = read_dataset(tmp_path / "synth")
    memory = MemoryGraph(dataset)
    neo4j = Neo4jStore.from_env(neo4j_settings())
    try:
        neo4j.wipe()
        neo4j.replace_dataset(dataset)
        rng = random.Random(7)
        units = sorted(dataset.units, key=lambda u: u.id)
        texts = [_typo(u.name, rng) for u in rng.sample(units, 60)]
        fuzzy, same_first, same = 0, 0, 0
        for text in texts:
            want = memory.search_units(text, None, 10)
            got = neo4j.search_units(text, None, 10)
            if want and want[0][1] < 0.2:  # a typo pass (rule scores are 0.2 and up)
                fuzzy += 1
                same_first += got[:1] == want[:1]
                same += got == want
            else:
                assert got == want, text
        assert fuzzy >= 20, fuzzy
        assert same_first == fuzzy, (same_first, fuzzy)
        assert same >= 0.9 * fuzzy, (same, fuzzy)
        at = dt.date(2020, 1, 1)
        for text in texts[:20]:
            assert neo4j.search_units(text, at, 5)[:1] == memory.search_units(text, at, 5)[:1], text
    finally:
        neo4j.close()


def test_candidates_cut_by_lucene_are_read_again_from_every_hit(tmp_path, monkeypatch):
    """Lucene keeps only its best `HITS_PER_CANDIDATE x candidates` hits; when fewer of
    them exist on the date than the candidates asked, every hit is read again: a text
    matching fewer units on the date than the candidates ranks every one of them, as the
    query over every hit did (more matches: Lucene's best, ties at the cut its own way)."""
    import graph.neo4j.search as search
    from graph.neo4j.store import Neo4jStore
    from loaders.synth import generate
    from tests.graph.conftest import install_query_log
    generate(tmp_path / "synth", provinces=2, seed=3)
    dataset = read_dataset(tmp_path / "synth")
    neo4j = Neo4jStore.from_env(neo4j_settings())
    try:
        neo4j.wipe()
        neo4j.replace_dataset(dataset)
        texts = ["ubnd", "chi bo", "dang uy xa", "ban to chuc", "mong cay", "UBKT",
                 "van phong", "hoi nong dan", "so noi vu", "ban tuyen giao"]
        dates = [None, dt.date(2005, 1, 1), dt.date(2015, 1, 1), dt.date(2026, 1, 1)]
        cases = [(t, at) for t in texts for at in dates]
        # every unit each text matches on each date (the candidates unbounded)
        matching = {c: len(neo4j.search_units(*c, 10_000)) for c in cases}
        monkeypatch.setattr(search, "SEARCH_CANDIDATES", 30)
        monkeypatch.setattr(search, "FUZZY_CANDIDATES", 30)
        monkeypatch.setattr(search, "HITS_PER_CANDIDATE", 10_000)  # every hit, at once
        few = [c for c in cases if matching[c] < 30]
        want = [neo4j.search_units(*c, 5) for c in few]
        monkeypatch.setattr(search, "HITS_PER_CANDIDATE", 1)
        log = install_query_log(monkeypatch)
        assert [neo4j.search_units(*c, 5) for c in few] == want
        names = log.names()
        assert len(few) >= 10 and any(matching[c] >= 30 for c in cases)
        assert "search:units:all" in names  # a date with fewer units than Lucene's best 30
        assert names.count("search:units:all") < names.count("search:units")
    finally:
        neo4j.close()
