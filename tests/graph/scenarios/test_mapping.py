"""Bulk operations: selectors and mapping tables (tests/data/t_provinces_plans over
tests/data/t_provinces)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.errors import Conflict, InvalidParameter
from graph.scenarios import apply, new_state, parse_operations
from graph.scenarios.files import read_plan
from graph.scenarios.impact import impact
from graph.scenarios.mapping import mapping_from_csv, mapping_from_yaml
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
PLANS = DATA / "t_provinces_plans"


@pytest.fixture(scope="module")
def provinces():
    return MemoryGraph(read_dataset(DATA / "t_provinces"))


def test_a_plan_with_mapping_tables_replays_the_reform(provinces):
    plan = read_plan(PLANS / "reform.yaml")
    assert [op.op for op in plan.operations] == ["consolidate_map", "dissolve_level",
                                                 "consolidate_map"]
    assert plan.operations[0].rows[0].where == "provinces.csv:2"
    assert plan.operations[2].rows[0].units == ("pa-d1-c1", "pa-d1-c2")
    state, log = apply(new_state(provinces, plan.at), plan.operations)
    at = state.effective_at
    assert state.get_unit("pn").name_en == "An Son Province"
    assert state.parent("xm", at) == "pn" and state.parent("xm-du", at) == "pn-tu"
    assert [u.id for u in state.units(at, kind="district")] == []
    report = impact(provinces, state).to_dict()
    assert report["units"]["by_kind"]["province"] == {"before": 2, "after": 1, "change": -1}
    assert report["units"]["by_kind"]["commune"] == {"before": 3, "after": 2, "change": -1}


def test_a_selector_chooses_the_units_of_a_kind_within_an_area(provinces):
    plan = read_plan(PLANS / "communes_select.yaml")
    state, log = apply(new_state(provinces, plan.at), plan.operations)
    assert log[0].ended[:2] == ("pa-d1-c1", "pa-d1-c2")
    assert state.get_unit("xd-ubnd") is not None
    # a selector that picks one unit cannot consolidate
    with pytest.raises(Conflict, match=r"select chooses 1 unit .*pb-d1-c1"):
        apply(new_state(provinces, "2025-07-01"), [{
            "op": "consolidate", "select": {"kind": "commune", "within": "pb"},
            "new": {"id": "x", "name": "X"}}])


def test_selectors_are_validated():
    with pytest.raises(InvalidParameter) as exc:
        parse_operations([{"op": "consolidate", "select": {"kind": "communes"},
                           "new": {"id": "x", "name": "X"}},
                          {"op": "merge", "into": "a", "units": ["b"],
                           "select": {"level": "commune"}}])
    fields = [e["field"] for e in exc.value.errors]
    assert "select.kind" in fields and "select" in fields


def test_mapping_table_errors_name_the_row():
    with pytest.raises(InvalidParameter, match=r"bad_rows.csv:3: new_id: is required"):
        read_plan_ops([{"op": "consolidate_map", "mapping": "bad_rows.csv"}])
    with pytest.raises(InvalidParameter, match=r"m.csv:1: missing column 'units'"):
        mapping_from_csv("new_id,new_name\nx,X\n", "m.csv")
    with pytest.raises(InvalidParameter, match=r"m.csv:3: new_name 'Y' differs"):
        mapping_from_csv("new_id,new_name,old_id\nx,X,a\nx,Y,b\n", "m.csv")
    rows = mapping_from_yaml("- new: {id: x, name: X}\n  units: [a, b]\n"
                             "- new: {id: y, name: Y}\n  units: [b, c]\n", "m.yaml")
    with pytest.raises(InvalidParameter, match=r"m.yaml:3: units: b is also listed by m.yaml:1"):
        parse_operations([{"op": "consolidate_map", "rows": rows}])


def test_a_conflict_in_a_mapping_names_the_row(provinces):
    plan_ops = read_plan_ops([{"op": "consolidate_map", "mapping": "unknown_unit.yaml"}])
    with pytest.raises(Conflict, match=r"operation 1 \(consolidate_map\): unknown_unit.yaml:3: "
                                       r"unit pz is unknown"):
        apply(new_state(provinces, "2025-07-01"), plan_ops)


def test_mapping_tables_are_bounded(monkeypatch):
    monkeypatch.setenv("BOMAY_SCENARIO_MAX_MAPPING_ROWS", "2")
    text = "new_id,new_name,units\n" + "".join(f"n{i},N{i},a{i};b{i}\n" for i in range(3))
    with pytest.raises(InvalidParameter, match=r"m.csv:4: more than 2 rows"):
        mapping_from_csv(text, "m.csv")
    rows = [{"new": {"id": f"n{i}", "name": "N"}, "units": [f"a{i}", f"b{i}"]}
            for i in range(3)]
    with pytest.raises(InvalidParameter, match="3 rows; the limit is 2"):
        parse_operations([{"op": "consolidate_map", "rows": rows}])


def read_plan_ops(operations):
    from graph.scenarios.files import parse_plan
    return parse_plan({"operations": operations}, base=PLANS).operations
