"""The Neo4j backend: `Neo4jStore`, a `graph.store.GraphStore` over the official driver.

Data model (docs/neo4j.md has the whole picture): one node per record (`Unit`, `Event`,
`Function`, `Headcount`, `Person`, `Post`, `Document`) with its columns as properties,
relations as `PART_OF|SERVES|GUIDED_BY` relationships between units, navigation links
(`IN_AREA`, `INPUT`, `OUTPUT`, `BASED_ON`, `HAS_FUNCTION`, `HAS_HEADCOUNT`, `HOLDS`, `AT`),
`(:Meta {key: 'current'})` pointing at the current generation (with its revision and the
table sizes), `(:Scenario)` and `(:Change)` nodes outside generations.

Reads: every question is answered by Cypher inside Neo4j (`graph.neo4j.cypher`): the
structure walks (subtree with its headcounts, ancestors, roots, scope) as variable-length
PART_OF paths filtered per relationship, listings paged by SKIP/LIMIT with their count,
stats by aggregation, search by a full-text index. Python only orders and shapes the rows
a query returns; no request reads the whole graph. `dataset()` is lazy: its table sizes
come from the Meta node, a table is read when first touched (export, scenario bases).

Atomicity of `replace_dataset`: the new data is written as a new *generation* in batched
`UNWIND $rows` transactions; a final transaction checks the expected revision and the
completeness of the new generation, swaps the `Meta` pointer and records the change; old
generations are deleted afterwards. A write that fails (or is killed) before the swap
leaves the previous data in force.

Driver use as Neo4j documents it: one driver per store (the process opens one store),
managed transactions (`execute_read`/`execute_write`, which retry transient errors) with a
timeout, and every driver error turned into one `StoreError` line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import secrets
import threading
from collections import OrderedDict
from typing import Any, Callable, Iterable, Mapping

import orjson

from graph import rules
from graph import store_defaults as defaults
from graph.areas import TERRITORIAL_KINDS, ChainReader, infer_areas
from graph.embedded.lazy_tables import LazyDataset
from graph.errors import StoreError
from graph.model import (TABLE_NAMES, Dataset, Document, Event, Function, Headcount, Person, Plan,
                         Post, Relation, Unit, UnitName)
from graph.neo4j.cypher import (CURRENT, LABELS, LINKS, QUERIES, REL_TYPES, SUBTREE_BOUNDS)
from graph.neo4j import answers, plumbing, search, search_migration, snapshot
from graph.neo4j.commit import CommitWrites
from graph.neo4j.generations import GenerationWrites
from graph.neo4j.records import DECODE, PROPERTY_KEYS, ordered
from graph.neo4j.records import relation as _relation
from graph.queries.answers import unit_dict
from graph.store import (CONCURRENT_SAMPLE, Change, ChangeNote, ReaderDefaults, StatsCounts,
                         StoredScenario, UnitPage, check_scenario_version)

__all__ = ["Neo4jStore", "from_env", "QUERIES", "LABELS", "LINKS", "REL_TYPES", "CURRENT"]

#: Seconds a read or write transaction may run on the server before it is cancelled.
TX_TIMEOUT = 60.0
#: Properties of the Meta node read before a load may have written them (no unknown key).
META_KEYS = ("search_words_version",)
#: The schema queries run with their parameters, after the others.
_SCHEMA_WITH_PARAMETERS = ("schema:property_keys", "schema:await")
#: Answer-sized reads (a subtree's rows, a tree's size) are kept per store by (revision,
#: query, parameters), at most this many units' worth in all (0: nothing kept; ~1.3 KB a
#: unit: 50,000 is ~65 MB, a dozen province subtrees): a revision's
#: data never changes (every write makes a new one), and the revision is read first, so a
#: kept answer is the one the query would give. BOMAY_NEO4J_ANSWER_CACHE_UNITS sets it.
ANSWER_CACHE_UNITS = int(os.environ.get("BOMAY_NEO4J_ANSWER_CACHE_UNITS") or 50_000)
#: How many stats answers a store keeps (each a few hundred bytes), newest first.
STATS_KEPT = 256
#: Search: how many full-text hits (best Lucene score first) are ranked like the embedded
#: store (at least this many, and 5 per result asked).
SEARCH_CANDIDATES = 500


def _scenario_body(s: StoredScenario) -> str:
    return s.to_json().decode()


class Neo4jStore(CommitWrites, GenerationWrites, ReaderDefaults):
    """`graph.store.GraphStore` on a Neo4j database, through the official `neo4j` driver."""

    def __init__(self, uri: str, user: str, password: str, database: str | None = None, *,
                 driver: Any = None, timeout: float = TX_TIMEOUT):
        self.uri = uri
        self.location = uri
        self.database = database or None
        self.timeout = timeout
        self._lock = threading.Lock()
        self.answer_cache_units = ANSWER_CACHE_UNITS
        self._answers: OrderedDict[tuple, tuple[Any, int]] = OrderedDict()
        #: Stats counts by (revision, ("stats", at, root)), the newest `STATS_KEPT`.
        self._stats: OrderedDict[tuple, StatsCounts] = OrderedDict()
        self._answers_weight = 0
        self._answers_lock = threading.Lock()
        #: (revision, day) -> area id -> the bodies naming no area inferred its that day
        #: (`area_page`; a few days kept, as the answer cache allows)
        self._inferred_on: dict[tuple[str, dt.date], dict[str, list[Unit]]] = {}
        self._own_driver = driver is None
        try:
            if driver is None:
                from neo4j import GraphDatabase
                driver = GraphDatabase.driver(
                    uri, auth=(user, password), connection_timeout=5.0,
                    connection_acquisition_timeout=30.0, max_transaction_retry_time=15.0)
            self._driver = driver
            self._ensure_schema()
            # words folded by an older reading of the forms are folded again (once)
            self.search_words_migrated = search_migration.migrate(self)
        except plumbing.DRIVER_ERRORS as exc:
            if self._own_driver and driver is not None:
                driver.close()
            raise StoreError(f"cannot open the Neo4j store at {uri}: {plumbing.describe(exc)}") from None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Neo4jStore":
        """A store from NEO4J_URI, NEO4J_USER (default `neo4j`), NEO4J_PASSWORD, NEO4J_DATABASE."""
        env = os.environ if environ is None else environ
        uri = env.get("NEO4J_URI")
        if not uri:
            raise StoreError("NEO4J_URI is not set: start Neo4j (`make neo4j-up && source "
                             ".neo4j/env`, or `docker compose up -d neo4j`) and set "
                             "NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD")
        return cls(uri, env.get("NEO4J_USER") or "neo4j", env.get("NEO4J_PASSWORD") or "",
                   env.get("NEO4J_DATABASE") or None)

    # -- plumbing ---------------------------------------------------------------------------
    def _session(self) -> Any:
        return self._driver.session(database=self.database)

    def _unit(self, work: Callable[[Any], Any]) -> Callable[[Any], Any]:
        from neo4j import unit_of_work
        return unit_of_work(timeout=self.timeout)(work)

    def _read(self, work: Callable[[Any], Any]) -> Any:
        try:
            with self._session() as session:
                return session.execute_read(self._unit(work))
        except plumbing.DRIVER_ERRORS as exc:
            raise StoreError(f"reading the Neo4j store at {self.uri} failed: {plumbing.describe(exc)}") from None

    def _write(self, work: Callable[[Any], Any]) -> Any:
        with self._session() as session:
            return session.execute_write(self._unit(work))

    def _query(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run one named read query in its own read transaction."""
        return self._read(lambda tx: plumbing.run(tx, name, params))

    def _ensure_schema(self) -> None:
        with self._session() as session:
            for name, text in QUERIES.items():
                if name.startswith("schema:") and name not in _SCHEMA_WITH_PARAMETERS:
                    session.run(text).consume()
            session.run(QUERIES["schema:property_keys"],
                        {"keys": PROPERTY_KEYS + list(META_KEYS)}).consume()
            session.run(QUERIES["schema:await"], {"seconds": 60}).consume()

    # -- identity ---------------------------------------------------------------------------
    def _meta(self) -> tuple[str | None, str, dict[str, int]]:
        rows = self._query("meta")
        row = rows[0] if rows else {}
        counts = orjson.loads(row["counts"]) if row.get("counts") else {}
        return row.get("gen"), row.get("revision") or "empty", counts

    @property
    def revision(self) -> str:
        return self._meta()[1]

    def counts(self) -> dict[str, int]:
        """Rows per table of the current baseline, from the Meta node (no table read)."""
        gen, _, counts = self._meta()
        return {name: counts.get(name, 0) if gen else 0 for name in TABLE_NAMES}

    def is_empty(self) -> bool:
        return not self._query("any_unit")

    def pinned(self) -> Any:
        """A snapshot of the current revision, filled in bulk (`graph.neo4j.snapshot`)."""
        return snapshot.pinned(self)

    # -- units ------------------------------------------------------------------------------
    def get_unit(self, unit_id: str) -> Unit | None:
        rows = self._query("unit", id=unit_id)
        return DECODE["units"](rows[0]["p"]) if rows else None

    def get_units(self, unit_ids: Iterable[str]) -> dict[str, Unit]:
        ids = list(dict.fromkeys(unit_ids))
        if not ids:
            return {}
        rows = self._query("units_by_ids", ids=ids)
        found = {u.id: u for u in (DECODE["units"](p) for p in rows[0]["ps"])} if rows else {}
        return {i: found[i] for i in ids if i in found}

    def units(self, at: dt.date | None = None, *, kind: str | None = None,
              level: str | None = None, area: str | None = None) -> list[Unit]:
        return self._units(at, kind, level, area, self._area_moved(area))

    def _units(self, at: dt.date | None, kind: str | None, level: str | None,
               area: str | None, moved: dict[str, tuple[Unit, list[UnitName]]]) -> list[Unit]:
        """`units`, given `_area_moved(area)`."""
        rows = self._query("units", at=at, kind=kind, level=level, area=area)
        found = sorted((DECODE["units"](r["p"]) for r in rows), key=lambda u: u.id)
        return rules.relisted(found, moved, at, kind=kind, level=level, area=area) \
            if area is not None and moved else found

    def _area_moved(self, area: str | None) -> dict[str, tuple[Unit, list[UnitName]]]:
        """The units whose dated area (names.csv) an area listing of `area` must correct."""
        if not area:
            return {}
        rows = self._query("area_moved", area=area)
        out: dict[str, tuple[Unit, list[UnitName]]] = {}
        for p, names in rows[0]["rows"] if rows else ():
            u = DECODE["units"](p)
            out[u.id] = (u, ordered("names", [{"p": n} for n in names]))
        return out

    def unit_page(self, at: dt.date | None = None, *, kind: str | None = None,
                  level: str | None = None, area: str | None = None, offset: int = 0,
                  limit: int = 50) -> UnitPage:
        moved = self._area_moved(area)
        if moved:  # a few units moved: the area's list, sliced
            every = self._units(at, kind, level, area, moved)
            start = max(0, offset)
            return UnitPage(items=every[start:start + max(0, limit)], total=len(every),
                            offset=offset, limit=limit)
        if self.answer_cache_units <= 0:  # one query: the page and the count
            rows = self._query("unit_page", at=at, kind=kind, level=level, area=area,
                               offset=max(0, offset), limit=max(0, limit))
            row: dict[str, Any] = rows[0] if rows else {"total": 0, "items": []}
            items = [DECODE["units"](p) for p in row["items"]]
            return UnitPage(items=items, total=row["total"], offset=offset, limit=limit)
        # the count kept per revision (every page of a listing shares it), then the page
        counted = self._kept("unit_count", lambda r: 1, at=at, kind=kind, level=level, area=area)
        items = [DECODE["units"](p) for r in self._query(
            "unit_page_items", at=at, kind=kind, level=level, area=area,
            offset=max(0, offset), limit=max(0, limit)) for p in r["items"]] if limit > 0 else []
        return UnitPage(items=items, total=counted["total"] if counted else 0, offset=offset,
                        limit=limit)

    def area_page(self, area: str, at: dt.date, *, kind: str | None = None,
                  level: str | None = None, offset: int = 0, limit: int = 50) -> UnitPage:
        """The area's own units in Cypher (`unit_page`), and the bodies naming no area
        (`area_blank_bodies`, kept per revision) whose chain gives it on `at`, read in
        batches (`graph.areas.ChainReader`: a query per level of the chains). Without such
        a body the listing is `unit_page`'s, a page read by the index."""
        inferred = [u for u in self._inferred_areas(at).get(area, ())
                    if (kind is None or u.kind == kind) and (level is None or u.level == level)]
        if not inferred:
            return self.unit_page(at, kind=kind, level=level, area=area, offset=offset,
                                  limit=limit)
        own = self._units(at, kind, level, area, self._area_moved(area))
        return defaults.listed(own, inferred, offset, limit)

    def _inferred_areas(self, at: dt.date) -> dict[str, list[Unit]]:
        """area id -> the bodies naming no area on `at` whose chain gives it, by id: the
        rule run over every such body once a (revision, day), not once a request (with
        the answer cache off, once a request)."""
        row = self._kept("area_blank_bodies", lambda r: len(r["ps"]),
                         areas=sorted(TERRITORIAL_KINDS))
        if not row or not row["ps"]:
            return {}
        key = (row["revision"], at)
        with self._answers_lock:
            found = self._inferred_on.get(key)
        if found is not None:
            return found
        dated = set(row["dated"])
        blank = [u for u in (DECODE["units"](p) for p in row["ps"]) if u.valid_at(at)]
        if any(u.id in dated for u in blank):  # a name row may give it an area that day
            blank = [u for u in blank if u.id not in dated
                     or not rules.area_on(u, self.unit_names(u.id), at)]
        blank.sort(key=rules.unit_order_key)
        found = {}
        if blank:
            areas = infer_areas(ChainReader(self, at).load(blank), blank, at, dated)
            for u in blank:
                if u.id in areas:
                    found.setdefault(areas[u.id], []).append(u)
        if self.answer_cache_units > 0:
            with self._answers_lock:
                if len(self._inferred_on) >= 16:
                    self._inferred_on.clear()
                self._inferred_on[key] = found
        return found

    def inferred_area(self, unit_id: str, at: dt.date) -> str:
        """From the day's inferred areas when an area listing of this revision computed
        them already (no query but the revision's), else the unit's own chain (the
        default: a few queries, a level of the chain each)."""
        if self.answer_cache_units > 0 and self._inferred_on:
            revision = self.revision
            with self._answers_lock:
                found = self._inferred_on.get((revision, at))
            if found is not None:
                return next((area for area, units in found.items()
                             if any(u.id == unit_id for u in units)), "")
        return defaults.inferred_area(self, unit_id, at)

    # -- structure --------------------------------------------------------------------------
    def parent(self, unit_id: str, at: dt.date | None) -> str | None:
        return _parent_of(self._query("parents", id=unit_id, at=at), at)

    def children(self, unit_id: str, at: dt.date | None) -> list[str]:
        return sorted({r["id"] for r in self._query("children", id=unit_id, at=at)})

    def ancestors(self, unit_id: str, at: dt.date | None) -> list[str]:
        if at is None:  # "the most recent parent" of each: the walk of the default
            return defaults.ancestors(self, unit_id, at)
        out: list[str] = []
        seen = {unit_id}
        for row in self._query("ancestors", id=unit_id, at=at):
            if row["id"] in seen or row["level"] != len(out) + 1:
                break  # a cycle, or a second parent on one date (refused at load)
            seen.add(row["id"])
            out.append(row["id"])
        return out

    def roots(self, at: dt.date | None) -> list[str]:
        if at is None:
            return defaults.roots(self, at)
        return [r["id"] for r in self._query("roots", at=at)]

    def headcount(self, unit_id: str, at: dt.date | None) -> Headcount | None:
        rows = self._query("figures", id=unit_id, at=at)
        return _figure_on(rows[0]["figures"], at) if rows else None

    def subtree(self, root_id: str, at: dt.date | None, depth: int | None = None) -> dict[str, Any]:
        """One query: every unit under the root on `at` down PART_OF paths (bounded by the
        depth asked + 1, to count the children it cuts off), each with its figures."""
        if at is None:  # whatever the lifetime: the default's walk and its "first reached"
            return defaults.subtree(self, root_id, at, depth)
        bound = depth + 1 if depth is not None else None
        name = f"subtree:{bound}" if bound in SUBTREE_BOUNDS else "subtree:all"

        def work(tx: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            return (plumbing.run(tx, "parents", {"id": root_id, "at": at}),
                    plumbing.run(tx, name, {"id": root_id, "at": at}))
        parents, rows = self._read(work)
        first: dict[str, dict[str, Any]] = {}
        for row in sorted(rows, key=lambda r: r["level"]):
            if bound is not None and row["level"] > bound:
                continue
            first.setdefault(row["id"], row)
        kids: dict[str, list[str]] = {}
        for uid, row in first.items():
            if row["level"] > 0:
                kids.setdefault(row["parent"], []).append(uid)
        root = first.get(root_id)
        if root is None:  # the caller checked that it exists
            raise StoreError(f"unit {root_id} vanished while its subtree was read")

        def node(row: dict[str, Any], parent: str | None, level: int) -> dict[str, Any]:
            figure = _figure_on(row["figures"], at)
            mine = sorted(kids.get(row["id"], ()))
            out: dict[str, Any] = {"unit": unit_dict(DECODE["units"](row["p"]), parent),
                   "headcount": figure.headcount if figure else None,
                   "child_count": len(mine), "children": []}
            if depth is None or level < depth:
                out["children"] = [node(first[k], row["id"], level + 1) for k in mine]
            return out
        return node(root, _parent_of(parents, at), 0)

    def scope(self, root_id: str, at: dt.date | None) -> list[str]:
        """Breadth first as the default, one query per level of the scope (each level's
        PART_OF children and area members fetched for the whole frontier at once)."""
        def work(tx: Any) -> list[str]:
            out: list[str] = []
            seen, frontier = {root_id}, [root_id]
            while frontier:
                out.extend(frontier)
                found: dict[str, tuple[list[str], list[str]]] = {u: ([], []) for u in frontier}
                for row in plumbing.run(tx, "scope_level", {"ids": frontier, "at": at}):
                    for uid, kid, how in row["rows"]:
                        found[uid][how].append(kid)
                nxt = []
                for uid in frontier:
                    part_of, in_area = found[uid]
                    for kid in sorted(set(part_of)) + sorted(in_area):
                        if kid not in seen:
                            seen.add(kid)
                            nxt.append(kid)
                frontier = nxt
            return out
        return self._read(work)

    def relations(self, unit_id: str, at: dt.date | None = None, *,
                  types: Iterable[str] | None = None, direction: str = "out") -> list[Relation]:
        wanted = sorted(set(types)) if types is not None else None
        names = {"out": ("relations_out",), "in": ("relations_in",),
                 "both": ("relations_out", "relations_in")}.get(direction, ())

        def work(tx: Any) -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = []
            for name in names:
                rows += sorted(plumbing.run(tx, name, {"id": unit_id, "at": at, "types": wanted}),
                               key=lambda r: r["seq"])
            return rows
        out = [_relation(r) for r in self._read(work)]
        out.sort(key=rules.relation_order_key)
        return out

    def all_relations(self, at: dt.date | None = None, *,
                      types: Iterable[str] | None = None) -> list[Relation]:
        wanted = sorted(set(types)) if types is not None else None
        rows = self._query("relations_all", at=at, types=wanted)
        return [_relation(r) for r in sorted(rows, key=lambda r: r["seq"])]

    # -- events, facts ----------------------------------------------------------------------
    def get_event(self, event_id: str) -> Event | None:
        rows = self._query("event", id=event_id)
        return DECODE["events"](rows[0]["p"]) if rows else None

    def events(self, *, unit_id: str | None = None, type: str | None = None,
               basis: str | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[Event]:
        params = {"event_type": type, "basis": basis, "date_from": date_from, "date_to": date_to}
        if unit_id is not None:  # through the unit's INPUT/OUTPUT links
            return ordered("events", self._query("events_of_unit", unit=unit_id, **params))
        return ordered("events", self._query("events", unit=None, **params))

    def functions(self, unit_id: str | None = None, at: dt.date | None = None) -> list[Function]:
        return ordered("functions", self._query("functions", unit=unit_id, at=at))

    def headcounts(self, unit_id: str | None = None) -> list[Headcount]:
        out = ordered("headcounts", self._query("headcounts", unit=unit_id))
        out.sort(key=rules.headcount_order_key)
        return out

    def posts(self, *, unit_id: str | None = None, person_id: str | None = None,
              at: dt.date | None = None) -> list[Post]:
        return ordered("posts", self._query("posts", unit=unit_id, person=person_id, at=at))

    def get_person(self, person_id: str) -> Person | None:
        rows = self._query("person", id=person_id)
        return DECODE["people"](rows[0]["p"]) if rows else None

    def people(self) -> list[Person]:
        return sorted((DECODE["people"](r["p"]) for r in self._query("people")),
                      key=lambda p: p.id)

    def get_document(self, document_id: str) -> Document | None:
        rows = self._query("document", id=document_id)
        return DECODE["documents"](rows[0]["p"]) if rows else None

    def documents(self) -> list[Document]:
        return sorted((DECODE["documents"](r["p"]) for r in self._query("documents")),
                      key=lambda d: d.id)

    # -- stats ------------------------------------------------------------------------------
    def stats_counts(self, at: dt.date | None, root: str | None = None,
                     area: str | None = None) -> StatsCounts:
        """Counted by aggregation in Neo4j: nationally over the generation, under a root
        or in an area over the units of `scope(root, at)`, of `area_page(area, at)` or
        of both (`graph.store_defaults.counted_ids`; looked up by id)."""
        # Kept per revision (a national count aggregates every unit, figure and post of the
        # generation: seconds, for an answer that only a write changes).
        key = ("stats", at, root, area)
        revision = self.revision
        with self._answers_lock:
            kept = self._stats.get((revision, key))
        if kept is not None:
            return kept
        ids = defaults.counted_ids(self, at, root, area) \
            if root is not None or area is not None else None
        where = "ids" if ids is not None else "all"
        params = {"at": at, "ids": ids, "sample": CONCURRENT_SAMPLE}

        def work(tx: Any) -> tuple[Any, Any, Any, Any]:
            meta = plumbing.run(tx, "meta", {})
            return (meta[0]["revision"] if meta else None,
                    plumbing.run(tx, f"stats_units:{where}", params),
                    plumbing.run(tx, f"stats_headcount:{where}", params)[0],
                    plumbing.run(tx, f"stats_people:{where}", params))
        read_at, by_kind, heads, people = self._read(work)
        person: dict[str, Any] = people[0] if people else {"holders": 0, "concurrent": 0,
                                                           "sample": []}
        counts = self._stats_of(by_kind, heads, person)
        # the revision the counts' own transaction read, and only if the scope was read
        # under it too (a write between the two reads leaves nothing kept)
        if read_at is not None and read_at == revision:
            with self._answers_lock:
                self._stats[(revision, key)] = counts
                while len(self._stats) > STATS_KEPT:
                    self._stats.popitem(last=False)
        return counts

    @staticmethod
    def _stats_of(by_kind: Any, heads: Any, person: dict[str, Any]) -> StatsCounts:
        return StatsCounts(
            by_kind_level={(r["kind"], r["level"]): r["n"] for r in by_kind},
            headcount=heads["total"] or 0, units_with_figure=heads["with_figure"],
            people_with_posts=person["holders"], people_with_concurrent_posts=person["concurrent"],
            concurrent_sample=[(pid, n) for pid, n in person["sample"]])

    # -- search -----------------------------------------------------------------------------
    def search_units(self, text: str, at: dt.date | None = None,
                     limit: int = 20) -> list[tuple[Unit, float]]:
        """Full-text indexes find the candidates (current and former names, typos), the
        embedded store's ranking orders them (`graph.neo4j.search`)."""
        return search.store_search(self, text, at, limit)

    # -- one query per answer (graph.neo4j.cypher_answers) -----------------------------------
    def _kept(self, name: str, weigh: Callable[[dict[str, Any]], int],
              **params: Any) -> dict[str, Any] | None:
        """The one row of the answer query `name`, kept by (revision, name, params): the
        revision is read first (one index seek), a kept row of that revision is returned
        as it is (rows are never changed by their readers); else the query runs and its
        row is kept under the revision it read itself. `weigh(row)` is its size in units."""
        if self.answer_cache_units <= 0:
            rows = self._query(name, **params)
            return rows[0] if rows else None
        key = (name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                                  for k, v in params.items())))
        revision = self.revision
        with self._answers_lock:
            hit = self._answers.get((revision, key))
            if hit is not None:
                self._answers.move_to_end((revision, key))
                return hit[0]
        rows = self._query(name, **params)
        row = rows[0] if rows else None
        weight = weigh(row) if row is not None else 0
        if row is not None and row.get("revision") and weight <= self.answer_cache_units:
            with self._answers_lock:
                if (row["revision"], key) not in self._answers:
                    self._answers[(row["revision"], key)] = (row, weight)
                    self._answers_weight += weight
                while self._answers_weight > self.answer_cache_units:
                    _, (_, dropped) = self._answers.popitem(last=False)
                    self._answers_weight -= dropped
        return row

    def parents(self, unit_ids: Iterable[str], at: dt.date | None) -> dict[str, str | None]:
        """Every unit's PART_OF relations on `at` in one query (`UNWIND $ids`)."""
        ids = list(dict.fromkeys(unit_ids))
        if not ids:
            return {}
        rows = self._query("answer:parents", ids=ids, at=at)
        found = {uid: _parent_of([{"target_id": t, "valid_to": end, "seq": seq}
                                  for t, end, seq in up], at)
                 for uid, up in (rows[0]["rows"] if rows else ())}
        return {uid: found.get(uid) for uid in ids}

    def headcounts_at(self, unit_ids: Iterable[str],
                      at: dt.date | None) -> dict[str, Headcount | None]:
        """Every unit's figure on `at`, chosen in Cypher by the rule's order, in one query."""
        ids = list(dict.fromkeys(unit_ids))
        if not ids:
            return {}
        decode = DECODE["headcounts"]
        rows = self._query("answer:headcounts", ids=ids, at=at)
        found = {uid: decode(fig[0]) if fig else None
                 for uid, fig in (rows[0]["rows"] if rows else ())}
        return {uid: found.get(uid) for uid in ids}

    def units_under(self, roots: Iterable[str], at: dt.date | None, depth: int | None,
                    cap: int) -> int:
        """One walk in Neo4j, stopped once it has counted `cap + 1` units."""
        ids = list(dict.fromkeys(roots))
        if depth == 0 or not ids or len(ids) > cap:
            return len(ids)  # the roots alone (the walk counts unknown roots too)
        name = ("answer:units_under:all" if depth is None else f"answer:units_under:{depth}"
                if depth in SUBTREE_BOUNDS else "answer:units_under:deep")
        row = self._kept(name, lambda r: 1, roots=ids, at=at, depth=depth, limit=cap + 1)
        assert row is not None  # an aggregation: always one row
        return min(cap + 1, row["n"] + len(ids) - row["found"])

    def sourced_subtree(self, root_id: str, at: dt.date | None,
                        depth: int | None = None) -> dict[str, Any]:
        """The whole answer of GET /units/{id}/subtree in one query of compact rows (walked
        to `depth + 1`, to count the children the depth cuts off), shaped by
        `graph.neo4j.answers` without records in between."""
        if at is None:  # whatever the lifetime: the default's walk and its "first reached"
            return defaults.sourced_subtree(self, root_id, at, depth)
        bound = depth + 1 if depth is not None else None
        name = f"answer:subtree:{bound}" if bound in SUBTREE_BOUNDS else "answer:subtree:all"
        row = self._kept(name, lambda r: len(r["rows"]), id=root_id, at=at)
        tree = answers.sourced_subtree(row, root_id, at, depth) if row is not None else None
        if tree is None:  # the caller checked that it exists
            raise StoreError(f"unit {root_id} vanished while its subtree was read")
        return tree

    def sourced_subtree_within(self, root_id: str, at: dt.date | None, depth: int | None,
                               cap: int) -> dict[str, Any] | int:
        """`sourced_subtree` under the route's size bound in one query: the count of
        `units_under([root_id], at, depth, cap)` when it is above `cap` (the tree is not
        read), else the answer (`api.bounds.bounded_subtree`)."""
        bound = depth + 1 if depth is not None else None
        if at is None or (bound is not None and bound not in SUBTREE_BOUNDS) or cap < 1:
            n = self.units_under([root_id], at, depth, cap)  # the bound, then the answer
            return n if n > cap else self.sourced_subtree(root_id, at, depth)
        name = f"answer:subtree_within:{bound or 'all'}"
        row = self._kept(name, lambda r: max(1, len(r["rows"])), id=root_id, at=at,
                         limit=cap + 1, cap=cap)
        if row is None:  # the caller checked that it exists
            raise StoreError(f"unit {root_id} vanished while its subtree was read")
        if row["counted"] > cap:
            return min(cap + 1, row["counted"])
        tree = answers.sourced_subtree(row, root_id, at, depth)
        if tree is None:
            raise StoreError(f"unit {root_id} vanished while its subtree was read")
        return tree

    def events_touching(self, unit_ids: Iterable[str], date_from: dt.date | None,
                        date_to: dt.date | None) -> list[Event]:
        """The events linked (INPUT/OUTPUT) to any of the units, in one query."""
        ids = sorted(set(unit_ids))
        if not ids:
            return []
        rows = self._query("answer:events_touching", ids=ids, date_from=date_from,
                           date_to=date_to)
        return ordered("events", [{"p": p} for p in rows[0]["ps"]] if rows else [])

    def unit_view(self, unit_id: str, at: dt.date | None) -> Any:
        """What one unit's answers read, in one query (`graph.neo4j.unit_view`); the store
        itself for a unit it does not hold."""
        from graph.neo4j.unit_view import UnitView
        rows = self._query("answer:unit_view", id=unit_id, at=at)
        return UnitView(self, unit_id, at, rows[0]) if rows else self

    def unit_names(self, unit_id: str) -> list[UnitName]:
        """The unit's former names (by index on the generation; not the whole table)."""
        names = ordered("names", self._query("answer:unit_names", id=unit_id))
        return sorted(names, key=lambda n: n.valid_from.first_day() if n.valid_from else dt.date.min)

    def plans(self) -> list[Plan]:
        return sorted(ordered("plans", self._query("answer:plans")), key=lambda p: p.id)

    # -- whole dataset ----------------------------------------------------------------------
    def dataset(self) -> Dataset:
        """The current revision as a lazy Dataset: sizes from the Meta node, each table
        read in one query when first touched, in a transaction that ends by reading the
        revision again. A commit writes in place (graph.neo4j.commit), so a table read
        after another revision became current is refused, never returned mixed."""
        gen, revision, counts = self._meta()
        if gen is None:
            return Dataset()

        def reader(table: str) -> Callable[[], tuple]:
            def work(tx: Any) -> tuple[list[dict[str, Any]], str | None]:
                name = "relations_gen" if table == "relations" else f"all:{LABELS[table]}"
                rows = plumbing.run(tx, name, {"gen": gen})
                meta = plumbing.run(tx, "meta", {})
                return rows, (meta[0].get("revision") if meta else None)

            def read() -> tuple:
                rows, now = self._read(work)
                if table == "relations":
                    records = tuple(_relation(r) for r in sorted(rows, key=lambda r: r["seq"]))
                else:
                    records = tuple(ordered(table, rows))
                if now != revision or len(records) != counts.get(table, 0):
                    raise StoreError("the Neo4j store changed (revision "
                                     f"{revision} -> {now}) while it was being read; try again")
                return records
            return read
        return LazyDataset({}, {t: reader(t) for t in TABLE_NAMES},
                           {t: counts.get(t, 0) for t in TABLE_NAMES})

    # -- the change log -----------------------------------------------------------------------
    def record_change(self, note: ChangeNote, previous_revision: str, revision: str) -> Change:
        try:
            return self._write(lambda tx: plumbing.add_change(tx, note, previous_revision, revision))
        except plumbing.DRIVER_ERRORS as exc:
            raise StoreError(f"recording a change in the Neo4j store failed: {plumbing.describe(exc)}") from None

    def changes(self, limit: int = 100, offset: int = 0) -> list[Change]:
        rows = self._query("changes", limit=max(0, limit), offset=max(0, offset))
        return [Change(**r["c"]) for r in rows]

    # -- scenarios --------------------------------------------------------------------------
    def _scenario_write(self, scenario_id: str,
                        write: Callable[[Any, StoredScenario | None], Any]) -> Any:
        """Read the stored scenario and write in one transaction, holding the scenario
        lock (a write lock on a Meta node) from before the read: compare-and-set."""
        def work(tx: Any) -> Any:
            rows = plumbing.run(tx, "scenario_lock", {"id": scenario_id, "token": secrets.token_hex(4)})
            body = rows[0]["body"] if rows else None
            return write(tx, StoredScenario.from_json(body) if body else None)
        try:
            return self._write(work)
        except plumbing.DRIVER_ERRORS as exc:
            raise StoreError(f"writing a scenario in the Neo4j store failed: {plumbing.describe(exc)}") from None

    def save_scenario(self, scenario: StoredScenario, *,
                      expected_version: int | None = None) -> StoredScenario:
        def write(tx: Any, stored: StoredScenario | None) -> StoredScenario:
            version = check_scenario_version(scenario.id, stored, expected_version)
            saved = dataclasses.replace(scenario, version=version + 1)
            plumbing.run(tx, "scenario_save", {"id": saved.id, "body": _scenario_body(saved)})
            return saved
        return self._scenario_write(scenario.id, write)

    def get_scenario(self, scenario_id: str) -> StoredScenario | None:
        rows = self._query("scenario_get", id=scenario_id)
        return StoredScenario.from_json(rows[0]["body"]) if rows else None

    def list_scenarios(self) -> list[StoredScenario]:
        rows = sorted(self._query("scenario_list"), key=lambda r: r["id"])
        return [StoredScenario.from_json(r["body"]) for r in rows]

    def delete_scenario(self, scenario_id: str, *, expected_version: int | None = None) -> bool:
        def delete(tx: Any, stored: StoredScenario | None) -> bool:
            if stored is None and expected_version is None:
                return False
            check_scenario_version(scenario_id, stored, expected_version)
            plumbing.run(tx, "scenario_delete", {"id": scenario_id})
            return True
        return self._scenario_write(scenario_id, delete)

    def close(self) -> None:
        if self._own_driver:
            self._driver.close()


def from_env(environ: Mapping[str, str] | None = None) -> Neo4jStore:
    """`Neo4jStore.from_env`: a store configured by NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD."""
    return Neo4jStore.from_env(environ)


def _parent_of(rows: list[dict[str, Any]], at: dt.date | None) -> str | None:
    """The parent among a unit's PART_OF rows (`parents`): on a date, the one that holds
    (the first in dataset order); without a date, the most recent one, chosen exactly as
    MemoryGraph does over its edge order (edges grouped by target in order of first
    appearance)."""
    rows = sorted(rows, key=lambda r: r["seq"])
    if not rows:
        return None
    if at is not None:
        return rows[0]["target_id"]
    first: dict[str, int] = {}
    for r in rows:
        first.setdefault(r["target_id"], r["seq"])
    rows.sort(key=lambda r: (first[r["target_id"]], r["seq"]))
    best: tuple[str, Any] | None = None
    for r in rows:
        end = _date(r.get("valid_to"))
        if best is None or (end is None or (best[1] is not None and end > best[1])):
            best = (r["target_id"], end)
    return best[0] if best else None


def _date(text: str | None) -> Any:
    from graph.neo4j.records import parse_date
    return parse_date(text)


def _figure_on(figures: list[dict[str, Any]], at: dt.date | None) -> Headcount | None:
    """`graph.rules.headcount_on` over one unit's figures (property maps)."""
    records = ordered("headcounts", [{"p": f} for f in figures])
    records.sort(key=rules.headcount_order_key)
    return rules.headcount_on(records, at)
