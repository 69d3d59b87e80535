"""The impact report read as whole tables answers what it answers unit by unit, also where
the whole-table reading takes shortcuts: a broken structure (the warnings' checks read each
unit's parent first and the changed units only for a suspect), a scenario whose headcount
table is the baseline's corrected for the units whose figures it hides or adds, and the
scenario's roots read from the baseline's answer and the state's own records."""

from __future__ import annotations

import dataclasses
import random
import sys
from pathlib import Path

import pytest

from graph.dates import PartialDate
from graph.embedded.memory import MemoryGraph
from graph.model import Headcount, Relation
from graph.scenarios.tables import DayTables
from loaders import read_dataset
from tests.graph.scenarios.test_bulk import per_unit_equals_tables, reports
from tests.graph.scenarios.test_random_plans import random_plan

impact_module = sys.modules["graph.scenarios.impact"]
SEED = Path(__file__).resolve().parents[3] / "data" / "seed"


@pytest.fixture(scope="module")
def base() -> MemoryGraph:
    return MemoryGraph(read_dataset(SEED))


def planned(base: MemoryGraph, seed: int):
    """A state after a few random operations (its log names the subjects)."""
    state, applied = random_plan(base, 900 + seed, 12, f"t{seed}")
    assert applied
    return state


def broken(state, rng: random.Random):
    """The state with hand edits the operations never make: subjects hung under a unit
    that does not exist, one without its parent link, one with two parents, baseline
    headcount figures hidden and new ones added."""
    at = state.effective_at
    draft = state.draft()
    subjects = [s for e in state.log for s in e.subjects
                if state.get_unit(s) is not None and state.get_unit(s).valid_at(at)]
    subjects = list(dict.fromkeys(subjects))
    rng.shuffle(subjects)
    links = {s: [r for r in state.relations(s, at, types=("PART_OF",))] for s in subjects}
    linked = [s for s in subjects if links[s]]
    # a unit of the baseline that had a parent there too (its orphan warning says so)
    cut = next(s for s in linked if state.base.parent(s, at) is not None
               and (u := state.base.get_unit(s)) is not None and u.valid_at(at))
    linked.remove(cut)
    assert len(linked) >= 3
    ghost, second, other = linked[:3]
    old = links[ghost][0]
    draft.replace_relation(old, dataclasses.replace(old, target_id="no-such-unit"))
    draft.replace_relation(links[cut][0], None)
    draft.replace_relation(None, Relation(source_id=second, type="PART_OF",
                                          target_id=links[other][0].target_id))
    figures = [h for s in subjects for h in state.headcounts(s)]
    for h in figures[:3]:
        draft.replace_headcount(h, None)
    for s in subjects[4:7]:
        draft.replace_headcount(None, Headcount(unit_id=s, date=PartialDate.parse("2017-03"),
                                                headcount=17, basis="approved"))
    return draft


@pytest.mark.parametrize("seed", range(6))
def test_a_broken_scenario_reports_the_same_either_way(base, seed, monkeypatch):
    state = broken(planned(base, seed), random.Random(seed))
    one_by_one, bulk, made = reports(base, state, monkeypatch)
    assert made == 2
    assert bulk == one_by_one
    warnings = one_by_one["warnings"]
    assert any(w.startswith("orphan:") and "no-such-unit" in w for w in warnings)
    assert any(w.startswith("orphan:") and "has none" in w for w in warnings)
    assert any(w.startswith("two parents:") for w in warnings)


@pytest.mark.parametrize("seed", range(6))
def test_the_scenarios_headcount_table_over_the_baselines(base, seed):
    state = broken(planned(base, seed), random.Random(seed))
    ids = sorted({u.id for u in state.dataset().units})
    for at in {state.at, state.effective_at}:
        over = DayTables(state, at, DayTables(base, at))
        assert over.baseline is not None  # the shortcut is taken
        assert over.headcount_of == DayTables(state, at).headcount_of
        for uid in ids:
            h = state.headcount(uid, at)
            assert over.headcount(uid) == (h.headcount if h else None), uid
        # on another date, or over another baseline, the tables are read in bulk
        assert DayTables(state, at, DayTables(base, state.at.replace(year=2000))).baseline \
            is None
    assert per_unit_equals_tables(state, state.effective_at, ids) == len(ids)


@pytest.mark.parametrize("seed", range(3))
def test_the_scenarios_roots_over_the_baselines(base, seed):
    state = planned(base, seed)
    ids = [s for e in state.log for s in e.subjects] + ["no-such-unit"]
    assert impact_module._units_over(state, base.get_units(ids), ids) == \
        state.get_units(ids)
