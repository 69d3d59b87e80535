"""The Neo4j snapshot (`Neo4jStore.pinned()`, graph/neo4j/snapshot.py) on a real server:
it answers every GraphReader question exactly as the store does, a scenario computed on it
(apply, impact, diff) equals the embedded store's for the same data, in a bounded number of
queries, and it never answers from a revision the store has left."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pytest

from graph.embedded.store import EmbeddedStore
from graph.errors import StoreError
from graph.scenarios.apply import apply
from graph.scenarios.diff import diff
from graph.scenarios.impact import impact
from graph.scenarios.plans import dataset_plans
from loaders import read_dataset
from tests.graph.conftest import install_query_log, neo4j_settings

REPO = Path(__file__).parent.parent.parent.parent
AT = dt.date(2026, 1, 1)

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """Three synthetic provinces (two after the reform) in an embedded store and on Neo4j."""
    from graph.neo4j.store import Neo4jStore
    from loaders.synth import generate
    folder = tmp_path_factory.mktemp("snapshot")
    generate(folder / "synth", provinces=3, seed=5)
    dataset = read_dataset(folder / "synth")
    embedded = EmbeddedStore(folder / "synth.db")
    embedded.replace_dataset(dataset)
    neo4j = Neo4jStore.from_env(neo4j_settings())
    neo4j.wipe()
    neo4j.replace_dataset(dataset)
    yield dataset, embedded, neo4j
    embedded.close()
    neo4j.close()


def _consolidation(store) -> dict:
    provinces = sorted(u.id for u in store.units(AT, kind="province") if u.valid_to is None)
    assert len(provinces) >= 2
    return {"op": "consolidate", "units": provinces[:2], "date": AT.isoformat(),
            "new": {"id": "snap-new", "name": "Tỉnh hợp nhất", "name_en": "Merged province"}}


def _scenario(store, operations, at) -> bytes:
    state, _ = apply(store, operations, at=at)
    report = impact(store, state)
    changes = diff(store, state)
    return orjson.dumps({"impact": report.to_dict(), "diff": changes.to_dict(),
                         "changes": state.changes(),
                         "units": sorted(u.id for u in state.units(state.effective_at))},
                        option=orjson.OPT_SORT_KEYS, default=str)


def test_a_two_province_consolidation_equals_the_embedded_stores_in_few_queries(
        synthetic, monkeypatch):
    _, embedded, neo4j = synthetic
    op = _consolidation(embedded)
    want = _scenario(embedded, [op], AT)
    log = install_query_log(monkeypatch)
    got = _scenario(neo4j, [op], AT)
    assert got == want
    # one round trip per unit was ~36,000 queries at 6 provinces (~6,000 here); a snapshot
    # loads a neighbourhood per query: the walks of two provinces and their facts
    assert len(log.sent) <= 120, sorted(set(log.names()))
    again = install_query_log(monkeypatch)
    assert _scenario(neo4j, [op], AT) == want  # the same revision: the cached snapshot
    assert len(again.sent) <= 10, again.names()


def test_the_bundled_plans_give_the_same_impact_and_diff_on_both_backends(tmp_path):
    from graph.neo4j.store import Neo4jStore
    dataset = read_dataset(REPO / "data" / "seed")
    embedded = EmbeddedStore(tmp_path / "seed.db")
    neo4j = Neo4jStore.from_env(neo4j_settings())
    try:
        neo4j.wipe()
        embedded.replace_dataset(dataset)
        neo4j.replace_dataset(dataset)
        plans = dataset_plans(embedded)
        assert plans, "data/seed has plans"
        for plan in plans:
            ops = list(plan.operations)
            assert _scenario(neo4j, ops, plan.at) == _scenario(embedded, ops, plan.at), plan.id
    finally:
        embedded.close()
        neo4j.close()


def _answers(reader, unit_ids, people, dates) -> list:
    """Every GraphReader primitive and capability over a sample of units and dates."""
    out: list = []
    for at in dates:
        out.append(("units", [u.id for u in reader.units(at)]))
        out.append(("provinces", reader.units(at, kind="province")))
        out.append(("all_relations", reader.all_relations(at, types=("SERVES",))))
        for uid in unit_ids:
            out += [(uid, at, reader.parent(uid, at), reader.children(uid, at),
                     reader.relations(uid, at, direction="both"),
                     reader.relations(uid, at, types=("PART_OF",), direction="in"),
                     reader.functions(uid, at), reader.posts(unit_id=uid, at=at),
                     reader.headcount(uid, at), reader.ancestors(uid, at),
                     reader.scope(uid, at)[:50])]
        out += [(pid, at, reader.posts(person_id=pid, at=at)) for pid in people]
    for uid in unit_ids:
        out += [(uid, reader.get_unit(uid), reader.headcounts(uid), reader.parent(uid, None),
                 reader.relations(uid, None, direction="both"), reader.unit_names(uid),
                 reader.events(unit_id=uid), reader.events(unit_id=uid, date_from=AT),
                 reader.functions(uid, None), reader.posts(unit_id=uid))]
    out.append(("people", [p.id for p in reader.people()][:100]))
    out.append(("documents", reader.documents()))
    out.append(("units_of", reader.get_units(unit_ids + ["no-such-unit"])))
    out.append(("missing", reader.get_unit("no-such-unit"), reader.children("no-such-unit", AT),
                reader.functions("no-such-unit"), reader.get_event("no-such-event")))
    return out


def test_the_snapshot_answers_every_question_as_the_store_does(synthetic):
    dataset, _, neo4j = synthetic
    units = sorted(dataset.units, key=lambda u: u.id)
    sample = [u.id for u in units[::max(1, len(units) // 40)]]
    people = sorted({p.person_id for p in dataset.posts})[::200]
    dates = [dt.date(2015, 1, 1), dt.date(2024, 6, 1), AT, None]
    snap = neo4j.pinned()
    assert type(snap).__name__ == "Neo4jSnapshot" and snap.revision == neo4j.revision
    assert _answers(snap, sample, people, dates) == _answers(neo4j, sample, people, dates)
    assert neo4j.pinned() is snap  # the revision holds: the same snapshot, its cache kept


def test_a_snapshot_refuses_to_answer_once_the_store_changed(synthetic):
    import graph.neo4j.snapshot as snapshot
    dataset, _, neo4j = synthetic
    pinned = neo4j.pinned()
    snap = snapshot.Neo4jSnapshot(neo4j, pinned.gen, pinned.revision, neo4j.counts())
    root = sorted(u.id for u in dataset.units if u.kind == "province")[0]
    kids = snap.children(root, AT)  # loaded: answered from the cache whatever happens next
    other = sorted(dataset.units, key=lambda u: u.id)[-1].id
    neo4j.replace_dataset(dataset)  # a new revision (the same data, a new generation)
    assert snap.children(root, AT) == kids
    with pytest.raises(StoreError, match="changed .* while a reader of revision"):
        snap.functions(other)  # not loaded yet: refused, never read from another revision
    fresh = neo4j.pinned()
    assert fresh is not pinned and fresh.revision == neo4j.revision != pinned.revision
    assert fresh.children(root, AT) == neo4j.children(root, AT)


def test_whole_generation_reads_are_explicit_and_bounded(synthetic, monkeypatch):
    import graph.neo4j.snapshot as snapshot
    dataset, _, neo4j = synthetic
    snap = neo4j.pinned()
    provinces = snap.units(AT, kind="province")
    assert provinces and any("kind=province" in r for r in snap.bulk_reads)
    monkeypatch.setattr(snapshot, "BULK_ROWS", 50)
    fresh = snapshot.Neo4jSnapshot(neo4j, snap.gen, snap.revision, neo4j.counts())
    with pytest.raises(snapshot.BulkReadTooLarge, match=r"units\(at=2026-01-01.* more than "
                                                        r"the 50 .* name the units") as err:
        fresh.units(AT)
    assert err.value.status == 422 and err.value.errors[0]["bound"] == 50
    with pytest.raises(snapshot.BulkReadTooLarge, match="every row of posts"):
        fresh.posts(at=AT)  # refused from the table's size, before reading it
    assert len(fresh.units(AT, kind="province")) == len(provinces)  # a bounded selector


def test_prefetch_loads_the_named_units_in_one_transaction(synthetic, monkeypatch):
    import graph.neo4j.snapshot as snapshot
    dataset, _, neo4j = synthetic
    snap = neo4j.pinned()
    fresh = snapshot.Neo4jSnapshot(neo4j, snap.gen, snap.revision, neo4j.counts())
    ids = [u.id for u in sorted(dataset.units, key=lambda u: u.id)[:300]]
    log = install_query_log(monkeypatch)
    fresh.prefetch(ids)
    assert fresh.transactions == 1 and len(log.sent) <= 9, log.names()
    sent = len(log.sent)
    answers = [(fresh.functions(u, AT), fresh.headcounts(u), fresh.posts(unit_id=u),
                fresh.relations(u, None, direction="both"), fresh.events(unit_id=u))
               for u in ids]
    assert len(log.sent) == sent  # every answer from the prefetched facts
    assert answers == [(neo4j.functions(u, AT), neo4j.headcounts(u), neo4j.posts(unit_id=u),
                        neo4j.relations(u, None, direction="both"), neo4j.events(unit_id=u))
                       for u in ids]
