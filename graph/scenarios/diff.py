"""`diff(before, after) -> ScenarioDiff`: the units a scenario adds, removes, moves, renames
and merges, as frozen dataclasses; `ScenarioDiff.to_dict()` is the API's JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from graph.model import Event
from graph.scenarios.apply import LogEntry
from graph.scenarios.state import ScenarioState
from graph.store import GraphReader


@dataclass(frozen=True)
class AddedUnit:
    id: str
    name: str
    kind: str | None
    parent: str | None
    operation: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "parent": self.parent,
                "operation": self.operation}


@dataclass(frozen=True)
class RemovedUnit:
    """A baseline unit the scenario ends, read in the baseline; `successors`: the units
    that take it over (merge, consolidate, split, rename with a new id)."""

    id: str
    name: str
    kind: str | None
    parent: str | None
    ended: str | None
    successors: tuple[str, ...]
    operation: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "parent": self.parent,
                "ended": self.ended, "successors": list(self.successors),
                "operation": self.operation}


@dataclass(frozen=True)
class MovedUnit:
    id: str
    name: str
    old_parent: str | None
    new_parent: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "from": self.old_parent, "to": self.new_parent}


@dataclass(frozen=True)
class RenamedUnit:
    id: str
    old_name: str
    new_name: str
    new_id: str | None  # None: the unit keeps its id
    operation: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "from": self.old_name, "to": self.new_name,
                "new_id": self.new_id, "operation": self.operation}


@dataclass(frozen=True)
class Merged:
    """A MERGE or CONSOLIDATE event: `inputs` go into `into`."""

    event: str
    type: str
    inputs: tuple[str, ...]
    into: str
    date: str
    operation: int

    def to_dict(self) -> dict[str, Any]:
        return {"event": self.event, "type": self.type, "inputs": list(self.inputs),
                "into": self.into, "date": self.date, "operation": self.operation}


@dataclass(frozen=True)
class Split:
    event: str
    unit: str
    into: tuple[str, ...]
    date: str
    operation: int

    def to_dict(self) -> dict[str, Any]:
        return {"event": self.event, "unit": self.unit, "into": list(self.into),
                "date": self.date, "operation": self.operation}


@dataclass(frozen=True)
class FunctionMove:
    function: str
    source: str
    destination: str | None  # None: the function ends nowhere
    operation: int

    def to_dict(self) -> dict[str, Any]:
        return {"function": self.function, "from": self.source, "to": self.destination,
                "operation": self.operation}


@dataclass(frozen=True)
class ScenarioDiff:
    """What changed, unit by unit, between the baseline and a scenario on `at`."""

    at: dt.date
    added: tuple[AddedUnit, ...]
    removed: tuple[RemovedUnit, ...]
    moved: tuple[MovedUnit, ...]
    renamed: tuple[RenamedUnit, ...]
    merged: tuple[Merged, ...]
    split: tuple[Split, ...]
    functions: tuple[FunctionMove, ...]
    events: tuple[Event, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(),
                **{name: [x.to_dict() for x in getattr(self, name)]
                   for name in ("added", "removed", "moved", "renamed", "merged", "split",
                                "functions")},
                "events": [ev.as_dict() for ev in self.events]}


def diff(before: GraphReader, after: ScenarioState, *, at: dt.date | None = None,
         log: Iterable[LogEntry] | None = None) -> ScenarioDiff:
    """What changed, unit by unit, between the baseline and the scenario on `at`
    (default: the scenario's effective date). Reads only the units the log names."""
    at = at or after.effective_at
    before = before.pinned()  # one revision throughout (Neo4j: the bulk-filled snapshot)
    log = tuple(after.log if log is None else log)

    def brief(reader: GraphReader, uid: str) -> tuple[str, str | None, str | None]:
        u = reader.get_unit(uid)
        return (u.name if u else "", u.kind if u else None,
                reader.parent(uid, at) if u else None)

    started = list(dict.fromkeys(u for e in log for u in e.started))
    ended = list(dict.fromkeys(u for e in log for u in e.ended))
    # sets and first operations by unit: a national plan starts and ends 100k units, and a
    # search of the lists per unit would be quadratic
    started_set, ended_set = set(started), set(ended)
    op_started, op_ended = _first_op(log, "started"), _first_op(log, "ended")
    alive_after = {u for u in started if (x := after.get_unit(u)) and x.valid_at(at)}
    added = tuple(AddedUnit(u, *brief(after, u), op_started.get(u))
                  for u in started if u in alive_after)
    successors: dict[str, list[str]] = {}
    for e in log:
        for ev in e.events:
            if ev.type in ("MERGE", "CONSOLIDATE", "SPLIT", "RENAME"):
                for i in ev.inputs:
                    successors.setdefault(i, []).extend(o for o in ev.outputs if o != i)
    removed = []
    for u in ended:
        if u in started_set:  # created and ended inside the scenario: never in the baseline
            continue
        unit = after.get_unit(u)
        removed.append(RemovedUnit(u, *brief(before, u),
                                   ended=str(unit.valid_to) if unit else None,
                                   successors=tuple(successors.get(u, [])),
                                   operation=op_ended.get(u)))
    moved = []
    seen: set[str] = set()
    for e in log:
        for uid, _, _ in e.moved:
            if uid in seen or uid in ended_set or uid in started_set:
                continue
            seen.add(uid)
            old, new = before.parent(uid, at), after.parent(uid, at)
            if old != new:
                mu = after.get_unit(uid)
                moved.append(MovedUnit(uid, mu.name if mu else "", old, new))
    renamed = tuple(RenamedUnit(u, old, new, nid if nid != u else None, e.index)
                    for e in log for u, old, new, nid in e.renamed)
    merged, split = [], []
    for e in log:
        for ev in e.events:
            if ev.type in ("MERGE", "CONSOLIDATE"):
                merged.append(Merged(ev.id, ev.type, tuple(ev.inputs), ev.outputs[0],
                                     str(ev.date), e.index))
            elif ev.type == "SPLIT":
                split.append(Split(ev.id, ev.inputs[0], tuple(ev.outputs), str(ev.date),
                                   e.index))
    functions = tuple(FunctionMove(f, src, dest, e.index)
                      for e in log for f, src, dest in e.functions)
    return ScenarioDiff(at, added, tuple(removed), tuple(moved), renamed, tuple(merged),
                        tuple(split), functions, tuple(ev for e in log for ev in e.events))


def _first_op(log: tuple[LogEntry, ...], attr: str) -> dict[str, int]:
    """unit -> the index of the first entry whose `attr` names it (`_op_of` for every unit)."""
    out: dict[str, int] = {}
    for e in log:
        for unit in getattr(e, attr):
            out.setdefault(unit, e.index)
    return out
    return None
