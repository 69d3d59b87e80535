"""The tables of `graph.names_forms`: every marked form is a form that expands, and each
expands from its marked spelling in a body's name, never in an area's."""

from __future__ import annotations

import pytest

from graph.names_forms import ABBREVIATIONS, AREA_KINDS, MARKED, name_words


def test_every_marked_form_is_an_abbreviation() -> None:
    # A MARKED form missing from ABBREVIATIONS would be recognised by its marks and then
    # fold as the plain words it is: the Youth Union's committee never found as such.
    assert set(MARKED) <= set(ABBREVIATIONS)


@pytest.mark.parametrize("form", sorted(MARKED))
def test_a_marked_form_expands_in_a_bodys_name(form: tuple[str, ...]) -> None:
    marked = " ".join(MARKED[form]).capitalize()
    words = name_words(f"{marked} Hà Giang", "youth_union")
    assert words[:len(ABBREVIATIONS[form])] == ABBREVIATIONS[form]


@pytest.mark.parametrize("kind", sorted(AREA_KINDS))
def test_a_marked_form_is_a_place_in_an_areas_name(kind: str) -> None:
    # `Huyện Đoàn Hùng` is a district: its words stay as written
    assert name_words("Huyện Đoàn Hùng", kind) == ("huyen", "doan", "hung")


@pytest.mark.parametrize(("name", "want"), [
    ("Thành ủy TP.HCM", "Thành ủy Thành phố Hồ Chí Minh"),
    ("Sở Nội vụ TPHCM", "Sở Nội vụ Thành phố Hồ Chí Minh"),
    ("UBND tỉnh BR-VT", "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"),
    ("Ủy ban Kiểm tra Tỉnh ủy BRVT", "Ủy ban Kiểm tra Tỉnh ủy Bà Rịa - Vũng Tàu"),
])
def test_the_places_lists_abbreviate(name, want):
    assert name_words(name) == name_words(want)
