"""Thành phố Hồ Chí Minh + Tỉnh Bình Dương + Tỉnh Bà Rịa - Vũng Tàu -> Thành phố Hồ Chí Minh
(Nghị quyết 202/2025/QH15, in force 2025-07-01) on `tests/data/r_ho_chi_minh`, in one plan:
a three-way consolidation of a centrally-run city with two provinces, the wards arranged
from a table (`communes.csv`: numbered wards, `Phường 1` in two districts), the district
level dissolved (numbered `Quận 1`, `Quận 3`; the district-level cities Thủ Dầu Một and
Vũng Tàu) and the island district Côn Đảo, without communes, made `Đặc khu Côn Đảo`
(`become`). README there.

Every expected figure is derived by hand from the dataset's CSV files (the arithmetic is in
the comments); `tests/api/test_r_ho_chi_minh.py` drives the same plan through HTTP and the
CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from graph.scenarios import apply, new_state
from graph.scenarios.files import read_plan
from graph.scenarios.impact import impact
from tests.graph.scenarios.real_cases import DATA, case_fixtures, groups_of

PLAN = DATA / "r_ho_chi_minh_plans" / "reform.yaml"
AT = dt.date(2025, 7, 1)
SIDES = ("bd", "brvt", "hcm")  # the plan's order (the resolution's)

#: The bodies all three sides have: each triple forms `hcm25-<suffix>`, its id from Bình
#: Dương's (listed first). Their names: the city's where it carries the place (the area
#: the new one is named after); else Bình Dương's renamed, with the place as the city's
#: bodies write it, the whole name after the committee words (`Thành ủy Thành phố Hồ Chí
#: Minh`, not `Thành ủy Hồ Chí Minh`: the city's own Party boards list no place). The Youth
#: Union is the city's `Thành đoàn Thành phố Hồ Chí Minh` though the city's hangs under its
#: Front and joins the two provinces' pair (under their provinces) only after it formed.
NAMES = {
    "hcm25-tu": "Thành ủy Thành phố Hồ Chí Minh",
    "hcm25-btc": "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh",
    "hcm25-ubkt": "Ủy ban Kiểm tra Thành ủy Thành phố Hồ Chí Minh",
    "hcm25-hdnd": "Hội đồng nhân dân Thành phố Hồ Chí Minh",
    "hcm25-ubnd": "Ủy ban nhân dân Thành phố Hồ Chí Minh",
    "hcm25-snv": "Sở Nội vụ Thành phố Hồ Chí Minh",
    "hcm25-stc": "Sở Tài chính Thành phố Hồ Chí Minh",
    "hcm25-mttq": "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hồ Chí Minh",
    "hcm25-tdoan": "Thành đoàn Thành phố Hồ Chí Minh",
}
BOTH = tuple(k.split("-", 1)[1] for k in NAMES)
#: The ward table: each new ward from whole wards (Phường 1 and Phường 2 of Quận 3 and of
#: Thành phố Vũng Tàu told apart by `within`), its bodies paired and named for it, the
#: territorial word in lower case for a named ward (Quận 3's `UBND Phường 1` gives the
#: `UBND phường Bàn Cờ`).
WARDS = {
    "hcm25-p-sai-gon": ("Phường Sài Gòn", ["hcm-q1-bn", "hcm-q1-dk"]),
    "hcm25-p-ban-co": ("Phường Bàn Cờ", ["hcm-q3-p1", "hcm-q3-p2", "hcm-q3-p3"]),
    "hcm25-p-thu-dau-mot": ("Phường Thủ Dầu Một", ["bd-tdm-pc", "bd-tdm-cn", "bd-tdm-ht"]),
    "hcm25-p-vung-tau": ("Phường Vũng Tàu", ["brvt-vt-p1", "brvt-vt-p2", "brvt-vt-tt"]),
}
DISTRICTS = ("bd-tdm", "brvt-vt", "hcm-q1", "hcm-q3")
#: Côn Đảo's bodies, now the zone's, of the commune level: name, parent, formed from.
ZONE_BODIES = {
    "hcm25-dk-cd-tu": ("Đảng ủy đặc khu Côn Đảo", "hcm25-tu", ["brvt-cd-tu"]),
    "hcm25-dk-cd-hdnd": ("HĐND đặc khu Côn Đảo", "hcm25-dk-cd", ["brvt-cd-hdnd"]),
    "hcm25-dk-cd-ubnd": ("UBND đặc khu Côn Đảo", "hcm25-dk-cd", ["brvt-cd-ubnd"]),
    "hcm25-dk-cd-pnv": ("Phòng Nội vụ đặc khu Côn Đảo", "hcm25-dk-cd-ubnd", ["brvt-cd-pnv"]),
    "hcm25-dk-cd-mttq": ("Ủy ban MTTQ đặc khu Côn Đảo", "hcm25-dk-cd", ["brvt-cd-mttq"]),
}
#: headcount.csv: the city's bodies 328 (20+30+15+40+60+70+45+30+18; none on its UBKT),
#: Bình Dương's 143 (12+18+15+9+24+36+18+11; none on its Sở Tài chính), Bà Rịa - Vũng
#: Tàu's 164 (10+15+12+8+20+30+35+10+15+9); the districts 124 (Quận 1 12+10+8, Quận 3
#: 12+10 (none on its Phòng), Thủ Dầu Một 30, Vũng Tàu 30, Côn Đảo 10+2+8+6+3); the wards'
#: UBND 87 (Quận 1 7+5+5, Quận 3 6+6+6, Thủ Dầu Một 5+7+6, Vũng Tàu 6+6+5).
TOTAL = 328 + 143 + 164 + 124 + 87
FIGURES = {"hcm25-tu": 20 + 12 + 10 + 12 + 12 + 12 + 12,
           "hcm25-ubnd": 40 + 24 + 20 + 10 + 10 + 10 + 10,
           "hcm25-snv": 60 + 36 + 30 + 8 + 8 + 8,
           "hcm25-stc": 70 + 35, "hcm25-ubkt": 15 + 12,
           "hcm25-dk-cd-tu": 10, "hcm25-dk-cd-ubnd": 8,
           "hcm25-p-sai-gon-ubnd": 7 + 5, "hcm25-p-ban-co-ubnd": 18,
           "hcm25-p-thu-dau-mot-ubnd": 18, "hcm25-p-vung-tau-ubnd": 17}


baseline, reformed = case_fixtures("r_ho_chi_minh", PLAN, AT)


def test_one_body_of_each_kind_named_for_the_city(reformed):
    state, log = reformed
    assert [e.summary for e in log] == [
        "bd, brvt, hcm consolidated into the new unit hcm25 on 2025-07-01",
        "4 consolidations from a mapping table (communes.csv) on 2025-07-01",
        "4 districts dissolved on 2025-07-01 within hcm25; 12 of their bodies merged or "
        "moved up; 1 became unit of the commune level (brvt-cd -> hcm25-dk-cd), 5 bodies "
        "succeeded by theirs"]
    first = dict(log[0].bodies)
    assert first == {f"hcm25-{k}": tuple(f"{s}-{k}" for s in SIDES) for k in BOTH}
    assert {u: state.get_unit(u).name for u in first} == NAMES
    top = sorted(state.get_unit(u).kind for u in state.children("hcm25", AT)
                 if state.get_unit(u).kind not in ("commune",))
    assert top == ["front", "government", "mass_org", "party_committee", "people_council"]
    assert state.parent("hcm25-btc", AT) == state.parent("hcm25-ubkt", AT) == "hcm25-tu"
    assert state.parent("hcm25-snv", AT) == state.parent("hcm25-stc", AT) == "hcm25-ubnd"
    # two of the three Youth Unions hung under their provinces: the new one there, said so
    assert state.parent("hcm25-tdoan", AT) == "hcm25"
    assert any(w.startswith("hcm25-tdoan brings together bd-tdoan, brvt-tdoan, hcm-tdoan")
               for w in log[0].warnings)
    # the city's boards name no area: taken as the city's by their PART_OF chain
    assert any("hcm-btc (hcm), hcm-ubkt (hcm)" in w for w in log[0].warnings)
    # the bodies without a peer move to the city as they are, under the new UBND
    assert sorted(log[0].unpaired) == [("brvt-sdl", "brvt", "hcm25"),
                                       ("hcm-bqlkcx", "hcm", "hcm25")]
    for u, name in (("brvt-sdl", "Sở Du lịch tỉnh Bà Rịa - Vũng Tàu"),
                    ("hcm-bqlkcx", "Ban Quản lý các Khu chế xuất và công nghiệp Thành phố "
                                   "Hồ Chí Minh")):
        unit = state.get_unit(u)
        assert (unit.name, unit.area, state.parent(u, AT)) == (name, "hcm25", "hcm25-ubnd")


def test_the_district_level_ends_and_con_dao_becomes_a_special_zone(reformed):
    state, log = reformed
    for d in (*DISTRICTS, "brvt-cd"):
        assert not state.get_unit(d).valid_at(AT)
        assert not state.get_unit(f"{d}-tu").valid_at(AT)
    assert not state.units(AT, level="district")
    communes = sorted(u for u in state.children("hcm25", AT)
                      if state.get_unit(u).kind == "commune")
    assert communes == sorted([*WARDS, "hcm-q1-bt", "hcm25-dk-cd"])
    groups = groups_of(log)
    # each district's Party committee (Quận ủy Quận 1, the district-level cities' Thành ủy
    # Thủ Dầu Một and Thành ủy Vũng Tàu) into the city's Thành ủy, each UBND into the UBND,
    # each Phòng Nội vụ (Quận 3's named without its district) into the Sở Nội vụ
    assert groups["hcm25-tu"] == [f"{s}-tu" for s in SIDES] + [f"{d}-tu" for d in DISTRICTS]
    assert groups["hcm25-ubnd"] == [f"{s}-ubnd" for s in SIDES] + [
        f"{d}-ubnd" for d in DISTRICTS]
    assert groups["hcm25-snv"] == [f"{s}-snv" for s in SIDES] + [
        f"{d}-pnv" for d in DISTRICTS]
    zone = state.get_unit("hcm25-dk-cd")
    assert (zone.name, zone.kind, zone.level, zone.area, state.parent(zone.id, AT)) == (
        "Đặc khu Côn Đảo", "commune", "commune", "hcm25", "hcm25")
    for bid, (name, parent, inputs) in ZONE_BODIES.items():
        body = state.get_unit(bid)
        assert (body.name, body.level, body.area, state.parent(bid, AT)) == (
            name, "commune", "hcm25-dk-cd", parent), bid
        assert groups[bid] == inputs
    # every ward's (and the zone's) Party Committee now under the city's Thành ủy
    for c in communes:
        du = [u for u in state.children("hcm25-tu", AT) if state.get_unit(u).area == c]
        assert len(du) == 1 and state.get_unit(du[0]).kind == "party_committee", c


def test_the_ward_table_with_numbered_wards(reformed):
    state, log = reformed
    groups = dict(log[1].bodies)
    for new, (name, old) in WARDS.items():
        unit = state.get_unit(new)
        assert (unit.name, unit.kind, unit.area) == (name, "commune", "hcm25")
        place = name.removeprefix("Phường ")
        assert groups[f"{new}-du"] == tuple(f"{o}-du" for o in old)
        assert groups[f"{new}-ubnd"] == tuple(f"{o}-ubnd" for o in old)
        assert [state.get_unit(f"{new}-{b}").name for b in ("du", "ubnd")] == [
            f"Đảng ủy phường {place}", f"UBND phường {place}"]
        assert state.parent(f"{new}-du", AT) == "hcm25-tu"
    # Bến Thành, in no row, stays as it is, now under the city
    assert state.get_unit("hcm-q1-bt").valid_at(AT)
    assert state.parent("hcm-q1-bt", AT) == "hcm25"


def test_the_impact_worked_out_by_hand(baseline, reformed):
    state, _ = reformed
    rep = impact(new_state(baseline, AT), state)
    lead = rep.leadership
    # posts.csv: 33 leadership posts. Single-holder roles held by several in one body: the
    # Thành ủy 3 secretaries and 4 of the districts (6 removed), HĐND 3 chairs (2), UBND 3
    # and 3 of the districts (5), Front 3 (2), Sở Nội vụ 3 heads (2), Ban Tổ chức 3 (2); the
    # wards: Sài Gòn, Bàn Cờ and Vũng Tàu 2 UBND chairs each (3). 22 removed, 11 left: the
    # city's six, Côn Đảo's secretary and chair (the zone's bodies, one each) and three.
    assert (lead.before, lead.after_recorded, lead.removed, lead.after) == (33, 33, 22, 11)
    dup = {(d.unit, d.role): len(d.people) for d in lead.duplicated}
    assert dup == {("hcm25-tu", "secretary"): 7, ("hcm25-ubnd", "chair"): 6,
                   ("hcm25-hdnd", "chair"): 3, ("hcm25-mttq", "chair"): 3,
                   ("hcm25-snv", "head"): 3, ("hcm25-btc", "head"): 3,
                   ("hcm25-p-sai-gon-ubnd", "chair"): 2, ("hcm25-p-ban-co-ubnd", "chair"): 2,
                   ("hcm25-p-vung-tau-ubnd", "chair"): 2}
    hc = rep.headcount
    # savings: the 22 posts (all in bodies with a figure), and finance_accounting held by
    # the three Sở Tài chính: (3 - 1) x 2 staff x 0.5 = 2. 24 in all.
    assert (hc.before, hc.after_recorded, hc.saving_total, hc.after) == (
        TOTAL, TOTAL, 24, TOTAL - 24)
    assert all(s.applied for s in hc.savings)
    assert {u: state.headcount(u, AT).headcount for u in FIGURES} == FIGURES
    funcs = sorted((d.unit, d.function, d.operation, d.holders)
                   for d in rep.functions.duplicated)
    # each triple's functions held three times; the Sở Nội vụ and the Phòng Nội vụ of
    # Quận 1, Thủ Dầu Một and Vũng Tàu (Quận 3's holds none) as the districts end
    assert funcs == [("hcm25-btc", "personnel", 1, 3), ("hcm25-snv", "personnel", 1, 3),
                     ("hcm25-snv", "personnel", 3, 4),
                     ("hcm25-stc", "finance_accounting", 1, 3),
                     ("hcm25-ubkt", "inspection", 1, 3)]


@pytest.mark.parametrize("order", [("hcm", "bd", "brvt"), ("brvt", "hcm", "bd")])
def test_the_sides_listed_otherwise_give_the_same_names_and_figures(baseline, order):
    ops = list(read_plan(PLAN).operations)
    ops[0] = dataclasses.replace(ops[0], units=order)
    state, log = apply(new_state(baseline, AT), ops)
    rep = impact(new_state(baseline, AT), state)
    # the ids are the suffixes of the first side listed (the same on every side)
    assert {u: state.get_unit(u).name for u in NAMES} == NAMES
    # the city's Youth Union (under its Front) joins the provinces' pair last
    assert dict(log[0].bodies)["hcm25-tdoan"][-1] == "hcm-tdoan"
    assert (rep.leadership.removed, rep.headcount.saving_total) == (22, 24)
    assert state.get_unit("hcm25-dk-cd").name == "Đặc khu Côn Đảo"
