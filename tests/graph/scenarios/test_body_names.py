"""Names of bodies as real datasets write them (graph/scenarios/body_names.py) and what the
territorial pairing makes of them: abbreviations, the Youth Union's names, place names
whose first word folds to a territorial word, a new body's territorial word."""

from __future__ import annotations

import pytest

from graph.scenarios.body_names import canonical_words, rename_for_area, split_area_name
from graph.scenarios.territory import name_key, place_of, similarity
from graph.text import words


@pytest.mark.parametrize("short, full", [
    ("HĐND tỉnh Tuyên Quang", "Hội đồng nhân dân tỉnh Hà Giang"),
    ("UBND tỉnh Tuyên Quang", "Ủy ban nhân dân tỉnh Hà Giang"),
    ("UBKT Tỉnh ủy Hà Giang", "Ủy ban Kiểm tra Tỉnh ủy Tuyên Quang"),
    ("Ủy ban MTTQ Việt Nam tỉnh Hà Giang", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Tuyên Quang"),
    ("Tỉnh đoàn Hà Giang", "Đoàn TNCS Hồ Chí Minh tỉnh Tuyên Quang"),
    ("Tỉnh đoàn Hà Giang", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Tuyên Quang"),
    ("LĐLĐ tỉnh Hà Giang", "Liên đoàn Lao động tỉnh Tuyên Quang"),
    ("Hội LHPN tỉnh Hà Giang", "Hội Liên hiệp Phụ nữ tỉnh Tuyên Quang"),
    ("Hội CCB tỉnh Tuyên Quang", "Hội Cựu chiến binh tỉnh Hà Giang"),
    ("Sở GD&ĐT tỉnh Tuyên Quang", "Sở Giáo dục và Đào tạo tỉnh Hà Giang"),
    ("Phòng LĐ-TB&XH huyện Na Hang", "Phòng Lao động - Thương binh và Xã hội huyện Quản Bạ"),
])
def test_a_short_form_and_the_full_name_give_one_key(short, full):
    area = {"Tuyên Quang": "Tỉnh Tuyên Quang", "Hà Giang": "Tỉnh Hà Giang",
            "Na Hang": "Huyện Na Hang", "Quản Bạ": "Huyện Quản Bạ"}

    def key(name):
        place = next(p for p in area if p in name)
        return name_key(name, area[place])
    assert key(short) == key(full)


def test_the_youth_union_of_ho_chi_minh_city_keeps_its_place_out():
    assert name_key("Thành đoàn TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh") == (
        "doan", "thanh", "nien")
    assert name_key("Đoàn TNCS Hồ Chí Minh thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh") == (
        "doan", "thanh", "nien")


def test_names_without_a_form_are_left_as_they_are():
    toks = tuple(words("Phòng Lao động - Thương binh và Xã hội"))
    assert canonical_words(toks) == toks
    assert name_key("Ban Tổ chức Tỉnh ủy An Hà", "Tỉnh An Hà") == ("ban", "to", "chuc")


def test_an_area_s_territorial_words_are_read_with_their_diacritics():
    assert place_of("Huyện Quản Bạ") == "Quản Bạ"      # quản, not quận
    assert place_of("Xã Thanh Vân") == "Thanh Vân"     # thanh, not thành
    assert place_of("Thị trấn Phố Bảng") == "Phố Bảng"  # phố after thị trấn
    assert place_of("Thành phố Hà Giang") == "Hà Giang"
    assert place_of("Thị trấn Tam Sơn") == "Tam Sơn"
    assert place_of("Tinh Ha Giang") == "Ha Giang"      # written without diacritics
    assert split_area_name("Phường Hà Giang 2") == ("Phường", "Hà Giang 2")
    assert split_area_name("Hà Giang") == ("", "Hà Giang")


def test_a_department_and_a_district_office_of_one_field_are_close():
    so = name_key("Sở Tài chính tỉnh Tuyên Quang", "Tỉnh Tuyên Quang")
    phong = name_key("Phòng TC-KH thành phố Tuyên Quang", "Thành phố Tuyên Quang")
    assert similarity(so, phong) >= 0.6
    assert similarity(name_key("Sở Nội vụ", "Tỉnh A"), name_key("Phòng Nội vụ", "Huyện B")) == 1
    assert similarity(name_key("Sở Nội vụ", "Tỉnh A"), name_key("Sở Tài chính", "Tỉnh B")) == 0


@pytest.mark.parametrize("name, old, new, expected", [
    ("Đảng ủy thị trấn Tam Sơn", "Thị trấn Tam Sơn", "Xã Quản Bạ", "Đảng ủy xã Quản Bạ"),
    ("UBND thị trấn Na Hang", "Thị trấn Na Hang", "Xã Na Hang", "UBND xã Na Hang"),
    ("Tỉnh ủy Hà Giang", "Tỉnh Hà Giang", "Tỉnh Tuyên Quang", "Tỉnh ủy Tuyên Quang"),
    ("Sở Nội vụ thành phố Bắc Sơn", "Thành phố Bắc Sơn", "Tỉnh An Sơn", "Sở Nội vụ tỉnh An Sơn"),
    ("Đảng ủy phường Phan Thiết", "Phường Phan Thiết", "Phường Minh Xuân",
     "Đảng ủy phường Minh Xuân"),
    ("Văn phòng Tỉnh ủy", "Tỉnh Hà Giang", "Tỉnh Tuyên Quang", "Văn phòng Tỉnh ủy"),
    ("Huyện ủy Quản Bạ", "Huyện Quản Bạ", "Huyện Mới", "Huyện ủy Mới"),
])
def test_a_new_body_is_named_for_its_new_area(name, old, new, expected):
    assert rename_for_area(name, old, new) == expected
