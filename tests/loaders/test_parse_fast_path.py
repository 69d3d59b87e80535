"""The loader's fast path accepts exactly the rows the precise path accepts, as the same records.

`loaders.parse` reads a file's rows through a fast check (generated from the contract)
that only accepts a fully valid row, and falls back on the precise path (which names
every problem) otherwise. Here each file's parser runs on generated rows twice, once
with the fast path disabled, and both runs must give the same records and problems.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import loaders.parse as parse
from graph.contract import BY_FILE
from graph.errors import ProblemCollector
from loaders.csvfile import Table, parse_table

#: Cells that exercise every rule: valid and invalid dates, vocabularies, numbers, ids.
DATES = ["", "2018", "2018-08", "2018-08-07", "2025-07-01", "2018-13", "2018-02-30", "0000",
         "18-08-07", "soon", "2019-01-01 "]
IDS = ["", "a", "b", "u-1", "u-2", " a", "a/b"]
CELLS = {
    "id": IDS, "source_id": IDS, "target_id": IDS, "unit_id": IDS, "person_id": IDS,
    "name": ["", "Ban Tổ chức", "x"], "name_en": ["", "Board"], "abbr": ["", "BTC"],
    "area": ["", "a"], "note": ["", "n"], "source": ["", "doc"],
    "kind": ["", "party_board", "province", "board", "Province"],
    "level": ["", "central", "commune", "ward"],
    "type": ["", "PART_OF", "SERVES", "part_of", "OWNS"],
    "function": ["", "personnel", "new_key", "Personnel", "two words"],
    "role": ["", "secretary", "Head", "deputy-head"],
    "headcount": ["", "0", "12", "-1", "3.5", "1_000", " 7", "many"],
    "basis": ["", "approved", "actual", "planned", "d-1;d-2"],
    "inputs": ["", "a", "a;b", " a ; b;", ";"], "outputs": ["", "b", "a;b", "c"],
    "type@events.csv": ["", "MERGE", "DISSOLVE", "merge"],
    "code": ["", "18-NQ/TW"], "title": ["", "Nghị quyết"], "issuer": ["", "TW"],
    "url": ["", "https://x"], "description": ["", "d"],
    "valid_from": DATES, "valid_to": DATES, "date": DATES,
}
FILES = sorted(f for f, spec in BY_FILE.items() if spec.format == "csv")


#: Cells of a column that CELLS does not name, by its type in the contract.
BY_TYPE = {"text": ["", "x"], "id": IDS, "ids": ["", "a;b", " a ;"], "date": DATES,
           "int": ["", "0", "-1", "x"], "choice": ["", "nope"], "key": ["", "new_key", "Bad"]}


def _cells(file: str, column: str) -> list[str]:
    spec = BY_FILE[file].column(column)
    return CELLS.get(f"{column}@{file}", CELLS.get(column, BY_TYPE[spec.type]))


def _table(file: str, header: list[str], rows: list[list[str]]) -> Table:
    text = "\n".join(",".join(f'"{c}"' for c in cells) for cells in [header, *rows]) + "\n"
    problems = ProblemCollector()
    table = parse_table(file, text, problems)
    assert problems.problems == []
    return table


def _both_ways(file: str, table: Table):
    fast_problems, slow_problems = ProblemCollector(), ProblemCollector()
    fast = parse.parser(file)(table, fast_problems)
    slow = parse.parser(file, fast=False)(table, slow_problems)
    return (fast, fast_problems.problems), (slow, slow_problems.problems)


@st.composite
def tables(draw):
    file = draw(st.sampled_from(FILES))
    spec = BY_FILE[file]
    # Every required column, a random subset of the optional ones, in a random order.
    optional = draw(st.lists(st.sampled_from([c for c in spec.names
                                              if c not in spec.required_columns]), unique=True))
    header = draw(st.permutations(list(spec.required_columns) + optional))
    rows = draw(st.lists(st.tuples(*(st.sampled_from(_cells(file, c)) for c in header)),
                         min_size=1, max_size=6))
    return file, _table(file, header, [list(r) for r in rows])


@settings(max_examples=400, deadline=None)
@given(tables())
def test_fast_and_precise_paths_agree(case):
    file, table = case
    (fast, fast_problems), (slow, slow_problems) = _both_ways(file, table)
    assert fast == slow
    assert fast_problems == slow_problems


@pytest.mark.parametrize("file", FILES)
def test_a_valid_row_takes_the_fast_path(monkeypatch, file):
    """Not only equal answers: the fast path really is taken for a valid row."""
    spec = BY_FILE[file]
    valid = {"id": "u-1", "source_id": "u-1", "target_id": "u-2", "unit_id": "u-1",
             "person_id": "p-1", "name": "Ban", "kind": "party_board", "level": "province",
             "type": "ESTABLISH" if file == "events.csv" else "PART_OF", "function": "personnel",
             "role": "secretary", "headcount": "12", "date": "2018-08", "valid_from": "2018",
             "valid_to": "2025-07-01", "code": "18-NQ/TW", "title": "Nghị quyết"}
    header = list(spec.required_columns) + ["valid_from"] * ("valid_from" in spec.names)
    table = _table(file, header, [[valid[c] for c in header]])
    calls = []
    real = parse.fast_path

    def counting(table):
        accept = real(table)

        def recording(cells):
            calls.append(accept(cells))
            return calls[-1]
        return recording

    monkeypatch.setattr(parse, "fast_path", counting)
    records = parse.parser(file)(table, ProblemCollector())
    assert len(records) == 1 and len(calls) == 1
    assert calls[0] is not None and calls[0] == records[0][1]
