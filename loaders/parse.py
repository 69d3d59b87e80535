"""Pure row parsers: one `parse_*` per file of the contract, from a Table to domain records.

Each checks what a single row can tell (required values, types, vocabularies,
dates, duplicate ids) and reports every problem to the collector; cross-file rules
live in `loaders.validate`.

The big files have two paths to a record: a fast one (`_fast_*`) that only accepts a
row that is entirely valid, and the precise one (`_Row`) that names every problem.
A row the fast path declines goes through the precise one, so the problems reported
are the precise path's alone; `tests/loaders/test_parse_fast_path.py` checks that both
paths agree on every row.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter
from typing import Callable, TypeVar

from graph.dates import DateParseError, PartialDate
from graph.errors import ProblemCollector
from graph.model import (EVENT_TYPES, FUNCTION_KEYS, HEADCOUNT_BASES, KINDS, LEVELS,
                         RELATION_TYPES, Document, Event, Function, Headcount, Person, Post,
                         Relation, Unit)
from loaders.csvfile import Table
from loaders.schema import SCHEMAS

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
T = TypeVar("T")


@lru_cache(maxsize=1 << 16)
def _parse_date(text: str) -> PartialDate:
    return PartialDate.parse(text)


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

    def choice(self, field: str, allowed, *, required: bool = True, what: str = "value") -> str:
        value = self.text(field, required)
        if value and value not in allowed:
            self.fail(field, f"unknown {what}; expected one of {', '.join(sorted(allowed))}", value)
        return value

    def date(self, field: str, required: bool = False) -> PartialDate | None:
        value = self.text(field, required)
        if not value:
            return None
        try:
            return _parse_date(value)
        except DateParseError as exc:
            self.fail(field, str(exc), value)
            return None

    def interval(self) -> tuple[PartialDate | None, PartialDate | None]:
        start, end = self.date("valid_from"), self.date("valid_to")
        if start and end and end.first_day() < start.first_day():
            self.fail("valid_to", f"valid_to is before valid_from ({start})", str(end))
        return start, end

    def id_list(self, field: str) -> tuple[str, ...]:
        value = self.text(field)
        return tuple(part.strip() for part in value.split(";") if part.strip()) if value else ()


Located = list[tuple[int, T]]
"""Records with the line each was read from, for the cross-file checks' reports."""


Fast = Callable[[list[str]], T | None]


def _rows(table: Table, problems: ProblemCollector, build: Callable[[_Row], T | None],
          fast: Callable[[Table], Fast] | None = None) -> Located:
    out: Located = []
    append = out.append
    accept = fast(table) if fast is not None else None
    for line, cells in table.rows:
        if accept is not None:
            record = accept(cells)
            if record is not None:
                append((line, record))
                continue
        row = _Row(table, line, cells, problems)
        record = build(row)
        if record is not None and row.ok:
            append((line, record))
    return out


_BAD = object()  # a date cell that does not parse: the fast path declines the row


def _date_or_bad(text: str):
    if not text:
        return None
    try:
        return _parse_date(text)
    except DateParseError:
        return _BAD


def _interval_or_bad(start_text: str, end_text: str):
    """(start, end) of a valid interval, or None where the precise path would object."""
    start, end = _date_or_bad(start_text), _date_or_bad(end_text)
    if start is _BAD or end is _BAD or (start is not None and end is not None
                                        and end.first_day() < start.first_day()):
        return None
    return start, end


def _getter(table: Table, columns: tuple[str, ...]) -> Callable[[list[str]], tuple[str, ...]]:
    return itemgetter(*(table.position(c) for c in columns))


def _fast_units(table: Table) -> Fast:
    get = _getter(table, ("id", "name", "kind", "level", "name_en", "abbr", "area",
                          "valid_from", "valid_to", "note", "source"))

    def accept(cells: list[str]) -> Unit | None:
        ident, name, kind, level, name_en, abbr, area, vf, vt, note, source = get(cells)
        if not ident or not name or kind not in KINDS or level not in LEVELS:
            return None
        span = _interval_or_bad(vf, vt)
        if span is None:
            return None
        return Unit(ident, name, kind, level, name_en, abbr, area, span[0], span[1], note, source)
    return accept


def _fast_relations(table: Table) -> Fast:
    get = _getter(table, ("source_id", "type", "target_id", "valid_from", "valid_to", "note",
                          "source"))

    def accept(cells: list[str]) -> Relation | None:
        source_id, kind, target_id, vf, vt, note, source = get(cells)
        if not source_id or not target_id or source_id == target_id or kind not in RELATION_TYPES:
            return None
        span = _interval_or_bad(vf, vt)
        if span is None:
            return None
        return Relation(source_id, kind, target_id, span[0], span[1], note, source)
    return accept


def _fast_functions(table: Table) -> Fast:
    get = _getter(table, ("unit_id", "function", "valid_from", "valid_to", "source"))
    snake = SNAKE.match

    def accept(cells: list[str]) -> Function | None:
        unit_id, key, vf, vt, source = get(cells)
        if not unit_id or not key or not snake(key):
            return None
        span = _interval_or_bad(vf, vt)
        if span is None:
            return None
        return Function(unit_id, key, span[0], span[1], source)
    return accept


def _fast_headcounts(table: Table) -> Fast:
    get = _getter(table, ("unit_id", "date", "headcount", "basis", "source"))

    def accept(cells: list[str]) -> Headcount | None:
        unit_id, date_text, raw, basis, source = get(cells)
        if not unit_id or not raw or (basis and basis not in HEADCOUNT_BASES):
            return None
        date = _date_or_bad(date_text)
        if date is None or date is _BAD:
            return None
        try:
            value = int(raw)
        except ValueError:
            return None
        if value < 0:
            return None
        return Headcount(unit_id, date, value, basis, source)
    return accept


def _fast_people(table: Table) -> Fast:
    get = _getter(table, ("id", "name", "source"))

    def accept(cells: list[str]) -> Person | None:
        ident, name, source = get(cells)
        return Person(ident, name, source) if ident and name else None
    return accept


def _fast_posts(table: Table) -> Fast:
    get = _getter(table, ("person_id", "unit_id", "role", "valid_from", "valid_to", "source"))
    snake = SNAKE.match

    def accept(cells: list[str]) -> Post | None:
        person_id, unit_id, role, vf, vt, source = get(cells)
        if not person_id or not unit_id or not role or not snake(role):
            return None
        span = _interval_or_bad(vf, vt)
        if span is None:
            return None
        return Post(person_id, unit_id, role, span[0], span[1], source)
    return accept


def check_header(table: Table, problems: ProblemCollector) -> bool:
    """Unknown, duplicated or missing columns; False when the rows cannot be read on."""
    schema = SCHEMAS[table.file]
    ok = True
    seen: set[str] = set()
    for index, name in enumerate(table.header, start=1):
        if name in seen:
            problems.add(table.file, 1, name, "duplicate column", name, index)
            ok = False
        elif name not in schema.columns:
            # Reported, but the known columns are still read so that every problem shows.
            problems.add(table.file, 1, name,
                         f"unknown column; expected columns of {table.file}: "
                         f"{', '.join(schema.columns)}", name, index)
        seen.add(name)
    for name in schema.required:
        if name not in seen:
            problems.add(table.file, 1, name, "missing required column")
            ok = False
    return ok


def _unique(table: Table, problems: ProblemCollector, records: Located, key: str = "id") -> Located:
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


def parse_units(table: Table, problems: ProblemCollector) -> Located:
    def build(r: _Row) -> Unit | None:
        start, end = r.interval()
        return Unit(id=r.text("id", True), name=r.text("name", True),
                    kind=r.choice("kind", KINDS, what="kind"),
                    level=r.choice("level", LEVELS, what="level"),
                    name_en=r.text("name_en"), abbr=r.text("abbr"), area=r.text("area"),
                    valid_from=start, valid_to=end, note=r.text("note"), source=r.text("source"))
    return _unique(table, problems, _rows(table, problems, build, _fast_units))


def parse_relations(table: Table, problems: ProblemCollector) -> Located:
    def build(r: _Row) -> Relation | None:
        source_id, target_id = r.text("source_id", True), r.text("target_id", True)
        if source_id and source_id == target_id:
            r.fail("target_id", "a unit cannot be related to itself", target_id)
        start, end = r.interval()
        return Relation(source_id=source_id, type=r.choice("type", RELATION_TYPES, what="type"),
                        target_id=target_id, valid_from=start, valid_to=end,
                        note=r.text("note"), source=r.text("source"))
    return _rows(table, problems, build, _fast_relations)


#: (minimum inputs, maximum inputs, minimum outputs, maximum outputs) per event type.
EVENT_SHAPES: dict[str, tuple[int, int | None, int, int | None]] = {
    "ESTABLISH": (0, None, 1, None),
    "DISSOLVE": (1, None, 0, 0),
    "MERGE": (1, None, 1, 1),
    "CONSOLIDATE": (1, None, 1, 1),
    "SPLIT": (1, 1, 1, None),
    "RENAME": (1, 1, 1, 1),
    "TRANSFER_FUNCTION": (1, 1, 1, 1),
    "MOVE": (1, None, 0, 1),
}


def _count_rule(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"at least {lo}"
    return f"exactly {lo}" if lo == hi else f"{lo} to {hi}"


def parse_events(table: Table, problems: ProblemCollector) -> Located:
    def build(r: _Row) -> Event | None:
        kind = r.choice("type", EVENT_TYPES, what="event type")
        inputs, outputs = r.id_list("inputs"), r.id_list("outputs")
        if kind in EVENT_SHAPES:
            in_lo, in_hi, out_lo, out_hi = EVENT_SHAPES[kind]
            if len(inputs) < in_lo or (in_hi is not None and len(inputs) > in_hi):
                r.fail("inputs", f"a {kind} event takes {_count_rule(in_lo, in_hi)} input unit(s)",
                       r.text("inputs"))
            if len(outputs) < out_lo or (out_hi is not None and len(outputs) > out_hi):
                r.fail("outputs", f"a {kind} event takes {_count_rule(out_lo, out_hi)} output "
                       "unit(s)", r.text("outputs"))
            if kind in ("MERGE", "CONSOLIDATE", "SPLIT") and set(inputs) & set(outputs):
                r.fail("outputs", f"a {kind} event cannot list a unit as both input and output",
                       r.text("outputs"))
        date = r.date("date", True)
        if date is None:
            return None
        return Event(id=r.text("id", True), date=date, type=kind, inputs=inputs, outputs=outputs,
                     basis=r.id_list("basis"), description=r.text("description"),
                     source=r.text("source"))
    return _unique(table, problems, _rows(table, problems, build))


def parse_functions(table: Table, problems: ProblemCollector) -> Located:
    def build(r: _Row) -> Function | None:
        key = r.text("function", True)
        if key and not SNAKE.match(key):
            r.fail("function", "expected a function key in snake_case "
                   f"(known keys: {', '.join(sorted(FUNCTION_KEYS))})", key)
        start, end = r.interval()
        return Function(unit_id=r.text("unit_id", True), function=key, valid_from=start,
                        valid_to=end, source=r.text("source"))
    return _rows(table, problems, build, _fast_functions)


def parse_headcounts(table: Table, problems: ProblemCollector) -> Located:
    def build(r: _Row) -> Headcount | None:
        raw = r.text("headcount", True)
        value = 0
        if raw:
            try:
                value = int(raw)
                if value < 0:
                    raise ValueError
            except ValueError:
                r.fail("headcount", "expected a whole number of people (0 or more)", raw)
        date = r.date("date", True)
        if date is None:
            return None
        return Headcount(unit_id=r.text("unit_id", True), date=date, headcount=value,
                         basis=r.choice("basis", HEADCOUNT_BASES, required=False, what="basis"),
                         source=r.text("source"))
    return _rows(table, problems, build, _fast_headcounts)


def parse_people(table: Table, problems: ProblemCollector) -> Located:
    def build(r: _Row) -> Person:
        return Person(id=r.text("id", True), name=r.text("name", True), source=r.text("source"))
    return _unique(table, problems, _rows(table, problems, build, _fast_people))


def parse_posts(table: Table, problems: ProblemCollector) -> Located:
    def build(r: _Row) -> Post:
        role = r.text("role", True)
        if role and not SNAKE.match(role):
            r.fail("role", "expected a role in snake_case (e.g. secretary, head, chair)", role)
        start, end = r.interval()
        return Post(person_id=r.text("person_id", True), unit_id=r.text("unit_id", True),
                    role=role, valid_from=start, valid_to=end, source=r.text("source"))
    return _rows(table, problems, build, _fast_posts)


def parse_documents(table: Table, problems: ProblemCollector) -> Located:
    def build(r: _Row) -> Document:
        return Document(id=r.text("id", True), code=r.text("code", True),
                        title=r.text("title", True), issuer=r.text("issuer"),
                        date=r.date("date"), url=r.text("url"), source=r.text("source"))
    return _unique(table, problems, _rows(table, problems, build))


PARSERS: dict[str, Callable[[Table, ProblemCollector], Located]] = {
    "units.csv": parse_units, "relations.csv": parse_relations, "events.csv": parse_events,
    "functions.csv": parse_functions, "headcount.csv": parse_headcounts,
    "people.csv": parse_people, "posts.csv": parse_posts, "documents.csv": parse_documents,
}
