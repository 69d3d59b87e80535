"""Parsing operations from dicts: shapes, defaults, and errors that name the field."""

from __future__ import annotations

import unicodedata

import pytest

from graph.dates import PartialDate
from graph.errors import InvalidParameter
from graph.scenarios import (Consolidate, CreateSharedAgency, Dissolve, Merge, Move, Rename, Split,
                             TransferFunction, operation_to_dict, parse_operation,
                             parse_operations)

EXAMPLES = [
    {"op": "merge", "into": "ubkt", "units": ["tt"], "basis": ["doc-18"], "date": "2018-08-07"},
    {"op": "consolidate", "units": ["btc", "pnv"], "parent": "tu", "serves": ["ubnd"],
     "new": {"id": "tcnv", "name": "Ban Tổ chức - Nội vụ", "kind": "party_board"}},
    {"op": "split", "unit": "vpub", "into": [
        {"id": "vp-hdnd", "name": "VP HĐND", "functions": ["office_admin"], "headcount": 5},
        {"id": "vp-ubnd", "name": "VP UBND", "functions": ["office_admin", "transport"],
         "children": ["x"], "parent": "ubnd"}]},
    {"op": "transfer_function", "function": "training", "from": "ttbdct", "to": "btg",
     "headcount": 2},
    {"op": "move", "unit": "cb3", "parent": "tu", "note": "closer to the committee"},
    {"op": "rename", "unit": "btg", "name": "Ban Tuyên giáo và Đào tạo", "new_id": "btg2"},
    {"op": "dissolve", "unit": "ttbdct", "children_to": "tu",
     "functions_to": {"training": "btg"}, "drop_functions": ["office_admin"]},
    {"op": "create_shared_agency",
     "new": {"id": "ckhoi", "name": "Cơ quan khối", "kind": "shared_agency"},
     "serves": ["mttq", "hnd"], "functions": ["office_admin"], "transfer_headcount": {"mttq": 2},
     "event_id": "ev-ckhoi"},
]


@pytest.mark.parametrize("data", EXAMPLES, ids=[d["op"] for d in EXAMPLES])
def test_every_operation_round_trips_through_its_dict_form(data):
    op = parse_operation(data)
    assert operation_to_dict(op) == data
    assert parse_operation(operation_to_dict(op)) == op


def test_parsed_fields_and_defaults():
    merge, cons, split, tf, move, rename, dissolve, agency = parse_operations(EXAMPLES)
    assert isinstance(merge, Merge) and merge.units == ("tt",) and merge.basis == ("doc-18",)
    assert merge.date == PartialDate(2018, 8, 7)
    assert isinstance(cons, Consolidate) and cons.new.id == "tcnv" and cons.new.level is None
    assert isinstance(split, Split) and split.into[0].headcount == 5 and split.into[1].parent == "ubnd"
    assert isinstance(tf, TransferFunction) and tf.from_unit == "ttbdct" and tf.headcount == 2
    assert isinstance(move, Move) and move.date is None and move.note
    assert isinstance(rename, Rename) and rename.new_id == "btg2"
    assert isinstance(dissolve, Dissolve) and dissolve.functions_to == {"training": "btg"}
    assert isinstance(agency, CreateSharedAgency) and agency.new.kind == "shared_agency"


def test_lists_may_be_given_as_text_and_names_are_nfc():
    op = parse_operation({"op": "merge", "into": "x", "units": "a;b", "basis": "d1, d2"})
    assert op.units == ("a", "b") and op.basis == ("d1", "d2")
    nfd = unicodedata.normalize("NFD", "Ban Tổ chức")
    assert nfd != "Ban Tổ chức"
    op = parse_operation({"op": "rename", "unit": "x", "name": nfd})
    assert op.name == "Ban Tổ chức"


def test_type_is_accepted_for_op():
    assert isinstance(parse_operation({"type": "move", "unit": "a", "parent": "b"}), Move)


@pytest.mark.parametrize("data, field, words", [
    ({"into": "x"}, "op", "is required"),
    ({"op": "fuse", "into": "x"}, "op", "unknown operation"),
    ({"op": "merge", "units": ["a"]}, "into", "is required"),
    ({"op": "merge", "into": "x", "units": []}, "units", "is required"),
    ({"op": "merge", "into": "x", "units": ["a", "a"]}, "units", "more than once"),
    ({"op": "merge", "into": "x", "units": ["a"], "date": "2018-02-30"}, "date", "no day 30"),
    ({"op": "merge", "into": "x", "units": ["a"], "colour": "red"}, "colour", "unknown field"),
    ({"op": "merge", "into": "a b", "units": ["a"]}, "into", "unit id"),
    ({"op": "consolidate", "units": ["a"], "new": {"id": "n", "name": "N"}}, "units",
     "at least 2"),
    ({"op": "consolidate", "units": ["a", "b"]}, "new", "is required"),
    ({"op": "consolidate", "units": ["a", "b"], "new": {"id": "n"}}, "new.name", "is required"),
    ({"op": "consolidate", "units": ["a", "b"], "new": {"id": "n", "name": "N", "kind": "ban"}},
     "new.kind", "unknown kind"),
    ({"op": "consolidate", "units": ["a", "b"], "new": {"id": "n", "name": "N",
                                                        "level": "city"}}, "new.level",
     "unknown level"),
    ({"op": "split", "unit": "a", "into": [{"id": "b", "name": "B"}]}, "into", "at least 2"),
    ({"op": "split", "unit": "a", "into": [{"id": "b", "name": "B"}, {"id": "b", "name": "C"}]},
     "into", "used twice"),
    ({"op": "split", "unit": "a", "into": [{"id": "b", "name": "B", "headcount": -1},
                                          {"id": "c", "name": "C"}]}, "into[0].headcount",
     "whole number"),
    ({"op": "transfer_function", "function": "Training", "from": "a", "to": "b"}, "function",
     "snake_case"),
    ({"op": "transfer_function", "function": "training", "to": "b"}, "from", "is required"),
    ({"op": "move", "unit": "a"}, "parent", "is required"),
    ({"op": "rename", "unit": "a"}, "name", "is required"),
    ({"op": "dissolve", "unit": "a", "functions_to": ["b"]}, "functions_to", "mapping"),
    ({"op": "create_shared_agency", "new": {"id": "n", "name": "N"}}, "serves", "is required"),
    ({"op": "create_shared_agency", "new": {"id": "n", "name": "N"}, "serves": ["a"],
      "transfer_headcount": {"a": "two"}}, "transfer_headcount.a", "whole number"),
])
def test_errors_name_the_field(data, field, words):
    with pytest.raises(InvalidParameter) as info:
        parse_operation(data, index=3)
    exc = info.value
    assert exc.status == 422
    assert any(e["field"] == field and words in e["message"] for e in exc.errors), exc.errors
    assert exc.detail.startswith("operation 3")
    assert field in exc.detail or any(e["field"] == field for e in exc.errors)


def test_every_problem_of_every_operation_is_reported_at_once():
    with pytest.raises(InvalidParameter) as info:
        parse_operations([{"op": "merge"}, {"op": "move", "unit": "a", "parent": "b"},
                          {"op": "move"}])
    fields = [(e["operation"], e["field"]) for e in info.value.errors]
    assert ("operation 1 (merge)", "into") in fields and ("operation 1 (merge)", "units") in fields
    assert ("operation 3 (move)", "unit") in fields and ("operation 3 (move)", "parent") in fields
    assert not any(op.startswith("operation 2") for op, _ in fields)


def test_not_a_list():
    with pytest.raises(InvalidParameter):
        parse_operations("merge a into b")
