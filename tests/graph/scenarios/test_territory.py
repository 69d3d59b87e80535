"""Territorial consolidation brings the bodies along (tests/data/t_provinces).

Two provinces, An Hà (`pa`, a province) and Bắc Sơn (`pb`, a city: `Thành ủy`, `thành
phố`), each with a Party Committee (4 boards / offices, a Party cell), a People's Council,
a People's Committee (2 departments; An Hà has a third, Foreign Affairs, with no peer;
Bắc Sơn's People's Committee has an id that does not start with its area's), a Front
with 3 mass organisations; one district each (Party Committee with a board, People's
Committee with 2 offices), communes whose Party Committees hang under the district's.
Leadership posts: 17 per province (secretary, standing deputy, People's Council chair,
People's Committee chair and vice-chair, 6 heads, Front chair, 3 mass-org chairs).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.errors import Conflict
from graph.scenarios import apply, new_state
from graph.scenarios.commit import validated_dataset
from graph.scenarios.impact import impact
from graph.scenarios.territory import name_key, pair, place_of
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data" / "t_provinces"
AT = "2025-07-01"
CONSOLIDATE = {"op": "consolidate", "units": ["pa", "pb"],
               "new": {"id": "pn", "name": "Tỉnh An Sơn", "name_en": "An Son Province"}}


@pytest.fixture(scope="module")
def provinces():
    return MemoryGraph(read_dataset(DATA))


def consolidated_then_dissolved(reader, mode):
    """The two provinces consolidated, then the district level within the new one
    dissolved with its bodies ended or merged: (state, log, the date to read it at)."""
    ops = [CONSOLIDATE, {"op": "dissolve_level", "level": "district", "within": "pn",
                         "bodies": mode}]
    state, log = apply(new_state(reader, AT), ops)
    return state, log, state.effective_at


def bodies_of(state, area, at):
    return [u for u in state.units(at) if u.area == area]


def test_name_keys_drop_the_place_and_its_territorial_words():
    assert place_of("Tỉnh Sơn Hòa") == "Sơn Hòa"
    assert place_of("Thành phố Móng Cái") == "Móng Cái"
    assert name_key("Ban Tổ chức Tỉnh ủy An Hà", "Tỉnh An Hà") == ("ban", "to", "chuc")
    assert name_key("Ban Tổ chức Thành ủy Bắc Sơn", "Thành phố Bắc Sơn") == ("ban", "to", "chuc")
    assert name_key("Tỉnh ủy An Hà", "Tỉnh An Hà") == ()
    assert name_key("Đảng ủy xã Đông Một", "Xã Đông Một") == ("dang",)
    # the place absent: the territorial words at the end go
    assert name_key("Ban Tổ chức Thành ủy", "Thành phố Mẫu") == ("ban", "to", "chuc")
    # `xã hội` (social) is not a territorial word when it is not next to the place
    assert name_key("Phòng Lao động - Thương binh và Xã hội huyện Đông", "Huyện Đông") == (
        "phong", "lao", "dong", "thuong", "binh", "va", "xa", "hoi")


def test_pairing_by_kind_then_name(provinces):
    a = [provinces.get_unit(i) for i in ("pa-snv", "pa-stc", "pa-sngv")]
    b = [provinces.get_unit(i) for i in ("pb-stc", "pb-snv")]
    keys = {u.id: name_key(u.name, provinces.get_unit(u.area).name) for u in a + b}
    groups = [[u.id for u in g] for g in pair([a, b], keys)]
    assert groups == [["pa-snv", "pb-snv"], ["pa-stc", "pb-stc"], ["pa-sngv"]]


def test_consolidating_two_provinces_consolidates_their_bodies(provinces):
    state, log = apply(new_state(provinces, AT), [CONSOLIDATE])
    at = state.effective_at
    entry = log[0]
    mine = bodies_of(state, "pn", at)
    top = [u for u in mine if u.level == "province"]
    kinds = Counter(u.kind for u in top)
    # one body of each kind afterwards ...
    for kind in ("party_committee", "people_council", "government", "front",
                 "inspection_committee", "party_office"):
        assert kinds[kind] == 1, kind
    assert kinds["mass_org"] == 3 and kinds["party_board"] == 2
    # ... the department without a peer kept as it is, in the new area
    assert kinds["department"] == 3
    assert entry.unpaired == (("pa-sngv", "pa", "pn"),)
    assert state.get_unit("pa-sngv").valid_to is None
    assert state.parent("pa-sngv", at) == "pn-ubnd"
    # re-parented as the inputs were, named after the new area
    assert state.parent("pn-tu", at) == "pn" and state.parent("pn-btc", at) == "pn-tu"
    assert state.parent("pn-ld", at) == "pn-mttq" and state.parent("pn-snv", at) == "pn-ubnd"
    assert state.get_unit("pn-btc").name == "Ban Tổ chức Tỉnh ủy An Sơn"
    assert state.get_unit("pn-ubnd").name == "Ủy ban nhân dân tỉnh An Sơn"
    assert ("pn-ubnd", ("pa-ubnd", "ubnd-bac-son")) in entry.bodies
    # the old bodies end, the Party cells move with their office
    for old in ("pa-tu", "pb-tu", "pa-hdnd", "ubnd-bac-son", "pb-ld", "pb-snv"):
        assert not state.get_unit(old).valid_at(at)
    assert state.parent("pa-cb-vp", at) == "pn-vp" and state.get_unit("pa-cb-vp").area == "pn"
    # nothing left pointing at an ended area
    for u in state.units(at):
        assert u.area not in ("pa", "pb"), u.id
    validated_dataset(state)  # the result keeps the data contract


def test_the_impact_covers_the_bodies(provinces):
    state, _ = apply(new_state(provinces, AT), [CONSOLIDATE])
    r = impact(provinces, state).to_dict()
    lead = r["leadership"]
    # two secretaries -> one, two chairs -> one ...: 14 single-holder posts duplicated
    assert lead["before"] == 34 and lead["removed"] == 14 and lead["after"] == 20
    assert {"unit": "pn-tu", "role": "secretary", "people": ["ng001", "ng015"],
            "duplicates": 1} in lead["duplicated"]
    h = r["headcount"]
    assert h["before"] == h["after_recorded"] == 795  # people are conserved by the merge
    assert h["after"] < h["before"] and h["saving_total"] == 795 - h["after"]
    # duplicated functions of the merged bodies
    dup = {(d["unit"], d["function"]) for d in r["functions"]["duplicated"]}
    assert {("pn-vp", "office_admin"), ("pn-btc", "personnel"), ("pn-hdnd", "legal")} <= dup
    assert r["bodies"]["unpaired"] == [{"unit": "pa-sngv", "from_area": "pa",
                                        "to_area": "pn", "operation": 1}]
    assert r["bodies"]["merged"] >= 13
    by_kind = r["units"]["by_kind"]
    assert by_kind["party_committee"]["change"] == -1
    assert by_kind["people_council"] == {"before": 2, "after": 1, "change": -1}


def test_bodies_keep_opts_out(provinces):
    state, log = apply(new_state(provinces, AT), [dict(CONSOLIDATE, bodies="keep")])
    assert log[0].bodies == () and state.get_unit("pa-tu").valid_to is None
    assert state.get_unit("pa-tu").area == "pa"


def test_merging_an_area_into_another_merges_its_bodies_into_the_peers(provinces):
    state, log = apply(new_state(provinces, AT), [{"op": "merge", "into": "pa",
                                                   "units": ["pb"]}])
    at = state.effective_at
    assert ("pa-tu", ("pb-tu",)) in log[0].bodies
    assert not state.get_unit("pb-btc").valid_at(at) and state.get_unit("pa-btc").valid_at(at)
    assert sorted(p.person_id for p in state.posts(unit_id="pa-tu", at=at)
                  if p.role == "secretary") == ["ng001", "ng015"]
    assert state.get_unit("pb-cb-vp").area == "pa"


@pytest.mark.parametrize("mode", ["end", "merge"])
def test_dissolving_the_district_level_moves_the_communes_up(provinces, mode):
    state, log, at = consolidated_then_dissolved(provinces, mode)
    for d in ("pa-d1", "pb-d1", "pa-d1-hu", "pa-d1-ubnd", "pb-d1-pnv"):
        assert not state.get_unit(d).valid_at(at), d
    # communes under the province, commune Party Committees under the province's
    for c in ("pa-d1-c1", "pa-d1-c2", "pb-d1-c1"):
        assert state.parent(c, at) == "pn"
        assert state.parent(f"{c}-du", at) == "pn-tu"
        assert [r.target_id for r in state.relations(f"{c}-ubnd", at, types=("GUIDED_BY",))] \
            == ["pn-ubnd"]
    r = impact(provinces, state).to_dict()
    if mode == "end":
        assert r["headcount"]["after_recorded"] == 795 - 2 * (8 + 5 + 10 + 7)
    else:
        # the offices merge into their provincial peers; the one without a peer moves up
        assert ("pn-snv", ("pa-d1-pnv",)) in log[1].bodies
        assert r["headcount"]["after_recorded"] == 795
        assert state.get_unit("pa-d1-pyt").area == "pn"
        assert state.parent("pa-d1-pyt", at) == "pn-ubnd"
    validated_dataset(state)


def test_consolidating_communes_pairs_their_bodies_where_they_hang(provinces):
    ops = [CONSOLIDATE, {"op": "dissolve_level", "level": "district", "within": "pn"},
           {"op": "consolidate", "units": ["pa-d1-c1", "pa-d1-c2"],
            "new": {"id": "xm", "name": "Xã Đông Mới"}}]
    state, log = apply(new_state(provinces, AT), ops)
    at = state.effective_at
    assert dict(log[2].bodies) == {"xm-ubnd": ("pa-d1-c1-ubnd", "pa-d1-c2-ubnd"),
                                   "xm-du": ("pa-d1-c1-du", "pa-d1-c2-du")}
    assert state.get_unit("xm-du").name == "Đảng ủy xã Đông Mới"
    assert state.parent("xm-du", at) == "pn-tu"
    # the village cells are not merged: both follow the new Party Committee
    assert sorted(state.children("xm-du", at)) == ["pa-d1-c1-cb1", "pa-d1-c2-cb1"]


def test_dissolving_a_level_with_nothing_to_dissolve_is_a_conflict(provinces):
    with pytest.raises(Conflict, match="no unit of kind and level district within pa-btc"):
        apply(new_state(provinces, AT), [{"op": "dissolve_level", "level": "district",
                                          "within": "pa-btc"}])


def test_a_what_if_from_before_a_recorded_reform_names_what_it_overrides(tmp_path):
    """The baseline records the two provinces consolidating on 2025-07-01; a scenario dated
    2025-01-01 merges them otherwise: the recorded consolidation is overridden."""
    import shutil
    folder = tmp_path / "recorded"
    shutil.copytree(DATA, folder)
    with open(folder / "units.csv", "a", encoding="utf-8") as f:
        f.write("px,Tỉnh Ghi Nhận,,,province,province,,2025-07-01,,,test\n")
    (folder / "events.csv").write_text(
        "id,date,type,inputs,outputs,basis,description,source\n"
        "ev-2025,2025-07-01,CONSOLIDATE,pa;pb,px,,recorded,test\n", encoding="utf-8")
    graph = MemoryGraph(read_dataset(folder))
    assert graph.get_unit("pa").valid_to is not None
    state, log = apply(new_state(graph, "2025-01-01"), [dict(CONSOLIDATE)])
    assert "ev-2025" in log[0].overrides
    r = impact(graph, state).to_dict()
    assert r["overrides"] == [{"event": "ev-2025", "type": "CONSOLIDATE",
                               "date": "2025-07-01", "operation": 1}]
    assert state.get_unit("pn-tu").valid_at(state.effective_at)
    assert any("ev-2025" in w and "px" in w for w in r["warnings"])


@pytest.fixture(scope="module")
def party_line():
    """The same provinces with each district's Party Committee on the Party's own line:
    PART_OF the provincial Party Committee (as the bundled data has Móng Cái's under
    Quảng Ninh's), not PART_OF its district."""
    data = read_dataset(DATA)
    up = {"pa-d1-hu": "pa-tu", "pb-d1-hu": "pb-tu"}
    rels = tuple(dataclasses.replace(r, target_id=up[r.source_id])
                 if r.type == "PART_OF" and r.source_id in up else r for r in data.relations)
    return MemoryGraph(dataclasses.replace(data, relations=rels))


@pytest.mark.parametrize("mode", ["end", "merge"])
def test_a_district_party_committee_under_the_provinces_is_paired_with_it(party_line, mode):
    state, log, at = consolidated_then_dissolved(party_line, mode)
    assert state.parent("pa-d1-hu", dt.date(2025, 6, 30)) == "pa-tu"  # the past is kept
    for c in ("pa-d1-c1", "pa-d1-c2", "pb-d1-c1"):
        assert state.parent(c, at) == "pn"
        # the communes' Party Committees follow their district's into the Tỉnh ủy
        assert state.parent(f"{c}-du", at) == "pn-tu", c
    for d in ("pa-d1-hu", "pb-d1-hu", "pa-d1-btc"):
        assert not state.get_unit(d).valid_at(at), d
    if mode == "merge":
        # the Huyện ủy is absorbed into the Tỉnh ủy, its board into the Tỉnh ủy's board
        assert ("pn-tu", ("pa-d1-hu",)) in log[1].bodies
        assert ("pn-tu", ("pb-d1-hu",)) in log[1].bodies
        assert ("pn-btc", ("pa-d1-btc",)) in log[1].bodies
        assert not [u for u in log[1].unpaired if u[0].endswith("-hu")]
    validated_dataset(state)


def test_bodies_that_hang_nowhere_pair_as_if_under_their_area():
    """A source that names a People's Committee but not what it is part of: the two
    provinces' committees still pair (and the departments under them), and the body they
    form hangs nowhere either."""
    data = read_dataset(DATA)
    loose = {"pa-ubnd", "ubnd-bac-son"}
    rels = tuple(r for r in data.relations
                 if not (r.type == "PART_OF" and r.source_id in loose))
    reader = MemoryGraph(dataclasses.replace(data, relations=rels))
    state, log = apply(new_state(reader, AT), [CONSOLIDATE])
    at = state.effective_at
    groups = dict(log[0].bodies)
    assert groups["pn-ubnd"] == ("pa-ubnd", "ubnd-bac-son")
    assert groups["pn-snv"] == ("pa-snv", "pb-snv")  # paired below them, as usual
    assert state.parent("pn-ubnd", at) is None
    assert state.parent("pn-snv", at) == "pn-ubnd"
    assert not [u for u in log[0].unpaired if u[0] in loose]
    validated_dataset(state)


@pytest.fixture(scope="module")
def areas_named():
    """The same provinces with each district's `area` naming its province and each
    commune's its district (as the bundled data records Móng Cái's and Na Hang's)."""
    data = read_dataset(DATA)
    area = {"pa-d1": "pa", "pb-d1": "pb", "pa-d1-c1": "pa-d1", "pa-d1-c2": "pa-d1",
            "pb-d1-c1": "pb-d1"}
    units = tuple(dataclasses.replace(u, area=area[u.id]) if u.id in area else u
                  for u in data.units)
    return MemoryGraph(dataclasses.replace(data, units=units))


@pytest.mark.parametrize("mode", ["end", "merge"])
def test_areas_that_name_their_area_are_not_its_bodies(provinces, areas_named, mode):
    # A district is an area under its province, a commune under its district: never paired
    # as bodies (the two districts, alone of their kind, were consolidated into one), never
    # ended with a dissolved district's bodies; they move up with their area.
    plain, plain_log, at = consolidated_then_dissolved(provinces, mode)
    state, log, _ = consolidated_then_dissolved(areas_named, mode)
    for entry, plain_entry in zip(log, plain_log):
        assert entry.bodies == plain_entry.bodies
        assert {u for u, *_ in entry.unpaired} == {u for u, *_ in plain_entry.unpaired}
    assert not {"pa-d1", "pb-d1"} & {u for u, *_ in log[0].unpaired}
    assert [u.id for u in state.units(at, kind="district")] == []
    for c in ("pa-d1-c1", "pa-d1-c2", "pb-d1-c1"):
        assert state.get_unit(c).valid_at(at), c
        assert state.parent(c, at) == "pn"
        assert state.get_unit(c).area == "pn"
    assert impact(areas_named, state).to_dict()["headcount"] == \
        impact(provinces, plain).to_dict()["headcount"]
    validated_dataset(state)
