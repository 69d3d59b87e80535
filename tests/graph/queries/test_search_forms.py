"""Search finds a body by its full name or its short form, whichever the data wrote
(`graph.names_forms`: `HĐND` and `Hội đồng nhân dân`, `Sở GD&ĐT` and `Sở Giáo dục và Đào
tạo`, `UBKT`, `MTTQ`): on the real names of tests/data/r_tuyen_quang, and the lazy index
against a brute-force reading of the rules with the forms; names and queries without a
form rank exactly as before (the reference of test_search.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.embedded.memory import MemoryGraph
from graph.model import Unit, UnitName
from graph.names_forms import canonical_words
from graph.queries.search import SearchIndex
from loaders import read_dataset
from tests.graph.queries.search_forms_reference import ref_fold, ref_search_forms, ref_words
from tests.graph.queries.test_search import ref_search, unit_sets

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def tuyen_quang():
    return MemoryGraph(read_dataset(DATA / "r_tuyen_quang"))


def _first(graph, q):
    hits = graph.search_units(q, None, 10)
    assert hits, f"{q!r} found nothing"
    return hits[0]


# -- the real names, both directions ----------------------------------------------------------------
@pytest.mark.parametrize("q,unit,name", [
    # a full query finds the unit named by its short form...
    ("Hội đồng nhân dân tỉnh Tuyên Quang", "tq-hdnd", "HĐND tỉnh Tuyên Quang"),
    ("Sở Giáo dục và Đào tạo tỉnh Tuyên Quang", "tq-sgddt", "Sở GD&ĐT tỉnh Tuyên Quang"),
    ("Ủy ban Kiểm tra Tỉnh ủy Hà Giang", "hg-ubkt", "UBKT Tỉnh ủy Hà Giang"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Giang", "hg-mttq",
     "Ủy ban MTTQ Việt Nam tỉnh Hà Giang"),
    # ...and a short query the unit named in full
    ("HĐND tỉnh Hà Giang", "hg-hdnd", "Hội đồng nhân dân tỉnh Hà Giang"),
    ("Sở GD&ĐT tỉnh Hà Giang", "hg-sgddt", "Sở Giáo dục và Đào tạo tỉnh Hà Giang"),
    ("UBKT Tỉnh ủy Tuyên Quang", "tq-ubkt", "Ủy ban Kiểm tra Tỉnh ủy Tuyên Quang"),
    ("Ủy ban MTTQ Việt Nam tỉnh Tuyên Quang", "tq-mttq",
     "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Tuyên Quang"),
])
def test_a_name_in_the_other_form_is_an_exact_match(tuyen_quang, q, unit, name):
    found, score = _first(tuyen_quang, q)
    assert (found.id, found.name) == (unit, name)
    assert 0.95 <= score <= 1.04  # the exact band: the canonical words are the same


@pytest.mark.parametrize("q,unit", [
    ("Sở GD&ĐT Hà Giang", "hg-sgddt"), ("so gd dt ha giang", "hg-sgddt"),
    ("Sở Giáo dục và Đào tạo Tuyên Quang", "tq-sgddt"),
    ("Hội đồng nhân dân Tuyên Quang", "tq-hdnd"),  # then the city's council
    ("Mặt trận Tổ quốc Hà Giang", "hg-mttq"),
    ("Ủy ban Kiểm tra Hà Giang", "hg-ubkt"),
])
def test_some_words_in_the_other_form_find_the_unit_in_the_whole_word_bands(tuyen_quang, q, unit):
    hits = tuyen_quang.search_units(q, None, 10)
    assert hits and hits[0][0].id == unit, hits
    assert 0.6 <= hits[0][1] < 0.95


def test_a_half_typed_last_word_finds_the_short_form_too(tuyen_quang):
    hits = tuyen_quang.search_units("Hội đồng nhân dân tỉnh Tuyên Qu", None, 10)
    assert [u.id for u, _ in hits] == ["tq-hdnd"]
    assert 0.5 <= hits[0][1] < 0.6  # the prefix band


def test_hoi_dong_nhan_dan_finds_every_council_whichever_form(tuyen_quang):
    councils = {u.id for u in tuyen_quang.units() if u.kind == "people_council"}
    assert any("HĐND" in tuyen_quang.get_unit(c).name for c in councils)
    for q in ("Hội đồng nhân dân", "HĐND"):
        found = {u.id for u, _ in tuyen_quang.search_units(q, None, 100)}
        assert found == councils, q


def test_an_abbreviated_query_finds_the_full_form_in_a_former_name():
    units = [Unit("x", "Sở Nội vụ tỉnh Hà Giang", "department", "province"),
             Unit("y", "Sở Y tế tỉnh Hà Giang", "department", "province")]
    former = [UnitName("x", "Sở Giáo dục và Đào tạo tỉnh Hà Giang")]
    ranked = list(SearchIndex(units, former).search("Sở GD&ĐT tỉnh Hà Giang"))
    assert [uid for uid, _ in ranked] == ["x"]
    assert 0.38 <= ranked[0][1] < 0.42  # a former name's exact band, at 0.4 x


# -- the lazy index against a brute-force reading of the rules with the forms ----------------------
FORM_SYLLABLES = ["HĐND", "Hội", "đồng", "nhân", "dân", "UBKT", "Ủy", "ban", "Kiểm", "tra",
                  "Sở", "GD&ĐT", "Giáo", "dục", "và", "Đào", "tạo", "tỉnh", "Tỉnh", "đoàn",
                  "BTC", "Ban", "Tổ", "chức", "MTTQ", "Mặt", "trận", "quốc", "Việt", "Nam",
                  "VN", "xã", "3", "UBND", "Thanh", "niên"]
form_names = st.lists(st.sampled_from(FORM_SYLLABLES), min_size=1, max_size=7).map(" ".join)
form_abbrs = st.sampled_from(["", "", "UBKT", "HĐND", "MTTQ", "BTC"])


@st.composite
def form_units(draw):
    n = draw(st.integers(1, 25))
    return [Unit(f"u{i:02d}-{draw(st.sampled_from(['a', 'ban', 'hdnd', 'to']))}",
                 draw(form_names), "other", "district",
                 name_en=draw(st.one_of(st.just(""), form_names)), abbr=draw(form_abbrs))
            for i in range(n)]


form_queries = st.one_of(form_names, st.sampled_from(FORM_SYLLABLES), form_abbrs.filter(bool),
                         form_names.map(ref_fold),
                         form_names.map(lambda s: s[: max(1, len(s) // 2)]))


@settings(max_examples=400, deadline=None)
@given(units=form_units(), text=form_queries, cut=st.integers(0, 30))
def test_the_lazy_index_ranks_exactly_like_the_rules_with_the_forms(units, text, cut):
    expected = ref_search_forms(units, text)
    ranking = SearchIndex(units, fuzzy=False).search(text)
    assert ranking[:cut] == expected[:cut]
    assert list(ranking) == expected


def test_the_lazy_walk_of_many_canonical_matches_ranks_like_the_rules():
    """More matches than are sorted at once (`_SORT_AT_MOST`): the canonical-only ones are
    walked lazily and merged in."""
    units = [Unit(f"c{i:05d}", f"Hội đồng nhân dân xã {'Tân ' * (i % 7)}{i}", "other", "commune")
             for i in range(3000)]
    units += [Unit(f"s{i:05d}", f"HĐND xã {'Tân ' * (i % 5)}{i}", "other", "commune")
              for i in range(3000)]
    for q in ("HĐND xã", "Hội đồng nhân dân xã", "hdnd"):
        expected = ref_search_forms(units, q)
        assert len(expected) == 6000
        ranking = SearchIndex(units, fuzzy=False).search(q)
        assert ranking[:25] == expected[:25], q
        assert list(ranking) == expected, q


def _without_forms(units: list[Unit]) -> list[Unit]:
    return [u for u in units if canonical_words(tuple(ref_words(u.name))) == tuple(ref_words(u.name))]


@settings(max_examples=300, deadline=None)
@given(units=unit_sets(), text=st.sampled_from(["Ban Tổ chức", "ban", "Thành ủy", "Hội Nông dân",
                                                "Phòng Nội vụ huyện", "Kiểm tra", "Mặt trận",
                                                "Chi bộ thôn 3", "Home Affairs", "ba", "xã"]))
def test_names_and_queries_without_a_form_rank_as_before(units, text):
    plain = _without_forms(units)
    assert list(SearchIndex(plain, fuzzy=False).search(text)) == ref_search(plain, text)
