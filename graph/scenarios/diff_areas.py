"""The diff's `area_changes`: every unit that exists before and after a scenario and
belongs to another area on its date, whether the scenario changed the unit's own area
(`explicit`) or only the area its PART_OF chain reaches (`inferred`: a Party cell naming no
area, under a body that moved to the new area or merged into another area's body).

A unit's *effective area* on a date is its own area (`Unit.area`, dated by names.csv:
`rules.area_on`), else, for a body that names none, the area its PART_OF chain reaches on
that date by the rule the territorial operations take it by
(`graph.areas.infer_areas`, called here with each side as its reader: the diff
and the consolidation never disagree on whose body a unit is).

Only the units under something the scenario touched are compared (`_touched`: the units
it starts, ends or gives another area, the sources of the links it changed, those whose
name rows it changed), and below those, only through units that name no area of their own
(`_candidates`: what hangs under an untouched area, or under an untouched body naming its
area, keeps its area). Nothing asks the readers about the rest: a plan touching many units
(a national reform: 100,000) reads each side's structure as whole tables (`DayTables`, one
pass over the PART_OF relations, as the impact report does), a smaller one a level of
units at a time (`get_units`, `parents` in batches, `children` of the units walked).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Iterable

from graph import rules
from graph.embedded.gc_pause import paused_gc
from graph.model import Unit, UnitName
from graph.areas import TERRITORIAL_KINDS, infer_areas, may_infer
from graph.scenarios.state import ScenarioState
from graph.scenarios.tables import DayTables
from graph.store import GraphReader

#: How a side's area was found: the unit's own `area`, or its PART_OF chain's.
OWN, INFERRED = "own", "inferred"
#: How the change came: the scenario changed the unit's own area, or only its chain's.
EXPLICIT = "explicit"
#: From this many touched units on, both sides are read as whole tables (as the impact
#: report does from `impact.BULK_ROOTS` roots on): a national plan's walk would otherwise
#: read hundreds of thousands of units one by one.
BULK_SEEDS = 2000


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


class _Side:
    """One side (the baseline or the scenario) on the diff's date, as `areas.infer_areas`
    reads it (an `areas.AreaReader`: `parent`, `children`, `get_unit(s)`, `unit_names`,
    `units`): with `bulk`, the structure comes from the day's whole tables
    (`DayTables`: one pass over the PART_OF relations); else parents are read in batches
    (`load`: the `parents` capability, a level of the chains at a time) and children one
    unit at a time, for the few units the walk opens. Units are read in batches into
    `read`; other dates (the eve, which the rule reads for a link cut on the day and for
    the areas an operation consolidated) go to the reader, once per question."""

    def __init__(self, reader: GraphReader, at: dt.date, dated: set[str], *, bulk: bool):
        self.reader, self.at, self.dated = reader, at, dated
        self.tables = DayTables(reader, at) if bulk else None
        self.read: dict[str, Unit] = {}
        self._own: dict[str, str] = {}
        self._parents: dict[str, str | None] = {}
        self._asked: dict[tuple[str, str, dt.date], Any] = {}

    def load(self, ids: Iterable[str]) -> None:
        """Read the units of `ids` and those up their chains that are not read yet."""
        frontier = [i for i in dict.fromkeys(ids) if i not in self.read]
        while frontier:
            self.read.update(self.reader.get_units(frontier))
            if self.tables is not None:
                ups = self.tables.parent_of
            else:
                ups = self.reader.parents(frontier, self.at)
                self._parents.update(ups)
            frontier = list(dict.fromkeys(p for uid in frontier if (p := ups.get(uid))
                                          is not None and p not in self.read))

    def parent_on(self, unit_id: str) -> str | None:
        """The unit's parent on the date (its chain `load`ed first, in per-unit mode)."""
        if self.tables is not None:
            return self.tables.parent_of.get(unit_id)
        if unit_id not in self._parents:
            self._parents[unit_id] = self.reader.parent(unit_id, self.at)
        return self._parents[unit_id]

    def children_on(self, unit_id: str) -> list[str]:
        if self.tables is not None:
            return self.tables.children_of.get(unit_id, [])
        return self.reader.children(unit_id, self.at)

    def own(self, unit: Unit) -> str:
        """The unit's own area on the date (names.csv dates it for the `dated`: their name
        rows are read, once; a superset of the dated does no harm)."""
        if unit.id not in self.dated:
            return unit.area
        area = self._own.get(unit.id)
        if area is None:
            area = self._own[unit.id] = rules.area_on(unit, self.unit_names(unit.id), self.at)
        return area

    def _ask(self, what: str, uid: str, on: dt.date) -> Any:
        key = (what, uid, on)
        if key not in self._asked:
            self._asked[key] = getattr(self.reader, what)(uid, on)
        return self._asked[key]

    def parent(self, unit_id: str, on: dt.date) -> str | None:
        return self.parent_on(unit_id) if on == self.at else self._ask("parent", unit_id, on)

    def children(self, unit_id: str, on: dt.date) -> list[str]:
        return self.children_on(unit_id) if on == self.at else \
            self._ask("children", unit_id, on)

    def get_unit(self, unit_id: str) -> Unit | None:
        if unit_id not in self.read:
            found = self.reader.get_unit(unit_id)
            if found is None:
                return None
            self.read[unit_id] = found
        return self.read[unit_id]

    def get_units(self, unit_ids: Iterable[str]) -> dict[str, Unit]:
        ids = list(unit_ids)
        missing = [i for i in ids if i not in self.read]
        if missing:
            self.read.update(self.reader.get_units(missing))
        return {i: self.read[i] for i in ids if i in self.read}

    def unit_names(self, unit_id: str) -> list[UnitName]:
        return self.reader.unit_names(unit_id)

    def units(self, at: dt.date | None = None, *, kind: str | None = None) -> list[Unit]:
        return self.reader.units(at, kind=kind)


def effective_areas(side: _Side, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """unit -> (its effective area on the side's date, "own" or "inferred") for each of
    `ids` read into `side.read` that has one."""
    out: dict[str, tuple[str, str]] = {}
    without: list[Unit] = []
    for uid in ids:
        u = side.read.get(uid)
        if u is None:
            continue
        own = side.own(u)
        if own:
            out[uid] = (own, OWN)
        elif may_infer(u):  # the bodies the territorial operations infer an area for
            without.append(u)
    if without:
        for uid, area in infer_areas(side, without, side.at, side.dated).items():
            out[uid] = (area, INFERRED)
    return out


def _candidates(seeds: set[str], new: _Side) -> set[str]:
    """`seeds` and the units under them whose effective area may follow theirs: a walk down
    the scenario's tree that does not open a unit the scenario left alone that is an area
    or names its own: what hangs under it takes its area from it, as before (a body's
    chain stops at the first area it reaches). Read a level at a time (units in batches).
    The baseline's tree adds nothing: a unit under a seed there either still hangs under
    it in the scenario, or the scenario changed its link (it is a seed)."""
    seen = set(seeds)
    frontier = list(seeds)
    while frontier:
        new.load(uid for uid in frontier if uid not in seeds)  # (a seed is opened as it is)
        nxt: list[str] = []
        for uid in frontier:
            if uid not in seeds:
                u = new.read.get(uid)
                if u is not None and (u.kind in TERRITORIAL_KINDS or new.own(u)):
                    continue
            for k in new.children_on(uid):
                if k not in seen:
                    seen.add(k)
                    nxt.append(k)
        frontier = nxt
    return seen


def area_changes(before: GraphReader, after: ScenarioState, at: dt.date, *,
                 skip: set[str], moved: dict[str, int | None],
                 ops: dict[str, int]) -> tuple[AreaChange, ...]:
    """The units under what the scenario touched that exist on `at` on both sides (none of
    `skip`: the units it starts or ends) and whose effective area differs, by id. `moved`:
    the diff's moved units and their operations; `ops`: the first log entry that names a
    unit (started, moved, without a peer), for `via`'s operation. A scenario touching
    `BULK_SEEDS` units or more reads both sides as whole tables."""
    with paused_gc():  # (many small acyclic records: the collector's passes are wasted)
        return _area_changes(before, after, at, skip, moved, ops)


def _area_changes(before: GraphReader, after: ScenarioState, at: dt.date, skip: set[str],
                  moved: dict[str, int | None], ops: dict[str, int]) -> tuple[AreaChange, ...]:
    seeds = _touched(before, after)
    if not seeds:
        return ()
    bulk = len(seeds) >= BULK_SEEDS
    dated = after.dated_area_units()  # the baseline's and the scenario's
    old, new = _Side(before, at, dated, bulk=bulk), _Side(after, at, dated, bulk=bulk)
    ids = _candidates(seeds, new) - skip
    old.load(ids)
    new.load(ids)
    ids = {uid for uid in ids if (o := old.read.get(uid)) is not None and o.valid_at(at)
           and (n := new.read.get(uid)) is not None and n.valid_at(at)}
    areas_old = effective_areas(old, ids)
    areas_new = effective_areas(new, ids)
    none: tuple[str, str | None] = ("", None)
    changed = sorted(uid for uid in ids
                     if areas_old.get(uid, none)[0] != areas_new.get(uid, none)[0])
    causes = set(moved) | set(ops)
    out = []
    for uid in changed:
        (area_from, by_from), (area_to, by_to) = areas_old.get(uid, none), areas_new.get(uid, none)
        explicit = old.own(old.read[uid]) != new.own(new.read[uid])
        via = _via(uid, new, causes)
        op = None if via is None else moved.get(via)
        out.append(AreaChange(uid, new.read[uid].name, old.parent_on(uid), new.parent_on(uid),
                              area_from or None, area_to or None, by_from, by_to,
                              EXPLICIT if explicit else INFERRED, via,
                              op if op is not None or via is None else ops.get(via)))
    return tuple(out)


def _touched(before: GraphReader, after: ScenarioState) -> set[str]:
    """The units whose effective area the scenario may change directly: those whose link
    upwards it changes (not the targets: a body that gains a child keeps its area, and the
    Central Committee would bring the whole country along), whose name rows it changes,
    and those it starts, or ends, or gives another area, kind, level or dates (a rename
    changes no area)."""
    overlay = after.overlay()
    hidden, added = overlay["relations"]
    out = {r.source_id for r in (*hidden, *added) if r.type == "PART_OF"}
    out.update(n.unit_id for part in overlay["names"] for n in part)
    changed = after.changed_units()
    base = before.get_units(list(changed))
    key = _AREA_FIELDS
    out.update(uid for uid, u in changed.items()
               if (b := base.get(uid)) is None or key(b) != key(u))
    return out


#: The fields of a unit's record its effective area depends on (`_touched`).
_AREA_FIELDS = attrgetter("area", "kind", "level", "valid_from", "valid_to")


def _via(uid: str, side: _Side, causes: set[str]) -> str | None:
    """The first of `uid` and the units up its chain on `side` that is one of `causes`."""
    seen: set[str] = set()
    cur: str | None = uid
    while cur is not None and cur not in seen:
        if cur in causes:
            return cur
        seen.add(cur)
        cur = side.parent_on(cur)
    return None
