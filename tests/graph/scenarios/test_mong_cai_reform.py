"""The 2025 reform of Móng Cái and Hải Hà (Quảng Ninh) on tests/data/r_mong_cai, as a
planner writes it (tests/data/r_mong_cai_plans): the district level ends, then the wards
and communes are regrouped from an annex-style table naming the old units by name. The
figures are worked out by hand from the CSV files (see each test)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.dates import PartialDate
from graph.scenarios import apply, new_state
from graph.scenarios.apply import OperationConflict
from graph.scenarios.commit import validated_dataset
from graph.scenarios.files import read_plan
from graph.scenarios.impact import impact
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
PLANS = DATA / "r_mong_cai_plans"
DAY = dt.date(2025, 7, 1)
#: new commune -> the old ones (communes.csv, by name)
GROUPS = {
    "qn-p-mong-cai-1": ["mc-tran-phu", "mc-ka-long", "mc-hoa-lac", "mc-ninh-duong", "mc-hai-xuan"],
    "qn-p-mong-cai-2": ["mc-hai-hoa", "mc-binh-ngoc", "mc-tra-co", "mc-van-ninh"],
    "qn-p-mong-cai-3": ["mc-hai-yen", "mc-hai-dong"],
    "qn-x-hai-son": ["mc-hai-son", "mc-bac-son"],
    "qn-x-hai-ninh": ["mc-hai-tien", "mc-quang-nghia"],
    "qn-x-vinh-thuc": ["mc-vinh-trung", "mc-vinh-thuc"],
    "qn-x-quang-ha": ["hh-quang-ha", "hh-quang-minh", "hh-quang-long"],
    "qn-x-duong-hoa": ["hh-duong-hoa", "hh-quang-phong", "hh-quang-nghia"],
}


@pytest.fixture(scope="module")
def baseline():
    return MemoryGraph(read_dataset(DATA / "r_mong_cai"))


def run(baseline, plan_file: str):
    plan = read_plan(PLANS / plan_file)
    state, log = apply(new_state(baseline, plan.at), plan.operations)
    return state, log


def test_the_reform_as_a_planner_works_it_out(baseline):
    state, log = run(baseline, "reform.yaml")
    validated_dataset(state)  # the contract holds
    assert state.units(DAY, kind="district") == []
    # the communes by name: `Hoà Lạc` is Hòa Lạc, `Quảng Nghĩa` the one `within` names
    made = {e.outputs[0]: list(e.inputs) for e in log[1].events
            if e.type == "CONSOLIDATE" and e.outputs[0] in GROUPS}
    assert made == GROUPS
    assert sorted(state.children("qn", DAY)) == sorted(
        [*GROUPS, "qn-tu", "qn-hdnd", "qn-ubnd", "qn-mttq", "qn-hlhpn", "qn-tdoan"])
    for new, old in GROUPS.items():
        bodies = Counter(u.kind for u in state.units(DAY, area=new))
        for kind in ("party_committee", "people_council", "government", "front"):
            assert bodies[kind] == 1, (new, kind)
        assert bodies["party_cell"] == 2 * len(old)  # two cells in each old commune
        (du,) = state.units(DAY, kind="party_committee", area=new)
        assert state.parent(du.id, DAY) == "qn-tu"  # the Party's line: under the Tỉnh ủy
        cells = sorted(state.children(du.id, DAY))
        assert cells == sorted(f"{o}-cb{k}" for o in old for k in (1, 2))
    # the city's and the district's own bodies end, with their posts
    for d in ("mc", "hh"):
        for suffix in ("tu", "btc", "ubkt", "vp", "btgdv", "hdnd", "ubnd", "pnv", "ptckh",
                       "vphu", "mttq", "hlhpn"):
            assert not state.get_unit(f"{d}-{suffix}").valid_at(DAY)
            assert state.posts(unit_id=f"{d}-{suffix}", at=DAY) == []
    r = impact(baseline, state).to_dict()
    assert r["units"]["before"] == 232 and r["units"]["after"] == 114
    h = r["headcount"]
    # 1056 = province 407 + Móng Cái's bodies 117 + Hải Hà's 93 + 8 wards × 20
    #        + 15 communes × 18 + 9 youth unions; the district bodies' 210 people go;
    # savings: (n − 1) × 2 support functions × 2 staff × 0.5 = 30, plus 4 single-holder
    # posts × (n − 1) = 60 duplicated leadership posts (sum of n − 1 over the 8 rows: 15)
    assert (h["before"], h["after_recorded"], h["saving_total"], h["after"]) == \
        (1056, 846, 90, 756)
    lead = r["leadership"]
    assert (lead["before"], lead["after_recorded"], lead["after"]) == (138, 120, 60)
    # 5 bodies × 8 new communes + 2 youth unions brought together from 119; 5 youth unions
    # without a peer move as they are
    groups = r["bodies"]["groups"]
    assert (len(groups), sum(len(g["from"]) for g in groups), len(r["bodies"]["unpaired"])) \
        == (42, 119, 5)


def test_merged_bodies_without_a_peer_stay_apart(baseline):
    """bodies: merge. Neither district's Văn phòng HĐND và UBND has a peer in the province:
    each moves up as it is, beside the other, neither absorbed into the other."""
    state, log = run(baseline, "reform_merge.yaml")
    validated_dataset(state)
    for office in ("mc-vphu", "hh-vphu"):
        assert state.get_unit(office).valid_at(DAY), office
        assert state.parent(office, DAY) == "qn-ubnd"
        assert state.get_unit(office).area == "qn"
    merges = {(tuple(e.inputs), e.outputs[0]) for e in log[0].events if e.type == "MERGE"}
    assert (("mc-vphu",), "hh-vphu") not in merges
    assert (("mc-pnv",), "qn-snv") in merges and (("hh-pnv",), "qn-snv") in merges
    assert {u for u, _, _ in log[0].unpaired} == {"mc-vphu", "hh-vphu"}
    # every other district body merged into the province's peer: 11 + 11
    assert len(merges) == 22
    # the people go with their bodies (1056 recorded after as before); savings by hand:
    # province level: office_admin of qn-vp held by 3 and finance_accounting of qn-stc by
    # 3: 2 × (3 − 1) × 2 × 0.5 = 4; single-holder posts: qn-tu 2 secretaries + 1 standing
    # deputy, 2 chairs each in qn-hdnd, qn-ubnd, qn-mttq, 2 heads in qn-btc, 1 each in
    # qn-snv and qn-stc = 13; the communes' 90 as with bodies: end. 1056 − 107 = 949.
    h = impact(baseline, state).to_dict()["headcount"]
    assert (h["before"], h["after_recorded"], h["saving_total"], h["after"]) == \
        (1056, 1056, 107, 949)
    # and the summary counts both: 22 merged, 2 moved up
    assert log[0].summary == ("2 districts dissolved on 2025-07-01 within qn; 24 of their "
                              "bodies merged or moved up")


@pytest.mark.parametrize("dissolve_first", [True, False])
def test_a_selector_takes_every_commune_of_a_district(baseline, dissolve_first):
    """selector.yaml: the district level ends, then `select: {kind: commune, within: hh}`
    takes Hải Hà's communes, as the annex names them by their district (which ends that
    day, as the mapping table's `within` allows); in either order."""
    plan = read_plan(PLANS / "selector.yaml")
    ops = plan.operations if dissolve_first else plan.operations[::-1]
    state, log = apply(new_state(baseline, plan.at), ops)
    entry = log[1] if dissolve_first else log[0]
    (made,) = [e for e in entry.events
               if e.type == "CONSOLIDATE" and list(e.outputs) == ["qn-x-hai-ha"]]
    assert list(made.inputs) == ["hh-duong-hoa", "hh-quang-ha", "hh-quang-long",
                                 "hh-quang-minh", "hh-quang-nghia", "hh-quang-phong"]
    assert state.parent("qn-x-hai-ha", DAY) == "qn"
    assert [u.id for u in state.units(DAY, kind="party_committee", area="qn-x-hai-ha")] == \
        ["qn-x-hai-ha-du"]
    assert state.parent("qn-x-hai-ha-du", DAY) == "qn-tu"
    validated_dataset(state)


def test_a_selector_within_an_area_ended_before_the_date_is_refused(baseline):
    plan = read_plan(PLANS / "selector.yaml")
    later = dataclasses.replace(plan.operations[1], date=PartialDate.parse("2025-07-02"))
    with pytest.raises(OperationConflict) as exc:
        apply(new_state(baseline, plan.at), (plan.operations[0], later))
    assert "select.within hh does not exist on 2025-07-02" in str(exc.value)


def test_an_old_commune_ends_in_its_own_district(baseline):
    """The district level ends first (its communes move up to the province on 2025-07-01),
    then the communes are consolidated that same day: a commune never was in the province
    while it existed, so it ends with its district as its area, without a dated row."""
    state, _ = run(baseline, "reform.yaml")
    for old in [o for olds in GROUPS.values() for o in olds]:
        u = state.get_unit(old)
        assert (u.area, str(u.valid_to)) == (old.split("-")[0], "2025-07-01"), old
        assert state.unit_names(old) == [], old
    # the cells that go on keep their dated area: the old commune until the date
    (row,) = state.unit_names("mc-ka-long-cb1")
    assert (row.area, str(row.valid_to)) == ("mc-ka-long", "2025-07-01")
    assert state.get_unit("mc-ka-long-cb1").area == "qn-p-mong-cai-1"
    validated_dataset(state)


def test_bodies_that_end_are_counted_wherever_they_hang():
    """The same data without the Party's line (the Thành ủy and the Huyện ủy have no
    PART_OF row to the Tỉnh ủy, as a source may leave it out): with bodies: end, their
    committees and boards still end, and the report counts them before, as it counts
    every unit that ends (232 units and 1056 people before, as with the line)."""
    dataset = read_dataset(DATA / "r_mong_cai")
    loose = MemoryGraph(dataclasses.replace(dataset, relations=tuple(
        r for r in dataset.relations if r.source_id not in ("mc-tu", "hh-tu"))))
    state, log = run(loose, "reform.yaml")
    assert {"mc-tu", "mc-btc", "hh-tu", "hh-vp"} <= set(log[0].ended)
    r = impact(loose, state).to_dict()
    assert (r["units"]["before"], r["units"]["after"]) == (232, 114)
    h = r["headcount"]
    assert (h["before"], h["after_recorded"], h["after"]) == (1056, 846, 756)
