"""Records <-> flat rows of text cells, in the data contract's column order.

Shared by the SQLite backend and the CSV export, so that what is stored reads
back exactly as it was loaded.
"""

from __future__ import annotations

from dataclasses import fields
from functools import lru_cache
from typing import Any, Callable, Sequence

from graph.contract import BY_TABLE, FILES, LIST_SEPARATOR
from graph.dates import PartialDate
from graph.model import RECORDS as _RECORDS
#: Dataset attribute -> (record class, columns in contract order), from graph.contract.
TABLES: dict[str, tuple[type, tuple[str, ...]]] = {
    f.table: (_RECORDS[f.table], f.names) for f in FILES}
#: Dataset attribute -> its CSV file name.
CSV_FILES = {f.table: f.file for f in FILES}
#: How each column type of the contract is held in a record.
_CELL_KINDS = {"date": "date", "ids": "list", "int": "int"}


@lru_cache(maxsize=1 << 16)
def parse_date(text: str) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


def parse_list(text: str) -> tuple[str, ...]:
    return tuple(text.split(LIST_SEPARATOR)) if text else ()


def _compile(source: str, namespace: dict[str, Any]) -> Callable:
    # Generated from the fixed column names above (never from data), as namedtuple does:
    # one call per row instead of a loop over columns is what makes big loads fast.
    exec(source, namespace)  # noqa: S102
    return namespace["f"]


#: How a cell of each kind of field is written (`r` a record) and read back (`r` a row).
_CELL_CODE = {
    "date": ("'' if r.{name} is None else r.{name}.iso", "parse_date(r[{i}])"),
    "list": (f"{LIST_SEPARATOR!r}.join(r.{{name}})", "parse_list(r[{i}])"),
    "int": ("str(r.{name})", "int(r[{i}])"),
    "text": ("r.{name}", "r[{i}]"),
}


def cell_kind(table: str, name: str) -> str:
    """`date`, `list`, `int` or `text`: how a column's cell is encoded."""
    return _CELL_KINDS.get(BY_TABLE[table].column(name).type, "text")


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
