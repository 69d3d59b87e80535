"""Records <-> flat rows of text cells, in the data contract's column order.

Shared by the SQLite backend and the CSV export, so that what is stored reads
back exactly as it was loaded.
"""

from __future__ import annotations

from dataclasses import fields
from functools import lru_cache
from typing import Any, Callable, Sequence

from graph.dates import PartialDate
from graph.model import Document, Event, Function, Headcount, Person, Post, Relation, Unit

#: Dataset attribute -> (record class, columns in contract order).
TABLES: dict[str, tuple[type, tuple[str, ...]]] = {
    "units": (Unit, ("id", "name", "name_en", "abbr", "kind", "level", "area", "valid_from",
                     "valid_to", "note", "source")),
    "relations": (Relation, ("source_id", "type", "target_id", "valid_from", "valid_to", "note",
                             "source")),
    "events": (Event, ("id", "date", "type", "inputs", "outputs", "basis", "description",
                       "source")),
    "functions": (Function, ("unit_id", "function", "valid_from", "valid_to", "source")),
    "headcounts": (Headcount, ("unit_id", "date", "headcount", "basis", "source")),
    "people": (Person, ("id", "name", "source")),
    "posts": (Post, ("person_id", "unit_id", "role", "valid_from", "valid_to", "source")),
    "documents": (Document, ("id", "code", "title", "issuer", "date", "url", "source")),
}
CSV_FILES = {"units": "units.csv", "relations": "relations.csv", "events": "events.csv",
             "functions": "functions.csv", "headcounts": "headcount.csv", "people": "people.csv",
             "posts": "posts.csv", "documents": "documents.csv"}
DATE_FIELDS = frozenset({"valid_from", "valid_to", "date"})
#: Fields holding `;`-separated id lists (only events have them; headcount.basis is text).
LIST_FIELDS = {"events": frozenset({"inputs", "outputs", "basis"})}


@lru_cache(maxsize=1 << 16)
def parse_date(text: str) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


def parse_list(text: str) -> tuple[str, ...]:
    return tuple(text.split(";")) if text else ()


def _compile(source: str, namespace: dict[str, Any]) -> Callable:
    # Generated from the fixed column names above (never from data), as namedtuple does:
    # one call per row instead of a loop over columns is what makes big loads fast.
    exec(source, namespace)  # noqa: S102
    return namespace["f"]


#: How a cell of each kind of field is written (`r` a record) and read back (`r` a row).
_CELL_CODE = {
    "date": ("'' if r.{name} is None else r.{name}.iso", "parse_date(r[{i}])"),
    "list": ("';'.join(r.{name})", "parse_list(r[{i}])"),
    "int": ("str(r.{name})", "int(r[{i}])"),
    "text": ("r.{name}", "r[{i}]"),
}


def cell_kind(table: str, name: str) -> str:
    if name in DATE_FIELDS:
        return "date"
    if name in LIST_FIELDS.get(table, ()):
        return "list"
    return "int" if name == "headcount" else "text"


@lru_cache(maxsize=None)
def row_encoder(table: str) -> Callable[[Any], tuple[str, ...]]:
    """A function turning one record into its stored row of text cells (contract order)."""
    _, columns = TABLES[table]
    cells = [_CELL_CODE[cell_kind(table, c)][0].format(name=c) for c in columns]
    return _compile(f"def f(r):\n    return ({', '.join(cells)},)\n", {})


@lru_cache(maxsize=None)
def row_decoder(table: str) -> Callable[[Sequence[Any]], Any]:
    """A function turning one stored row (contract order) back into its record."""
    cls, columns = TABLES[table]
    # Positional arguments in the record's field order: a third faster than keywords.
    args = [_CELL_CODE[cell_kind(table, f.name)][1].format(i=columns.index(f.name))
            for f in fields(cls) if f.init]
    return _compile(f"def f(r):\n    return cls({', '.join(args)})\n",
                    {"cls": cls, "parse_date": parse_date, "parse_list": parse_list})
