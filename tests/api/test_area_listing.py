"""`GET /units?area=` and `bomay units --area` list an area's bodies that name no `area` too:
those whose PART_OF chain gives it on the date, by the rule the scenario engine takes
them by (`graph.areas.infer_areas`), each saying so (`area_inferred`).

On `tests/data/r_hai_phong` (a real SQLite store file, over HTTP and the CLI), Hải Phòng's
Party boards and office under the Thành ủy give no `area` (`Ban Tổ chức Thành ủy`, ...),
and Huyện Kim Thành's communes' Party Committees hang under the district's, on the Party's
line, with none either: the listing of Hải Phòng has the four, each commune's listing its
Đảng ủy; the consolidation of Hải Dương and Hải Phòng takes, as the report's warning says,
the very bodies the listings infer.
"""

from __future__ import annotations

import re

import pytest

from tests.api.real_cases import as_json, plan_operations, post_scenario, serve
from tests.api.seed_plans import ok
from tests.api.test_r_hai_phong import DATA, REFORM

AT = "2025-06-30"
#: Hải Phòng's bodies under its Thành ủy that name no area (units.csv).
HP_BOARDS = ["hp-btc", "hp-btgdv", "hp-ubkt", "hp-vptu"]


@pytest.fixture
def client(tmp_path):
    yield from serve(tmp_path, "r_hai_phong", AT)


def listing(client, area: str, **params) -> dict:
    r = client.get("/units", params={"area": area, "at": AT, "limit": 1000, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_an_area_lists_its_bodies_that_name_none_as_inferred(client):
    body = listing(client, "hp")
    items = {u["id"]: u for u in body["items"]}
    assert body["total"] == len(items)
    inferred = sorted(i for i, u in items.items() if u["area_inferred"])
    assert inferred == HP_BOARDS
    for uid in HP_BOARDS:
        assert items[uid]["area"] == "hp"
        assert items[uid]["parent"] == "hp-tu"
    # the bodies naming Hải Phòng are there as before, their area their own
    own = [u for u in items.values() if not u["area_inferred"]]
    assert own and all(u["area"] == "hp" for u in own)
    assert "hp-tu" in items and items["hp-tu"]["area_inferred"] is False
    # the unit's own answer says the same (tests/api/test_area_stats.py)
    unit = client.get("/units/hp-btc", params={"at": AT}).json()["unit"]
    assert (unit["area"], unit["area_inferred"]) == ("hp", True)
    # filtered by kind, and paged, over the same listing
    boards = listing(client, "hp", kind="party_board")
    assert [u["id"] for u in boards["items"]] == sorted(
        i for i, u in items.items() if u["kind"] == "party_board")
    assert {"hp-btc", "hp-btgdv"} <= {u["id"] for u in boards["items"]}
    ids = [u["id"] for u in body["items"]]
    assert ids == sorted(ids)
    window = listing(client, "hp", offset=2, limit=5)
    assert [u["id"] for u in window["items"]] == ids[2:7] and window["total"] == len(ids)
    # before the Ban Tuyên giáo và Dân vận Thành ủy was formed (2025-03-01), three
    early = client.get("/units", params={"area": "hp", "at": "2025-01-01", "limit": 1000})
    assert sorted(u["id"] for u in early.json()["items"] if u["area_inferred"]) == [
        "hp-btc", "hp-ubkt", "hp-vptu"]


def test_a_commune_lists_its_party_committee_found_by_its_name(client):
    """`Đảng ủy thị trấn Phú Thái` hangs under Huyện ủy Kim Thành and names no area: it is
    the commune's of its level whose place its name carries."""
    for commune, committee in (("hd-kt-pt", "hd-kt-pt-du"), ("hd-kt-kx", "hd-kt-kx-du"),
                               ("hd-kt-pth", "hd-kt-pth-du")):
        items = {u["id"]: u for u in listing(client, commune)["items"]}
        assert items[committee]["area_inferred"] is True, commune
        assert items[committee]["area"] == commune
    district = {u["id"] for u in listing(client, "hd-kt")["items"]}
    assert "hd-kt-pt-du" not in district  # a commune's, not the district's


def test_a_search_within_an_area_finds_the_inferred_bodies(client):
    r = client.get("/units", params={"area": "hp", "at": AT, "q": "Ban Tổ chức Thành ủy"})
    hits = {u["id"]: u for u in r.json()["items"]}
    assert hits["hp-btc"]["area_inferred"] is True and hits["hp-btc"]["area"] == "hp"
    assert all(u["area"] == "hp" for u in hits.values())


def test_the_consolidation_takes_the_bodies_the_listings_infer(client):
    """The territorial operation's warning names the bodies it took by their chain: those
    the listings of the two provinces mark inferred on its date."""
    consolidate = plan_operations(REFORM)[0]
    assert sorted(consolidate["units"]) == ["hd", "hp"]
    date = "2025-07-01"
    sid = post_scenario(client, "Hợp nhất", date, [consolidate])
    warnings = client.get(f"/scenarios/{sid}/impact").json()["warnings"]
    (warning,) = [w for w in warnings if "name no area" in w]
    taken = re.findall(r"([\w-]+) \((hd|hp)\)", warning)
    listed = sorted((u["id"], area) for area in ("hd", "hp") for u in client.get(
        "/units", params={"area": area, "at": date, "limit": 1000}).json()["items"]
        if u["area_inferred"])
    assert sorted(taken) == listed == [(b, "hp") for b in HP_BOARDS]
    assert warning.startswith(f"{len(listed)} bodies name no area")
    # the scenario's listing on the eve (its state reads as the baseline then) infers alike
    # (the items' `area` is their record's: a body the scenario moved names the new area)
    on_eve = client.get(f"/scenarios/{sid}/units", params={"area": "hp", "at": AT,
                                                          "limit": 1000}).json()["items"]
    assert [(u["id"], u["area_inferred"]) for u in on_eve] == [
        (u["id"], u["area_inferred"]) for u in listing(client, "hp")["items"]]
    assert sorted(u["id"] for u in on_eve if u["area_inferred"]) == HP_BOARDS


def test_the_cli_lists_the_inferred_bodies(tmp_path):
    store = str(tmp_path / "hp.db")
    ok("--store", store, "load", str(DATA / "r_hai_phong"))
    body = as_json("--store", store, "units", "--area", "hp", "--at", AT, "--limit", "1000")
    assert sorted(u["id"] for u in body["items"] if u["area_inferred"]) == HP_BOARDS
    table = ok("--store", store, "units", "--area", "hp", "--at", AT, "--kind",
               "party_board").stdout
    assert "hp-btc" in table and "hp (inferred)" in table
