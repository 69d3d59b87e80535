"""The contract of the answer-sized capabilities (`parents`, `headcounts_at`, `units_under`,
`sourced_subtree`, `events_touching`, `unit_view`; the children listing read from the
sourced subtree) on every backend: each answers exactly
what its default over the primitives answers (`graph.store_defaults`, and
`graph.queries.structure.sourced_tree` over `subtree`), on the contract fixtures and the
bundled dataset, over a grid of dates, units and depths. On Neo4j they are one query each
(tests/graph/neo4j/test_answer_queries.py counts them); here they must agree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph import store_defaults as walk
from graph.queries import history, structure
from loaders import read_dataset

DATA = Path(__file__).parent.parent / "data"
REPO = Path(__file__).parent.parent.parent
DATES = [None, dt.date(1999, 1, 1), dt.date(2015, 1, 1), dt.date(2018, 6, 30),
         dt.date(2018, 7, 1), dt.date(2018, 8, 7), dt.date(2020, 1, 1), dt.date(2020, 2, 11),
         dt.date(2030, 1, 1)]


class _Primitives:
    """The store seen through its primitives alone: every capability is its default."""

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    def unit_view(self, unit_id, at):
        return self

    def parents(self, unit_ids, at):
        return walk.parents(self, unit_ids, at)

    def headcounts_at(self, unit_ids, at):
        return walk.headcounts_at(self, unit_ids, at)

    def events_touching(self, unit_ids, date_from, date_to):
        return walk.events_touching(self, unit_ids, date_from, date_to)


@pytest.mark.parametrize("name", ["chain", "c_contract", "seed"])
def test_the_batch_capabilities_agree_with_their_defaults(store_backend, name):
    folder = REPO / "data" / "seed" if name == "seed" else DATA / name
    dataset = read_dataset(folder)
    store_backend.open().replace_dataset(dataset)
    store = store_backend.open()
    ids = [u.id for u in dataset.units] + ["nope"]
    for at in DATES:
        assert store.parents(ids, at) == walk.parents(store, ids, at), at
        assert list(store.parents(ids[::-1] + ids, at)) == list(dict.fromkeys(ids[::-1])), at
        assert store.headcounts_at(ids, at) == walk.headcounts_at(store, ids, at), at
        for roots in (ids[:1], ids[:3], ids, ["nope"], []):
            for depth in (None, 0, 1, 2, 9):
                for cap in (0, 2, 10_000):
                    got = store.units_under(roots, at, depth, cap)
                    want = walk.units_under(store, roots, at, depth, cap)
                    assert min(got, cap + 1) == min(want, cap + 1), (roots, at, depth, cap)
                    assert (got > cap) == (want > cap), (roots, at, depth, cap)
        later = dt.date(2030, 1, 1)
        assert store.events_touching(ids[:4], at, later) == \
            walk.events_touching(store, ids[:4], at, later), at
        for uid in ids:
            unit = store.get_unit(uid)
            if unit is None or (at is not None and not unit.valid_at(at)):
                continue
            for depth in (None, 0, 1, 2):
                assert store.sourced_subtree(uid, at, depth) == \
                    walk.sourced_subtree(store, uid, at, depth), (uid, at, depth)


@pytest.mark.parametrize("name", ["chain", "c_contract", "seed"])
def test_a_unit_view_answers_as_the_store(store_backend, name):
    folder = REPO / "data" / "seed" if name == "seed" else DATA / name
    dataset = read_dataset(folder)
    store_backend.open().replace_dataset(dataset)
    store = store_backend.open()
    plain = _Primitives(store)
    for unit in dataset.units:
        for at in DATES:
            if at is not None and not unit.valid_at(at):
                continue
            assert structure.unit_detail(store, unit.id, at) == \
                structure.unit_detail(plain, unit.id, at), (unit.id, at)
            assert structure.children(store, unit.id, at) == \
                structure.children_one_by_one(plain, unit.id, at)
        assert history.history(store, unit.id) == history.history(plain, unit.id), unit.id
    for root in [u.id for u in dataset.units][:6] + [None]:
        if root is not None and not store.get_unit(root):
            continue
        for start, end in ((dt.date(2015, 1, 1), dt.date(2020, 2, 11)),
                           (dt.date(2018, 6, 30), dt.date(2018, 7, 1))):
            unit = store.get_unit(root) if root else None
            if unit is not None and not (unit.valid_at(start) or unit.valid_at(end)):
                continue
            assert history.diff(store, start, end, root) == \
                history.diff(plain, start, end, root), (root, start, end)
