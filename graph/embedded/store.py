"""The embedded backend: SQLite as the durable record, a `MemoryGraph` as the query engine.

A load replaces the baseline in one SQLite transaction (WAL journal), so a load
that fails or is killed half-way leaves the previous data intact. The in-memory
graph is built on the first read (`bomay serve` asks for it before it listens), from
SQLite after an open or from the dataset just written after a load, so that a command
that only writes (`bomay load`) never pays for it. Every load and commit is recorded in
the `changes` table, in the transaction that writes it.

Many processes, one file: the reads that start a request (`get_unit`, `units`, `events`,
`search_units`, the capabilities, `revision`, ...) first ask SQLite whether another
connection has committed since (`PRAGMA data_version`, about 6 µs), and if the stored
revision changed, the store moves to it:
- a small store (fewer than `background_reload_above` records), or one whose current
  state is not fully read yet, is reloaded at once: that request waits for the reload
  (a fraction of a second for the bundled dataset) and answers the new revision;
- a big one is built beside the current state in a background thread (read, indexed,
  warmed) and swapped in at once when ready: meanwhile requests keep answering the
  previous revision (`revision` says which), never a half-built state.
The reads that queries call in loops, on ids an earlier read of the request found
(`get_units`, `get_event`, `get_person`, `get_document`, `parent`, `children`,
`relations`, `headcounts`, `headcount`, `functions`, `posts`), do not check; a read made
of many calls that must see one revision throughout asks `pinned()` for the state and
reads that.

A write that finds the file locked by another writer waits up to `busy_timeout` seconds,
then raises `StoreBusy` (503).

Threads: a connection is used by one thread at a time. The store's connection (`_db`)
is the write connection: writes, and the reads that build the graph, use it under the
store's lock. The freshness probe has a connection of its own (under the probe's lock),
and the reads that run without the lock (scenarios, the change log) borrow a read-only
connection from a small pool, so that no statement of one thread is ever in progress on
the connection another thread commits on, and no read sees another thread's write before
its commit (WAL: each connection reads the last committed version).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from graph.embedded import column_cache
from graph.codec import TABLES, row_decoder, row_encoder
from graph.errors import Conflict, StoreBusy, StoreError
from graph.embedded.gc_pause import paused_gc, settle
from graph.embedded.lazy_tables import DEFERRED_TABLES, LazyDataset, read_all
from graph.embedded.memory import MemoryGraph
from graph.embedded.memory_index import StructureIndex
from graph.model import (Dataset, Document, Event, Function, Headcount, Person, Plan, Post,
                         Relation, Unit, UnitName)
from graph.store import (Change, ChangeNote, GraphReader, StatsCounts, StoredScenario,
                         UnitPage, check_scenario_version)

DEFAULT_STORE = "bomay.db"
_SCHEMA_VERSION = "1"
#: Seconds a write waits for another writer's lock before StoreBusy.
BUSY_TIMEOUT = 5.0
#: Records (all tables) above which another process's write is loaded in the background.
BACKGROUND_RELOAD_ABOVE = 200_000
#: Idle read connections kept open for the next reads (more are opened when more threads
#: read at once, and closed when returned beyond this).
IDLE_READERS = 8

_log = logging.getLogger(__name__)


def _is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def default_store_path() -> Path:
    return Path(os.environ.get("BOMAY_STORE") or DEFAULT_STORE)


class EmbeddedStore:
    """`graph.store.GraphStore` on one SQLite file; reads are served by a MemoryGraph."""

    def __init__(self, path: Path | str = DEFAULT_STORE, *, busy_timeout: float = BUSY_TIMEOUT,
                 background_reload_above: int = BACKGROUND_RELOAD_ABOVE):
        self.path = Path(path)
        self.location = str(self.path)
        self.busy_timeout = busy_timeout
        self.background_reload_above = background_reload_above
        self._lock = threading.RLock()  # re-entrant: a deferred table may be read while the graph builds
        self._probe_lock = threading.Lock()  # one probe at a time: its version and target agree
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._create_schema()
            self._revision = self._meta("revision") or "empty"
            # `PRAGMA data_version` is per connection (it counts the commits of every other
            # connection, this store's write connection included): one connection asks it.
            self._probe_db = self._connect()
            self._data_version = self._probe()
        except sqlite3.DatabaseError as exc:
            if _is_busy(exc):
                raise StoreBusy(f"the store {self.path} is locked by another process "
                                f"(waited {busy_timeout:g} s): {exc}") from None
            raise StoreError(f"cannot open the store {self.path}: {exc}") from None
        self._graph: MemoryGraph | None = None
        #: A dataset just written, to build the graph from instead of reading SQLite back.
        self._written: Dataset | None = None
        #: The newest stored revision seen by a probe (what a background reload aims at).
        self._target = self._revision
        self._reloader: threading.Thread | None = None
        #: Read connections not in use (see `_reading`), and whether `close()` ran.
        self._idle: list[sqlite3.Connection] = []
        self._pool_lock = threading.Lock()
        self._closed = False

    def _connect(self) -> sqlite3.Connection:
        # `timeout` is SQLite's busy timeout: how long a statement waits for another
        # connection's lock before failing with "database is locked".
        return sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                               timeout=self.busy_timeout)

    @contextmanager
    def _reading(self, doing: str) -> Iterator[sqlite3.Connection]:
        """A read-only connection used by this thread alone for the block (from the pool,
        or opened now), for the reads that run without the store's lock. Each read is one
        statement in autocommit mode: it reads the last committed version of the file."""
        with self._pool_lock:
            db = self._idle.pop() if self._idle else None
        try:
            if db is None:
                db = self._connect()
                db.execute("PRAGMA query_only=1")  # a read connection never writes
            yield db
        except sqlite3.Error as exc:
            raise self._failure(exc, doing) from None
        finally:
            if db is not None:
                self._give_back(db)

    def _give_back(self, db: sqlite3.Connection) -> None:
        if db.in_transaction:  # not left by a read; never hand a snapshot to the next one
            db.close()
            return
        with self._pool_lock:
            if not self._closed and len(self._idle) < IDLE_READERS:
                self._idle.append(db)
                return
        db.close()

    @contextmanager
    def _writing(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE (write) transaction on the store's connection: committed when the
        block ends, rolled back when it raises. A lock held by another writer for longer
        than `busy_timeout` raises StoreBusy; any other SQLite error StoreError; a rollback
        that fails itself never hides the error that caused it."""
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._failure(exc, doing) from None
            try:
                yield db
                db.execute("COMMIT")
            except BaseException as exc:
                if db.in_transaction:
                    try:
                        db.execute("ROLLBACK")
                    except sqlite3.Error:  # the error that brought us here is the one to report
                        _log.exception("rolling back %s in %s failed", doing, self.path)
                if isinstance(exc, sqlite3.Error):
                    raise self._failure(exc, doing) from None
                raise

    def _failure(self, exc: sqlite3.Error, doing: str) -> StoreError:
        if _is_busy(exc):
            return StoreBusy(f"{doing} in the store {self.path}: the store is locked by another "
                             f"writer (waited {self.busy_timeout:g} s); try again shortly")
        return StoreError(f"{doing} in the store {self.path} failed: {exc}")

    # -- schema -----------------------------------------------------------------------------
    def _create_schema(self) -> None:
        wanted = {"meta", "snapshot", "scenarios", "changes", *TABLES}
        present = {row[0] for row in self._db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = {table: [c for c in columns if c not in self._columns(table)]
                   for table, (_, columns) in TABLES.items() if table in present}
        missing = {table: cols for table, cols in missing.items() if cols}
        if wanted <= present and not missing:
            return  # no write lock needed: a store opens while another process loads it
        with self._writing("creating the tables") as db:
            # A store written before the contract gained a column (names.csv's `area`):
            # the column is added, empty, as a file without it would read.
            for table, added in missing.items():
                for column in added:
                    db.execute(f'ALTER TABLE {table} ADD COLUMN "{column}" DEFAULT \'\'')
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            for table, (_, columns) in TABLES.items():
                cols = ", ".join(f'"{c}"' for c in columns)
                db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols})")
            db.execute("CREATE TABLE IF NOT EXISTS snapshot "
                       "(name TEXT PRIMARY KEY, body BLOB NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS scenarios "
                       "(id TEXT PRIMARY KEY, body BLOB NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY "
                       "AUTOINCREMENT, at TEXT NOT NULL, action TEXT NOT NULL, what TEXT "
                       "NOT NULL, who TEXT NOT NULL, previous_revision TEXT NOT NULL, "
                       "revision TEXT NOT NULL)")
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (_SCHEMA_VERSION,))

    def _columns(self, table: str) -> set[str]:
        return {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}

    def _meta(self, key: str, db: sqlite3.Connection | None = None) -> str | None:
        row = (db or self._db).execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _build_graph(self, db: sqlite3.Connection | None = None) -> MemoryGraph:
        """The graph of the dataset just written, else of the stored one (read on `db`)."""
        with paused_gc():  # millions of acyclic records: the collector's passes are wasted
            if self._written is not None and db is None:
                graph = MemoryGraph(self._written, revision=self._revision)
            else:
                revision, dataset = self._read_state(db or self._db)
                graph = MemoryGraph(dataset, revision=revision)
        settle()
        return graph

    def _read_dataset(self) -> Dataset:
        """The stored dataset: the units and relations now, the other tables on first use."""
        return self._read_state(self._db)[1]

    def _read_state(self, db: sqlite3.Connection) -> tuple[str, Dataset]:
        """The stored revision and its dataset, read in one read transaction on `db`."""
        db.execute("BEGIN")  # one version of the file, even if another process writes
        try:
            revision = self._meta("revision", db) or "empty"
            row = db.execute("SELECT body FROM snapshot WHERE name = ''").fetchone()
            in_cache = column_cache.usable_tables(row and row[0], revision)
            eager = {table: self._read_table(table, in_cache.get(table), db)
                     for table in TABLES if table not in DEFERRED_TABLES}
            sizes = {table: in_cache[table] if table in in_cache else
                     db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in DEFERRED_TABLES}
        finally:
            db.execute("COMMIT")
        readers: dict[str, Callable[[], tuple]] = {
            table: partial(self._read_deferred, table, revision, in_cache.get(table))
            for table in DEFERRED_TABLES}
        return revision, LazyDataset(eager, readers, sizes)

    def _read_table(self, table: str, cached_count: int | None,
                    db: sqlite3.Connection | None = None) -> tuple:
        db = db or self._db
        if cached_count is not None:
            body = db.execute("SELECT body FROM snapshot WHERE name = ?", (table,)).fetchone()
            records = body and column_cache.decode_table(table, body[0], cached_count)
            if records is not None:
                return records
        # Not in the column cache (a store written before it): its rows, one by one.
        columns = ", ".join(f'"{c}"' for c in TABLES[table][1])
        rows = db.execute(f"SELECT {columns} FROM {table} ORDER BY rowid")
        return tuple(map(row_decoder(table), rows))

    def _read_deferred(self, table: str, revision: str, cached_count: int | None) -> tuple:
        """A table of the baseline of `revision`, read on first use (see LazyDataset)."""
        # The lock keeps this read out of a write transaction on the shared connection; the
        # read transaction keeps the revision check and the read on one version of the file.
        # Frozen out of the collector like the rest of the baseline: left in its oldest
        # generation, every full collection would walk it in the middle of a request.
        with self._lock, paused_gc(freeze=True):
            self._db.execute("BEGIN")
            try:
                current = self._meta("revision") or "empty"
                if current != revision:
                    raise StoreError(f"the store {self.path} was replaced by another process "
                                     f"since it was opened (revision {revision}, now "
                                     f"{current}): reopen it")
                return self._read_table(table, cached_count)
            finally:
                self._db.execute("COMMIT")

    # -- freshness: another process's writes ---------------------------------------------------
    def _probe(self) -> int:
        """SQLite's count of commits by other connections to the file, asked on the probe's
        own connection (so this store's writes count too: `_notice` then finds the stored
        revision it already aims at, and reloads nothing)."""
        return self._probe_db.execute("PRAGMA data_version").fetchone()[0]

    def refresh(self) -> bool:
        """Notice a write by another connection or process: True if the stored revision is
        newer than the one served (then reloaded now, or in the background for a big store;
        see the module's docstring). Called by every read that starts a request."""
        noticed = self._notice()
        if self._target != self._revision and self._reloader is None:
            # Whichever thread gets here first reloads; the others wait for it on the lock
            # rather than answer the revision being replaced.
            self._catch_up()
        return noticed

    def _notice(self) -> bool:
        """Probe the file; when another connection committed, aim at the stored revision."""
        with self._probe_lock:
            try:
                version = self._probe()
                if version == self._data_version:
                    return False
                self._data_version = version
                stored = self._meta("revision", self._probe_db) or "empty"
            except sqlite3.Error as exc:
                raise self._failure(exc, "checking for changes") from None
            if stored == self._target:
                return False  # a scenario saved, or a write already noticed
            self._target = stored
            return True

    def _catch_up(self) -> None:
        """Serve the aimed-at revision: reload now (small or incomplete state) or start the
        background reload (big state)."""
        with self._lock:
            target = self._target
            if target == self._revision or self._reloader is not None:
                return
            graph = self._graph
            if graph is None:
                # Nothing built yet: the first read builds the stored state.
                self._revision, self._written = target, None
                return
            dataset = graph.dataset()
            complete = not (isinstance(dataset, LazyDataset) and dataset.pending())
            if not complete or sum(dataset.counts().values()) < self.background_reload_above:
                # Small, or its deferred tables are gone with the old revision: reload now.
                self._written = None
                self._swap(self._build_graph())
                if self._revision != target:  # written again meanwhile: aim at what was read
                    self._target = self._revision
                return
            self._reloader = threading.Thread(target=self._reload_in_background,
                                              name="bomay-reload", daemon=True)
            self._reloader.start()

    def _swap(self, graph: MemoryGraph) -> None:
        with self._lock:
            self._graph, self._revision = graph, graph.revision

    def _reload_in_background(self) -> None:
        """Build the stored state beside the served one, on a connection of its own, and
        swap it in when complete, if it is still the stored revision (else build again);
        drop it if this store wrote meanwhile (its own write is newer and served)."""
        try:
            while True:
                db = self._connect()
                try:
                    graph = self._build_graph(db)
                finally:
                    db.close()
                read_all(graph.dataset())
                graph.warm()
                with self._lock:  # no write transaction is open on the connection here
                    if self._written is not None or self._graph is None:
                        self._reloader = None  # this store replaced the baseline meanwhile
                        return
                    stored = self._meta("revision") or "empty"
                    if graph.revision == stored:
                        self._graph, self._revision = graph, graph.revision
                        self._target = stored
                        self._reloader = None
                        return
        except Exception:  # noqa: BLE001 - keep serving the old state; the next probe retries
            _log.exception("reloading %s in the background failed", self.path)
            with self._lock:
                self._reloader = None
                self._target = self._revision
                self._data_version = -1

    def wait_reloaded(self, timeout: float | None = None) -> bool:
        """Wait for a background reload to finish (tests, tools); True when none runs."""
        thread = self._reloader
        if thread is not None:
            thread.join(timeout)
        return self._reloader is None

    def _state(self) -> MemoryGraph:
        """The in-memory graph served now, built on first use."""
        graph = self._graph
        if graph is None:
            with self._lock:
                if self._graph is None:
                    self._graph = self._build_graph()
                    self._revision = self._graph.revision
                    self._written = None
                graph = self._graph
        return graph

    def _fresh(self) -> MemoryGraph:
        """`_state()` after noticing another process's write (the reads that start a request)."""
        self.refresh()
        return self._state()

    # -- GraphReader: served by the in-memory graph ------------------------------------------
    @property
    def revision(self) -> str:
        self.refresh()
        return self._revision

    def pinned(self) -> GraphReader:
        return self._fresh()

    def structure_index(self) -> StructureIndex:
        """The integer index of the served baseline (benchmarks time its build)."""
        return self._state().structure_index()

    def warm(self) -> None:
        self._state().warm()

    def get_unit(self, unit_id: str) -> Unit | None:
        return self._fresh().get_unit(unit_id)

    def get_units(self, unit_ids: Iterable[str]) -> dict[str, Unit]:
        return self._state().get_units(unit_ids)

    def units(self, at: dt.date | None = None, *, kind: str | None = None,
              level: str | None = None, area: str | None = None) -> list[Unit]:
        return self._fresh().units(at, kind=kind, level=level, area=area)

    def parent(self, unit_id: str, at: dt.date | None) -> str | None:
        return self._state().parent(unit_id, at)

    def children(self, unit_id: str, at: dt.date | None) -> list[str]:
        return self._state().children(unit_id, at)

    def relations(self, unit_id: str, at: dt.date | None = None, *,
                  types: Iterable[str] | None = None, direction: str = "out") -> list[Relation]:
        return self._state().relations(unit_id, at, types=types, direction=direction)

    def all_relations(self, at: dt.date | None = None, *,
                      types: Iterable[str] | None = None) -> list[Relation]:
        return self._fresh().all_relations(at, types=types)

    def get_event(self, event_id: str) -> Event | None:
        return self._state().get_event(event_id)

    def events(self, *, unit_id: str | None = None, type: str | None = None,
               basis: str | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[Event]:
        return self._fresh().events(unit_id=unit_id, type=type, basis=basis,
                                    date_from=date_from, date_to=date_to)

    def functions(self, unit_id: str | None = None, at: dt.date | None = None) -> list[Function]:
        return self._state().functions(unit_id, at)

    def headcounts(self, unit_id: str | None = None) -> list[Headcount]:
        return self._state().headcounts(unit_id)

    def posts(self, *, unit_id: str | None = None, person_id: str | None = None,
              at: dt.date | None = None) -> list[Post]:
        return self._state().posts(unit_id=unit_id, person_id=person_id, at=at)

    def get_person(self, person_id: str) -> Person | None:
        return self._state().get_person(person_id)

    def people(self) -> list[Person]:
        return self._fresh().people()

    def get_document(self, document_id: str) -> Document | None:
        return self._state().get_document(document_id)

    def documents(self) -> list[Document]:
        return self._fresh().documents()

    def search_units(self, text: str, at: dt.date | None = None,
                     limit: int = 20) -> list[tuple[Unit, float]]:
        return self._fresh().search_units(text, at, limit)

    def dataset(self) -> Dataset:
        return self._fresh().dataset()

    # -- capabilities: the in-memory graph's index ---------------------------------------------
    def headcount(self, unit_id: str, at: dt.date | None) -> Headcount | None:
        return self._state().headcount(unit_id, at)

    def ancestors(self, unit_id: str, at: dt.date | None) -> list[str]:
        return self._fresh().ancestors(unit_id, at)

    def roots(self, at: dt.date | None) -> list[str]:
        return self._fresh().roots(at)

    def subtree(self, root_id: str, at: dt.date | None, depth: int | None = None) -> dict[str, Any]:
        return self._fresh().subtree(root_id, at, depth)

    def scope(self, root_id: str, at: dt.date | None) -> list[str]:
        return self._fresh().scope(root_id, at)

    def stats_counts(self, at: dt.date | None, root: str | None = None,
                     area: str | None = None) -> StatsCounts:
        return self._fresh().stats_counts(at, root, area)

    def unit_page(self, at: dt.date | None = None, *, kind: str | None = None,
                  level: str | None = None, area: str | None = None, offset: int = 0,
                  limit: int = 50) -> UnitPage:
        return self._fresh().unit_page(at, kind=kind, level=level, area=area, offset=offset,
                                       limit=limit)

    def area_page(self, area: str, at: dt.date, *, kind: str | None = None,
                  level: str | None = None, offset: int = 0, limit: int = 50) -> UnitPage:
        return self._fresh().area_page(area, at, kind=kind, level=level, offset=offset,
                                       limit=limit)

    def inferred_area(self, unit_id: str, at: dt.date) -> str:
        return self._fresh().inferred_area(unit_id, at)

    def unit_names(self, unit_id: str) -> list[UnitName]:
        return self._state().unit_names(unit_id)

    def parents(self, unit_ids: Iterable[str], at: dt.date | None) -> dict[str, str | None]:
        return self._state().parents(unit_ids, at)

    def headcounts_at(self, unit_ids: Iterable[str],
                      at: dt.date | None) -> dict[str, Headcount | None]:
        return self._state().headcounts_at(unit_ids, at)

    def units_under(self, roots: Iterable[str], at: dt.date | None, depth: int | None,
                    cap: int) -> int:
        return self._fresh().units_under(roots, at, depth, cap)

    def sourced_subtree(self, root_id: str, at: dt.date | None,
                        depth: int | None = None) -> dict[str, Any]:
        return self._fresh().sourced_subtree(root_id, at, depth)

    def sourced_subtree_within(self, root_id: str, at: dt.date | None, depth: int | None,
                               cap: int) -> dict[str, Any] | int:
        return self._fresh().sourced_subtree_within(root_id, at, depth, cap)

    def events_touching(self, unit_ids: Iterable[str], date_from: dt.date | None,
                        date_to: dt.date | None) -> list[Event]:
        return self._fresh().events_touching(unit_ids, date_from, date_to)

    def unit_view(self, unit_id: str, at: dt.date | None) -> GraphReader:
        return self._fresh()  # the served graph in memory answers each question at once

    def plans(self) -> list[Plan]:
        return self._fresh().plans()

    def prefetch(self, unit_ids: Iterable[str]) -> None:
        return None  # the graph in memory answers each unit at once: nothing to load

    def is_empty(self) -> bool:
        self.refresh()
        if self._graph is not None:
            return not self._graph.dataset().units
        with self._reading("reading the store") as db:
            return not db.execute("SELECT 1 FROM units LIMIT 1").fetchall()

    # -- writes -----------------------------------------------------------------------------
    def replace_dataset(self, dataset: Dataset, *, expected_revision: str | None = None,
                        change: ChangeNote | None = None) -> str:
        revision = secrets.token_hex(6)
        if self._graph is not None:
            # Whoever still holds the current baseline (a scenario, a request) keeps all of
            # it: its deferred tables are read before the store changes under them.
            read_all(self._graph.dataset())
        with self._lock:
            with self._writing("writing the baseline") as db:
                current = self._meta("revision") or "empty"
                if expected_revision is not None and expected_revision != current:
                    raise Conflict(f"the baseline changed since revision {expected_revision} "
                                   f"(now {current})")
                with paused_gc():  # a table's rows at once: millions of acyclic tuples
                    in_cache = self._write_tables(dataset)
                db.execute("INSERT INTO snapshot VALUES ('', ?)",
                           (column_cache.header(revision, dataset.counts(), in_cache),))
                db.execute("INSERT OR REPLACE INTO meta VALUES ('revision', ?)", (revision,))
                self._insert_change(change or ChangeNote(), current, revision)
            self._revision, self._graph, self._written = revision, None, dataset
            self._target = revision
        return revision

    # -- the change log -----------------------------------------------------------------------
    def _insert_change(self, note: ChangeNote, previous: str, revision: str) -> Change:
        when = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        cur = self._db.execute(
            "INSERT INTO changes (at, action, what, who, previous_revision, revision) "
            "VALUES (?, ?, ?, ?, ?, ?)", (when, note.action, note.what, note.who, previous,
                                          revision))
        return Change(cur.lastrowid or 0, when, note.action, note.what, note.who, previous,
                      revision)

    def record_change(self, note: ChangeNote, previous_revision: str, revision: str) -> Change:
        with self._writing("recording a change") as _:
            return self._insert_change(note, previous_revision, revision)

    def changes(self, limit: int = 100, offset: int = 0) -> list[Change]:
        with self._reading("reading the change log") as db:
            rows = db.execute(
                "SELECT seq, at, action, what, who, previous_revision, revision FROM changes "
                "ORDER BY seq DESC LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        return [Change(*row) for row in rows]

    def _write_tables(self, dataset: Dataset) -> list[str]:
        """Every table's rows, and the column cache of each (inside the caller's transaction;
        the SQLite table `snapshot` holds the cache). Returns the tables the cache holds."""
        db = self._db
        db.execute("DELETE FROM snapshot")
        in_cache = []
        for table, (_, columns) in TABLES.items():
            db.execute(f"DELETE FROM {table}")
            marks = ", ".join("?" * len(columns))
            # The columns by name: a store written before the contract gained a column has
            # it last (`_create_schema` adds it), not in the contract's order.
            names = ", ".join(f'"{c}"' for c in columns)
            rows = list(map(row_encoder(table), getattr(dataset, table)))
            db.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            body = column_cache.encode_table(rows)
            del rows
            if body is not None:
                db.execute("INSERT INTO snapshot VALUES (?, ?)", (table, body))
                in_cache.append(table)
        return in_cache

    # -- scenarios --------------------------------------------------------------------------
    def save_scenario(self, scenario: StoredScenario, *,
                      expected_version: int | None = None) -> StoredScenario:
        def write(stored: StoredScenario | None) -> StoredScenario:
            version = check_scenario_version(scenario.id, stored, expected_version)
            saved = dataclasses.replace(scenario, version=version + 1)
            self._db.execute("INSERT OR REPLACE INTO scenarios VALUES (?, ?)",
                             (saved.id, saved.to_json()))
            return saved
        return self._scenario_transaction(scenario.id, write)

    def get_scenario(self, scenario_id: str) -> StoredScenario | None:
        with self._reading("reading a scenario") as db:
            rows = db.execute("SELECT body FROM scenarios WHERE id = ?",
                              (scenario_id,)).fetchall()
        return StoredScenario.from_json(rows[0][0]) if rows else None

    def list_scenarios(self) -> list[StoredScenario]:
        with self._reading("listing the scenarios") as db:
            rows = db.execute("SELECT body FROM scenarios ORDER BY id").fetchall()
        return [StoredScenario.from_json(r[0]) for r in rows]

    def delete_scenario(self, scenario_id: str, *, expected_version: int | None = None) -> bool:
        def delete(stored: StoredScenario | None) -> bool:
            if stored is None and expected_version is None:
                return False
            check_scenario_version(scenario_id, stored, expected_version)
            self._db.execute("DELETE FROM scenarios WHERE id = ?", (scenario_id,))
            return True
        return self._scenario_transaction(scenario_id, delete)

    def _scenario_transaction(self, scenario_id: str, write):
        """Read the stored scenario and write in one IMMEDIATE transaction: the file's write
        lock is held from the read on, so another process cannot write in between."""
        # `_writing`: a rollback that fails never hides the error (a version Conflict, a
        # busy file) that brought it; the caller answers that error, and nothing is stored.
        with self._writing("writing a scenario") as db:
            row = db.execute("SELECT body FROM scenarios WHERE id = ?",
                             (scenario_id,)).fetchone()
            return write(StoredScenario.from_json(row[0]) if row else None)

    def close(self) -> None:
        """Close every connection: the write one, the probe's, the idle read ones (a read
        still running closes its own when it ends)."""
        with self._pool_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for db in (*idle, self._probe_db, self._db):
            db.close()

