"""Tỉnh Hải Dương + Thành phố Hải Phòng -> Thành phố Hải Phòng (Nghị quyết 202/2025/QH15, in
force 2025-07-01) on `tests/data/r_hai_phong`, in one plan as the 2025 reform did it: the
two areas consolidated, wards and communes consolidated about 3 into 1 from a mapping table
naming them (`communes.csv`), the district level dissolved. One side is a centrally-run
city (`Thành ủy`, `Thành đoàn`, `HĐND thành phố`), its Party boards listed under the Thành
ủy without `area`; the other a province in short forms (README there).

Every expected figure is derived by hand from the dataset's CSV files (the arithmetic is in
the comments); `tests/api/test_r_hai_phong.py` drives the same plan through HTTP and the CLI.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph.scenarios import apply, new_state
from graph.scenarios.files import read_plan
from graph.scenarios.impact import impact
from tests.graph.scenarios.real_cases import DATA, case_fixtures, groups_of

PLAN = DATA / "r_hai_phong_plans" / "reform.yaml"
AT = dt.date(2025, 7, 1)

#: The bodies both sides have (units.csv): each pair forms `hp25-<suffix>`, its id from
#: Hải Dương's (the resolution, and the plan, list Hải Dương first).
BOTH = ("tu", "btc", "ubkt", "btgdv", "vptu", "hdnd", "ubnd", "vpubnd", "snv", "stc", "syt",
        "sgddt", "sxd", "ttra", "mttq", "tdoan", "hlhpn", "hnd", "hccb", "ldld")
#: Their names: Hải Phòng's where it carries the place (the area the new one is named
#: after); else Hải Dương's with Hải Phòng for Hải Dương, `thành phố` for `tỉnh` and the
#: city's committee words (`Tỉnh ủy` -> `Thành ủy`); where neither carries its place (the
#: Party Offices), Hải Phòng's as it is: a city's office is the `Văn phòng Thành ủy`. A
#: head the chosen name abbreviates is written out as the other side writes it: Hải
#: Dương's `UBKT Tỉnh ủy Hải Dương` with Hải Phòng's `Ủy ban Kiểm tra Thành ủy`, Hải
#: Phòng's `Ủy ban MTTQ Việt Nam` with Hải Dương's `Ủy ban Mặt trận Tổ quốc Việt Nam`.
NAMES = {
    "hp25-tu": "Thành ủy Hải Phòng",
    "hp25-btc": "Ban Tổ chức Thành ủy Hải Phòng",
    "hp25-ubkt": "Ủy ban Kiểm tra Thành ủy Hải Phòng",
    "hp25-btgdv": "Ban Tuyên giáo và Dân vận Thành ủy Hải Phòng",
    "hp25-vptu": "Văn phòng Thành ủy",
    "hp25-hdnd": "Hội đồng nhân dân thành phố Hải Phòng",
    "hp25-ubnd": "Ủy ban nhân dân thành phố Hải Phòng",
    "hp25-vpubnd": "Văn phòng Ủy ban nhân dân thành phố Hải Phòng",
    "hp25-snv": "Sở Nội vụ thành phố Hải Phòng",
    "hp25-stc": "Sở Tài chính thành phố Hải Phòng",
    "hp25-syt": "Sở Y tế thành phố Hải Phòng",
    "hp25-sgddt": "Sở Giáo dục và Đào tạo thành phố Hải Phòng",
    "hp25-sxd": "Sở Xây dựng thành phố Hải Phòng",
    "hp25-ttra": "Thanh tra thành phố Hải Phòng",
    "hp25-mttq": "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hải Phòng",
    "hp25-tdoan": "Thành đoàn Hải Phòng",
    "hp25-hlhpn": "Hội Liên hiệp Phụ nữ thành phố Hải Phòng",
    "hp25-hnd": "Hội Nông dân thành phố Hải Phòng",
    "hp25-hccb": "Hội Cựu chiến binh thành phố Hải Phòng",
    "hp25-ldld": "Liên đoàn Lao động thành phố Hải Phòng",
}
#: The commune table: each new ward or commune from three, its bodies paired.
COMMUNES = {
    "hp25-p-hong-bang": ("Phường Hồng Bàng", ["hp-hb-hvt", "hp-hb-mk", "hp-hb-pbc"]),
    "hp25-p-hai-duong": ("Phường Hải Dương", ["hd-tphd-thd", "hd-tphd-nt", "hd-tphd-pnl"]),
    "hp25-x-phu-thai": ("Xã Phú Thái", ["hd-kt-pt", "hd-kt-kx", "hd-kt-pth"]),
}
#: ... and their bodies' names: from the first input whose name carries its place, renamed
#: for the new unit (`Đảng ủy thị trấn Phú Thái` -> `Đảng ủy xã Phú Thái`).
COMMUNE_BODIES = {
    "hp25-p-hong-bang": ("Đảng ủy phường Hồng Bàng", "UBND phường Hồng Bàng",
                         "Ủy ban MTTQ phường Hồng Bàng"),
    "hp25-p-hai-duong": ("Đảng ủy phường Hải Dương", "UBND phường Hải Dương",
                         "Ủy ban MTTQ phường Hải Dương"),
    "hp25-x-phu-thai": ("Đảng ủy xã Phú Thái", "UBND xã Phú Thái", "Ủy ban MTTQ xã Phú Thái"),
}
DISTRICTS = ("hd-kt", "hd-tphd", "hp-hb", "hp-tl")
#: The communes the table leaves as they are: now directly under the city.
KEPT = ("hd-tphd-ltn", "hp-hb-sd", "hp-tl-tt")
#: headcount.csv: Hải Phòng's city bodies 781, Hải Dương's provincial 571, the four
#: districts' bodies 100 (12+10+8, 10+9, 11+10+7, 9+8+6), the communes' UBND 73.
TOTAL = 781 + 571 + 100 + 73


baseline, reformed = case_fixtures("r_hai_phong", PLAN, AT)


def test_one_body_of_each_kind_named_for_the_city(reformed):
    state, log = reformed
    assert [e.summary for e in log] == [
        "hd, hp consolidated into the new unit hp25 on 2025-07-01",
        "3 consolidations from a mapping table (communes.csv) on 2025-07-01",
        "4 districts dissolved on 2025-07-01 within hp25; 12 of their bodies merged or moved up"]
    first = dict(log[0].bodies)
    assert first == {f"hp25-{k}": (f"hd-{k}", f"hp-{k}") for k in BOTH}
    assert {u: state.get_unit(u).name for u in first} == NAMES
    assert state.get_unit("hp25-vptu").name_en == "Office of the City Party Committee"
    # one of each kind on top; the boards under the new Thành ủy, the Sở under the new
    # UBND, the mass organisations (Hải Dương's under its province, Hải Phòng's under its
    # Front) under the new Front
    top = sorted(state.get_unit(u).kind for u in state.children("hp25", AT)
                 if state.get_unit(u).kind != "commune")
    assert top == ["front", "government", "party_committee", "people_council"]
    parents = {u: state.parent(u, AT) for u in NAMES}
    for k in ("btc", "ubkt", "btgdv", "vptu"):
        assert parents[f"hp25-{k}"] == "hp25-tu"
    for k in ("vpubnd", "snv", "stc", "syt", "sgddt", "sxd", "ttra"):
        assert parents[f"hp25-{k}"] == "hp25-ubnd"
    for k in ("tdoan", "hlhpn", "hnd", "hccb", "ldld"):
        assert parents[f"hp25-{k}"] == "hp25-mttq"
    # the bodies without a peer move to the city as they are, under the new UBND
    assert sorted(log[0].unpaired) == [("hd-sngv", "hd", "hp25"), ("hp-bqlkkt", "hp", "hp25")]
    for u, name in (("hd-sngv", "Sở Ngoại vụ tỉnh Hải Dương"),
                    ("hp-bqlkkt", "Ban Quản lý Khu kinh tế Hải Phòng")):
        unit = state.get_unit(u)
        assert (unit.name, unit.area, state.parent(u, AT)) == (name, "hp25", "hp25-ubnd")


def test_the_district_level_ends_and_the_communes_hang_under_the_city(reformed):
    state, log = reformed
    for d in DISTRICTS:
        assert not state.get_unit(d).valid_at(AT)
        for body in ("tu", "ubnd"):
            assert not state.get_unit(f"{d}-{body}").valid_at(AT)
    assert not state.units(AT, level="district")
    communes = sorted(u for u in state.children("hp25", AT)
                      if state.get_unit(u).kind == "commune")
    assert communes == sorted([*COMMUNES, *KEPT])
    for c in communes:
        assert state.get_unit(c).area == "hp25"
    # each district body merged into its peer: the Party committees (the district-level
    # city's `Thành ủy Hải Dương` too) into the Thành ủy, the UBND into the UBND, the
    # Phòng Nội vụ into the Sở Nội vụ, Kim Thành's Phòng Tài chính - Kế hoạch into the Sở
    # Tài chính
    groups = groups_of(log)
    assert groups["hp25-tu"] == ["hd-tu", "hp-tu"] + [f"{d}-tu" for d in DISTRICTS]
    assert groups["hp25-ubnd"] == ["hd-ubnd", "hp-ubnd"] + [f"{d}-ubnd" for d in DISTRICTS]
    assert groups["hp25-snv"] == ["hd-snv", "hp-snv", "hd-tphd-pnv", "hp-hb-pnv", "hp-tl-pnv"]
    assert groups["hp25-stc"] == ["hd-stc", "hp-stc", "hd-kt-ptckh"]
    # the communes' Party Committees, kept or new, now under the city's Thành ủy
    for c in communes:
        du = [u for u in state.children("hp25-tu", AT) if state.get_unit(u).area == c]
        assert len(du) == 1 and state.get_unit(du[0]).kind == "party_committee", c


def test_three_communes_give_one_with_one_body_of_each_kind(reformed):
    state, log = reformed
    groups = dict(log[1].bodies)
    for new, (name, old) in COMMUNES.items():
        unit = state.get_unit(new)
        assert (unit.name, unit.kind, unit.area) == (name, "commune", "hp25")
        for old_unit in old:
            assert state.get_unit(old_unit).valid_to is not None
        du, ubnd, mttq = COMMUNE_BODIES[new]
        assert groups[f"{new}-du"] == tuple(f"{o}-du" for o in old)
        assert groups[f"{new}-ubnd"] == tuple(f"{o}-ubnd" for o in old)
        assert groups[f"{new}-mttq"] == tuple(f"{o}-mttq" for o in old)
        assert [state.get_unit(f"{new}-{b}").name for b in ("du", "ubnd", "mttq")] == [
            du, ubnd, mttq]
        assert state.parent(f"{new}-du", AT) == "hp25-tu"
        assert state.parent(f"{new}-ubnd", AT) == new
        assert state.parent(f"{new}-mttq", AT) == new
    # Kim Thành's communes' Party Committees name no area: taken as their communes' by
    # their names (`Đảng ủy xã Kim Xuyên` under the Huyện ủy is Xã Kim Xuyên's)
    assert any("hd-kt-kx-du (hd-kt-kx)" in w for e in log for w in e.warnings)


def test_the_impact_worked_out_by_hand(baseline, reformed):
    state, _ = reformed
    rep = impact(new_state(baseline, AT), state)
    lead = rep.leadership
    # posts.csv: 57 leadership posts. Single-holder roles held by several in one body:
    # the city level: Thành ủy 2 secretaries and 2 standing deputies (2 removed), 2
    # chairs of each of HĐND, UBND, Front (3), 2 heads of each of BTC, UBKT, Văn phòng
    # Thành ủy, Sở Nội vụ (4), 2 Bí thư of the Youth Unions (1): 10. The districts: 4
    # secretaries more in the Thành ủy, 3 UBND chairs in the UBND, Hồng Bàng's head of
    # Phòng Nội vụ in the Sở Nội vụ: 8. The communes: Hồng Bàng 3 secretaries (2), 2 UBND
    # chairs (1), 2 Front chairs (1); Hải Dương 2 secretaries (1), 3 UBND chairs (2); Phú
    # Thái 2 secretaries (1): 8. 26 removed, 31 left.
    assert (lead.before, lead.after_recorded, lead.removed, lead.after) == (57, 57, 26, 31)
    dup = {(d.unit, d.role): len(d.people) for d in lead.duplicated}
    assert dup[("hp25-tu", "secretary")] == 6 and dup[("hp25-ubnd", "chair")] == 5
    assert dup[("hp25-snv", "head")] == 3 and dup[("hp25-p-hong-bang-du", "secretary")] == 3
    hc = rep.headcount
    # savings: the posts in bodies with a figure, 26 less those in the communes' Party
    # Committees and Fronts (no figure: 2 + 1 + 1 + 1 = 5): 21; the support functions,
    # (k - 1) x 2 staff x 0.5: office_admin in the Party Offices (1) and the UBND Offices
    # (1), finance_accounting in the Party Offices (1) and in the Sở Tài chính, held by
    # both Sở and Kim Thành's Phòng TC-KH ((3 - 1) x 1 = 2): 5. 26 in all.
    assert (hc.before, hc.after_recorded, hc.saving_total, hc.after) == (
        TOTAL, TOTAL, 26, TOTAL - 26)
    not_applied = sorted((s.unit, s.amount) for s in hc.savings if not s.applied)
    assert not_applied == [("hp25-p-hai-duong-du", 1), ("hp25-p-hong-bang-du", 2),
                           ("hp25-p-hong-bang-mttq", 1), ("hp25-x-phu-thai-du", 1)]
    # the merged bodies' figures: the sums of those known (headcount.csv)
    figures = {u: state.headcount(u, AT).headcount for u in (
        "hp25-tu", "hp25-ubnd", "hp25-snv", "hp25-stc", "hp25-btgdv", "hp25-sxd",
        "hp25-vptu", "hp25-p-hong-bang-ubnd", "hp25-p-hai-duong-ubnd",
        "hp25-x-phu-thai-ubnd")}
    assert figures == {"hp25-tu": 16 + 20 + 12 + 10 + 11 + 9,
                       "hp25-ubnd": 32 + 40 + 10 + 9 + 10 + 8,
                       "hp25-snv": 45 + 60 + 8 + 7,  # Tiên Lãng's Phòng has no figure
                       "hp25-stc": 52 + 70 + 6,
                       "hp25-btgdv": 26,  # Hải Phòng's board has no figure
                       "hp25-sxd": 50,  # nor Hải Dương's Sở Xây dựng
                       "hp25-vptu": 55 + 70,
                       "hp25-p-hong-bang-ubnd": 6 + 7 + 5,
                       "hp25-p-hai-duong-ubnd": 7 + 6 + 5,
                       "hp25-x-phu-thai-ubnd": 7 + 5 + 5}
    # the duplicated functions, one entry per body and function in each operation: the
    # two Sở Nội vụ (operation 1), then the Sở and the three districts' Phòng Nội vụ merged
    # into it (operation 3), not one entry of 2 per district
    funcs = [(d.unit, d.function, d.operation, d.holders) for d in rep.functions.duplicated]
    assert len(funcs) == len({f[:3] for f in funcs})
    held = {f[:3]: f[3] for f in funcs}
    assert (held[("hp25-snv", "personnel", 1)], held[("hp25-snv", "personnel", 3)]) == (2, 4)
    assert (held[("hp25-stc", "finance_accounting", 1)],
            held[("hp25-stc", "finance_accounting", 3)]) == (2, 2)
    # 11 at the city level (functions.csv: each pair's functions held twice), 2 as the
    # districts end, none in the communes (their bodies hold none)
    assert [sum(1 for f in funcs if f[2] == n) for n in (1, 2, 3)] == [11, 0, 2]


@pytest.mark.parametrize("order", ["hp-first", "dissolve-first", "merge", "districts-end"])
def test_the_same_reform_written_otherwise_gives_the_same_figures(baseline, order):
    ops = list(read_plan(PLAN).operations)
    if order == "hp-first":  # the namesake listed first: the same names and figures
        ops[0] = {"op": "consolidate", "units": ["hp", "hd"],
                  "new": {"id": "hp25", "name": "Thành phố Hải Phòng"}}
    elif order == "dissolve-first":  # the annex's districts named after they ended
        ops = [ops[0], ops[2], ops[1]]
    elif order == "districts-end":
        ops[2] = {"op": "dissolve_level", "level": "district", "within": "hp25"}
    else:  # merged into Hải Phòng, which keeps its id and its bodies
        ops = [{"op": "merge", "into": "hp", "units": ["hd"]},
               {"op": "dissolve_level", "level": "district", "within": "hp",
                "bodies": "merge"}]
    state, log = apply(new_state(baseline, AT), ops)
    rep = impact(new_state(baseline, AT), state)
    if order == "districts-end":
        # the districts' bodies end: their 100 people and 8 posts go; the savings are the
        # city level's 10 posts and the communes' 3 (in bodies with a figure), and the
        # support functions of operation 1 (4): 17; 18 duplicated posts removed
        lead, hc = rep.leadership, rep.headcount
        assert (hc.after_recorded, hc.saving_total, hc.after) == (TOTAL - 100, 17,
                                                                  TOTAL - 100 - 17)
        assert (lead.after_recorded, lead.removed, lead.after) == (57 - 8, 18, 31)
        assert state.parent("hp-hb-sd-du", AT) == "hp25-tu"
        return
    if order != "merge":
        assert {u: state.get_unit(u).name for u in NAMES} == NAMES
        assert rep.headcount.saving_total == 26 and rep.leadership.removed == 26
    else:
        # no communes consolidated: the city-level 10 and the districts' 8 posts; the
        # support functions as above (5)
        assert state.get_unit("hp-vptu").name == "Văn phòng Thành ủy"
        assert groups_of(log)["hp-tu"] == ["hd-tu"] + [f"{d}-tu" for d in DISTRICTS]
        assert (rep.leadership.removed, rep.headcount.saving_total) == (18, 23)
    assert (rep.headcount.before, rep.headcount.after_recorded) == (TOTAL, TOTAL)
