"""The overlay's structure reads written out for speed answer what the general read
answers: `ScenarioState.part_of_and_parent` (the cycle check's read) what
`relations(..., types=("PART_OF",))` and `parent_from` answer, `parent` and `children`
what `relations` on the date gives, on states with history and on a unit with two
parents on one date (the case where the order decides)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from graph.dates import PartialDate
from graph.model import Relation
from graph.rules import latest_parent
from graph.scenarios import new_state

from .test_random_plans import DATES, random_plan

DAYS = [dt.date.fromisoformat(d) for d in DATES] + [dt.date(2017, 1, 1), dt.date(2030, 1, 1)]


@pytest.fixture(scope="module")
def seed_graph():
    from pathlib import Path

    from graph.embedded.memory import MemoryGraph
    from loaders import read_dataset
    return MemoryGraph(read_dataset(Path(__file__).resolve().parents[3] / "data" / "seed"))


def assert_same_reads(state) -> int:
    """Every unit's answer, on every day of `DAYS`, both ways; the number of units read
    through the overlay (those with a PART_OF link the state adds or hides)."""
    touched, changed = 0, state.changed_unit_ids()
    for unit in [*state.base.units(), *(state.get_unit(i) for i in state.new_unit_ids())]:
        links = state.relations(unit.id, None, types=("PART_OF",))
        if unit.id in changed:
            touched += 1
        for day in DAYS:
            got_links, got_parent = state.part_of_and_parent(unit.id, day)
            assert Counter(got_links) == Counter(links), unit.id
            assert got_parent == state.parent_from(unit.id, day, links), (unit.id, day)
        for day in [*DAYS, None]:
            assert_structure(state, unit.id, day)
    return touched


def assert_structure(state, unit_id: str, day: dt.date | None) -> None:
    """`parent` and `children` as the general read answers them."""
    ups = state.relations(unit_id, day, types=("PART_OF",))
    assert state.parent(unit_id, day) == latest_parent(ups, day), (unit_id, day)
    downs = state.relations(unit_id, day, types=("PART_OF",), direction="in")
    assert state.children(unit_id, day) == sorted({r.source_id for r in downs}), (unit_id, day)


@pytest.mark.parametrize("seed", range(8))
def test_the_cycle_read_equals_the_two_reads_on_random_plans(seed_graph, seed):
    state, applied = random_plan(seed_graph, 2000 + seed, 25, f"c{seed}")
    assert applied >= 5
    assert assert_same_reads(state) > 0


def test_the_cycle_read_takes_the_first_parent_in_order_when_two_hold(city):
    # Data that breaks the contract (two parents on one date): the answer is the one
    # `parent_from` gives, the first valid link in `relations`' order.
    state = new_state(city, "2018-01-01").draft()
    cell = "cb1"  # part of dbcq
    since = PartialDate.parse("2017-01-01")
    for target in ("tu", "cb2"):
        state.replace_relation(None, Relation(source_id=cell, type="PART_OF", target_id=target,
                                              valid_from=since, source="test"))
    links = state.relations(cell, None, types=("PART_OF",))
    assert sum(r.valid_at(dt.date(2018, 1, 1)) for r in links) == 3
    for day in DAYS:
        got_links, got_parent = state.part_of_and_parent(cell, day)
        assert Counter(got_links) == Counter(links)
        assert got_parent == state.parent_from(cell, day, links)
    # sorted by target: cb2 before dbcq (the baseline's) and tu (read in that order)
    assert state.part_of_and_parent(cell, dt.date(2018, 1, 1))[1] == "cb2"
    assert state.parent(cell, dt.date(2018, 1, 1)) == "cb2"
    for unit_id in (cell, "cb2", "tu", "dbcq"):
        for day in [*DAYS, None]:
            assert_structure(state, unit_id, day)
