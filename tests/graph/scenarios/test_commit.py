"""Commit: a scenario written into the baseline as dated events, atomically; definitions
and commits survive a restart."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from graph.embedded.store import EmbeddedStore
from graph.errors import Conflict
from graph.scenarios.commit import commit, validated_dataset
from graph.scenarios.files import new_definition, state_of
from graph.scenarios.operations import parse_operations

AT = dt.date(2018, 1, 1)
PLAN = [{"op": "consolidate", "units": ["btc", "pnv"], "parent": "tu", "serves": ["ubnd"],
         "basis": ["doc-18"], "new": {"id": "tcnv", "name": "Ban Tổ chức - Nội vụ"}},
        {"op": "transfer_function", "function": "training", "from": "ttbdct", "to": "btg",
         "headcount": 2}]


def define(store, plan=PLAN, name="Plan A"):
    scenario = new_definition(name, "2018-01-01", "", store.revision, parse_operations(plan))
    store.save_scenario(scenario)
    return scenario


def test_commit_writes_units_relations_functions_headcount_and_events(city_store, tmp_path):
    scenario = define(city_store)
    old_revision = city_store.revision
    result = commit(city_store, scenario)
    assert result["previous_revision"] == old_revision != result["revision"] == city_store.revision
    events = [(e["type"], tuple(e["inputs"]), tuple(e["outputs"])) for e in result["events"]]
    assert events == [("CONSOLIDATE", ("btc", "pnv"), ("tcnv",)),
                      ("TRANSFER_FUNCTION", ("ttbdct",), ("btg",))]
    # the baseline now reads like the scenario did
    assert city_store.parent("tcnv", AT) == "tu"
    assert city_store.get_unit("btc").valid_to is not None
    assert {f.function for f in city_store.functions("btg", AT)} >= {"training"}
    assert [e.id for e in city_store.events(unit_id="tcnv")] == [result["events"][0]["id"]]
    assert city_store.events(unit_id="btc")[0].basis == ("doc-18",)
    # the definition records the commit
    stored = city_store.get_scenario(scenario.id)
    assert stored.committed and stored.extra["committed_revision"] == result["revision"]
    assert stored.extra["events"] == [e["id"] for e in result["events"]]
    # and everything survives a restart
    path = city_store.path
    city_store.close()
    reopened = EmbeddedStore(path)
    try:
        assert reopened.revision == result["revision"]
        assert reopened.get_scenario(scenario.id).committed == stored.committed
        assert reopened.parent("tcnv", AT) == "tu"
        from graph.queries.lineage import lineage
        lineage = lineage(reopened, "tcnv")
        assert {p["unit"]["id"] for p in lineage["predecessors"]} == {"btc", "pnv"}
    finally:
        reopened.close()


def test_commit_is_refused_once_committed_or_empty(city_store):
    scenario = define(city_store)
    commit(city_store, scenario)
    with pytest.raises(Conflict, match="already committed"):
        commit(city_store, city_store.get_scenario(scenario.id))
    with pytest.raises(Conflict, match="no operations"):
        commit(city_store, define(city_store, plan=[], name="empty"))


def test_commit_re_applies_to_the_current_baseline(city_store):
    a = define(city_store, [{"op": "merge", "into": "ubkt", "units": ["tt"]}], "A")
    b = define(city_store, [{"op": "move", "unit": "cb3", "parent": "tu"}], "B")
    c = define(city_store, [{"op": "dissolve", "unit": "tt", "functions_to": "ubkt"}], "C")
    revision = city_store.revision
    commit(city_store, a)
    # B does not touch what A changed: it commits over the new baseline
    commit(city_store, b)
    assert city_store.parent("cb3", AT) == "tu" and city_store.get_unit("tt").valid_to
    # C dissolves a unit A already ended: refused, saying why, and nothing changes
    before = city_store.revision
    with pytest.raises(Conflict) as info:
        commit(city_store, c)
    assert f"the baseline changed since scenario {c.id} was made (revision {revision}" in \
        info.value.detail
    assert "operation 1 (dissolve): unit tt does not exist on 2018-01-01" in info.value.detail
    assert city_store.revision == before and not city_store.get_scenario(c.id).committed


def test_commit_is_atomic_against_a_concurrent_write(city_store, monkeypatch):
    scenario = define(city_store)
    real = city_store.replace_dataset

    def meanwhile(dataset, *, expected_revision=None, **kwargs):
        # another writer replaces the baseline between the check and the write
        real(city_store.dataset())
        return real(dataset, expected_revision=expected_revision, **kwargs)

    monkeypatch.setattr(city_store, "replace_dataset", meanwhile)
    with pytest.raises(Conflict, match="the baseline changed since revision"):
        commit(city_store, scenario)
    assert city_store.get_unit("tcnv") is None
    assert not city_store.get_scenario(scenario.id).committed


def test_a_broken_dataset_is_never_written(city_store):
    scenario = define(city_store, [{"op": "move", "unit": "cb3", "parent": "tu"}])
    state = state_of(city_store, scenario)
    # break the state behind apply's back: a relation to a unit that does not exist
    from graph.model import Relation
    state = state.draft()
    state.replace_relation(None, Relation(source_id="cb3", type="SERVES", target_id="ghost"))
    with pytest.raises(Conflict) as info:
        validated_dataset(state)
    assert "would break the data contract" in info.value.detail
    assert info.value.errors[0]["file"] == "relations.csv"


def test_definitions_round_trip_through_the_store(city_store):
    scenario = define(city_store)
    got = city_store.get_scenario(scenario.id)
    assert got == scenario
    assert state_of(city_store, got).operations == parse_operations(PLAN)
    assert [s.id for s in city_store.list_scenarios()] == [scenario.id]
    assert city_store.delete_scenario(scenario.id) and city_store.get_scenario(scenario.id) is None
    assert dataclasses.replace(scenario).operations == scenario.operations


def test_the_commit_function_is_the_service_s_commit(city_store):
    """One commit path: commit() claims, checks the version and logs who committed."""
    scenario = define(city_store)
    result = commit(city_store, scenario, who="planner-a")
    stored = city_store.get_scenario(scenario.id)
    assert stored.extra["committed_by"] == "planner-a" and "report" in stored.extra
    assert result["scenario"].committed == stored.committed
    change = city_store.changes()[0]
    assert (change.action, change.who) == ("commit", "planner-a")
    with pytest.raises(Conflict, match="already committed"):
        commit(city_store, scenario.id)
