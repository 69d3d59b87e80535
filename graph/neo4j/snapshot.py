"""`Neo4jSnapshot`: what `Neo4jStore.pinned()` returns, a reader of one revision that
answers the `GraphReader` protocol from a cache it fills in bulk.

A scenario's overlay (`graph.scenarios.state.ScenarioState`) and the walks of apply and
impact ask their base one unit at a time (its relations, parent, children, functions,
headcounts, posts, events). Against the store each question is one Bolt round trip: a
two-province consolidation sent ~36,000 queries (140 s at 6 provinces). The snapshot
answers the same questions from memory, filled a *neighbourhood* at a time:

- the first question about a unit's facts loads the unit's neighbourhood: the unit and
  the units under it (PART_OF, any time), breadth first, at most `NEIGHBOURHOOD` units,
  walked one level per query with every relation touching the level (`UNWIND $ids`);
- the first question of a kind (functions, headcounts, posts, events, former names) about
  a unit of a neighbourhood loads that kind for the whole neighbourhood, one query;
- `prefetch(unit_ids)` loads every kind for the units named (a caller that knows what it
  will read: the units of an operation's selectors);
- a unit's facts are kept whole (every date), and a date is applied in Python with the
  store's own rules, so one load answers every `at`.

Whole-generation reads (`units()` listings, `all_relations`, the listings without a unit:
`functions()`, `headcounts()`, `posts()`, `events()`, `people()`, `documents()`,
`plans()`; what a national plan's apply and impact read, `graph.scenarios.tables.DayTables`)
are explicit (recorded in `bulk_reads`) and bounded:

- up to `BULK_ROWS` rows in the generation's table, each is one query;
- above it, in pages of `BULK_ROWS` rows, each page a read transaction of its own ending
  with the revision check: by the table's (gen, id) or (gen, seq) index, the next page
  after the last key (a `units()` listing with its filters); the relations by pages of
  source units. A whole table is read once, kept, and filtered (a date, types) in Python;
- refused with `BulkReadTooLarge` (422, a problem naming the read and the bound) above
  `TABLE_ROWS` rows: the memory one read may take in the process (an API listing of a
  scenario reads the same methods).

Consistency: a snapshot reads the generation it was made on (`$gen`), and every read
transaction ends by checking that the store's revision is still the pinned one; a store
changed meanwhile (a load, a commit) makes the read fail (`StoreError`: try again), never
answer a mix. Generations are immutable between revisions, so a cached fact stays true for
the snapshot's revision; `pinned()` hands the same snapshot out while the revision holds.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import threading
import weakref
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import orjson

from graph import rules
from graph.embedded.lazy_tables import LazyDataset
from graph.errors import BomayError, StoreError
from graph.model import (TABLE_NAMES, Dataset, Document, Event, Function, Headcount, Person,
                         Plan, Post, Relation, Unit, UnitName)
from graph.neo4j import plumbing
from graph.neo4j.records import DECODE, ordered
from graph.neo4j.records import relation as decode_relation
from graph.neo4j.vocabulary import ID_LABELS, LABELS
from graph.store import GraphReader, ReaderDefaults

if TYPE_CHECKING:
    from graph.neo4j.store import Neo4jStore

#: The most units one miss loads (a unit and the units under it, breadth first): a
#: province (~4,000 units in the synthetic data) in one neighbourhood, a national root's
#: first levels only.
NEIGHBOURHOOD = 5000
#: A miss of one kind of fact loads it for the unit's neighbourhood and for up to this many
#: other units walked already.
KIND_EXTRA = 20_000
#: Ids per `UNWIND $ids` query.
CHUNK = 5000
#: The most rows one whole-generation query returns: a table (or a `units()` listing of a
#: generation) holding more is read in pages of this many rows.
BULK_ROWS = int(os.environ.get("BOMAY_NEO4J_BULK_ROWS") or 500_000)
#: The most rows a whole table read in pages may hold (`BulkReadTooLarge` above): the
#: national tables hold up to ~460,000 rows, ~0.5 kB each once decoded.
TABLE_ROWS = int(os.environ.get("BOMAY_NEO4J_TABLE_ROWS") or 2_000_000)
#: `pinned()` keeps handing out its cached snapshot while it holds at most this many units
#: (the memory a long-lived cache may keep); a bigger one only while something else (a
#: scenario over it) still holds it.
REUSE_UNITS = 60_000

_PART_OF = "PART_OF"


class BulkReadTooLarge(BomayError):
    """A whole-generation read of a snapshot above `TABLE_ROWS` rows."""

    status = 422
    title = "Read too large"


def pinned(store: "Neo4jStore") -> GraphReader:
    """The store's snapshot of its current revision (the cached one while the revision
    holds; a new one after a write). An empty store is its own reader."""
    row = _meta(store)
    if row.get("gen") is None:
        return store
    with _CACHE_LOCK:
        snap = _CACHE.get(store)
        if snap is not None and snap.size() > REUSE_UNITS:
            # too big to keep for later: from now on it lives while its users hold it
            del _CACHE[store]
            snap = None
        if snap is None:
            held = _HELD.get(store)
            snap = held() if held is not None else None
        if snap is not None and snap.revision == row["revision"] and snap.gen == row["gen"]:
            return snap
        snap = Neo4jSnapshot(store, row["gen"], row["revision"],
                             orjson.loads(row["counts"]) if row.get("counts") else {})
        _CACHE[store] = snap
        _HELD[store] = weakref.ref(snap)
        return snap


# The snapshot handed out last, per store (kept while it is small) and weakly (a national
# scenario's base, ~200,000 units: the impact's `before.pinned()` is then the state's own
# base, read once, instead of a second snapshot read again from nothing).
_CACHE: "weakref.WeakKeyDictionary[Any, Neo4jSnapshot]" = weakref.WeakKeyDictionary()
_HELD: "weakref.WeakKeyDictionary[Any, weakref.ref[Neo4jSnapshot]]" = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def _meta(store: "Neo4jStore") -> dict[str, Any]:
    rows = store._read(lambda tx: plumbing.run(tx, "snapshot:revision", {}))
    return rows[0] if rows else {}


class Neo4jSnapshot(ReaderDefaults):
    """A `GraphReader` of one revision of a `Neo4jStore`, cached and filled in bulk."""

    def __init__(self, store: "Neo4jStore", gen: str, revision: str, counts: dict[str, int]):
        self._store = store
        self.gen = gen
        self._revision = revision
        self._counts = counts
        self._lock = threading.Lock()
        #: What the snapshot sent: read transactions, queries, whole-generation reads.
        self.transactions = 0
        self.queries = 0
        self.bulk_reads: list[str] = []
        self._unit: dict[str, Unit | None] = {}
        # A unit's relations, each with its seq (dataset order), out and in; a unit is a
        # key of both once its relations are loaded.
        self._out: dict[str, list[tuple[int, Relation]]] = {}
        self._in: dict[str, list[tuple[int, Relation]]] = {}
        self._hood: dict[str, tuple[str, ...]] = {}
        self._facts: dict[str, dict[str, list[Any]]] = {
            kind: {} for kind in ("functions", "headcounts", "posts", "events", "names")}
        self._posts_of_person: dict[str, list[Post]] = {}
        self._event: dict[str, Event | None] = {}
        self._person: dict[str, Person | None] = {}
        self._bulk: dict[Any, Any] = {}
        #: The ids of the generation's units and events, once a probe needed them.
        self._ids: dict[str, frozenset[str]] = {}

    # -- plumbing -----------------------------------------------------------------------------
    @property
    def revision(self) -> str:
        return self._revision

    def size(self) -> int:
        """How many units the snapshot holds."""
        return len(self._unit)

    def _read(self, work: Callable[[Callable[..., list[dict[str, Any]]]], Any]) -> Any:
        """One read transaction: `work(run)` with `run(name, ids=None, **params)`, then the
        check that the store is still on the pinned revision."""
        def transaction(tx: Any) -> Any:
            sent = 0

            def run(name: str, ids: Sequence[str] | None = None, **params: Any) -> list[dict[str, Any]]:
                nonlocal sent
                params["gen"] = self.gen
                if ids is None:
                    sent += 1
                    return plumbing.run(tx, name, params)
                rows: list[dict[str, Any]] = []
                for start in range(0, len(ids), CHUNK):
                    sent += 1
                    rows += plumbing.run(tx, name, params | {"ids": list(ids[start:start + CHUNK])})
                return rows
            out = work(run)
            now = plumbing.run(tx, "snapshot:revision", {})
            self.queries += sent + 1
            revision = now[0]["revision"] if now else "empty"
            if revision != self._revision:
                raise StoreError(f"the Neo4j store changed (revision {self._revision} -> "
                                 f"{revision}) while a reader of revision {self._revision} "
                                 "was reading it; try again")
            return out
        self.transactions += 1
        return self._store._read(transaction)

    def _bulk_read(self, what: str, name: str, *, rows_at_most: int | None = None,
                   **params: Any) -> list[dict[str, Any]]:
        """An explicit whole-generation read, bounded: refused when the table holds (or the
        read returns) more than `BULK_ROWS` rows."""
        if rows_at_most is not None and rows_at_most > BULK_ROWS:
            raise self._too_large(what, rows_at_most)
        self.bulk_reads.append(what)
        rows = self._read(lambda run: run(name, **params, cap=BULK_ROWS + 1))
        if len(rows) > BULK_ROWS:
            raise self._too_large(what, len(rows))
        return rows

    def _too_large(self, what: str, n: int, bound: int | None = None) -> BulkReadTooLarge:
        bound = BULK_ROWS if bound is None else bound
        return BulkReadTooLarge(
            f"{what} reads {n} rows of the Neo4j store, more than the {bound} a "
            "scenario's base reads at once: name the units (a lower root, a selector by "
            "kind and level, an area) or use the embedded store for a national read",
            errors=[{"field": "read", "message": "whole-graph read above the bound",
                     "value": what, "rows": n, "bound": bound}])

    def _paged(self, table: str) -> list[dict[str, Any]]:
        """Every row of `table` in pages of `BULK_ROWS` rows, each page one read
        transaction (and its revision check); the rows in no particular order."""
        what = f"every row of {table}"
        if table != "relations":
            label = LABELS[table]
            return self._pages(what, f"page:{label}", "" if label in ID_LABELS else -1)
        rows: list[dict[str, Any]] = []
        units = sorted(self._read(lambda run: self._directory("units", run)))
        # pages of source units holding about BULK_ROWS relations each
        per = max(1, BULK_ROWS * len(units) // max(1, self._counts.get("relations", 1)))
        for start in range(0, len(units), per):
            rows += self._read(functools.partial(_run_page, "page:relations",
                                                 units[start:start + per]))
        return rows

    def _pages(self, what: str, name: str, after: Any, **params: Any) -> list[dict[str, Any]]:
        """The rows of query `name` read `BULK_ROWS` at a time, each page after the last
        key (`key`) of the one before; refused once they pass `TABLE_ROWS`."""
        rows: list[dict[str, Any]] = []
        while True:
            page = self._read(functools.partial(_run_page, name, None, after=after,
                                                page=BULK_ROWS, **params))
            rows += page
            if len(rows) > TABLE_ROWS:
                raise self._too_large(what, len(rows), TABLE_ROWS)
            if len(page) < BULK_ROWS:
                return rows
            after = page[-1]["key"]

    # -- loading --------------------------------------------------------------------------------
    def _store_units(self, rows: list[dict[str, Any]], asked: Iterable[str] = ()) -> None:
        found = {u.id: u for u in (DECODE["units"](r["p"]) for r in rows)}
        for uid in asked:
            found.setdefault(uid, None)
        self._unit.update(found)

    def _neighbourhood(self, unit_id: str) -> tuple[str, ...]:
        """The unit's neighbourhood (loading it, with its units and relations, if new)."""
        hood = self._hood.get(unit_id)
        if hood is not None:
            return hood

        def walk(run: Callable[..., list[dict[str, Any]]]) -> tuple:
            members: list[str] = []
            seen, frontier = {unit_id}, [unit_id]
            out: dict[str, list[tuple[int, Relation]]] = {}
            inn: dict[str, list[tuple[int, Relation]]] = {}
            while frontier and len(members) < NEIGHBOURHOOD:
                level = frontier[:NEIGHBOURHOOD - len(members)]
                members += level
                need = [u for u in level if u not in self._in]
                o, i = _relations_of(run, need)
                out.update(o)
                inn.update(i)
                nxt = []
                for u in level:
                    incoming = inn[u] if u in inn else self._in.get(u, [])
                    for kid in sorted({rel.source_id for _, rel in incoming if rel.type == _PART_OF}):
                        if kid not in seen:
                            seen.add(kid)
                            nxt.append(kid)
                frontier = nxt
            # the units themselves, and the other ends of their relations (parents, the
            # units they serve): what a walk over them reads next
            ends = [rel.source_id if rel.target_id == u else rel.target_id
                    for table in (out, inn) for u, rows in table.items() for _, rel in rows]
            missing = [u for u in dict.fromkeys(members + ends) if u not in self._unit]
            units = run("snapshot:units", missing) if missing else []
            return members, out, inn, units, missing
        members, out, inn, units, missing = self._read(walk)
        hood = tuple(members)
        with self._lock:
            self._store_units(units, missing)
            self._out.update(out)
            self._in.update(inn)
            for uid in members:
                self._hood.setdefault(uid, hood)
        return self._hood[unit_id]

    def _load_kind(self, kind: str, ids: Sequence[str],
                   run: Callable[..., list[dict[str, Any]]]) -> dict[str, list[Any]]:
        name, table = {"functions": ("snapshot:functions", "functions"),
                       "headcounts": ("snapshot:headcounts", "headcounts"),
                       "posts": ("snapshot:posts_of_units", "posts"),
                       "events": ("snapshot:events_of_units", "events"),
                       "names": ("snapshot:names", "names")}[kind]
        found: dict[str, list[dict[str, Any]]] = {uid: [] for uid in ids}
        for r in run(name, ids):
            found[r["uid"]].append(r)
        out = {uid: ordered(table, rows) for uid, rows in found.items()}
        if kind == "headcounts":
            for records in out.values():
                records.sort(key=rules.headcount_order_key)
        return out

    def _kind(self, kind: str, unit_id: str) -> list[Any]:
        """The unit's records of `kind` (every date), loading them for its neighbourhood."""
        cache = self._facts[kind]
        records = cache.get(unit_id)
        if records is not None:
            return records
        if self._absent(unit_id):
            return []
        ids = [u for u in self._neighbourhood(unit_id) if u not in cache]
        if unit_id not in ids:
            ids.append(unit_id)
        # and every other unit walked so far (its relations loaded): a walk reads the same
        # kinds of fact for the units it went through
        ids += [u for u in list(self._in) if u not in cache][:KIND_EXTRA]
        ids = list(dict.fromkeys(ids))
        loaded = self._read(lambda run: self._load_kind(kind, ids, run))
        with self._lock:
            cache.update(loaded)
            if kind == "events":
                for events in loaded.values():
                    self._event.update((e.id, e) for e in events)
        return cache[unit_id]

    def _rels(self, unit_id: str, *, down: bool = True
              ) -> tuple[list[tuple[int, Relation]], list[tuple[int, Relation]]]:
        """The unit's relations (out, in), loading them if new: with `down` (a question
        about what is under it) for its whole neighbourhood, else (its parent, what it
        serves) for it and the chain of its parents up to the top."""
        if unit_id not in self._in and self._absent(unit_id):
            return [], []
        if unit_id not in self._in:
            if down:
                self._neighbourhood(unit_id)
            if unit_id not in self._in:  # upwards, or beyond a neighbourhood's bound
                self._upwards(unit_id)
        return self._out[unit_id], self._in[unit_id]

    def _upwards(self, unit_id: str) -> None:
        """Load the relations of the unit, of its PART_OF parents (any time), theirs...:
        one query a level, the few units above a unit (what `ancestors` reads)."""
        def walk(run: Callable[..., list[dict[str, Any]]]) -> tuple:
            out: dict[str, list[tuple[int, Relation]]] = {}
            inn: dict[str, list[tuple[int, Relation]]] = {}
            frontier = [unit_id]
            while frontier and len(out) < NEIGHBOURHOOD:
                o, i = _relations_of(run, frontier)
                out.update(o)
                inn.update(i)
                frontier = sorted({rel.target_id for u in frontier for _, rel in o[u]
                                   if rel.type == _PART_OF}
                                  - out.keys() - self._in.keys())
            ends = [rel.source_id if rel.target_id == u else rel.target_id
                    for table in (out, inn) for u, rows in table.items() for _, rel in rows]
            missing = [u for u in dict.fromkeys(list(out) + ends) if u not in self._unit]
            return out, inn, (run("snapshot:units", missing) if missing else []), missing
        out, inn, units, missing = self._read(walk)
        with self._lock:
            self._store_units(units, missing)
            for u in out:
                if u not in self._in:
                    self._out[u], self._in[u] = out[u], inn[u]

    def prefetch(self, unit_ids: Iterable[str]) -> None:
        """Load the units named, with every kind of fact, in one read transaction (no walk
        below them): for a caller that knows the units it will read."""
        ids = [u for u in dict.fromkeys(unit_ids) if u not in self._in]
        if not ids:
            return

        def load(run: Callable[..., list[dict[str, Any]]]) -> tuple:
            out, inn = _relations_of(run, ids)
            units = run("snapshot:units", ids)
            kinds = {kind: self._load_kind(kind, ids, run) for kind in self._facts}
            return out, inn, units, kinds
        out, inn, units, kinds = self._read(load)
        hood = tuple(ids)
        with self._lock:
            self._store_units(units, ids)
            self._out.update(out)
            self._in.update(inn)
            for kind, loaded in kinds.items():
                self._facts[kind].update(loaded)
            for events in kinds["events"].values():
                self._event.update((e.id, e) for e in events)
            for uid in ids:
                self._hood.setdefault(uid, hood)

    # -- units ------------------------------------------------------------------------------------
    def _absent(self, unit_id: str) -> bool:
        """The generation holds no such unit (known without a query): it has no facts."""
        if unit_id in self._unit:
            return self._unit[unit_id] is None
        known = self._ids.get("units")
        return known is not None and unit_id not in known

    def _directory(self, what: str, run: Callable[..., list[dict[str, Any]]]) -> frozenset[str]:
        """The ids of the generation's units or events (read once, recorded)."""
        known = self._ids.get(what)
        if known is None:
            self.bulk_reads.append(f"the ids of every {what[:-1]}")
            rows = run("snapshot:unit_ids" if what == "units" else "snapshot:event_ids")
            known = self._ids[what] = frozenset(rows[0]["ids"] if rows else ())
        return known

    def get_unit(self, unit_id: str) -> Unit | None:
        if unit_id not in self._unit:
            self._load_units([unit_id])
        return self._unit.get(unit_id)

    def get_units(self, unit_ids: Iterable[str]) -> dict[str, Unit]:
        ids = list(dict.fromkeys(unit_ids))
        missing = [u for u in ids if u not in self._unit]
        if missing:
            self._load_units(missing)
        unit = self._unit
        return {i: u for i in ids if (u := unit.get(i)) is not None}

    def _load_units(self, ids: list[str]) -> None:
        """Read the units among `ids` the generation holds: a miss is often a probe for a
        new id (a scenario naming what it creates), answered from the id directory."""
        def load(run: Callable[..., list[dict[str, Any]]]) -> list[dict[str, Any]]:
            known = self._directory("units", run)
            present = [u for u in ids if u in known]
            return run("snapshot:units", present) if present else []
        known = self._ids.get("units")
        if known is not None and not any(u in known for u in ids):
            rows: list[dict[str, Any]] = []
        else:
            rows = self._read(load)
        with self._lock:
            self._store_units(rows, ids)

    def units(self, at: dt.date | None = None, *, kind: str | None = None,
              level: str | None = None, area: str | None = None) -> list[Unit]:
        """A whole-generation read (bounded; recorded in `bulk_reads`)."""
        key = ("units", at, kind, level, area)
        found = self._bulk.get(key)
        if found is None:
            what = f"units(at={at}, kind={kind}, level={level}, area={area})"
            if self._counts.get("units", 0) > BULK_ROWS:  # may list more: in pages
                self.bulk_reads.append(f"{what}, in pages of {BULK_ROWS}")
                rows = self._pages(what, "page:units", "", at=at, kind=kind, level=level,
                                   area=area)
            else:
                rows = self._bulk_read(what, "snapshot:all_units", at=at, kind=kind,
                                       level=level, area=area)
            found = sorted((DECODE["units"](r["p"]) for r in rows), key=lambda u: u.id)
            with self._lock:
                for u in found:
                    self._unit.setdefault(u.id, u)
            if area is not None:
                found = self._relisted(found, at, kind, level, area)
            with self._lock:
                self._bulk[key] = found
        return list(found)

    def _relisted(self, found: list[Unit], at: dt.date | None, kind: str | None,
                  level: str | None, area: str) -> list[Unit]:
        """An area listing read by the units' own `area`, corrected for the units with a
        dated area (names.csv rows with an `area`: few, read with the names table)."""
        rows = rules.moved_units(self._table("names"))
        if not rows:
            return found
        moved = {uid: (u, rows[uid]) for uid, u in self.get_units(list(rows)).items()}
        return rules.relisted(found, moved, at, kind=kind, level=level, area=area)

    # -- structure ------------------------------------------------------------------------------
    def parent(self, unit_id: str, at: dt.date | None) -> str | None:
        """As the store answers it (`parents` rows in dataset order): on a date the first
        PART_OF relation that holds; without one the most recent, over the relations
        grouped by parent in order of first appearance (as the in-memory graph orders them)."""
        rels = [(seq, r) for seq, r in self._rels(unit_id, down=False)[0]
                if r.type == _PART_OF and r.valid_at(at)]
        if not rels:
            return None
        if at is not None:
            return rels[0][1].target_id
        first: dict[str, int] = {}
        for seq, r in rels:
            first.setdefault(r.target_id, seq)
        rels.sort(key=lambda t: (first[t[1].target_id], t[0]))
        return rules.latest_parent((r for _, r in rels), None)

    def children(self, unit_id: str, at: dt.date | None) -> list[str]:
        return sorted({r.source_id for _, r in self._rels(unit_id)[1]
                       if r.type == _PART_OF and r.valid_at(at)})

    def relations(self, unit_id: str, at: dt.date | None = None, *,
                  types: Iterable[str] | None = None, direction: str = "out") -> list[Relation]:
        wanted = set(types) if types is not None else None
        out_rels, in_rels = self._rels(unit_id, down=direction != "out")
        lists = {"out": (out_rels,), "in": (in_rels,), "both": (out_rels, in_rels)}.get(direction, ())
        found = [r for rows in lists for _, r in rows
                 if (wanted is None or r.type in wanted) and r.valid_at(at)]
        found.sort(key=rules.relation_order_key)
        return found

    def all_relations(self, at: dt.date | None = None, *,
                      types: Iterable[str] | None = None) -> list[Relation]:
        """A whole-generation read (bounded; recorded in `bulk_reads`)."""
        wanted = sorted(set(types)) if types is not None else None
        if self._counts.get("relations", 0) > BULK_ROWS or "relations" in self._bulk:
            # the whole table, read once in pages and kept: a national impact asks it on
            # two dates, the baseline's and the scenario's
            kept = set(wanted) if wanted is not None else None
            return [r for _, r in self._table("relations")
                    if (kept is None or r.type in kept) and r.valid_at(at)]
        rows = self._bulk_read(f"all_relations(at={at}, types={wanted})", "snapshot:all_relations",
                               at=at, types=wanted)
        return [decode_relation(r) for r in sorted(rows, key=lambda r: r["seq"])]

    # -- events, facts ------------------------------------------------------------------------------
    def _table(self, table: str) -> list[Any]:
        """A whole table of the generation, in dataset order (the relations: with their
        seq): one query up to `BULK_ROWS` rows, in pages above it, refused above
        `TABLE_ROWS` (recorded)."""
        found = self._bulk.get(table)
        if found is None:
            what = f"every row of {table}"
            n = self._counts.get(table, 0)
            if n > TABLE_ROWS:
                raise self._too_large(what, n, TABLE_ROWS)
            if table != "relations" and n <= BULK_ROWS:
                found = ordered(table, self._bulk_read(what, f"all:{LABELS[table]}",
                                                       rows_at_most=n))
            else:
                self.bulk_reads.append(f"{what}, in pages of {BULK_ROWS}")
                rows = self._paged(table)
                if table == "relations":
                    rows.sort(key=lambda r: r["seq"])
                    found = [(r["seq"], decode_relation(r)) for r in rows]
                else:
                    found = ordered(table, rows)
            with self._lock:
                self._bulk[table] = found
        return found

    def get_event(self, event_id: str) -> Event | None:
        if event_id not in self._event:
            known = self._ids.get("events")
            if known is not None and event_id not in known:
                return None

            def load(run: Callable[..., list[dict[str, Any]]]) -> list[dict[str, Any]]:
                if event_id not in self._directory("events", run):
                    return []
                return run("snapshot:events_by_ids", [event_id])
            rows = self._read(load)
            self._event[event_id] = DECODE["events"](rows[0]["p"]) if rows else None
        return self._event[event_id]

    def events(self, *, unit_id: str | None = None, type: str | None = None,
               basis: str | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[Event]:
        pool = self._table("events") if unit_id is None else self._kind("events", unit_id)
        return [e for e in pool if (type is None or e.type == type)
                and (basis is None or basis in e.basis)
                and (date_from is None or e.date.first_day() >= date_from)
                and (date_to is None or e.date.first_day() <= date_to)]

    def functions(self, unit_id: str | None = None, at: dt.date | None = None) -> list[Function]:
        pool = self._table("functions") if unit_id is None else self._kind("functions", unit_id)
        return [f for f in pool if f.valid_at(at)]

    def headcounts(self, unit_id: str | None = None) -> list[Headcount]:
        if unit_id is not None:
            return list(self._kind("headcounts", unit_id))
        return sorted(self._table("headcounts"), key=rules.headcount_order_key)

    def posts(self, *, unit_id: str | None = None, person_id: str | None = None,
              at: dt.date | None = None) -> list[Post]:
        if unit_id is not None:
            pool = self._kind("posts", unit_id)
        elif person_id is not None:
            pool = self._person_posts(person_id)
        else:
            pool = self._table("posts")
        return [p for p in pool if (person_id is None or p.person_id == person_id)
                and p.valid_at(at)]

    def _person_posts(self, person_id: str) -> list[Post]:
        """A person's posts everywhere; a miss loads them for every holder of the posts
        already loaded too (the people a walk over those units asks about next)."""
        found = self._posts_of_person.get(person_id)
        if found is not None:
            return found
        if "posts" in self._bulk:  # the whole table read already: every person's from it
            by_holder: dict[str, list[Post]] = {}
            for p in self._table("posts"):
                by_holder.setdefault(p.person_id, []).append(p)
            with self._lock:
                for pid, posts in by_holder.items():
                    self._posts_of_person.setdefault(pid, posts)
            return self._posts_of_person.setdefault(person_id, [])
        ids = [person_id] + sorted({p.person_id for posts in list(self._facts["posts"].values())
                                    for p in posts} - set(self._posts_of_person) - {person_id})
        rows: list[dict[str, Any]] = self._read(lambda run: run("snapshot:posts_of_people", ids))
        by_person: dict[str, list[dict[str, Any]]] = {pid: [] for pid in ids}
        for r in rows:
            by_person[r["uid"]].append(r)
        with self._lock:
            self._posts_of_person.update({pid: ordered("posts", rs) for pid, rs in by_person.items()})
        return self._posts_of_person[person_id]

    def get_person(self, person_id: str) -> Person | None:
        if person_id not in self._person and "posts" in self._bulk:
            # every post read (a national impact): their holders are asked next, one by one
            # (150,000 of them): read the people table once instead
            if "people" not in self._bulk:
                people = self._table("people")
                with self._lock:
                    self._person.update((p.id, p) for p in people)
            return self._person.get(person_id)
        if person_id not in self._person:
            ids = [person_id] + sorted({p.person_id for posts in list(self._facts["posts"].values())
                                        for p in posts} - set(self._person) - {person_id})
            rows = self._read(lambda run: run("snapshot:people_by_ids", ids))
            found = {p.id: p for p in (DECODE["people"](r["p"]) for r in rows)}
            with self._lock:
                self._person.update({pid: found.get(pid) for pid in ids})
        return self._person[person_id]

    def people(self) -> list[Person]:
        return sorted(self._table("people"), key=lambda p: p.id)

    def get_document(self, document_id: str) -> Document | None:
        return next((d for d in self._table("documents") if d.id == document_id), None)

    def documents(self) -> list[Document]:
        return sorted(self._table("documents"), key=lambda d: d.id)

    def unit_names(self, unit_id: str) -> list[UnitName]:
        return sorted(self._kind("names", unit_id),
                      key=lambda n: n.valid_from.first_day() if n.valid_from else dt.date.min)

    def plans(self) -> list[Plan]:
        return sorted(self._table("plans"), key=lambda p: p.id)

    # -- search, the whole state ----------------------------------------------------------------
    def search_units(self, text: str, at: dt.date | None = None,
                     limit: int = 20) -> list[tuple[Unit, float]]:
        from graph.neo4j import search
        return self._read(lambda run: search.search_units(run, text, at, limit))

    def dataset(self) -> Dataset:
        """The whole generation (export, commit): a lazy Dataset whose tables are read when
        first touched, each in one query checked against the pinned revision (recorded in
        `bulk_reads`, not bounded: what asks for the whole state means it)."""
        def reader(table: str) -> Callable[[], tuple]:
            def read() -> tuple:
                self.bulk_reads.append(f"dataset().{table}")
                if table == "relations":
                    rows = self._read(lambda run: run("relations_gen"))
                    return tuple(decode_relation(r) for r in sorted(rows, key=lambda r: r["seq"]))
                return tuple(ordered(table, self._read(lambda run: run(f"all:{LABELS[table]}"))))
            return read
        return LazyDataset({}, {t: reader(t) for t in TABLE_NAMES},
                           {t: self._counts.get(t, 0) for t in TABLE_NAMES})

    def __repr__(self) -> str:
        return (f"Neo4jSnapshot(revision={self._revision!r}, units={len(self._unit)}, "
                f"queries={self.queries}, bulk_reads={len(self.bulk_reads)})")


Rows = dict[str, list[tuple[int, Relation]]]


def _run_page(name: str, ids: Sequence[str] | None, run: Callable[..., list[dict[str, Any]]],
              **params: Any) -> list[dict[str, Any]]:
    """One page of a paged table read (`Neo4jSnapshot._paged`)."""
    return run(name, ids, **params)


def _relations_of(run: Callable[..., list[dict[str, Any]]], ids: Sequence[str]) -> tuple[Rows, Rows]:
    """The relations touching each of `ids` (every type, any time), out and in, each list
    in dataset order (with each relation's seq)."""
    out: Rows = {u: [] for u in ids}
    inn: Rows = {u: [] for u in ids}
    if ids:
        for r in run("snapshot:relations", ids):
            rel = decode_relation(r)
            if rel.source_id == r["uid"]:
                out[r["uid"]].append((r["seq"], rel))
            if rel.target_id == r["uid"]:
                inn[r["uid"]].append((r["seq"], rel))
    for table in (out, inn):
        for rows in table.values():
            rows.sort(key=lambda t: t[0])
    return out, inn
