"""The name of a body formed from paired bodies (graph/scenarios/territory.py, `body_spec`):
from the peer of the area the new one is named after, else from the first of the group
whose name carries its area's place; the id from the first.

A dataset of its own: Tỉnh Hà Giang (`hg`, first) and Tỉnh Tuyên Quang (`tq`) consolidate
into Tỉnh Tuyên Quang (`tq25`). Each has a Provincial Party Committee with two boards:
Hà Giang's Propaganda Board is named without its place (`Ban Tuyên giáo`), Tuyên Quang's
with it; both Organisation Boards carry their place; neither Office does.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.scenarios import apply, new_state
from loaders import read_dataset

AT = "2025-07-01"
UNITS = [
    # id, name, name_en, abbr, kind, level, area
    ("vn", "Việt Nam", "Viet Nam", "", "other", "central", ""),
    ("hg", "Tỉnh Hà Giang", "Ha Giang Province", "", "province", "province", ""),
    ("tq", "Tỉnh Tuyên Quang", "Tuyen Quang Province", "", "province", "province", ""),
    ("hg-tu", "Tỉnh ủy Hà Giang", "Ha Giang Provincial Party Committee", "TU",
     "party_committee", "province", "hg"),
    ("tq-tu", "Tỉnh ủy Tuyên Quang", "Tuyen Quang Provincial Party Committee", "TU",
     "party_committee", "province", "tq"),
    ("hg-btg", "Ban Tuyên giáo", "Propaganda Board", "", "party_board", "province", "hg"),
    ("tq-btg", "Ban Tuyên giáo Tỉnh ủy Tuyên Quang",
     "Propaganda Board of the Tuyen Quang Party Committee", "BTG", "party_board",
     "province", "tq"),
    ("hg-btc", "Ban Tổ chức Tỉnh ủy Hà Giang",
     "Organisation Board of the Ha Giang Party Committee", "BTC-HG", "party_board",
     "province", "hg"),
    ("tq-btc", "Ban Tổ chức Tỉnh ủy Tuyên Quang",
     "Organisation Board of the Tuyen Quang Party Committee", "BTC-TQ", "party_board",
     "province", "tq"),
    ("hg-vp", "Văn phòng Tỉnh ủy", "Party Office", "VP-HG", "party_office", "province", "hg"),
    ("tq-vp", "Văn phòng Tỉnh ủy", "Party Office", "VP-TQ", "party_office", "province", "tq"),
]
PARENTS = {"hg": "vn", "tq": "vn", "hg-tu": "hg", "tq-tu": "tq", "hg-btg": "hg-tu",
           "tq-btg": "tq-tu", "hg-btc": "hg-tu", "tq-btc": "tq-tu", "hg-vp": "hg-tu",
           "tq-vp": "tq-tu"}
CONSOLIDATE = {"op": "consolidate", "units": ["hg", "tq"],
               "new": {"id": "tq25", "name": "Tỉnh Tuyên Quang",
                       "name_en": "Tuyen Quang Province"}}


def consolidate(folder: Path, units, parents, op) -> tuple:
    """The state after `op` over a dataset of `units` and PART_OF `parents`, and its groups."""
    with open(folder / "units.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "name_en", "abbr", "kind", "level", "area", "valid_from",
                    "source"])
        w.writerows(row + ("2010", "test:body_spec") for row in units)
    with open(folder / "relations.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source_id", "type", "target_id", "source"])
        w.writerows((child, "PART_OF", parent, "test:body_spec")
                    for child, parent in parents.items())
    state, log = apply(new_state(MemoryGraph(read_dataset(Path(folder))), AT), [op])
    return state, dict(log[0].bodies)


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory):
    return consolidate(tmp_path_factory.mktemp("two_provinces"), UNITS, PARENTS, CONSOLIDATE)


def test_the_name_comes_from_the_peer_that_carries_its_place(consolidated):
    state, groups = consolidated
    # the id from the first body of the group, the name from Tuyên Quang's
    assert groups["tq25-btg"] == ("hg-btg", "tq-btg")
    new = state.get_unit("tq25-btg")
    assert new.name == "Ban Tuyên giáo Tỉnh ủy Tuyên Quang"
    assert new.name_en == "Propaganda Board of the Tuyen Quang Party Committee"
    assert new.abbr == "BTG"
    assert new.area == "tq25" and new.kind == "party_board"


def test_when_both_carry_their_place_the_namesake_s_name_is_taken(consolidated):
    state, groups = consolidated
    assert groups["tq25-btc"] == ("hg-btc", "tq-btc")
    new = state.get_unit("tq25-btc")
    assert new.name == "Ban Tổ chức Tỉnh ủy Tuyên Quang"
    assert new.name_en == "Organisation Board of the Tuyen Quang Party Committee"
    assert new.abbr == "BTC-TQ"  # Tuyên Quang's: the namesake of the new province
    assert state.get_unit("tq25-tu").name == "Tỉnh ủy Tuyên Quang"


def test_when_no_peer_carries_its_place_the_namesake_s_name_is_taken(consolidated):
    state, groups = consolidated
    assert groups["tq25-vp"] == ("hg-vp", "tq-vp")  # the id from the first
    new = state.get_unit("tq25-vp")
    assert (new.name, new.abbr) == ("Văn phòng Tỉnh ủy", "VP-TQ")


def test_when_no_peer_carries_its_place_nor_is_the_namesake_s_the_first_s_is_kept(tmp_path):
    state, groups = consolidate(tmp_path, UNITS, PARENTS, {
        **CONSOLIDATE, "new": {"id": "ah25", "name": "Tỉnh An Hà", "name_en": "An Ha Province"}})
    assert groups["ah25-vp"] == ("hg-vp", "tq-vp")
    assert (state.get_unit("ah25-vp").name, state.get_unit("ah25-vp").abbr) == (
        "Văn phòng Tỉnh ủy", "VP-HG")


#: Tỉnh Hải Dương (first) and Thành phố Hải Phòng form Thành phố Hải Phòng (2025): a city's
#: Party Committee is a `Thành ủy`, its Youth Union a `Thành đoàn`.
CITY_UNITS = [
    ("vn", "Việt Nam", "Viet Nam", "", "other", "central", ""),
    ("hd", "Tỉnh Hải Dương", "Hai Duong Province", "", "province", "province", ""),
    ("hp", "Thành phố Hải Phòng", "Hai Phong City", "", "province", "province", ""),
    ("hd-tu", "Tỉnh ủy Hải Dương", "", "", "party_committee", "province", "hd"),
    ("hp-tu", "Thành ủy Hải Phòng", "", "", "party_committee", "province", "hp"),
    ("hd-btc", "Ban Tổ chức Tỉnh ủy Hải Dương", "", "", "party_board", "province", "hd"),
    ("hp-btc", "Ban Tổ chức Thành ủy", "", "", "party_board", "province", "hp"),
    ("hd-tdoan", "Tỉnh đoàn Hải Dương", "", "", "mass_org", "province", "hd"),
    ("hp-tdoan", "Thành đoàn Hải Phòng", "", "", "mass_org", "province", "hp"),
    # neither Office carries its place (`tests/data/r_hai_phong`)
    ("hd-vptu", "Văn phòng Tỉnh ủy", "Office of the Provincial Party Committee", "VPTU",
     "party_office", "province", "hd"),
    ("hp-vptu", "Văn phòng Thành ủy", "Office of the City Party Committee", "",
     "party_office", "province", "hp"),
]
CITY_PARENTS = {"hd": "vn", "hp": "vn", "hd-tu": "hd", "hp-tu": "hp", "hd-btc": "hd-tu",
                "hp-btc": "hp-tu", "hd-tdoan": "hd", "hp-tdoan": "hp", "hd-vptu": "hd-tu",
                "hp-vptu": "hp-tu"}


def test_a_province_and_a_city_form_a_city_whose_bodies_are_the_city_s(tmp_path):
    state, groups = consolidate(tmp_path, CITY_UNITS, CITY_PARENTS, {
        "op": "consolidate", "units": ["hd", "hp"],
        "new": {"id": "hp25", "name": "Thành phố Hải Phòng", "name_en": "Hai Phong City"}})
    assert groups["hp25-tu"] == ("hd-tu", "hp-tu")  # the id from the first
    # the namesake's names where they carry the place; Hải Dương's renamed for the city
    # where Hải Phòng's does not (`Ban Tổ chức Thành ủy`): `Tỉnh ủy` becomes `Thành ủy`
    assert {i: state.get_unit(i).name for i in groups} == {
        "hp25-tu": "Thành ủy Hải Phòng", "hp25-btc": "Ban Tổ chức Thành ủy Hải Phòng",
        "hp25-tdoan": "Thành đoàn Hải Phòng", "hp25-vptu": "Văn phòng Thành ủy"}
    # neither Office carries its place: the city's own, not the province's `Văn phòng
    # Tỉnh ủy` (the first's) for a city
    vp = state.get_unit("hp25-vptu")
    assert groups["hp25-vptu"] == ("hd-vptu", "hp-vptu")
    assert (vp.name_en, vp.abbr) == ("Office of the City Party Committee", "")


#: Hà Giang and Tuyên Quang's councils, committees and Fronts, each head written out on one
#: side and abbreviated on the other, both ways round (Hà Giang first), or alike on both.
HEAD_UNITS = UNITS[:5] + [
    # the short form carries the place (the name taken), the written-out one does not
    ("hg-ubkt", "UBKT Tỉnh ủy Hà Giang", "Inspection Committee of the Ha Giang Party Committee",
     "UBKT", "inspection_committee", "province", "hg"),
    ("tq-ubkt", "Ủy ban Kiểm tra Tỉnh ủy", "Inspection Committee", "UBKT-TQ",
     "inspection_committee", "province", "tq"),
    # the namesake's (the name taken) is the short one, the first's written out
    ("hg-hdnd", "Hội đồng nhân dân tỉnh Hà Giang", "Ha Giang People's Council", "HĐND-HG",
     "people_council", "province", "hg"),
    ("tq-hdnd", "HĐND tỉnh Tuyên Quang", "Tuyen Quang People's Council", "HĐND",
     "people_council", "province", "tq"),
    # both short, both written out
    ("hg-ubnd", "UBND tỉnh Hà Giang", "", "", "government", "province", "hg"),
    ("tq-ubnd", "UBND tỉnh Tuyên Quang", "", "", "government", "province", "tq"),
    ("hg-sgddt", "Sở Giáo dục và Đào tạo tỉnh Hà Giang", "", "", "department", "province", "hg"),
    ("tq-sgddt", "Sở Giáo dục và Đào tạo tỉnh Tuyên Quang", "", "", "department", "province",
     "tq"),
    # a head that differs: Tuyên Quang's short form leaves `Việt Nam` out
    ("hg-mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Giang", "", "", "front", "province",
     "hg"),
    ("tq-mttq", "Ủy ban MTTQ tỉnh Tuyên Quang", "", "", "front", "province", "tq"),
]
HEAD_PARENTS = {"hg": "vn", "tq": "vn", "hg-tu": "hg", "tq-tu": "tq", "hg-ubkt": "hg-tu",
                "tq-ubkt": "tq-tu", "hg-hdnd": "hg", "tq-hdnd": "tq", "hg-ubnd": "hg",
                "tq-ubnd": "tq", "hg-sgddt": "hg-ubnd", "tq-sgddt": "tq-ubnd", "hg-mttq": "hg",
                "tq-mttq": "tq"}


@pytest.fixture(scope="module")
def heads(tmp_path_factory):
    return consolidate(tmp_path_factory.mktemp("heads"), HEAD_UNITS, HEAD_PARENTS, CONSOLIDATE)


def test_a_short_head_is_written_out_as_a_peer_writes_it(heads):
    state, groups = heads
    assert groups["tq25-ubkt"] == ("hg-ubkt", "tq-ubkt")
    ubkt = state.get_unit("tq25-ubkt")
    # Hà Giang's name (it carries the place), renamed, with Tuyên Quang's written-out head;
    # `abbr` and `name_en` are the chosen peer's, as they were
    assert ubkt.name == "Ủy ban Kiểm tra Tỉnh ủy Tuyên Quang"
    assert (ubkt.abbr, ubkt.name_en) == (
        "UBKT", "Inspection Committee of the Tuyen Quang Party Committee")
    # the other way round: the namesake's short head, written out as Hà Giang's
    hdnd = state.get_unit("tq25-hdnd")
    assert (hdnd.name, hdnd.abbr, hdnd.name_en) == (
        "Hội đồng nhân dân tỉnh Tuyên Quang", "HĐND", "Tuyen Quang People's Council")


def test_a_head_no_peer_writes_out_is_kept_as_it_is(heads):
    state, groups = heads
    assert {u: state.get_unit(u).name for u in ("tq25-ubnd", "tq25-sgddt", "tq25-mttq")} == {
        "tq25-ubnd": "UBND tỉnh Tuyên Quang",  # both short: nothing to write it out from
        "tq25-sgddt": "Sở Giáo dục và Đào tạo tỉnh Tuyên Quang",  # both written out
        "tq25-mttq": "Ủy ban MTTQ tỉnh Tuyên Quang"}  # not the same words: not its head
    assert groups["tq25-mttq"] == ("hg-mttq", "tq-mttq")
