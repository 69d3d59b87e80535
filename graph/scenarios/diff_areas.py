"""The diff's `area_changes`: every unit that exists before and after a scenario and
belongs to another area on its date, whether the scenario changed the unit's own area
(`explicit`) or only the area its PART_OF chain reaches (`inferred`: a Party cell naming no
area, under a body that moved to the new area or merged into another area's body).

A unit's *effective area* on a date is its own area (`Unit.area`, dated by names.csv:
`rules.area_on`), else, for a body that names none, the area its PART_OF chain reaches on
that date by the rule the territorial operations take it by
(`TerritoryMixin._infer_areas`, called here, not copied: the diff and the consolidation
never disagree on whose body a unit is).

At national size a plan touches 100,000 units: nothing here asks the readers unit by unit.
Each side's structure comes from one pass over its PART_OF relations (`DayTables`), the
units from one `get_units` each, and only the units under something the scenario touched
(its changed units, the ends of the links it changed, the units whose name rows it changed,
and everything under them, on either side) are compared: an area change of a unit
elsewhere has no cause.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from graph import rules
from graph.model import Unit, UnitName
from graph.scenarios.state import ScenarioState
from graph.scenarios.tables import DayTables
from graph.scenarios.territory import TERRITORIAL_KINDS, TerritoryMixin
from graph.store import GraphReader

#: How a side's area was found: the unit's own `area`, or its PART_OF chain's.
OWN, INFERRED = "own", "inferred"
#: How the change came: the scenario changed the unit's own area, or only its chain's.
EXPLICIT = "explicit"


@dataclass(frozen=True)
class AreaChange:
    """A unit whose effective area on the diff's date differs between the baseline and the
    scenario, with its parents on that date on either side. `old_by`/`new_by`: "own" or "inferred" (None: no area on that side); `by`:
    "explicit" when the scenario changed the unit's own area (a body without a peer moved to
    the new area), "inferred" when the unit names no area on either side and its chain's
    area changed; `via`: the unit the scenario moved, formed or gave another area that
    brought this one along (the unit itself when the scenario moved it or changed its own
    area; None: none found up its chain); `operation`: the first log entry that moved, formed
    or re-areaed `via`."""

    id: str
    name: str
    old_parent: str | None
    new_parent: str | None
    old_area: str | None
    new_area: str | None
    old_by: str | None
    new_by: str | None
    by: str
    via: str | None
    operation: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name,
                "parent_from": self.old_parent, "parent_to": self.new_parent,
                "area_from": self.old_area, "area_to": self.new_area,
                "from_by": self.old_by, "to_by": self.new_by, "by": self.by,
                "via": self.via, "operation": self.operation}


class _TableView:
    """The reader methods `TerritoryMixin._infer_areas` asks, answered on the diff's date
    from the day's tables and a dict of units read in bulk; other dates (the eve, which the
    rule reads for a link cut on the day and for the areas an operation consolidated) go to
    the reader, once per question."""

    def __init__(self, reader: GraphReader, tables: DayTables, units: dict[str, Unit]):
        self.reader, self.tables, self.at = reader, tables, tables.at
        self._units = units
        self._asked: dict[tuple[str, str, dt.date], Any] = {}

    def _ask(self, what: str, uid: str, on: dt.date) -> Any:
        key = (what, uid, on)
        if key not in self._asked:
            self._asked[key] = getattr(self.reader, what)(uid, on)
        return self._asked[key]

    def parent(self, unit_id: str, on: dt.date) -> str | None:
        if on == self.at:
            return self.tables.parent_of.get(unit_id)
        return self._ask("parent", unit_id, on)

    def children(self, unit_id: str, on: dt.date) -> list[str]:
        if on == self.at:
            return self.tables.children(unit_id)
        return self._ask("children", unit_id, on)

    def get_unit(self, unit_id: str) -> Unit | None:
        if unit_id not in self._units:
            found = self.reader.get_unit(unit_id)
            if found is None:
                return None
            self._units[unit_id] = found
        return self._units[unit_id]

    def get_units(self, unit_ids: Iterable[str]) -> dict[str, Unit]:
        ids = list(unit_ids)
        missing = [i for i in ids if i not in self._units]
        if missing:
            self._units.update(self.reader.get_units(missing))
        return {i: self._units[i] for i in ids if i in self._units}

    def unit_names(self, unit_id: str) -> list[UnitName]:
        return self.reader.unit_names(unit_id)

    def units(self, at: dt.date | None = None, *, kind: str | None = None) -> list[Unit]:
        return self.reader.units(at, kind=kind)


class _Inference(TerritoryMixin):
    """`TerritoryMixin`'s area lookups over a `_TableView`: `_infer_areas` alone is used."""

    def __init__(self, view: _TableView, day: dt.date, dated: set[str]):
        self.s = view
        self.day = day
        self._dated = dated


def effective_areas(reader: GraphReader, tables: DayTables, ids: Iterable[str],
                    units: dict[str, Unit], dated: set[str]) -> dict[str, tuple[str, str]]:
    """unit -> (its effective area on the tables' date, "own" or "inferred") for each of
    `ids` in `units` that has one; `dated`: the units whose area names.csv dates (their
    name rows are read), a superset does no harm."""
    at = tables.at
    out: dict[str, tuple[str, str]] = {}
    without: list[Unit] = []
    for uid in ids:
        u = units.get(uid)
        if u is None:
            continue
        own = u.area if uid not in dated else rules.area_on(u, reader.unit_names(uid), at)
        if own:
            out[uid] = (own, OWN)
        elif u.kind not in TERRITORIAL_KINDS and (not u.level or u.level in TERRITORIAL_KINDS):
            # the bodies the territorial operations infer an area for (`_area_index`)
            without.append(u)
    if without:
        view = _TableView(reader, tables, units)
        for uid, area in _Inference(view, at, dated)._infer_areas(without).items():
            out[uid] = (area, INFERRED)
    return out


def _under(seeds: Iterable[str], *trees: dict[str, list[str]]) -> set[str]:
    """`seeds` and every unit under one of them in any of `trees` (children tables)."""
    out: set[str] = set()
    stack = list(seeds)
    while stack:
        uid = stack.pop()
        if uid in out:
            continue
        out.add(uid)
        for tree in trees:
            kids = tree.get(uid)
            if kids:
                stack.extend(kids)
    return out


def _with_ancestors(ids: set[str], *parents: dict[str, str | None]) -> set[str]:
    """`ids` and the units up their chains in each of `parents` (parent tables)."""
    out = set(ids)
    for parent_of in parents:
        frontier = {p for uid in ids if (p := parent_of.get(uid)) is not None} - out
        while frontier:
            out |= frontier
            frontier = {p for uid in frontier if (p := parent_of.get(uid)) is not None} - out
    return out


def area_changes(before: GraphReader, after: ScenarioState, at: dt.date, *,
                 skip: set[str], moved: dict[str, int | None],
                 ops: dict[str, int]) -> tuple[AreaChange, ...]:
    """The units under what the scenario touched that exist on `at` on both sides (none of
    `skip`: the units it starts or ends) and whose effective area differs, by id. `moved`:
    the diff's moved units and their operations; `ops`: the first log entry that names a
    unit (started, moved, without a peer), for `via`'s operation."""
    seeds = after.changed_unit_ids()  # records, links (both ends), name rows, facts
    if not seeds:
        return ()
    tb = DayTables(before, at)
    ta = DayTables(after, at, tb)
    ids = _under(seeds, ta.children_of, tb.children_of) - skip
    # the units up the chains, read in the same bulk read (the inference climbs them)
    wanted = list(_with_ancestors(ids, tb.parent_of, ta.parent_of))
    old_units, new_units = before.get_units(wanted), after.get_units(wanted)
    ids = {uid for uid in ids if (o := old_units.get(uid)) is not None and o.valid_at(at)
           and (n := new_units.get(uid)) is not None and n.valid_at(at)}
    dated = after.dated_area_units()  # the baseline's and the scenario's
    old = effective_areas(before, tb, ids, old_units, dated)
    new = effective_areas(after, ta, ids, new_units, dated)
    changed = sorted(uid for uid in ids if old.get(uid, ("", None))[0]
                     != new.get(uid, ("", None))[0])
    explicit = {uid for uid in changed
                if _own(old_units[uid], before, at, dated) != _own(new_units[uid], after, at,
                                                                    dated)}
    causes = set(moved) | set(ops)
    out = []
    for uid in changed:
        (area_from, by_from), (area_to, by_to) = old.get(uid, ("", None)), new.get(uid, ("", None))
        via = _via(uid, ta.parent_of, causes)
        out.append(AreaChange(uid, new_units[uid].name, tb.parent_of.get(uid),
                              ta.parent_of.get(uid),
                              area_from or None, area_to or None, by_from, by_to,
                              EXPLICIT if uid in explicit else INFERRED, via,
                              None if via is None else
                              (moved.get(via) if moved.get(via) is not None else ops.get(via))))
    return tuple(out)


def _own(unit: Unit, reader: GraphReader, at: dt.date, dated: set[str]) -> str:
    return unit.area if unit.id not in dated else rules.area_on(unit, reader.unit_names(unit.id),
                                                                at)


def _via(uid: str, parent_of: dict[str, str | None], causes: set[str]) -> str | None:
    """The first of `uid` and the units up its chain that is one of `causes`."""
    seen: set[str] = set()
    cur: str | None = uid
    while cur is not None and cur not in seen:
        if cur in causes:
            return cur
        seen.add(cur)
        cur = parent_of.get(cur)
    return None
