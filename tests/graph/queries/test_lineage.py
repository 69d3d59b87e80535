"""`graph.queries.lineage.lineage`: transitive through MERGE, CONSOLIDATE, SPLIT and RENAME, each unit
once at the depth it is first reached, with the linking event and its documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.dates import PartialDate
from graph.errors import NotFound
from graph.queries.lineage import lineage
from graph.embedded.memory import MemoryGraph
from graph.model import Dataset, Event, Unit
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"


def steps(items):
    return [(i["unit"]["id"], i["depth"], i["event"]["id"], i["via"]) for i in items]


def test_a_consolidation_then_a_split():
    graph = MemoryGraph(read_dataset(DATA / "chain"))
    assert steps(lineage(graph, "d")["predecessors"]) == [
        ("c", 1, "ev-split", "d"), ("a", 2, "ev-consolidate", "c"), ("b", 2, "ev-consolidate", "c")]
    assert steps(lineage(graph, "b")["successors"]) == [
        ("c", 1, "ev-consolidate", "b"), ("d", 2, "ev-split", "c"), ("e", 2, "ev-split", "c")]
    middle = lineage(graph, "c")
    assert [i["unit"]["id"] for i in middle["predecessors"]] == ["a", "b"]
    assert [i["unit"]["id"] for i in middle["successors"]] == ["d", "e"]
    assert middle["unit"]["id"] == "c" and middle["unit"]["parent"] == "tu"
    event = middle["successors"][0]["event"]
    assert event["documents"] == [{"id": "doc-plan", "code": "01-KH/TU", "title": "Kế hoạch sắp xếp"}]


def _units(*ids):
    return tuple(Unit(i, i.upper(), "other", "district") for i in ids)


def test_renames_that_come_back_and_a_rename_to_the_same_id_end():
    graph = MemoryGraph(Dataset(units=_units("x", "y", "z"), events=(
        Event("r1", PartialDate(2010), "RENAME", ("x",), ("y",)),
        Event("r2", PartialDate(2012), "RENAME", ("y",), ("x",)),
        Event("r3", PartialDate(2014), "RENAME", ("x",), ("x",)),
        Event("m", PartialDate(2016), "MERGE", ("x",), ("z",)),
        Event("t", PartialDate(2016), "TRANSFER_FUNCTION", ("z",), ("y",)))))
    assert steps(lineage(graph, "x")["successors"]) == [("y", 1, "r1", "x"), ("z", 1, "m", "x")]
    assert steps(lineage(graph, "z")["predecessors"]) == [("x", 1, "m", "z"), ("y", 2, "r2", "x")]


def test_an_event_naming_an_unknown_unit_still_answers():
    graph = MemoryGraph(Dataset(units=_units("a"), events=(
        Event("c", PartialDate(2010), "CONSOLIDATE", ("ghost",), ("a",)),)))
    assert lineage(graph, "a")["predecessors"][0]["unit"] == {"id": "ghost"}


def test_an_unknown_unit_is_not_found():
    with pytest.raises(NotFound, match="no unit with id 'nope'"):
        lineage(MemoryGraph(Dataset()), "nope")
