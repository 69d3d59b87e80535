"""An area's own figures, for a planner asking "what does province X hold": `GET
/units/{id}` (and `bomay show`) says the area a body naming none is inferred to (as the
area listings do: `area_inferred`), and `GET /stats?area=X` (and `bomay stats --area X`)
counts the units the area listing `GET /units?area=X` gives on the date (own + inferred).

Over HTTP on a real SQLite store file of `tests/data/r_hai_phong` and the CLI on another:
Hải Phòng's Party boards and office under the Thành ủy give no `area` (units.csv), nor do
Huyện Kim Thành's communes' Party Committees (under the district's, on the Party's line).
The figures are worked out by hand from the CSV files (see each test).
"""

from __future__ import annotations

from collections import Counter

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from tests.api.real_cases import as_json, plan_operations, post_scenario, serve
from tests.api.seed_plans import ok
from tests.api.test_r_hai_phong import DATA, REFORM

AT = "2025-06-30"
#: Hải Phòng's bodies under its Thành ủy that name no area (units.csv).
HP_BOARDS = ["hp-btc", "hp-btgdv", "hp-ubkt", "hp-vptu"]


@pytest.fixture
def client(tmp_path):
    yield from serve(tmp_path, "r_hai_phong", AT)


def got(client, url: str, **params) -> dict:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


# -- a unit's own answer --------------------------------------------------------------------
def test_a_body_naming_no_area_answers_the_area_its_chain_gives(client):
    for uid, area in (("hp-btc", "hp"), ("hp-vptu", "hp"), ("hd-kt-pt-du", "hd-kt-pt")):
        unit = got(client, f"/units/{uid}", at=AT)["unit"]
        assert (unit["area"], unit["area_inferred"]) == (area, True), uid
    # its own area: not inferred; an area itself, or the country, has none
    assert (lambda u: (u["area"], u["area_inferred"]))(
        got(client, "/units/hp-tu", at=AT)["unit"]) == ("hp", False)
    for uid in ("hp", "vn"):
        unit = got(client, f"/units/{uid}", at=AT)["unit"]
        assert (unit["area"], unit["area_inferred"]) == ("", False), uid
    # without `at`: on the default day (AT), as every other fact of the answer
    assert got(client, "/units/hp-ubkt")["unit"]["area_inferred"] is True


def test_each_unit_of_an_area_listing_answers_the_listings_area(client):
    """Every unit the listings of Hải Phòng and of Phú Thái give answers, on its own, the
    area and `area_inferred` its item in the listing has."""
    for area in ("hp", "hd-kt-pt", "hd-kt"):
        items = got(client, "/units", area=area, at=AT, limit=1000)["items"]
        assert items
        for item in items:
            unit = got(client, f"/units/{item['id']}", at=AT)["unit"]
            assert (unit["area"], unit["area_inferred"]) == (
                item["area"], item["area_inferred"]), item["id"]


def test_a_scenarios_units_answer_the_area_its_listings_give(client):
    """Over a scenario's state (the consolidation of Hải Dương and Hải Phòng on
    2025-07-01), on its eve and its date, each unit the scenario's area listings give
    inferred answers that area, inferred, on its own (the default over the state). (Only
    the inferred ones: a scenario's listing of an area it forms gives a unit moved into
    it the record's new area on the eve too, where the unit's answer gives its dated one.)"""
    consolidate = plan_operations(REFORM)[0]
    sid = post_scenario(client, "Hợp nhất", "2025-07-01", [consolidate])
    seen = set()
    for at in ("2025-06-30", "2025-07-01"):
        areas = [u["id"] for kind in ("province", "district", "commune") for u in got(
            client, f"/scenarios/{sid}/units", kind=kind, at=at, limit=1000)["items"]]
        for area in areas:
            for item in got(client, f"/scenarios/{sid}/units", area=area, at=at,
                            limit=1000)["items"]:
                if item["area_inferred"]:
                    unit = got(client, f"/scenarios/{sid}/units/{item['id']}", at=at)["unit"]
                    assert (unit["area"], unit["area_inferred"]) == (area, True), (at, item)
                    seen.add((at, item["id"], area))
    assert ("2025-06-30", "hp-btc", "hp") in seen
    assert ("2025-07-01", "hd-kt-pt-du", "hd-kt-pt") in seen


# -- an area's stats ------------------------------------------------------------------------
def test_a_provinces_stats_count_its_inferred_party_bodies(client):
    """Hải Phòng on 2025-06-30: 19 units name it (the Thành ủy, HĐND, UBND, its office, 6
    Sở, Thanh tra, Ban Quản lý KKT, MTTQ, 5 mass organisations, 2 districts) and its chain
    gives it the four bodies under the Thành ủy: 23. Figures (headcount.csv, 2025-01-01):
    the 17 own with one sum to 653, the Ban Tổ chức 30, the UBKT 28 and the Văn phòng 70
    (the Ban Tuyên giáo và Dân vận has none): 781 over 20 units. Posts: 10 people in the
    own ones, 4 heads of the four: 14; two hold two posts (p-hp-02, p-hp-03)."""
    body = got(client, "/stats", area="hp", at=AT)
    assert body["area"] == "hp" and body["root"] is None and body["at"] == AT
    assert body["units"] == 23
    assert body["by_kind"]["party_board"] == 2          # hp-btc, hp-btgdv
    assert body["by_kind"]["party_office"] == 1         # hp-vptu
    assert body["by_kind"]["inspection_committee"] == 1  # hp-ubkt
    assert body["by_kind"]["party_committee"] == 1      # hp-tu
    assert body["by_level"] == {"district": 2, "province": 21}
    assert body["headcount"] == {"total": 781, "units_with_figure": 20}
    assert body["people_with_posts"] == 14
    assert [p["id"] for p in body["concurrent_sample"]] == ["p-hp-02", "p-hp-03"]
    # the very units the listing gives
    listing = got(client, "/units", area="hp", at=AT, limit=1000)
    assert body["units"] == listing["total"]
    assert body["by_kind"] == dict(sorted(Counter(u["kind"] for u in listing["items"]).items()))
    assert sorted(u["id"] for u in listing["items"] if u["area_inferred"]) == HP_BOARDS
    # before the Ban Tuyên giáo và Dân vận Thành ủy was formed (2025-03-01): one fewer
    early = got(client, "/stats", area="hp", at="2025-01-01")
    assert early["units"] == 22 and early["by_kind"]["party_board"] == 1


def test_a_communes_stats_count_its_party_committee(client):
    """Thị trấn Phú Thái: its UBND and MTTQ name it, its Đảng ủy (under Huyện ủy Kim Thành)
    is inferred by its name: 3 units; the UBND's figure 7; two people hold posts there (the
    Đảng ủy's secretary, the UBND's chair)."""
    body = got(client, "/stats", area="hd-kt-pt", at=AT)
    assert body["units"] == 3
    assert body["by_kind"] == {"front": 1, "government": 1, "party_committee": 1}
    assert body["by_level"] == {"commune": 3}
    assert body["headcount"] == {"total": 7, "units_with_figure": 1}
    assert body["people_with_posts"] == 2
    # the district's own figures do not count its communes' Đảng ủy
    district = got(client, "/units", area="hd-kt", at=AT, limit=1000)["items"]
    assert "hd-kt-pt-du" not in {u["id"] for u in district}


def test_root_and_area_together_count_the_areas_units_under_the_root(client):
    """Under the Thành ủy, Hải Phòng's units are the Thành ủy and its four bodies (its
    districts' Party committees are their districts'): 20 + 30 + 28 + 70 = 148, 4 figures."""
    body = got(client, "/stats", area="hp", root="hp-tu", at=AT)
    assert (body["root"], body["area"], body["units"]) == ("hp-tu", "hp", 5)
    assert body["by_kind"] == {"inspection_committee": 1, "party_board": 2,
                               "party_committee": 1, "party_office": 1}
    assert body["headcount"] == {"total": 148, "units_with_figure": 4}
    under = got(client, "/stats", root="hp-tu", at=AT)
    assert under["units"] > body["units"]  # the root alone counts its districts' too


def test_an_area_that_is_none_is_refused(client):
    for params, status, field in (({"area": "nope"}, 404, "area"),
                                  ({"area": "hp-tu"}, 422, "area"),
                                  ({"area": "hd", "at": "1990-01-01"}, 404, "at")):  # not yet formed
        r = client.get("/stats", params={"at": AT, **params})
        assert r.status_code == status, (params, r.text)
        problem = r.json()
        assert r.headers["content-type"].startswith("application/problem+json")
        assert problem["errors"][0]["field"] == field, problem
    assert "not an area" in client.get("/stats", params={"area": "hp-tu"}).json()["detail"]


# -- the CLI ----------------------------------------------------------------------------------
@pytest.fixture
def store(tmp_path) -> str:
    path = str(tmp_path / "hp.db")
    ok("--store", path, "load", str(DATA / "r_hai_phong"))
    return path


def test_the_cli_stats_of_an_area_are_the_http_body(store):
    reader = EmbeddedStore(store)
    try:
        with TestClient(create_app(reader, Settings(default_at=AT))) as api:
            for params, args in (({"area": "hp"}, ["--area", "hp"]),
                                 ({"area": "hd-kt-pt"}, ["--area", "hd-kt-pt"]),
                                 ({"area": "hp", "root": "hp-tu"},
                                  ["--area", "hp", "--root", "hp-tu"])):
                http = got(api, "/stats", at=AT, **params)
                assert as_json("--store", store, "stats", "--at", AT, *args) == http, args
            unit = got(api, "/units/hp-btc", at=AT)
    finally:
        reader.close()
    assert as_json("--store", store, "show", "hp-btc", "--at", AT)["unit"] == unit["unit"]
    table = ok("--store", store, "stats", "--at", AT, "--area", "hp").stdout
    assert "23 units in area hp on 2025-06-30" in table
    shown = ok("--store", store, "show", "hp-btc", "--at", AT).stdout
    assert "hp (inferred)" in shown
    assert "(inferred)" not in ok("--store", store, "show", "hp-tu", "--at", AT).stdout
