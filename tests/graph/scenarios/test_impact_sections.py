"""Sections of the impact report computed with set operations and C-level lookups answer
what a plain unit-by-unit reading answers: the party groups (each unit's kind from the
scenario's reading, else the baseline's, else the readers') and a region's units read from
the roots' answer (`_units_of`: the units `reader.get_units` answers, in the ids' order)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from loaders import read_dataset
from tests.graph.scenarios.test_random_plans import random_plan

impact_module = sys.modules["graph.scenarios.impact"]
SEED = Path(__file__).resolve().parents[3] / "data" / "seed"


@pytest.fixture(scope="module")
def base() -> MemoryGraph:
    return MemoryGraph(read_dataset(SEED))


def party_by_hand(x) -> dict[str, dict[str, tuple[str, ...]]]:
    """kind -> {ended, started, moved, changed}: each unit's kind read one by one."""
    units_a, units_b = x.region_after.units, x.region_before.units

    def kind(uid: str) -> str | None:
        u = units_a.get(uid) or units_b.get(uid)
        if u is not None and u.kind:
            return u.kind
        u = x.after.get_unit(uid) or x.before.get_unit(uid)
        return u.kind if u else None

    ended_started = set(x.ended) | set(x.started)
    lists = {"ended": list(x.ended), "started": list(x.started),
             "moved": [m[0] for e in x.log for m in e.moved],
             "changed": [s for s in x.subjects if s not in ended_started]}
    return {k: {name: tuple(sorted({i for i in ids if kind(i) == k}))
                for name, ids in lists.items()}
            for k in ("party_cell", "party_committee")}


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("bulk", [False, True])
def test_party_groups_are_those_read_unit_by_unit(base, seed, bulk, monkeypatch):
    monkeypatch.setattr(impact_module, "BULK_ROOTS", 0 if bulk else 10 ** 9)
    state, applied = random_plan(base, 700 + seed, 14, f"p{seed}")
    assert applied
    report = impact_module.impact(base, state)
    x = impact_module._inputs(base.pinned(), state, None, None, None)
    expected = party_by_hand(x)
    for kind, group in (("party_cell", report.party_cells),
                        ("party_committee", report.party_committees)):
        got = {"ended": group.ended, "started": group.started, "moved": group.moved,
               "changed": group.changed}
        assert got == expected[kind], kind


def test_party_kinds_not_in_either_reading_come_from_the_readers(base, monkeypatch):
    """A unit the operations name that neither region holds (or holds without a kind) is
    sorted by the readers' record of it."""
    state, _ = random_plan(base, 705, 14, "p5")
    x = impact_module._inputs(base.pinned(), state, None, None, None)
    party = next(u for u in base.units(None) if u.kind == "party_committee")
    for units in (x.region_before.units, x.region_after.units):
        units.pop(party.id, None)
    x = impact_module._Inputs(**{**x.__dict__, "ended": x.ended + (party.id,)})
    groups = impact_module._party(x, impact_module.Counter(), impact_module.Counter())
    assert party.id in groups["party_committee"].ended
    assert party_by_hand(x)["party_committee"]["ended"] == groups["party_committee"].ended


@pytest.mark.parametrize("seed", range(4))
def test_units_of_is_get_units(base, seed):
    state, _ = random_plan(base, 800 + seed, 10, f"u{seed}")
    rng = random.Random(seed)
    for reader in (base, state):
        ids = [u.id for u in reader.units(None)]
        ids += ["no-such-unit", "nor-this-one"]
        rng.shuffle(ids)
        known = reader.get_units(rng.sample(ids, len(ids) // 2))
        got = impact_module._units_of(reader, dict.fromkeys(ids), known)
        want = reader.get_units(ids)
        assert got == want and "no-such-unit" not in got
        assert list(got) == [i for i in ids if i in want]  # in the order of the ids
    # a MemoryGraph answers in the order asked: the same dict, in the same order
    assert list(got.items()) != list(want.items())  # (a state puts its new units last)
    ids = [u.id for u in base.units(None)][::-1]
    assert list(impact_module._units_of(base, dict.fromkeys(ids), {}).items()) == \
        list(base.get_units(ids).items())
