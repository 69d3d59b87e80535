"""Committing a scenario: its state written into the baseline as dated events, atomically.

The operations are re-applied to the *current* baseline (so a baseline that changed in a
way that conflicts refuses the commit with a 409 saying which operation and why), the
whole new dataset is checked with the loader's own cross-file rules
(`graph.validation.check_dataset`), and the store replaces its baseline only if its
revision is still the one the scenario was re-applied to.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from graph.errors import Conflict, ValidationFailed
from graph.model import Dataset
from graph.scenarios.files import now, state_of
from graph.scenarios.state import ScenarioState
from graph.store import GraphStore, StoredScenario
from graph.validation import check_dataset


def validated_dataset(state: ScenarioState) -> Dataset:
    """The state as a whole Dataset, checked by the loader's rules; Conflict if it breaks one."""
    checked, problems = check_dataset(state.dataset())
    if problems:
        failed = ValidationFailed(problems)
        raise Conflict("the scenario would break the data contract if committed: "
                       + "; ".join(str(p) for p in problems[:5])
                       + (" …" if len(problems) > 5 else ""), errors=failed.errors)
    return dataclasses.replace(checked, warnings=())


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
