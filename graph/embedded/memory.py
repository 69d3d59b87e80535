"""`MemoryGraph`: a `GraphReader` over one Dataset, held in memory.

Relations are held as adjacency lists (unit id -> its outgoing and incoming
relations); dated facts are indexed by unit so that a single-unit query touches
only that unit's facts, and the as-of filter is a test on validity intervals,
never a rebuild of the graph. The same relations as a networkx MultiDiGraph, for
graph algorithms, are built on first use (`MemoryGraph.graph`): networkx spends
about 7 µs per edge building one (3.3 s at national size, measured), which a
server start cannot afford for a structure its queries do not need.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import defaultdict
from functools import cached_property, wraps
from operator import attrgetter
from typing import Any, Iterable

import networkx as nx

from graph import rules, store_defaults
from graph.areas import blank_body, infer_areas
from graph.embedded.gc_pause import paused_gc
from graph.embedded.memory_index import OPEN_LO, StructureIndex, day_number
from graph.model import (Dataset, Document, Event, Function, Headcount, Person, Plan, Post,
                         Relation, Unit, UnitName)
from graph.queries.search import SearchIndex
from graph.store import ReaderDefaults, StatsCounts, UnitPage

# Kept importable from here for the modules written against it (the rules live in graph.rules).
latest_parent = rules.latest_parent
relation_order_key = rules.relation_order_key


def dataset_revision(dataset: Dataset) -> str:
    """A short content hash: equal datasets share a revision."""
    h = hashlib.blake2b(digest_size=8)
    for name, count in dataset.counts().items():
        h.update(f"{name}:{count};".encode())
    for u in dataset.units[:: max(1, len(dataset.units) // 2000)]:
        h.update(repr(u).encode())
    for e in dataset.events[-500:]:
        h.update(repr(e).encode())
    return h.hexdigest()


def _built_once(build):
    """`cached_property` whose value is built with the collector paused, then frozen (it
    lives as long as the baseline: no full collection should walk it again)."""
    @wraps(build)
    def frozen_build(self):
        with paused_gc(freeze=True):
            return build(self)
    return cached_property(frozen_build)


def _grouped(records: Iterable, field: str) -> dict[str, list]:
    """Records by the value of one of their fields, each list in the records' order."""
    index: dict[str, list] = defaultdict(list)
    key = attrgetter(field)
    for record in records:
        index[key(record)].append(record)
    return index


class MemoryGraph(ReaderDefaults):
    """Indexes over a Dataset; implements `graph.store.GraphReader`, its capabilities on a
    date from the `StructureIndex` (at=None: the defaults over the primitives)."""

    def __init__(self, dataset: Dataset, revision: str | None = None):
        self._dataset = dataset
        self._revision = revision or dataset_revision(dataset)
        self._units: dict[str, Unit] = {u.id: u for u in dataset.units}
        self._out: dict[str, list[Relation]] = {uid: [] for uid in self._units}
        self._in: dict[str, list[Relation]] = {uid: [] for uid in self._units}
        for r in dataset.relations:
            _append(self._out, r.source_id, r)
            _append(self._in, r.target_id, r)
        self._nx: nx.MultiDiGraph | None = None
        self._search: SearchIndex | None = None
        self._build_lock = threading.Lock()  # for the structures built on first use
        self._index: StructureIndex | None = None
        #: day number -> (area id -> the bodies naming no area whose chain gives it that
        #: day, by id; body id -> that area) (`area_page`, `inferred_area`; a few days
        #: kept, as a server is asked few dates)
        self._inferred_on: dict[int, tuple[dict[str, list[str]], dict[str, str]]] = {}

    # -- indexes of the other tables, built on first use (their tables may not be read yet:
    # see graph.embedded.lazy_tables), and frozen out of the collector as the baseline is ---------
    @_built_once
    def _events(self) -> dict[str, Event]:
        return {e.id: e for e in self._dataset.events}

    @_built_once
    def _events_by_unit(self) -> dict[str, list[Event]]:
        index: dict[str, list[Event]] = defaultdict(list)
        for e in self._dataset.events:  # already in date order
            for uid in dict.fromkeys(e.inputs + e.outputs):
                index[uid].append(e)
        return index

    @_built_once
    def _events_by_doc(self) -> dict[str, list[Event]]:
        index: dict[str, list[Event]] = defaultdict(list)
        for e in self._dataset.events:
            for doc in e.basis:
                index[doc].append(e)
        return index

    @_built_once
    def _functions(self) -> dict[str, list[Function]]:
        return _grouped(self._dataset.functions, "unit_id")

    @_built_once
    def _headcounts_in_order(self) -> tuple[Headcount, ...]:
        """Every figure in `headcount_order_key` order (`headcounts()` without a unit
        answered a fresh sort of every figure each time)."""
        return tuple(sorted(self._dataset.headcounts, key=rules.headcount_order_key))

    @_built_once
    def _headcounts(self) -> dict[str, list[Headcount]]:
        return _grouped(self._headcounts_in_order, "unit_id")

    @_built_once
    def _posts_by_unit(self) -> dict[str, list[Post]]:
        return _grouped(self._dataset.posts, "unit_id")

    @_built_once
    def _posts_by_person(self) -> dict[str, list[Post]]:
        return _grouped(self._dataset.posts, "person_id")

    @_built_once
    def _people(self) -> dict[str, Person]:
        return {p.id: p for p in self._dataset.people}

    @_built_once
    def _documents(self) -> dict[str, Document]:
        return {d.id: d for d in self._dataset.documents}

    @_built_once
    def _names(self) -> dict[str, list[UnitName]]:
        return _grouped(sorted(self._dataset.names, key=lambda n: (
            n.valid_from.first_day() if n.valid_from else dt.date.min)), "unit_id")

    def unit_names(self, unit_id: str) -> list[UnitName]:
        return list(self._names.get(unit_id, ()))

    def plans(self) -> list[Plan]:
        return sorted(self._dataset.plans, key=attrgetter("id"))

    def warm(self) -> None:
        """Build every index now (a server calls it in the background once it answers): those
        of the tables read on first use, the structure index and its step functions, the
        search index."""
        for name in _LAZY_INDEXES:
            getattr(self, name)
        self.structure_index().stats_counts(OPEN_LO)
        self.search_units("warm", None, 1)

    def structure_index(self) -> StructureIndex:
        """The integer index of this baseline (built on first use, frozen out of the collector)."""
        index = self._index
        if index is None:
            with self._build_lock:
                if self._index is None:
                    with paused_gc(freeze=True):  # many small tuples, none in a cycle
                        self._index = StructureIndex(self)
                index = self._index
        return index

    # -- identity ---------------------------------------------------------------------------
    @property
    def revision(self) -> str:
        return self._revision

    def dataset(self) -> Dataset:
        return self._dataset

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The relations as a networkx MultiDiGraph (node = unit id; each edge carries its
        Relation as `rel`), for networkx's algorithms; built on first use."""
        if self._nx is None:
            with self._build_lock:
                if self._nx is None:
                    graph = nx.MultiDiGraph()
                    graph.add_nodes_from(self._units)
                    graph.add_edges_from((r.source_id, r.target_id, {"rel": r})
                                         for r in self._dataset.relations)
                    self._nx = graph
        return self._nx

    def incoming(self, unit_id: str) -> list[Relation]:
        """Every relation pointing at `unit_id`, undated and unsorted: the raw adjacency
        list for walks over many units (do not modify it)."""
        return self._in.get(unit_id, _NONE)

    # -- units ------------------------------------------------------------------------------
    def get_unit(self, unit_id: str) -> Unit | None:
        return self._units.get(unit_id)

    def get_units(self, unit_ids: Iterable[str]) -> dict[str, Unit]:
        units = self._units
        return {i: units[i] for i in unit_ids if i in units}

    def units(self, at: dt.date | None = None, *, kind: str | None = None,
              level: str | None = None, area: str | None = None) -> list[Unit]:
        moved = self._moved if area is not None else {}
        out = [u for u in self._units.values()
               if (kind is None or u.kind == kind) and (level is None or u.level == level)
               and (area is None or (u.area == area if u.id not in moved
                                     else rules.in_area(u, moved[u.id], at, area)))
               and u.valid_at(at)]
        out.sort(key=_UNIT_ID)  # `rules.unit_order_key`, read in C (200,000 units)
        return out

    @_built_once
    def _moved(self) -> dict[str, list[UnitName]]:
        """The name rows of the units with a dated area (a names.csv row with an `area`)."""
        return rules.moved_units(self._dataset.names)

    @_built_once
    def _blank_bodies(self) -> tuple[Unit, ...]:
        """The bodies naming no area (`graph.areas.blank_body`), whatever their lifetime."""
        return tuple(u for u in self._units.values() if blank_body(u))

    def area_page(self, area: str, at: dt.date, *, kind: str | None = None,
                  level: str | None = None, offset: int = 0, limit: int = 50) -> UnitPage:
        """The area's units from the structure index's area lists and the day's inferred
        areas (`_inferred_areas`: the rule run once a day over the bodies naming none, not
        once a request), filtered by kind and level."""
        index, d = self.structure_index(), day_number(at)
        units = self._units

        def wanted(u: Unit) -> bool:
            return (kind is None or u.kind == kind) and (level is None or u.level == level)
        own = [u for uid in index.in_area(area, d) if wanted(u := units[uid])]
        inferred = [u for uid in self._inferred_areas(at).get(area, ()) if wanted(u := units[uid])]
        return store_defaults.listed(own, inferred, offset, limit)

    def _inferred_areas(self, at: dt.date) -> dict[str, list[str]]:
        """area id -> the bodies naming no area on `at` whose chain gives it, by id."""
        d = day_number(at)
        kept = self._inferred_on.get(d)
        if kept is None:
            moved = self._moved
            blank = [u for u in self._blank_bodies if u.valid_at(at) and (
                u.id not in moved or not rules.area_on(u, moved[u.id], at))]
            by_unit = infer_areas(self, blank, at, moved)
            found: dict[str, list[str]] = {}
            for uid, area in sorted(by_unit.items()):
                found.setdefault(area, []).append(uid)
            kept = (found, by_unit)
            with self._build_lock:
                if len(self._inferred_on) >= 16:
                    self._inferred_on.clear()
                self._inferred_on[d] = kept
        return kept[0]

    def inferred_area(self, unit_id: str, at: dt.date) -> str:
        """From the day's inferred areas when an area listing computed them already, else
        the unit's own chain (the default: not the day's every body for one unit)."""
        kept = self._inferred_on.get(day_number(at))
        if kept is None:
            return super().inferred_area(unit_id, at)
        return kept[1].get(unit_id, "")

    # -- structure --------------------------------------------------------------------------
    def parent(self, unit_id: str, at: dt.date | None) -> str | None:
        return rules.latest_parent((rel for rel in self._out.get(unit_id, _NONE)
                                    if rel.type == "PART_OF"), at)

    def children(self, unit_id: str, at: dt.date | None) -> list[str]:
        return sorted({rel.source_id for rel in self._in.get(unit_id, _NONE)
                       if rel.type == "PART_OF" and rel.valid_at(at)})

    def relations(self, unit_id: str, at: dt.date | None = None, *,
                  types: Iterable[str] | None = None, direction: str = "out") -> list[Relation]:
        wanted = set(types) if types is not None else None
        # the adjacency list itself for one direction (never modified: the answer is a copy)
        edges: list[Relation]
        if direction == "out":
            edges = self._out.get(unit_id, _NONE)
        elif direction == "in":
            edges = self._in.get(unit_id, _NONE)
        elif direction == "both":
            edges = self._out.get(unit_id, _NONE) + self._in.get(unit_id, _NONE)
        else:
            edges = _NONE
        if at is None:  # every date: a scenario's applier asks so for each unit it edits
            out = list(edges) if wanted is None else [r for r in edges if r.type in wanted]
        else:
            out = [r for r in edges if (wanted is None or r.type in wanted) and r.valid_at(at)]
        if len(out) > 1:
            out.sort(key=rules.relation_order_key)
        return out

    def all_relations(self, at: dt.date | None = None, *,
                      types: Iterable[str] | None = None) -> list[Relation]:
        wanted = set(types) if types is not None else None
        if at is None:
            return [r for r in self._dataset.relations if wanted is None or r.type in wanted]
        # `r.valid_at(at)` written out (the whole table: a call per record saved)
        return [r for r in self._dataset.relations
                if (wanted is None or r.type in wanted)
                and ((s := r.valid_from) is None or s._first <= at)
                and ((e := r.valid_to) is None or at < e._first)]

    # -- events, facts ----------------------------------------------------------------------
    def get_event(self, event_id: str) -> Event | None:
        return self._events.get(event_id)

    def events(self, *, unit_id: str | None = None, type: str | None = None,
               basis: str | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[Event]:
        if unit_id is not None:
            pool: Iterable[Event] = self._events_by_unit.get(unit_id, ())
        elif basis is not None:
            pool = self._events_by_doc.get(basis, ())
        else:
            pool = self._dataset.events
        # The pool is already the unit's (or the document's) events: filter on the rest.
        return [e for e in pool if rules.event_matches(e, type=type, basis=basis,
                                                       date_from=date_from, date_to=date_to)]

    def functions(self, unit_id: str | None = None, at: dt.date | None = None) -> list[Function]:
        pool = self._functions.get(unit_id, ()) if unit_id is not None else self._dataset.functions
        if at is None:
            return list(pool)
        # `f.valid_at(at)` written out (the whole table, when no unit is given)
        return [f for f in pool if ((s := f.valid_from) is None or s._first <= at)
                and ((e := f.valid_to) is None or at < e._first)]

    def headcounts(self, unit_id: str | None = None) -> list[Headcount]:
        if unit_id is not None:
            return list(self._headcounts.get(unit_id, ()))
        return list(self._headcounts_in_order)

    def posts(self, *, unit_id: str | None = None, person_id: str | None = None,
              at: dt.date | None = None) -> list[Post]:
        if unit_id is not None:
            pool: Iterable[Post] = self._posts_by_unit.get(unit_id, ())
        elif person_id is not None:
            pool = self._posts_by_person.get(person_id, ())
        else:
            pool = self._dataset.posts
        if person_id is None:
            if at is None:
                return list(pool)
            # `p.valid_at(at)` written out (the whole table, when no unit is given)
            return [p for p in pool if ((s := p.valid_from) is None or s._first <= at)
                    and ((e := p.valid_to) is None or at < e._first)]
        return [p for p in pool if p.person_id == person_id and p.valid_at(at)]

    def get_person(self, person_id: str) -> Person | None:
        return self._people.get(person_id)

    def people(self) -> list[Person]:
        return sorted(self._people.values(), key=attrgetter("id"))

    def get_document(self, document_id: str) -> Document | None:
        return self._documents.get(document_id)

    def documents(self) -> list[Document]:
        return sorted(self._documents.values(), key=attrgetter("id"))

    # -- search -----------------------------------------------------------------------------
    def search_units(self, text: str, at: dt.date | None = None,
                     limit: int = 20) -> list[tuple[Unit, float]]:
        if self._search is None:
            with self._build_lock:
                if self._search is None:
                    self._search = SearchIndex(self._units.values(), self._dataset.names)
        out = []
        for uid, score in self._search.search(text):
            unit = self._units[uid]
            if unit.valid_at(at):
                out.append((unit, score))
                if len(out) >= limit:
                    break
        return out


    # -- capabilities on a date, from the structure index ------------------------------------
    def headcount(self, unit_id: str, at: dt.date | None) -> Headcount | None:
        return rules.headcount_on(self._headcounts.get(unit_id, ()), at)

    def ancestors(self, unit_id: str, at: dt.date | None) -> list[str]:
        if at is None:
            return super().ancestors(unit_id, at)
        return self.structure_index().ancestors(unit_id, day_number(at))

    def roots(self, at: dt.date | None) -> list[str]:
        if at is None:
            return super().roots(at)
        return self.structure_index().roots(day_number(at))

    def subtree(self, root_id: str, at: dt.date | None, depth: int | None = None) -> dict[str, Any]:
        if at is None:
            return super().subtree(root_id, at, depth)
        return self.structure_index().subtree(root_id, day_number(at), depth)

    def scope(self, root_id: str, at: dt.date | None) -> list[str]:
        if at is None:
            return super().scope(root_id, at)
        return self.structure_index().scope(root_id, day_number(at))

    def stats_counts(self, at: dt.date | None, root: str | None = None,
                     area: str | None = None) -> StatsCounts:
        if at is None or root is not None or area is not None:
            # a scope or an area's units (`area_page`, from the index and the day's
            # inferred areas), walked unit by unit
            return super().stats_counts(at, root, area)
        c = self.structure_index().stats_counts(day_number(at))
        return StatsCounts(by_kind_level=c["by_kind_level"], headcount=c["headcount"],
                           units_with_figure=c["units_with_figure"],
                           people_with_posts=c["people_with_posts"],
                           people_with_concurrent_posts=c["people_with_concurrent_posts"],
                           concurrent_sample=c["concurrent_sample"])


_LAZY_INDEXES = ("_events", "_events_by_unit", "_events_by_doc", "_functions", "_headcounts",
                  "_posts_by_unit", "_posts_by_person", "_people", "_documents")
_NONE: list = []  # shared empty adjacency list (never modified)
_UNIT_ID = attrgetter("id")


def _append(index: dict[str, list[Relation]], key: str, rel: Relation) -> None:
    try:
        index[key].append(rel)
    except KeyError:  # an endpoint that is not a unit (a dataset not yet validated)
        index[key] = [rel]
