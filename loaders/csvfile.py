"""Reading one CSV file of the contract into a `Table`: the only file I/O of the loader.

UTF-8 with or without BOM, CRLF or LF, RFC 4180 quoting; every cell stripped and
normalised to NFC; each row keeps the line it starts on for error reports.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from graph.errors import ProblemCollector


@dataclass
class Table:
    """The rows of one file: `header` as written, rows as (line number, cells).

    Each row's cells are stripped and in header order, followed by one empty cell that
    stands for every column the header lacks (`position` points absent columns there),
    so that a parser reads any column of the contract with one index."""

    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def column_index(self, name: str) -> int | None:
        """The 1-based column of `name` in the file, None when the header lacks it."""
        try:
            return self.header.index(name) + 1
        except ValueError:
            return None

    @cached_property
    def _positions(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, name in enumerate(self.header):
            out.setdefault(name, i)
        return out

    def position(self, name: str) -> int:
        """The index of `name`'s cell in a row (the trailing empty cell when absent)."""
        return self._positions.get(name, len(self.header))


def parse_table(file: str, text: str, problems: ProblemCollector) -> Table:
    """Split a file's text into a Table; problems of shape (ragged rows) go to `problems`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.isascii():
        # Normalising the whole text at once is far cheaper than cell by cell.
        text = unicodedata.normalize("NFC", text)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.add(file, 1, None, "empty file: expected a header row")
        return Table(file, [])
    except csv.Error as exc:
        problems.add(file, 1, None, f"malformed CSV: {exc}")
        return Table(file, [])
    table = Table(file, header)
    width = len(header)
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.add(file, start, None, f"malformed CSV: {exc}")
            break
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            start = reader.line_num + 1
            continue
        if len(cells) != width:
            problems.add(file, start, None,
                         f"expected {width} cells as in the header, found {len(cells)}")
        else:
            cells = [c.strip() for c in cells]
            cells.append("")
            table.rows.append((start, cells))
        start = reader.line_num + 1
    return table


def read_table(path: Path, problems: ProblemCollector) -> Table | None:
    """Read `path` as a Table; undecodable bytes are a problem and give None."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(path.name, line, None, "bytes that are not UTF-8 text: expected a UTF-8 "
                     "file (with or without BOM)", data[exc.start:exc.end].hex(" "), column)
        return None
    return parse_table(path.name, text, problems)
