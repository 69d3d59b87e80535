"""Names of bodies as real datasets write them (graph/scenarios/body_names.py) and what the
territorial pairing makes of them: abbreviations, the Youth Union's names, place names
whose first word folds to a territorial word, a new body's territorial word, the names of
merged bodies (`Ban Tổ chức Thành ủy – Phòng Nội vụ`), a head written out as a peer writes
it (`UBKT` -> `Ủy ban Kiểm tra`)."""

from __future__ import annotations

import pytest

from graph.model import Unit
from graph.scenarios.body_names import (canonical_words, carries_place, head_end, joined_parts,
                                        whole_name_after_committee, with_whole_name,
                                        name_words, own_part, rename_english_for_area,
                                        rename_for_area, split_area_name,
                                        split_english_area_name, written_out_head)
from graph.scenarios.territory import name_key, pair, place_of, similarity
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


MERGED = "Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố Móng Cái (hợp nhất)"


@pytest.mark.parametrize("name, parts", [
    (MERGED, ["Ban Tổ chức Thành ủy", "Phòng Nội vụ thành phố Móng Cái"]),
    ("Ủy ban Kiểm tra Thành ủy – Thanh tra thành phố Móng Cái (hợp nhất)",
     ["Ủy ban Kiểm tra Thành ủy", "Thanh tra thành phố Móng Cái"]),
    ("Ban Tổ chức Huyện ủy - Phòng Nội vụ huyện Na Hang",
     ["Ban Tổ chức Huyện ủy", "Phòng Nội vụ huyện Na Hang"]),
    ("Ban Tổ chức Huyện ủy và Phòng Nội vụ huyện Na Hang",
     ["Ban Tổ chức Huyện ủy", "Phòng Nội vụ huyện Na Hang"]),
    # one body's name: the words after the dash or `và` open no body's name
    ("Phòng Lao động - Thương binh và Xã hội huyện Na Hang",
     ["Phòng Lao động - Thương binh và Xã hội huyện Na Hang"]),
    ("Sở Giáo dục và Đào tạo tỉnh Hà Giang", ["Sở Giáo dục và Đào tạo tỉnh Hà Giang"]),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Giang", ["Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Giang"]),
    ("Tiểu ban Kiểm tra - Giám sát – Cơ quan khối MTTQ và các đoàn thể CT-XH huyện Na Hang",
     ["Tiểu ban Kiểm tra - Giám sát – Cơ quan khối MTTQ và các đoàn thể CT-XH huyện Na Hang"]),
    # an office of two bodies is one office
    ("Văn phòng HĐND và UBND huyện Na Hang", ["Văn phòng HĐND và UBND huyện Na Hang"]),
    ("Ban Tổ chức Tỉnh ủy Hà Giang", ["Ban Tổ chức Tỉnh ủy Hà Giang"]),
])
def test_a_name_that_joins_two_bodies_is_read_as_their_names(name, parts):
    assert joined_parts(name) == parts


def test_a_merged_body_is_keyed_by_the_part_of_its_own_kind():
    assert own_part(MERGED, "party_board") == "Ban Tổ chức Thành ủy"
    assert own_part(MERGED, "department") == "Phòng Nội vụ thành phố Móng Cái"
    # no part of the kind, or two: the whole name
    assert own_part(MERGED, "centre") == MERGED
    assert own_part("Ban Tổ chức – Ban Tuyên giáo Tỉnh ủy", "party_board") == (
        "Ban Tổ chức – Ban Tuyên giáo Tỉnh ủy")
    assert own_part("Văn phòng HĐND và UBND huyện Na Hang", "government") == (
        "Văn phòng HĐND và UBND huyện Na Hang")
    board = name_key(own_part(MERGED, "party_board"), "Thành phố Móng Cái")
    province = name_key("Ban Tổ chức Tỉnh ủy Quảng Ninh", "Tỉnh Quảng Ninh")
    assert board == province == ("ban", "to", "chuc")
    # the whole name's key is far from the province's board's
    assert similarity(name_key(MERGED, "Thành phố Móng Cái"), province) < 0.6
    office = name_key(own_part(MERGED, "department"), "Thành phố Móng Cái")
    assert office == ("phong", "noi", "vu")
    assert similarity(office, name_key("Sở Nội vụ tỉnh Quảng Ninh", "Tỉnh Quảng Ninh")) == 1


def test_a_merged_board_pairs_with_the_upper_area_s_board():
    def unit(uid, name, area):
        return Unit(id=uid, name=name, kind="party_board", level="district", area=area)
    upper = [unit("qn-btc", "Ban Tổ chức Tỉnh ủy Quảng Ninh", "qn"),
             unit("qn-bnc", "Ban Nội chính Tỉnh ủy Quảng Ninh", "qn"),
             unit("qn-btg", "Ban Tuyên giáo Tỉnh ủy Quảng Ninh", "qn")]
    lower = [unit("mc-btc-nv", MERGED, "mc"), unit("mc-btg", "Ban Tuyên giáo Thành ủy Móng Cái",
                                                    "mc")]
    areas = {"qn": "Tỉnh Quảng Ninh", "mc": "Thành phố Móng Cái"}
    keys = {u.id: name_key(own_part(u.name, u.kind), areas[u.area]) for u in upper + lower}
    groups = [[u.id for u in g] for g in pair([upper, lower], keys)]
    assert ["qn-btc", "mc-btc-nv"] in groups and ["qn-btg", "mc-btg"] in groups
    assert ["qn-bnc"] in groups


def test_a_name_carries_its_area_s_place():
    assert carries_place("Ban Tuyên giáo Tỉnh ủy Hà Giang", "Tỉnh Hà Giang")
    assert not carries_place("Ban Tuyên giáo", "Tỉnh Hà Giang")
    assert not carries_place("Văn phòng Tỉnh ủy", "Tỉnh Hà Giang")


@pytest.mark.parametrize("name, old, new, want", [
    ("Tỉnh ủy Hải Dương", "Tỉnh Hải Dương", "Thành phố Hải Phòng", "Thành ủy Hải Phòng"),
    ("Ban Tổ chức Tỉnh ủy Hải Dương", "Tỉnh Hải Dương", "Thành phố Hải Phòng",
     "Ban Tổ chức Thành ủy Hải Phòng"),
    ("UBKT Tỉnh uỷ Hải Dương", "Tỉnh Hải Dương", "Thành phố Hải Phòng",
     "UBKT Thành uỷ Hải Phòng"),
    ("Tỉnh đoàn Hải Dương", "Tỉnh Hải Dương", "Thành phố Hải Phòng", "Thành đoàn Hải Phòng"),
    ("Sở Nội vụ tỉnh Hải Dương", "Tỉnh Hải Dương", "Thành phố Hải Phòng",
     "Sở Nội vụ thành phố Hải Phòng"),
    ("Huyện ủy Kinh Môn", "Huyện Kinh Môn", "Thị xã Kinh Môn", "Thị ủy Kinh Môn"),
    ("Tỉnh ủy Hà Giang", "Tỉnh Hà Giang", "Tỉnh Tuyên Quang", "Tỉnh ủy Tuyên Quang"),
    # a commune has no committee word: its Party Committee is a `Đảng ủy`
    ("Đảng ủy thị trấn Tam Sơn", "Thị trấn Tam Sơn", "Xã Quản Bạ", "Đảng ủy xã Quản Bạ"),
    # a name without the old place keeps its words, but the committee words that end it
    # are its own area's: they follow the new area's kind
    ("Ban Tuyên giáo Tỉnh ủy", "Tỉnh Hải Dương", "Thành phố Hải Phòng",
     "Ban Tuyên giáo Thành ủy"),
    ("Văn phòng Quận ủy", "Quận 2", "Thành phố Thủ Đức", "Văn phòng Thành ủy"),
    ("Ban Tuyên giáo Tỉnh ủy", "Tỉnh Hà Giang", "Tỉnh Tuyên Quang", "Ban Tuyên giáo Tỉnh ủy"),
    ("Ban Tuyên giáo", "Tỉnh Hải Dương", "Thành phố Hải Phòng", "Ban Tuyên giáo"),
    # committee words before another place than the area's are that place's: kept
    ("Ban Tổ chức Tỉnh ủy Hà Giang", "Tỉnh Tuyên Quang", "Thành phố Hải Phòng",
     "Ban Tổ chức Tỉnh ủy Hà Giang"),
    # a numbered area's committee repeats its territorial word (`Quận ủy Quận 2`), a named
    # area's writes the place alone (`Thành ủy Thủ Đức`), and the other way round
    ("Quận ủy Quận 2", "Quận 2", "Thành phố Thủ Đức", "Thành ủy Thủ Đức"),
    ("Ủy ban Kiểm tra Quận ủy Quận 2", "Quận 2", "Thành phố Thủ Đức",
     "Ủy ban Kiểm tra Thành ủy Thủ Đức"),
    ("UBND Quận 2", "Quận 2", "Thành phố Thủ Đức", "UBND thành phố Thủ Đức"),
    ("Quận đoàn 2", "Quận 2", "Thành phố Thủ Đức", "Thành đoàn Thủ Đức"),
    ("Quận ủy Thủ Đức", "Quận Thủ Đức", "Thành phố Thủ Đức", "Thành ủy Thủ Đức"),
    ("Quận ủy Thủ Đức", "Quận Thủ Đức", "Quận 2", "Quận ủy Quận 2"),
    ("Ban Tổ chức Quận ủy Thủ Đức", "Quận Thủ Đức", "Quận 2", "Ban Tổ chức Quận ủy Quận 2"),
    ("Đảng ủy phường An Khánh", "Phường An Khánh", "Phường 1", "Đảng ủy Phường 1"),
    ("Đảng ủy Phường 1", "Phường 1", "Phường Bàn Cờ", "Đảng ủy phường Bàn Cờ"),
])
def test_the_committee_words_follow_the_new_area_s_kind(name, old, new, want):
    assert rename_for_area(name, old, new) == want


@pytest.mark.parametrize("name, place, head", [
    ("UBKT Tỉnh ủy Hải Dương", "Hải Dương", "UBKT"),
    ("Ủy ban Kiểm tra Thành ủy", "Hải Phòng", "Ủy ban Kiểm tra"),  # no place: its committee
    ("Hội đồng nhân dân thành phố Hải Phòng", "Hải Phòng", "Hội đồng nhân dân"),
    ("Văn phòng UBND thành phố", "Hải Phòng", "Văn phòng UBND"),  # a territorial word
    ("Ban Quản lý các KCN Bắc Ninh", "Bắc Ninh", "Ban Quản lý các KCN"),  # the place
    ("Ban Tuyên giáo", "Hà Giang", "Ban Tuyên giáo"),  # nothing after the head
    ("Tỉnh đoàn Hải Dương", "Hải Dương", ""),  # the committee is the body
    ("Đảng ủy phường Hồng Bàng", "Hồng Bàng", ""),
    # `Xã hội` is no commune (capitalised, not before the place); `tỉnh` is the province
    ("Sở Lao động - Thương binh và Xã hội tỉnh Hà Giang", "Hà Giang",
     "Sở Lao động - Thương binh và Xã hội"),
    # `Đảng đoàn` is a body's Party group, not a committee of an area
    ("Đảng đoàn HĐND tỉnh Hà Giang", "Hà Giang", "Đảng đoàn HĐND"),
])
def test_the_head_of_a_name_ends_at_its_committee_or_place_words(name, place, head):
    assert name[:head_end(name, place)].rstrip() == head


@pytest.mark.parametrize("name, peers, want", [
    # the chosen name abbreviates its head, the peer writes it out: the peer's head, the
    # chosen name's committee and place
    ("UBKT Thành ủy Hải Phòng", [("Ủy ban Kiểm tra Thành ủy", "Hải Phòng")],
     "Ủy ban Kiểm tra Thành ủy Hải Phòng"),
    ("HĐND tỉnh Tuyên Quang", [("Hội đồng nhân dân tỉnh Hà Giang", "Hà Giang")],
     "Hội đồng nhân dân tỉnh Tuyên Quang"),
    ("Sở GD&ĐT tỉnh Tuyên Quang", [("Sở Giáo dục và Đào tạo tỉnh Hà Giang", "Hà Giang")],
     "Sở Giáo dục và Đào tạo tỉnh Tuyên Quang"),
    ("Ủy ban MTTQ Việt Nam tỉnh Tuyên Quang",
     [("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Giang", "Hà Giang")],
     "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Tuyên Quang"),
    # the other order: the chosen name writes it out already
    ("Ủy ban Kiểm tra Tỉnh ủy Tuyên Quang", [("UBKT Tỉnh ủy Hà Giang", "Hà Giang")],
     "Ủy ban Kiểm tra Tỉnh ủy Tuyên Quang"),
    # both short: no peer writes it out, and the table cannot (folded, without marks)
    ("UBND tỉnh Tuyên Quang", [("UBND tỉnh Hà Giang", "Hà Giang")], "UBND tỉnh Tuyên Quang"),
    # both written out
    ("Ủy ban nhân dân tỉnh Tuyên Quang", [("Ủy ban nhân dân tỉnh Hà Giang", "Hà Giang")],
     "Ủy ban nhân dân tỉnh Tuyên Quang"),
    # a head that differs: `Việt Nam` is not in the short one's words
    ("Ủy ban MTTQ tỉnh Tuyên Quang",
     [("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Giang", "Hà Giang")],
     "Ủy ban MTTQ tỉnh Tuyên Quang"),
    ("UBND tỉnh Tuyên Quang", [("Ủy ban Kiểm tra Tỉnh ủy Hà Giang", "Hà Giang")],
     "UBND tỉnh Tuyên Quang"),
    # a peer that abbreviates a part of it does not write it out
    ("Văn phòng HĐND và UBND tỉnh Tuyên Quang",
     [("Văn phòng HĐND và Ủy ban nhân dân tỉnh Hà Giang", "Hà Giang")],
     "Văn phòng HĐND và UBND tỉnh Tuyên Quang"),
    # of several peers, the one that writes the most words
    ("Đoàn TN tỉnh Tuyên Quang", [("Đoàn TNCS Hồ Chí Minh tỉnh Hà Giang", "Hà Giang"),
                                  ("Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Kạn", "Bắc Kạn")],
     "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Tuyên Quang"),
    # no head (the committee is the body), no peer
    ("Tỉnh đoàn Tuyên Quang", [("Đoàn TNCS Hồ Chí Minh tỉnh Hà Giang", "Hà Giang")],
     "Tỉnh đoàn Tuyên Quang"),
    ("UBKT Tỉnh ủy Tuyên Quang", [], "UBKT Tỉnh ủy Tuyên Quang"),
])
def test_a_short_head_is_written_out_as_a_peer_writes_it(name, peers, want):
    place = " ".join(name.split()[-2:])  # every place here is two words
    new = written_out_head(name, place, peers)
    assert new == want
    # the same words as the chosen name: only the form of its head changes
    assert name_words(new) == name_words(name)


@pytest.mark.parametrize(("name", "area", "want"), [
    ("Thành ủy Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh", True),
    ("Thành đoàn Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh", True),
    # the place only after the committee words, or the whole name after no committee
    ("Thành ủy Hải Phòng", "Thành phố Hải Phòng", False),
    ("Sở Nội vụ Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh", False),
    ("Thành ủy Thành phố Hồ Chí Minh", "Hồ Chí Minh", False),  # no territorial words
])
def test_an_area_written_whole_after_its_committee_words(name, area, want):
    assert whole_name_after_committee(name, area) is want


@pytest.mark.parametrize(("name", "want"), [
    ("Ban Tổ chức Thành ủy Hồ Chí Minh", "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh"),
    ("Sở Nội vụ thành phố Hồ Chí Minh", "Sở Nội vụ Thành phố Hồ Chí Minh"),
    ("Thành ủy Thành phố Hồ Chí Minh", "Thành ủy Thành phố Hồ Chí Minh"),
    # the body's own Hồ Chí Minh is kept: only the area's, the last, is written whole
    ("Đoàn TNCS Hồ Chí Minh thành phố Hồ Chí Minh",
     "Đoàn TNCS Hồ Chí Minh Thành phố Hồ Chí Minh"),
    ("Văn phòng Thành ủy", "Văn phòng Thành ủy"),
])
def test_a_name_takes_the_area_written_whole(name, want):
    assert with_whole_name(name, "Thành phố Hồ Chí Minh") == want


@pytest.mark.parametrize(("name", "old", "new", "want"), [
    # a numbered ward's territorial word is capitalised in its bodies' names, a named
    # ward's is not: the word's case follows the new place
    ("UBND Phường 1", "Phường 1", "Phường Bàn Cờ", "UBND phường Bàn Cờ"),
    ("Đảng ủy Phường 12", "Phường 12", "Phường Diên Hồng", "Đảng ủy phường Diên Hồng"),
    ("Đảng ủy phường 1", "Phường 1", "Phường Bàn Cờ", "Đảng ủy phường Bàn Cờ"),
    ("UBND phường Tân Định", "Phường Tân Định", "Phường 1", "UBND Phường 1"),
    ("Quận ủy Quận 1", "Quận 1", "Quận 3", "Quận ủy Quận 3"),
    ("UBND phường Bến Nghé", "Phường Bến Nghé", "Phường Sài Gòn", "UBND phường Sài Gòn"),
])
def test_a_numbered_place_renamed_writes_its_word_as_the_new_place_does(name, old, new, want):
    assert rename_for_area(name, old, new) == want


@pytest.mark.parametrize("name_en, old, new, want", [
    # the area's kind word changes with it, before or after the place
    ("Thu Duc District Party Committee", "Thu Duc District", "Thu Duc City",
     "Thu Duc City Party Committee"),
    ("Inspection Committee of the District 2 Party Committee", "District 2", "Thu Duc City",
     "Inspection Committee of the Thu Duc City Party Committee"),
    ("District 9 People's Committee", "District 9", "Thu Duc City",
     "Thu Duc City People's Committee"),
    ("Binh Duong Provincial People's Council", "Binh Duong Province", "Ho Chi Minh City",
     "Ho Chi Minh City People's Council"),
    ("Hai Duong Provincial Party Committee", "Hai Duong Province", "Hai Phong City",
     "Hai Phong City Party Committee"),
    ("Con Dao District People's Committee", "Con Dao District", "Con Dao Special Zone",
     "Con Dao Special Zone People's Committee"),
    # the same kind: the place only, as before
    ("Ha Giang Provincial Party Committee", "Ha Giang Province", "Tuyen Quang Province",
     "Tuyen Quang Provincial Party Committee"),
    ("Organisation Board of the Binh Duong Party Committee", "Binh Duong Province",
     "Ho Chi Minh City", "Organisation Board of the Ho Chi Minh Party Committee"),
    # no place: the committee's kind word is its area's
    ("Office of the District Party Committee", "District 2", "Thu Duc City",
     "Office of the City Party Committee"),
    ("Office of Finance and Planning", "Thu Duc District", "Thu Duc City",
     "Office of Finance and Planning"),
    ("Office of the District Party Committee", "District 2", "District 9",
     "Office of the District Party Committee"),
])
def test_the_english_name_takes_the_new_area_s_name_and_kind(name_en, old, new, want):
    assert rename_english_for_area(name_en, old, new) == want


def test_an_english_area_name_splits_into_kind_and_place():
    assert split_english_area_name("Thu Duc District") == ("District", "Thu Duc", False)
    assert split_english_area_name("District 2") == ("District", "2", True)
    assert split_english_area_name("Con Dao Special Zone") == ("Special Zone", "Con Dao", False)
    assert split_english_area_name("Viet Nam") == ("", "Viet Nam", False)
