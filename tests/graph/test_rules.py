"""`graph.rules`: each reading rule on its own, on small hand-made records (and the property
that the step function and the direct reading agree on every day)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import rules
from graph.dates import DateParseError, PartialDate
from graph.errors import BomayError, InvalidParameter
from graph.model import Event, Headcount, Post, Relation


def _hc(date: str, n: int, basis: str = "approved", unit: str = "u") -> Headcount:
    return Headcount(unit_id=unit, date=PartialDate.parse(date), headcount=n, basis=basis)


def _rel(source: str, target: str, start: str | None = None, end: str | None = None,
         type: str = "PART_OF") -> Relation:
    return Relation(source_id=source, type=type, target_id=target,
                    valid_from=PartialDate.parse(start) if start else None,
                    valid_to=PartialDate.parse(end) if end else None)


# -- headcount on a date ------------------------------------------------------------------------
def test_the_latest_approved_figure_wins_over_a_later_actual_one():
    figures = [_hc("2015", 30), _hc("2017-06", 28, "actual"), _hc("2018-01-01", 21)]
    assert rules.headcount_on(figures, dt.date(2014, 12, 31)) is None
    assert rules.headcount_on(figures, dt.date(2015, 1, 1)).headcount == 30  # partial: day one
    assert rules.headcount_on(figures, dt.date(2017, 7, 1)).headcount == 30  # approved wins
    assert rules.headcount_on(figures, dt.date(2018, 1, 1)).headcount == 21
    assert rules.headcount_on(figures, None).headcount == 21  # at=None: the latest


def test_an_actual_figure_counts_when_there_is_no_approved_one():
    figures = [_hc("2016", 12, "actual"), _hc("2019", 9, "actual")]
    assert rules.headcount_on(figures, dt.date(2017, 1, 1)).headcount == 12
    assert rules.headcount_on(figures, dt.date(2019, 1, 1)).headcount == 9
    assert rules.headcount_on([], dt.date(2019, 1, 1)) is None


def test_figures_of_one_day_make_one_step_and_approved_wins_it():
    steps = rules.headcount_steps([_hc("2018", 5, "actual"), _hc("2018", 7)])
    assert [(d, h.headcount) for d, h in steps] == [(dt.date(2018, 1, 1), 7)]


def test_headcounts_on_reads_each_unit_alone():
    figures = sorted([_hc("2015", 3, unit="a"), _hc("2016", 4, "actual", unit="b"),
                      _hc("2017", 5, unit="a")], key=rules.headcount_order_key)
    on = rules.headcounts_on(figures, dt.date(2016, 6, 1))
    assert {u: h.headcount for u, h in on.items()} == {"a": 3, "b": 4}
    assert rules.headcounts_on(figures, dt.date(2014, 1, 1)) == {}


_figure = st.builds(lambda y, m, n, actual: _hc(f"{y:04d}-{m:02d}", n,
                                                "actual" if actual else "approved"),
                    st.integers(2010, 2020), st.integers(1, 12), st.integers(0, 99), st.booleans())


@settings(max_examples=200, deadline=None)
@given(st.lists(_figure, max_size=8), st.dates(dt.date(2009, 1, 1), dt.date(2021, 12, 31)))
def test_the_step_function_is_the_plain_reading_on_every_day(figures, at):
    figures.sort(key=rules.headcount_order_key)
    upto = [h for h in figures if h.date.first_day() <= at]
    approved = [h for h in upto if h.basis != "actual"]
    actual = [h for h in upto if h.basis == "actual"]
    expected = approved[-1] if approved else actual[-1] if actual else None
    assert rules.headcount_on(figures, at) == expected


# -- the tree -----------------------------------------------------------------------------------
def test_latest_parent_on_a_date_and_the_most_recent_without_one():
    rels = [_rel("u", "old", "2010", "2018"), _rel("u", "new", "2018")]
    assert rules.latest_parent(rels, dt.date(2015, 1, 1)) == "old"
    assert rules.latest_parent(rels, dt.date(2018, 1, 1)) == "new"  # valid_to exclusive
    assert rules.latest_parent(rels, dt.date(2009, 1, 1)) is None
    assert rules.latest_parent(rels, None) == "new"  # open-ended first
    ended = [_rel("u", "a", "2010", "2012"), _rel("u", "b", "2012", "2015")]
    assert rules.latest_parent(ended, None) == "b"  # then the latest end
    assert rules.latest_parent([], None) is None


def test_ancestor_ids_walk_up_and_stop_at_a_cycle_or_a_limit():
    parents = {"c": "b", "b": "a"}
    assert rules.ancestor_ids(parents.get, "c") == ["b", "a"]
    assert rules.ancestor_ids(parents.get, "a") == []
    cyclic = {"x": "y", "y": "z", "z": "x"}
    assert rules.ancestor_ids(cyclic.get, "x") == ["y", "z"]
    assert rules.ancestor_ids({"s": "s"}.get, "s") == []
    assert rules.ancestor_ids(parents.get, "c", limit=1) == ["b"]


# -- the event filter ---------------------------------------------------------------------------
def test_the_event_filter_matches_each_field_and_dates_inclusively():
    e = Event(id="e1", date=PartialDate.parse("2018-08"), type="MERGE", inputs=("a", "b"),
              outputs=("b",), basis=("d1",))
    assert rules.event_matches(e)
    assert rules.event_matches(e, unit_id="a") and rules.event_matches(e, unit_id="b")
    assert not rules.event_matches(e, unit_id="c")
    assert rules.event_matches(e, type="MERGE") and not rules.event_matches(e, type="SPLIT")
    assert rules.event_matches(e, basis="d1") and not rules.event_matches(e, basis="d2")
    first = dt.date(2018, 8, 1)
    assert rules.event_matches(e, date_from=first, date_to=first)  # inclusive, first day
    assert not rules.event_matches(e, date_from=first + dt.timedelta(days=1))
    assert not rules.event_matches(e, date_to=first - dt.timedelta(days=1))


# -- orders -------------------------------------------------------------------------------------
def test_the_order_keys():
    rels = [_rel("b", "p", "2019"), _rel("a", "p"), _rel("a", "q", type="SERVES"),
            _rel("b", "p", "2010")]
    assert [(r.type, r.source_id, str(r.valid_from)) for r in
            sorted(rels, key=rules.relation_order_key)] == [
        ("PART_OF", "a", "None"), ("PART_OF", "b", "2010"), ("PART_OF", "b", "2019"),
        ("SERVES", "a", "None")]
    posts = [Post(unit_id="u", person_id="p2", role="chair"),
             Post(unit_id="u", person_id="p1", role="deputy"),
             Post(unit_id="u", person_id="p1", role="chair")]
    assert [(p.role, p.person_id) for p in sorted(posts, key=rules.post_order_key)] == [
        ("chair", "p1"), ("chair", "p2"), ("deputy", "p1")]
    figures = [_hc("2018", 1, unit="b"), _hc("2017", 1, unit="c"), _hc("2018", 1, unit="a")]
    assert [(str(h.date), h.unit_id) for h in sorted(figures, key=rules.headcount_order_key)] \
        == [("2017", "c"), ("2018", "a"), ("2018", "b")]


# -- the default `at` and dates in the error tree ---------------------------------------------
def test_the_default_at_is_the_configured_day_else_today():
    assert rules.default_at("2018-08-07") == dt.date(2018, 8, 7)
    assert rules.default_at("2018") == dt.date(2018, 1, 1)
    assert rules.default_at(None) == rules.today() == dt.date.today()
    with pytest.raises(DateParseError, match="^default_at: "):
        rules.default_at("2018-13")


def test_a_bad_date_is_an_invalid_parameter_naming_its_field():
    from graph.dates import parse_at
    with pytest.raises(InvalidParameter) as caught:
        parse_at("2018-02-30", field="at")
    exc = caught.value
    assert isinstance(exc, BomayError) and isinstance(exc, ValueError) and exc.status == 422
    assert exc.detail == "at: impossible date: 2018-02 has no day 30"
    assert exc.errors == [{"field": "at", "message": "impossible date: 2018-02 has no day 30",
                           "value": "2018-02-30"}]
    with pytest.raises(DateParseError) as bare:  # without a field: the message alone
        parse_at("yesterday")
    assert str(bare.value) == "expected an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD"
    assert parse_at("", field="at") is None and parse_at(None, field="at") is None
