"""The dataset's plans (`plans/*.yaml`, `graph.model.Plan`) read as scenarios.

A plan is data, loaded with the baseline: it is not a stored scenario, but it is listed and
read like one (`GET /scenarios`, its impact, diff and units), as of the current baseline,
and it cannot be edited, deleted or committed through the API (edit its file and load the
folder again; to adopt it, create a scenario with its operations and commit that).
"""

from __future__ import annotations

from typing import Any

from graph.errors import Conflict
from graph.model import Plan
from graph.scenarios.mapping import expand_mappings
from graph.scenarios.plan_lines import load_plan_yaml
from graph.store import GraphReader, StoredScenario

#: The key of a scenario's `extra` that marks it as a plan of the dataset.
PLAN_KEY = "plan"
#: The key of a plan's `extra` that says why it cannot be applied from this store (a mapping
#: table it names is not held: the store was loaded before plans kept their tables).
UNREADABLE_KEY = "unreadable"


def plan_scenario(plan: Plan, base_revision: str) -> StoredScenario:
    """The plan as a scenario definition (read-only; recomputed against the baseline). A
    `consolidate_map` that names its mapping table gets the table's rows, from the text the
    plan keeps (`Plan.tables`), as a scenario read from a plan file does."""
    # read as the loader read it (`PlanLoader`: `unit: 012` is the id `012`, not 10)
    data = load_plan_yaml(plan.body) if plan.body else {}
    data = data if isinstance(data, dict) else {}
    extra: dict[str, Any] = {PLAN_KEY: plan_info(plan)}
    if data.get("assumptions"):
        extra["assumptions"] = dict(data["assumptions"])
    operations = data.get("operations") or []
    if isinstance(operations, list):
        tables = plan.table_files()
        missing = [op["mapping"].strip() for op in operations
                   if isinstance(op, dict) and op.get("op") == "consolidate_map"
                   and isinstance(op.get("mapping"), str) and op["mapping"].strip() not in tables]
        if missing:
            # Listed as it is written, and refused when read (`unreadable`), not a 422 on
            # a `mapping` field the operation's parser does not know.
            extra[UNREADABLE_KEY] = (
                f"plan {plan.id} ({plan.file}) names the mapping table {missing[0]!r}, which "
                "this store does not hold (it was loaded before a plan's mapping tables were "
                "kept with it): load the dataset's folder again")
        elif tables:
            operations = expand_mappings(operations, None, tables)
    return StoredScenario(id=plan.id, name=plan.name, at=str(plan.at or plan.date),
                          description=plan.description, operations=tuple(operations),
                          base_revision=base_revision, created="", extra=extra)


def plan_info(plan: Plan) -> dict[str, Any]:
    """What a listing says of a plan: status, date, adoption date, basis, source, file,
    units changed."""
    return {"status": plan.status, "date": str(plan.date) if plan.date else None,
            "adopted": str(plan.adopted) if plan.adopted else None,
            "basis": list(plan.basis), "source": plan.source, "file": f"plans/{plan.file}",
            "units": list(plan.units)}


def is_plan(scenario: StoredScenario) -> bool:
    return PLAN_KEY in scenario.extra


def refuse_change(scenario: StoredScenario, doing: str) -> None:
    """Conflict: a plan of the dataset cannot be changed through the scenarios."""
    raise Conflict(f"{scenario.id} is a plan of the dataset ({scenario.extra[PLAN_KEY]['file']}"
                   f", {scenario.extra[PLAN_KEY]['status']}): it cannot be {doing} here; edit "
                   "its file and load the folder again, or create a scenario with its "
                   "operations")


def dataset_plans(reader: GraphReader) -> list[StoredScenario]:
    revision = reader.revision
    return [plan_scenario(p, revision) for p in reader.plans()]
