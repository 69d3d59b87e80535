"""A plan as it stood on a day (`graph.plan_days`): adopted after the day, its file says
planned, whatever way the file is written."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from graph.dates import PartialDate
from graph.errors import ProblemCollector
from graph.model import Plan
from graph.plan_days import adopted_by, plan_on
from loaders.plans import read_plan_text

OPERATIONS = "operations:\n  - {op: dissolve, unit: a}\n"


def _plan(body: str) -> Plan:
    problems = ProblemCollector()
    source = read_plan_text("plans/x.yaml", body, problems)
    assert source is not None, problems.problems
    return source.plan


@pytest.mark.parametrize("body", [
    # a block mapping: the two entries edited, the rest as written
    "name: x\nstatus: adopted\nadopted: 2020-07\ndate: 2020-06-01\n" + OPERATIONS,
    # the adoption date written on two lines, and last
    "name: x\nstatus: 'adopted'\ndate: 2020-06-01\n" + OPERATIONS + "adopted:\n  2020-07\n",
    # a flow mapping: written anew
    "{name: x, status: adopted, adopted: 2020-07, date: 2020-06-01, "
    "operations: [{op: dissolve, unit: a}]}\n"])
def test_a_plan_adopted_after_the_day_reads_back_planned(body):
    plan = _plan(body)
    assert plan.adopted == PartialDate(2020, 7)
    before = plan_on(plan, dt.date(2020, 6, 30))
    assert (before.status, before.adopted) == ("planned", None)
    again = _plan(before.body)  # the rewritten file is a valid plan, planned
    assert (again.status, again.adopted, again.date) == ("planned", None, plan.date)
    assert yaml.safe_load(before.body)["operations"] == yaml.safe_load(body)["operations"]
    assert plan_on(plan, dt.date(2020, 7, 1)) is plan  # a partial date at its first day


def test_only_an_adopted_plan_is_adopted_on_a_day():
    planned = _plan("name: x\nstatus: planned\ndate: 2020-06-01\n" + OPERATIONS)
    undated = _plan("name: x\nstatus: adopted\ndate: 2020-06-01\n" + OPERATIONS)
    day = dt.date(2020, 6, 1)
    assert not adopted_by(planned, day) and plan_on(planned, day) is planned
    assert adopted_by(undated, dt.date(1900, 1, 1))  # no date: adopted on every day
