"""The impact report's long lists of records (the people whose post moves or ends, the
headcount changes, the functions moved) are made when read: the report's `to_dict()`
made from their rows equals the records' own `to_dict()`, and a reader of the section sees
a tuple of records as if they had been made at once (the same records, equal sections)."""

from __future__ import annotations

import dataclasses

import pytest

from bench.reform import applied
from graph.scenarios.impact import (FunctionEnd, FunctionsSection, HeadcountChange,
                                    HeadcountSection, LeadershipSection, PersonAffected,
                                    impact)
from loaders import read_dataset
from loaders.synth import generate

#: (section, field, record class) of every deferred list
DEFERRED = (("leadership", "people_affected", PersonAffected),
            ("headcount", "changes", HeadcountChange),
            ("functions", "moved", FunctionEnd))


@pytest.fixture(scope="module")
def reform(tmp_path_factory):
    """(baseline, state) of bench/reform.py's plan over two synthetic provinces."""
    folder = tmp_path_factory.mktemp("synth2")
    generate(folder, provinces=2, seed=3)
    base, state, _ = applied(read_dataset(folder))
    return base, state


def test_json_from_rows_equals_the_records_json(reform):
    base, state = reform
    report = impact(base, state)
    first = report.to_dict()  # nothing read the records yet: the JSON of the rows
    for section, name, cls in DEFERRED:
        records = getattr(getattr(report, section), name)
        assert type(records) is tuple and records, name
        assert all(type(r) is cls for r in records), name
        assert first[section][name] == [r.to_dict() for r in records], name
    # the records are made once: the same objects on every read
    assert report.leadership.people_affected is report.leadership.people_affected
    assert report.to_dict() == first


def test_records_are_those_of_the_log(reform):
    """The records hold what the log says: every post change once (its last change), the
    headcount changes and the functions given to another unit, in the log's order."""
    base, state = reform
    report = impact(base, state)
    people = report.leadership.people_affected
    last = {}
    for e in state.log:
        for person, unit, role, to in e.posts:
            last[(person, unit, role)] = (to, e.index)
    assert {(p.person, p.unit, p.role): (p.to, p.operation) for p in people} == last
    assert len(people) == len(last)
    assert [(p.operation, p.person) for p in people] == \
        sorted((p.operation, p.person) for p in people)
    assert all(p.name == base.get_person(p.person).name for p in people)
    assert report.headcount.changes == tuple(
        HeadcountChange(u, b, a, e.index) for e in state.log for u, b, a in e.headcount)
    assert report.functions.moved == tuple(
        FunctionEnd(f, s, d, e.index) for e in state.log for f, s, d in e.functions
        if d is not None)
    assert report.functions.moved and report.headcount.changes


def test_a_section_given_records_equals_one_deferred(reform):
    """A section made with a tuple of records (as `viz.scenario_record` reads a kept report
    back) equals the report's, and answers the same JSON; `dataclasses.replace` keeps them."""
    base, state = reform
    report = impact(base, state)
    lead, hc, fn = report.leadership, report.headcount, report.functions
    given = LeadershipSection(lead.before, lead.after_recorded, lead.duplicated, lead.removed,
                              tuple(lead.people_affected))
    assert given == lead and given.to_dict() == lead.to_dict()
    assert dataclasses.replace(lead) == lead
    fresh = impact(base, state)
    assert fresh.headcount == hc and fresh.functions == fn and fresh.leadership == lead
    h = HeadcountSection(hc.before, hc.after_recorded, hc.savings, hc.saving_total, hc.after,
                         hc.change, hc.units_without_figure, tuple(hc.changes))
    assert h.to_dict() == impact(base, state).headcount.to_dict()
    f = FunctionsSection(fn.before, fn.after, fn.duplicated, fn.nowhere, ())
    assert f.moved == () and f.to_dict()["moved"] == []
    with pytest.raises(TypeError):  # the field has no default, as before
        FunctionsSection(fn.before, fn.after, fn.duplicated, fn.nowhere)  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        lead.people_affected = ()  # type: ignore[misc]
