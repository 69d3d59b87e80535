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
def _date(text: str) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


def _list(text: str) -> tuple[str, ...]:
    return tuple(text.split(";")) if text else ()


def _compile(source: str, namespace: dict[str, Any]) -> Callable:
    # Generated from the fixed column names above (never from data), as namedtuple does:
    # one call per row instead of a loop over columns is what makes big loads fast.
    exec(source, namespace)  # noqa: S102
    return namespace["f"]


@lru_cache(maxsize=None)
def row_encoder(table: str) -> Callable[[Any], tuple[str, ...]]:
    """A function turning one record into its stored row of text cells (contract order)."""
    _, columns = TABLES[table]
    lists = LIST_FIELDS.get(table, ())
    cells = []
    for c in columns:
        if c in DATE_FIELDS:
            cells.append(f"'' if r.{c} is None else r.{c}.iso")
        elif c in lists:
            cells.append(f"';'.join(r.{c})")
        elif c == "headcount":
            cells.append(f"str(r.{c})")
        else:
            cells.append(f"r.{c}")
    return _compile(f"def f(r):\n    return ({', '.join(cells)},)\n", {})


@lru_cache(maxsize=None)
def row_decoder(table: str) -> Callable[[Sequence[Any]], Any]:
    """A function turning one stored row (contract order) back into its record."""
    cls, columns = TABLES[table]
    lists = LIST_FIELDS.get(table, ())
    args = []
    # Positional arguments in the record's field order: a third faster than keywords.
    for name in (f.name for f in fields(cls) if f.init):
        i = columns.index(name)
        if name in DATE_FIELDS:
            args.append(f"_date(r[{i}])")
        elif name in lists:
            args.append(f"_list(r[{i}])")
        elif name == "headcount":
            args.append(f"int(r[{i}])")
        else:
            args.append(f"r[{i}]")
    return _compile(f"def f(r):\n    return cls({', '.join(args)})\n",
                    {"cls": cls, "_date": _date, "_list": _list})
