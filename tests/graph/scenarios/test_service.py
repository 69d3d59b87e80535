"""The scenario service: cached states, version-checked writes (two store objects on one
SQLite file stand for two `bomay serve` processes), delete against commit, a committed
scenario still readable, and the bounds."""

from __future__ import annotations

import threading

import pytest

from graph.embedded.store import EmbeddedStore
from graph.errors import Conflict, InvalidParameter, NotFound
from graph.scenarios.apply import OperationConflict
from graph.scenarios.impact import Assumptions, ImpactReport
from graph.scenarios.service import ScenarioLimits, ScenarioService

CONSOLIDATE = {"op": "consolidate", "units": ["btc", "pnv"], "parent": "tu", "serves": ["ubnd"],
               "new": {"id": "tcnv", "name": "Ban Tổ chức - Nội vụ"}}
MERGE = {"op": "merge", "into": "ubkt", "units": ["tt"]}
MOVE = {"op": "move", "unit": "cb3", "parent": "tu"}


@pytest.fixture
def two(city_store):
    """A second store object on the same file: what another process sees."""
    other = EmbeddedStore(city_store.path)
    yield ScenarioService(city_store), ScenarioService(other)
    other.close()


def test_states_are_cached_by_version_and_revision(city_store):
    service = ScenarioService(city_store)
    scenario, view = service.create("A", "2018-01-01", operations=[CONSOLIDATE])
    assert view.valid and view.log[0]["index"] == 1
    state = service.state(service.get(scenario.id))
    assert service.state(service.get(scenario.id)) is state
    # another service over the same store object shares the cache
    assert ScenarioService(city_store).state(service.get(scenario.id)) is state
    updated, new_state, log = service.add_operations(scenario.id, [MERGE])
    assert updated.version == scenario.version + 1 and log[0].index == 2
    assert service.state(service.get(scenario.id)) is new_state is not state


def test_an_edit_made_over_a_stale_version_is_refused_not_lost(two, monkeypatch):
    here, there = two
    scenario, _ = here.create("A", "2018-01-01")
    real_get = here.store.get_scenario
    seen = real_get(scenario.id)
    # here reads the scenario, then the other process adds an operation before here saves
    monkeypatch.setattr(here.store, "get_scenario", lambda sid: seen)
    there.add_operations(scenario.id, [MERGE])
    with pytest.raises(Conflict, match="changed meanwhile"):
        here.add_operations(scenario.id, [MOVE])
    monkeypatch.setattr(here.store, "get_scenario", real_get)
    stored = there.get(scenario.id)
    assert [o["op"] for o in stored.operations] == ["merge"] and stored.version == 2
    # once reloaded, the edit goes through and both operations are kept
    here.add_operations(scenario.id, [MOVE])
    assert [o["op"] for o in there.get(scenario.id).operations] == ["merge", "move"]


def test_concurrent_edits_in_threads_each_stored_or_refused(two):
    here, there = two
    scenario, _ = here.create("A", "2018-01-01")
    moves = [{"op": "move", "unit": u, "parent": "tu"} for u in ("cb1", "cb2", "cb3")] * 4
    stored, refused = [], []

    def edit(service, op):
        try:
            service.add_operations(scenario.id, [op])
            stored.append(op)
        except Conflict:
            refused.append(op)

    threads = [threading.Thread(target=edit, args=(here if i % 2 else there, op))
               for i, op in enumerate(moves)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(stored) + len(refused) == len(moves)
    # every edit answered as stored is in the definition: none was lost
    assert len(here.get(scenario.id).operations) == len(stored)


def _paused_commit(service, scenario_id, started, release, result):
    real = service.store.replace_dataset

    def slow(dataset, **kw):
        started.set()
        assert release.wait(10)
        return real(dataset, **kw)

    service.store.replace_dataset = slow
    try:
        result.append(service.commit(scenario_id))
    except Conflict as exc:
        result.append(exc)
    finally:
        del service.store.replace_dataset


def test_delete_during_a_commit_is_refused_and_the_commit_wins(two):
    here, there = two
    scenario, _ = here.create("A", "2018-01-01", operations=[CONSOLIDATE])
    started, release, result = threading.Event(), threading.Event(), []
    t = threading.Thread(target=_paused_commit, args=(here, scenario.id, started, release, result))
    t.start()
    assert started.wait(10)
    with pytest.raises(Conflict, match="being committed"):
        there.delete(scenario.id)
    with pytest.raises(Conflict, match="being committed"):
        there.add_operations(scenario.id, [MERGE])
    release.set()
    t.join()
    assert not isinstance(result[0], Exception), result
    stored = there.get(scenario.id)
    assert stored.committed and stored.extra["committed_revision"] == result[0].revision
    assert "committing" not in stored.extra
    with pytest.raises(Conflict, match="cannot be deleted"):
        there.delete(scenario.id)


def test_a_commit_over_a_deleted_scenario_writes_nothing(two, monkeypatch):
    here, there = two
    scenario, _ = here.create("A", "2018-01-01", operations=[CONSOLIDATE])
    revision = here.store.revision
    seen = here.store.get_scenario(scenario.id)
    there.delete(scenario.id)  # the delete wins: the commit read the scenario before it
    monkeypatch.setattr(here.store, "get_scenario", lambda sid: seen)
    with pytest.raises(Conflict, match="was deleted"):
        here.commit(scenario.id)
    monkeypatch.undo()
    assert here.store.revision == revision and here.store.get_unit("tcnv") is None
    with pytest.raises(NotFound):
        here.get(scenario.id)


def test_a_failed_commit_releases_its_claim(city_store):
    service = ScenarioService(city_store)
    a, _ = service.create("A", "2018-01-01", operations=[MERGE])
    b, _ = service.create("B", "2018-01-01", operations=[
        {"op": "dissolve", "unit": "tt", "functions_to": "ubkt"}])
    service.commit(a.id)
    with pytest.raises(OperationConflict) as info:
        service.commit(b.id)
    assert info.value.index == 1 and "baseline changed" in info.value.detail
    stored = service.get(b.id)
    assert not stored.committed and "committing" not in stored.extra
    service.delete(b.id)  # not left claimed


def test_a_committed_scenario_stays_readable(city_store):
    service = ScenarioService(city_store)
    scenario, _ = service.create("A", "2018-01-01", operations=[CONSOLIDATE, MERGE])
    before_report = service.impact(scenario)
    before_diff = service.diff(scenario)
    typed = service.impact_report(scenario)
    assert isinstance(typed, ImpactReport) and typed.headcount.after == 27
    service.commit(scenario.id)
    committed = service.get(scenario.id)
    assert service.impact(committed) == before_report
    assert service.diff(committed) == before_diff
    view = service.view(committed)
    assert view.valid and [e["index"] for e in view.log] == [1, 2]
    assert service.reader(scenario.id) is city_store  # its changes are the baseline's
    with pytest.raises(Conflict, match="assumptions it was committed with"):
        service.impact(committed, Assumptions(support_staff=5))


def test_bounds_per_request_and_per_scenario(city_store):
    service = ScenarioService(city_store, ScenarioLimits(max_operations=3,
                                                         max_operations_per_request=2))
    with pytest.raises(InvalidParameter, match="max_operations_per_request") as info:
        service.create("A", "2018-01-01", operations=[MOVE] * 3)
    assert info.value.errors[0] | {} == {
        "field": "operations", "message": "too many operations in one request",
        "limit": "max_operations_per_request", "max": 2, "value": 3}
    moves = [{"op": "move", "unit": u, "parent": "tu"} for u in ("cb1", "cb2")]
    scenario, _ = service.create("A", "2018-01-01", operations=moves)
    with pytest.raises(InvalidParameter, match=r"would hold 4 operations; the limit is 3"):
        service.add_operations(scenario.id, [MOVE, MOVE])
    assert len(service.get(scenario.id).operations) == 2


def test_default_bounds_forbid_a_100000_operation_commit(monkeypatch):
    monkeypatch.delenv("BOMAY_SCENARIO_MAX_OPERATIONS", raising=False)
    limits = ScenarioLimits.from_env()
    assert limits.max_operations < 100_000 and limits.max_operations_per_request < 100_000
    assert ScenarioLimits.from_env({"BOMAY_SCENARIO_MAX_OPERATIONS": "7"}).max_operations == 7
    with pytest.raises(InvalidParameter, match="BOMAY_SCENARIO_MAX_OPERATIONS"):
        ScenarioLimits.from_env({"BOMAY_SCENARIO_MAX_OPERATIONS": "lots"})


def test_a_commit_in_force_is_not_answered_as_refused_when_the_store_is_busy(city_store,
                                                                            monkeypatch):
    """Once the baseline is replaced, a busy store while the scenario is marked committed
    is waited for (retried), not answered 503 with the commit in force."""
    from graph.errors import StoreBusy
    from graph.scenarios import service as service_module

    service = ScenarioService(city_store)
    scenario, _ = service.create("A", "2018-01-01", operations=[MERGE])
    real, refused = city_store.save_scenario, []

    def busy_twice(stored, **kw):
        if stored.committed and len(refused) < 2:
            refused.append(stored.id)
            raise StoreBusy("test: the store is locked by another process")
        return real(stored, **kw)
    monkeypatch.setattr(city_store, "save_scenario", busy_twice)
    monkeypatch.setattr(service_module.time, "sleep", lambda s: None)
    result = service.commit(scenario.id)
    assert refused == [scenario.id, scenario.id]
    stored = service.get(scenario.id)
    assert stored.committed and stored.extra["committed_revision"] == result.revision
    assert city_store.revision == result.revision


def test_a_commit_in_force_says_so_when_the_store_stays_busy(city_store, monkeypatch):
    from graph.errors import StoreBusy
    from graph.scenarios import service as service_module

    service = ScenarioService(city_store)
    scenario, _ = service.create("A", "2018-01-01", operations=[MERGE])
    before, real = city_store.revision, city_store.save_scenario

    def always_busy(stored, **kw):
        if stored.committed:
            raise StoreBusy("test: the store is locked by another process")
        return real(stored, **kw)
    monkeypatch.setattr(city_store, "save_scenario", always_busy)
    monkeypatch.setattr(service_module.time, "sleep", lambda s: None)
    with pytest.raises(StoreBusy, match="was committed .*do not commit it again"):
        service.commit(scenario.id)
    assert city_store.revision != before  # the commit itself is in force
