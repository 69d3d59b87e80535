"""A column-wise copy of the stored rows, so that opening a big store is fast.

The store's rows stay the durable record (one row per fact, readable by any SQLite
tool); the column cache (kept in the SQLite table named `snapshot`, a name the file
format keeps) holds the same text cells, written in the same transaction and checked
against the store's revision before it is used. Decoding
1.4 M rows into records one row at a time costs a Python call and a dozen
attribute sets per record (about 6.5 s at national size); the cache holds each
column as one string, which is split in C and set on the records one whole column
at a time (about 1.5 s).

Layout, per table: the UTF-8 text of its columns (contract order) joined by U+001E,
the cells of each joined by U+001F. A table with a cell holding one of those two
control characters is left out, and read from its rows.
"""

from __future__ import annotations

from collections import deque
from dataclasses import fields
from functools import lru_cache
from itertools import repeat
from typing import Any, Callable, Iterable, Sequence

import orjson

from graph.codec import TABLES, cell_kind, parse_date, parse_list

#: Bumped whenever the layout changes; a cache of another format is ignored.
FORMAT = 1
_COLUMNS, _CELLS = "\x1e", "\x1f"


def encode_table(rows: Sequence[tuple[str, ...]]) -> bytes | None:
    """The column cache of one table's stored rows, or None if a cell holds a separator."""
    if not rows:
        return b""
    columns = [_CELLS.join(column) for column in zip(*rows)]
    text = _COLUMNS.join(columns)
    if text.count(_CELLS) != len(columns) * (len(rows) - 1) or text.count(_COLUMNS) != len(columns) - 1:
        return None
    return text.encode()


def header(revision: str, counts: dict[str, int], tables: Iterable[str]) -> bytes:
    return orjson.dumps({"format": FORMAT, "revision": revision, "counts": counts,
                         "tables": sorted(tables)})


def usable_tables(body: bytes | None, revision: str) -> dict[str, int]:
    """Table -> row count of the cached tables, if the header is of this format and
    revision (anything else, an older or damaged cache included, is not used)."""
    try:
        data = orjson.loads(body) if body else None
        if (isinstance(data, dict) and data.get("format") == FORMAT
                and data.get("revision") == revision):
            return {t: int(data["counts"][t]) for t in data["tables"] if t in TABLES}
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        pass
    return {}


def decode_table(table: str, body: bytes, count: int) -> tuple | None:
    """The records of one table, or None if the cache does not hold `count` of them."""
    cls, columns = TABLES[table]
    if not count:
        return ()
    texts = body.decode().split(_COLUMNS)
    if len(texts) != len(columns):
        return None
    cells = {name: text.split(_CELLS) for name, text in zip(columns, texts)}
    if any(len(column) != count for column in cells.values()):
        return None
    records: list[Any] = list(map(object.__new__, repeat(cls, count)))
    for name in _field_names(cls):
        # Records are frozen: their generated __init__ sets each field through
        # object.__setattr__, a Python call per record. The slot's own descriptor sets a
        # field across a whole column from C, which is what makes a big open fast.
        values = _column_reader(table, name)(cells[name])
        deque(map(cls.__dict__[name].__set__, records, values), maxlen=0)
    return tuple(records)


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _column_reader(table: str, name: str) -> Callable[[list[str]], Iterable[Any]]:
    kind = cell_kind(table, name)
    if kind == "date":
        def dates(cells: list[str]) -> Iterable[Any]:
            # A few dozen distinct dates across hundreds of thousands of cells.
            known = {text: parse_date(text) for text in set(cells)}
            return map(known.__getitem__, cells)
        return dates
    if kind == "list":
        return lambda cells: map(parse_list, cells)
    if kind == "int":
        return lambda cells: map(int, cells)
    return lambda cells: cells
