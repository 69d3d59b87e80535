"""Where things are written in a YAML plan file: the line of each top-level key, of each
operation and of each of its keys, of each row of a `consolidate_map` written in the plan
and of each of its names, so that a problem found later (parsing an operation, applying
it) names the line a planner has to change.

Read from the YAML's node tree (`yaml.compose`), never from the loaded values, which
have no positions. Shared by `graph.scenarios.files.read_plan` (plan files given to the
CLI) and `loaders.plans` (a dataset's `plans/*.yaml`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

#: How an operation's problems name it (`graph.scenarios.operations`): "operation 3".
_OPERATION = re.compile(r"operation (\d+)")


@dataclass(frozen=True)
class PlanLines:
    """The 1-based lines of a plan file's keys: `top` (top-level key -> line) and, per
    operation, key -> line (key '' is the operation's own line; `rows[0]`,
    `rows[0].names`, `rows[0].names=Tân Lập` for rows written in the plan)."""

    top: dict[str, int] = field(default_factory=dict)
    operations: list[dict[str, int]] = field(default_factory=list)

    def of_operation(self, index: int, key: str | None = None) -> int | None:
        """The line of operation `index` (from 1), or of its `key` (a problem's field:
        `units`, `rows[2].names`, `new.id`) when written; None: no such operation."""
        if not 1 <= index <= len(self.operations):
            return None
        lines = self.operations[index - 1]
        if key:
            for candidate in (key, key.split(".")[0], key.split(".")[0].split("[")[0]):
                if candidate in lines:
                    return lines[candidate]
        return lines[""]

    def of_problem(self, problem: dict) -> int | None:
        """The line of one problem of `InvalidParameter.errors` / a conflict's `errors`:
        its operation (`operation`: "operation 2" or 2) and its field; a top-level field's
        line when it names no operation."""
        where = problem.get("operation")
        index = where if isinstance(where, int) else None
        if isinstance(where, str) and (m := _OPERATION.match(where)):
            index = int(m.group(1))
        key = problem.get("field")
        key = str(key) if key else None
        if index is not None:
            return self.of_operation(index, key)
        return self.top.get(key.split(".")[0]) if key else None


class PlanLoader(yaml.SafeLoader):
    """YAML's safe loader, but an impossible date (`2020-13-01`, which YAML's own reader
    fails on with a bare ValueError) stays its text, for the field's own check to name
    with its line (every plan file is read with it: the CLI's and a dataset's)."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


PlanLoader.add_constructor("tag:yaml.org,2002:timestamp", PlanLoader.construct_yaml_timestamp)


def load_plan_yaml(text: str) -> Any:
    """A plan file's YAML content, read with `PlanLoader`."""
    return yaml.load(text, Loader=PlanLoader)  # noqa: S506 - a safe loader


def plan_lines(text: str) -> PlanLines:
    """The lines of a YAML plan's text (empty when it is not YAML: its own parse says why)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return PlanLines()
    return node_lines(node)


def node_lines(node: yaml.Node | None) -> PlanLines:
    """`plan_lines` of a composed node: a mapping with `operations`, or a list of them."""
    top: dict[str, int] = {}
    ops: list[dict[str, int]] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            top[str(key.value)] = key.start_mark.line + 1
            if key.value == "operations" and isinstance(value, yaml.SequenceNode):
                ops = [_item_lines(item) for item in value.value]
    elif isinstance(node, yaml.SequenceNode):
        ops = [_item_lines(item) for item in node.value]
    return PlanLines(top, ops)


def _item_lines(item: yaml.Node) -> dict[str, int]:
    out = {"": item.start_mark.line + 1}
    if isinstance(item, yaml.MappingNode):
        for key, value in item.value:
            out[str(key.value)] = key.start_mark.line + 1
            if key.value == "rows" and isinstance(value, yaml.SequenceNode):
                for i, row in enumerate(value.value):
                    out.update(_row_lines(f"rows[{i}]", row))
    return out


def _row_lines(prefix: str, row: yaml.Node) -> dict[str, int]:
    """The lines of a `consolidate_map` row written in the plan: `rows[0]`, each key
    (`rows[0].names`) and each name of a list (`rows[0].names=Tân Lập`), for its problems."""
    out = {prefix: row.start_mark.line + 1}
    if isinstance(row, yaml.MappingNode):
        for key, value in row.value:
            out[f"{prefix}.{key.value}"] = key.start_mark.line + 1
            if key.value == "names" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    if isinstance(item, yaml.ScalarNode):
                        out[f"{prefix}.names={name_text(str(item.value))}"] = \
                            item.start_mark.line + 1
    return out


def name_text(text: str) -> str:
    """A name as the operation keeps it (NFC, whitespace collapsed)."""
    return " ".join(unicodedata.normalize("NFC", text).split())
