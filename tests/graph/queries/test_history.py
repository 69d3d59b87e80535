"""`graph.queries.history`: a unit's history in date order; the diff between two dates agrees with
the structure read on each date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.queries import structure as queries
from graph.errors import InvalidParameter, NotFound
from graph.queries.history import diff, history
from graph.embedded.memory import MemoryGraph
from graph.queries.stats import scope_ids
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
TOWN = MemoryGraph(read_dataset(DATA / "q_town"))
CHAIN = MemoryGraph(read_dataset(DATA / "chain"))
days = st.dates(min_value=dt.date(1999, 1, 1), max_value=dt.date(2022, 12, 31))


def test_history_is_in_date_order_with_ends_before_starts_on_a_day():
    items = history(CHAIN, "c")["items"]
    keys = [i["date"] for i in items]
    assert keys == sorted(keys)
    split_day = [i["type"] for i in items if i["date"] == "2020-01-01"]
    assert split_day.index("end") < split_day.index("event")
    assert split_day.index("post_end") < split_day.index("event")  # what ends, then the event
    assert all("_date" not in i for i in items)


def test_history_of_a_parent_lists_children_joining_and_leaving():
    items = history(TOWN, "ubnd")["items"]
    left = [(i["date"], i["unit"]["id"]) for i in items if i["type"] == "child_removed"]
    assert ("2019-01-01", "hcc") in left and ("2019-01-01", "thanhtra") in left
    with pytest.raises(NotFound):
        history(TOWN, "nope")


@settings(max_examples=150, deadline=None)
@given(a=days, b=days, root=st.sampled_from([None, "town", "hu", "ubnd", "thanhtra", "cqk"]))
def test_a_diff_turns_the_scope_on_one_date_into_the_scope_on_the_other(a, b, root):
    a, b = min(a, b), max(a, b)
    try:
        body = diff(TOWN, a, b, root)
    except NotFound:
        unit = TOWN.get_unit(root)
        assert not unit.valid_at(a) and not unit.valid_at(b)
        return
    s = body["summary"]
    # a unit that crosses the scope's border moved in or out: it is neither added nor removed
    assert s["units_after"] == s["units_before"] + s["added"] + s["moved_in"] \
        - s["removed"] - s["moved_out"]
    for entry, day in [(e, a) for e in body["added"]] + [(e, b) for e in body["removed"]]:
        assert not TOWN.get_unit(entry["id"]).valid_at(day)
    if root is None:
        assert s["units_before"] == len(TOWN.units(a)) and s["units_after"] == len(TOWN.units(b))
        stats_a, stats_b = queries.stats(TOWN, a), queries.stats(TOWN, b)
        assert s["headcount_before"] == stats_a["headcount"]["total"]
        assert s["headcount_after"] == stats_b["headcount"]["total"]
    elif TOWN.get_unit(root).valid_at(a) and TOWN.get_unit(root).valid_at(b):
        assert {u["id"] for u in body["added"]} | {m["unit"]["id"] for m in body["moved_in"]} \
            == set(scope_ids(TOWN, root, b)) - set(scope_ids(TOWN, root, a))
    # the totals add the known figures; a unit's change is unknown when it exists on a date
    # without a figure there
    assert s["headcount_change"] == sum((h["after"] or 0) - (h["before"] or 0) for h in body["headcount"])
    for h in body["headcount"]:
        if h["change"] is not None:
            assert h["change"] == (h["after"] or 0) - (h["before"] or 0)
    for event in body["events"]:
        assert a < dt.date.fromisoformat(event["date"]) <= b
    for moved in body["moved"] + body["moved_in"] + body["moved_out"]:
        assert TOWN.parent(moved["unit"]["id"], a) == moved["from_parent"]
        assert TOWN.parent(moved["unit"]["id"], b) == moved["to_parent"]


def test_a_diff_of_one_date_with_itself_is_empty():
    body = diff(TOWN, dt.date(2019, 1, 1), dt.date(2019, 1, 1))
    assert body["added"] == body["removed"] == body["moved"] == body["events"] == []
    with pytest.raises(InvalidParameter):
        diff(TOWN, dt.date(2019, 1, 2), dt.date(2019, 1, 1))
