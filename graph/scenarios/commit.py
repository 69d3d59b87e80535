"""Committing a scenario: its changes written into the baseline as dated events, atomically.

The operations are re-applied to the *current* baseline (so a baseline that changed in a
way that conflicts refuses the commit with a 409 saying which operation and why); the
change set (`graph.scenarios.changes.ChangeSet`: the records the scenario removes,
changes and adds) is checked with the loader's own cross-file rules over the records
around the units it touches (`graph.validation.check_around`: scoped reads, never the
whole graph), completed with the intervals those rules make effective (an open bound
clipped to a lifetime that changed), and the store writes it only if its revision is
still the one the scenario was re-applied to (`graph.store.commit_changes`).

`validated_changes` is the check; `validated_dataset` the whole-dataset check the commit
used before (kept: the tests prove both refuse the same states); the commit itself is
`graph.scenarios.service.ScenarioService.commit` (`commit` here delegates to it).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from graph.errors import Conflict, Problem, ValidationFailed
from graph.model import Dataset
from graph.scenarios.changes import FACT_TABLES, ChangeSet, TableChanges
from graph.scenarios.state import ScenarioState
from graph.store import GraphStore, StoredScenario
from graph.validation import check_around, check_dataset


def _refuse(problems: list[Problem]) -> Conflict:
    failed = ValidationFailed(problems)
    return Conflict("the scenario would break the data contract if committed: "
                    + "; ".join(str(p) for p in problems[:5])
                    + (" …" if len(problems) > 5 else ""), errors=failed.errors)


def validated_dataset(state: ScenarioState) -> Dataset:
    """The state as a whole Dataset, checked by the loader's rules; Conflict if it breaks one."""
    checked, problems = check_dataset(state.dataset())
    if problems:
        raise _refuse(problems)
    return dataclasses.replace(checked, warnings=())


def validated_changes(state: ScenarioState) -> ChangeSet:
    """The scenario's change set, checked by the loader's rules around the units it touches
    (Conflict naming the problems if it breaks one), with the effective intervals the rules
    give: a record the scenario adds is written as the rules make it, and a baseline
    record whose effective interval changes (an open end clipped to the new end of its
    unit) is updated in place. Reads only the neighbourhood of the touched units."""
    changes = ChangeSet.from_state(state)
    around, checked, problems = check_around(
        state, changes.unit_ids(), base=state.base,
        new_ids={"units": [u.id for u in changes.units.added],
                 "events": [e.id for e in changes.events.added]})
    if problems:
        raise _refuse(problems)
    return _effective(changes, around, checked)


def _effective(changes: ChangeSet, around: Dataset, checked: Dataset) -> ChangeSet:
    """`changes` with the effective versions `checked` gives the records of `around`."""
    # units: a new or changed unit is written as its effective record; another unit whose
    # effective record differs from the stored one is updated in place.
    added_units = {u.id: u for u in changes.units.added}
    updated_units = {old.id: (old, new) for old, new in changes.units.updated}
    for read, eff in zip(around.units, checked.units):
        if read == eff:
            continue
        if read.id in added_units:
            added_units[read.id] = eff
        elif read.id in updated_units:
            updated_units[read.id] = (updated_units[read.id][0], eff)
        else:
            updated_units[read.id] = (read, eff)
    tables: dict[str, TableChanges] = {"units": TableChanges(
        updated=tuple(updated_units.values()),
        added=tuple(added_units[u.id] for u in changes.units.added))}
    for name in FACT_TABLES:
        t: TableChanges = getattr(changes, name)
        added = list(t.added)
        position = {r: i for i, r in enumerate(added)}
        updated = dict(t.updated)
        for read, eff in zip(getattr(around, name), getattr(checked, name)):
            if read == eff:
                continue
            if read in position:
                added[position[read]] = eff
            else:
                updated[read] = eff
        tables[name] = TableChanges(removed=t.removed, updated=tuple(updated.items()),
                                    added=tuple(added))
    return changes.with_tables(**tables)


def commit(store: GraphStore, scenario: StoredScenario | str, *, who: str = "") -> dict[str, Any]:
    """Write a stored scenario into the baseline; return what was written and the new revision.

    The one commit path is `ScenarioService.commit` (the claim against a concurrent delete
    or edit, the version check, the report kept, the change log's `who`): this delegates
    to it."""
    from graph.scenarios.service import ScenarioService  # the service imports this module

    scenario_id = scenario if isinstance(scenario, str) else scenario.id
    result = ScenarioService(store).commit(scenario_id, who=who)
    return {"scenario": result.scenario, "revision": result.revision,
            "previous_revision": result.previous_revision, "events": list(result.events)}
