"""Each validation rule of the data contract, on a small bad folder under tests/data/bad/."""

from __future__ import annotations

import pytest

from graph.errors import ValidationFailed
from loaders import read_dataset

# (folder, [(file, line, column, field, words in the message)]) - every problem expected.
CASES = {
    "unknown_file": [("orgs.csv", None, None, None, "unknown file")],
    "unknown_column": [("units.csv", 1, 5, "colour", "unknown column")],
    "missing_value": [("units.csv", 2, 2, "name", "missing required value")],
    "duplicate_id": [("units.csv", 4, 1, "id", "duplicate id; first defined on line 2")],
    "dangling_reference": [
        ("relations.csv", 2, 3, "target_id", "refers to no unit"),
        ("events.csv", 2, 6, "basis", "refers to no document"),
        ("posts.csv", 2, 1, "person_id", "refers to no person"),
    ],
    "bad_date": [
        ("units.csv", 2, 5, "valid_from", "no month 13"),
        ("units.csv", 3, 5, "valid_from", "has no day 30"),
        ("units.csv", 4, 6, "valid_to", "before valid_from"),
        ("units.csv", 5, 5, "valid_from", "expected an ISO 8601 date"),
    ],
    "unknown_vocabulary": [
        ("units.csv", 2, 3, "kind", "unknown kind"),
        ("units.csv", 3, 4, "level", "unknown level"),
        ("relations.csv", 2, 2, "type", "unknown type"),
        ("events.csv", 2, 3, "type", "unknown event type"),
    ],
    "part_of_cycle": [("relations.csv", 2, 3, "target_id", "PART_OF cycle a → b → c → a")],
    "two_parents": [("relations.csv", 3, 3, "target_id", "two PART_OF parents at once")],
    "ended_twice": [("events.csv", 3, 4, "inputs", "ended twice: already ended by event ev1")],
    "outside_lifetime": [("relations.csv", 2, 4, "valid_from", "starts before a and p")],
    "event_disagrees": [("units.csv", 2, 6, "valid_to", "disagrees with event ev1")],
    "missing_units_file": [("units.csv", None, None, None, "missing required file")],
    "ragged_row": [("units.csv", 3, None, None, "expected 6 cells as in the header, found 3")],
    "not_utf8": [("units.csv", 2, 7, None, "not UTF-8")],
}


@pytest.mark.parametrize("folder", sorted(CASES))
def test_every_problem_is_reported_with_its_place(data_dir, folder):
    with pytest.raises(ValidationFailed) as info:
        read_dataset(data_dir / "bad" / folder)
    got = [(p.file, p.line, p.column, p.field, p.message) for p in info.value.problems]
    expected = CASES[folder]
    assert len(got) == len(expected), got
    for (file, line, column, field, message), want in zip(got, expected):
        assert (file, line, column, field) == want[:4]
        assert want[4] in message


def test_problems_keep_the_offending_value(data_dir):
    with pytest.raises(ValidationFailed) as info:
        read_dataset(data_dir / "bad" / "bad_date")
    assert [p.value for p in info.value.problems] == ["2018-13", "2018-02-30", "2017-05", "7/8/2018"]


def test_a_folder_that_does_not_exist_is_a_problem_not_a_crash(tmp_path):
    with pytest.raises(ValidationFailed) as info:
        read_dataset(tmp_path / "nope")
    assert "not a folder" in info.value.problems[0].message


def test_events_imply_the_end_and_start_of_units(data_dir):
    dataset = read_dataset(data_dir / "chain")
    units = {u.id: u for u in dataset.units}
    # a and b leave valid_to empty in units.csv: the CONSOLIDATE event ends them.
    assert str(units["a"].valid_to) == str(units["b"].valid_to) == "2018-07-01"
    assert str(units["c"].valid_from) == "2018-07-01" and str(units["c"].valid_to) == "2020-01-01"
    assert str(units["d"].valid_from) == "2020-01-01" and units["d"].valid_to is None


def test_open_relation_bounds_are_clipped_to_the_units_lifetime(data_dir):
    dataset = read_dataset(data_dir / "chain")
    rel = next(r for r in dataset.relations if r.source_id == "a" and r.type == "PART_OF")
    assert (str(rel.valid_from), str(rel.valid_to)) == ("2000", "2018-07-01")
