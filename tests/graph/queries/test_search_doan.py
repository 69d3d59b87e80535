"""The Youth Union's short forms (`Tỉnh đoàn`, `Huyện đoàn`, `Quận đoàn`...) fold like other
words: the district `Huyện Đoàn Hùng`, `UBND huyện Đoàn Hùng`, the army corps `Quân đoàn 1`.
Read from the names as written and their units' kinds (`graph.names_forms.name_words`),
those are no Youth Union: a search for `Đoàn thanh niên` finds the Union's committees of
tests/data/f_doan and none of them, and `huyện đoàn hùng` still finds the district."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.names_forms import canonical_words, name_words
from graph.scenarios.territory import name_key
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
YOUTH_UNION = {"pt-tdoan", "pt-dh-hdoan", "hcm-q1-qdoan"}


@pytest.fixture(scope="module")
def doan():
    return MemoryGraph(read_dataset(DATA / "f_doan"))


def _ids(graph, q, limit=50):
    return [u.id for u, _ in graph.search_units(q, None, limit)]


@pytest.mark.parametrize("text,kind,expected", [
    # the Union's committees, however capitalised
    ("Tỉnh đoàn Phú Thọ", "mass_org", "doan thanh nien phu tho"),
    ("Tỉnh Đoàn Phú Thọ", "mass_org", "doan thanh nien phu tho"),
    ("TỈNH ĐOÀN PHÚ THỌ", "", "doan thanh nien phu tho"),
    ("Huyện đoàn Đoàn Hùng", "mass_org", "doan thanh nien doan hung"),
    ("Quận đoàn 1", "mass_org", "doan thanh nien 1"),
    ("Ban Thường vụ Thành đoàn Hà Nội", "standing_committee", "ban thuong vu doan thanh nien ha noi"),
    # an area's name is a place, whatever it folds like
    ("Huyện Đoàn Hùng", "district", "huyen doan hung"),
    ("Huyện đoàn Hùng", "commune", "huyen doan hung"),
    # a lower-case territorial word before a capitalised Đoàn: a place in a body's name
    ("UBND huyện Đoàn Hùng", "government", "uy ban nhan dan huyen doan hung"),
    ("HĐND huyện Đoàn Hùng", "", "hoi dong nhan dan huyen doan hung"),
    # other marks: an army corps, the real district Đoan Hùng
    ("Quân đoàn 1", "other", "quan doan 1"),
    ("QUÂN ĐOÀN 1", "", "quan doan 1"),
    ("Phòng Nội vụ huyện Đoan Hùng", "department", "phong noi vu huyen doan hung"),
    # no marks at all: a text that cannot tell reads the form, as before
    ("quan doan 1", "", "doan thanh nien 1"),
    ("tinh doan phu tho", "", "doan thanh nien phu tho"),
    ("Đoàn TNCS Hồ Chí Minh tỉnh Phú Thọ", "mass_org", "doan thanh nien tinh phu tho"),
])
def test_the_youth_union_s_forms_are_read_from_the_name_as_written(text, kind, expected):
    assert " ".join(name_words(text, kind)) == expected


def test_the_folded_words_alone_still_read_every_form():
    assert canonical_words(("huyen", "doan", "doan", "hung")) == (
        "doan", "thanh", "nien", "doan", "hung")
    assert name_words("HĐND tỉnh Tuyên Quang") == canonical_words(
        ("hdnd", "tinh", "tuyen", "quang"))


def test_doan_thanh_nien_finds_the_union_s_committees_and_no_area(doan):
    for q in ("Đoàn thanh niên", "doan thanh nien", "Đoàn TNCS Hồ Chí Minh"):
        assert set(_ids(doan, q)) == YOUTH_UNION, q


def test_an_area_or_its_bodies_are_not_found_as_the_youth_union(doan):
    found = set(_ids(doan, "Đoàn thanh niên Đoàn Hùng"))
    assert found == {"pt-dh-hdoan"}
    assert "pt-dh" not in _ids(doan, "Đoàn thanh niên Hùng")
    assert _ids(doan, "Đoàn thanh niên 1") == ["hcm-q1-qdoan"]  # not Quân đoàn 1


def test_a_former_name_of_an_area_is_a_place_too(doan):
    # pt-tx was `Huyện Đoàn Phú`: found by that name, never as a Youth Union
    # (the query cannot tell: `Tỉnh đoàn Phú Thọ` by its current name comes first)
    assert _ids(doan, "Huyện Đoàn Phú") == ["pt-tdoan", "pt-tx"]
    assert "pt-tx" not in _ids(doan, "Đoàn thanh niên Phú")


def test_the_district_is_still_found_by_its_name(doan):
    hits = doan.search_units("huyện đoàn hùng", None, 10)
    assert hits[0][0].id == "pt-dh" and hits[0][1] >= 0.95
    assert _ids(doan, "Huyện Đoàn Hùng")[0] == "pt-dh"
    assert _ids(doan, "huyen doan hung")[0] == "pt-dh"
    # the Union's committee of the district is found by its own short form
    assert _ids(doan, "Huyện đoàn Đoàn Hùng")[0] == "pt-dh-hdoan"


def test_tinh_doan_still_pairs_with_the_union_s_full_name():
    assert name_key("Tỉnh đoàn Phú Thọ", "Tỉnh Phú Thọ") == name_key(
        "Đoàn TNCS Hồ Chí Minh tỉnh Vĩnh Phúc", "Tỉnh Vĩnh Phúc") == ("doan", "thanh", "nien")
    assert name_key("Quân đoàn 1", "") != name_key("Quận đoàn 1", "")
