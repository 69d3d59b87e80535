"""The CLI's tables: every cell plain text (a name may hold brackets, which rich would read
as markup) and wrapping inside its column, never cut with an ellipsis (an id is read whole,
to be typed into the next command), whatever the terminal's width."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text


#: Columns that hold one id each: kept on one line while the terminal leaves room (the
#: other columns wrap first), folded only when it does not.
ID_COLUMNS = frozenset({"id"})


def table(*columns: str, title: str | None = None) -> Table:
    """A table of `columns` (its title, if any, on the left) whose cells fold."""
    out = Table(title=title, title_justify="left")
    for col in columns:
        out.add_column(col, overflow="fold", no_wrap=col in ID_COLUMNS)
    return out


def row(into: Table, *cells: Any) -> None:
    """Add a row of data: plain text, never read as rich markup; None is an empty cell."""
    into.add_row(*(c if isinstance(c, Text) else Text("" if c is None else str(c))
                   for c in cells))
