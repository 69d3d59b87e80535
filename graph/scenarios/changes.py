"""`ChangeSet`: what a scenario commit writes, table by table, and nothing else.

Read from a `ScenarioState`'s overlay (which already knows the baseline records it hides
and the records it adds), so that a commit writes the scenario's events, the intervals it
ends and starts, the new units and relations, never a copy of the whole graph.

Per table (`TableChanges`): `removed` baseline records (deleted), `updated` pairs
(baseline record, its new version: written in place, keeping the record's position in
the dataset) and `added` records (appended, in order). `apply_to(dataset)` gives the
dataset a store holds after the commit; a backend that writes natively
(`graph.neo4j.commit`) must end up with exactly that (the contract tests compare them).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Generic, Hashable, Iterable, TypeVar

from graph.model import TABLE_NAMES, Dataset, Event, Unit

R = TypeVar("R", bound=Hashable)

#: The tables of facts keyed by nothing but their content (no id).
FACT_TABLES = ("relations", "functions", "headcounts", "posts", "names")


@dataclass(frozen=True)
class TableChanges(Generic[R]):
    removed: tuple[R, ...] = ()
    updated: tuple[tuple[R, R], ...] = ()
    added: tuple[R, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.removed or self.updated or self.added)

    def apply_to(self, records: Iterable[R]) -> tuple[R, ...]:
        """Baseline records minus the removed ones (every equal copy), updated in place,
        then the added ones."""
        removed = set(self.removed)
        updated = dict(self.updated)
        kept = tuple(updated.get(r, r) for r in records if r not in removed)
        return kept + self.added


def _event_key(e: Event) -> tuple:
    return (e.date, e.id)


@dataclass(frozen=True)
class ChangeSet:
    """The changes of one commit, over the baseline revision they were computed on.

    `units`: `updated` (baseline unit, its new record) matched by id, `added` the new
    units (never `removed`: a unit ends, it is not deleted). `events`: `removed` the
    recorded events a what-if overrides (by id), `added` the scenario's events."""

    base_revision: str
    units: TableChanges[Unit] = field(default_factory=TableChanges)
    relations: TableChanges = field(default_factory=TableChanges)
    functions: TableChanges = field(default_factory=TableChanges)
    headcounts: TableChanges = field(default_factory=TableChanges)
    posts: TableChanges = field(default_factory=TableChanges)
    names: TableChanges = field(default_factory=TableChanges)
    events: TableChanges[Event] = field(default_factory=TableChanges)

    @classmethod
    def from_state(cls, state: Any) -> "ChangeSet":
        """The overlay of a `ScenarioState` as a change set (before the contract's effective
        intervals: `graph.scenarios.commit.validated_changes` adds those)."""
        base = state.base
        mine: dict[str, Unit] = state.changed_units()
        new = set(state.new_unit_ids())
        old = base.get_units([i for i in mine if i not in new])
        units = TableChanges(
            updated=tuple((old[i], u) for i, u in mine.items() if i in old and old[i] != u),
            added=tuple(mine[i] for i in state.new_unit_ids()))
        overlay = state.overlay()
        tables = {name: TableChanges(removed=tuple(sorted(hidden, key=repr)), added=added)
                  for name, (hidden, added) in overlay.items()}
        events = TableChanges(removed=tuple(state.overridden_events()),
                              added=tuple(state.scenario_events()))
        return cls(base_revision=state.base_revision, units=units, events=events, **tables)

    # -- reading ----------------------------------------------------------------------------
    def tables(self) -> dict[str, TableChanges]:
        return {"units": self.units, "events": self.events,
                **{t: getattr(self, t) for t in FACT_TABLES}}

    def unit_ids(self) -> set[str]:
        """Every unit a record of the change set names (changed, new, or at an end of a
        changed fact or event)."""
        out: set[str] = set()
        for u in (*self.units.added, *(new for _, new in self.units.updated)):
            out.add(u.id)
        for e in (*self.events.added, *self.events.removed):
            out.update(e.inputs)
            out.update(e.outputs)
        for name in FACT_TABLES:
            t = getattr(self, name)
            for r in (*t.removed, *t.added, *(x for pair in t.updated for x in pair)):
                if name == "relations":
                    out.update((r.source_id, r.target_id))
                else:
                    out.add(r.unit_id)
        return out

    def counts(self) -> dict[str, dict[str, int]]:
        """How many records each table loses, changes and gains (for reports and tests)."""
        return {name: {"removed": len(t.removed), "updated": len(t.updated),
                       "added": len(t.added)} for name, t in self.tables().items() if t}

    def size(self) -> int:
        """Records written: every removed, updated and added one."""
        return sum(sum(c.values()) for c in self.counts().values())

    def __bool__(self) -> bool:
        return any(self.tables().values())

    # -- the result -------------------------------------------------------------------------
    def apply_to(self, dataset: Dataset) -> Dataset:
        """The dataset after the commit: what every backend must hold afterwards."""
        new_units = dict((old.id, new) for old, new in self.units.updated)
        units = tuple(new_units.get(u.id, u) for u in dataset.units) + self.units.added
        hidden = {e.id for e in self.events.removed}
        events = tuple(sorted([e for e in dataset.events if e.id not in hidden]
                              + list(self.events.added), key=_event_key))
        # A plain Dataset (the store's may be lazy: its tables read on first access).
        tables = {name: getattr(dataset, name) for name in TABLE_NAMES}
        tables.update(units=units, events=events)
        tables.update({name: getattr(self, name).apply_to(tables[name])
                       for name in FACT_TABLES})
        return Dataset(**tables)

    def with_tables(self, **tables: TableChanges) -> "ChangeSet":
        return dataclasses.replace(self, **tables)  # type: ignore[arg-type]  # fields by name
