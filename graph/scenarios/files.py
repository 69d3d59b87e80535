"""Scenario definitions: plan files (YAML or JSON) and the stored form, and the state
recomputed from a definition."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from graph.dates import DateParseError, PartialDate
from graph.errors import InvalidParameter
from graph.scenarios.apply import OperationConflict, apply, new_state
from graph.scenarios.operations import Operation, operation_to_dict, parse_operations
from graph.scenarios.plan_lines import (InvalidUTF8, PlanLines, PlanTooLarge, compose_plan,
                                        decode_text, node_lines, read_plan_bytes,
                                        too_many_operations)
from graph.scenarios.state import ScenarioState
from graph.store import GraphReader, StoredScenario
from graph.text import words


@dataclass(frozen=True)
class Plan:
    """A plan file: a list of operations, optionally with a name, a date and assumptions."""

    operations: tuple[Operation, ...]
    name: str = ""
    at: str | None = None
    description: str = ""
    assumptions: dict[str, Any] = field(default_factory=dict)
    #: The file it was read from (`read_plan`) and the lines of its keys there, for the
    #: problems found when it is applied (`located`).
    file: str = ""
    lines: PlanLines = field(default_factory=PlanLines, compare=False, repr=False)

    def located(self, exc: OperationConflict) -> OperationConflict:
        """`exc` (an operation of this plan that does not apply) with the plan's file and
        the operation's line in front: `plan.yaml:12: operation 2 (merge): ...`."""
        if not self.file:
            return exc
        line = self.lines.of_operation(exc.index)
        where = f"{self.file}:{line}: " if line is not None else f"{self.file}: "
        errors = [dict(e, file=self.file, line=self.lines.of_problem(e))
                  if "file" not in e and e.get("operation") == exc.index else e
                  for e in exc.errors]
        return OperationConflict(exc.index, exc.op, exc.reason, errors=errors,
                                 context=where + exc.context)


def parse_plan(data: Any, *, source: str = "plan", base: Path | None = None,
               tables: Mapping[str, str] | None = None) -> Plan:
    """A plan from its loaded content: a list of operations, or a mapping with
    `operations` and optionally `name`, `at`, `description`, `assumptions`. A
    `consolidate_map` operation may name its `mapping` table file (relative to `base`;
    with `tables`, the text of each file the plan names, as `expand_mappings` reads it)."""
    from graph.scenarios.mapping import expand_mappings

    if isinstance(data, list):
        return Plan(operations=parse_operations(expand_mappings(data, base, tables)))
    if not isinstance(data, Mapping):
        expected = ("expected a list of operations, or a mapping with `operations` (and "
                    "optionally name, at, description, assumptions)")
        raise InvalidParameter(f"{source}: {expected}",
                               errors=[{"field": None, "message": expected, "line": 1,
                                        "value": None if data is None else str(data)[:200]}])
    allowed = {"operations", "name", "at", "description", "assumptions"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidParameter(f"{source}: unknown field {unknown[0]}; expected one of "
                               + ", ".join(sorted(allowed)),
                               errors=[{"field": k, "message": "unknown field"} for k in unknown])
    not_text = [k for k in ("name", "description")
                if isinstance(data.get(k), (list, Mapping, set, bytes))]
    if not_text:  # it would be stored and shown as its Python text ("['a', 'b']")
        raise InvalidParameter(f"{not_text[0]}: expected a text value",
                               errors=[{"field": k, "message": "expected a text value",
                                        "value": str(data[k])[:200]} for k in not_text])
    at = data.get("at")
    if at is not None:
        at = check_date(str(at), "at")
    assumptions = data.get("assumptions") or {}
    if not isinstance(assumptions, Mapping):
        raise InvalidParameter(f"{source}: assumptions: expected a mapping")
    operations = data.get("operations") or []
    if isinstance(operations, list):
        operations = expand_mappings(operations, base, tables)
    return Plan(operations=parse_operations(operations),
                name=str(data.get("name") or ""), at=at,
                description=str(data.get("description") or ""), assumptions=dict(assumptions))


def read_plan(path: Path | str) -> Plan:
    """Read a plan file (`.json`, or YAML for anything else). Bounded before it is read:
    its bytes (`plan_lines.max_plan_bytes`), then its operations (a scenario's
    `max_operations`), at the line of the first beyond."""
    path = Path(path)
    try:
        text = decode_text(read_plan_bytes(path, str(path)), str(path))
    except PlanTooLarge as exc:
        raise _too_large(exc) from None
    except FileNotFoundError:
        raise InvalidParameter(f"{path}: no such file") from None
    except InvalidUTF8 as exc:
        raise InvalidParameter(str(exc), errors=[{"file": str(path), "line": exc.line,
                                                  "column": exc.column, "value": exc.found,
                                                  "message": exc.message}]) from None
    except OSError as exc:
        raise InvalidParameter(f"{path}: cannot read the plan: {exc.strerror or exc}") from None
    is_json = path.suffix.lower() == ".json"
    limit = max_operations()
    try:
        if is_json:
            node, data = None, json.loads(text)
            _check_json_operations(data, str(path), limit)
        else:  # composed once: its lines are read from the same nodes
            node, data = compose_plan(text, max_operations=limit, name=str(path))
    except PlanTooLarge as exc:
        raise _too_large(exc) from None
    except json.JSONDecodeError as exc:
        raise InvalidParameter(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}",
                               errors=[{"file": str(path), "line": exc.lineno,
                                        "column": exc.colno, "message": exc.msg}]) from None
    except RecursionError:
        raise InvalidParameter(f"{path}: not valid JSON: nested too deeply to read") from None
    except yaml.YAMLError as exc:
        # `plan.yaml:5:3: not valid YAML: found character '\t' ...`, where the problem is
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise InvalidParameter(f"{where}: not valid YAML: {problem}",
                               errors=[{"file": str(path), "message": problem,
                                        "line": mark.line + 1 if mark else None,
                                        "column": mark.column + 1 if mark else None}]) from None
    lines = PlanLines() if is_json else node_lines(node)
    try:
        plan = parse_plan(data, source=str(path), base=path.parent)
    except InvalidParameter as exc:
        raise _at_lines(exc, str(path), lines) from None
    return dataclasses.replace(plan, file=str(path), lines=lines)


def max_operations() -> int:
    """The most operations a plan file may list: what a scenario may hold
    (`ScenarioLimits.max_operations`, BOMAY_SCENARIO_MAX_OPERATIONS)."""
    from graph.scenarios.service import ScenarioLimits  # the service imports this module

    return ScenarioLimits.from_env().max_operations


def _check_json_operations(data: Any, name: str, limit: int) -> None:
    """A JSON plan's operations bounded as a YAML plan's are (JSON keeps no lines: the
    problem names the operation by its number)."""
    items = data.get("operations") if isinstance(data, Mapping) else data
    if not isinstance(items, list) or len(items) <= limit:
        return
    raise too_many_operations(name, len(items), limit, None)


def _too_large(exc: PlanTooLarge) -> InvalidParameter:
    """A plan file beyond a bound as the problem the CLI prints: `plan.yaml:503: ...`."""
    return InvalidParameter(str(exc), errors=[exc.problem()])


def _at_lines(exc: InvalidParameter, file: str, lines: PlanLines) -> InvalidParameter:
    """A plan file's problems with the file and each problem's line: the headline (the
    first problem's, as `parse_operations` writes it) prefixed `plan.yaml:7: `, every item
    of `errors` given `file` and `line` (a mapping table's problems name their own file)."""
    detail = exc.detail
    if detail.startswith(f"{file}: "):  # parse_plan's own problems name the file
        detail = detail[len(file) + 2:]
    elif detail.startswith(file):
        return exc
    errors = [e if "file" in e else dict(e, file=file, line=e.get("line") or lines.of_problem(e))
              for e in exc.errors]
    first = errors[0].get("line") if errors else None
    where = f"{file}:{first}: " if first is not None else f"{file}: "
    return type(exc)(where + detail, errors=errors)


def check_date(text: str, name: str = "at") -> str:
    try:
        return str(PartialDate.parse(text))
    except DateParseError as exc:
        raise InvalidParameter(f"{name}: {exc}", errors=[{"field": name, "message": str(exc),
                                                          "value": text}]) from None


# -- stored definitions ---------------------------------------------------------------------------
def new_scenario_id(name: str) -> str:
    slug = "-".join(words(name))[:40].strip("-") or "scenario"
    return f"{slug}-{secrets.token_hex(3)}"


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def event_prefix(scenario_id: str) -> str:
    return f"sc-{scenario_id}"


def new_definition(name: str, at: str, description: str, base_revision: str,
                   operations: tuple[Operation, ...] = ()) -> StoredScenario:
    if not name.strip():
        raise InvalidParameter("name: a scenario needs a name",
                               errors=[{"field": "name", "message": "is required"}])
    # NFC, as every text of bomay: an NFD-encoded `Tổ` is stored as NFC (and found so)
    name, description = unicodedata.normalize("NFC", name), unicodedata.normalize("NFC",
                                                                                  description)
    return StoredScenario(id=new_scenario_id(name), name=name.strip(), at=check_date(at),
                          description=description, base_revision=base_revision,
                          operations=tuple(operation_to_dict(o) for o in operations),
                          created=now())


def state_of(reader: GraphReader, scenario: StoredScenario,
             operations: tuple[dict[str, Any], ...] | None = None) -> ScenarioState:
    """The scenario's state, recomputed from its definition against `reader`.

    When the baseline changed since the scenario was made and an operation no longer
    applies, the Conflict says so."""
    ops = scenario.operations if operations is None else operations
    state = new_state(reader, scenario.at, name=scenario.name,
                      event_prefix=event_prefix(scenario.id))
    if not ops:
        return state
    try:
        state, _ = apply(state, parse_operations(list(ops)))
    except OperationConflict as exc:
        if scenario.base_revision and scenario.base_revision != reader.revision:
            raise exc.renamed(context=f"the baseline changed since scenario {scenario.id} "
                              f"was made (revision {scenario.base_revision}, now "
                              f"{reader.revision}) and ") from None
        raise
    return state


def definition_as_dict(scenario: StoredScenario) -> dict[str, Any]:
    return {"id": scenario.id, "name": scenario.name, "at": scenario.at,
            "description": scenario.description, "operations": list(scenario.operations),
            "base_revision": scenario.base_revision, "created": scenario.created,
            "committed": scenario.committed or None, **({"extra": scenario.extra}
                                                          if scenario.extra else {}),
            # A plan of the dataset says so, with its status, date, basis and source.
            **({"plan": True, **scenario.extra["plan"]} if "plan" in scenario.extra
               else {"plan": False})}


def plan_as_dict(scenario: StoredScenario) -> dict[str, Any]:
    """A stored scenario as a plan file's content (`read_plan` reads it back)."""
    body: dict[str, Any] = {"name": scenario.name, "at": scenario.at}
    if scenario.description:
        body["description"] = scenario.description
    assumptions = scenario.extra.get("assumptions")
    if assumptions:
        body["assumptions"] = dict(assumptions)
    body["operations"] = [dict(op) for op in scenario.operations]
    return body
