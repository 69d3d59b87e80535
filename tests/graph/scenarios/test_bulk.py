"""The whole-table readings of a national plan answer what the unit-by-unit readings answer.

`graph.scenarios.tables.DayTables` reads a state on one date as whole tables (one pass over
the reader's bulk answers); the impact report uses it for a large region (`BULK_ROOTS`).
Checked here against the per-unit reader methods, unit by unit, and as whole reports
(bulk forced on, then off), on the reform plan of bench/reform.py over a real store file
(two synthetic datasets) and on random plans over data with history."""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from pathlib import Path

import pytest

from bench.reform import before, write_plan
from graph.embedded.store import EmbeddedStore
from graph.dates import PartialDate
from graph.model import LEADERSHIP_ROLES, Function, Headcount, Post, Relation, Unit
from graph.queries.structure import headcount_at
import graph.scenarios.impact  # noqa: F401  (the module, whose settings the tests change)
from graph.scenarios import apply, new_state
from graph.scenarios.files import read_plan
from graph.scenarios.impact import impact
from graph.scenarios.tables import DayTables
from graph.scenarios.territory import replace_record
from loaders import read_dataset
from loaders.synth import generate
from tests.graph.scenarios.test_random_plans import random_plan

impact_module = sys.modules["graph.scenarios.impact"]


@pytest.fixture(scope="module", params=[(2, 1), (3, 7)], ids=["2-provinces-seed1",
                                                              "3-provinces-seed7"])
def reform(request, tmp_path_factory):
    """(store, state): the reform plan applied over a store file holding the pre-reform data."""
    provinces, seed = request.param
    folder = tmp_path_factory.mktemp(f"synth{provinces}-{seed}")
    generate(folder, provinces=provinces, seed=seed)
    dataset = read_dataset(folder)
    store = EmbeddedStore(folder / "base.db")
    store.replace_dataset(before(dataset))
    with tempfile.TemporaryDirectory() as tmp:
        plan = read_plan(write_plan(dataset, Path(tmp)))
    state, _ = apply(new_state(store, plan.at), plan.operations)
    yield store, state
    store.close()


def per_unit_equals_tables(reader, at, unit_ids) -> int:
    """Assert DayTables' answer equals the reader's for every unit; the units checked."""
    t = DayTables(reader, at)
    n = 0
    for uid in unit_ids:
        assert t.parent(uid) == reader.parent(uid, at), uid
        assert t.parents(uid) == {r.target_id for r in
                                  reader.relations(uid, at, types=("PART_OF",))}, uid
        assert t.children(uid) == reader.children(uid, at), uid
        h = headcount_at(reader, uid, at)
        assert t.headcount(uid) == (h.headcount if h else None), uid
        assert t.leaders(uid) == [(p.person_id, p.role)
                                  for p in reader.posts(unit_id=uid, at=at)
                                  if p.role in LEADERSHIP_ROLES], uid
        assert t.functions(uid) == {f.function for f in reader.functions(uid, at)}, uid
        n += 1
    return n


def reports(base, state, monkeypatch) -> tuple[dict, dict, int]:
    """The impact report read unit by unit and as whole tables; how many tables were made."""
    made = []
    real = impact_module.DayTables

    def counting(*args):
        made.append(args)
        return real(*args)
    monkeypatch.setattr(impact_module, "DayTables", counting)
    monkeypatch.setattr(impact_module, "BULK_ROOTS", 10 ** 9)
    one_by_one = impact(base, state).to_dict()
    assert made == []
    monkeypatch.setattr(impact_module, "BULK_ROOTS", 0)
    bulk = impact(base, state).to_dict()
    return one_by_one, bulk, len(made)


def test_tables_answer_as_the_reader_does_unit_by_unit(reform):
    store, state = reform
    at = state.effective_at
    ids = sorted({u.id for u in state.dataset().units})
    assert per_unit_equals_tables(state, at, ids) == len(ids) > 1000
    assert per_unit_equals_tables(state.base, at, ids) == len(ids)
    # the reform changed the structure the tables read
    t_before, t_after = DayTables(state.base, at), DayTables(state, at)
    assert sum(t_before.parent(i) != t_after.parent(i) for i in ids) > 100


def test_the_reform_report_is_the_same_read_either_way(reform, monkeypatch):
    store, state = reform
    one_by_one, bulk, made = reports(store, state, monkeypatch)
    assert made == 2  # both sides were read as tables
    assert bulk == one_by_one
    assert one_by_one["bodies"]["merged"] > 0 and one_by_one["units"]["change"] < 0


@pytest.mark.parametrize("seed", range(12))
def test_random_plans_report_the_same_either_way(seed, monkeypatch):
    """Data with history (units that end, links that start later), what-ifs dated before
    recorded changes: the tables still answer as the reader does."""
    from graph.embedded.memory import MemoryGraph
    folder = Path(__file__).resolve().parents[3] / "data" / "seed"
    base = MemoryGraph(read_dataset(folder))
    state, applied = random_plan(base, 500 + seed, 25, f"b{seed}")
    assert applied
    one_by_one, bulk, made = reports(base, state, monkeypatch)
    assert made == 2
    assert bulk == one_by_one
    ids = sorted({u.id for u in state.dataset().units})
    for at in {state.at, state.effective_at}:
        per_unit_equals_tables(state, at, ids)


@pytest.mark.parametrize("record", [
    Unit(id="u", name="Ủy ban", kind="government", level="commune", area="a"),
    Relation(source_id="a", type="PART_OF", target_id="b", note="n", source="s"),
    Function(unit_id="u", function="office_admin"),
    Post(person_id="p", unit_id="u", role="chair"),
])
def test_replace_record_is_dataclasses_replace(record):
    names = [f.name for f in dataclasses.fields(record)]
    for i, name in enumerate(names):
        value = getattr(record, name)
        other = "changed" if isinstance(value, str) else value
        changes = {name: other, names[-1 - i]: getattr(record, names[-1 - i])}
        made, expected = replace_record(record, **changes), dataclasses.replace(record, **changes)
        # made through the fields' slots (not the class's `__init__`): the same record
        assert made == expected and repr(made) == repr(expected)
        assert hash(made) == hash(expected) and type(made) is type(expected)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(made, name, other)
    assert replace_record(record) == record
    with pytest.raises(TypeError):
        replace_record(record, no_such_field=1)


def test_replace_record_of_a_headcount():
    h = Headcount(unit_id="u", date=PartialDate.parse("2020-01"), headcount=3)
    assert replace_record(h, headcount=4) == dataclasses.replace(h, headcount=4)


@pytest.mark.neo4j
def test_tables_over_a_neo4j_base(neo4j_backend, monkeypatch):
    """Over the Neo4j store's snapshot (whole-generation reads), the tables still answer as
    the per-unit reads do, and the report is the same either way."""
    folder = Path(__file__).resolve().parents[3] / "data" / "seed"
    store = neo4j_backend.open()
    store.replace_dataset(read_dataset(folder))
    state, applied = random_plan(store, 501, 25, "neo")
    assert applied
    ids = sorted({u.id for u in state.dataset().units})
    for at in {state.at, state.effective_at}:
        assert per_unit_equals_tables(state, at, ids) == len(ids)
        per_unit_equals_tables(state.base, at, ids)
    one_by_one, bulk, made = reports(store, state, monkeypatch)
    assert made == 2 and bulk == one_by_one
