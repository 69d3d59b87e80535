"""The units page reads the (gen, id) index in its order on a real Neo4j server: the plan
(PROFILE, run on a synthetic province) has no Sort or Top over the generation, the index
seek stops after `offset + limit` matches, and the page is the filtered units in id order
(the embedded store's answer, `tests/graph/test_store_contract_batch.py`, is the same).

A regression guard: without the `CALL (m)` and the ORDER BY on both index properties the
planner sorts every unit of the generation for each page (449-637 ms a page at national
size, docs/performance.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders import read_dataset

pytestmark = pytest.mark.neo4j

AT = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from graph.neo4j.store import Neo4jStore
    from loaders.synth import generate
    from tests.graph.conftest import neo4j_settings
    folder = tmp_path_factory.mktemp("page")
    generate(folder / "synth", provinces=1, seed=3)
    s = Neo4jStore.from_env(neo4j_settings())
    s.wipe()
    s.replace_dataset(read_dataset(folder / "synth"))
    yield s
    s.close()


def _operators(plan) -> list[tuple[str, int | None, str]]:
    """(operator, rows, details) of every operator of a profiled plan, depth first."""
    out = [(plan["operatorType"].split("@")[0], plan.get("rows"),
            plan.get("args", {}).get("Details", ""))]
    for child in plan.get("children", []):
        out.extend(_operators(child))
    return out


def _profile(store, name: str, **params):
    from graph.neo4j.cypher import QUERIES
    with store._driver.session(database=store.database) as session:
        result = session.run("PROFILE " + QUERIES[name], **params)
        records = [r.data() for r in result]
        return records, _operators(result.consume().profile)


@pytest.mark.parametrize("name", ["unit_page", "unit_page_items"])
@pytest.mark.parametrize("at,kind", [(None, None), (AT, None), (AT, "party_cell")])
def test_the_page_reads_the_index_in_order_and_stops(store, name, at, kind):
    units = sorted(u.id for u in store.units(at, kind=kind))
    assert len(units) > 300  # a page in the middle of a real listing
    offset, limit = len(units) // 2, 50
    records, ops = _profile(store, name, at=at, kind=kind, level=None, area=None,
                            offset=offset, limit=limit)
    assert [p["id"] for p in records[0]["items"]] == units[offset:offset + limit]
    names = [op for op, _, _ in ops]
    assert not {"Sort", "Top", "PartialSort", "PartialTop"} & set(names), ops
    # a seek on gen = m.gen, or (the planner's pick when one generation holds every unit) a
    # scan of the index in its order with gen filtered: either reads in (gen, id) order
    seeks = [(rows, details) for op, rows, details in ops
             if op in ("NodeUniqueIndexSeek", "NodeIndexSeek", "NodeUniqueIndexScan",
                       "NodeIndexScan") and "Unit(gen, id)" in details]
    assert len(seeks) == 1, "\n".join(map(str, ops))
    rows = seeks[0][0]
    if at is None and kind is None:  # every unit matches: the seek reads the page and no more
        assert rows == offset + limit
    else:  # stopped once offset + limit matched, not a read of the generation to the end
        assert rows < len(list(store.units(None))), (rows, ops)


def test_a_page_past_the_end_and_an_empty_page(store):
    total = len(store.units(AT))
    page = store.unit_page(AT, offset=total + 10, limit=50)
    assert page.items == [] and page.total == total
    counted = store.unit_page(AT, limit=0)
    assert counted.items == [] and counted.total == total
