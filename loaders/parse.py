"""Pure row parsers, driven by the data contract: from a Table to domain records.

Each checks what a single row can tell (required values, column types, vocabularies,
dates, intervals, duplicate ids, ids with spaces around them, web addresses) and reports
every problem to the collector; cross-file rules live in `graph.validation`. Nothing here
names a column: every file is read by the types `graph.contract` gives its columns.

Every file has two paths to a record: a fast one, generated per file from the contract,
that only accepts a row that is entirely valid, and the precise one (`_Row`) that names
every problem. A row the fast path declines goes through the precise one, so the
problems reported are the precise path's alone; `tests/loaders/test_parse_fast_path.py`
checks that both paths agree on every row.
"""

from __future__ import annotations

from dataclasses import fields
from functools import lru_cache
from operator import itemgetter
from typing import Any, Callable, TypeVar

from graph.contract import (BY_FILE, CSV_SPECS, ID_RULE, LIST_SEPARATOR, SNAKE_PATTERN,
                            WEB_ADDRESS_RULE, Column, FileSpec)
from graph.dates import DateParseError, PartialDate
from graph.web_address import web_address_problem
from graph.errors import ProblemCollector
from graph.model import RECORDS
from loaders.csvfile import Table

T = TypeVar("T")
_RECORDS: dict[str, type] = RECORDS


@lru_cache(maxsize=1 << 16)
def _parse_date(text: str) -> PartialDate:
    return PartialDate.parse(text)


#: The longest value a web-address problem quotes (a pasted page can be kilobytes).
_QUOTED_MAX = 120


def _quoted(value: str) -> str:
    """`value` as a problem quotes it: shortened when it is long."""
    return value if len(value) <= _QUOTED_MAX else value[:_QUOTED_MAX - 1] + "…"


def _id_list(value: str) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip())


class _Row:
    """Accessors over one row that report problems with file, line, column and field."""

    __slots__ = ("table", "line", "cells", "problems", "ok")

    def __init__(self, table: Table, line: int, cells: list[str], problems: ProblemCollector):
        self.table, self.line, self.cells, self.problems, self.ok = table, line, cells, problems, True

    def fail(self, field: str | None, message: str, value: str | None = None) -> None:
        self.ok = False
        self.problems.add(self.table.file, self.line, field, message, value,
                          self.table.column_index(field) if field else None)

    def text(self, field: str, required: bool = False) -> str:
        value = self.cells[self.table.position(field)]
        if required and not value:
            self.fail(field, "missing required value")
        return value

    def report(self, field: str, message: str, value: str) -> None:
        """A problem that leaves the row's record readable (`ok` stays): the load is
        refused all the same, but the cross-file checks still see the record, so that a
        document with a bad `url` is not also reported as missing by every event citing it."""
        self.problems.add(self.table.file, self.line, field, message, value,
                          self.table.column_index(field))

    def free_text(self, column: Column) -> str:
        """A `text` cell; a web-address column's non-empty value must be an address."""
        value = self.text(column.name, column.required)
        if value and column.web_address:
            problem = web_address_problem(value)
            if problem is not None:
                self.report(column.name, f"not a web address: {problem}; expected "
                            f"{WEB_ADDRESS_RULE}", _quoted(value))
        return value

    def ident(self, column: Column) -> str:
        value = self.text(column.name, column.required)
        if column.name in self.table.padded_ids.get(self.line, ()):
            self.fail(column.name, f"an id cannot have spaces around it; expected {ID_RULE}",
                      value)
        return value

    def choice(self, column: Column) -> str:
        value = self.text(column.name, column.required)
        allowed = column.vocabulary or ()
        if value and value not in allowed:
            self.fail(column.name, f"unknown {column.what}; expected one of "
                      f"{', '.join(sorted(allowed))}", value)
        return value

    def key(self, column: Column) -> str:
        value = self.text(column.name, column.required)
        if value and not SNAKE_PATTERN.fullmatch(value):
            self.fail(column.name, f"expected a {column.what} in snake_case (known: "
                      f"{', '.join(sorted(column.vocabulary or ()))})", value)
        return value

    def date(self, column: Column) -> PartialDate | None:
        value = self.text(column.name, column.required)
        if not value:
            return None
        try:
            return _parse_date(value)
        except DateParseError as exc:
            self.fail(column.name, str(exc), value)
            return None

    def whole_number(self, column: Column) -> int:
        raw = self.text(column.name, column.required)
        if not raw:
            return 0
        try:
            value = int(raw)
            if value >= 0:
                return value
        except ValueError:
            pass
        self.fail(column.name, f"expected a whole {column.what} (0 or more)", raw)
        return 0

    def ids(self, column: Column) -> tuple[str, ...]:
        return _id_list(self.text(column.name))


_READ: dict[str, Callable[[_Row, Column], Any]] = {
    "id": _Row.ident, "text": _Row.free_text, "choice": _Row.choice, "key": _Row.key,
    "date": _Row.date, "int": _Row.whole_number, "ids": _Row.ids}


def _field_columns(spec: FileSpec) -> tuple[Column, ...]:
    """The spec's columns in its record's field order (how the record is constructed)."""
    return tuple(spec.column(f.name) for f in fields(_RECORDS[spec.table]) if f.init)


def _precise(spec: FileSpec) -> Callable[[_Row], Any]:
    cls, columns = _RECORDS[spec.table], _field_columns(spec)
    required_dates = [c.name for c in columns if c.type == "date" and c.required]
    interval = "valid_from" in spec.names and "valid_to" in spec.names
    relation = spec.table == "relations"

    def build(r: _Row) -> Any:
        values = {c.name: _READ[c.type](r, c) for c in columns}
        if relation and values["source_id"] and values["source_id"] == values["target_id"]:
            r.fail("target_id", "a unit cannot be related to itself", values["target_id"])
        if interval:
            start, end = values["valid_from"], values["valid_to"]
            if start and end and end.first_day() < start.first_day():
                r.fail("valid_to", f"valid_to is before valid_from ({start})", str(end))
        if any(values[name] is None for name in required_dates):
            return None
        return cls(**values)
    return build


_BAD = object()  # a date cell that does not parse: the fast path declines the row


def _date_or_bad(text: str):
    if not text:
        return None
    try:
        return _parse_date(text)
    except DateParseError:
        return _BAD


def _count_or_bad(text: str):
    try:
        value = int(text)
    except ValueError:
        return _BAD
    return value if value >= 0 else _BAD


#: Per column type: the generated lines that read cell `v{i}` into `x{i}` or decline
#: the row (return None) where the precise path would report a problem.
_FAST_CODE = {
    "id": ("x{i} = v{i}", "if not x{i}: return None"),
    "text": ("x{i} = v{i}", "if not x{i}: return None"),
    "choice": ("x{i} = v{i}", "if x{i} not in V{i}: return None",
               "if x{i} and x{i} not in V{i}: return None"),
    "key": ("x{i} = v{i}", "if not x{i} or not snake(x{i}): return None",
            "if x{i} and not snake(x{i}): return None"),
    "date": ("x{i} = date_or_bad(v{i})\nif x{i} is BAD: return None",
             "if x{i} is None: return None"),
    "int": ("x{i} = count_or_bad(v{i}) if v{i} else 0\nif x{i} is BAD: return None",
            "if not v{i}: return None"),
    "ids": ("x{i} = id_list(v{i})",),
}


@lru_cache(maxsize=None)
def _fast_maker(file: str) -> Callable[[Callable], Callable[[list[str]], Any]]:
    """The fast path of `file`, given a getter of its cells in record field order.

    Generated from the contract (never from data), as `graph.codec` does: one call per
    row instead of a loop over columns is what makes big loads fast."""
    spec = BY_FILE[file]
    columns = _field_columns(spec)
    namespace: dict[str, Any] = {"cls": _RECORDS[spec.table], "date_or_bad": _date_or_bad,
                                 "count_or_bad": _count_or_bad, "id_list": _id_list,
                                 "BAD": _BAD, "snake": SNAKE_PATTERN.fullmatch,
                                 "web_problem": web_address_problem}
    body = [f"{', '.join(f'v{i}' for i in range(len(columns)))}, = get(cells)"]
    for i, c in enumerate(columns):
        code = _FAST_CODE[c.type]
        body.append(code[0].format(i=i))
        if c.type in ("choice", "key"):
            namespace[f"V{i}"] = c.vocabulary
            body.append(code[1 if c.required else 2].format(i=i))
        elif c.required and len(code) > 1:
            body.append(code[1].format(i=i))
        if c.web_address:
            body.append(f"if x{i} and web_problem(x{i}) is not None: return None")
    names = [c.name for c in columns]
    if spec.table == "relations":
        body.append(f"if x{names.index('source_id')} == x{names.index('target_id')}: return None")
    if "valid_from" in names and "valid_to" in names:
        a, b = names.index("valid_from"), names.index("valid_to")
        body.append(f"if x{a} is not None and x{b} is not None and "
                    f"x{b}.first_day() < x{a}.first_day(): return None")
    body.append(f"return cls({', '.join(f'x{i}' for i in range(len(columns)))})")
    source = "def make(get):\n  def accept(cells):\n" + "".join(
        f"    {line}\n" for chunk in body for line in chunk.split("\n")) + "  return accept\n"
    exec(source, namespace)  # noqa: S102 - source generated from the contract only
    return namespace["make"]


def fast_path(table: Table) -> Callable[[list[str]], Any]:
    """The fast path of `table`'s file: a record for an entirely valid row, else None."""
    positions = [table.position(c.name) for c in _field_columns(BY_FILE[table.file])]
    return _fast_maker(table.file)(itemgetter(*positions))


Located = list[tuple[int, T]]
"""Records with the line each was read from, for the cross-file checks' reports."""


def _rows(table: Table, problems: ProblemCollector, build: Callable[[_Row], Any],
          fast: Callable[[Table], Callable[[list[str]], Any]] | None) -> Located:
    out: Located = []
    append = out.append
    accept = fast(table) if fast is not None else None
    padded = table.padded_ids
    for line, cells in table.rows:
        if accept is not None and line not in padded:
            record = accept(cells)
            if record is not None:
                append((line, record))
                continue
        row = _Row(table, line, cells, problems)
        record = build(row)
        if record is not None and row.ok:
            append((line, record))
    return out


def check_header(table: Table, problems: ProblemCollector) -> bool:
    """Unknown, duplicated or missing columns; False when the rows cannot be read on."""
    spec = BY_FILE[table.file]
    ok = True
    seen: set[str] = set()
    for index, name in enumerate(table.header, start=1):
        if name in seen:
            problems.add(table.file, 1, name, "duplicate column", name, index)
            ok = False
        elif name not in spec.names:
            # Reported, but the known columns are still read so that every problem shows.
            problems.add(table.file, 1, name,
                         f"unknown column; expected columns of {table.file}: "
                         f"{', '.join(spec.names)}", name, index)
        seen.add(name)
    for name in spec.required_columns:
        if name not in seen:
            problems.add(table.file, 1, name, "missing required column")
            ok = False
    return ok


def _unique(table: Table, problems: ProblemCollector, records: Located, key: str) -> Located:
    first_line: dict[str, int] = {}
    position = table.position(key)
    for line, cells in table.rows:
        ident = cells[position]
        if not ident:
            continue
        if ident in first_line:
            problems.add(table.file, line, key, f"duplicate {key}; first defined on line "
                         f"{first_line[ident]}", ident, table.column_index(key))
        else:
            first_line[ident] = line
    return [(line, record) for line, record in records
            if first_line.get(getattr(record, key)) == line]


def parser(file: str, fast: bool = True) -> Callable[[Table, ProblemCollector], Located]:
    """The parser of one file of the contract (`fast=False`: the precise path only)."""
    spec = BY_FILE[file]
    build = _precise(spec)

    def parse(table: Table, problems: ProblemCollector) -> Located:
        records = _rows(table, problems, build, fast_path if fast else None)
        return _unique(table, problems, records, spec.key) if spec.key else records
    parse.__doc__ = f"Parse the rows of {file} into records, reporting every problem."
    return parse


PARSERS: dict[str, Callable[[Table, ProblemCollector], Located]] = {
    f.file: parser(f.file) for f in CSV_SPECS}
