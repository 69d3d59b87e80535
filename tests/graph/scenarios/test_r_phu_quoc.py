"""Tỉnh An Giang + Tỉnh Kiên Giang -> Tỉnh An Giang (Nghị quyết 202/2025/QH15, in force
2025-07-01) and the three special zones of Nghị quyết 1654/NQ-UBTVQH15 (16/6/2025), in one
plan on `tests/data/r_phu_quoc` (README there): the provinces consolidated with their
bodies; the district level dissolved, Huyện An Phú into the province; **Thành phố Phú
Quốc**, a district-level city of wards and communes, becoming Đặc khu Phú Quốc **less xã
Thổ Châu**, which becomes Đặc khu Thổ Châu on its own (`become` with `units`: the one
entry that takes some of the areas under a district, not the district); Huyện Kiên Hải
becoming Đặc khu Kiên Hải whole.

Checked against the resolutions as we know them: the 2 wards and 6 communes Đặc khu Phú Quốc
is formed from (Dương Đông, An Thới, Dương Tơ, Hàm Ninh, Cửa Dương, Bãi Thơm, Gành Dầu, Cửa
Cạn: the dataset lists Dương Đông, An Thới and Hàm Ninh), xã Thổ Châu alone for Đặc khu Thổ
Châu, the whole of huyện Kiên Hải for Đặc khu Kiên Hải. Not verified: whether the text of
1654/NQ-UBTVQH15 lists Phú Quốc's eight units or says the city less xã Thổ Châu (the same
territory), and the names the zones' bodies were given (the engine's: `Đảng ủy đặc khu Phú
Quốc`, as `tests/data/r_dac_khu` for Cát Hải). Hòn Thơm is no commune of the city in 2025
(merged into phường An Thới in 2020, as far as we know), so the dataset has none.

Every expected figure is derived by hand from the dataset's CSV files (the arithmetic is in
the comments); `tests/api/test_r_phu_quoc.py` drives the same plan through HTTP and the CLI.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

import pytest
import yaml

from graph.embedded.memory import MemoryGraph
from graph.errors import Conflict, InvalidParameter
from graph.model import Relation, Unit
from graph.scenarios import apply, new_state
from graph.scenarios.files import read_plan
from graph.scenarios.impact import impact
from graph.scenarios.operations import operation_to_dict, parse_operations
from graph.validation import check_dataset
from loaders import read_dataset
from tests.graph.scenarios.real_cases import DATA, case_fixtures, groups_of

PLAN = DATA / "r_phu_quoc_plans" / "reform.yaml"
AT = dt.date(2025, 7, 1)
EVE = dt.date(2025, 6, 30)
ZONES = {"ag25-dk-pq": ("Đặc khu Phú Quốc", "Phu Quoc Special Zone",
                        ["kg-pq", "kg-pq-at", "kg-pq-dd", "kg-pq-hn"]),
         "ag25-dk-tc": ("Đặc khu Thổ Châu", "Tho Chau Special Zone", ["kg-pq-tc"]),
         "ag25-dk-kh": ("Đặc khu Kiên Hải", "Kien Hai Special Zone",
                        ["kg-kh", "kg-kh-ht", "kg-kh-ls"])}
#: The zones' bodies: name, English name, parent, formed from. Phú Quốc's: the city's
#: bodies with the wards' and Hàm Ninh's peers (not Thổ Châu's), `Thành ủy` -> `Đảng ủy đặc
#: khu`, `Thành đoàn` -> `Đoàn đặc khu`; Thổ Châu's: the commune's own bodies, each alone,
#: its Đảng ủy under the Tỉnh ủy (it hung under the Thành ủy Phú Quốc, whose peer above is
#: the Tỉnh ủy), not under Phú Quốc's; Kiên Hải's: as Cát Hải's (`r_dac_khu`).
ZONE_BODIES = {
    "ag25-dk-pq-tu": ("Đảng ủy đặc khu Phú Quốc", "Phu Quoc Special Zone Party Committee",
                      "ag25-tu", ["kg-pq-tu", "kg-pq-at-du", "kg-pq-dd-du", "kg-pq-hn-du"]),
    "ag25-dk-pq-hdnd": ("HĐND đặc khu Phú Quốc", "Phu Quoc Special Zone People's Council",
                        "ag25-dk-pq", ["kg-pq-hdnd"]),
    "ag25-dk-pq-ubnd": ("UBND đặc khu Phú Quốc", "Phu Quoc Special Zone People's Committee",
                        "ag25-dk-pq",
                        ["kg-pq-ubnd", "kg-pq-at-ubnd", "kg-pq-dd-ubnd", "kg-pq-hn-ubnd"]),
    "ag25-dk-pq-pnv": ("Phòng Nội vụ đặc khu Phú Quốc",
                       "Phu Quoc Special Zone Office of Home Affairs", "ag25-dk-pq-ubnd",
                       ["kg-pq-pnv"]),
    "ag25-dk-pq-mttq": ("Ủy ban MTTQ đặc khu Phú Quốc",
                        "Phu Quoc Special Zone Fatherland Front Committee", "ag25-dk-pq",
                        ["kg-pq-mttq", "kg-pq-dd-mttq"]),
    "ag25-dk-pq-tdoan": ("Đoàn đặc khu Phú Quốc", "Phu Quoc Special Zone Youth Union",
                         "ag25-dk-pq", ["kg-pq-tdoan"]),
    "ag25-dk-tc-du": ("Đảng ủy đặc khu Thổ Châu", "Tho Chau Special Zone Party Committee",
                      "ag25-tu", ["kg-pq-tc-du"]),
    "ag25-dk-tc-hdnd": ("HĐND đặc khu Thổ Châu", "Tho Chau Special Zone People's Council",
                        "ag25-dk-tc", ["kg-pq-tc-hdnd"]),
    "ag25-dk-tc-ubnd": ("UBND đặc khu Thổ Châu", "Tho Chau Special Zone People's Committee",
                        "ag25-dk-tc", ["kg-pq-tc-ubnd"]),
    "ag25-dk-tc-mttq": ("Ủy ban MTTQ đặc khu Thổ Châu",
                        "Tho Chau Special Zone Fatherland Front Committee", "ag25-dk-tc",
                        ["kg-pq-tc-mttq"]),
    "ag25-dk-tc-doan": ("Đoàn đặc khu Thổ Châu", "Tho Chau Special Zone Youth Union",
                        "ag25-dk-tc", ["kg-pq-tc-doan"]),
    "ag25-dk-kh-tu": ("Đảng ủy đặc khu Kiên Hải", "Kien Hai Special Zone Party Committee",
                      "ag25-tu", ["kg-kh-tu", "kg-kh-ht-du", "kg-kh-ls-du"]),
    "ag25-dk-kh-hdnd": ("HĐND đặc khu Kiên Hải", "Kien Hai Special Zone People's Council",
                        "ag25-dk-kh", ["kg-kh-hdnd"]),
    "ag25-dk-kh-ubnd": ("UBND đặc khu Kiên Hải", "Kien Hai Special Zone People's Committee",
                        "ag25-dk-kh", ["kg-kh-ubnd", "kg-kh-ht-ubnd", "kg-kh-ls-ubnd"]),
    "ag25-dk-kh-pnv": ("Phòng Nội vụ đặc khu Kiên Hải",
                       "Kien Hai Special Zone Office of Home Affairs", "ag25-dk-kh-ubnd",
                       ["kg-kh-pnv"]),
    "ag25-dk-kh-mttq": ("Ủy ban MTTQ đặc khu Kiên Hải",
                        "Kien Hai Special Zone Fatherland Front Committee", "ag25-dk-kh",
                        ["kg-kh-mttq"]),
    "ag25-dk-kh-hdoan": ("Đoàn đặc khu Kiên Hải", "Kien Hai Special Zone Youth Union",
                         "ag25-dk-kh", ["kg-kh-hdoan"]),
}
#: The province's bodies: each pair named for An Giang (the province the new one is named
#: after), ids from An Giang's (listed first, as the resolution lists them).
PROVINCE_BODIES = {
    "ag25-tu": "Tỉnh ủy An Giang",
    "ag25-hdnd": "Hội đồng nhân dân tỉnh An Giang",
    "ag25-ubnd": "Ủy ban nhân dân tỉnh An Giang",
    "ag25-snv": "Sở Nội vụ tỉnh An Giang",
    "ag25-mttq": "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh An Giang",
    "ag25-tdoan": "Tỉnh đoàn An Giang",
}
#: headcount.csv (2025-01-01): An Giang's provincial bodies 30+12+20+45+25+10 = 142;
#: Kiên Giang's 28+11+18+40+35+22+9 = 163 (35 the Ban Quản lý); An Phú's 14+12+5 = 31 and
#: its township's and commune's UBND 9+7 = 16; Phú Quốc's city bodies 18+4+16+6+7+3 = 54,
#: Dương Đông 5+12+3 = 20, An Thới 4+10 = 14, Hàm Ninh 3+8 = 11, Thổ Châu 3+1+6+2 = 12 (none
#: on its Đoàn); Kiên Hải's 12+3+10+4+5+2 = 36, Hòn Tre 3+7 = 10, Lại Sơn 2+6 = 8.
TOTAL = 142 + 163 + 31 + 16 + 54 + 20 + 14 + 11 + 12 + 36 + 10 + 8
#: The new bodies' figures, the sums of their inputs'.
FIGURES = {"ag25-tu": 30 + 28 + 14, "ag25-ubnd": 20 + 18 + 12, "ag25-snv": 45 + 40 + 5,
           "ag25-hdnd": 12 + 11, "ag25-mttq": 25 + 22, "ag25-tdoan": 10 + 9,
           "ag25-dk-pq-tu": 18 + 5 + 4 + 3, "ag25-dk-pq-ubnd": 16 + 12 + 10 + 8,
           "ag25-dk-pq-mttq": 7 + 3, "ag25-dk-pq-hdnd": 4, "ag25-dk-pq-pnv": 6,
           "ag25-dk-pq-tdoan": 3,
           "ag25-dk-tc-du": 3, "ag25-dk-tc-hdnd": 1, "ag25-dk-tc-ubnd": 6,
           "ag25-dk-tc-mttq": 2,
           "ag25-dk-kh-tu": 12 + 3 + 2, "ag25-dk-kh-ubnd": 10 + 7 + 6, "ag25-dk-kh-hdnd": 3,
           "ag25-dk-kh-pnv": 4, "ag25-dk-kh-mttq": 5, "ag25-dk-kh-hdoan": 2}


baseline, reformed = case_fixtures("r_phu_quoc", PLAN, AT)


def test_the_dataset_passes_the_loaders_rules(baseline):
    assert check_dataset(baseline.dataset())[1] == []


def test_one_province_with_one_body_of_each_kind(reformed):
    state, log = reformed
    assert [e.summary for e in log] == [
        "ag, kg consolidated into the new unit ag25 on 2025-07-01",
        "1 district dissolved on 2025-07-01 within ag25; 3 of their bodies merged or moved "
        "up; 3 became units of the commune level (kg-pq -> ag25-dk-pq, kg-pq-tc -> "
        "ag25-dk-tc, kg-kh -> ag25-dk-kh), 17 bodies succeeded by theirs"]
    province = state.get_unit("ag25")
    assert (province.name, province.kind, state.parent("ag25", AT)) == (
        "Tỉnh An Giang", "province", "vn")
    first = dict(log[0].bodies)
    assert first == {u: (f"ag-{u[5:]}", f"kg-{u[5:]}") for u in PROVINCE_BODIES}
    assert {u: state.get_unit(u).name for u in first} == PROVINCE_BODIES
    # Kiên Giang's Ban Quản lý has no peer: it moves to the new province as it is
    assert log[0].unpaired == (("kg-bqlkkt", "kg", "ag25"),)
    bql = state.get_unit("kg-bqlkkt")
    assert (bql.name, bql.area, state.parent(bql.id, AT)) == (
        "Ban Quản lý Khu kinh tế Phú Quốc", "ag25", "ag25-ubnd")
    for old in ("ag", "kg", "ag-tu", "kg-tu"):
        assert state.get_unit(old).valid_at(EVE) and not state.get_unit(old).valid_at(AT)
    # An Phú dissolved: its bodies merged into the province's, its communes moved up, their
    # Đảng ủy under the Tỉnh ủy
    groups = dict(log[1].bodies)
    assert [(u, groups[u]) for u in ("ag25-tu", "ag25-ubnd", "ag25-snv")] == [
        ("ag25-tu", ("ag-ap-tu",)), ("ag25-ubnd", ("ag-ap-ubnd",)),
        ("ag25-snv", ("ag-ap-pnv",))]
    assert log[1].unpaired == ()
    assert state.parent("ag-ap-tt", AT) == state.parent("ag-ap-vhd", AT) == "ag25"
    assert state.parent("ag-ap-vhd-du", AT) == "ag25-tu"


def test_the_city_becomes_a_zone_but_one_commune_which_becomes_its_own(reformed):
    state, log = reformed
    assert not state.units(AT, level="district")
    events = {tuple(e.outputs): e for e in log[1].events}
    for zid, (name, name_en, inputs) in ZONES.items():
        z = state.get_unit(zid)
        assert (z.name, z.name_en, z.kind, z.level, z.area, state.parent(zid, AT)) == (
            name, name_en, "commune", "commune", "ag25", "ag25"), zid
        assert str(z.valid_from) == "2025-07-01"
        e = events[(zid,)]
        assert (e.type, list(e.inputs), list(e.basis)) == (
            "CONSOLIDATE", inputs, ["nq-1654-2025-ubtvqh15"])
        for old in inputs:
            assert state.get_unit(old).valid_at(EVE) and not state.get_unit(old).valid_at(AT)
    # the province's communes: An Phú's two and the three zones
    communes = sorted(u for u in state.children("ag25", AT)
                      if state.get_unit(u).kind == "commune")
    assert communes == ["ag-ap-tt", "ag-ap-vhd", "ag25-dk-kh", "ag25-dk-pq", "ag25-dk-tc"]
    groups = groups_of(log)
    for bid, (name, name_en, parent, inputs) in ZONE_BODIES.items():
        b = state.get_unit(bid)
        assert (b.name, b.name_en, b.level, b.area, state.parent(bid, AT)) == (
            name, name_en, "commune", bid.rsplit("-", 1)[0], parent), bid
        assert groups[bid] == inputs, bid
        figure = state.headcount(bid, AT)
        # the Đoàn xã Thổ Châu had no figure: its successor none either
        assert (figure.headcount if figure else None) == FIGURES.get(bid), bid
    # each zone holds its bodies, as a commune does; Thổ Châu's none of Phú Quốc's
    assert sorted(state.children("ag25-dk-tc", AT)) == [
        "ag25-dk-tc-doan", "ag25-dk-tc-hdnd", "ag25-dk-tc-mttq", "ag25-dk-tc-ubnd"]
    assert sorted(state.children("ag25-dk-pq", AT)) == [
        "ag25-dk-pq-hdnd", "ag25-dk-pq-mttq", "ag25-dk-pq-tdoan", "ag25-dk-pq-ubnd"]
    # the Tỉnh ủy's committees: the three zones' Đảng ủy and An Phú's communes'
    assert sorted(u for u in state.children("ag25-tu", AT)) == [
        "ag-ap-tt-du", "ag-ap-vhd-du", "ag25-dk-kh-tu", "ag25-dk-pq-tu", "ag25-dk-tc-du"]
    # Hàm Ninh's hamlet cell follows its Đảng ủy into Phú Quốc's, and the zone
    cell = state.get_unit("kg-pq-hn-rh")
    assert (cell.area, state.parent(cell.id, AT)) == ("ag25-dk-pq", "ag25-dk-pq-tu")
    # the posts came with the bodies: Phú Quốc's two secretaries (the city's and Dương
    # Đông's) in the zone's Đảng ủy, Thổ Châu's secretary alone in its own
    roles = {b: sorted((p.person_id, p.role) for p in state.posts(unit_id=b, at=AT))
             for b in ("ag25-dk-pq-tu", "ag25-dk-tc-du", "ag25-dk-tc-ubnd")}
    assert roles == {"ag25-dk-pq-tu": [("p-08", "secretary"), ("p-10", "secretary")],
                     "ag25-dk-tc-du": [("p-12", "secretary")],
                     "ag25-dk-tc-ubnd": [("p-13", "chair")]}
    # op 2's events: 20 CONSOLIDATE (17 bodies, 3 zones), An Phú's 3 MERGE, 1 MOVE, 1 DISSOLVE
    assert sorted(e.type for e in log[1].events) == (
        ["CONSOLIDATE"] * 20 + ["DISSOLVE"] + ["MERGE"] * 3 + ["MOVE"])


def test_the_impact_under_the_default_assumptions(baseline, reformed):
    state, _ = reformed
    rep = impact(new_state(baseline, AT), state).to_dict()
    # 62 units (`vn` out of scope). After: the province and its 6 bodies, the Ban Quản lý,
    # An Phú's 2 communes with their 4 bodies, the 3 zones with 6 + 5 + 6 bodies, the cell:
    # 7 + 1 + 6 + 20 + 1 = 35
    assert (rep["units"]["before"], rep["units"]["after"]) == (62, 35)
    # commune level: An Phú's 6, Phú Quốc's 4 wards and communes with 13 bodies and the
    # cell, Kiên Hải's 6 = 29 before; 6 + 3 zones + 17 bodies + the cell = 27 after
    assert rep["units"]["by_level"] == {
        "commune": {"before": 29, "after": 27, "change": -2},
        "district": {"before": 18, "after": 0, "change": -18},
        "province": {"before": 15, "after": 8, "change": -7}}
    assert rep["units"]["by_kind"]["commune"] == {"before": 8, "after": 5, "change": -3}
    hc = rep["headcount"]
    # savings: office_admin held by the UBND of the city, Dương Đông and An Thới in Phú
    # Quốc's UBND: (3 - 1) x 2 x 0.5 = 2 (Thổ Châu's, in its own zone, is no duplicate);
    # leadership posts removed: 2 secretaries in the Tỉnh ủy (of 3: An Giang's, Kiên
    # Giang's, An Phú's), 1 chair in the UBND and 1 in the HĐND (the provinces'), 1
    # secretary and 1 chair in Phú Quốc's (the city's and Dương Đông's), 1 secretary in
    # Kiên Hải's (the district's and Hòn Tre's): 2 + 2 + 1 + 1 + 1 + 1 + 1 = 9.
    # Personnel held twice by the Sở Nội vụ is no support function: no saving.
    assert (hc["before"], hc["after_recorded"], hc["saving_total"], hc["after"]) == (
        TOTAL, TOTAL, 9, TOTAL - 9)
    assert TOTAL == 517
    lead = rep["leadership"]
    # posts.csv: 16 leadership posts, 7 duplicates removed
    assert (lead["before"], lead["removed"], lead["after"]) == (16, 7, 9)
    assert sorted((d["unit"], d["duplicates"]) for d in lead["duplicated"]) == [
        ("ag25-dk-kh-tu", 1), ("ag25-dk-pq-tu", 1), ("ag25-dk-pq-ubnd", 1),
        ("ag25-hdnd", 1), ("ag25-tu", 2), ("ag25-ubnd", 1)]
    assert {u: state.headcount(u, AT).headcount for u in FIGURES} == FIGURES
    funcs = sorted((d["unit"], d["function"], d["holders"])
                   for d in rep["functions"]["duplicated"])
    assert funcs == [("ag25-dk-pq-ubnd", "office_admin", 3), ("ag25-snv", "personnel", 2),
                     ("ag25-snv", "personnel", 2)]
    bodies = rep["bodies"]
    assert bodies["unpaired"] == [{"unit": "kg-bqlkkt", "from_area": "kg",
                                   "to_area": "ag25", "operation": 1}]
    groups = {g["unit"]: g["from"] for g in bodies["groups"] if g["operation"] == 2}
    assert {u: groups[u] for u in ZONE_BODIES} == {u: v[3] for u, v in ZONE_BODIES.items()}
    committees = rep["party"]["committees"]
    assert committees["started"] == ["ag25-dk-kh-tu", "ag25-dk-pq-tu", "ag25-dk-tc-du",
                                     "ag25-tu"]
    assert (committees["before"], committees["after"]) == (13, 6)
    assert rep["warnings"] == []


def test_the_scenario_passes_the_loaders_rules_as_a_commit_checks_them(reformed):
    state, _ = reformed
    assert check_dataset(state.dataset())[1] == []


def _ops(*become):
    ops = yaml.safe_load(PLAN.read_text(encoding="utf-8"))["operations"]
    if become:
        ops[1]["become"] = list(become)
    return copy.deepcopy(ops)


PQ = {"area": "kg-pq", "new": {"id": "ag25-dk-pq", "name": "Đặc khu Phú Quốc"}}
TC = {"area": "kg-pq", "units": ["kg-pq-tc"],
      "new": {"id": "ag25-dk-tc", "name": "Đặc khu Thổ Châu"}}


def test_except_leaves_a_commune_out_of_the_zone_as_a_commune_of_the_province(baseline):
    state, log = apply(new_state(baseline, AT),
                       parse_operations(_ops({**PQ, "except": ["kg-pq-tc"]})))
    tc = state.get_unit("kg-pq-tc")
    assert (tc.name, tc.area, state.parent(tc.id, AT)) == ("Xã Thổ Châu", "ag25", "ag25")
    # its Đảng ủy hung under the Thành ủy Phú Quốc: now under its peer above, the Tỉnh ủy
    assert state.parent("kg-pq-tc-du", AT) == "ag25-tu"
    assert state.parent("kg-pq-tc-ubnd", AT) == "kg-pq-tc"
    assert dict(log[1].bodies)["ag25-dk-pq-tu"] == (
        "kg-pq-tu", "kg-pq-at-du", "kg-pq-dd-du", "kg-pq-hn-du")
    assert any(e.type == "MOVE" and list(e.inputs) == ["kg-pq-tc", "kg-pq-tc-du"]
               for e in log[1].events)
    assert check_dataset(state.dataset())[1] == []


def test_units_alone_make_a_zone_of_a_commune_and_dissolve_its_district(baseline):
    state, log = apply(new_state(baseline, AT), parse_operations(_ops(TC)))
    assert log[1].summary.startswith("3 districts dissolved on 2025-07-01 within ag25")
    assert "1 became unit of the commune level (kg-pq-tc -> ag25-dk-tc)" in log[1].summary
    # the city is dissolved as any district: its bodies into the province's, its wards up
    assert groups_of(log)["ag25-tu"] == ["ag-tu", "kg-tu", "ag-ap-tu", "kg-kh-tu",
                                         "kg-pq-tu"]
    assert "ag25-dk-pq" not in {u.id for u in state.units(AT)}
    assert state.parent("kg-pq-dd", AT) == "ag25"
    assert state.parent("kg-pq-dd-du", AT) == "ag25-tu"
    assert state.parent("ag25-dk-tc-du", AT) == "ag25-tu"
    assert state.get_unit("ag25-dk-tc").name == "Đặc khu Thổ Châu"


def test_units_of_several_communes_pair_their_bodies(baseline):
    # not the real case: Hàm Ninh and Thổ Châu into one zone, Hàm Ninh listed first
    both = {**TC, "units": ["kg-pq-hn", "kg-pq-tc"]}
    state, log = apply(new_state(baseline, AT), parse_operations(_ops(PQ, both)))
    groups = dict(log[1].bodies)
    assert groups["ag25-dk-tc-du"] == ("kg-pq-hn-du", "kg-pq-tc-du")
    assert groups["ag25-dk-tc-ubnd"] == ("kg-pq-hn-ubnd", "kg-pq-tc-ubnd")
    assert state.headcount("ag25-dk-tc-ubnd", AT).headcount == 8 + 6
    # Thổ Châu's bodies Hàm Ninh has no peer for move in as they are, said so; the cell
    # is no body to succeed: it follows its Đảng ủy
    assert sorted(u for u, _, _ in log[1].unpaired) == [
        "kg-pq-tc-doan", "kg-pq-tc-hdnd", "kg-pq-tc-mttq"]
    assert state.parent("kg-pq-tc-hdnd", AT) == "ag25-dk-tc"
    assert state.get_unit("kg-pq-tc-hdnd").area == "ag25-dk-tc"
    assert state.parent("kg-pq-hn-rh", AT) == "ag25-dk-tc-du"
    assert dict(log[1].bodies)["ag25-dk-pq-tu"] == ("kg-pq-tu", "kg-pq-at-du", "kg-pq-dd-du")
    assert check_dataset(state.dataset())[1] == []


def test_a_malformed_become_entry_is_a_422_naming_its_field():
    with pytest.raises(InvalidParameter) as exc:
        parse_operations(_ops(
            {**PQ, "except": ["kg-pq-tc"], "units": ["kg-pq-dd"]},
            {**TC, "units": []},
            {**TC, "new": {"id": "ag25-dk-x", "name": "X"}, "units": ["kg-pq-dd"]},
            {"area": "kg-kh", "new": {"id": "ag25-dk-y", "name": "Y"}}))
    got = {(e["field"], e["message"]) for e in exc.value.errors}
    assert ("become[0].except", "an entry with `units` is formed from those alone: "
            "`except` belongs to the entry that takes the whole area") in got
    assert any(f == "become[1].units" and m.startswith("expected a list of the ids")
               for f, m in got)
    assert ("become[2].units", "kg-pq-dd is also taken by become[0]") in got
    # the whole area twice: entries with `units` may share their area, whole ones may not
    assert ("become", "area kg-pq is listed twice") not in got
    with pytest.raises(InvalidParameter) as exc:
        parse_operations(_ops(PQ, {**PQ, "new": {"id": "ag25-dk-y", "name": "Y"}}))
    assert ("become", "area kg-pq is listed twice") in {
        (e["field"], e["message"]) for e in exc.value.errors}
    assert str(exc.value).startswith("operation 2 (dissolve_level): become")


def test_a_become_entry_naming_what_is_not_under_its_area_is_a_409(baseline):
    for key, bad in (("units", ["kg-kh-ht"]), ("except", ["kg-pq"])):
        entry = {**TC, "units": bad} if key == "units" else {**PQ, "except": bad}
        with pytest.raises(Conflict) as exc:
            apply(new_state(baseline, AT), parse_operations(_ops(entry)))
        where = f"become[0].{key}"
        assert str(exc.value).startswith(
            f"operation 2 (dissolve_level): {where}: {bad[0]} is not a commune under kg-pq "
            "on 2025-07-01 (its communes: kg-pq-at, kg-pq-dd, kg-pq-hn, kg-pq-tc)")
        assert (exc.value.errors[0]["field"], exc.value.errors[0]["unit"]) == (where, bad[0])


def test_units_and_except_are_kept_as_written_and_read_back():
    op = read_plan(PLAN).operations[1]
    again = parse_operations([operation_to_dict(op)])[0]
    assert again == op
    assert operation_to_dict(op)["become"][1] == {
        "area": "kg-pq", "units": ["kg-pq-tc"],
        "new": {"id": "ag25-dk-tc", "name": "Đặc khu Thổ Châu",
                "name_en": "Tho Chau Special Zone"}}
    op = parse_operations(_ops({**PQ, "except": ["kg-pq-tc"]}))[1]
    written = operation_to_dict(op)
    assert written["become"][0]["except"] == ["kg-pq-tc"]
    assert parse_operations([operation_to_dict(parse_operations(_ops())[0]), written])[1] == op


def test_a_party_cell_of_the_district_itself_is_not_succeeded_but_follows_its_committee():
    """A cell whose area is the city itself (a Chi bộ under the Thành ủy, of the district's
    own bodies) is no body to succeed, as a commune's is not: it moves as it is, under the
    zone's Đảng ủy (before, the whole area's entry made it a new `ag25-dk-pq-cb`)."""
    data = read_dataset(DATA / "r_phu_quoc")
    cell = Unit(id="kg-pq-cb", name="Chi bộ Cơ quan Thành ủy Phú Quốc", kind="party_cell",
                level="district", area="kg-pq", source="test")
    link = Relation(source_id="kg-pq-cb", type="PART_OF", target_id="kg-pq-tu", source="test")
    graph = MemoryGraph(dataclasses.replace(data, units=(*data.units, cell),
                                            relations=(*data.relations, link)))
    state, log = apply(new_state(graph, AT), read_plan(PLAN).operations)
    assert state.get_unit("ag25-dk-pq-cb") is None
    moved = state.get_unit("kg-pq-cb")
    assert (moved.valid_at(AT), moved.area, state.parent("kg-pq-cb", AT)) == (
        True, "ag25-dk-pq", "ag25-dk-pq-tu")
    assert "kg-pq-cb" not in groups_of(log)
    assert check_dataset(state.dataset())[1] == []
