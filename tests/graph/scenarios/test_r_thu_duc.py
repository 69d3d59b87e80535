"""Quận 2 + Quận 9 + Quận Thủ Đức -> Thành phố Thủ Đức (Nghị quyết 1111/NQ-UBTVQH14 of
2020-12-09, in force 2021-01-01) on `tests/data/r_thu_duc`, in one plan: three districts of
Thành phố Hồ Chí Minh, two of them numbered, consolidated into a district-level city, and
in the same resolution two ward changes in Quận 2 (phường An Khánh into phường Thủ Thiêm;
phường Bình Khánh into phường Bình An, named phường An Khánh). Both ward changes are as
the HĐND of the city voted them on 2020-10-12 and the resolution made them (Thành phố Thủ
Đức's 34 wards from the districts' 36); the dataset has 9 of the 36 wards. README there.

The new area's kind word (`thành phố`) is none of the inputs' (`quận`): its committees are
`Thành ủy Thủ Đức`, `Thành đoàn Thủ Đức` (not `Quận ủy`), its bodies named with the place
alone after the committee words (`Ủy ban Kiểm tra Thành ủy Thủ Đức` from Quận 2's `Ủy ban
Kiểm tra Quận ủy Quận 2`, not `Thành ủy thành phố Thủ Đức`), a body no input names with
a place keeps none but takes the city's committee words (`Văn phòng Thành ủy` from the
three `Văn phòng Quận ủy`), and the English names the city's kind (`Thu Duc City Party
Committee`, not `Thu Duc District Party Committee` nor `District Thu Duc`).

Every expected figure is derived by hand from the dataset's CSV files (the arithmetic is in
the comments); `tests/api/test_r_thu_duc.py` drives the same plan through HTTP and the CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from graph.scenarios import apply, new_state
from graph.scenarios.files import read_plan
from graph.scenarios.impact import impact
from tests.graph.scenarios.real_cases import DATA, case_fixtures

PLAN = DATA / "r_thu_duc_plans" / "reform.yaml"
AT = dt.date(2021, 1, 1)
BEFORE = dt.date(2020, 12, 31)
SIDES = ("q2", "q9", "qtd")  # the plan's order (the resolution's)

#: The bodies all three districts have: each triple forms `td-<suffix>`. Quận Thủ Đức's
#: name where it carries its place (the place of the new city); else the first that does
#: (Quận 2's), renamed; else (no input names a place: the three `Văn phòng Quận ủy`) the
#: first's with the city's committee words. Head written out as a peer writes it (`HĐND
#: quận Thủ Đức` with Quận 2's `Hội đồng nhân dân Quận 2`).
NAMES = {
    "td-tu": ("Thành ủy Thủ Đức", "Thu Duc City Party Committee"),
    "td-btc": ("Ban Tổ chức Thành ủy Thủ Đức",
               "Organisation Board of the Thu Duc City Party Committee"),
    "td-ubkt": ("Ủy ban Kiểm tra Thành ủy Thủ Đức",
                "Inspection Committee of the Thu Duc City Party Committee"),
    "td-vp": ("Văn phòng Thành ủy", "Office of the City Party Committee"),
    "td-hdnd": ("Hội đồng nhân dân thành phố Thủ Đức", "Thu Duc City People's Council"),
    "td-ubnd": ("Ủy ban nhân dân thành phố Thủ Đức", "Thu Duc City People's Committee"),
    "td-pnv": ("Phòng Nội vụ thành phố Thủ Đức", "Thu Duc City Office of Home Affairs"),
    "td-ptckh": ("Phòng Tài chính - Kế hoạch thành phố Thủ Đức",
                 "Thu Duc City Office of Finance and Planning"),
    "td-mttq": ("Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Thủ Đức",
                "Thu Duc City Fatherland Front Committee"),
    "td-qdoan": ("Thành đoàn Thủ Đức", "Thu Duc City Youth Union"),
}
BODIES = tuple(k.split("-", 1)[1] for k in NAMES)
#: Where each new body hangs: the Party's line under the city's Thành ủy (TP.HCM's), the
#: boards under the new Thành ủy, the departments under the new UBND.
PARENTS = {"td-tu": "hcm-tu", "td-btc": "td-tu", "td-ubkt": "td-tu", "td-vp": "td-tu",
           "td-hdnd": "td", "td-ubnd": "td", "td-mttq": "td", "td-qdoan": "td",
           "td-pnv": "td-ubnd", "td-ptckh": "td-ubnd"}
#: The wards of the new city: Quận 2's Thủ Thiêm (with An Khánh's bodies) and Thảo Điền,
#: the new An Khánh, Quận 9's and Quận Thủ Đức's two each, as they were.
WARDS = ["q2-tdi", "q2-tt", "q9-hp", "q9-lb", "qtd-lc", "qtd-lt", "td-p-an-khanh"]
#: headcount.csv: Quận 2's bodies 76 (14+6+5+8+4+12+7+9+6+5), Quận 9's 64 (13+6+7+4+11+6+
#: 8+5+4; none on its UBKT), Quận Thủ Đức's 85 (15+7+6+9+5+13+8+10+7+5), the wards' UBND
#: 44 (4+3+5+4+6, 6+5, 6+5); none on the wards' Đảng ủy.
TOTAL = 76 + 64 + 85 + 44
FIGURES = {"td-tu": 14 + 13 + 15, "td-btc": 6 + 6 + 7, "td-ubkt": 5 + 6, "td-vp": 8 + 7 + 9,
           "td-hdnd": 4 + 4 + 5, "td-ubnd": 12 + 11 + 13, "td-pnv": 7 + 6 + 8,
           "td-ptckh": 9 + 8 + 10, "td-mttq": 6 + 5 + 7, "td-qdoan": 5 + 4 + 5,
           "q2-tt-ubnd": 4 + 3, "td-p-an-khanh-ubnd": 5 + 4}


baseline, reformed = case_fixtures("r_thu_duc", PLAN, AT)


def test_the_three_districts_form_the_city_with_its_bodies(baseline, reformed):
    state, log = reformed
    assert [e.summary for e in log] == [
        "q2, q9, qtd consolidated into the new unit td on 2021-01-01",
        "q2-ak merged into q2-tt on 2021-01-01",
        "q2-ba, q2-bk consolidated into the new unit td-p-an-khanh on 2021-01-01"]
    city = state.get_unit("td")
    assert (city.name, city.name_en, city.kind, city.level, state.parent("td", AT)) == (
        "Thành phố Thủ Đức", "Thu Duc City", "district", "district", "hcm")
    # 10 bodies merged, each from its three peers (Quận 9's `Ban Tổ chức Quận ủy` with no
    # place, `UBKT`, `Phòng TC-KH`, `Đoàn TNCS Hồ Chí Minh Quận 9` among them); none unpaired
    assert dict(log[0].bodies) == {f"td-{k}": tuple(f"{s}-{k}" for s in SIDES)
                                   for k in BODIES}
    assert log[0].unpaired == ()
    for uid, (name, name_en) in NAMES.items():
        body = state.get_unit(uid)
        assert (body.name, body.name_en, body.area, state.parent(uid, AT)) == (
            name, name_en, "td", PARENTS[uid]), uid
    assert state.get_unit("td-hdnd").abbr == "HĐND"
    assert [r.target_id for r in state.relations("td-ubnd", AT, types=["GUIDED_BY"])] == [
        "td-hdnd"]
    # the districts and their bodies end the day before
    for side in SIDES:
        for uid in (side, *(f"{side}-{k}" for k in BODIES)):
            assert baseline.get_unit(uid).valid_at(BEFORE)
            assert not state.get_unit(uid).valid_at(AT), uid


def test_units_before_and_after(baseline, reformed):
    state, _ = reformed
    # units.csv: 63 units. Ended: 3 districts and their 30 bodies, An Khánh, Bình An, Bình
    # Khánh and their 6 bodies (42); started: the city and 10 bodies, the new An Khánh and
    # its 2 (14). 63 - 42 + 14 = 35.
    assert len(baseline.units(BEFORE)) == 63
    assert len(state.units(AT)) == 63 - 42 + 14
    assert len(baseline.units(BEFORE, level="district")) == 33  # 3 districts, 10 bodies each
    assert [u.id for u in state.units(AT, kind="district")] == ["td"]
    assert len(baseline.units(BEFORE, kind="commune")) == 9
    assert sorted(u.id for u in state.units(AT, kind="commune")) == WARDS
    assert sorted(u for u in state.children("td", AT)
                  if state.get_unit(u).kind == "commune") == WARDS


def test_the_ward_changes(reformed):
    state, log = reformed
    # An Khánh into Thủ Thiêm: Thủ Thiêm's bodies take in An Khánh's, their names kept
    assert dict(log[1].bodies) == {"q2-tt-du": ("q2-ak-du",), "q2-tt-ubnd": ("q2-ak-ubnd",)}
    assert not state.get_unit("q2-ak").valid_at(AT)
    assert [state.get_unit(u).name for u in ("q2-tt-du", "q2-tt-ubnd")] == [
        "Đảng ủy phường Thủ Thiêm", "UBND phường Thủ Thiêm"]
    # Bình An + Bình Khánh -> the new phường An Khánh (the old one's name, another unit)
    ward = state.get_unit("td-p-an-khanh")
    assert (ward.name, ward.kind, ward.area, state.parent(ward.id, AT)) == (
        "Phường An Khánh", "commune", "td", "td")
    assert dict(log[2].bodies) == {"td-p-an-khanh-du": ("q2-ba-du", "q2-bk-du"),
                                   "td-p-an-khanh-ubnd": ("q2-ba-ubnd", "q2-bk-ubnd")}
    for uid, name, parent in (("td-p-an-khanh-du", "Đảng ủy phường An Khánh", "td-tu"),
                              ("td-p-an-khanh-ubnd", "UBND phường An Khánh", "td-p-an-khanh")):
        body = state.get_unit(uid)
        assert (body.name, body.area, state.parent(uid, AT)) == (name, "td-p-an-khanh", parent)
    # every ward's Party Committee now under the city's Thành ủy
    for ward_id in WARDS:
        du = [u for u in state.children("td-tu", AT) if state.get_unit(u).area == ward_id]
        assert len(du) == 1 and state.get_unit(du[0]).kind == "party_committee", ward_id


def test_the_impact_worked_out_by_hand(baseline, reformed):
    state, _ = reformed
    rep = impact(new_state(baseline, AT), state)
    lead = rep.leadership
    # posts.csv: 42 leadership posts: per district the Quận ủy's secretary, the chairs of
    # the HĐND, UBND and Front, a vice chair of the UBND, the heads of the Ban Tổ chức and
    # the UBKT, the Youth Union's secretary (8 x 3 = 24); each ward's Đảng ủy secretary and
    # UBND chair (18). Single-holder roles held three times in the 7 new city bodies that
    # have them (2 removed each: 14), twice in Thủ Thiêm's and the new An Khánh's two
    # bodies (1 each: 4); the vice chairs stay. 18 removed, 24 left.
    assert (lead.before, lead.after_recorded, lead.removed, lead.after) == (42, 42, 18, 24)
    dup = {(d.unit, d.role): len(d.people) for d in lead.duplicated}
    assert dup == {("td-tu", "secretary"): 3, ("td-hdnd", "chair"): 3,
                   ("td-ubnd", "chair"): 3, ("td-mttq", "chair"): 3, ("td-btc", "head"): 3,
                   ("td-ubkt", "head"): 3, ("td-qdoan", "secretary"): 3,
                   ("q2-tt-du", "secretary"): 2, ("q2-tt-ubnd", "chair"): 2,
                   ("td-p-an-khanh-du", "secretary"): 2, ("td-p-an-khanh-ubnd", "chair"): 2}
    hc = rep.headcount
    # savings: the 18 posts at 1 each, but the two wards' Đảng ủy have no figure to cut (16
    # applied); office_admin (the three Văn phòng Quận ủy) and finance_accounting (the
    # three Phòng Tài chính - Kế hoạch) duplicated: (3 - 1) x 2 staff x 0.5 = 2 each. 20.
    assert (hc.before, hc.after_recorded, hc.saving_total, hc.after) == (
        TOTAL, TOTAL, 16 + 2 + 2, TOTAL - 20)
    assert sorted(s.unit for s in hc.savings if not s.applied) == [
        "q2-tt-du", "td-p-an-khanh-du"]
    assert {u: state.headcount(u, AT).headcount for u in FIGURES} == FIGURES
    # each triple's functions held three times
    funcs = sorted((d.unit, d.function, d.holders) for d in rep.functions.duplicated)
    assert funcs == [("td-btc", "personnel", 3), ("td-pnv", "personnel", 3),
                     ("td-ptckh", "finance_accounting", 3), ("td-ubkt", "inspection", 3),
                     ("td-vp", "office_admin", 3)]


@pytest.mark.parametrize("order", [("qtd", "q2", "q9"), ("q9", "qtd", "q2")])
def test_the_districts_listed_otherwise_give_the_same_names_and_figures(baseline, order):
    ops = list(read_plan(PLAN).operations)
    ops[0] = dataclasses.replace(ops[0], units=order)
    state, _ = apply(new_state(baseline, AT), ops)
    rep = impact(new_state(baseline, AT), state)
    # the ids are the suffixes of the first listed (the same in every district)
    assert {u: (state.get_unit(u).name, state.get_unit(u).name_en) for u in NAMES} == NAMES
    assert (rep.leadership.removed, rep.headcount.saving_total) == (18, 20)
