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
    # A cycle is reported on every row that makes it up, each naming the whole cycle.
    "part_of_cycle": [("relations.csv", 2, 3, "target_id", "PART_OF cycle a → b → c → a"),
                      ("relations.csv", 3, 3, "target_id", "PART_OF cycle a → b → c → a"),
                      ("relations.csv", 4, 3, "target_id", "PART_OF cycle a → b → c → a")],
    "two_parents": [("relations.csv", 3, 3, "target_id", "two PART_OF parents at once")],
    "ended_twice": [("events.csv", 3, 4, "inputs", "ended twice: already ended by event ev1")],
    "outside_lifetime": [("relations.csv", 2, 4, "valid_from", "starts before a and p")],
    "event_disagrees": [("units.csv", 2, 6, "valid_to", "disagrees with event ev1")],
    "missing_units_file": [("units.csv", None, None, None, "missing required file")],
    "ragged_row": [("units.csv", 3, None, None, "expected 6 cells as in the header, found 3")],
    "not_utf8": [("units.csv", 2, 7, None, "not UTF-8")],
    # The id alphabet: own ids, and references that resolve to nothing, in every file.
    "bad_ids": [
        ("units.csv", 3, 1, "id", "not a valid id"),  # x/y
        ("units.csv", 4, 1, "id", "not a valid id"),  # a..b
        ("units.csv", 5, 1, "id", "not a valid id"),  # a control character
        ("units.csv", 6, 1, "id", "spaces around it"),  # " e"
        ("units.csv", 7, 1, "id", "not a valid id"),  # f g
        ("units.csv", 8, 5, "area", "not a valid id"),  # ../etc
        ("relations.csv", 2, 3, "target_id", "spaces around it"),  # "ok-1 "
        ("relations.csv", 3, 3, "target_id", "not a valid id"),  # a/../b
        ("events.csv", 2, 1, "id", "not a valid id"),  # "ev 1"
    ],
    "header_only_units": [("units.csv", None, None, None, "no units: expected at least one row")],
    "event_shape": [
        ("events.csv", 2, 5, "outputs", "a MERGE event takes exactly 1 output unit(s)"),
        ("events.csv", 3, 5, "outputs", "SPLIT event cannot list a unit as both input and output"),
        ("events.csv", 4, 4, "inputs", "a RENAME event takes exactly 1 input unit(s)"),
    ],
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


def test_ids_outside_the_alphabet_keep_their_value(data_dir):
    with pytest.raises(ValidationFailed) as info:
        read_dataset(data_dir / "bad" / "bad_ids")
    values = [p.value for p in info.value.problems]
    assert values[:3] == ["x/y", "a..b", "c\x01d"] and "../etc" in values and "a/../b" in values
    # the expected alphabet is named in each problem
    assert all("expected ASCII letters, digits" in p.message for p in info.value.problems)


def test_an_empty_units_file_is_refused_too(tmp_path):
    (tmp_path / "units.csv").write_bytes(b"")
    with pytest.raises(ValidationFailed) as info:
        read_dataset(tmp_path)
    assert info.value.problems[0].message.startswith("empty file: expected a header row")


def test_spaces_around_other_cells_are_trimmed_and_inside_an_id_list_allowed(tmp_path):
    (tmp_path / "units.csv").write_text("id,name,kind,level\na, Ban A ,party_board,district\n"
                                        "b,Ban B,party_board,district\nc,C,party_board,district\n")
    (tmp_path / "events.csv").write_text("id,date,type,inputs,outputs\n"
                                         'ev1,2018,CONSOLIDATE," a ; b ",c\n')
    dataset = read_dataset(tmp_path)
    assert dataset.units[0].name == "Ban A" and dataset.events[0].inputs == ("a", "b")


def test_a_cycle_is_reported_once_per_row_even_with_two_cycles_through_it(tmp_path):
    (tmp_path / "units.csv").write_text(
        "id,name,kind,level\n" + "".join(f"{u},{u},party_board,district\n" for u in "abcd"))
    # a→b→a and a→b→c→a share the row a→b; d is outside both.
    (tmp_path / "relations.csv").write_text(
        "source_id,type,target_id,valid_from,valid_to\n"
        "a,PART_OF,b,,\nb,PART_OF,a,,2000\nb,PART_OF,c,2000,\nc,PART_OF,a,,\nd,PART_OF,a,,\n")
    with pytest.raises(ValidationFailed) as info:
        read_dataset(tmp_path)
    cycles = [(p.line, p.message.split(" (")[0]) for p in info.value.problems
              if "cycle" in p.message]
    assert sorted(cycles) == [(2, "PART_OF cycle a → b → a"), (2, "PART_OF cycle a → b → c → a"),
                      (3, "PART_OF cycle a → b → a"), (4, "PART_OF cycle a → b → c → a"),
                      (5, "PART_OF cycle a → b → c → a")]
