"""Many stores, one file: a write by another connection or process is seen on the next read;
a big reload is built beside the served state and swapped in whole; a locked file gives
StoreBusy; every load and commit is in the change log."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from graph.embedded.store import EmbeddedStore
from graph.errors import BomayError, Conflict, StoreBusy
from graph.store import ChangeNote, StoredScenario
from loaders import read_dataset

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture()
def two(tmp_path, data_dir):
    """Two stores (two connections) on one file, both serving the `chain` dataset."""
    a = EmbeddedStore(tmp_path / "s.db")
    a.replace_dataset(read_dataset(data_dir / "chain"))
    b = EmbeddedStore(tmp_path / "s.db")
    assert b.get_unit("a") is not None and b.get_unit("qn") is None  # b has built its state
    yield a, b
    a.close()
    b.close()


def test_a_write_by_one_store_is_seen_by_the_other_on_its_next_read(two, data_dir):
    a, b = two
    old = b.revision
    new = a.replace_dataset(read_dataset(data_dir / "roundtrip"))
    assert new != old
    assert b.get_unit("qn") is not None and b.get_unit("a") is None
    assert b.revision == new
    assert [u.id for u in b.units()] == [u.id for u in a.units()]
    # b commits on top of what it now serves; a stale expectation is still refused.
    assert b.replace_dataset(read_dataset(data_dir / "chain"), expected_revision=new)
    with pytest.raises(Conflict):
        a.replace_dataset(read_dataset(data_dir / "chain"), expected_revision=new)
    assert a.get_unit("a") is not None and a.revision == b.revision


def test_a_scenario_saved_elsewhere_does_not_reload_the_baseline(two):
    a, b = two
    graph = b.pinned()
    a.save_scenario(StoredScenario(id="s1", name="s", at="2018-01-01"))
    assert b.get_scenario("s1") is not None
    assert b.get_unit("a") is not None and b.pinned() is graph  # same revision: same state


def test_a_load_by_another_process_is_seen_on_the_next_read(tmp_path, data_dir):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(data_dir / "chain"))
    units_before = len(store.units())
    script = textwrap.dedent(f"""
        from graph.embedded.store import EmbeddedStore
        from graph.store import ChangeNote
        from loaders import read_dataset
        store = EmbeddedStore({str(tmp_path / "s.db")!r})
        print(store.replace_dataset(read_dataset({str(data_dir / "roundtrip")!r}),
                                    change=ChangeNote("load", "roundtrip", "cli")))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    revision = done.stdout.strip()
    assert store.revision == revision
    assert store.get_unit("qn") is not None and len(store.units()) != units_before
    assert store.changes()[0].who == "cli" and store.changes()[0].revision == revision


def test_deferred_tables_not_read_yet_are_reloaded_with_the_new_revision(tmp_path, data_dir):
    EmbeddedStore(tmp_path / "s.db").replace_dataset(read_dataset(data_dir / "q_town"))
    reader = EmbeddedStore(tmp_path / "s.db")
    assert reader.get_unit("ubkt") is not None  # units read; events, posts... not yet
    new = EmbeddedStore(tmp_path / "s.db").replace_dataset(read_dataset(data_dir / "chain"))
    # The old revision's deferred tables are gone from the file: the store moves to the new
    # revision at once rather than fail reading them.
    assert reader.events() == list(read_dataset(data_dir / "chain").events)
    assert reader.revision == new
    assert reader.units() == sorted(read_dataset(data_dir / "chain").units, key=lambda u: u.id)


class _SlowReload(EmbeddedStore):
    """Holds a background build until `release` is set, to look at the store meanwhile."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.release = threading.Event()
        self.building = threading.Event()

    def _build_graph(self, db=None):
        if db is not None:  # the background build: its own connection
            self.building.set()
            assert self.release.wait(30)
        return super()._build_graph(db)


def test_a_big_reload_is_built_beside_the_served_state_and_swapped_in_whole(tmp_path, data_dir):
    writer = EmbeddedStore(tmp_path / "s.db")
    writer.replace_dataset(read_dataset(data_dir / "chain"))
    server = _SlowReload(tmp_path / "s.db", background_reload_above=0)
    old = server.revision
    server.warm()  # every table read: the old state can keep answering
    chain_units = [u.id for u in server.units()]
    new = writer.replace_dataset(read_dataset(data_dir / "roundtrip"))
    assert server.refresh() is True
    assert server.building.wait(30)
    # While the new state builds, the old one answers, whole: units, events, its revision.
    assert server.revision == old
    assert [u.id for u in server.units()] == chain_units
    assert server.events() == list(read_dataset(data_dir / "chain").events)
    assert server.get_unit("qn") is None
    server.release.set()
    assert server.wait_reloaded(30)
    assert server.revision == new and server.get_unit("qn") is not None
    assert server.get_unit("a") is None


def test_a_locked_store_raises_store_busy_and_changes_nothing(tmp_path, data_dir):
    store = EmbeddedStore(tmp_path / "s.db", busy_timeout=0.2)
    revision = store.replace_dataset(read_dataset(data_dir / "chain"))
    other = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the file's write lock
    try:
        with pytest.raises(StoreBusy) as caught:
            store.replace_dataset(read_dataset(data_dir / "roundtrip"))
        assert caught.value.status == 503 and isinstance(caught.value, BomayError)
        assert "locked by another writer" in caught.value.detail
        with pytest.raises(StoreBusy):
            store.save_scenario(StoredScenario(id="s1", name="s", at="2018-01-01"))
        with pytest.raises(StoreBusy):
            store.record_change(ChangeNote("commit", "s1"), revision, revision)
        assert store.get_unit("a") is not None  # reads go on meanwhile (WAL)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.revision == revision and store.get_unit("qn") is None
    assert store.replace_dataset(read_dataset(data_dir / "roundtrip"))  # the lock is gone


def test_the_change_log_records_every_write_newest_first(tmp_path, data_dir):
    store = EmbeddedStore(tmp_path / "s.db")
    assert store.changes() == []
    first = store.replace_dataset(read_dataset(data_dir / "chain"),
                                  change=ChangeNote("load", "tests/data/chain", "alice"))
    second = store.replace_dataset(read_dataset(data_dir / "roundtrip"), expected_revision=first,
                                   change=ChangeNote("commit", "s-merge", "bob"))
    with pytest.raises(Conflict):  # refused: nothing recorded
        store.replace_dataset(read_dataset(data_dir / "chain"), expected_revision=first,
                              change=ChangeNote("commit", "s-late", "carol"))
    third = store.replace_dataset(read_dataset(data_dir / "chain"))
    log = EmbeddedStore(tmp_path / "s.db").changes()  # durable, read by another store
    assert [(c.action, c.what, c.who) for c in log] == [
        ("replace", "", ""), ("commit", "s-merge", "bob"), ("load", "tests/data/chain", "alice")]
    assert [(c.previous_revision, c.revision) for c in log] == [
        (second, third), (first, second), ("empty", first)]
    assert log[0].seq > log[1].seq > log[2].seq and log[0].when.endswith("+00:00")
    assert [c.seq for c in store.changes(limit=1, offset=1)] == [log[1].seq]
    extra = store.record_change(ChangeNote("commit", "noted", "dave"), third, third)
    assert store.changes()[0] == extra and extra.as_dict()["who"] == "dave"


def test_a_write_of_its_own_during_a_background_reload_is_not_overwritten(tmp_path, data_dir):
    writer = EmbeddedStore(tmp_path / "s.db")
    writer.replace_dataset(read_dataset(data_dir / "chain"))
    server = _SlowReload(tmp_path / "s.db", background_reload_above=0)
    server.warm()
    writer.replace_dataset(read_dataset(data_dir / "roundtrip"))
    assert server.refresh() and server.building.wait(30)
    own = server.replace_dataset(read_dataset(data_dir / "q_town"))  # newer than the build
    server.release.set()
    assert server.wait_reloaded(30)
    assert server.revision == own and server.get_unit("ubkt") is not None
    assert EmbeddedStore(tmp_path / "s.db").revision == own


def test_the_store_defines_every_reader_method_itself(tmp_path):
    """No forwarding through __getattr__: each protocol method is the store's own, so that
    type checkers see them and a missing one fails here, not in a request."""
    from graph.store import GraphReader, GraphStore
    assert "__getattr__" not in vars(EmbeddedStore)
    members = [name for name in dir(GraphStore) if not name.startswith("_")
               and name not in ("location",)]
    assert {"subtree", "ancestors", "stats_counts", "unit_page", "changes",
            "record_change", "pinned"} <= set(members)
    missing = [name for name in members if name not in vars(EmbeddedStore)]
    assert missing == []
    store = EmbeddedStore(tmp_path / "s.db")
    assert isinstance(store, GraphStore) and isinstance(store, GraphReader)


def test_every_thread_reading_after_a_write_sees_it(tmp_path, data_dir):
    """Threads racing to notice another store's write: the one that notices reloads, the
    others wait for it instead of answering the revision being replaced."""
    writer = EmbeddedStore(tmp_path / "s.db")
    writer.replace_dataset(read_dataset(data_dir / "chain"))
    reader = EmbeddedStore(tmp_path / "s.db")
    datasets = [read_dataset(data_dir / name) for name in ("roundtrip", "chain")]
    for round_ in range(20):
        dataset = datasets[round_ % 2]
        revision = writer.replace_dataset(dataset)
        start = threading.Barrier(8)
        seen: list[tuple[str | None, int]] = []

        def read(start: threading.Barrier = start, seen: list = seen) -> None:
            start.wait()
            units = reader.units()  # a read that starts a request
            seen.append((reader.pinned().revision, len(units)))
        threads = [threading.Thread(target=read) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert seen == [(revision, len(dataset.units))] * 8, round_


def test_a_store_opens_and_reads_while_another_process_holds_the_write_lock(tmp_path, data_dir):
    EmbeddedStore(tmp_path / "s.db").replace_dataset(read_dataset(data_dir / "chain"))
    other = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a long load in another process
    try:
        opened = EmbeddedStore(tmp_path / "s.db", busy_timeout=0.2)
        assert opened.get_unit("a") is not None and opened.changes()
    finally:
        other.execute("ROLLBACK")
        other.close()
    fresh = sqlite3.connect(tmp_path / "new.db", isolation_level=None)
    fresh.execute("PRAGMA journal_mode=WAL")
    fresh.execute("BEGIN IMMEDIATE")  # a store not created yet, locked: busy, clearly
    try:
        with pytest.raises(StoreBusy):
            EmbeddedStore(tmp_path / "new.db", busy_timeout=0.2)
    finally:
        fresh.execute("ROLLBACK")
        fresh.close()
