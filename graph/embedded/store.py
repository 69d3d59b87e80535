"""The embedded backend: SQLite as the durable record, a `MemoryGraph` as the query engine.

A load replaces the baseline in one SQLite transaction (WAL journal), so a load
that fails or is killed half-way leaves the previous data intact. The in-memory
graph is built on the first read (`bomay serve` asks for it before it listens), from
SQLite after an open or from the dataset just written after a load, so that a command
that only writes (`bomay load`) never pays for it.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import sqlite3
import threading
from functools import partial
from pathlib import Path
from typing import Any

from graph.embedded import column_cache as snapshot
from graph.codec import TABLES, row_decoder, row_encoder
from graph.errors import Conflict, StoreError
from graph.embedded.gc_pause import paused_gc, settle
from graph.embedded.lazy_tables import DEFERRED_TABLES, LazyDataset, read_all
from graph.embedded.memory import MemoryGraph
from graph.model import Dataset
from graph.store import StoredScenario, check_scenario_version

DEFAULT_STORE = "bomay.db"
_SCHEMA_VERSION = "1"


def default_store_path() -> Path:
    return Path(os.environ.get("BOMAY_STORE") or DEFAULT_STORE)


class EmbeddedStore:
    """`graph.store.GraphStore` on one SQLite file; reads are served by a MemoryGraph."""

    def __init__(self, path: Path | str = DEFAULT_STORE):
        self.path = Path(path)
        self.location = str(self.path)
        self._lock = threading.RLock()  # re-entrant: a deferred table may be read while the graph builds
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._create_schema()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from None
        self._revision = self._meta("revision") or "empty"
        self._graph: MemoryGraph | None = None
        #: A dataset just written, to build the graph from instead of reading SQLite back.
        self._written: Dataset | None = None

    # -- schema -----------------------------------------------------------------------------
    def _create_schema(self) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                for table, (_, columns) in TABLES.items():
                    cols = ", ".join(f'"{c}"' for c in columns)
                    self._db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols})")
                self._db.execute("CREATE TABLE IF NOT EXISTS snapshot "
                                 "(name TEXT PRIMARY KEY, body BLOB NOT NULL)")
                self._db.execute("CREATE TABLE IF NOT EXISTS scenarios "
                                 "(id TEXT PRIMARY KEY, body BLOB NOT NULL)")
                self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (_SCHEMA_VERSION,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _build_graph(self) -> MemoryGraph:
        with paused_gc():  # millions of acyclic records: the collector's passes are wasted
            dataset = self._written if self._written is not None else self._read_dataset()
            graph = MemoryGraph(dataset, revision=self._revision)
        settle()
        return graph

    def _read_dataset(self) -> Dataset:
        """The units and relations now; the other tables when first asked for."""
        self._db.execute("BEGIN")  # one version of the file, even if another process writes
        try:
            revision = self._revision = self._meta("revision") or "empty"
            row = self._db.execute("SELECT body FROM snapshot WHERE name = ''").fetchone()
            in_snapshot = snapshot.usable_tables(row and row[0], revision)
            eager = {table: self._read_table(table, in_snapshot.get(table))
                     for table in TABLES if table not in DEFERRED_TABLES}
            sizes = {table: in_snapshot[table] if table in in_snapshot else
                     self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in DEFERRED_TABLES}
        finally:
            self._db.execute("COMMIT")
        readers = {table: partial(self._read_deferred, table, revision, in_snapshot.get(table))
                   for table in DEFERRED_TABLES}
        return LazyDataset(eager, readers, sizes)

    def _read_table(self, table: str, snapshot_count: int | None) -> tuple:
        if snapshot_count is not None:
            body = self._db.execute("SELECT body FROM snapshot WHERE name = ?",
                                    (table,)).fetchone()
            records = body and snapshot.decode_table(table, body[0], snapshot_count)
            if records is not None:
                return records
        # No snapshot of this table (a store written before snapshots): its rows, one by one.
        columns = ", ".join(f'"{c}"' for c in TABLES[table][1])
        rows = self._db.execute(f"SELECT {columns} FROM {table} ORDER BY rowid")
        return tuple(map(row_decoder(table), rows))

    def _read_deferred(self, table: str, revision: str, snapshot_count: int | None) -> tuple:
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
                return self._read_table(table, snapshot_count)
            finally:
                self._db.execute("COMMIT")

    # -- GraphReader: served by the in-memory graph ------------------------------------------
    def __getattr__(self, name: str) -> Any:
        # Only reached for names EmbeddedStore does not define: the GraphReader methods.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.memory, name)

    @property
    def revision(self) -> str:
        return self._revision

    @property
    def memory(self) -> MemoryGraph:
        """The in-memory graph of the baseline, built on first use."""
        graph = self._graph
        if graph is None:
            with self._lock:
                if self._graph is None:
                    self._graph = self._build_graph()
                    self._written = None
                graph = self._graph
        return graph

    def is_empty(self) -> bool:
        if self._graph is not None:
            return not self._graph.dataset().units
        return self._db.execute("SELECT 1 FROM units LIMIT 1").fetchone() is None

    # -- writes -----------------------------------------------------------------------------
    def replace_dataset(self, dataset: Dataset, *, expected_revision: str | None = None) -> str:
        revision = secrets.token_hex(6)
        if self._graph is not None:
            # Whoever still holds the current baseline (a scenario, a request) keeps all of
            # it: its deferred tables are read before the store changes under them.
            read_all(self._graph.dataset())
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
                current = self._meta("revision") or "empty"
                if expected_revision is not None and expected_revision != current:
                    raise Conflict(f"the baseline changed since revision {expected_revision} "
                                   f"(now {current})")
                with paused_gc():  # a table's rows at once: millions of acyclic tuples
                    in_snapshot = self._write_tables(dataset)
                db.execute("INSERT INTO snapshot VALUES ('', ?)",
                           (snapshot.header(revision, dataset.counts(), in_snapshot),))
                db.execute("INSERT OR REPLACE INTO meta VALUES ('revision', ?)", (revision,))
                db.execute("COMMIT")
            except BaseException as exc:
                db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.DatabaseError):
                    raise StoreError(f"writing the store {self.path} failed: {exc}") from None
                raise
            self._revision, self._graph, self._written = revision, None, dataset
        return revision

    def _write_tables(self, dataset: Dataset) -> list[str]:
        """Every table's rows, and the snapshot of each (inside the caller's transaction).
        Returns the tables the snapshot holds."""
        db = self._db
        db.execute("DELETE FROM snapshot")
        in_snapshot = []
        for table, (_, columns) in TABLES.items():
            db.execute(f"DELETE FROM {table}")
            marks = ", ".join("?" * len(columns))
            rows = list(map(row_encoder(table), getattr(dataset, table)))
            db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            body = snapshot.encode_table(rows)
            del rows
            if body is not None:
                db.execute("INSERT INTO snapshot VALUES (?, ?)", (table, body))
                in_snapshot.append(table)
        return in_snapshot

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
        row = self._db.execute("SELECT body FROM scenarios WHERE id = ?", (scenario_id,)).fetchone()
        return StoredScenario.from_json(row[0]) if row else None

    def list_scenarios(self) -> list[StoredScenario]:
        rows = self._db.execute("SELECT body FROM scenarios ORDER BY id").fetchall()
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
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
                row = db.execute("SELECT body FROM scenarios WHERE id = ?",
                                 (scenario_id,)).fetchone()
                result = write(StoredScenario.from_json(row[0]) if row else None)
                db.execute("COMMIT")
            except BaseException as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.DatabaseError):
                    raise StoreError(f"writing a scenario in the store {self.path} failed: "
                                     f"{exc}") from None
                raise
        return result

    def close(self) -> None:
        self._db.close()

