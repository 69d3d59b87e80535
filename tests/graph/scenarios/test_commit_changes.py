"""The change set a commit writes: the same baseline as the whole-dataset commit did, checked
around the touched units only (the same states refused as the whole check refuses), and a
what-if that would override recorded events nobody saw overridden refused (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.errors import Conflict
from graph.model import Event, Function, Headcount, Relation, Unit
from graph.dates import PartialDate
from graph.scenarios import apply, new_state
from graph.scenarios.changes import ChangeSet
from graph.scenarios.commit import validated_changes, validated_dataset
from graph.scenarios.service import ScenarioService
from graph.store import ReaderDefaults
from loaders import read_dataset
from tests.graph.scenarios.test_random_plans import random_plan

DATA = Path(__file__).resolve().parents[2] / "data"
TABLES = ("units", "relations", "events", "functions", "headcounts", "people", "posts",
          "documents", "names", "plans")


def same_result(state) -> ChangeSet:
    """The change set applied to the baseline gives exactly the whole-dataset result."""
    changes = validated_changes(state)
    whole = validated_dataset(state)
    after = changes.apply_to(state.base.dataset())
    for table in TABLES:
        assert getattr(after, table) == getattr(whole, table), table
    return changes


@pytest.mark.parametrize("seed", range(25))
def test_a_change_set_gives_what_the_whole_dataset_commit_gave(city, seed):
    state, applied = random_plan(city, seed, 25, f"r{seed}")
    assert applied >= 5
    changes = same_result(state)
    assert 0 < changes.size() < 3 * sum(city.dataset().counts().values())


@pytest.mark.parametrize("folder, at, plan", [
    ("t_provinces", "2025-07-01", [{"op": "consolidate", "units": ["pa", "pb"],
                                    "new": {"id": "pn", "name": "Tỉnh An Sơn"}}]),
    ("chain", "2017-01-01", [{"op": "merge", "into": "a", "units": ["b"]}]),  # a what-if
    ("chain", "2019-01-01", [{"op": "dissolve", "unit": "c", "functions_to": "tu"}]),
    ("s_city", "2018-01-01", [{"op": "rename", "unit": "tu", "name": "Thành ủy Mới"}]),
])
def test_territorial_what_if_and_rename_change_sets(folder, at, plan):
    base = MemoryGraph(read_dataset(DATA / folder))
    state, _ = apply(new_state(base, at), plan)
    changes = same_result(state)
    if folder == "chain" and at == "2017-01-01":
        assert [e.id for e in changes.events.removed] == ["ev-consolidate"]
    if folder == "s_city":
        assert len(changes.names.added) == 1


class Counting(ReaderDefaults):
    """A reader that counts its calls and refuses to hand out the whole graph."""

    def __init__(self, inner):
        self.inner, self.calls = inner, {}

    def __getattr__(self, name):
        target = getattr(self.inner, name)
        if not callable(target):
            return target

        def call(*args, **kwargs):
            self.calls[name] = self.calls.get(name, 0) + 1
            return target(*args, **kwargs)
        return call

    def dataset(self):
        raise AssertionError("the scoped check read the whole graph")

    def unit_names(self, unit_id):
        return self.inner.unit_names(unit_id)

    @property
    def revision(self):
        return self.inner.revision

    def pinned(self):
        return self


def test_the_check_reads_around_the_touched_units_only(tmp_path):
    from loaders.synth import generate
    generate(tmp_path / "synth", provinces=2, seed=1)
    graph = MemoryGraph(read_dataset(tmp_path / "synth"))
    reader = Counting(graph)
    province = sorted(u.id for u in graph.units() if u.kind == "province")[0]
    boards = sorted(u.id for u in graph.units(PartialDate.parse("2024-01-01").first_day())
                    if u.area == province and u.kind == "party_board")[:2]
    state, _ = apply(new_state(reader, "2024-01-01"),
                     [{"op": "merge", "into": boards[0], "units": boards[1:]}])
    changes = validated_changes(state)  # no dataset(): the Counting reader would fail
    assert changes.size() < 60
    assert sum(reader.calls.values()) < 400, reader.calls
    assert not {"units", "all_relations"} & set(reader.calls), reader.calls


def _broken(city, edit) -> object:
    state, _ = apply(new_state(city, "2018-01-01"), [{"op": "move", "unit": "cb3",
                                                     "parent": "tu"}])
    state = state.draft()
    edit(state, city)
    return state


def _key(errors) -> set:
    return {(e["file"], e["field"], e["value"], re.sub(r" \(line \d+\)", "", e["message"]))
            for e in errors}


BREAKS = {
    "a relation to no unit": lambda s, c: s.replace_relation(
        None, Relation("cb3", "SERVES", "ghost")),
    "a PART_OF cycle": lambda s, c: s.replace_relation(
        None, Relation("tu", "PART_OF", "cb3", PartialDate.parse("2018-01-01"))),
    "two parents at once": lambda s, c: s.replace_relation(
        None, Relation("cb1", "PART_OF", "tu", PartialDate.parse("2015"))),
    "a unit ending before it starts": lambda s, c: s.put_unit(
        Unit("x1", "X", kind="other", level="district", valid_from=PartialDate.parse("2019"),
             valid_to=PartialDate.parse("2018")), new=True),
    "a new unit with a baseline id": lambda s, c: s.put_unit(
        Unit("tu", "Khác", kind="other", level="district"), new=True),
    "a function of no unit": lambda s, c: s.replace_function(
        None, Function("ghost", "office_admin")),
    "a figure outside its unit's lifetime": lambda s, c: s.replace_headcount(
        None, Headcount("cb3", PartialDate.parse("1990"), 3)),
    "a MERGE with no output": lambda s, c: s.add_event(
        Event("ev-x", PartialDate.parse("2018-02-01"), "MERGE", ("cb1",), ())),
    "an event id used twice": lambda s, c: s.add_event(
        Event(s.scenario_events()[0].id, PartialDate.parse("2018-02-01"),
              "TRANSFER_FUNCTION", ("cb1",), ("cb2",))),
    "a relation ending after its unit": lambda s, c: (
        s.put_unit(Unit("x2", "X", kind="other", level="district",
                        valid_from=PartialDate.parse("2018"),
                        valid_to=PartialDate.parse("2019")), new=True),
        s.replace_relation(None, Relation("x2", "SERVES", "tu", PartialDate.parse("2018"),
                                          PartialDate.parse("2020")))),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_the_scoped_check_refuses_what_the_whole_check_refuses(city, name):
    state = _broken(city, BREAKS[name])
    with pytest.raises(Conflict) as whole:
        validated_dataset(state)
    with pytest.raises(Conflict) as scoped:
        validated_changes(state)
    # the same problems (file, field, value, message), lines apart: a neighbourhood is no file
    assert _key(scoped.value.errors) == _key(whole.value.errors), name
    assert all(e["line"] is None for e in scoped.value.errors)


def test_a_sound_state_passes_both_checks(city):
    state = _broken(city, lambda s, c: None)
    validated_dataset(state)
    validated_changes(state)


# -- issue 17: overrides nobody saw --------------------------------------------------------
WHAT_IF = [{"op": "merge", "into": "a", "units": ["b"]}]


def test_a_what_if_commits_the_overrides_it_showed(chain_store):
    service = ScenarioService(chain_store)
    saved, view = service.create("What if", "2017-01-01", "", WHAT_IF)
    assert view.log[0]["overrides"] == ["ev-consolidate"]
    assert saved.extra["overrides_seen"] == ["ev-consolidate"]
    service.commit(saved.id)
    assert chain_store.get_event("ev-consolidate") is None
    assert chain_store.get_unit("b").valid_to == PartialDate.parse("2017-01-01")


def test_a_what_if_refuses_to_override_events_recorded_after_it_was_saved(chain_store):
    service = ScenarioService(chain_store)
    what_if, _ = service.create("What if", "2017-01-01", "", WHAT_IF)
    # meanwhile the baseline gains an event of b, after the what-if's date
    later, _ = service.create("Later", "2017-06-01", "", [
        {"op": "transfer_function", "function": "personnel", "from": "b", "to": "a"}])
    later_events = service.commit(later.id).events
    new_event = later_events[0]["id"]
    revision = chain_store.revision
    with pytest.raises(Conflict) as info:
        service.commit(what_if.id)
    assert new_event in info.value.detail and "ev-consolidate" not in info.value.detail
    assert [e["event"] for e in info.value.errors] == [new_event]
    assert chain_store.revision == revision and chain_store.get_event(new_event) is not None
    assert not chain_store.get_scenario(what_if.id).committed
    # saved again (its log then shows the new override), it commits, deleting both events
    service.remove_operation(what_if.id, 1)
    _, state, log = service.add_operations(what_if.id, WHAT_IF)
    assert set(log[0].overrides) == {"ev-consolidate", new_event}
    service.commit(what_if.id)
    assert chain_store.get_event(new_event) is None


def test_a_definition_stored_without_the_note_commits_over_its_own_baseline(chain_store):
    from graph.scenarios.files import new_definition
    from graph.scenarios.operations import parse_operations
    scenario = new_definition("Direct", "2017-01-01", "", chain_store.revision,
                              parse_operations(WHAT_IF))
    chain_store.save_scenario(scenario)
    ScenarioService(chain_store).commit(scenario.id)  # nothing can be new: same baseline
    assert chain_store.get_event("ev-consolidate") is None
