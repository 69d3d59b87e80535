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
from operator import itemgetter
from pathlib import Path

from graph.contract import BY_FILE
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
    #: line -> the id columns (names) whose cell had spaces around it before trimming.
    padded_ids: dict[int, tuple[str, ...]] = field(default_factory=dict)

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
    # Other cells are trimmed silently; an id with spaces around it is refused, so the
    # id columns remember whether trimming changed them.
    spec = BY_FILE.get(file)
    id_columns = [(i, name) for i, name in enumerate(header)
                  if spec and name in spec.of_type("id")]
    # One C-level comparison per row; the loop below runs only for a row that differs.
    ids_of = itemgetter(*(i for i, _ in id_columns), 0) if id_columns else None
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
            trimmed = [c.strip() for c in cells]
            if ids_of is not None and ids_of(cells) != ids_of(trimmed):
                padded = tuple(name for i, name in id_columns if cells[i] != trimmed[i])
                if padded:
                    table.padded_ids[start] = padded
            cells = trimmed
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
