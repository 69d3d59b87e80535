"""`graph.scenarios.diff_areas`: the diff's area changes read unit by unit (a small plan) and
from whole tables (`BULK_SEEDS` touched units or more: a national plan) are the same, on the
dataset of `tests/api/test_diff_area_changes.py` and on `tests/data/r_tuyen_quang` with
every body's `area` emptied (each body's area is its chain's); and a rename changes no
area."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.scenarios import apply, diff_areas, new_state
from graph.scenarios.diff import diff
from loaders import read_dataset
from tests.api.test_diff_area_changes import AT, CONSOLIDATE, dataset

DATA = Path(__file__).resolve().parents[2] / "data"
PLANS = {
    "consolidate": [CONSOLIDATE],
    "merge-and-move": [{"op": "merge", "units": ["pa-cq"], "into": "pb-cq"},
                       {"op": "move", "unit": "pa-dn", "parent": "pb-tu"}],
}


def _both_ways(monkeypatch, base, plan) -> dict:
    state, _ = apply(new_state(base, AT), plan)
    small = diff(base, state).to_dict()
    monkeypatch.setattr(diff_areas, "BULK_SEEDS", 1)
    bulk = diff(base, state).to_dict()
    monkeypatch.undo()
    assert bulk == small
    return small


@pytest.mark.parametrize("areas", [True, False], ids=["areas", "no-areas"])
@pytest.mark.parametrize("plan", sorted(PLANS))
def test_per_unit_and_whole_table_reads_agree(monkeypatch, plan, areas):
    got = _both_ways(monkeypatch, MemoryGraph(dataset(areas=areas)), PLANS[plan])
    cells = {a["id"] for a in got["area_changes"]}
    assert {"pa-cq-cb1", "pa-cq-cb2"} <= cells
    # a bloc committee naming its area keeps it when it is moved under another province's
    # Tỉnh ủy, and so do its cells; one that names none takes the other's, with its cells
    moved_with = {"pa-dn-cb1", "pa-dn-cb2", "pa-dn-cb3"}
    assert moved_with <= cells if plan == "consolidate" or not areas else \
        not moved_with & cells
    assert not {u for u in cells if u.startswith("pc")}  # the third province untouched


def test_the_reform_of_bodies_naming_no_area_agrees_both_ways(monkeypatch, tmp_path):
    folder = tmp_path / "r_tq"
    shutil.copytree(DATA / "r_tuyen_quang", folder)
    with open(folder / "units.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["kind"] not in ("province", "district", "commune", "other"):
            row["area"] = ""
    with open(folder / "units.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    base = MemoryGraph(read_dataset(folder))
    got = _both_ways(monkeypatch, base, [{"op": "consolidate", "units": ["hg", "tq"],
                                          "new": {"id": "tq25", "name": "Tỉnh Tuyên Quang"}}])
    changes = {a["id"]: a for a in got["area_changes"]}
    # the department without a peer, found by its chain, moved to the new province
    assert (changes["hg-sngv"]["area_from"], changes["hg-sngv"]["area_to"],
            changes["hg-sngv"]["from_by"]) == ("hg", "tq25", "inferred")
    # every unit listed exists on both sides, and none is added or removed
    ended = {r["id"] for r in got["removed"]} | {a["id"] for a in got["added"]}
    assert not set(changes) & ended


def test_a_rename_changes_no_area():
    base = MemoryGraph(dataset(areas=True))
    state, _ = apply(new_state(base, AT), [{"op": "rename", "unit": "pa-tu",
                                            "name": "Tỉnh ủy An Hà mới"}])
    # (its former name is a name row: the unit is looked at, its area has not changed)
    assert diff_areas._touched(base, state) == {"pa-tu"}
    assert diff(base, state).area_changes == ()
