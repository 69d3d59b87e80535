"""`ScenarioState`: a copy-on-write overlay over a baseline `GraphReader`.

A scenario's state holds only what its operations changed: units (changed or new),
and, for relations, functions, headcount and posts, the baseline records it hides and
the records it adds, indexed by unit. Every `GraphReader` method answers from the
baseline and corrects the answer with the overlay, so a query about an untouched unit
costs what it costs on the baseline, and applying an operation costs what the affected
units' facts cost, never the whole graph. `dataset()` materialises the whole state (for
export and commit) and is the only method that walks everything.

States are immutable once handed out: `graph.scenarios.apply.apply` takes a `draft()` (a
copy of the overlay, whose size is that of the changes, not of the graph) and edits it
through the public editing methods (`put_unit`, `replace_relation`, `replace_function`,
`replace_headcount`, `replace_post`, `add_event`, `record`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from operator import attrgetter
from typing import Any, Callable, Generic, Hashable, Iterable, TypeVar

from graph import rules
from graph.dates import PartialDate, start_day
from graph.model import (Dataset, Document, Event, Function, Headcount, Person, Plan, Post,
                         Relation, Unit, UnitName)
from graph.embedded.memory import latest_parent, relation_order_key
from graph.store import GraphReader, ReaderDefaults

R = TypeVar("R", bound=Hashable)
#: An empty index bucket (shared, never modified).
_EMPTY: dict = {}
_UNIT_ID = attrgetter("id")
_PART_OF = ("PART_OF",)


class _Layer(Generic[R]):
    """Changes to one kind of fact: hidden baseline records and added records, by key."""

    __slots__ = ("keys", "removed", "added", "index", "hidden")

    def __init__(self, keys: tuple[Callable[[R], str], ...]):
        if not 1 <= len(keys) <= 2:
            raise ValueError("a layer indexes its records by one key or two")
        self.keys = keys
        self.removed: set[R] = set()
        #: an ordered set: each added record -> itself (the object the index holds)
        self.added: dict[R, R] = {}
        #: key -> the added records with it, by `id()` (an ordered set: removing one is one
        #: lookup, where a list scan cost a province body's thousands of links per removal;
        #: by identity, so that an edit hashes the record once, in `added`, not once more per
        #: key: the records are frozen dataclasses whose hash is computed at each call).
        self.index: tuple[dict[str, dict[int, R]], ...] = tuple({} for _ in keys)
        #: the keys of the hidden baseline records, per key (hidden only grows: a key once
        #: hidden stays, a set is enough).
        self.hidden: tuple[set[str], ...] = tuple(set() for _ in keys)

    def copy(self) -> "_Layer[R]":
        other = _Layer(self.keys)
        other.removed = set(self.removed)
        other.added = dict(self.added)
        other.index = tuple({k: dict(v) for k, v in ix.items()} for ix in self.index)
        other.hidden = tuple(set(h) for h in self.hidden)
        return other

    def remove(self, record: R) -> None:
        # Each membership test hashes the whole record (its dates too): one test per step,
        # and none in `added` when no added record has the record's first key (a baseline
        # record, the usual case: a dict lookup on a string tells).
        # (The loops over the keys, one or two, are written out: a million edits.)
        keys, index = self.keys, self.index
        first = keys[0](record)
        bucket = index[0].get(first)
        if bucket:
            stored = self.added.pop(record, None)
            if stored is not None:
                i = id(stored)
                bucket.pop(i, None)
                if len(keys) > 1:
                    other = index[1].get(keys[1](stored))
                    if other is not None:
                        other.pop(i, None)
                return
        removed = self.removed
        n = len(removed)
        removed.add(record)
        if len(removed) != n:
            hidden = self.hidden
            hidden[0].add(first)
            if len(keys) > 1:
                hidden[1].add(keys[1](record))

    def add(self, record: R) -> None:
        added = self.added
        n = len(added)
        added.setdefault(record, record)
        if len(added) == n:
            return
        i = id(record)
        keys, index = self.keys, self.index
        k = keys[0](record)
        bucket = index[0].get(k)
        if bucket is None:
            index[0][k] = {i: record}
        else:
            bucket[i] = record
        if len(keys) > 1:
            k = keys[1](record)
            bucket = index[1].get(k)
            if bucket is None:
                index[1][k] = {i: record}
            else:
                bucket[i] = record

    def replace(self, old: R, new: R | None) -> None:
        self.remove(old)
        if new is not None:
            self.add(new)

    def visible(self, base: Iterable[R]) -> list[R]:
        removed = self.removed
        if not removed:
            return list(base)
        # A hidden record's first key is among the hidden keys: a set lookup on a string
        # spares hashing the records of the units with nothing hidden.
        if len(self.keys) == 2:  # a hidden record is among the hidden keys of both
            (k0, k1), (h0, h1) = self.keys, self.hidden
            return [r for r in base if k0(r) not in h0 or k1(r) not in h1 or r not in removed]
        key, hidden = self.keys[0], self.hidden[0]
        return [r for r in base if key(r) not in hidden or r not in removed]

    def added_for(self, which: int, key: str) -> list[R]:
        bucket = self.index[which].get(key)
        return list(bucket.values()) if bucket else []

    def keys_touched(self, which: int) -> set[str]:
        """Keys with any change (added or hidden records)."""
        out = {k for k, v in self.index[which].items() if v}
        # the keys of the hidden records, kept as they were hidden (hidden only grows)
        out.update(self.hidden[which])
        return out

    def __bool__(self) -> bool:
        return bool(self.removed or self.added)


def _hc_key(h: Headcount) -> tuple:
    return (h.date, h.unit_id)


def _event_key(e: Event) -> tuple:
    return (e.date, e.id)


class ScenarioState(ReaderDefaults):
    """A scenario's structure: the baseline plus the changes of its operations.

    Implements `graph.store.GraphReader`. `at` is the scenario's base date,
    `effective_at` the latest date any of its operations takes effect (the date to
    read the result at), `log` the entries of the operations applied so far.
    """

    def __init__(self, base: GraphReader, at: PartialDate | dt.date | str, *,
                 name: str = "scenario", event_prefix: str | None = None):
        if isinstance(at, str):
            at = PartialDate.parse(at)
        elif isinstance(at, dt.date):
            at = PartialDate.of(at)
        # A store may swap its in-memory graph on each write: read one revision throughout.
        self._base: GraphReader = base.pinned()
        self.base_revision: str = base.revision
        self.at_date: PartialDate = at
        self.name = name
        self.event_prefix = event_prefix or "scenario"
        self.operations: tuple = ()
        self.log: tuple = ()
        self._units: dict[str, Unit] = {}
        self._new_units: dict[str, None] = {}
        self._rels: _Layer[Relation] = _Layer((attrgetter("source_id"), attrgetter("target_id")))
        self._fns: _Layer[Function] = _Layer((attrgetter("unit_id"),))
        self._hcs: _Layer[Headcount] = _Layer((attrgetter("unit_id"),))
        self._posts: _Layer[Post] = _Layer((attrgetter("unit_id"), attrgetter("person_id")))
        self._events: list[Event] = []
        self._events_by_id: dict[str, Event] = {}
        self._events_by_unit: dict[str, list[Event]] = {}
        #: Baseline events the scenario overrides (a what-if from before them).
        self._hidden_events: dict[str, Event] = {}
        #: Former names the scenario adds (a rename that keeps the id keeps the old name;
        #: a unit moved to another area keeps its former area) or replaces.
        self._names: _Layer[UnitName] = _Layer((attrgetter("unit_id"),))
        self._revision: str | None = None
        #: The search index of the touched units, built on the first search.
        self._search_index: Any = None

    # -- copy-on-write ------------------------------------------------------------------------
    def _copy(self) -> "ScenarioState":
        other = ScenarioState.__new__(ScenarioState)
        other._base = self._base
        other.base_revision = self.base_revision
        other.at_date = self.at_date
        other.name = self.name
        other.event_prefix = self.event_prefix
        other.operations = self.operations
        other.log = self.log
        other._units = dict(self._units)
        other._new_units = dict(self._new_units)
        other._rels = self._rels.copy()
        other._fns = self._fns.copy()
        other._hcs = self._hcs.copy()
        other._posts = self._posts.copy()
        other._events = list(self._events)
        other._events_by_id = dict(self._events_by_id)
        other._events_by_unit = {k: list(v) for k, v in self._events_by_unit.items()}
        other._hidden_events = dict(self._hidden_events)
        other._names = self._names.copy()
        other._revision = None
        other._search_index = None
        return other

    # -- what changed ---------------------------------------------------------------------------
    @property
    def base(self) -> GraphReader:
        return self._base

    @property
    def at(self) -> dt.date:
        return self.at_date.first_day()

    @property
    def effective_at(self) -> dt.date:
        """The date the scenario's result is read at: its `at`, or its latest operation's date."""
        dates = [self.at] + [e.date.first_day() for e in self._events]
        return max(dates)

    def scenario_events(self) -> list[Event]:
        return sorted(self._events, key=_event_key)

    def changed_unit_ids(self) -> set[str]:
        """Every unit with any change: its record, relations, functions, headcount or posts."""
        out = set(self._units)
        out |= self._rels.keys_touched(0) | self._rels.keys_touched(1)
        out |= self._fns.keys_touched(0) | self._hcs.keys_touched(0)
        out |= self._posts.keys_touched(0) | self._names.keys_touched(0)
        return out

    def changed_units(self) -> dict[str, Unit]:
        """The units whose record the scenario set (changed or new)."""
        return self._units

    def new_unit_ids(self) -> list[str]:
        return list(self._new_units)

    def is_new(self, unit_id: str) -> bool:
        return unit_id in self._new_units

    def changes(self) -> dict[str, Any]:
        """The overlay in numbers (how big the copy-on-write part is)."""
        return {"units": len(self._units), "new_units": len(self._new_units),
                "relations_hidden": len(self._rels.removed),
                "relations_added": len(self._rels.added),
                "functions_hidden": len(self._fns.removed),
                "functions_added": len(self._fns.added),
                "headcounts_hidden": len(self._hcs.removed),
                "headcounts_added": len(self._hcs.added),
                "posts_hidden": len(self._posts.removed), "posts_added": len(self._posts.added),
                "events": len(self._events)}

    def removed_posts(self) -> list[Post]:
        """Baseline posts the scenario hid (ended early or moved)."""
        return sorted(self._posts.removed, key=lambda p: (p.unit_id, p.person_id, p.role))

    # -- editing (graph.scenarios.apply edits a draft, never a state it was given) ------------
    def draft(self) -> "ScenarioState":
        """A copy to edit: the overlay is copied (its size is that of the changes), the
        baseline is shared. The editing methods below are meant for drafts only."""
        return self._copy()

    def add_name(self, name: UnitName) -> None:
        """Keep a name (and area) the unit had until a rename or a move (written to
        names.csv on commit)."""
        self._names.add(name)
        self._search_index = None

    def replace_name(self, old: UnitName, new: UnitName | None) -> None:
        """Replace (or drop) one of a unit's name rows, the baseline's or the scenario's."""
        self._names.replace(old, new)
        self._search_index = None

    def dated_area_units(self) -> set[str]:
        """The units with a dated area (a name row with an `area`: they moved), the
        baseline's and the scenario's."""
        base = self._base.dataset()
        out = {n.unit_id for n in base.names if n.area} if base.counts().get("names") else set()
        out.update(n.unit_id for n in self._names.added if n.area)
        return out

    def unit_names(self, unit_id: str) -> list[UnitName]:
        names = self._names
        base = self._base.unit_names(unit_id)
        if not names:
            return base
        if names.removed:
            base = [n for n in base if n not in names.removed]
        added = names.added_for(0, unit_id)
        if not added:
            return base
        return sorted(base + added, key=lambda n: start_day(n.valid_from))

    def plans(self) -> list[Plan]:
        return self._base.plans()

    def put_unit(self, unit: Unit, *, new: bool = False) -> None:
        """Set a unit's record (`new`: a unit the scenario creates)."""
        self._units[unit.id] = unit
        if new:
            self._new_units[unit.id] = None
        self._revision = None
        self._search_index = None

    # The four replace_* are written out (not one shared helper): a national plan makes
    # about a million of these calls.
    def replace_relation(self, old: Relation | None, new: Relation | None) -> None:
        """Hide `old` (if given) and add `new` (if given)."""
        if old is not None:
            self._rels.remove(old)
        if new is not None:
            self._rels.add(new)
        self._revision = None

    def replace_function(self, old: Function | None, new: Function | None) -> None:
        if old is not None:
            self._fns.remove(old)
        if new is not None:
            self._fns.add(new)
        self._revision = None

    def replace_headcount(self, old: Headcount | None, new: Headcount | None) -> None:
        self._replace(self._hcs, old, new)

    def replace_post(self, old: Post | None, new: Post | None) -> None:
        if old is not None:
            self._posts.remove(old)
        if new is not None:
            self._posts.add(new)
        self._revision = None

    def add_event(self, event: Event) -> None:
        self._events.append(event)
        self._events_by_id[event.id] = event
        for uid in dict.fromkeys(event.inputs + event.outputs):
            self._events_by_unit.setdefault(uid, []).append(event)
        self._revision = None

    def replace_event(self, event: Event) -> None:
        """Replace the scenario's event of the same id (a territorial consolidation adds a
        third area's body to a body its peers formed: one event of the three)."""
        old = self._events_by_id[event.id]
        self._events[self._events.index(old)] = event
        self._events_by_id[event.id] = event
        for uid in dict.fromkeys(old.inputs + old.outputs):
            self._events_by_unit[uid] = [e for e in self._events_by_unit.get(uid, [])
                                         if e is not old]
        for uid in dict.fromkeys(event.inputs + event.outputs):
            self._events_by_unit.setdefault(uid, []).append(event)
        self._revision = None

    def hide_event(self, event: Event) -> None:
        """Override a recorded baseline event: the scenario replaces that future."""
        self._hidden_events[event.id] = event
        self._revision = None

    def overridden_events(self) -> list[Event]:
        """The baseline events the scenario overrides, by date."""
        return sorted(self._hidden_events.values(), key=_event_key)

    def is_scenario_event(self, event_id: str) -> bool:
        return event_id in self._events_by_id

    def record(self, operation: Any, entry: Any) -> None:
        """Append an applied operation and its log entry."""
        self.operations = self.operations + (operation,)
        self.log = self.log + (entry,)

    def added_relations(self) -> list[Relation]:
        """The relations the scenario adds (in the order added)."""
        return list(self._rels.added)

    def _replace(self, layer: "_Layer", old: Any, new: Any) -> None:
        if old is not None:
            layer.remove(old)
        if new is not None:
            layer.add(new)
        self._revision = None

    # -- GraphReader: identity ------------------------------------------------------------------
    @property
    def revision(self) -> str:
        if self._revision is None:
            h = hashlib.blake2b(digest_size=6)
            h.update(self.base_revision.encode())
            h.update(str(self.at_date).encode())
            for e in self._events:
                h.update(repr(e).encode())
            for i in self._hidden_events:
                h.update(i.encode())
            for u in self._units.values():
                h.update(repr(u).encode())
            self._revision = f"{self.base_revision}+{h.hexdigest()}"
        return self._revision

    # -- units ----------------------------------------------------------------------------------
    def get_unit(self, unit_id: str) -> Unit | None:
        unit = self._units.get(unit_id)
        return unit if unit is not None else self._base.get_unit(unit_id)

    def get_units(self, unit_ids: Iterable[str]) -> dict[str, Unit]:
        unit_ids = list(unit_ids)
        out = self._base.get_units(unit_ids)
        mine = self._units
        if mine:
            # the state's records over the baseline's, in the order of `unit_ids` (a new
            # unit last, as asked), found and set in C (a national region: 200,000 ids)
            hits = list(filter(mine.__contains__, unit_ids))
            out.update(zip(hits, map(mine.__getitem__, hits)))
        return out

    def units(self, at: dt.date | None = None, *, kind: str | None = None,
              level: str | None = None, area: str | None = None) -> list[Unit]:
        mine = self._units
        out = [u for u in self._base.units(at, kind=kind, level=level, area=area)
               if u.id not in mine] if mine else self._base.units(at, kind=kind, level=level,
                                                                   area=area)
        if mine:
            out += [u for u in mine.values()
                    if (kind is None or u.kind == kind) and (level is None or u.level == level)
                    and (area is None or rules.in_area(u, self.unit_names(u.id), at, area))
                    and u.valid_at(at)]
            out.sort(key=_UNIT_ID)  # `rules.unit_order_key`, read in C (200,000 units)
        return out

    # -- structure ------------------------------------------------------------------------------
    def relations(self, unit_id: str, at: dt.date | None = None, *,
                  types: Iterable[str] | None = None, direction: str = "out") -> list[Relation]:
        types = None if types is None else tuple(types)
        base = self._base.relations(unit_id, at, types=types, direction=direction)
        rels = self._rels
        removed = rels.removed
        if not removed and not rels.added:
            return base
        # `rels.visible(base)` and `rels.added_for(...)` written out: the hottest read of
        # a national plan (hundreds of thousands of calls)
        # Only when a hidden record has the unit at the end the read looks from (its
        # source for "out", its target for "in") is the baseline's answer filtered: one
        # lookup instead of a test per record.
        if removed and ((direction != "in" and unit_id in rels.hidden[0])
                        or (direction != "out" and unit_id in rels.hidden[1])):
            # A hidden record's source and target both are among the hidden keys: a
            # record is hashed only when both are (the unit's own end always does).
            by_source, by_target = rels.hidden
            out = [r for r in base if r.source_id not in by_source
                   or r.target_id not in by_target or r not in removed]
        else:
            out = base  # copied below only if something is added to it
        added: Iterable[Relation] | None
        bucket: dict[int, Relation] | None
        if direction == "out":
            bucket = rels.index[0].get(unit_id)
            added = bucket.values() if bucket else None
        elif direction == "in":
            bucket = rels.index[1].get(unit_id)
            added = bucket.values() if bucket else None
        elif direction == "both":
            added = [*rels.index[0].get(unit_id, _EMPTY).values(),
                     *rels.index[1].get(unit_id, _EMPTY).values()]
        else:
            added = None
        if added:
            if out is base:
                out = list(base)
            wanted = set(types) if types is not None else None
            if at is None:  # every date (the applier's reads): no date test per record
                out += added if wanted is None else [r for r in added if r.type in wanted]
            else:
                out += [r for r in added if (wanted is None or r.type in wanted)
                        and r.valid_at(at)]
            if len(out) > 1:
                out.sort(key=relation_order_key)
        return out

    def parent(self, unit_id: str, at: dt.date | None) -> str | None:
        rels = self._rels
        if not rels or (unit_id not in rels.index[0] and not self._hides_out(unit_id)):
            return self._base.parent(unit_id, at)
        if at is None:  # the most recent link: the order breaks ties
            return latest_parent(self.relations(unit_id, at, types=_PART_OF), at)
        # `relations` on the date, sorted only when more than one link holds (the first
        # in its order is the answer; a stable sort keeps the baseline's order of ties)
        valid = self._base.relations(unit_id, at, types=_PART_OF)
        if rels.removed and unit_id in rels.hidden[0]:
            valid = rels.visible(valid)
        bucket = rels.index[0].get(unit_id)
        if bucket:
            valid = valid + [r for r in bucket.values()
                             if r.type == "PART_OF" and r.valid_at(at)]
            if len(valid) > 1:
                valid.sort(key=relation_order_key)
        return latest_parent(valid, at)

    def parent_from(self, unit_id: str, at: dt.date, part_of: list[Relation]) -> str | None:
        """`parent(unit_id, at)`, given the unit's PART_OF relations of every date as
        `relations(unit_id, None, types=("PART_OF",))` answers them (a walk that needs both
        reads them once)."""
        rels = self._rels
        if not rels or (unit_id not in rels.index[0] and not self._hides_out(unit_id)):
            return self._base.parent(unit_id, at)
        return latest_parent([r for r in part_of if r.valid_at(at)], at)

    def part_of_and_parent(self, unit_id: str, at: dt.date) -> tuple[list[Relation], str | None]:
        """The unit's PART_OF relations of every date (those `relations(unit_id, None,
        types=("PART_OF",))` answers, in no set order) and its parent on `at` (what
        `parent_from` answers given them), read at once: the cycle check asks both for
        every unit it walks through (200k in a national plan), and needs the relations
        sorted only when more than one holds on `at`."""
        base = self._base.relations(unit_id, None, types=_PART_OF)
        rels = self._rels
        if not rels or (unit_id not in rels.index[0] and unit_id not in rels.hidden[0]):
            return base, self._base.parent(unit_id, at)
        # `relations` written out without its sort (the same records)
        links = rels.visible(base) if rels.removed and unit_id in rels.hidden[0] else base
        bucket = rels.index[0].get(unit_id)
        if bucket:
            links = links + [r for r in bucket.values() if r.type == "PART_OF"]
        valid = [r for r in links if r.valid_at(at)]
        if len(valid) > 1:  # the first in `relations`' order (a sort keeps ties in place)
            valid.sort(key=relation_order_key)
        return links, latest_parent(valid, at)

    def children(self, unit_id: str, at: dt.date | None) -> list[str]:
        rels = self._rels
        if not rels or (unit_id not in rels.index[1] and not self._hides_in(unit_id)):
            return self._base.children(unit_id, at)
        # `relations(..., direction="in")` written out without sorting its records: the
        # answer is their sources, sorted (a province's thousands of links, per district)
        base = self._base.relations(unit_id, at, types=_PART_OF, direction="in")
        if rels.removed and unit_id in rels.hidden[1]:
            base = rels.visible(base)
        ids = {r.source_id for r in base}
        bucket = rels.index[1].get(unit_id)
        if bucket:
            ids.update(r.source_id for r in bucket.values()
                       if r.type == "PART_OF" and r.valid_at(at))
        return sorted(ids)

    def _hides_out(self, unit_id: str) -> bool:
        return unit_id in self._rels.hidden[0]

    def _hides_in(self, unit_id: str) -> bool:
        return unit_id in self._rels.hidden[1]

    def all_relations(self, at: dt.date | None = None, *,
                      types: Iterable[str] | None = None) -> list[Relation]:
        types = None if types is None else tuple(types)
        out = self._rels.visible(self._base.all_relations(at, types=types))
        wanted = set(types) if types is not None else None
        if at is None:
            out += [r for r in self._rels.added if wanted is None or r.type in wanted]
        else:  # `r.valid_at(at)` written out (every added record: a call each saved)
            out += [r for r in self._rels.added if (wanted is None or r.type in wanted)
                    and ((s := r.valid_from) is None or s._first <= at)
                    and ((e := r.valid_to) is None or at < e._first)]
        return out

    # -- events ---------------------------------------------------------------------------------
    def get_event(self, event_id: str) -> Event | None:
        if event_id in self._hidden_events:
            return None
        return self._events_by_id.get(event_id) or self._base.get_event(event_id)

    def events(self, *, unit_id: str | None = None, type: str | None = None,
               basis: str | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[Event]:
        base = self._base.events(unit_id=unit_id, type=type, basis=basis, date_from=date_from,
                                 date_to=date_to)
        if self._hidden_events:
            hidden = self._hidden_events
            base = [e for e in base if e.id not in hidden]
        pool = self._events if unit_id is None else self._events_by_unit.get(unit_id, ())
        mine = [e for e in pool
                if (unit_id is None or unit_id in e.inputs or unit_id in e.outputs)
                and (type is None or e.type == type) and (basis is None or basis in e.basis)
                and (date_from is None or e.date.first_day() >= date_from)
                and (date_to is None or e.date.first_day() <= date_to)]
        if not mine:
            return base
        return sorted(base + mine, key=_event_key)

    # -- facts ----------------------------------------------------------------------------------
    def functions(self, unit_id: str | None = None, at: dt.date | None = None) -> list[Function]:
        base = self._base.functions(unit_id, at)
        fns = self._fns
        if not fns:
            return base
        if unit_id is not None:
            out = list(base) if unit_id not in fns.hidden[0] else fns.visible(base)
            added = fns.index[0].get(unit_id)
            if added:
                out += added.values() if at is None else [f for f in added.values()
                                                          if f.valid_at(at)]
            return out
        out = fns.visible(base)
        if at is None:
            out += fns.added
        else:  # `f.valid_at(at)` written out (every added record)
            out += [f for f in fns.added if ((s := f.valid_from) is None or s._first <= at)
                    and ((e := f.valid_to) is None or at < e._first)]
        return out

    def headcounts(self, unit_id: str | None = None) -> list[Headcount]:
        base = self._base.headcounts(unit_id)
        hcs = self._hcs
        if not hcs:
            return base
        if unit_id is not None:
            out = list(base) if unit_id not in hcs.hidden[0] else hcs.visible(base)
            out += hcs.index[0].get(unit_id, _EMPTY).values()
        else:
            out = hcs.visible(base) + list(hcs.added)
        if len(out) > 1:  # most units have one figure or none
            out.sort(key=_hc_key)
        return out

    def posts(self, *, unit_id: str | None = None, person_id: str | None = None,
              at: dt.date | None = None) -> list[Post]:
        base = self._base.posts(unit_id=unit_id, person_id=person_id, at=at)
        posts = self._posts
        if not posts:
            return base
        # The unit's (or the person's) records with nothing hidden: the baseline's as is.
        if (unit_id is not None and unit_id not in posts.hidden[0]) or (
                unit_id is None and person_id is not None
                and person_id not in posts.hidden[1]):
            out = list(base)
        else:
            out = posts.visible(base)
        added: Iterable[Post]
        if unit_id is not None:
            added = posts.index[0].get(unit_id, _EMPTY).values()
        elif person_id is not None:
            added = posts.index[1].get(person_id, _EMPTY).values()
        else:
            added = posts.added
        if added:
            if at is None and person_id is None:
                out += added
            elif person_id is None and at is not None:  # `p.valid_at(at)` written out
                out += [p for p in added if ((s := p.valid_from) is None or s._first <= at)
                        and ((e := p.valid_to) is None or at < e._first)]
            else:
                out += [p for p in added if (person_id is None or p.person_id == person_id)
                        and p.valid_at(at)]
        return out

    def get_person(self, person_id: str) -> Person | None:
        return self._base.get_person(person_id)

    def people(self) -> list[Person]:
        return self._base.people()

    def get_document(self, document_id: str) -> Document | None:
        return self._base.get_document(document_id)

    def documents(self) -> list[Document]:
        return self._base.documents()

    # -- search ---------------------------------------------------------------------------------
    def search_units(self, text: str, at: dt.date | None = None,
                     limit: int = 20) -> list[tuple[Unit, float]]:
        if not self._units:
            return self._base.search_units(text, at, limit)
        from graph.queries.search import SearchIndex
        mine = self._units
        found: dict[str, tuple[Unit, float]] = {}
        for unit, score in self._base.search_units(text, None, limit + len(mine)):
            if unit.id not in mine and unit.valid_at(at):
                found[unit.id] = (unit, score)
        index = self._search_index
        if index is None:
            # The touched units' former names too (those the scenario's renames keep, and
            # the baseline's, asked unit by unit only when the baseline has any: one
            # query each on Neo4j): the baseline's search finds a unit by them, so must
            # this one. Built once per state (a state is not edited once applied).
            former = list(self._names.added)
            if self._base.dataset().counts().get("names"):
                former += [n for uid in mine for n in self._base.unit_names(uid)]
            index = self._search_index = SearchIndex(mine.values(), former)
        for uid, score in index.search(text):
            if mine[uid].valid_at(at):
                found[uid] = (mine[uid], score)
        ranked = sorted(found.values(), key=lambda us: (-us[1], len(us[0].name), us[0].id))
        return ranked[:limit]

    # -- the whole state ------------------------------------------------------------------------
    def dataset(self) -> Dataset:
        base = self._base.dataset()
        mine = self._units
        units = tuple(mine.get(u.id, u) for u in base.units) + tuple(
            mine[i] for i in self._new_units)
        return Dataset(
            units=units,
            relations=tuple(self._rels.visible(base.relations)) + tuple(self._rels.added),
            events=tuple(sorted([e for e in base.events if e.id not in self._hidden_events]
                                + list(self._events), key=_event_key)),
            functions=tuple(self._fns.visible(base.functions)) + tuple(self._fns.added),
            headcounts=tuple(self._hcs.visible(base.headcounts)) + tuple(self._hcs.added),
            people=base.people,
            posts=tuple(self._posts.visible(base.posts)) + tuple(self._posts.added),
            documents=base.documents,
            names=tuple(self._names.visible(base.names)) + tuple(self._names.added),
            plans=base.plans,
            warnings=base.warnings,
        )

    def __repr__(self) -> str:
        return (f"ScenarioState({self.name!r}, at={self.at_date}, "
                f"operations={len(self.operations)}, changes={self.changes()})")

    def overlay(self) -> dict[str, tuple[tuple, tuple]]:
        """(hidden baseline records, added records) per table: what a commit writes
        (`graph.scenarios.changes.ChangeSet.from_state`); units and events have their
        own accessors above."""
        return {"relations": (tuple(self._rels.removed), tuple(self._rels.added)),
                "functions": (tuple(self._fns.removed), tuple(self._fns.added)),
                "headcounts": (tuple(self._hcs.removed), tuple(self._hcs.added)),
                "posts": (tuple(self._posts.removed), tuple(self._posts.added)),
                "names": (tuple(self._names.removed), tuple(self._names.added))}
