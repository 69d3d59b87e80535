"""Scenario cost grows with the affected part: a two-province consolidation on a national
dataset of about 300k units touches only the affected records, and its impact figures check
by hand. (Its speed is measured by bench/, not asserted here: timed tests flake on CI.)"""

from __future__ import annotations

import gc

import pytest

from graph.dates import PartialDate
from graph.embedded.memory import MemoryGraph
from graph.model import Dataset, Function, Headcount, Person, Post, Relation, Unit
from graph.scenarios import apply, new_state
from graph.scenarios.impact import impact

PROVINCES, DISTRICTS, COMMUNES, CELLS = 63, 12, 16, 20
START = PartialDate(2010)
AT = "2026-01-01"


def national() -> Dataset:
    """63 provinces × 12 districts × 16 communes, each with Party, State and 20 Party cells."""
    units: list[Unit] = []
    rels: list[Relation] = []
    fns: list[Function] = []
    hcs: list[Headcount] = []
    people: list[Person] = []
    posts: list[Post] = []

    def unit(uid, kind, level, parent=None, *, staff=None, functions=(), head=None):
        units.append(Unit(id=uid, name=uid, kind=kind, level=level, valid_from=START))
        if parent:
            rels.append(Relation(source_id=uid, type="PART_OF", target_id=parent))
        for f in functions:
            fns.append(Function(unit_id=uid, function=f))
        if staff is not None:
            hcs.append(Headcount(unit_id=uid, date=START, headcount=staff, basis="approved"))
        if head:
            people.append(Person(id=f"{uid}~{head}", name=f"{head} of {uid}"))
            posts.append(Post(person_id=f"{uid}~{head}", unit_id=uid, role=head,
                              valid_from=START))

    unit("vn", "party_committee", "central")
    for p in range(PROVINCES):
        P = f"p{p:02d}"
        unit(P, "province", "province")
        unit(f"{P}-tu", "party_committee", "province", "vn", staff=12, head="secretary")
        for b in ("to-chuc", "tuyen-giao", "dan-van", "noi-chinh", "ubkt", "van-phong"):
            unit(f"{P}-{b}", "party_board", "province", f"{P}-tu", staff=20, head="head",
                 functions=("office_admin", "finance_accounting"))
        unit(f"{P}-ub", "government", "province", P, staff=30, head="chair")
        for s in range(15):
            unit(f"{P}-so{s}", "department", "province", f"{P}-ub", staff=40, head="head",
                 functions=("office_admin",))
        for d in range(DISTRICTS):
            D = f"{P}-d{d:02d}"
            unit(D, "district", "district", P)
            unit(f"{D}-hu", "party_committee", "district", f"{P}-tu", staff=8, head="secretary")
            for b in range(5):
                unit(f"{D}-ban{b}", "party_board", "district", f"{D}-hu", staff=6)
            unit(f"{D}-ub", "government", "district", f"{P}-ub", staff=12)
            for o in range(10):
                unit(f"{D}-ph{o}", "department", "district", f"{D}-ub", staff=7)
            for c in range(COMMUNES):
                C = f"{D}-c{c:02d}"
                unit(C, "commune", "commune", D)
                unit(f"{C}-du", "party_committee", "commune", f"{D}-hu", staff=3)
                unit(f"{C}-ub", "government", "commune", f"{D}-ub", staff=10)
                for k in range(CELLS):
                    unit(f"{C}-cb{k:02d}", "party_cell", "commune", f"{C}-du")
    return Dataset(units=tuple(units), relations=tuple(rels), functions=tuple(fns),
                   headcounts=tuple(hcs), people=tuple(people), posts=tuple(posts))


@pytest.fixture(scope="module")
def nation():
    graph = MemoryGraph(national())
    gc.collect()  # as in a server that has settled after loading: no collection of the load
    return graph


PLAN = [
    # `bodies: keep`: the bodies are consolidated by the next two operations, one by one (the
    # data names no `area`: without it, their PART_OF chain would bring them along here)
    {"op": "consolidate", "units": ["p07", "p08"], "bodies": "keep",
     "new": {"id": "p78", "name": "Tỉnh 7-8", "kind": "province", "level": "province"}},
    {"op": "consolidate", "units": ["p07-tu", "p08-tu"], "parent": "vn",
     "new": {"id": "p78-tu", "name": "Tỉnh ủy 7-8", "area": "p78"}},
    {"op": "consolidate", "units": ["p07-ub", "p08-ub"], "parent": "p78",
     "new": {"id": "p78-ub", "name": "UBND tỉnh 7-8", "area": "p78"}},
]


def test_a_two_province_consolidation_on_a_national_dataset(nation):
    assert len(nation.dataset().units) > 290_000
    state, _ = apply(new_state(nation, AT), PLAN)
    report = impact(nation, state).to_dict()
    # the overlay holds only the affected part: 9 units (6 ended, 3 new) and, for each of the
    # 116 children moved to a new unit, its old link ended and its new link (2 records)
    changes = state.changes()
    assert changes["units"] == 9 and changes["relations_added"] < 250
    # the report covers both provinces' subtrees, checked by hand from the generator
    per_province_party = 1 + 6 + DISTRICTS * (1 + 5 + COMMUNES * (1 + CELLS))
    per_province_geo = 1 + DISTRICTS * (1 + COMMUNES)
    per_province_gov = 1 + 15 + DISTRICTS * (1 + 10 + COMMUNES)
    per_province = per_province_party + per_province_geo + per_province_gov
    assert report["units"]["before"] == 2 * per_province
    assert report["units"]["after"] == 2 * per_province - 3
    assert report["party"]["cells"]["before"] == report["party"]["cells"]["after"] == \
        2 * DISTRICTS * COMMUNES * CELLS
    assert report["party"]["committees"]["change"] == -1
    staff = 12 + 6 * 20 + 30 + 15 * 40 + DISTRICTS * (8 + 5 * 6 + 12 + 10 * 7 + COMMUNES * 13)
    assert report["headcount"]["before"] == report["headcount"]["after_recorded"] == 2 * staff
    # two secretaries and two chairs brought together: 2 posts removed
    assert report["leadership"]["removed"] == 2
    # spans by hand: the centre loses one provincial committee (63 → 62); the new People's
    # Committee has 2 × (15 departments + 12 district committees) = 54 units under it
    assert (report["span"]["before"]["max"], report["span"]["after"]["max"]) == (63, 62)
    exceeding = {d["unit"]: d["children"] for d in report["span"]["after"]["exceeding"]}
    assert exceeding["p78-ub"] == 54 and exceeding["p78-tu"] == 2 * (6 + DISTRICTS)
    assert exceeding["p78"] == 2 * DISTRICTS + 1
