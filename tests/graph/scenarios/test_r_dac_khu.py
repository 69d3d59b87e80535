"""The district level ends and two island districts become commune-level special zones
(`đặc khu`), on `tests/data/r_dac_khu` (Thành phố Hải Phòng, Nghị quyết 1669/NQ-UBTVQH15,
in force 2025-07-01; README there): Huyện Bạch Long Vĩ, with no commune under it, becomes
Đặc khu Bạch Long Vĩ; Huyện Cát Hải becomes Đặc khu Cát Hải with its township and commune;
Quận Hồng Bàng and Huyện Tiên Lãng are dissolved into the city as before
(`dissolve_level ... become:`, `graph/scenarios/zones.py`).

Every expected figure is derived by hand from the dataset's CSV files (the arithmetic is in
the comments); `tests/api/test_r_dac_khu.py` drives the same plan through HTTP and the CLI.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph.errors import Conflict, InvalidParameter
from graph.scenarios import apply, new_state
from graph.scenarios.files import read_plan
from graph.scenarios.impact import impact
from graph.scenarios.operations import operation_to_dict, parse_operations
from graph.scenarios.zones import lower_level_name
from graph.validation import check_dataset
from tests.graph.scenarios.real_cases import DATA, case_fixtures

PLAN = DATA / "r_dac_khu_plans" / "reform.yaml"
AT = dt.date(2025, 7, 1)
EVE = dt.date(2025, 6, 30)

#: The zones' bodies: each district body's successor, its id `<zone>-<suffix>`, its name
#: the body's with `đặc khu` for `huyện` and the Party committee of a commune-level unit
#: (`Huyện ủy` -> `Đảng ủy đặc khu`), its parent the successor of its parent (the zone for
#: a body directly under the district; the Thành ủy, as it was, for the Huyện ủy).
ZONE_BODIES = {
    "hp-dk-blv-tu": ("Đảng ủy đặc khu Bạch Long Vĩ", "hp-tu", ["hp-blv-tu"]),
    "hp-dk-blv-hdnd": ("HĐND đặc khu Bạch Long Vĩ", "hp-dk-blv", ["hp-blv-hdnd"]),
    "hp-dk-blv-ubnd": ("UBND đặc khu Bạch Long Vĩ", "hp-dk-blv", ["hp-blv-ubnd"]),
    "hp-dk-blv-pnv": ("Phòng Nội vụ đặc khu Bạch Long Vĩ", "hp-dk-blv-ubnd", ["hp-blv-pnv"]),
    "hp-dk-blv-mttq": ("Ủy ban MTTQ đặc khu Bạch Long Vĩ", "hp-dk-blv", ["hp-blv-mttq"]),
    # Cát Hải's: the township's and the commune's bodies with a peer join them
    "hp-dk-ch-tu": ("Đảng ủy đặc khu Cát Hải", "hp-tu",
                    ["hp-ch-tu", "hp-ch-cb-du", "hp-ch-tc-du"]),
    "hp-dk-ch-hdnd": ("HĐND đặc khu Cát Hải", "hp-dk-ch", ["hp-ch-hdnd"]),
    "hp-dk-ch-ubnd": ("UBND đặc khu Cát Hải", "hp-dk-ch",
                      ["hp-ch-ubnd", "hp-ch-cb-ubnd", "hp-ch-tc-ubnd"]),
    "hp-dk-ch-pnv": ("Phòng Nội vụ đặc khu Cát Hải", "hp-dk-ch-ubnd", ["hp-ch-pnv"]),
    "hp-dk-ch-mttq": ("Ủy ban MTTQ đặc khu Cát Hải", "hp-dk-ch",
                      ["hp-ch-mttq", "hp-ch-cb-mttq", "hp-ch-tc-mttq"]),
}
#: headcount.csv (2025-01-01): the city's bodies 20+15+40+25+10 = 110; Hồng Bàng's and
#: Tiên Lãng's 15+12+6+8 = 41 each; Bạch Long Vĩ's 6+2+8+3+3 = 22; Cát Hải's 14+3+12+5+6 =
#: 40; Thị trấn Cát Bà's 4+10+2 = 16; Xã Trân Châu's 3+8 = 11 (its Front has none).
TOTAL = 110 + 41 + 41 + 22 + 40 + 16 + 11
#: The zones' bodies' figures: the sums of their inputs' (Cát Hải's Đảng ủy 14+4+3, UBND
#: 12+10+8, Front 6+2); Bạch Long Vĩ's as they were.
FIGURES = {"hp-dk-blv-tu": 6, "hp-dk-blv-hdnd": 2, "hp-dk-blv-ubnd": 8, "hp-dk-blv-pnv": 3,
           "hp-dk-blv-mttq": 3, "hp-dk-ch-tu": 21, "hp-dk-ch-hdnd": 3, "hp-dk-ch-ubnd": 30,
           "hp-dk-ch-pnv": 5, "hp-dk-ch-mttq": 8}


baseline, reformed = case_fixtures("r_dac_khu", PLAN, AT)


def test_the_island_districts_become_commune_level_zones_under_the_city(reformed):
    state, log = reformed
    assert [e.summary for e in log] == [
        "2 districts dissolved on 2025-07-01 within hp; 8 of their bodies merged or moved up; "
        "2 became units of the commune level (hp-blv -> hp-dk-blv, hp-ch -> hp-dk-ch), "
        "10 bodies succeeded by theirs"]
    for zid, name in (("hp-dk-blv", "Đặc khu Bạch Long Vĩ"), ("hp-dk-ch", "Đặc khu Cát Hải")):
        z = state.get_unit(zid)
        assert (z.name, z.kind, z.level, z.area, state.parent(zid, AT)) == (
            name, "commune", "commune", "hp", "hp")
        assert z.valid_from is not None and str(z.valid_from) == "2025-07-01"
    assert not state.units(AT, level="district")
    for old in ("hp-blv", "hp-ch", "hp-ch-cb", "hp-ch-tc", "hp-hb", "hp-tl"):
        assert state.get_unit(old).valid_at(EVE) and not state.get_unit(old).valid_at(AT)
    # the city's communes: the four of the dissolved districts moved up, and the zones
    communes = sorted(u for u in state.children("hp", AT)
                      if state.get_unit(u).kind == "commune")
    assert communes == ["hp-dk-blv", "hp-dk-ch", "hp-hb-hvt", "hp-hb-mk", "hp-tl-ht",
                        "hp-tl-tt"]


def test_the_districts_bodies_become_the_zones_bodies_of_the_commune_level(reformed):
    state, log = reformed
    groups = dict(log[0].bodies)
    for bid, (name, parent, inputs) in ZONE_BODIES.items():
        b = state.get_unit(bid)
        assert (b.name, b.level, b.area, state.parent(bid, AT)) == (
            name, "commune", bid.rsplit("-", 1)[0], parent), bid
        assert list(groups[bid]) == inputs
        for old in inputs:
            assert not state.get_unit(old).valid_at(AT)
        assert state.headcount(bid, AT).headcount == FIGURES[bid]
    # their English names say the zone, not the district it was
    assert state.get_unit("hp-dk-ch-tu").name_en == "Cat Hai Special Zone Party Committee"
    assert state.get_unit("hp-dk-ch-ubnd").name_en == "Cat Hai Special Zone People's Committee"
    # the zones hold their bodies, as a commune does
    assert sorted(state.children("hp-dk-ch", AT)) == ["hp-dk-ch-hdnd", "hp-dk-ch-mttq",
                                                       "hp-dk-ch-ubnd"]
    # Cát Hải's district, township and commune posts came with them: 3 secretaries,
    # 2 chairs (the impact counts 2 + 1 as duplicates)
    roles = sorted((p.person_id, p.role) for p in state.posts(unit_id="hp-dk-ch-tu", at=AT))
    assert roles == [("p-07", "secretary"), ("p-09", "secretary"), ("p-10", "secretary")]
    # a village's Party cell (never paired) follows its Đảng ủy into the zone's, and the zone
    cell = state.get_unit("hp-ch-tc-lm")
    assert (cell.area, state.parent("hp-ch-tc-lm", AT)) == ("hp-dk-ch", "hp-dk-ch-tu")
    # the other districts' bodies merge into the city's, as without `become`; their
    # communes' Party committees now hang under the Thành ủy
    merged = sorted(ins for made, ins in log[0].bodies if made == "hp-tu")
    assert merged == [("hp-hb-tu",), ("hp-tl-tu",)]
    assert state.parent("hp-tl-ht-du", AT) == "hp-tu"
    # each zone's events: one CONSOLIDATE per body and one for the area and its communes,
    # on the resolution's basis; the first area's is the operation's own event
    events = {tuple(e.outputs): e for e in log[0].events}
    z = events[("hp-dk-ch",)]
    assert (z.type, list(z.inputs), list(z.basis)) == (
        "CONSOLIDATE", ["hp-ch", "hp-ch-cb", "hp-ch-tc"], ["nq-1669-2025-ubtvqh15"])
    assert events[("hp-dk-blv",)].id == "scenario-01"
    assert sorted(e.type for e in log[0].events) == (
        ["CONSOLIDATE"] * 12 + ["DISSOLVE"] * 2 + ["MERGE"] * 8 + ["MOVE"] * 2)


def test_the_impact_under_the_default_assumptions(baseline, reformed):
    state, log = reformed
    rep = impact(new_state(baseline, AT), state).to_dict()
    # 49 units; after: 4 communes of the dissolved districts with their 8 bodies, the 2
    # zones with their 10 bodies, the city and its 5 bodies, the cell, `vn` out of scope:
    # 4+8+2+10+6+1 = 31
    assert (rep["units"]["before"], rep["units"]["after"]) == (49, 31)
    assert rep["units"]["by_level"]["commune"] == {"before": 21, "after": 25, "change": 4}
    assert rep["units"]["by_kind"]["district"] == {"before": 4, "after": 0, "change": -4}
    hc = rep["headcount"]
    # savings: office_admin held by Cát Hải's three UBND: (3 - 1) x 2 x 0.5 = 2; two
    # secretaries removed in hp-dk-ch-tu and one chair in hp-dk-ch-ubnd; two secretaries
    # in the Thành ủy (Hồng Bàng's and Tiên Lãng's merged into it): 2 + 2 + 1 + 2 = 7
    assert (hc["before"], hc["after_recorded"], hc["saving_total"], hc["after"]) == (
        TOTAL, TOTAL, 7, TOTAL - 7)
    lead = rep["leadership"]
    # 11 leadership posts (posts.csv), 5 duplicates removed
    assert (lead["before"], lead["removed"], lead["after"]) == (11, 5, 6)
    assert sorted((d["unit"], d["duplicates"]) for d in lead["duplicated"]) == [
        ("hp-dk-ch-tu", 2), ("hp-dk-ch-ubnd", 1), ("hp-tu", 2)]
    assert rep["party"]["committees"]["started"] == ["hp-dk-blv-tu", "hp-dk-ch-tu"]
    assert sorted(rep["party"]["committees"]["ended"]) == [
        "hp-blv-tu", "hp-ch-cb-du", "hp-ch-tc-du", "hp-ch-tu", "hp-hb-tu", "hp-tl-tu"]
    assert rep["warnings"] == ["no headcount figure for hp-ch-tc-mttq on 2025-07-01: "
                               "hp-dk-ch-mttq's figure counts only the others"]


def test_the_scenario_passes_the_loaders_rules_as_a_commit_checks_them(reformed):
    state, _ = reformed
    _, problems = check_dataset(state.dataset())
    assert problems == []


def _ops(**become):
    return [{"op": "dissolve_level", "level": "district", "within": "hp", "bodies": "merge",
             "become": [{"area": "hp-ch", "new": {"id": "hp-dk-ch", "name": "Đặc khu Cát Hải"},
                         **become}]}]


def test_a_malformed_become_is_a_422_naming_the_operation_and_field():
    with pytest.raises(InvalidParameter) as exc:
        parse_operations([{"op": "dissolve_level", "level": "district", "become": [
            {"area": "hp-ch", "new": {"id": "hp-dk-ch", "name": "Đặc khu Cát Hải",
                                      "kind": "district"}},
            {"area": "hp-ch", "new": {"id": "hp-dk-ch", "name": "x"}, "extra": 1},
            {"new": {"id": "hp-dk-x", "name": "x"}},
        ]}])
    got = {(e["field"], e["message"]) for e in exc.value.errors}
    assert ("become[0].new.kind",
            "a district that becomes a unit of the level below is a commune") in got
    assert ("become[2].area", "is required") in got
    assert any(f == "become[1].extra" for f, _ in got)
    assert ("become", "area hp-ch is listed twice") in got
    assert ("become", "new.id hp-dk-ch is listed twice") in got
    assert str(exc.value).startswith("operation 1 (dissolve_level): become[0].new.kind")
    with pytest.raises(InvalidParameter, match="become: a commune has no level below"):
        parse_operations([{"op": "dissolve_level", "level": "commune",
                           "become": [{"area": "x", "new": {"id": "y", "name": "z"}}]}])


def test_a_become_that_does_not_fit_is_a_409_naming_the_field(baseline):
    with pytest.raises(Conflict) as exc:
        apply(new_state(baseline, AT), parse_operations(
            [{**_ops()[0], "become": [{"area": "hp-ch-cb", "new": {"id": "z", "name": "Z"}}]}]))
    assert str(exc.value).startswith("operation 1 (dissolve_level): become[0].area: hp-ch-cb "
                                     "is not a district within hp on 2025-07-01")
    assert exc.value.errors[0]["field"] == "become[0].area"
    with pytest.raises(Conflict) as exc:
        apply(new_state(baseline, AT), parse_operations(_ops(names={"hp-ch-cb-du": "X"})))
    assert "become[0].names: hp-ch-cb-du is not a body of hp-ch on 2025-07-01" in str(exc.value)
    with pytest.raises(Conflict, match="id hp-tu"):
        apply(new_state(baseline, AT), parse_operations(
            [{**_ops()[0], "become": [{"area": "hp-ch", "new": {"id": "hp-tu", "name": "Z"}}]}]))


def test_a_become_is_kept_as_written_and_read_back():
    op = read_plan(PLAN).operations[0]
    again = parse_operations([operation_to_dict(op)])[0]
    assert again == op
    assert operation_to_dict(op)["become"][1] == {
        "area": "hp-ch", "new": {"id": "hp-dk-ch", "name": "Đặc khu Cát Hải",
                                 "name_en": "Cat Hai Special Zone"}}


def test_names_give_a_body_the_name_the_plan_says(baseline):
    state, _ = apply(new_state(baseline, AT), parse_operations(
        _ops(names={"hp-ch-mttq": "Ủy ban Mặt trận Tổ quốc Việt Nam đặc khu Cát Hải"})))
    assert state.get_unit("hp-dk-ch-mttq").name == \
        "Ủy ban Mặt trận Tổ quốc Việt Nam đặc khu Cát Hải"
    assert state.get_unit("hp-dk-ch-tu").name == "Đảng ủy đặc khu Cát Hải"


def test_bodies_end_mode_ends_only_the_dissolved_districts_bodies(baseline):
    ops = _ops()
    ops[0]["bodies"] = "end"
    state, log = apply(new_state(baseline, AT), parse_operations(ops))
    assert not state.get_unit("hp-hb-tu").valid_at(AT)
    assert state.get_unit("hp-dk-ch-tu").valid_at(AT)
    assert state.headcount("hp-dk-ch-tu", AT).headcount == 21
    # Bạch Long Vĩ is not listed: it is dissolved like any district, its bodies with it
    assert not state.get_unit("hp-blv-tu").valid_at(AT)
    assert state.get_unit("hp-dk-blv") is None


def test_lower_level_name():
    assert lower_level_name("Huyện ủy Cát Hải", "Huyện Cát Hải", "Đặc khu Cát Hải") == \
        "Đảng ủy đặc khu Cát Hải"
    assert lower_level_name("Ban Tổ chức Huyện ủy Cát Hải", "Huyện Cát Hải",
                            "Đặc khu Cát Hải") == "Ban Tổ chức Đảng ủy đặc khu Cát Hải"
    # the Youth Union's committee too, as a commune-level one is named
    assert lower_level_name("Huyện đoàn Cát Hải", "Huyện Cát Hải", "Đặc khu Cát Hải") == \
        "Đoàn đặc khu Cát Hải"
    assert lower_level_name("Ban Thường vụ Huyện đoàn Cát Hải", "Huyện Cát Hải",
                            "Đặc khu Cát Hải") == "Ban Thường vụ Đoàn đặc khu Cát Hải"
    # a name without the committee words, or an area whose kind names its committee, as it is
    assert lower_level_name("UBND đặc khu Cát Hải", "Huyện Cát Hải", "Đặc khu Cát Hải") == \
        "UBND đặc khu Cát Hải"
    assert lower_level_name("Tỉnh ủy Hà Nam", "Tỉnh Hà Nam", "Thành phố Hà Nam") == \
        "Tỉnh ủy Hà Nam"
