"""Tỉnh Hà Nam + Tỉnh Nam Định + Tỉnh Ninh Bình -> Tỉnh Ninh Bình (Nghị quyết 202/2025/QH15,
in force 2025-07-01) on `tests/data/r_ninh_binh`: three provinces, each listing its bodies in
its own way (Hà Nam's under the province unit, Nam Định's Party line under the Central
Committee with no `area`, its mass organisations hanging nowhere, Ninh Bình's Tỉnh ủy and
Front hanging nowhere). With three areas, a body of one of them may sit elsewhere than its
two peers: it must still join them, so that the new province has one body of each kind.

Every expected figure is derived by hand from the dataset's CSV files (comments)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.scenarios import apply, new_state
from graph.scenarios.impact import impact
from graph.scenarios.territory import pair
from graph.model import Unit
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
AT = dt.date(2025, 7, 1)
CONSOLIDATE = {"op": "consolidate", "units": ["ha-nam", "nd", "nb"],
               "basis": ["nq-202-2025-qh15"],
               "new": {"id": "nb25", "name": "Tỉnh Ninh Bình", "name_en": "Ninh Binh Province",
                       "kind": "province", "level": "province"}}
MERGE = {"op": "merge", "into": "nb", "units": ["ha-nam", "nd"], "basis": ["nq-202-2025-qh15"]}

#: units.csv: the bodies all three provinces have (Ninh Bình's Sở Văn hóa và Thể thao is
#: the peer of the two Sở Văn hóa, Thể thao và Du lịch).
ALL_THREE = ("tu", "btc", "ubkt", "btgdv", "vptu", "hdnd", "ubnd", "vpubnd", "snv", "stc",
             "syt", "sgddt", "ttra", "mttq", "hlhpn", "tdoan", "hnd", "hccb", "ldld")
#: ... and those of one province only: Hà Nam's university-area authority, Nam Định's
#: industrial-zones authority (both of kind `other`: not peers) and Ninh Bình's Sở Du lịch.
ALONE = ["ha-nam-bqlkdh", "nb-sdl", "nd-bqlkcn"]


def members(suffix: str) -> list[str]:
    nb = "nb-svhtt" if suffix == "svhttdl" else f"nb-{suffix}"
    return sorted([f"ha-nam-{suffix}", f"nd-{suffix}", nb])


@pytest.fixture(scope="module")
def ninh_binh():
    return MemoryGraph(read_dataset(DATA / "r_ninh_binh"))


@pytest.fixture(scope="module")
def consolidated(ninh_binh):
    return apply(new_state(ninh_binh, AT), [CONSOLIDATE])


@pytest.fixture(scope="module")
def merged(ninh_binh):
    return apply(new_state(ninh_binh, AT), [MERGE])


def groups_of(log):
    return {u: sorted(ins) for u, ins in log[0].bodies}


def test_three_provinces_give_one_body_of_each_kind(consolidated):
    state, log = consolidated
    assert groups_of(log) == {f"nb25-{k}": members(k) for k in ALL_THREE + ("svhttdl",)}
    assert sorted(u for u, _, _ in log[0].unpaired) == ALONE
    # the new province's bodies on the date: one Tỉnh ủy, one of each board, one Front...
    bodies = state.units(AT, area="nb25", level="province")
    by_kind: dict[str, list[str]] = {}
    for u in bodies:
        by_kind.setdefault(u.kind, []).append(u.id)
    assert by_kind["party_committee"] == ["nb25-tu"]
    assert sorted(by_kind["party_board"]) == ["nb25-btc", "nb25-btgdv"]
    assert by_kind["inspection_committee"] == ["nb25-ubkt"]
    assert by_kind["party_office"] == ["nb25-vptu"]
    assert len(by_kind["mass_org"]) == 5 and len(by_kind["front"]) == 1


def test_a_body_that_hangs_elsewhere_joins_its_two_peers(consolidated):
    state, log = consolidated
    day = AT
    # Nam Định's Tỉnh ủy hangs under the Central Committee, Hà Nam's under its province,
    # Ninh Bình's nowhere: one Tỉnh ủy, placed as the first two form it (under the new
    # province), by one CONSOLIDATE of the three
    assert state.parent("nb25-tu", day) == "nb25"
    ev = [e for e in state.scenario_events() if e.outputs == ("nb25-tu",)]
    assert len(ev) == 1 and ev[0].type == "CONSOLIDATE"
    assert sorted(ev[0].inputs) == ["ha-nam-tu", "nb-tu", "nd-tu"]
    # ... its boards (no `area`, under nd-tu) join the other two's under the new Tỉnh ủy
    for b in ("btc", "ubkt", "btgdv", "vptu"):
        assert state.parent(f"nb25-{b}", day) == "nb25-tu"
        assert state.get_unit(f"nd-{b}").valid_to is not None
    # Nam Định's mass organisations hang nowhere; the others' under their Front: one
    # of each under the new Front
    for m in ("hlhpn", "tdoan", "hnd", "hccb", "ldld"):
        assert state.parent(f"nb25-{m}", day) == "nb25-mttq"
    # the district Party committees of the three follow to the new Tỉnh ủy
    for d in ("ha-nam-phu-ly-tu", "ha-nam-duy-tien-tu", "nd-tpnd-tu", "nd-hh-hu",
              "nb-hoa-lu-tu", "nb-kim-son-hu"):
        assert state.parent(d, day) == "nb25-tu", d
    # the unpaired keep their place and move to the new area
    assert state.parent("nb-sdl", day) == "nb25-ubnd"
    assert state.parent("nd-bqlkcn", day) == "nb25-ubnd"
    assert state.get_unit("nb-sdl").area == "nb25"


def test_the_impact_worked_out_by_hand(ninh_binh, consolidated):
    state, _ = consolidated
    rep = impact(new_state(ninh_binh, AT), state)
    lead = rep.leadership
    # posts.csv: 53 leadership posts. Single-holder roles held by more than one person in
    # a new body: Tỉnh ủy 3 secretaries and 3 standing deputies (4 removed); 3 chairs of
    # each of HĐND, UBND, Front (6); 3 heads of each of BTC, UBKT, Ban TG-DV, Văn phòng
    # Tỉnh ủy, Sở Nội vụ (10); 2 heads of Sở Tài chính, 2 chairs of Hội LHPN, 2 Bí thư
    # of the Youth Unions (3): 23 removed
    assert (lead.before, lead.removed, lead.after) == (53, 23, 30)
    hc = rep.headcount
    # headcount.csv: 490 (Hà Nam) + 634 (Nam Định: the approved 50 of Sở Nội vụ, not the
    # actual 47) + 558 (Ninh Bình) = 1682. Savings (2 staff x 0.5): office_admin 3x in
    # the Party Offices (2) and UBND Offices (2), finance_accounting 3x in the Party
    # Offices (2) and Departments of Finance (2), transport 2x in the UBND Offices (1) =
    # 9; posts: 23 - 8 in bodies with no figure (Tỉnh ủy 4, HĐND 2, UBND 2) = 15
    assert (hc.before, hc.after_recorded, hc.saving_total, hc.after) == (1682, 1682, 24, 1658)
    dup = {(d.unit, d.function): d.holders for d in rep.functions.duplicated}
    assert dup[("nb25-btc", "personnel")] == 3
    assert dup[("nb25-vptu", "office_admin")] == 3
    assert dup[("nb25-vpubnd", "transport")] == 2
    assert len(dup) == len(rep.functions.duplicated)  # one entry per body and function


def test_merging_into_ninh_binh_gives_the_same_figures(ninh_binh, merged):
    state, log = merged
    groups = groups_of(log)
    # Ninh Bình's bodies are the anchors; its Sở Văn hóa và Thể thao takes the other two
    assert groups["nb-tu"] == ["ha-nam-tu", "nd-tu"]
    assert groups["nb-btc"] == ["ha-nam-btc", "nd-btc"]
    assert groups["nb-hlhpn"] == ["ha-nam-hlhpn", "nd-hlhpn"]
    assert groups["nb-svhtt"] == ["ha-nam-svhttdl", "nd-svhttdl"]
    assert sorted(u for u, _, _ in log[0].unpaired) == ["ha-nam-bqlkdh", "nd-bqlkcn"]
    ev = [e for e in state.scenario_events() if e.outputs == ("nb-tu",)]
    assert len(ev) == 1 and ev[0].type == "MERGE" and sorted(ev[0].inputs) == [
        "ha-nam-tu", "nd-tu"]
    rep = impact(new_state(ninh_binh, AT), state)
    assert (rep.leadership.before, rep.leadership.removed, rep.leadership.after) == (53, 23, 30)
    hc = rep.headcount
    assert (hc.before, hc.saving_total, hc.after) == (1682, 24, 1658)


def _unit(uid: str, name: str, kind: str = "other") -> Unit:
    return Unit(id=uid, name=name, kind=kind, level="province")


def test_the_only_bodies_of_kind_other_are_not_peers_by_kind_alone():
    # `other` says what a body is not: two authorities of two fields stay apart
    a = _unit("a", "Ban Quản lý Khu Đại học Nam Cao")
    b = _unit("b", "Ban Quản lý các khu công nghiệp tỉnh Nam Định")
    keys = {"a": ("ban", "quan", "ly", "khu", "dai", "hoc", "nam", "cao"),
            "b": ("ban", "quan", "ly", "cac", "khu", "cong", "nghiep")}
    assert [[u.id for u in g] for g in pair([[a], [b]], keys)] == [["a"], ["b"]]
    # a real kind still pairs its only bodies (two Offices of different wording)
    c, d = _unit("c", "Văn phòng", "party_office"), _unit("d", "Văn phòng Tỉnh ủy",
                                                          "party_office")
    assert [[u.id for u in g] for g in pair([[c], [d]], {"c": ("van", "phong"),
                                                         "d": ("van", "phong", "tinh")})] \
        == [["c", "d"]]


@pytest.mark.parametrize("units", [["ha-nam", "nd"], ["nd", "nb"]])
def test_two_party_committees_named_by_their_place_alone_are_peers(ninh_binh, units):
    # `Tỉnh ủy Hà Nam` (under its province) and `Tỉnh ủy Nam Định` (under the Central
    # Committee): no name key (territorial words and the place only), each at the top of
    # its area, of one kind and level: one Tỉnh ủy, the boards paired under it
    op = dict(CONSOLIDATE, units=units)
    state, log = apply(new_state(ninh_binh, AT), [op])
    groups = groups_of(log)
    assert groups["nb25-tu"] == sorted(f"{a}-tu" for a in units)
    assert not [u for u, _, _ in log[0].unpaired if u.endswith("-tu")]
    # the other hangs at its area's top (under the area, or nowhere): the new one hangs
    # from the one parent of the two that is not its area's top, the Central Committee
    assert state.parent("nb25-tu", AT) == "bchtw"
    for b in ("btc", "ubkt", "btgdv", "vptu"):
        assert state.parent(f"nb25-{b}", AT) == "nb25-tu"
    assert not [w for w in log[0].warnings if "hung under" in w]
    assert [u.id for u in state.units(AT, area="nb25", kind="party_committee",
                                      level="province")] == ["nb25-tu"]


@pytest.mark.parametrize("into, others", [("nb", ["ha-nam", "nd"]), ("nd", ["ha-nam", "nb"]),
                                          ("ha-nam", ["nd", "nb"])])
def test_merged_into_any_of_the_three_its_own_bodies_take_the_others_in(ninh_binh, into,
                                                                        others):
    # Merged into Nam Định, whose Tỉnh ủy hangs under the Central Committee and whose mass
    # organisations hang nowhere, the other two's Tỉnh ủy and mass organisations (peers
    # of each other where they hang) are taken in by Nam Định's own, not formed into a
    # second Tỉnh ủy (`nd-tu-2`) or a second Women's Union beside them
    state, log = apply(new_state(ninh_binh, AT), [
        {"op": "merge", "into": into, "units": others}])
    groups = groups_of(log)
    assert len(groups) == 20 and all(u.startswith(f"{into}-") and not u.endswith("-2")
                                     for u in groups), sorted(groups)
    assert all(len(ins) == 2 for ins in groups.values())
    # (Nam Định's Party line gives no `area`: counted among every province-level unit)
    assert [u.id for u in state.units(AT, kind="party_committee", level="province")] == [
        f"{into}-tu"]
    assert len(state.units(AT, kind="mass_org", level="province")) == 5
    if into == "nd":
        assert "nd-tu takes in ha-nam-tu, nb-tu (peers under nd): it stays where it hangs, " \
            "under bchtw" in log[0].warnings
        assert state.parent("nd-btc", AT) == "nd-tu" and state.parent("nd-hlhpn", AT) is None
    rep = impact(new_state(ninh_binh, AT), state)
    assert (rep.leadership.before, rep.leadership.removed, rep.leadership.after) == (53, 23, 30)
    assert (rep.headcount.before, rep.headcount.saving_total, rep.headcount.after) == (
        1682, 24, 1658)
