"""The query API on the bundled dataset (data/seed): what the seed reports say, asked
through HTTP. Móng Cái's consolidations of 7/8/2018, the Quảng Ninh bloc agency's Party
cells rearranged on 11/2/2020, concurrent posts, search in Vietnamese and English."""

from __future__ import annotations

import pytest


def ids(items):
    return [i["id"] if "id" in i else i["unit"]["id"] for i in items]


@pytest.mark.parametrize("at,expected", [
    ("2018-08-06", ["mc-ban-dan-van", "mc-ban-to-chuc", "mc-ban-tuyen-giao", "mc-trung-tam-bdct",
                    "mc-ubkt", "mc-van-phong-tu"]),
    ("2018-08-07", ["mc-ban-dan-van", "mc-ban-tuyen-giao", "mc-to-chuc-noi-vu",
                    "mc-trung-tam-bdct", "mc-ubkt-thanh-tra", "mc-van-phong-tu"]),
])
def test_mong_cai_party_committee_the_day_before_and_the_day_of_the_consolidations(seed, at,
                                                                                   expected):
    assert ids(seed.get("/units/mc-tu/children", params={"at": at}).json()["items"]) == expected


def test_the_merged_organisation_home_affairs_unit_lists_both_former_units(seed):
    body = seed.get("/units/mc-to-chuc-noi-vu/lineage").json()
    preds = {(i["unit"]["id"], i["depth"], i["event"]["type"]) for i in body["predecessors"]}
    assert preds == {("mc-ban-to-chuc", 1, "CONSOLIDATE"), ("mc-phong-noi-vu", 1, "CONSOLIDATE")}
    codes = [d["code"] for d in body["predecessors"][0]["event"]["documents"]]
    assert codes == ["18-NQ/TW", "19-NQ/TW"]
    successors = seed.get("/units/mc-phong-noi-vu/lineage").json()["successors"]
    assert ids(successors) == ["mc-to-chuc-noi-vu"]


def test_the_former_board_is_a_404_on_the_day_it_was_consolidated(seed):
    r = seed.get("/units/mc-ban-to-chuc", params={"at": "2018-08-07"})
    assert r.status_code == 404
    assert "existed from an unknown date until 2018-08-07 (exclusive)" in r.json()["detail"]
    assert seed.get("/units/mc-ban-to-chuc", params={"at": "2018-08-06"}).status_code == 200


def test_the_merged_unit_serves_the_peoples_committee_and_is_guided_by_the_province(seed):
    body = seed.get("/units/mc-to-chuc-noi-vu", params={"at": "2018-08-07"}).json()
    assert body["parent"]["id"] == "mc-tu"
    assert ids(body["serves"]) == ["mc-ubnd"] and ids(body["guided_by"]) == ["qn-ban-to-chuc"]


def test_the_training_function_moves_to_the_propaganda_board(seed):
    def functions(at):
        body = seed.get("/units/mc-ban-tuyen-giao", params={"at": at}).json()
        return sorted(f["function"] for f in body["functions"])
    assert functions("2018-08-06") == ["propaganda"]
    assert functions("2018-08-07") == ["propaganda", "training"]


@pytest.mark.parametrize("at", ["2020-02-10", "2020-02-11", "2024-01-01"])
def test_the_bloc_agency_party_organisation_keeps_9_cells_4_and_2_is_a_plan(seed, at):
    """Seed 000: the regrouping is only planned ('dự kiến'): the baseline keeps 9 cells; the
    plan plans/qn-ckhoi-2020-regroup.yaml, read as a scenario, gives 4 cells + 2 committees."""
    tree = seed.get("/units/qn-ckhoi-dang-bo/subtree", params={"at": at}).json()
    assert len(tree["children"]) == tree["child_count"] == 9
    assert {c["unit"]["kind"] for c in tree["children"]} == {"party_cell"}
    assert {c["parent_source"] for c in tree["children"]} == {"seed:000"}
    planned = seed.get("/scenarios/qn-ckhoi-2020-regroup/units/qn-ckhoi-dang-bo/subtree",
                       params={"at": "2020-02-11"}).json()
    kinds = sorted(c["unit"]["kind"] for c in planned["children"])
    assert kinds == ["party_cell"] * 4 + ["party_committee"] * 2


def test_the_shared_bloc_agency_headcount_21_in_2018_unknown_in_2015(seed):
    """Seed 001: 21 in 2018, "14 fewer than in 2015", when the agency did not exist yet;
    so 2015 is unknown for the agency and the change is unknown, not +21."""
    diff = seed.get("/diff", params={"from": "2015-06-01", "to": "2018-06-01",
                                     "root": "mc-co-quan-khoi"}).json()
    assert [(h["unit"]["id"], h["before"], h["after"], h["change"]) for h in diff["headcount"]] == [
        ("mc-co-quan-khoi", None, 21, None)]


def test_concurrent_posts_of_the_provincial_secretary(seed):
    person = seed.get("/people/nguyen-van-doc").json()
    assert person["name"] == "Nguyễn Văn Đọc"
    assert {(p["unit_id"], p["role"]) for p in person["concurrent"][0]["posts"]} == {
        ("qn-tu", "secretary"), ("qn-hdnd", "chair")}
    stats = seed.get("/stats", params={"at": "2018-08-07"}).json()
    assert "nguyen-van-doc" in ids(stats["concurrent_sample"])
    assert stats["people_with_concurrent_posts"] >= 1


def test_stats_of_a_place_cover_the_bodies_in_that_area(seed):
    city = seed.get("/stats", params={"at": "2018-08-07", "root": "mc"}).json()
    assert city["by_kind"]["party_committee"] == 1 and city["by_kind"]["mass_org"] == 5
    assert city["headcount"] == {"total": 21, "units_with_figure": 1}


@pytest.mark.parametrize("q,expected", [
    ("ban to chuc quang ninh", "qn-ban-to-chuc"),
    ("Ban Tổ chức Tỉnh ủy Quảng Ninh", "qn-ban-to-chuc"),
    ("ban to chuc mong cai", "mc-to-chuc-noi-vu"),
    ("UBKT", "qn-ubkt"),
    ("MTTQ", "mc-mttq"),
    ("dang uy khoi", "qn-dang-uy-khoi"),
    ("Đảng ủy khối", "qn-dang-uy-khoi"),
    ("Home Affairs Mong Cai", "mc-to-chuc-noi-vu"),
    ("Fatherland Front Quang Ninh", "qn-mttq"),
    ("tinh uy quang ninh", "qn-tu"),
    ("na hang", "nh"),
])
def test_search_the_bundled_dataset(seed, q, expected):
    items = seed.get("/search", params={"q": q, "at": "2020-06-01", "limit": 10}).json()["items"]
    assert expected in ids(items)[:3], ids(items)


def test_path_from_a_city_board_to_the_provincial_board(seed):
    body = seed.get("/path", params={"from": "mc-to-chuc-noi-vu", "to": "qn-ban-to-chuc",
                                     "at": "2018-08-07"}).json()
    assert body["found"] and body["common_ancestor"] == "qn-tu"
    assert [s["id"] for s in body["steps"]] == ["mc-tu", "qn-tu", "qn-ban-to-chuc"]


def test_events_of_2018_and_the_document_that_mandated_them(seed):
    events = seed.get("/events", params={"from": "2018", "to": "2018-12-31"}).json()
    assert {"mc-2018-hop-nhat-to-chuc-noi-vu", "mc-2018-hop-nhat-ubkt-thanh-tra"} <= set(
        ids(events["items"]))
    doc = seed.get("/documents/doc-212-qd-tw").json()
    assert doc["code"] == "212-QĐ/TW"
    # the regrouping under Regulation 212 is a plan, not an event of the baseline
    assert doc["events"] == []


def test_the_default_date_is_used_without_at(seed):
    # the seed client reads at 2020-06-01 when a request gives no `at`
    assert seed.get("/units/qn-ckhoi-dang-bo/children").json()["at"] == "2020-06-01"
    assert seed.get("/units/qn-ckhoi-chi-bo-cu-1/ancestors").status_code == 200  # 9 cells remain
    assert seed.get("/units/qn-ckhoi-chi-bo-moi-1").status_code == 404  # only in the plan


def test_a_national_snapshot_is_a_forest(seed):
    body = seed.get("/snapshot", params={"at": "2018-08-07", "depth": 0, "limit": 100}).json()
    roots = ids(body["items"])
    assert "vn-bch-tw" in roots and "qn" in roots and "qn-tu" in roots
    assert body["total"] == len(roots)
