"""`diff(before, after) -> ScenarioDiff`: the units a scenario adds, removes, moves, renames
and merges, and those that belong to another area (`area_changes`, `graph.scenarios.
diff_areas`: also the units that name no area and follow their chain), as frozen
dataclasses; `ScenarioDiff.to_dict()` is the API's JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from graph import rules
from graph.model import Event
from graph.scenarios.apply import LogEntry
from graph.scenarios.diff_areas import AreaChange, area_changes
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
    """A unit that exists before and after the scenario and has another parent, or another
    area (then `old_parent == new_parent` may hold: a body without a peer in a territorial
    consolidation moves to the new area as it is). `operation`: the first log entry that
    moves it; `event`: that entry's event listing the unit, else its main event (None: it
    has neither); `old_area`/`new_area`: None both unless the area changes, else its
    effective areas (its own, or its PART_OF chain's when it names none: the diff's
    `area_changes` says which)."""

    id: str
    name: str
    old_parent: str | None
    new_parent: str | None
    # defaults: a diff kept before these fields (a committed scenario's JSON) reads back
    operation: int | None = None
    event: str | None = None
    old_area: str | None = None
    new_area: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "from": self.old_parent, "to": self.new_parent,
                "operation": self.operation, "event": self.event,
                "area_from": self.old_area, "area_to": self.new_area}


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
    #: Every unit there before and after whose effective area changes, explicitly or by its
    #: chain (`diff_areas.AreaChange`); last, with a default: a diff kept before it reads back.
    area_changes: tuple[AreaChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(),
                **{name: [x.to_dict() for x in getattr(self, name)]
                   for name in ("added", "removed", "moved", "renamed", "merged", "split",
                                "functions")},
                "events": [ev.as_dict() for ev in self.events],
                "area_changes": [x.to_dict() for x in self.area_changes]}


def diff(before: GraphReader, after: ScenarioState, *, at: dt.date | None = None,
         log: Iterable[LogEntry] | None = None) -> ScenarioDiff:
    """What changed, unit by unit, between the baseline and the scenario on `at`
    (default: the scenario's effective date). Reads the units the log names, and, for
    `area_changes`, the two sides' PART_OF tables on `at` and the units under what the
    scenario touched (`diff_areas`)."""
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
    moved = _moved(before, after, at, log, ended_set | started_set)
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
    named: dict[str, int] = {}
    for e in log:  # the first entry that moves, forms or re-areas a unit
        for m in e.moved:
            named.setdefault(m[0], e.index)
        for b in e.unpaired:
            named.setdefault(b[0], e.index)
        for uid in e.started:
            named.setdefault(uid, e.index)
    areas = area_changes(before, after, at, skip=ended_set | started_set,
                         moved={m.id: m.operation for m in moved}, ops=named)
    # a moved unit's areas are its effective ones (a cell naming no area came from the
    # area of the body it hung under, not from none)
    by_id = {a.id: a for a in areas}
    moved = tuple(m if (a := by_id.get(m.id)) is None else
                  MovedUnit(m.id, m.name, m.old_parent, m.new_parent, m.operation, m.event,
                            a.old_area, a.new_area) for m in moved)
    # and a unit that only changed area with the body that brought it along (a cell under a
    # body without a peer: `from == to`) is moved too, with the operation and event of `via`
    listed = {m.id: m for m in moved}
    moved += tuple(MovedUnit(a.id, a.name, a.old_parent, a.new_parent, a.operation,
                             listed[a.via].event if a.via in listed else None,
                             a.old_area, a.new_area)
                   for a in areas if a.id not in listed)
    return ScenarioDiff(at, added, tuple(removed), moved, renamed, tuple(merged),
                        tuple(split), functions, tuple(ev for e in log for ev in e.events),
                        areas)


def _first_op(log: tuple[LogEntry, ...], attr: str) -> dict[str, int]:
    """unit -> the index of the first entry whose `attr` names it (`_op_of` for every unit)."""
    out: dict[str, int] = {}
    for e in log:
        for unit in getattr(e, attr):
            out.setdefault(unit, e.index)
    return out


def _moved(before: GraphReader, after: ScenarioState, at: dt.date,
           log: tuple[LogEntry, ...], skip: set[str]) -> tuple[MovedUnit, ...]:
    """The units the log moves (`moved`: to another parent; `unpaired`: a body without a
    peer, to another area) that have, on `at`, another parent or another area than in the
    baseline; `skip`: the units the scenario starts or ends (added or removed instead).
    Each is read once, at the first entry that names it, in the log's order."""
    # a body naming no area came from the one the consolidation took it in (its log record)
    taken_from: dict[str, str] = {}
    for e in log:
        for uid, area, _ in e.unpaired:
            taken_from.setdefault(uid, area)
    out = []
    seen: set[str] = set()
    for e in log:
        names = [m[0] for m in e.moved] + [b[0] for b in e.unpaired]
        if not names:
            continue
        events = _events_by_unit(e, after)
        for uid in names:
            if uid in seen or uid in skip:
                continue
            seen.add(uid)
            old, new = before.parent(uid, at), after.parent(uid, at)
            area_from = _area(before, uid, at) or taken_from.get(uid, "")
            area_to = _area(after, uid, at)
            if old == new and area_from == area_to:
                continue
            changed = area_from != area_to
            mu = after.get_unit(uid)
            out.append(MovedUnit(uid, mu.name if mu else "", old, new, e.index,
                                 events.get(uid, events.get("")),
                                 (area_from or None) if changed else None,
                                 (area_to or None) if changed else None))
    return tuple(out)


def _area(reader: GraphReader, uid: str, at: dt.date) -> str:
    """The unit's area on `at` ("" for none): names.csv dates a moved unit's area."""
    unit = reader.get_unit(uid)
    return rules.area_on(unit, reader.unit_names(uid), at) if unit else ""


def _events_by_unit(entry: LogEntry, after: ScenarioState) -> dict[str, str]:
    """unit -> the id of the entry's first event that lists it (a MOVE of it, the units a
    dissolved level moves up); "" -> the entry's main event, when it has one (a MERGE whose
    input's children move, a CONSOLIDATE whose body without a peer changes area). One pass:
    a national table's entry has thousands of events and moves."""
    out: dict[str, str] = {}
    for ev in entry.events:
        for uid in (*ev.inputs, *ev.outputs):
            out.setdefault(uid, ev.id)
    # apply names the main event after the operation's `event_id`, else `<prefix>-<nn>`, and
    # the others after it with a suffix; an entry of no known operation has no main event
    ops = after.operations
    if 0 < entry.index <= len(ops):
        main = getattr(ops[entry.index - 1], "event_id", "") \
            or f"{after.event_prefix}-{entry.index:02d}"
        if any(ev.id == main for ev in entry.events):
            out[""] = main
    return out
