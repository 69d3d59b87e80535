"""docs/data-format.md and graph/contract.py say the same thing.

The page's tables are parsed (files, columns in order, their types and required marks,
vocabularies, event shapes, the id examples) and compared with the contract; the
record classes of graph/model.py must hold exactly the contract's columns.
"""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from graph import contract
from graph.codec import TABLES

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"


def _sections() -> dict[str, list[str]]:
    """Level-2 heading -> the lines under it."""
    out: dict[str, list[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return out


def _tables(lines: list[str]) -> list[list[list[str]]]:
    """Every markdown table in `lines`, as rows of cells (the header row first)."""
    tables, current = [], None
    for line in lines:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if set("".join(cells)) <= set("-: "):
                continue  # the |---| rule
            if current is None:
                current = []
                tables.append(current)
            current.append(cells)
        else:
            current = None
    return tables


def _table(section: str, *header: str) -> list[list[str]]:
    """The rows (without header) of the table in `section` whose header starts so."""
    for table in _tables(SECTIONS[section]):
        if tuple(table[0][:len(header)]) == header:
            return table[1:]
    raise AssertionError(f"no table {header} under '## {section}'")


def _code(cell: str) -> list[str]:
    return re.findall(r"`([^`]*)`", cell)


SECTIONS = _sections()
FILE_HEADING = re.compile(r"^`([a-z_]+(?:\.csv)?)`( \(required\))?$")
DOC_FILES = {m.group(1): bool(m.group(2)) for m in map(FILE_HEADING.match, SECTIONS) if m}


def test_the_page_lists_every_file_and_marks_the_required_ones():
    assert sorted(DOC_FILES) == sorted(contract.BY_FILE)
    assert sorted(f for f, required in DOC_FILES.items() if required) == \
        sorted(contract.REQUIRED_FILES)
    # each CSV file read once (the plans are a folder, read after the CSV files)
    assert sorted(contract.FILE_ORDER) == sorted(f.file for f in contract.CSV_SPECS)


@pytest.mark.parametrize("spec", contract.FILES, ids=lambda s: s.file)
def test_each_file_has_the_columns_types_and_required_marks_of_the_contract(spec):
    heading = next(h for h in SECTIONS if FILE_HEADING.match(h)
                   and FILE_HEADING.match(h).group(1) == spec.file)
    rows = _table(heading, "column", "type", "required")
    documented = [(_code(name)[0], kind, required == "yes") for name, kind, required, *_ in rows]
    assert documented == [(c.name, c.type, c.required) for c in spec.columns]


def test_column_types_are_the_contracts():
    rows = _table("Column types", "type")
    assert [_code(r[0])[0] for r in rows] == list(contract.COLUMN_TYPES)
    assert {c.type for f in contract.FILES for c in f.columns} <= set(contract.COLUMN_TYPES)


def test_vocabularies_are_the_contracts():
    rows = _table("Vocabularies", "vocabulary", "column", "values")
    documented = {}
    for _, where, values in rows:
        file, column = _code(where)
        # Only the first backticked word of a value counts: `personnel` (tổ chức cán bộ).
        documented[(file, column)] = _code(values)
    expected = {(f.file, c.name): c for f in contract.FILES for c in f.columns
                if c.type in ("choice", "key")}
    assert sorted(documented) == sorted(expected)
    for where, column in expected.items():
        assert sorted(documented[where]) == sorted(column.vocabulary), where
        assert len(documented[where]) == len(set(documented[where])), where
    # Levels are ordered from the top down, and the page lists them in that order.
    assert tuple(documented[("units.csv", "level")]) == contract.LEVELS


def _count(text: str) -> tuple[int, int | None]:
    text = text.strip()
    if text == "any":
        return 0, None
    if text == "none":
        return 0, 0
    if m := re.fullmatch(r"exactly (\d+)", text):
        return int(m.group(1)), int(m.group(1))
    if m := re.fullmatch(r"≥ (\d+)", text):
        return int(m.group(1)), None
    if m := re.fullmatch(r"(\d+) or (\d+)", text):
        return int(m.group(1)), int(m.group(2))
    raise AssertionError(f"cannot read the count {text!r}")


def test_event_shapes_are_the_contracts():
    rows = _table("`events.csv`", "type", "inputs", "outputs")
    documented = {_code(kind)[0]: _count(inputs) + _count(outputs)
                  for kind, inputs, outputs, *_ in rows}
    assert documented == contract.EVENT_SHAPES


def test_the_id_examples_follow_the_alphabet():
    rows = _table("Ids", "id", "valid")
    assert {valid for _, valid in rows} == {"yes", "no"}
    for ident, valid in rows:
        assert contract.valid_id(_code(ident)[0]) is (valid == "yes"), ident
    assert contract.valid_id("a" * contract.ID_MAX_LENGTH)
    assert not contract.valid_id("a" * (contract.ID_MAX_LENGTH + 1))
    for bad in ("", " a", "a ", "a\tb", "a\x00", "a\nb", "a;b", "a,b", 'a"b'):
        assert not contract.valid_id(bad), repr(bad)


@pytest.mark.parametrize("table", contract.TABLE_NAMES)
def test_each_record_holds_exactly_the_contracts_columns(table):
    cls, columns = TABLES[table]
    assert columns == contract.BY_TABLE[table].names
    assert sorted(f.name for f in fields(cls)) == sorted(columns)


def test_reference_columns_name_a_table_with_ids():
    for spec in contract.FILES:
        for column in spec.columns:
            if column.refers is not None:
                assert column.type in ("id", "ids")
                assert contract.BY_TABLE[column.refers].key == "id"
                assert column.refers in contract.REFERENCE_NAMES
            elif column.type == "id":
                assert spec.key == column.name, (spec.file, column.name)


def test_leadership_roles_are_known_roles():
    from graph.model import LEADERSHIP_ROLES
    assert LEADERSHIP_ROLES <= contract.ROLES
