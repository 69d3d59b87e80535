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
    monkeypatch.setattr(snapshot, "TABLE_ROWS", 50)
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


def _tables(reader) -> list:
    """Every whole-table answer of a reader (what a national impact reads in bulk)."""
    return [[u.id for u in reader.units(AT)], reader.units(None, kind="province"),
            reader.units(AT, level="commune"),
            reader.all_relations(None), reader.all_relations(AT, types=("PART_OF",)),
            reader.all_relations(dt.date(2015, 1, 1), types=("SERVES", "GUIDED_BY")),
            reader.functions(None, AT), reader.functions(None), reader.headcounts(None),
            reader.posts(at=AT), reader.posts(), reader.events(), reader.people(),
            reader.documents(), reader.plans()]


def test_a_table_above_the_bound_is_read_in_pages_equal_to_the_one_query_read(
        synthetic, monkeypatch):
    import graph.neo4j.snapshot as snapshot
    _, _, neo4j = synthetic
    pinned = neo4j.pinned()
    whole = snapshot.Neo4jSnapshot(neo4j, pinned.gen, pinned.revision, neo4j.counts())
    want = _tables(whole)
    assert not any("in pages" in r for r in whole.bulk_reads)
    monkeypatch.setattr(snapshot, "BULK_ROWS", 50)
    paged = snapshot.Neo4jSnapshot(neo4j, pinned.gen, pinned.revision, neo4j.counts())
    log = install_query_log(monkeypatch)
    assert _tables(paged) == want
    counts = neo4j.counts()
    pages = [r for r in paged.bulk_reads if r.endswith("in pages of 50")]
    assert {r.split(",")[0] for r in pages} >= {
        f"every row of {t}" for t in ("relations", "functions", "headcounts", "posts",
                                      "events", "people")} | {"units(at=2026-01-01"}
    # one query a page of 50 rows (the relations: pages of ~50 relations' source units,
    # 5,000 ids a query), each page its own transaction with its revision check
    assert log.names().count("page:Post") == counts["posts"] // 50 + 1
    assert log.names().count("page:relations") >= counts["relations"] // 50
    assert paged.transactions >= counts["posts"] // 50 + counts["relations"] // 50
    assert log.names().count("snapshot:revision") == paged.transactions
    assert {params["page"] for (_, params), name in zip(log.sent, log.names())
            if name == "page:Post"} == {50}
    assert log.names().count("page:units") > len(want[0]) // 50  # units(AT), and two more


def test_a_paged_table_is_refused_above_table_rows(synthetic, monkeypatch):
    import graph.neo4j.snapshot as snapshot
    _, _, neo4j = synthetic
    pinned = neo4j.pinned()
    monkeypatch.setattr(snapshot, "BULK_ROWS", 50)
    monkeypatch.setattr(snapshot, "TABLE_ROWS", 1000)
    fresh = snapshot.Neo4jSnapshot(neo4j, pinned.gen, pinned.revision, neo4j.counts())
    assert neo4j.counts()["posts"] > 1000
    with pytest.raises(snapshot.BulkReadTooLarge, match="every row of posts .* more than "
                                                        "the 1000") as err:
        fresh.posts(at=AT)  # refused from the table's size, before reading it
    assert err.value.errors[0]["bound"] == 1000
    assert fresh.queries == 0


def test_an_impact_read_as_whole_tables_works_above_the_bound_and_equals_the_embedded(
        synthetic, monkeypatch):
    import graph.neo4j.snapshot as snapshot
    import graph.scenarios.impact as impact_module
    dataset, embedded, neo4j = synthetic
    op = _consolidation(embedded)
    # a two-province plan read as whole tables, as a national one is (`DayTables`)
    monkeypatch.setattr(impact_module, "BULK_ROOTS", 1)
    want = _scenario(embedded, [op], AT)
    # a bound below every table: one query per table was refused (BulkReadTooLarge, 422)
    monkeypatch.setattr(snapshot, "BULK_ROWS", 200)
    neo4j.replace_dataset(dataset)  # a new revision: a new snapshot
    log = install_query_log(monkeypatch)
    assert _scenario(neo4j, [op], AT) == want
    snap = neo4j.pinned()
    assert any(r.startswith("every row of relations, in pages") for r in snap.bulk_reads)
    assert any(r.startswith("every row of headcounts, in pages") for r in snap.bulk_reads)
    assert "page:Post" in log.names()


def test_a_big_snapshot_is_handed_out_again_only_while_it_is_held(synthetic, monkeypatch):
    """Above `REUSE_UNITS` units the cache lets a snapshot go, but while a scenario holds
    it `pinned()` still hands it out (a national impact's `before.pinned()` is then the
    state's own base, not a second snapshot read again from nothing)."""
    import gc

    import graph.neo4j.snapshot as snapshot
    dataset, _, neo4j = synthetic
    monkeypatch.setattr(snapshot, "REUSE_UNITS", 10)
    neo4j.replace_dataset(dataset)  # a new revision: a new, empty snapshot
    snap = neo4j.pinned()
    root = sorted(u.id for u in dataset.units if u.kind == "province")[0]
    snap.children(root, AT)
    assert snap.size() > 10
    assert neo4j.pinned() is snap and neo4j.pinned() is snap  # held here: the same one
    revision = snap.revision
    del snap
    gc.collect()
    fresh = neo4j.pinned()  # no one holds the big one any more: a new snapshot
    assert fresh.revision == revision and fresh.size() == 0
