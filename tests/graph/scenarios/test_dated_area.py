"""A unit's area over time (names.csv `area`) in scenarios: a body moved "as it is" keeps
its former area for the dates before the move, and a what-if dated before a recorded move
pairs the body in the area it had on its date, replacing the recorded move.

tests/data/c_moved: Province A (pa) merged into B (pb) on 2025-07-01; its Sở Ngoại vụ
(pa-sngv) and the Office's cell (pa-cb) moved to B as they were."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.queries import provenance
from graph.scenarios import apply, new_state
from graph.scenarios.commit import validated_dataset
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data" / "c_moved"


@pytest.fixture(scope="module")
def moved():
    return MemoryGraph(read_dataset(DATA))


def area(reader, uid, at):
    return provenance.name_on(reader, reader.get_unit(uid), at)[0].area


def test_a_what_if_before_a_recorded_move_pairs_the_body_where_it_was(moved):
    state, log = apply(new_state(moved, "2020-01-01"), [{
        "op": "consolidate", "units": ["pa", "pb"],
        "new": {"id": "pc", "name": "Tỉnh C", "kind": "province", "level": "province"},
        "parent": "vn"}])
    unpaired = {u["unit"]: (u["from_area"], u["to_area"]) for u in log[0].to_dict()["unpaired"]}
    # pa-sngv's own area is pb (where the record moved it in 2025); on 2020-01-01 it is pa's
    assert unpaired["pa-sngv"] == ("pa", "pc") and unpaired["pb-syt"] == ("pb", "pc")
    for at, want in ((dt.date(2019, 1, 1), "pa"), (dt.date(2020, 1, 1), "pc"),
                     (dt.date(2026, 1, 1), "pc")):  # the recorded move to pb is replaced
        assert area(state, "pa-sngv", at) == want, at
    assert [u.id for u in state.units(dt.date(2019, 1, 1), area="pa")] == [
        "pa-cb", "pa-sngv", "pa-tu"]
    assert "pa-sngv" in [u.id for u in state.units(dt.date(2026, 1, 1), area="pc")]
    validated_dataset(state)  # the rows keep the data contract: it could be committed


def test_a_body_moved_as_it_is_keeps_each_former_area_before_the_date(moved):
    state, log = apply(new_state(moved, "2026-01-01"), [{
        "op": "consolidate", "units": ["pb", "pd"],
        "new": {"id": "pe", "name": "Tỉnh E", "kind": "province", "level": "province"},
        "parent": "vn"}])
    unpaired = {u["unit"] for u in log[0].to_dict()["unpaired"]}
    assert {"pa-sngv", "pb-syt"} <= unpaired
    # pa-sngv: pa until 2025-07-01 (recorded), pb until 2026-01-01, pe from then
    assert [(area(state, "pa-sngv", dt.date(y, m, 1))) for y, m in
             ((2020, 1), (2025, 7), (2025, 12), (2026, 1))] == ["pa", "pb", "pb", "pe"]
    rows = [(n.area, str(n.valid_from), str(n.valid_to)) for n in state.unit_names("pa-sngv")]
    assert rows == [("pa", "1990", "2025-07-01"), ("pb", "2025-07-01", "2026-01-01")]
    assert [area(state, "pb-syt", at) for at in (dt.date(2000, 1, 1), dt.date(2026, 1, 1))] \
        == ["pb", "pe"]
    # one name all along: the rows date the area, they are no rename
    assert [n["name"] for n in provenance.names(state, state.get_unit("pb-syt"))] == [
        "Sở Y tế tỉnh B"]
    validated_dataset(state)


def test_a_body_moved_as_it_is_pairs_by_its_name_without_its_former_place(moved):
    # pa-sngv moved to pb as it was: its name still carries A's place ("tỉnh Hà Giang"
    # here). When pb and pd consolidate, it is keyed without that place, the one its name
    # carries, and pairs with D's Sở Ngoại vụ (the same key). Keyed with B's place only,
    # "hà giang" would stay in its key: 0.57 overlap with D's, below the threshold, and
    # D's Sở Du lịch leaves neither alone on its side.
    data = read_dataset(DATA)
    named = {"pa": "Tỉnh Hà Giang", "pa-sngv": "Sở Ngoại vụ tỉnh Hà Giang"}
    units = tuple(dataclasses.replace(u, name=named.get(u.id, u.name)) for u in data.units)
    like = next(u for u in data.units if u.id == "pb-syt")
    link = next(r for r in data.relations if r.source_id == "pb-syt")
    extra = [("pd-sngv", "Sở Ngoại vụ tỉnh D"), ("pd-sdl", "Sở Du lịch tỉnh D")]
    units += tuple(dataclasses.replace(like, id=i, name=n, area="pd") for i, n in extra)
    relations = data.relations + tuple(dataclasses.replace(link, source_id=i, target_id="pd")
                                       for i, _ in extra)
    graph = MemoryGraph(dataclasses.replace(data, units=units, relations=relations))
    state, log = apply(new_state(graph, "2026-01-01"), [{
        "op": "consolidate", "units": ["pb", "pd"],
        "new": {"id": "pe", "name": "Tỉnh E", "kind": "province", "level": "province"},
        "parent": "vn"}])
    entry = log[0].to_dict()
    assert {tuple(b["from"]) for b in entry["bodies"]} == {("pa-sngv", "pd-sngv")}
    assert {u["unit"] for u in entry["unpaired"]} == {"pb-tu", "pb-syt", "pd-sdl"}
