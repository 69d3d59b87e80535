"""Reading the plans of a dataset folder (`plans/*.yaml`) and checking them on its baseline.

A plan is a plan file of `docs/scenarios.md` (operations, name, at, description,
assumptions) plus what makes it data: `status` (`planned` or `adopted`), `date` (when it
was made or presented), `basis` (document ids) and `source` (where it comes from), and
optionally its `id` (default: the file's name without `.yaml`). It is never part of the
baseline: it is kept beside it (`Dataset.plans`), with the units it would change.

Two passes, each reporting every problem with file, line and field:
- `read_plan_files`: the YAML and the plan's own fields (`plans/x.yaml:4: [status] ...`);
- `check_plans`, once the baseline is valid: the operations are applied to the baseline
  as of the plan's date, so a reference to a unit or a document that does not exist (or
  not then) is refused, naming the operation's line; a failing operation is skipped and
  the ones after it checked without it, so that every failing operation is reported.
"""

from __future__ import annotations

import csv
import dataclasses
import posixpath
import re
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Mapping

import yaml

from graph.contract import PLAN_STATUSES, PLANS_FOLDER, valid_id
from graph.dates import DateParseError, PartialDate
from graph.errors import BomayError, ProblemCollector
from graph.model import Dataset, Plan, plan_tables
from graph.scenarios.operations import id_text
from graph.scenarios.plan_lines import (DATASET_BOUND, InvalidUTF8, PlanTooLarge, compose_plan,
                                        decode_text, name_text, node_lines, read_plan_bytes,
                                        read_table_bytes)

#: The fields of a plan file: the scenario plan-file fields and the plan's own.
PLAN_FIELDS = ("id", "name", "status", "date", "adopted", "at", "basis", "source",
               "description", "operations", "assumptions")
#: The fields `graph.scenarios.files.parse_plan` reads.
_SCENARIO_FIELDS = ("name", "at", "description", "operations", "assumptions")
_OPERATION = re.compile(r"operation (\d+)")
#: Where a mapping table's row comes from: `communes.csv:7` (a file), `row 3` (the plan).
_ROW_LINE = re.compile(r"(.+):(\d+)")
_ROW_LABEL = re.compile(r"row (\d+)")
#: How many failed operations a problem lists by number ("checked without ..."); the rest
#: are counted.
_LISTED_FAILURES = 5


@dataclasses.dataclass
class PlanSource:
    """One plan file as read: its record (units not known yet), its content, and the lines
    of its fields and operations for the problems found later."""

    file: str
    plan: Plan
    data: dict[str, Any]
    lines: dict[str, int]
    operation_lines: list[dict[str, int]]


def read_plan_files(folder: Path, problems: ProblemCollector) -> list[PlanSource]:
    """Every `*.yaml`/`*.yml` file of `folder` (a dataset's `plans/`), checked alone."""
    out: list[PlanSource] = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() or path.name.startswith("."):
            continue
        file = f"{PLANS_FOLDER}/{path.name}"
        if path.suffix.lower() not in (".yaml", ".yml"):
            problems.add(file, None, None, "unknown file in plans/: expected plan files "
                         "named *.yaml")
            continue
        if not inside_dataset(path, folder.parent):
            problems.add(file, None, None, "the plan file is a link to a file outside the "
                         f"dataset folder: expected the plan itself in {PLANS_FOLDER}/")
            continue
        try:
            text = decode_text(read_plan_bytes(path, file), file)
        except PlanTooLarge as exc:  # refused before it is read
            problems.add(file, exc.line, exc.field, exc.message, str(exc.value))
            continue
        except InvalidUTF8 as exc:
            problems.add(file, exc.line, None, exc.message, exc.found, exc.column)
            continue
        source = read_plan_text(file, text, problems)
        if source is not None:
            out.append(source)
    seen: dict[str, str] = {}
    for s in out:
        if s.plan.id in seen:
            problems.add(s.file, s.lines.get("id", 1), "id", f"duplicate plan id; already the "
                         f"id of {seen[s.plan.id]}", s.plan.id)
        seen.setdefault(s.plan.id, s.file)
    return out


def read_plan_text(file: str, text: str, problems: ProblemCollector) -> PlanSource | None:
    """One plan file's text: its record, or None after reporting why it is not a plan
    (a plan of more operations than a scenario may hold by default, at the first beyond,
    unread: a server's own bound, set for what clients send, does not apply to its data)."""
    from graph.scenarios.service import ScenarioLimits

    try:
        node, data = compose_plan(text, max_operations=ScenarioLimits().max_operations,
                                  name=file, bound=DATASET_BOUND)
    except PlanTooLarge as exc:
        problems.add(file, exc.line, exc.field, exc.message, str(exc.value))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add(file, mark.line + 1 if mark else None, getattr(exc, "field", None),
                     f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                     column=mark.column + 1 if mark else None)
        return None
    if not isinstance(data, Mapping):
        problems.add(file, 1, None, "expected a mapping with name, status, operations (and "
                     "optionally id, date, adopted, at, basis, source, description, "
                     "assumptions)")
        return None
    where = node_lines(node)
    lines, op_lines = where.top, where.operations
    ok = True

    def fail(key: str | None, message: str, value: Any = None) -> None:
        nonlocal ok
        ok = False
        problems.add(file, lines.get(key or "", 1), key, message,
                     None if value is None else str(value))

    for key in data:
        if key not in PLAN_FIELDS:
            fail(str(key), "unknown field; expected one of " + ", ".join(PLAN_FIELDS), key)
    stem = Path(file).stem
    ident = str(data.get("id") or stem)
    if not valid_id(ident):
        fail("id", "not a valid id (letters, digits, '_', '-', '.', ':')", ident)
    not_text = [key for key in ("name", "description", "source")
                if isinstance(data.get(key), (list, dict, set, bytes))]
    for key in not_text:
        # a list or a mapping would be stored as its Python text ("['a', 'b']")
        fail(key, "expected a text value", data[key])
    name = str(data.get("name") or "").strip()
    if not name and "name" not in not_text:
        fail("name", "missing required value: the plan's name")
    status = data.get("status")
    if status not in PLAN_STATUSES:
        fail("status", "missing required value; expected one of " + ", ".join(PLAN_STATUSES)
             if status is None else "unknown plan status; expected one of "
             + ", ".join(PLAN_STATUSES), status)
    dates: dict[str, PartialDate | None] = {}
    for key in ("date", "adopted", "at"):
        raw = data.get(key)
        dates[key] = None
        if raw is None or raw == "":
            continue
        try:
            dates[key] = PartialDate.parse(str(raw))
        except DateParseError as exc:
            fail(key, str(exc), raw)
    if dates["at"] is None and dates["date"] is None and ok:
        fail("date", "missing required value: the plan's date (or `at`, the date it applies on)")
    adopted, made = dates["adopted"], dates["date"]
    if adopted is not None and status == "planned":
        fail("adopted", "a planned plan has no adoption date: set status: adopted, or remove "
             "adopted", data.get("adopted"))
    elif adopted is not None and made is not None and adopted.last_day() < made.first_day():
        # Partial dates stand for periods: only one that ends before the plan was made is
        # certainly too early (adopted 2020-06 of a plan made on 2020-06-18 may be right).
        fail("adopted", f"adopted before the plan's date {made}: a plan is adopted on or "
             "after the day it was made", data.get("adopted"))
    basis = data.get("basis") or []
    if isinstance(basis, str):
        basis = [b.strip() for b in basis.split(";") if b.strip()]
    if isinstance(basis, list):  # a document id written as a whole number is its text
        basis = [id_text(b) for b in basis]
    if not isinstance(basis, list) or not all(isinstance(b, str) for b in basis):
        fail("basis", "expected a list of document ids", basis)
        basis = []
    operations = data.get("operations")
    if not isinstance(operations, list) or not operations:
        fail("operations", "missing required value: a list of at least one operation",
             operations)
    if not ok:
        return None
    plan = Plan(id=ident, name=_nfc(name), status=str(status), date=dates["date"],
                adopted=dates["adopted"], at=dates["at"] or dates["date"], basis=tuple(basis),
                description=_nfc(str(data.get("description") or "")),
                source=_nfc(str(data.get("source") or "")), file=Path(file).name, body=text)
    return PlanSource(file, plan, dict(data), lines, op_lines)


def _nfc(text: str) -> str:
    """A plan's text as every cell of the dataset is read: NFC (an NFD `Tổ` is `Tổ`)."""
    return unicodedata.normalize("NFC", text)


def check_plans(sources: list[PlanSource], dataset: Dataset, folder: Path | None,
                problems: ProblemCollector) -> tuple[Plan, ...]:
    """Apply each plan to the valid baseline `dataset`; the plans with the units each would
    change, the problems of those that do not apply reported with their lines."""
    # Imported here: only a folder with plans pays for the scenario engine.
    from graph.embedded.memory import MemoryGraph
    from graph.scenarios.apply import new_state
    from graph.scenarios.files import parse_plan

    baseline = MemoryGraph(dataset)
    documents = {d.id for d in dataset.documents}
    out: list[Plan] = []
    for s in sources:
        bad_basis = [b for b in s.plan.basis if b not in documents]
        for doc in bad_basis:
            problems.add(s.file, s.lines.get("basis", 1), "basis", "refers to no document: "
                         "expected an id from documents.csv", doc)
        if bad_basis:
            continue
        tables = _read_tables(s, folder, problems)
        if tables is None:
            continue
        content = {k: v for k, v in s.data.items() if k in _SCENARIO_FIELDS}
        content["at"] = str(s.plan.at)
        try:
            # the plan's own fields (at, assumptions); its operations one by one below
            parse_plan({k: v for k, v in content.items() if k != "operations"},
                       source=s.file, base=folder)
            state = new_state(baseline, str(s.plan.at), name=s.plan.name,
                              event_prefix=f"plan-{s.plan.id}")
        except BomayError as exc:
            _report(s, exc, problems, folder)
            continue
        todo, failed = _parse_each(s, content["operations"], problems, folder, tables)
        state, refused = _apply_in_turn(s, state, todo, failed, problems, folder)
        if refused:
            continue  # a plan is kept only when every operation applies
        out.append(dataclasses.replace(s.plan, units=_changed_units(state, baseline),
                                       tables=plan_tables(tables)))
    return tuple(out)


def _read_tables(s: PlanSource, folder: Path | None,
                 problems: ProblemCollector) -> dict[str, str] | None:
    """The text of each mapping table the plan names (path as written -> text), or None
    after reporting, at the operation's `mapping` line, a table that cannot be read or
    lies outside the dataset folder.

    A plan's tables are kept with it (`Plan.tables`): they are served and exported with
    it, so they must travel with the folder (`plans/tables/` is their place)."""
    from graph.scenarios.mapping import mapping_paths

    out: dict[str, str] = {}
    ok = True
    operations = s.data.get("operations")
    for i, op in enumerate(operations if isinstance(operations, list) else ()):
        for path in mapping_paths([op]):
            op_lines = s.operation_lines[i] if i < len(s.operation_lines) else {}
            line = op_lines.get("mapping", op_lines.get("", s.lines.get("operations", 1)))
            field = f"operations[{i}].mapping"
            where = table_path(path)
            if where is None:
                problems.add(s.file, line, field, "the mapping table is not in a folder of "
                             f"the dataset: keep it in {PLANS_FOLDER}/tables/ (named "
                             "relative to the plan file: tables/communes.csv), so that the "
                             "plan is served and exported with it", path)
                ok = False
                continue
            if path in out:
                continue
            base = folder if folder is not None else Path(PLANS_FOLDER)
            if not inside_dataset(base / path, base.parent):
                problems.add(s.file, line, field, "the mapping table is a link to a file "
                             f"outside the dataset folder: keep the table itself in "
                             f"{PLANS_FOLDER}/tables/, so that the plan is served and "
                             "exported with it", path)
                ok = False
                continue
            try:
                out[path] = decode_text(read_table_bytes(base / path, where), where)
            except PlanTooLarge as exc:
                problems.add(s.file, line, field, f"{where}: {exc.message}", str(exc.value))
                ok = False
            except FileNotFoundError:
                problems.add(s.file, line, field, f"no such mapping table: {where}", path)
                ok = False
            except IsADirectoryError:
                problems.add(s.file, line, field, f"the mapping table {where} is a folder: "
                             "expected a CSV or YAML file", path)
                ok = False
            except InvalidUTF8 as exc:  # at the byte, in the table
                problems.add(where, exc.line, None, f"{s.file}: operation {i + 1} "
                             f"(consolidate_map): {exc.message}", exc.found, exc.column)
                ok = False
            except OSError as exc:
                problems.add(s.file, line, field, f"cannot read the mapping table {where}: "
                             f"{exc.strerror or exc}", path)
                ok = False
    return out if ok else None


def inside_dataset(path: Path, root: Path) -> bool:
    """Whether `path`, its links followed, lies in a folder of the dataset folder `root`
    (not above it, nor at its top among the CSV files). A missing file is inside: its
    reading says it is missing."""
    try:
        where, top = path.resolve(), root.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return False
    if not path.exists():
        return True
    return where.is_relative_to(top) and where.parent != top


def table_path(path: str) -> str | None:
    """Where a mapping table a plan names (relative to `plans/`) lies in the dataset folder
    (`plans/tables/communes.csv`), or None if it is not in one of the folder's folders
    (absolute, above the dataset folder, or at its top among the CSV files, where the
    loader would read it as one of them)."""
    if PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute() \
            or "\\" in path:
        return None
    where = posixpath.normpath(posixpath.join(PLANS_FOLDER, path))
    return None if where.startswith("../") or "/" not in where else where


def _parse_each(s: PlanSource, items: list[Any], problems: ProblemCollector,
                folder: Path | None, tables: dict[str, str]) \
        -> tuple[list[tuple[int, Any]], list[int]]:
    """The plan's operations that parse, with their numbers (from 1), and the numbers of
    those that do not (each problem of theirs reported); `tables`: the text of the mapping
    tables they name (`_read_tables`)."""
    from graph.scenarios.mapping import expand_mappings
    from graph.scenarios.operations import parse_operations

    todo: list[tuple[int, Any]] = []
    failed: list[int] = []
    for position, item in enumerate(items, 1):
        try:
            (op,) = parse_operations(expand_mappings([item], folder, tables, start=position),
                                     start=position)
        except BomayError as exc:
            _report(s, exc, problems, folder, position)
            failed.append(position)
            continue
        todo.append((position, op))
    return todo, failed


def _apply_in_turn(s: PlanSource, state: Any, todo: list[tuple[int, Any]], failed: list[int],
                   problems: ProblemCollector, folder: Path | None) -> tuple[Any, bool]:
    """The state after the operations `todo` (numbered), each failing one reported at its
    line and skipped, and whether any operation failed (here, or in `failed`: those that do
    not parse). The operations after a failing one are checked on the state without it,
    and their problems say so; a failure that names no operation ends the check. All at
    once first: a plan that applies costs one pass, as before; a failure re-applies only
    the operations before it (`apply` returns nothing on a conflict)."""
    from graph.scenarios.apply import OperationConflict, apply

    failed = list(failed)
    start = 0  # the first operation of `todo` not applied yet
    while start < len(todo):
        try:
            state, _ = apply(state, [op for _, op in todo[start:]])
            break
        except BomayError as exc:
            found = ProblemCollector()
            if not isinstance(exc, OperationConflict):
                _report(s, exc, found, folder)
                _add_checked_without(found, sorted(failed), problems)
                return state, True
            # `apply` numbers an operation after those the state holds, without the skipped
            at = start + exc.index - len(state.operations) - 1
            position = todo[at][0]
            _report(s, exc if exc.index == position else exc.renamed(index=position), found,
                    folder)
            _add_checked_without(found, sorted(n for n in failed if n < position), problems)
            if at > start:
                state, _ = apply(state, [op for _, op in todo[start:at]])
            failed.append(position)
            start = at + 1
    return state, bool(failed)


def _add_checked_without(found: ProblemCollector, failed: list[int],
                         problems: ProblemCollector) -> None:
    """`found`'s problems into `problems`, each saying which failed operations the state
    it was checked on lacks (`checked without operation 2, which failed`)."""
    if not failed:
        problems.problems.extend(found.problems)
        return
    numbers = [str(n) for n in failed]
    if len(numbers) > _LISTED_FAILURES:
        # each problem lists those before it: 3,000 failing operations made 24 MB of text
        numbers = numbers[:_LISTED_FAILURES - 1] + [f"{len(numbers) - _LISTED_FAILURES + 1} "
                                                    "others"]
    which = f"operation {numbers[0]}" if len(numbers) == 1 else \
        f"operations {', '.join(numbers[:-1])} and {numbers[-1]}"
    note = f" (checked without {which}, which failed)"
    problems.problems.extend(dataclasses.replace(p, message=p.message + note)
                             for p in found.problems)


def _report(s: PlanSource, exc: BomayError, problems: ProblemCollector,
            folder: Path | None = None, position: int | None = None) -> None:
    """`exc`'s problems at their lines; `position`: the number of the operation being read
    (its problems may not say it: a mapping table that cannot be read)."""
    index = getattr(exc, "index", None)
    items = exc.errors or [{}]
    if index is not None and any("key" in item for item in items):
        # the names of a mapping table (`graph.scenarios.mapping_names`): one problem each
        for item in items:
            _report_row(s, index, str(getattr(exc, "op", "")), item, problems, folder)
        return
    for item in items:
        n = index
        where = item.get("operation")
        if n is None and isinstance(where, str) and _OPERATION.match(where):
            n = int(_OPERATION.match(where).group(1))  # type: ignore[union-attr]
        if isinstance(where, int):
            n = where
        if n is None:
            n = position
        if n is not None and _in_table(s, n, exc, item, problems, folder):
            if index is not None:
                break
            continue
        field = item.get("field")
        line = s.lines.get("operations", 1)
        if n is not None and 1 <= n <= len(s.operation_lines):
            op_lines = s.operation_lines[n - 1]
            key = str(field).split(".")[0].split("[")[0] if field else ""
            line = op_lines.get(key, op_lines[""])
        message = exc.detail if not item.get("message") or index is not None else \
            f"{where}: {item['message']}" if where else str(item["message"])
        problems.add(s.file, line, str(field) if field else "operations", message,
                     None if item.get("value") is None else str(item.get("value")))
        if index is not None:
            break  # a conflict is one problem, however many details it carries


def _report_row(s: PlanSource, index: int, op: str, item: dict[str, Any],
                problems: ProblemCollector, folder: Path | None) -> None:
    """One name of a `consolidate_map` that gives no single unit, as the problem of its row:
    a row written in the plan at the line of the row's name (`plans/x.yaml:12:
    [operations[1].rows[2].names]`); a row of a mapping table file at its line and column
    there (`plans/tables/communes.csv:7:3: [names]`), the message naming the plan."""
    where, key = str(item.get("field") or ""), str(item.get("key") or "names")
    value = None if item.get("value") is None else str(item["value"])
    # the units the name could be, structured as the 409 gives them
    detail = {"candidates": item.get("candidates"), "nearest": item.get("nearest")}
    written = s.data.get("operations")
    data = written[index - 1] if isinstance(written, list) and 1 <= index <= len(written) \
        else {}
    op_lines = s.operation_lines[index - 1] if 1 <= index <= len(s.operation_lines) else {}
    line = op_lines.get("", s.lines.get("operations", 1))
    table = data.get("mapping") if isinstance(data, Mapping) else None
    at_line = _ROW_LINE.fullmatch(where)
    if isinstance(table, str) and at_line and Path(table.strip()).name == at_line.group(1):
        path = PurePosixPath(table.strip())
        file = str(path) if path.is_absolute() else \
            posixpath.normpath(posixpath.join(posixpath.dirname(s.file), str(path)))
        base = folder if folder is not None else Path(".")
        problems.add(file, int(at_line.group(2)), key,
                     f"{s.file}: operation {index} ({op}): {item.get('message')}", value,
                     _column(base / table.strip(), key), **detail)
        return
    row = _ROW_LABEL.fullmatch(where)
    field = "operations"
    if row:
        prefix = f"rows[{int(row.group(1)) - 1}]"
        field = f"operations[{index - 1}].{prefix}.{key}"
        line = op_lines.get(f"{prefix}.names={name_text(value or '')}",
                            op_lines.get(f"{prefix}.{key}", op_lines.get(prefix, line)))
    problems.add(s.file, line, field, f"operation {index} ({op}): {where}: "
                 f"{item.get('message')}", value, **detail)


#: A problem of a mapping table's row: `communes.csv:7`, maybe followed by the row's field
#: (`communes.csv:7: new.id`, as `parse_operations` names it) or by the message (a conflict).
_TABLE_PLACE = re.compile(r"(?P<file>[^\s:][^:]*\.(?:csv|ya?ml|json|txt)):(?P<line>\d+)"
                          r"(?::\s*(?P<rest>.*))?", re.S)
#: The CSV column a row's field is read from (`graph.scenarios.mapping`).
_COLUMNS = {"new.id": ("new_id",), "new.name": ("new_name",), "new": ("new_id",),
            "units": ("units", "old_id"), "names": ("names", "old_name"),
            "unit_names": ("old_name",), "within": ("within",), "parent": ("parent",),
            **{f"new.{k}": (k,) for k in ("name_en", "abbr", "kind", "level", "area")}}


def _in_table(s: PlanSource, n: int, exc: BomayError, item: dict[str, Any],
              problems: ProblemCollector, folder: Path | None) -> bool:
    """Report a problem of a row of the mapping table that operation `n` names at that
    table's file, line and column (`plans/tables/communes.csv:3:1: [new_id] plans/x.yaml:
    operation 1 (consolidate_map): new unit n1 is also made by communes.csv:2`), not at
    the plan's line; False when it is not one (or the operation names no table file)."""
    written = s.data.get("operations")
    data = written[n - 1] if isinstance(written, list) and 1 <= n <= len(written) else None
    table = data.get("mapping") if isinstance(data, Mapping) else None
    if not isinstance(table, str) or not table.strip():
        return False
    field, message = str(item.get("field") or ""), str(item.get("message") or "")
    key = None
    place = _TABLE_PLACE.fullmatch(field)
    if place is not None:
        key = (place.group("rest") or "").strip() or None
    else:
        place = _TABLE_PLACE.fullmatch(message)
        if place is None:
            return False
        message = place.group("rest") or ""
    if Path(table.strip()).name != place.group("file"):
        return False
    path = PurePosixPath(table.strip())
    file = posixpath.normpath(posixpath.join(posixpath.dirname(s.file), str(path)))
    line = int(place.group("line"))
    base = folder if folder is not None else Path(".")
    value = item.get("value", item.get("unit"))  # a conflict names its unit
    column, column_name = _cell(base / table.strip(), line, key, value)
    op = str(getattr(exc, "op", "") or (data.get("op") if isinstance(data, Mapping) else ""))
    problems.add(file, line, column_name or key, f"{s.file}: operation {n} ({op}): {message}",
                 None if value is None else str(value), column)
    return True


def _cell(path: Path, line: int, key: str | None, value: Any) -> tuple[int | None, str | None]:
    """The 1-based column and the name of the column of a CSV mapping table that `key` (a
    row's field: `new.id`, `units`) is read from, else the column of line `line` that holds
    `value` (a `;`-list item); (None, None) when it is not a CSV file or not found."""
    if path.suffix.lower() != ".csv":
        return None, None
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = [h.strip() for h in next(reader, [])]
            cells: list[str] = []
            end = reader.line_num
            for row in reader:
                if end + 1 == line:
                    cells = row
                    break
                end = reader.line_num
    except (OSError, UnicodeDecodeError, csv.Error):
        return None, None
    if line == 1:
        cells = header
    for name in _COLUMNS.get(key or "", (key,) if key else ()):
        if name in header:
            return header.index(name) + 1, name
    if value is not None:
        for i, cell in enumerate(cells):
            if str(value) == cell.strip() or str(value) in (c.strip() for c in cell.split(";")):
                return i + 1, header[i] if i < len(header) else None
    return None, None


def _column(path: Path, key: str) -> int | None:
    """The 1-based column of `key` in a CSV mapping table's header (None: not a CSV file,
    or no such column)."""
    if path.suffix.lower() != ".csv":
        return None
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = [h.strip() for h in next(csv.reader(f), [])]
    except (OSError, UnicodeDecodeError):
        return None
    return header.index(key) + 1 if key in header else None


def _changed_units(state, baseline) -> tuple[str, ...]:
    """The baseline units a plan would change: those its events end, start or touch, and
    the parents whose children it changes."""
    # Each unit's first event's day, in one pass over the events (a national plan has
    # 36,000 events touching 200,000 units: a scan of the events per unit was quadratic).
    first_day: dict[str, Any] = {}
    for event in state.scenario_events():
        day = event.date.first_day()
        for uid in event.inputs + event.outputs:
            first_day.setdefault(uid, day)
    changed: dict[str, None] = dict.fromkeys(first_day)
    # Units an operation moves without naming them in an event: the children a
    # consolidation hands over (a commune's Party cells, to the new Party Committee) and the
    # bodies without a peer that move to the new area as they are.
    for entry in getattr(state, "log", ()):
        for moved in (*entry.moved, *entry.unpaired):
            changed.update(dict.fromkeys(m for m in moved if m))
    for uid, at in first_day.items():
        for reader in (baseline, state):
            try:
                parent = reader.parent(uid, at)
            except Exception:  # noqa: BLE001 - a unit only one side knows
                parent = None
            if parent:
                changed[parent] = None
    known = baseline.get_units(changed)
    return tuple(sorted(uid for uid in changed if uid in known))
