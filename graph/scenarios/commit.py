"""Committing a scenario: its state written into the baseline as dated events, atomically.

The operations are re-applied to the *current* baseline (so a baseline that changed in a
way that conflicts refuses the commit with a 409 saying which operation and why), the
whole new dataset is checked with the loader's own cross-file rules
(`loaders.validate.build_dataset`), and the store replaces its baseline only if its
revision is still the one the scenario was re-applied to.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from graph.errors import Conflict, ProblemCollector, ValidationFailed
from graph.model import Dataset
from graph.scenarios.files import now, state_of
from graph.scenarios.state import ScenarioState
from graph.store import GraphStore, StoredScenario

_FILES = {"units": "units.csv", "relations": "relations.csv", "events": "events.csv",
          "functions": "functions.csv", "headcounts": "headcount.csv", "people": "people.csv",
          "posts": "posts.csv", "documents": "documents.csv"}


def validated_dataset(state: ScenarioState) -> Dataset:
    """The state as a whole Dataset, checked by the loader's rules; Conflict if it breaks one."""
    from loaders.validate import build_dataset

    dataset = state.dataset()
    records = {file: [(i + 2, r) for i, r in enumerate(getattr(dataset, attr))]
               for attr, file in _FILES.items()}
    problems = ProblemCollector()
    checked = build_dataset(records, {}, problems)
    _check_event_shapes(checked, problems)
    if problems.problems:
        failed = ValidationFailed(problems.problems)
        raise Conflict("the scenario would break the data contract if committed: "
                       + "; ".join(str(p) for p in problems.problems[:5])
                       + (" …" if len(problems.problems) > 5 else ""), errors=failed.errors)
    return dataclasses.replace(checked, warnings=())


def _check_event_shapes(dataset: Dataset, problems: ProblemCollector) -> None:
    try:
        from loaders.parse import EVENT_SHAPES
    except ImportError:  # pragma: no cover - the loader always has it
        return
    for line, e in enumerate(dataset.events, start=2):
        shape = EVENT_SHAPES.get(e.type)
        if shape is None:
            continue
        in_lo, in_hi, out_lo, out_hi = shape
        if len(e.inputs) < in_lo or (in_hi is not None and len(e.inputs) > in_hi) or \
                len(e.outputs) < out_lo or (out_hi is not None and len(e.outputs) > out_hi):
            problems.add("events.csv", line, "inputs", f"event {e.id}: a {e.type} event with "
                         f"{len(e.inputs)} inputs and {len(e.outputs)} outputs")


def commit(store: GraphStore, scenario: StoredScenario) -> dict[str, Any]:
    """Write the scenario into the baseline; return what was written and the new revision."""
    if scenario.committed:
        raise Conflict(f"scenario {scenario.id} was already committed on {scenario.committed}")
    if not scenario.operations:
        raise Conflict(f"scenario {scenario.id} has no operations to commit")
    expected = store.revision
    state = state_of(store, scenario)
    dataset = validated_dataset(state)
    revision = store.replace_dataset(dataset, expected_revision=expected)
    events = state.scenario_events()
    committed = dataclasses.replace(
        scenario, committed=now(),
        extra={**scenario.extra, "committed_revision": revision, "committed_over": expected,
               "events": [e.id for e in events]})
    store.save_scenario(committed)
    return {"scenario": committed, "revision": revision, "previous_revision": expected,
            "events": [e.as_dict() for e in events]}
