"""What the real-case scenario tests share (tests/graph/scenarios/test_r_*.py): a case's
dataset (tests/data/<case>) read into memory as the baseline, a plan file applied to it on
the reform's date, and the bodies each new body was formed from. The API side's
counterpart is tests/api/real_cases.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.scenarios import apply, new_state
from graph.scenarios.files import read_plan
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"


def case_fixtures(case: str, plan: Path, at: dt.date):
    """A case module's two module-scoped fixtures, `baseline` (tests/data/`case` in memory)
    and `reformed` (the (state, log) of `plan` applied to it on `at`), taken as
    `baseline, reformed = case_fixtures(...)` (pytest finds them by those names)."""

    @pytest.fixture(scope="module")
    def baseline() -> MemoryGraph:
        return MemoryGraph(read_dataset(DATA / case))

    @pytest.fixture(scope="module")
    def reformed(baseline):
        return apply(new_state(baseline, at), read_plan(plan).operations)

    return baseline, reformed


def groups_of(log) -> dict[str, list[str]]:
    """Each body the plan made and the bodies it was formed from, over every entry of the
    log in order (a body one step made and a later step added to lists both steps' inputs)."""
    out: dict[str, list[str]] = {}
    for entry in log:
        for made, inputs in entry.bodies:
            out.setdefault(made, []).extend(inputs)
    return out
