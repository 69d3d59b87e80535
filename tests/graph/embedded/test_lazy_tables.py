"""Tables read on first use: nothing read early, nothing lost or mixed up later."""

from __future__ import annotations

import pickle

import pytest

from graph.embedded.store import EmbeddedStore
from graph.errors import StoreError
from graph.embedded.lazy_tables import DEFERRED_TABLES, LazyDataset
from graph.model import Dataset
from loaders import read_dataset


@pytest.fixture
def seed_path(tmp_path, data_dir):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(data_dir / "roundtrip"))
    store.close()
    return tmp_path / "s.db"


def test_a_reopened_store_reads_the_deferred_tables_on_first_use(seed_path, data_dir):
    expected = read_dataset(data_dir / "roundtrip")
    store = EmbeddedStore(seed_path)
    dataset = store.dataset()
    assert isinstance(dataset, LazyDataset)
    assert set(dataset.pending()) == set(DEFERRED_TABLES)
    assert store.get_unit(expected.units[0].id) == expected.units[0]
    assert dataset.counts() == expected.counts()  # from the snapshot, nothing read
    assert set(dataset.pending()) == set(DEFERRED_TABLES)
    unit_with_posts = expected.posts[0].unit_id
    assert store.posts(unit_id=unit_with_posts) == [p for p in expected.posts
                                                    if p.unit_id == unit_with_posts]
    assert "posts" not in dataset.pending() and "functions" in dataset.pending()
    assert dataset == expected and expected == dataset and hash(dataset) == hash(expected)
    assert dataset.pending() == ()
    store.close()


def test_warm_reads_every_table_and_builds_every_index(seed_path):
    store = EmbeddedStore(seed_path)
    store.warm()
    assert store.dataset().pending() == ()
    store.close()


def test_a_lazy_dataset_pickles_as_a_plain_dataset(seed_path, data_dir):
    store = EmbeddedStore(seed_path)
    copy = pickle.loads(pickle.dumps(store.dataset()))
    assert type(copy) is Dataset and copy == read_dataset(data_dir / "roundtrip")
    store.close()


def test_a_replace_keeps_the_previous_baseline_whole_for_its_holders(seed_path, data_dir):
    store = EmbeddedStore(seed_path)
    old = store.dataset()
    assert old.pending()
    store.replace_dataset(read_dataset(data_dir / "chain"))
    # read before the write, so they are the old baseline's tables, not the new one's
    assert old.pending() == () and old == read_dataset(data_dir / "roundtrip")
    assert store.dataset() == read_dataset(data_dir / "chain")
    store.close()


def test_a_deferred_read_after_another_process_replaced_the_store_is_refused(seed_path, data_dir):
    store = EmbeddedStore(seed_path)
    dataset = store.dataset()
    other = EmbeddedStore(seed_path)  # stands for another process: its own connection
    other.replace_dataset(read_dataset(data_dir / "chain"))
    other.close()
    with pytest.raises(StoreError, match="replaced by another process"):
        dataset.events  # noqa: B018 - the access is the read
    store.close()


def test_reading_a_table_of_a_lazy_dataset_happens_once(seed_path):
    calls: list[str] = []

    def reader(name):
        def read():
            calls.append(name)
            return ()
        return read
    dataset = LazyDataset({"units": (), "relations": ()},
                          {name: reader(name) for name in DEFERRED_TABLES},
                          {name: 0 for name in DEFERRED_TABLES})
    assert dataset.events == () and dataset.events == ()
    assert calls == ["events"]
    assert dataset.counts() == dict.fromkeys(dataset.counts(), 0)
    assert calls == ["events"]
