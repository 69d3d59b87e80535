"""`graph.areas.infer_areas`: the area of a body that names none, from its PART_OF
chain on a date, read from a real reader (the baseline, a scenario over it, and the diff's
sides, unit by unit and as whole tables)."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.dates import PartialDate
from graph.embedded.memory import MemoryGraph
from graph.model import Dataset, Relation, Unit, UnitName
from graph.scenarios import new_state
from graph.areas import infer_areas
from graph.scenarios.diff_areas import _Side

AT = dt.date(2025, 7, 1)


def _dataset(*, twin: bool = False) -> Dataset:
    """A province with two districts; in Yên Sơn, two communes and the bodies of each level,
    most naming no area; the Party's line hangs its committees under the one above."""
    units: list[Unit] = []
    rels: list[Relation] = []

    def unit(uid, name, kind, level, parent=None, area="", ends=None):
        units.append(Unit(id=uid, name=name, kind=kind, level=level, area=area))
        if parent:
            rels.append(Relation(source_id=uid, type="PART_OF", target_id=parent,
                                 valid_to=ends))

    unit("p", "Tỉnh An Hà", "province", "province")
    unit("d", "Huyện Yên Sơn", "district", "district", "p")
    unit("d2", "Huyện Lâm Hà", "district", "district", "p")
    unit("c1", "Xã Tân Lập", "commune", "commune", "d")
    unit("c2", "Xã Hòa Bình", "commune", "commune", "d")
    if twin:  # a second commune of the same place in the district
        unit("c3", "Xã Tân Lập", "commune", "commune", "d")
    unit("tw", "Ban Chấp hành Trung ương", "party_committee", "central")
    unit("tu", "Tỉnh ủy An Hà", "party_committee", "province", "tw")
    unit("ubp", "UBND tỉnh An Hà", "government", "province", "p", area="p")
    unit("stc", "Sở Tài chính", "department", "province", "ubp")
    unit("ub1", "UBND xã", "government", "commune", "c1")
    unit("d-hu", "Huyện ủy Yên Sơn", "party_committee", "district", "d")
    unit("d-vp", "Văn phòng Huyện ủy", "party_office", "district", "d-hu")
    unit("c1-du", "Đảng ủy xã Tân Lập", "party_committee", "commune", "d-hu")
    unit("c2-du", "Đảng ủy xã Hòa Bình", "party_committee", "commune", "d-hu")
    unit("x-du", "Đảng ủy cơ quan", "party_committee", "commune", "d-hu")  # no place
    # a centre that moved to Lâm Hà after the date (names.csv dates its area)
    unit("ttyt", "Trung tâm Y tế", "centre", "district", "p", area="d2")
    unit("ttyt-k", "Khoa Nội", "other", "district", "ttyt")
    # a team whose link to its commune ends on the date (cut by an operation of the day)
    unit("tct", "Tổ công tác", "other", "commune", "c2", ends=PartialDate.of(AT))
    names = (UnitName(unit_id="ttyt", name="Trung tâm Y tế", area="d",
                      valid_to=PartialDate(2026, 1, 1)),)
    return Dataset(units=tuple(units), relations=tuple(rels), names=names)


READERS = ("memory", "scenario", "side", "side-bulk")


def _reader(how: str, data: Dataset):
    base = MemoryGraph(data)
    if how == "memory":
        return base
    if how == "scenario":
        return new_state(base, AT)
    return _Side(base, AT, {"ttyt"}, bulk=how == "side-bulk")


def _infer(how: str, ids: list[str], *, twin: bool = False,
           dated: frozenset[str] = frozenset({"ttyt"})) -> dict[str, str]:
    data = _dataset(twin=twin)
    reader = _reader(how, data)
    units = {u.id: u for u in data.units}
    return infer_areas(reader, [units[i] for i in ids], AT, dated)


@pytest.mark.parametrize("how", READERS)
def test_a_body_under_an_area_is_that_area_s(how):
    assert _infer(how, ["ub1"]) == {"ub1": "c1"}


@pytest.mark.parametrize("how", READERS)
def test_a_body_under_a_body_naming_an_area_is_that_area_s(how):
    assert _infer(how, ["stc"]) == {"stc": "p"}


@pytest.mark.parametrize("how", READERS)
def test_a_parent_naming_no_area_is_inferred_first(how):
    # the office's parent, the district's Party Committee, names none: it is Yên Sơn's
    assert _infer(how, ["d-vp"]) == {"d-vp": "d"}
    assert _infer(how, ["d-vp", "d-hu"]) == {"d-vp": "d", "d-hu": "d"}


@pytest.mark.parametrize("how", READERS)
def test_a_body_of_another_level_is_the_area_of_its_level_its_name_carries(how):
    # the communes' Party Committees hang under the district's: each is the commune of
    # its level under Yên Sơn whose place its name carries; without a place, none
    assert _infer(how, ["c1-du", "c2-du", "x-du"]) == {"c1-du": "c1", "c2-du": "c2"}


@pytest.mark.parametrize("how", READERS)
def test_no_area_when_two_areas_carry_the_place(how):
    assert _infer(how, ["c1-du", "c2-du"], twin=True) == {"c2-du": "c2"}


@pytest.mark.parametrize("how", READERS)
def test_a_chain_reaching_no_area_takes_the_one_area_of_its_level_with_its_place(how):
    # the Tỉnh ủy hangs under the Central Committee, which is no area's
    assert _infer(how, ["tu", "tw"]) == {"tu": "p"}


@pytest.mark.parametrize("how", READERS)
def test_a_parent_s_dated_area_is_read_on_the_date(how):
    assert _infer(how, ["ttyt-k"]) == {"ttyt-k": "d"}
    # a unit the caller does not say is dated keeps its own area
    assert _infer(how, ["ttyt-k"], dated=frozenset()) == {"ttyt-k": "d2"}


@pytest.mark.parametrize("how", READERS)
def test_a_link_cut_on_the_date_is_read_on_the_eve(how):
    assert _infer(how, ["tct"]) == {"tct": "c2"}


def test_the_scenario_says_which_units_have_a_dated_area():
    # what the territorial operations pass as `dated`
    assert new_state(MemoryGraph(_dataset()), AT).dated_area_units() == {"ttyt"}
