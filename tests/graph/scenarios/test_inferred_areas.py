"""A consolidation takes bodies by `graph.areas.infer_areas`: a body that names no
`area` is its area's by its PART_OF chain, and, when its `level` is not that area's (a
commune's Party Committee hangs under the district's, on the Party's own line), by the
place its name carries, if one area of its level under the chain's area alone has it."""

from __future__ import annotations

from graph.embedded.memory import MemoryGraph
from graph.model import Dataset, Relation, Unit
from graph.scenarios import apply, new_state

AT = "2025-07-01"


def _dataset() -> Dataset:
    units, rels = [], []

    def unit(uid, name, kind, level, parent=None, area=""):
        units.append(Unit(id=uid, name=name, kind=kind, level=level, area=area))
        if parent:
            rels.append(Relation(source_id=uid, type="PART_OF", target_id=parent))

    unit("p", "Tỉnh An Hà", "province", "province")
    unit("d", "Huyện Yên Sơn", "district", "district", "p")
    unit("d-hu", "Huyện ủy Yên Sơn", "party_committee", "district", "d")
    unit("c1", "Xã Tân Lập", "commune", "commune", "d")
    unit("c2", "Xã Tân Lập Đông", "commune", "commune", "d")
    unit("c3", "Xã Hòa Bình", "commune", "commune", "d")
    # the communes' Party Committees under the district's, naming no area
    unit("c1-du", "Đảng ủy xã Tân Lập", "party_committee", "commune", "d-hu")
    unit("c2-du", "Đảng ủy xã Tân Lập Đông", "party_committee", "commune", "d-hu")
    unit("c3-du", "Đảng ủy xã Hòa Bình", "party_committee", "commune", "d-hu")
    unit("x-du", "Đảng ủy cơ quan", "party_committee", "commune", "d-hu")  # no place
    # the People's Committees under their communes, naming no area
    for c in ("c1", "c2", "c3"):
        unit(f"{c}-ub", f"UBND {c}", "government", "commune", c)
    return Dataset(units=tuple(units), relations=tuple(rels))


def _applied_with(unit: Unit, parent: str):
    """The consolidation applied to the dataset with `unit` added under `parent`."""
    data = _dataset()
    data = Dataset(units=data.units + (unit,),
                   relations=data.relations + (Relation(source_id=unit.id, type="PART_OF",
                                                        target_id=parent),))
    return apply(new_state(MemoryGraph(data), AT), [CONSOLIDATE])


CONSOLIDATE = {"op": "consolidate", "units": ["c1", "c2"],
               "new": {"id": "n", "name": "Xã Tân Lập", "kind": "commune",
                       "level": "commune"}}


def test_a_commune_s_bodies_are_found_by_chain_and_by_the_place_their_name_carries():
    base = MemoryGraph(_dataset())
    state, (entry,) = apply(new_state(base, AT), [CONSOLIDATE])
    groups = {u: sorted(ins) for u, ins in entry.bodies}
    # `Đảng ủy xã Tân Lập Đông` carries both places: the longer one is its commune's
    assert groups == {"n-du": ["c1-du", "c2-du"], "n-ub": ["c1-ub", "c2-ub"]}
    # the new Party Committee hangs where the inputs did, under the district's; the bodies
    # of another commune and the one whose name has no place are not touched
    assert state.parent("n-du", state.effective_at) == "d-hu"
    for uid in ("c3-du", "x-du", "c3-ub"):
        assert state.get_unit(uid) == base.get_unit(uid)
    (warning,) = entry.warnings
    assert warning.startswith("4 bodies name no area")
    assert "c1-du (c1)" in warning and "c2-du (c2)" in warning


def test_a_place_two_areas_of_the_level_carry_alike_infers_nothing():
    # a second `Xã Tân Lập Đông` in the same district: its name no longer tells which
    twin = Unit(id="c4", name="Xã Tân Lập Đông", kind="commune", level="commune")
    state, (entry,) = _applied_with(twin, "d")
    assert {u: sorted(ins) for u, ins in entry.bodies} == {"n-ub": ["c1-ub", "c2-ub"]}
    # Tân Lập's committee is still found (one area carries its place): without a peer, it
    # moves to the new commune as it is; the other is left where it hangs, as it was
    assert [u for u, _, _ in entry.unpaired] == ["c1-du"]
    assert state.get_unit("c1-du").area == "n"
    assert state.get_unit("c2-du").area == ""
    assert state.parent("c2-du", state.effective_at) == "d-hu"


def test_a_unit_of_another_level_under_the_area_is_not_its_body():
    # a district's board (level district) under a commune's body would be the commune's by
    # its chain: its level says otherwise
    odd = Unit(id="b", name="Ban chỉ đạo huyện", kind="subcommittee", level="district")
    state, (entry,) = _applied_with(odd, "c1-ub")
    assert "b" not in {i for _, ins in entry.bodies for i in ins}
    assert state.get_unit("b").area == ""
    assert state.parent("b", state.effective_at) == "n-ub"  # it follows its parent
