"""Committing a scenario: its state written into the baseline as dated events, atomically.

The operations are re-applied to the *current* baseline (so a baseline that changed in a
way that conflicts refuses the commit with a 409 saying which operation and why), the
whole new dataset is checked with the loader's own cross-file rules
(`graph.validation.check_dataset`), and the store replaces its baseline only if its
revision is still the one the scenario was re-applied to. `validated_dataset` is the check;
the commit itself is `graph.scenarios.service.ScenarioService.commit` (`commit` here
delegates to it).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from graph.errors import Conflict, ValidationFailed
from graph.model import Dataset
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


def commit(store: GraphStore, scenario: StoredScenario | str, *, who: str = "") -> dict[str, Any]:
    """Write a stored scenario into the baseline; return what was written and the new revision.

    The one commit path is `ScenarioService.commit` (the claim against a concurrent delete
    or edit, the version check, the report kept, the change log's `who`): this delegates
    to it."""
    from graph.scenarios.service import ScenarioService  # the service imports this module

    scenario_id = scenario if isinstance(scenario, str) else scenario.id
    result = ScenarioService(store).commit(scenario_id, who=who)
    return {"scenario": result.scenario, "revision": result.revision,
            "previous_revision": result.previous_revision, "events": list(result.events)}
