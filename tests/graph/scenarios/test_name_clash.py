"""`graph.scenarios.name_clash`: an operation that leaves two units of one name under one
parent says so in its log, on tests/data/t_names (three communes named Xã Tân Lập, two in
An Hà's districts, one ended in 2015; a district Huyện Yên Sơn in each province)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.scenarios.apply import apply
from graph.scenarios.name_clash import name_key
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
AT = "2025-07-01"


@pytest.fixture(scope="module")
def reader():
    return MemoryGraph(read_dataset(DATA / "t_names"))


def _clashes(log) -> list[str]:
    return [w for w in log.warnings if "borne by more than one unit" in w]


def test_a_dissolved_district_level_puts_two_communes_of_one_name_under_the_province(reader):
    _, log = apply(reader, [{"op": "dissolve_level", "level": "district", "within": "pa"}], at=AT)
    (warning,) = _clashes(log[0])
    assert warning.startswith("1 name is now borne by more than one unit under one parent: "
                              "'Xã Tân Lập' under Tỉnh An Hà (pa): pa-d1-c1, pa-d2-c1 ("), warning
    assert "pa-d2-c9" not in warning  # ended in 2015: not under the province on the date


def test_two_provinces_consolidated_put_their_districts_of_one_name_side_by_side(reader):
    _, log = apply(reader, [{"op": "consolidate", "units": ["pa", "pb"],
                             "new": {"id": "pab", "name": "Tỉnh An Bắc"}}], at=AT)
    (warning,) = _clashes(log[0])
    assert "'Huyện Yên Sơn' under Tỉnh An Bắc (pab): pa-d1, pb-d1" in warning, warning


def test_only_a_name_shared_with_a_unit_that_came_is_reported(reader):
    _, log = apply(reader, [{"op": "move", "unit": "pa-d2-c1", "parent": "pa-d1"},
                            {"op": "move", "unit": "pa-d2-c3", "parent": "pa-d1"}], at=AT)
    (first,) = _clashes(log[0])
    assert "'Xã Tân Lập' under Huyện Yên Sơn (pa-d1): pa-d1-c1, pa-d2-c1" in first, first
    assert _clashes(log[1]) == []  # Xã Đông Phú shares no name; the clash is the first's


def test_a_move_that_leaves_names_distinct_gives_no_warning(reader):
    _, log = apply(reader, [{"op": "move", "unit": "pa-d2-c3", "parent": "pa-d1"}], at=AT)
    assert _clashes(log[0]) == []


def test_names_compare_as_spelt_whatever_the_case_spaces_and_normal_form():
    assert name_key("Xã  Tân Lập ") == name_key("XÃ TÂN LẬP")
    assert name_key("Xã Ta\u0302n La\u0323\u0302p") == name_key("Xã Tân Lập")  # NFD vs NFC
    assert name_key("Xã Tân Lập") != name_key("Xã Tân Lạp")
