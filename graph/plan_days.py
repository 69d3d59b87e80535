"""A dataset's plan as it stood on a day: before its adoption date it was only planned.

A plan (`graph.model.Plan`, `plans/*.yaml`) may say when it was adopted (`adopted`). A
day's cut of the dataset (an export `at` a day, `graph.formats.view.plans_of`) writes a
plan adopted after that day as it was then: `status: planned`, without `adopted`, its file
rewritten so (the other lines, comments included, as written), so that the folder loads
back with the plan as it stood. A plan adopted with no adoption date stays adopted on
every day: nothing says since when.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import yaml

from graph.model import Plan
from graph.scenarios.plan_lines import compose_text, safe_load_text


def adopted_by(plan: Plan, day: dt.date) -> bool:
    """Whether the plan was adopted on `day`: adopted, on or before it (a partial date at its
    first day, as every date is compared), or with no adoption date."""
    return plan.status == "adopted" and (plan.adopted is None
                                         or plan.adopted.first_day() <= day)


def plan_on(plan: Plan, day: dt.date) -> Plan:
    """The plan as it stood on `day`: itself, or, adopted after that day, planned (no
    `adopted`, its file's `status` and `adopted` lines rewritten)."""
    if plan.status != "adopted" or adopted_by(plan, day):
        return plan
    return dataclasses.replace(plan, status="planned", adopted=None,
                               body=_planned_body(plan.body))


def _planned_body(text: str) -> str:
    """A plan file's text with `status: planned` and no `adopted` key: the two entries
    edited in place in a block mapping (each other line as written), the whole file
    written anew when that does not give the same content (a flow mapping, say)."""
    data = safe_load_text(text) if text else None  # libyaml: a plan may be MBs
    if not isinstance(data, dict):
        return text
    wanted = {k: v for k, v in data.items() if k != "adopted"}
    wanted["status"] = "planned"
    edited = _edited(text)
    try:
        if edited is not None and safe_load_text(edited) == wanted:
            return edited
    except yaml.YAMLError:
        pass
    return yaml.safe_dump(wanted, allow_unicode=True, sort_keys=False)


def _edited(text: str) -> str | None:
    """The block mapping's `status` value replaced and its `adopted` entry removed (its
    lines, through the end of the value's line), or None if the file is not so written."""
    node = compose_text(text)
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        return None
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), character offsets
    for key, value in node.value:
        if key.value == "status" and isinstance(value, yaml.ScalarNode):
            edits.append((value.start_mark.index, value.end_mark.index, "planned"))
        elif key.value == "adopted":
            start = text.rfind("\n", 0, key.start_mark.index) + 1
            end = text.find("\n", value.end_mark.index)
            edits.append((start, len(text) if end < 0 else end + 1, ""))
    out = text
    for start, end, replacement in sorted(edits, reverse=True):
        out = out[:start] + replacement + out[end:]
    return out
