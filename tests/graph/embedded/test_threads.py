"""Threads of one embedded store on a real SQLite file: a read in progress in one thread
never shares a connection with another thread's write transaction.

The soak (docs/reliability.md) saw a scenario save refused with "cannot commit transaction
- SQL statements in progress" and "another row available": the store's one connection was
shared by the server's threads, and a listing still stepping through its rows on it made
the commit fail. These tests stop a thread at a chosen point of a statement (between two
rows of a listing, or just before a COMMIT) with a connection subclass, so that the
interleaving the soak met by chance happens every time.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from graph.embedded.store import EmbeddedStore
from graph.store import ChangeNote, StoredScenario
from loaders import read_dataset


class _Gate:
    """Stops the thread named `thread` once, at a statement containing `fragment`: after
    its first row (`where="mid"`) or before it runs (`where="before"`)."""

    def __init__(self) -> None:
        self.armed: tuple[str, str, str] | None = None
        self.reached = threading.Event()
        self.go = threading.Event()

    def arm(self, thread: str, fragment: str, where: str) -> None:
        self.armed = (thread, fragment, where)

    def stop(self, sql: str, where: str) -> None:
        if self.armed is None or self.reached.is_set():
            return
        thread, fragment, at = self.armed
        if at == where and fragment in sql and threading.current_thread().name == thread:
            self.reached.set()
            assert self.go.wait(20), "the test never let the stopped thread go on"


class _Cursor(sqlite3.Cursor):
    def fetchall(self):
        first = self.fetchone()
        if first is None:
            return []
        self.connection.gate.stop(self.sql, "mid")  # the statement is in progress here
        return [first, *super().fetchall()]


class _Connection(sqlite3.Connection):
    gate: _Gate | None = None

    def execute(self, sql, parameters=()):
        if self.gate is not None:
            self.gate.stop(sql, "before")
        cursor = self.cursor(_Cursor)
        cursor.sql = sql
        return cursor.execute(sql, parameters)


class _GatedStore(EmbeddedStore):
    """An EmbeddedStore whose every SQLite connection can be stopped by `gate`."""

    def __init__(self, path: Path, **kwargs) -> None:
        self.gate = _Gate()
        super().__init__(path, **kwargs)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                             timeout=self.busy_timeout, factory=_Connection)
        db.gate = self.gate
        return db


def _scenario(scenario_id: str, name: str = "s") -> StoredScenario:
    return StoredScenario(id=scenario_id, name=name, at="2018-01-01")


def _in_thread(name: str, call) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def run() -> None:
        try:
            out["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            out["error"] = exc
    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread, out


@pytest.fixture()
def store(tmp_path):
    s = _GatedStore(tmp_path / "s.db")
    yield s
    s.gate.go.set()
    s.close()


def test_a_scenario_save_commits_while_another_thread_is_mid_listing(store):
    for n in range(3):
        store.save_scenario(_scenario(f"s{n}"))
    store.gate.arm("reader", "FROM scenarios ORDER BY", "mid")
    reader, listed = _in_thread("reader", store.list_scenarios)
    assert store.gate.reached.wait(20), "the listing never started"
    try:
        saved = store.save_scenario(_scenario("s3"))  # commits while the listing steps
    finally:
        store.gate.go.set()
        reader.join(20)
    assert saved.version == 1 and store.get_scenario("s3") == saved
    assert "error" not in listed, listed
    # The listing answers the file as it was when it began: one version throughout.
    assert [s.id for s in listed["value"]] == ["s0", "s1", "s2"]
    assert [s.id for s in store.list_scenarios()] == ["s0", "s1", "s2", "s3"]


def test_a_change_is_recorded_while_another_thread_is_mid_change_log(store, data_dir):
    first = store.replace_dataset(read_dataset(data_dir / "chain"),
                                  change=ChangeNote("load", "chain", "alice"))
    store.record_change(ChangeNote("commit", "noted", "bob"), first, first)
    store.gate.arm("reader", "FROM changes", "mid")
    reader, log = _in_thread("reader", store.changes)
    assert store.gate.reached.wait(20)
    try:
        extra = store.record_change(ChangeNote("commit", "during", "carol"), first, first)
    finally:
        store.gate.go.set()
        reader.join(20)
    assert "error" not in log, log
    assert [c.who for c in log["value"]] == ["bob", "alice"]
    assert store.changes()[0] == extra


def test_a_reader_never_sees_another_threads_write_before_its_commit(store):
    store.save_scenario(_scenario("s1", "before"))
    store.gate.arm("writer", "COMMIT", "before")
    writer, saved = _in_thread("writer", lambda: store.save_scenario(
        _scenario("s1", "after"), expected_version=1))
    assert store.gate.reached.wait(20), "the write never reached its commit"
    try:
        # The write transaction is open, its row written, not committed: not stored yet.
        assert store.get_scenario("s1").name == "before"
        assert [s.name for s in store.list_scenarios()] == ["before"]
    finally:
        store.gate.go.set()
        writer.join(20)
    assert "error" not in saved, saved
    assert store.get_scenario("s1").name == "after" and store.get_scenario("s1").version == 2


def test_another_stores_write_is_still_noticed_and_its_own_writes_reload_nothing(
        tmp_path, data_dir):
    """`PRAGMA data_version` counts other connections' commits, per connection: the probe
    keeps one connection, so its value is compared with its own earlier value."""
    server = EmbeddedStore(tmp_path / "s.db")
    server.replace_dataset(read_dataset(data_dir / "chain"))
    graph = server.pinned()
    server.save_scenario(_scenario("s1"))  # its own write: the baseline is unchanged
    assert server.get_scenario("s1") is not None and server.list_scenarios()
    assert server.refresh() is False and server.pinned() is graph
    own = server.replace_dataset(read_dataset(data_dir / "roundtrip"))
    assert server.refresh() is False and server.revision == own
    other = EmbeddedStore(tmp_path / "s.db")  # another connection: another process
    new = other.replace_dataset(read_dataset(data_dir / "chain"))
    assert server.refresh() is True and server.revision == new
    assert server.get_unit("a") is not None and server.get_unit("qn") is None
    other.save_scenario(_scenario("s2"))
    assert [s.id for s in server.list_scenarios()] == ["s1", "s2"]
    assert server.refresh() is False  # a scenario saved elsewhere: nothing to reload
    other.close()
    server.close()


def test_close_closes_the_connections_of_every_thread(tmp_path):
    """SQLite removes the WAL file when the last connection to it closes: a connection left
    open by any thread would keep it."""
    store = EmbeddedStore(tmp_path / "s.db")
    store.save_scenario(_scenario("s1"))
    start = threading.Barrier(4)

    def read() -> None:
        start.wait()
        assert store.get_scenario("s1") is not None and store.changes() == []
        assert [s.id for s in store.list_scenarios()] == ["s1"] and store.revision
    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert (tmp_path / "s.db-wal").exists()
    store.close()
    assert not (tmp_path / "s.db-wal").exists()


def test_reads_are_not_held_up_by_a_write_waiting_for_the_file_lock(tmp_path):
    """SQLite holds a connection's mutex while a statement waits for another process's
    lock: on a shared connection, every request's freshness check waited behind a write
    stuck in the busy handler (measured before the fix: 1.8 s of a 2 s busy timeout)."""
    store = EmbeddedStore(tmp_path / "s.db", busy_timeout=3.0)
    store.save_scenario(_scenario("s1"))
    other = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing for a while
    try:
        writer, saved = _in_thread("writer", lambda: store.save_scenario(_scenario("s2")))
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline and writer.is_alive():
            time.sleep(0.01)  # let the write reach SQLite's busy handler
        assert writer.is_alive(), "the write did not wait for the lock"
        started = time.perf_counter()
        assert store.revision == "empty" and store.get_scenario("s1") is not None
        assert [s.id for s in store.list_scenarios()] == ["s1"] and store.changes() == []
        waited = time.perf_counter() - started
        assert waited < 1.0, f"reads waited {waited:.2f} s behind the write"
        assert writer.is_alive(), "the write stopped waiting before the reads were timed"
    finally:
        other.execute("ROLLBACK")
        other.close()
        writer.join(20)
    # The other process let go within the busy timeout: the write went through.
    assert "error" not in saved, saved
    assert store.get_scenario("s2") == saved["value"]
    store.close()
