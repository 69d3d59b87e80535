"""Merge scenarios: what-if reorganisations over the baseline, their impact, and their commit.

- `operations`: the operation dataclasses and their parsing from dicts (YAML / JSON / API);
- `state`: `ScenarioState`, a copy-on-write overlay that implements `GraphReader`;
- `apply`: `apply(state, operations) -> (state, log)`, pure;
- `impact`: `impact(before, after, assumptions) -> report`, pure;
- `diff`: added, removed, moved, renamed and merged units;
- `commit`: a scenario's state as a validated baseline dataset, written atomically;
- `files`: plan files (YAML or JSON) and stored scenario definitions.
"""

from graph.scenarios.apply import LogEntry, apply, new_state
from graph.scenarios.operations import (OPERATIONS, Consolidate, CreateSharedAgency, Dissolve,
                                        Merge, Move, NewUnit, Operation, Rename, Split, SplitPart,
                                        TransferFunction, operation_to_dict, parse_operation,
                                        parse_operations)
from graph.scenarios.state import ScenarioState

__all__ = [
    "OPERATIONS", "Consolidate", "CreateSharedAgency", "Dissolve", "LogEntry", "Merge", "Move",
    "NewUnit", "Operation", "Rename", "ScenarioState", "Split", "SplitPart", "TransferFunction",
    "apply", "new_state", "operation_to_dict", "parse_operation", "parse_operations",
]
