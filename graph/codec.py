"""Records <-> flat rows of text cells, in the data contract's column order.

Shared by the SQLite backend and the CSV export, so that what is stored reads
back exactly as it was loaded.
"""

from __future__ import annotations

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


def to_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ";".join(value)
    return str(value)


def to_row(record: Any, columns: Sequence[str]) -> tuple[str, ...]:
    return tuple(to_cell(getattr(record, c)) for c in columns)


@lru_cache(maxsize=1 << 16)
def _date(text: str) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


def _list(text: str) -> tuple[str, ...]:
    return tuple(text.split(";")) if text else ()


def row_decoder(table: str) -> Callable[[Sequence[Any]], Any]:
    """A function turning one stored row (contract column order) back into its record."""
    cls, columns = TABLES[table]
    converters = []
    for c in columns:
        if c in DATE_FIELDS:
            converters.append(_date)
        elif c in LIST_FIELDS.get(table, ()):
            converters.append(_list)
        elif c == "headcount":
            converters.append(int)
        else:
            converters.append(None)
    pairs = list(zip(columns, converters))

    def decode(row: Sequence[Any]) -> Any:
        return cls(**{c: (conv(v) if conv else v) for (c, conv), v in zip(pairs, row)})
    return decode
