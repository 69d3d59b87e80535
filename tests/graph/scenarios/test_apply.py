"""Each operation's effect on the structure, each conflict, and purity of `apply`."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.dates import PartialDate
from graph.errors import Conflict
from graph.scenarios import ScenarioState, apply, new_state
from graph.store import GraphReader

AT = dt.date(2018, 1, 1)
D = PartialDate(2018, 1, 1)
BEFORE = dt.date(2017, 12, 31)


def run(city, *ops, at="2018-01-01"):
    state = new_state(city, at, name="t", event_prefix="t")
    return apply(state, list(ops))


def fns(reader, unit, at=AT):
    return sorted(f.function for f in reader.functions(unit, at))


def hc(reader, unit, at=AT):
    from graph.queries.structure import headcount_at
    h = headcount_at(reader, unit, at)
    return h.headcount if h else None


def holders(reader, unit, at=AT):
    return sorted((p.person_id, p.role) for p in reader.posts(unit_id=unit, at=at))


# -- the state is a GraphReader -------------------------------------------------------------------
def test_state_implements_the_reader_protocol(city):
    state, _ = run(city, {"op": "move", "unit": "cb3", "parent": "tu"})
    assert isinstance(state, GraphReader)
    assert state.revision.startswith(city.revision + "+")
    assert state.dataset().counts()["events"] == 1


def test_apply_is_pure(city):
    s0 = new_state(city, "2018-01-01")
    s1, _ = apply(s0, [{"op": "merge", "into": "ubkt", "units": ["tt"]}])
    s2, _ = apply(s1, [{"op": "move", "unit": "cb3", "parent": "tu"}])
    # neither the baseline nor the earlier states changed
    assert city.get_unit("tt").valid_to is None and city.parent("cb3", AT) == "dbcq"
    assert s0.get_unit("tt").valid_to is None and s0.operations == () and not s0.events()
    assert s1.parent("cb3", AT) == "dbcq" and len(s1.operations) == 1
    assert s2.parent("cb3", AT) == "tu" and s2.get_unit("tt").valid_to == D
    assert [e.index for e in s2.log] == [1, 2]


def test_a_conflict_leaves_the_input_unchanged(city):
    s0 = new_state(city, "2018-01-01")
    with pytest.raises(Conflict):
        apply(s0, [{"op": "merge", "into": "ubkt", "units": ["tt"]},
                   {"op": "merge", "into": "ubkt", "units": ["tt"]}])
    assert s0.changes()["units"] == 0 and s0.get_unit("tt").valid_to is None


def test_apply_on_a_plain_reader_needs_a_date(city):
    state, log = apply(city, {"op": "move", "unit": "cb3", "parent": "tu"}, at="2018-01-01")
    assert isinstance(state, ScenarioState) and state.parent("cb3", AT) == "tu"
    with pytest.raises(ValueError):
        apply(city, [])


# -- merge ------------------------------------------------------------------------------------------
def test_merge_moves_children_functions_posts_headcount_and_relations(city):
    state, (entry,) = run(city, {"op": "merge", "into": "btg", "units": ["ttbdct", "dbcq"],
                                  "basis": ["doc-plan"]})
    assert state.get_unit("ttbdct").valid_to == D and state.get_unit("dbcq").valid_to == D
    assert state.get_unit("btg").valid_to is None
    assert state.children("btg", AT) == ["cb1", "cb2", "cb3"]
    assert state.children("dbcq", BEFORE) == ["cb1", "cb2", "cb3"]  # history kept
    assert state.parent("cb1", AT) == "btg" and state.parent("cb1", BEFORE) == "dbcq"
    assert fns(state, "btg") == ["office_admin", "propaganda", "training"]
    assert fns(state, "ttbdct") == [] and fns(state, "ttbdct", BEFORE) == ["training"]
    assert hc(state, "btg") == 7 + 5  # dbcq has no figure
    # ttbdct GUIDED_BY btg would become btg GUIDED_BY btg: dropped, never a self-relation
    assert not state.relations("btg", AT, types=("GUIDED_BY",), direction="both")
    assert [(e.type, e.inputs, e.outputs, e.basis) for e in entry.events] == [
        ("MERGE", ("ttbdct", "dbcq"), ("btg",), ("doc-plan",))]
    assert entry.ended == ("ttbdct", "dbcq")
    assert "no headcount figure for dbcq" in entry.warnings[0]
    assert state.units(AT, kind="party_committee") == [city.get_unit("tu")]


def test_merge_moves_posts_and_keeps_one_post_per_person(city):
    state, (entry,) = run(city, {"op": "merge", "into": "tt", "units": ["pnv"]})
    assert holders(state, "tt") == [("p-pnv", "head"), ("p-pnv2", "deputy_head"), ("p-tt", "head")]
    assert holders(state, "pnv", BEFORE) == [("p-pnv", "head"), ("p-pnv2", "deputy_head")]
    assert ("p-pnv", "pnv", "head", "tt") in entry.posts


def test_merge_records_duplicated_functions(city):
    _, (entry,) = run(city, {"op": "merge", "into": "vptu", "units": ["btc", "bdv"]})
    assert sorted(entry.duplicated_functions) == [("vptu", "office_admin", 3),
                                                  ("vptu", "transport", 2)]


@pytest.mark.parametrize("op, words", [
    ({"op": "merge", "into": "nowhere", "units": ["btc"]}, "unit (into) nowhere is unknown"),
    ({"op": "merge", "into": "btg", "units": ["ghost"]}, "unit ghost is unknown"),
    ({"op": "merge", "into": "btg", "units": ["btc"], "date": "2009"},
     "unit (into) btg does not exist on 2009"),
    ({"op": "merge", "into": "btg", "units": ["btg"]}, "into itself"),
    ({"op": "merge", "into": "cb1", "units": ["dbcq"]}, "cycle"),
    ({"op": "merge", "into": "btg", "units": ["btc"], "basis": ["doc-99"]},
     "basis doc-99 is not a known document"),
])
def test_merge_conflicts(city, op, words):
    with pytest.raises(Conflict) as info:
        run(city, op)
    assert info.value.status == 409
    assert words in info.value.detail, info.value.detail
    assert info.value.detail.startswith("operation 1 (merge)")


def test_a_unit_ended_by_an_earlier_operation_cannot_be_used_after(city):
    with pytest.raises(Conflict) as info:
        run(city, {"op": "merge", "into": "btg", "units": ["btc"]},
            {"op": "move", "unit": "btc", "parent": "ubnd", "date": "2018-06-01"})
    assert "operation 2 (move): unit btc does not exist on 2018-06-01" in info.value.detail


# -- consolidate ------------------------------------------------------------------------------------
def test_consolidate_creates_the_new_unit_under_the_given_parent(city):
    state, (entry,) = run(city, {"op": "consolidate", "units": ["btc", "pnv"], "parent": "tu",
                                  "serves": ["ubnd"],
                                  "new": {"id": "tcnv", "name": "Ban Tổ chức - Nội vụ"}})
    new = state.get_unit("tcnv")
    assert (new.kind, new.level, new.area, new.valid_from) == ("party_board", "district", "city", D)
    assert not new.valid_at(BEFORE)
    assert state.parent("tcnv", AT) == "tu"
    assert "tcnv" in state.children("tu", AT) and "btc" not in state.children("tu", AT)
    assert state.children("ubnd", AT) == ["ptc", "tt", "vpub"]
    assert [r.target_id for r in state.relations("tcnv", AT, types=("SERVES",))] == ["ubnd"]
    assert fns(state, "tcnv") == ["office_admin", "personnel"]
    assert hc(state, "tcnv") == 14
    assert [(e.type, e.inputs, e.outputs) for e in entry.events] == [
        ("CONSOLIDATE", ("btc", "pnv"), ("tcnv",))]
    assert [u.id for u, _ in state.search_units("to chuc noi vu", AT)][0] == "tcnv"
    assert "btc" not in [u.id for u, _ in state.search_units("ban to chuc", AT)]


def test_consolidate_takes_the_common_parent_by_default(city):
    state, _ = run(city, {"op": "consolidate", "units": ["btc", "btg"],
                          "new": {"id": "b2", "name": "Ban Tổ chức - Tuyên giáo"}})
    assert state.parent("b2", AT) == "tu"


@pytest.mark.parametrize("op, words", [
    ({"op": "consolidate", "units": ["btc", "pnv"], "new": {"id": "n", "name": "N"}},
     "different parents (btc: tu, pnv: ubnd)"),
    ({"op": "consolidate", "units": ["btc", "pnv"], "parent": "tu",
      "new": {"id": "btg", "name": "N"}}, "a unit with id btg already exists"),
    ({"op": "consolidate", "units": ["dbcq", "btc"], "parent": "cb1",
      "new": {"id": "n", "name": "N"}}, "cycle"),
    ({"op": "consolidate", "units": ["btc", "pnv"], "parent": "tu", "serves": ["pnv"],
      "new": {"id": "n", "name": "N"}}, "cannot serve pnv"),
])
def test_consolidate_conflicts(city, op, words):
    with pytest.raises(Conflict) as info:
        run(city, op)
    assert words in info.value.detail, info.value.detail


# -- split ------------------------------------------------------------------------------------------
SPLIT = {"op": "split", "unit": "dbcq", "into": [
    {"id": "dbcq-a", "name": "Đảng bộ A", "children": ["cb1", "cb2"]},
    {"id": "dbcq-b", "name": "Đảng bộ B", "children": ["cb3"], "parent": "ubnd"}]}


def test_split_assigns_children_and_functions(city):
    state, _ = run(city, SPLIT, {"op": "split", "unit": "vpub", "into": [
        {"id": "vp-hdnd", "name": "VP HĐND", "functions": ["office_admin"], "headcount": 5},
        {"id": "vp-ubnd", "name": "VP UBND",
         "functions": ["office_admin", "finance_accounting", "transport"], "headcount": 9}]})
    assert state.get_unit("dbcq").valid_to == D
    assert state.children("dbcq-a", AT) == ["cb1", "cb2"] and state.children("dbcq-b", AT) == ["cb3"]
    assert state.parent("dbcq-a", AT) == "tu" and state.parent("dbcq-b", AT) == "ubnd"
    assert state.get_unit("dbcq-a").kind == "party_committee"
    assert fns(state, "vp-hdnd") == ["office_admin"]
    assert fns(state, "vp-ubnd") == ["finance_accounting", "office_admin", "transport"]
    assert (hc(state, "vp-hdnd"), hc(state, "vp-ubnd")) == (5, 9)
    assert [(e.type, e.inputs, e.outputs) for e in state.scenario_events()][0] == (
        "SPLIT", ("dbcq",), ("dbcq-a", "dbcq-b"))


def test_split_divides_an_unassigned_headcount_evenly(city):
    state, (entry,) = run(city, {"op": "split", "unit": "vpub", "into": [
        {"id": "v1", "name": "V1", "functions": ["office_admin", "transport"]},
        {"id": "v2", "name": "V2", "functions": ["finance_accounting"]}]})
    assert (hc(state, "v1"), hc(state, "v2")) == (8, 7)
    assert "divided evenly" in entry.warnings[0]


@pytest.mark.parametrize("into, words", [
    ([{"id": "a", "name": "A", "children": ["cb1", "cb2"]}, {"id": "b", "name": "B"}],
     "would orphan children cb3"),
    ([{"id": "a", "name": "A", "children": ["cb1", "cb2", "cb3"]},
      {"id": "b", "name": "B", "children": ["cb3"]}], "cb3 is given to both a and b"),
    ([{"id": "a", "name": "A", "children": ["cb1", "cb2", "cb3", "btc"]},
      {"id": "b", "name": "B"}], "btc (given to a) is not a child of dbcq"),
    ([{"id": "a", "name": "A", "children": ["cb1", "cb2", "cb3"], "functions": ["training"]},
      {"id": "b", "name": "B"}], "function training (given to a) is not held by dbcq"),
    ([{"id": "a", "name": "A", "children": ["cb1", "cb2", "cb3"], "parent": "cb1"},
      {"id": "b", "name": "B"}], "cycle"),
])
def test_split_conflicts(city, into, words):
    with pytest.raises(Conflict) as info:
        run(city, {"op": "split", "unit": "dbcq", "into": into})
    assert words in info.value.detail, info.value.detail


def test_split_orphaned_functions(city):
    with pytest.raises(Conflict) as info:
        run(city, {"op": "split", "unit": "vpub", "into": [
            {"id": "v1", "name": "V1", "functions": ["office_admin"]},
            {"id": "v2", "name": "V2", "functions": ["transport"]}]})
    assert "would orphan functions finance_accounting" in info.value.detail


# -- transfer_function ------------------------------------------------------------------------------
def test_transfer_function_with_headcount(city):
    state, (entry,) = run(city, {"op": "transfer_function", "function": "training",
                                  "from": "ttbdct", "to": "btg", "headcount": 2})
    assert fns(state, "ttbdct") == [] and fns(state, "ttbdct", BEFORE) == ["training"]
    assert fns(state, "btg") == ["office_admin", "propaganda", "training"]
    assert (hc(state, "ttbdct"), hc(state, "btg")) == (3, 9)
    assert state.get_unit("ttbdct").valid_to is None
    (ev,) = entry.events
    assert (ev.type, ev.inputs, ev.outputs) == ("TRANSFER_FUNCTION", ("ttbdct",), ("btg",))
    assert ev.description.startswith("training:")


def test_transfer_to_a_holder_records_a_duplicate(city):
    state, (entry,) = run(city, {"op": "transfer_function", "function": "office_admin",
                                  "from": "btc", "to": "vptu"})
    assert entry.duplicated_functions == (("vptu", "office_admin", 2),)
    assert [f.function for f in state.functions("vptu", AT)].count("office_admin") == 1


@pytest.mark.parametrize("op, words", [
    ({"function": "training", "from": "btg", "to": "btc"},
     "btg does not hold the function training on 2018-01-01; it holds: office_admin, propaganda"),
    ({"function": "training", "from": "ttbdct", "to": "ttbdct"}, "to itself"),
    ({"function": "training", "from": "ttbdct", "to": "btg", "headcount": 6},
     "ttbdct has 5 on 2018-01-01; 6 people cannot move"),
    ({"function": "training", "from": "ttbdct", "to": "gone"}, "unit (to) gone is unknown"),
])
def test_transfer_function_conflicts(city, op, words):
    with pytest.raises(Conflict) as info:
        run(city, {"op": "transfer_function", **op})
    assert words in info.value.detail, info.value.detail


# -- move -------------------------------------------------------------------------------------------
def test_move(city):
    state, (entry,) = run(city, {"op": "move", "unit": "dbcq", "parent": "ubnd",
                                  "date": "2018-03-01"})
    assert state.parent("dbcq", dt.date(2018, 3, 1)) == "ubnd"
    assert state.parent("dbcq", AT) == "tu"  # before the operation's own date
    assert state.children("dbcq", dt.date(2018, 3, 1)) == ["cb1", "cb2", "cb3"]
    assert entry.moved == (("dbcq", "tu", "ubnd"),)
    assert state.effective_at == dt.date(2018, 3, 1)


@pytest.mark.parametrize("op, words", [
    ({"unit": "dbcq", "parent": "cb2"}, "cycle"),
    ({"unit": "dbcq", "parent": "dbcq"}, "cycle"),
    ({"unit": "dbcq", "parent": "tu"}, "already part of tu"),
    ({"unit": "ghost", "parent": "tu"}, "unit ghost is unknown"),
])
def test_move_conflicts(city, op, words):
    with pytest.raises(Conflict) as info:
        run(city, {"op": "move", **op})
    assert words in info.value.detail, info.value.detail


def test_move_before_a_later_baseline_move_would_give_two_parents(city):
    later, _ = run(city, {"op": "move", "unit": "cb1", "parent": "tu", "date": "2019"})
    with pytest.raises(Conflict) as info:
        apply(later, [{"op": "move", "unit": "cb1", "parent": "ubnd", "date": "2018-06"}])
    assert "two parents" in info.value.detail


# -- rename -----------------------------------------------------------------------------------------
def test_rename_in_place(city):
    state, (entry,) = run(city, {"op": "rename", "unit": "btg", "name": "Ban Tuyên giáo - Đào tạo",
                                  "abbr": "BTGĐT"})
    unit = state.get_unit("btg")
    assert (unit.name, unit.abbr, unit.name_en) == ("Ban Tuyên giáo - Đào tạo", "BTGĐT",
                                                    "City Propaganda Board")
    assert "formerly 'Ban Tuyên giáo Thành ủy'" in unit.note
    assert [(e.type, e.inputs, e.outputs) for e in entry.events] == [("RENAME", ("btg",), ("btg",))]


def test_rename_with_a_successor(city):
    state, (entry,) = run(city, {"op": "rename", "unit": "dbcq", "name": "Đảng bộ Khối",
                                  "new_id": "dbk"})
    assert state.get_unit("dbcq").valid_to == D and state.get_unit("dbk").valid_from == D
    assert state.children("dbk", AT) == ["cb1", "cb2", "cb3"] and state.parent("dbk", AT) == "tu"
    assert [(e.type, e.inputs, e.outputs) for e in entry.events] == [("RENAME", ("dbcq",), ("dbk",))]


def test_rename_conflicts(city):
    with pytest.raises(Conflict, match="already called"):
        run(city, {"op": "rename", "unit": "btg", "name": "Ban Tuyên giáo Thành ủy"})
    with pytest.raises(Conflict, match="a unit with id btc already exists"):
        run(city, {"op": "rename", "unit": "btg", "name": "X", "new_id": "btc"})


# -- dissolve ---------------------------------------------------------------------------------------
def test_dissolve_sends_children_and_functions_where_told(city):
    state, _ = run(city, {"op": "dissolve", "unit": "dbcq", "children_to": "tu"},
                          {"op": "dissolve", "unit": "ttbdct", "functions_to": "btg"})
    assert state.get_unit("dbcq").valid_to == D
    assert {"cb1", "cb2", "cb3"} <= set(state.children("tu", AT))
    assert fns(state, "btg") == ["office_admin", "propaganda", "training"]
    assert not state.relations("ttbdct", AT, direction="both")
    types = [e.type for e in state.scenario_events()]
    assert types.count("DISSOLVE") == 2 and "MOVE" in types and "TRANSFER_FUNCTION" in types
    dissolve_ids = [e.id for e in state.scenario_events() if e.type == "DISSOLVE"]
    assert dissolve_ids == ["t-01", "t-02"]  # the main event takes the operation's id


def test_dissolve_ends_posts(city):
    state, (entry,) = run(city, {"op": "dissolve", "unit": "ubkt", "functions_to": "tt"})
    assert holders(state, "ubkt") == [] and holders(state, "ubkt", BEFORE) == [("p-ubkt", "head")]
    assert ("p-ubkt", "ubkt", "head", None) in entry.posts
    assert entry.duplicated_functions == (("tt", "inspection", 2),)


def test_dissolve_may_let_functions_end(city):
    state, (entry,) = run(city, {"op": "dissolve", "unit": "bdv", "functions_to":
                                  {"mass_mobilisation": "mttq"}, "drop_functions": True})
    assert ("transport", "bdv", None) in entry.functions
    assert ("office_admin", "bdv", None) in entry.functions
    assert ("mass_mobilisation", "bdv", "mttq") in entry.functions


@pytest.mark.parametrize("op, words", [
    ({"unit": "dbcq"}, "would orphan children cb1, cb2, cb3"),
    ({"unit": "ttbdct"}, "would orphan functions training"),
    ({"unit": "dbcq", "children_to": "cb1"}, "cycle"),
    ({"unit": "ttbdct", "functions_to": {"propaganda": "btg"}}, "does not hold"),
    ({"unit": "ttbdct", "drop_functions": ["transport"]}, "does not hold"),
])
def test_dissolve_conflicts(city, op, words):
    with pytest.raises(Conflict) as info:
        run(city, {"op": "dissolve", **op})
    assert words in info.value.detail, info.value.detail


# -- create_shared_agency ---------------------------------------------------------------------------
def test_create_shared_agency(city):
    state, (entry,) = run(city, {
        "op": "create_shared_agency", "new": {"id": "ckhoi", "name": "Cơ quan khối"},
        "serves": ["mttq", "hlhpn", "hnd", "hccb"], "functions": ["office_admin",
                                                                 "finance_accounting"],
        "transfer_headcount": {"mttq": 2, "hlhpn": 1, "hnd": 1, "hccb": 1}})
    agency = state.get_unit("ckhoi")
    assert (agency.kind, agency.level, agency.area) == ("shared_agency", "district", "city")
    assert state.parent("ckhoi", AT) == "city"  # the members' common parent
    assert sorted(r.target_id for r in state.relations("ckhoi", AT, types=("SERVES",))) == [
        "hccb", "hlhpn", "hnd", "mttq"]
    assert fns(state, "ckhoi") == ["finance_accounting", "office_admin"]
    assert fns(state, "mttq") == ["supervision_criticism"] and fns(state, "hccb") == []
    assert [hc(state, u) for u in ("mttq", "hlhpn", "hnd", "hccb", "ckhoi")] == [4, 3, 3, 2, 5]
    assert sorted(entry.duplicated_functions) == [("ckhoi", "finance_accounting", 3),
                                                  ("ckhoi", "office_admin", 4)]
    types = [(e.type, e.inputs) for e in entry.events]
    assert types[0] == ("ESTABLISH", ()) and len(types) == 5


def test_create_shared_agency_conflicts(city):
    with pytest.raises(Conflict, match="hccb has 3 on 2018-01-01; 4 people cannot move"):
        run(city, {"op": "create_shared_agency", "new": {"id": "ck", "name": "CK"},
                   "serves": ["hccb"], "transfer_headcount": {"hccb": 4}})
    with pytest.raises(Conflict, match="names btc, which the agency does not serve"):
        run(city, {"op": "create_shared_agency", "new": {"id": "ck", "name": "CK"},
                   "serves": ["hccb"], "transfer_headcount": {"btc": 1}})
    with pytest.raises(Conflict, match="member \\(serves\\) ghost is unknown"):
        run(city, {"op": "create_shared_agency", "new": {"id": "ck", "name": "CK"},
                   "serves": ["ghost"]})


# -- dates and ids ----------------------------------------------------------------------------------
def test_an_operation_may_take_effect_after_the_scenario_date(city):
    state, _ = run(city, {"op": "merge", "into": "btg", "units": ["ttbdct"], "date": "2019-07"})
    assert state.get_unit("ttbdct").valid_to == PartialDate(2019, 7)
    assert state.get_unit("ttbdct").valid_at(AT)
    assert state.effective_at == dt.date(2019, 7, 1)


def test_event_ids_are_unique(city):
    with pytest.raises(Conflict, match="an event with id ev-1 already exists"):
        run(city, {"op": "move", "unit": "cb1", "parent": "tu", "event_id": "ev-1"},
            {"op": "move", "unit": "cb2", "parent": "tu", "event_id": "ev-1"})


def test_a_what_if_before_recorded_changes_overrides_them(data_dir):
    """A scenario dated before later recorded changes replaces the recorded future of the
    units it touches (once: "b already ends on 2018-07-01 (event ev-consolidate)")."""
    from graph.embedded.memory import MemoryGraph
    from loaders import read_dataset
    chain = MemoryGraph(read_dataset(data_dir / "chain"))
    state, log = apply(new_state(chain, "2017-01-01"), [{"op": "merge", "into": "a",
                                                         "units": ["b"]}])
    assert log[0].overrides == ("ev-consolidate",)
    assert state.get_unit("b").valid_to == PartialDate.parse("2017-01-01")
    assert state.get_unit("a").valid_to is None  # its recorded end (2018-07-01) replaced
    assert state.get_event("ev-consolidate") is None
    assert [e.id for e in state.events(unit_id="a")] == [log[0].events[0].id]
    assert any("ev-consolidate" in w and "c" in w for w in log[0].warnings)
    state, log = apply(new_state(chain, "2019-01-01"), [{"op": "dissolve", "unit": "c",
                                                         "functions_to": "tu"}])
    assert log[0].overrides == ("ev-split",)
    assert state.get_unit("c").valid_to == PartialDate.parse("2019-01-01")
    # a unit the scenario itself ended cannot be ended again
    with pytest.raises(Conflict, match="unit b does not exist on 2017-02-01"):
        apply(new_state(chain, "2017-01-01"), [{"op": "merge", "into": "a", "units": ["b"]},
                                               {"op": "dissolve", "unit": "b",
                                                "date": "2017-02-01", "drop_functions": True}])


def test_cost_follows_the_affected_part(city):
    state, _ = run(city, {"op": "move", "unit": "cb3", "parent": "tu"})
    changes = state.changes()
    assert changes["relations_hidden"] == 1 and changes["relations_added"] == 2
    assert changes["units"] == 0 and changes["functions_added"] == 0
    assert state.changed_unit_ids() == {"cb3", "tu", "dbcq"}


def test_a_cycle_on_a_later_date_is_refused(city):
    with pytest.raises(Conflict) as info:
        run(city, {"op": "move", "unit": "dbcq", "parent": "pnv", "date": "2019-01-01"},
            {"op": "move", "unit": "ubnd", "parent": "cb1", "date": "2018-01-01"})
    # fine on 2018-01-01 (ubnd → cb1 → dbcq → tu → city), a loop once dbcq moves in 2019
    assert "operation 2 (move): this would make a PART_OF cycle on 2019-01-01: " \
           "ubnd → cb1 → dbcq → pnv → ubnd" in info.value.detail


def test_dissolve_hands_over_children_that_join_later(data_dir):
    from graph.embedded.memory import MemoryGraph
    from loaders import read_dataset
    chain = MemoryGraph(read_dataset(data_dir / "chain"))
    with pytest.raises(Conflict) as info:
        apply(new_state(chain, "2017-01-01"), [{"op": "dissolve", "unit": "tu"}])
    assert "would orphan children a, ubkt, c (joining on 2018-07-01), d (joining on 2020-01-01)" \
        in info.value.detail
    state, _ = apply(new_state(chain, "2017-01-01"),
                     [{"op": "dissolve", "unit": "tu", "children_to": "ubnd"}])
    assert state.parent("a", dt.date(2017, 6, 1)) == "ubnd"
    assert state.parent("c", dt.date(2019, 1, 1)) == "ubnd"
    assert state.parent("d", dt.date(2021, 1, 1)) == "ubnd"


def test_a_unit_cannot_end_on_the_day_it_absorbs_others(city):
    with pytest.raises(Conflict, match="cannot end on the day it absorbs others"):
        run(city, {"op": "merge", "into": "btg", "units": ["ttbdct"]},
            {"op": "merge", "into": "tu", "units": ["btg"]})
    state, _ = run(city, {"op": "merge", "into": "btg", "units": ["ttbdct"]},
                   {"op": "merge", "into": "tu", "units": ["btg"], "date": "2018-01-02"})
    assert state.get_unit("btg").valid_to == PartialDate(2018, 1, 2)
