"""The name of a body formed from paired bodies (graph/scenarios/territory.py, `body_spec`):
from the first of the group whose name carries its area's place, the id from the first.

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


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two_provinces")
    with open(folder / "units.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "name_en", "abbr", "kind", "level", "area", "valid_from",
                    "source"])
        w.writerows(row + ("2010", "test:body_spec") for row in UNITS)
    with open(folder / "relations.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source_id", "type", "target_id", "source"])
        w.writerows((child, "PART_OF", parent, "test:body_spec")
                    for child, parent in PARENTS.items())
    state, log = apply(new_state(MemoryGraph(read_dataset(Path(folder))), AT), [CONSOLIDATE])
    return state, dict(log[0].bodies)


def test_the_name_comes_from_the_peer_that_carries_its_place(consolidated):
    state, groups = consolidated
    # the id from the first body of the group, the name from Tuyên Quang's
    assert groups["tq25-btg"] == ("hg-btg", "tq-btg")
    new = state.get_unit("tq25-btg")
    assert new.name == "Ban Tuyên giáo Tỉnh ủy Tuyên Quang"
    assert new.name_en == "Propaganda Board of the Tuyen Quang Party Committee"
    assert new.abbr == "BTG"
    assert new.area == "tq25" and new.kind == "party_board"


def test_when_the_first_carries_its_place_its_name_is_kept(consolidated):
    state, groups = consolidated
    assert groups["tq25-btc"] == ("hg-btc", "tq-btc")
    new = state.get_unit("tq25-btc")
    assert new.name == "Ban Tổ chức Tỉnh ủy Tuyên Quang"
    assert new.name_en == "Organisation Board of the Tuyen Quang Party Committee"
    assert new.abbr == "BTC-HG"  # Hà Giang's, renamed: the first of the tie
    assert state.get_unit("tq25-tu").name == "Tỉnh ủy Tuyên Quang"


def test_when_no_peer_carries_its_place_the_first_s_name_is_kept(consolidated):
    state, groups = consolidated
    assert groups["tq25-vp"] == ("hg-vp", "tq-vp")
    new = state.get_unit("tq25-vp")
    assert (new.name, new.abbr) == ("Văn phòng Tỉnh ủy", "VP-HG")
