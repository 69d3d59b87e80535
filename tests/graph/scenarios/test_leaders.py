"""`leaders` of merge, consolidate and a mapping table's row: who leads the unit formed or
kept, the other holders' posts of that role ending on the date (tests/data/r_tuyen_quang:
Tỉnh ủy Hà Giang, secretary ng001, and Tỉnh ủy Tuyên Quang, secretary ng009; ng001 also
chairs the HĐND of Hà Giang, ng009 that of Tuyên Quang)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.errors import Conflict, InvalidParameter
from graph.scenarios.apply import apply, new_state
from graph.scenarios.impact import impact
from graph.scenarios.operations import operation_to_dict, parse_operation
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
AT = "2025-07-01"
DAY = dt.date(2025, 7, 1)
NEW = {"id": "tq25", "name": "Tỉnh Tuyên Quang"}


@pytest.fixture(scope="module")
def graph():
    return MemoryGraph(read_dataset(DATA / "r_tuyen_quang"))


def consolidate(**extra) -> dict:
    return {"op": "consolidate", "units": ["hg", "tq"], "new": NEW, **extra}


def holders(state, unit: str, role: str, day: dt.date = DAY) -> list[str]:
    return sorted(p.person_id for p in state.posts(unit_id=unit, at=day) if p.role == role)


def test_the_plan_form_keeps_leaders():
    op = parse_operation(consolidate(leaders={"secretary": "ng009", "chair": "ng011"}))
    assert op.leaders == {"secretary": "ng009", "chair": "ng011"}
    back = operation_to_dict(op)
    assert back["leaders"] == {"secretary": "ng009", "chair": "ng011"}
    assert parse_operation(back) == op
    merge = parse_operation({"op": "merge", "into": "tq-btc", "units": ["hg-btc"],
                             "leaders": {"head": "ng005"}})
    assert operation_to_dict(merge)["leaders"] == {"head": "ng005"}
    row = parse_operation({"op": "consolidate_map", "rows": [
        {"new": NEW, "units": ["hg", "tq"], "leaders": {"secretary": "ng009"}}]})
    assert operation_to_dict(row)["rows"][0]["leaders"] == {"secretary": "ng009"}


@pytest.mark.parametrize("leaders, field", [
    ({"boss": "ng009"}, "leaders.boss"),
    ({"secretary": 9}, "leaders.secretary"),
    ({"secretary": ["ng009"]}, "leaders.secretary"),
])
def test_a_bad_leader_is_refused_naming_the_role(leaders, field):
    with pytest.raises(InvalidParameter) as exc:
        parse_operation(consolidate(leaders=leaders))
    assert [e["field"] for e in exc.value.errors] == [field]


def test_consolidated_areas_keep_the_named_secretary_alone(graph):
    plain, _ = apply(new_state(graph, AT), [consolidate()])
    assert holders(plain, "tq25-tu", "secretary") == ["ng001", "ng009"]  # as before
    state, log = apply(new_state(graph, AT), [consolidate(
        leaders={"secretary": "ng009", "chair": "ng011"})])
    assert holders(state, "tq25-tu", "secretary") == ["ng009"]
    assert holders(state, "tq25-ubnd", "chair") == ["ng011"]
    # ng001's secretary post ends on the date; ng001's other post (HĐND chair) moves on
    mine = state.posts(person_id="ng001")
    assert [(p.unit_id, str(p.valid_to)) for p in mine if p.role == "secretary"] == [
        ("hg-tu", AT)]
    assert holders(state, "tq25-hdnd", "chair") == ["ng001", "ng009"]
    # roles not named: as now (both standing deputy secretaries)
    assert holders(state, "tq25-tu", "standing_deputy_secretary") == ["ng002", "ng010"]
    entry = log[0].to_dict()
    assert entry["leaders"] == [
        {"unit": "tq25-tu", "role": "secretary", "person": "ng009",
         "ended": [{"person": "ng001", "unit": "hg-tu"}]},
        {"unit": "tq25-ubnd", "role": "chair", "person": "ng011",
         "ended": [{"person": "ng003", "unit": "hg-ubnd"}]}]
    assert {"person": "ng001", "unit": "hg-tu", "role": "secretary", "to": None} \
        in entry["posts"]
    main = next(e for e in log[0].events if e.type == "CONSOLIDATE" and e.outputs == ("tq25",))
    assert "secretary of tq25-tu: ng009" in main.description


def test_a_merge_into_a_body_ends_its_own_head_when_another_is_named(graph):
    state, log = apply(new_state(graph, AT), [
        {"op": "merge", "into": "tq-btc", "units": ["hg-btc"], "leaders": {"head": "ng005"}}])
    assert holders(state, "tq-btc", "head") == ["ng005"]
    own = [p for p in state.posts(person_id="ng013") if p.role == "head"]
    assert [(p.unit_id, str(p.valid_to)) for p in own] == [("tq-btc", AT)]
    assert log[0].leaders == (("tq-btc", "head", "ng005", (("ng013", "tq-btc"),)),)


def test_a_person_holding_no_such_post_is_a_conflict_listing_the_holders(graph):
    with pytest.raises(Conflict) as exc:
        apply(new_state(graph, AT), [consolidate(leaders={"secretary": "ng002"})])
    message = str(exc.value)
    assert "operation 1 (consolidate)" in message and "leaders.secretary" in message
    assert "ng002" in message and "ng001, ng009" in message
    assert exc.value.errors[0]["field"] == "leaders.secretary"
    assert exc.value.errors[0]["holders"] == ["ng001", "ng009"]


def test_a_mapping_row_names_its_leaders(graph):
    state, log = apply(new_state(graph, AT), [{"op": "consolidate_map", "rows": [
        {"new": NEW, "units": ["hg", "tq"], "leaders": {"secretary": "ng001"}}]}])
    assert holders(state, "tq25-tu", "secretary") == ["ng001"]
    assert log[0].leaders[0][:3] == ("tq25-tu", "secretary", "ng001")


def test_the_impact_counts_the_named_once_and_the_others_as_ended(graph):
    def report(ops):
        state, log = apply(new_state(graph, AT), ops)
        return impact(graph, state, log=log).to_dict()
    plain = report([consolidate()])
    named = report([consolidate(leaders={"secretary": "ng009"})])
    lp, ln = plain["leadership"], named["leadership"]
    # without leaders: two secretaries, one a duplicate "to remove"
    assert {"unit": "tq25-tu", "role": "secretary", "people": ["ng001", "ng009"],
            "duplicates": 1} in lp["duplicated"]
    # named: no duplicate secretary; the post gone from what is recorded, not removed again
    assert not [d for d in ln["duplicated"] if d["role"] == "secretary"]
    assert (ln["after_recorded"], ln["removed"]) == (lp["after_recorded"] - 1,
                                                     lp["removed"] - 1)
    assert ln["after"] == lp["after"]
    assert ln["named"] == [{"unit": "tq25-tu", "role": "secretary", "person": "ng009",
                            "ended": ["ng001"], "operation": 1}]
    ended = [p for p in ln["people_affected"] if p["person"] == "ng001"
             and p["role"] == "secretary"]
    assert [(p["unit"], p["to"], p["change"]) for p in ended] == [
        ("hg-tu", None, "post ended: not named to lead tq25-tu")]
    # the saving: the one post, counted once
    saved = [s for s in named["headcount"]["savings"] if s.get("role") == "secretary"]
    assert [(s["reason"], s["unit"], s["amount"]) for s in saved] == [
        ("leadership post ended: not named to lead", "tq25-tu", 1)]
    assert named["headcount"]["saving_total"] == plain["headcount"]["saving_total"]
    assert named["headcount"]["after"] == plain["headcount"]["after"]
