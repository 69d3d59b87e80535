"""A committed scenario's kept JSON reads back into the typed results, losslessly."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.scenarios.apply import apply, new_state
from graph.scenarios.diff import diff
from graph.scenarios.files import read_plan
from graph.scenarios.impact import impact
from viz.scenario_record import diff_from_dict, impact_from_dict

ROOT = Path(__file__).resolve().parents[2]
PLANS = [ROOT / "docs" / "examples" / "fold-board-offices.yaml",
         Path(__file__).parent / "plans" / "two-trees.yaml",
         Path(__file__).parent / "plans" / "merge-and-move.yaml"]


@pytest.fixture(scope="module")
def seed():
    from loaders import read_dataset
    return MemoryGraph(read_dataset(ROOT / "data" / "seed"))


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_round_trip_of_the_kept_report_and_diff(seed, plan):
    parsed = read_plan(plan)
    state, _ = apply(new_state(seed, parsed.at, name=parsed.name), parsed.operations)
    report, changes = impact(seed, state), diff(seed, state)
    assert report.headcount.savings or report.units.ended  # a scenario that does something
    assert impact_from_dict(report.to_dict()) == report
    assert impact_from_dict(report.to_dict()).to_dict() == report.to_dict()
    assert diff_from_dict(changes.to_dict()) == changes
    if plan.stem == "merge-and-move":  # a move's operation and event read back too
        (moved,) = diff_from_dict(changes.to_dict()).moved
        assert (moved.id, moved.operation) == ("qn-ckhoi-chi-bo-cu-1", 2) and moved.event


def test_a_dict_of_another_shape_is_refused():
    with pytest.raises(KeyError):
        diff_from_dict({"at": "2019-01-01", "removed": ["a"]})
