"""The synthetic national data dates the areas of the units that move: on every date, a
unit open that day belongs to an area that exists that day (the Party cells of a
consolidated commune belong to the new commune from the reform on, and names.csv keeps
their former commune on the days before)."""

from __future__ import annotations

import datetime as dt

import pytest

from graph import rules
from graph.embedded.memory import MemoryGraph
from loaders import read_dataset
from loaders.synth import generate

REFORM = dt.date(2025, 7, 1)
DATES = (dt.date(2025, 2, 28), dt.date(2025, 3, 1), REFORM - dt.timedelta(days=1), REFORM,
         REFORM + dt.timedelta(days=1), dt.date(2026, 1, 1))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth5")
    generate(out, provinces=5, seed=1)
    return MemoryGraph(read_dataset(out))


@pytest.mark.parametrize("at", DATES, ids=str)
def test_every_open_unit_belongs_to_an_area_open_that_day(store, at):
    stray = []
    for u in store.units(at):
        area = rules.area_on(u, store.unit_names(u.id), at)
        if not area:
            continue
        where = store.get_unit(area)
        if where is None or not where.valid_at(at):
            stray.append((u.id, u.kind, area))
    assert stray == [], f"{len(stray)} units in an area closed on {at}: {stray[:5]}"


def test_the_area_listings_follow_the_move(store):
    """A moved Party cell is listed in its former commune before the reform and in the new
    one from it on (what `GET /units?area=` reads)."""
    moved = {n.unit_id: n for n in store.dataset().names if n.area}
    assert moved, "no unit of the synthetic data moved to another area"
    cells = [store.get_unit(uid) for uid in sorted(moved)]
    assert {u.kind for u in cells if u is not None} == {"party_cell"}
    cell = cells[0]
    assert cell is not None
    old, new = moved[cell.id].area, cell.area
    assert old != new
    before = REFORM - dt.timedelta(days=1)
    assert cell.id in {u.id for u in store.units(before, area=old)}
    assert cell.id not in {u.id for u in store.units(before, area=new)}
    assert cell.id in {u.id for u in store.units(REFORM, area=new)}
    assert cell.id not in {u.id for u in store.units(REFORM, area=old)}


def test_the_pre_reform_structure_has_each_moved_unit_in_its_former_area(store):
    """`bench.reform.before` (the baseline the reform is replayed on) reads the names rows:
    a moved Party cell is back in its former commune, which is open then, and no row is
    left dated past the day."""
    from bench.reform import before

    eve = REFORM - dt.timedelta(days=1)
    moved = {n.unit_id: n.area for n in store.dataset().names if n.area}
    baseline = before(store.dataset(), REFORM)
    units = {u.id: u for u in baseline.units}
    assert {uid: units[uid].area for uid in moved} == moved
    for u in baseline.units:
        assert not u.area or units[u.area].valid_at(eve), (u.id, u.area)
    assert all(n.valid_to is not None and n.valid_to.first_day() < REFORM
               for n in baseline.names)
