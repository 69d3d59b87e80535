"""A real territorial consolidation through the HTTP API, as a planner drives it: Tỉnh Hà
Giang + Tỉnh Tuyên Quang -> Tỉnh Tuyên Quang (Resolution 202/2025/QH15, in force
2025-07-01) on `tests/data/r_tuyen_quang`, whose bodies carry the names real bodies carry,
in their inconsistent forms (`Hội đồng nhân dân tỉnh Hà Giang` beside `HĐND tỉnh Tuyên
Quang`, `Tỉnh đoàn Hà Giang` beside `Đoàn TNCS Hồ Chí Minh tỉnh Tuyên Quang`, `UBKT` beside
`Ủy ban Kiểm tra`, `Sở GD&ĐT` beside `Sở Giáo dục và Đào tạo`, `Văn phòng Tỉnh ủy` without
the place), then the communes from a mapping table and the district level dissolved.

Every expected figure is derived by hand from the dataset's CSV files (the arithmetic is in
the comments): headcount.csv (approved, 2025-01-01), posts.csv, functions.csv.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[1] / "data"
PLANS = DATA / "r_tuyen_quang_plans"
TOKEN = "real-consolidation-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
AT = "2025-07-01"

PROVINCES = {"op": "consolidate", "units": ["hg", "tq"], "bodies": "merge",
             "basis": ["nq-202-2025"],
             "new": {"id": "tq25", "name": "Tỉnh Tuyên Quang",
                     "name_en": "Tuyen Quang Province"}}
DISTRICTS = {"op": "dissolve_level", "level": "district", "within": "tq25", "bodies": "merge"}

#: The 19 provincial bodies of Hà Giang and the 18 of Tuyên Quang (units.csv) pair into 18
#: new bodies; Sở Ngoại vụ, which only Hà Giang has, moves as it is.
GROUPS = {f"tq25-{k}": [f"hg-{k}", f"tq-{k}"] for k in (
    "tu", "btc", "btg", "bdv", "ubkt", "vp", "hdnd", "ubnd", "snv", "stc", "sgddt", "syt",
    "mttq", "tdoan", "hlhpn", "hnd", "hccb", "ldld")}
#: Their names: the namesake province's (Tuyên Quang's bodies, where they carry their
#: place: their names are already right), else Hà Giang's with Tuyên Quang for Hà Giang;
#: a head Tuyên Quang abbreviates written out as Hà Giang writes it (`HĐND tỉnh Tuyên
#: Quang` with `Hội đồng nhân dân tỉnh Hà Giang`: `Hội đồng nhân dân tỉnh Tuyên Quang`).
NAMES = {
    "tq25-tu": "Tỉnh ủy Tuyên Quang",
    "tq25-btc": "Ban Tổ chức Tỉnh ủy Tuyên Quang",
    "tq25-btg": "Ban Tuyên giáo Tỉnh ủy Tuyên Quang",
    "tq25-bdv": "Ban Dân vận Tỉnh ủy Tuyên Quang",
    "tq25-ubkt": "Ủy ban Kiểm tra Tỉnh ủy Tuyên Quang",
    "tq25-vp": "Văn phòng Tỉnh ủy Tuyên Quang",
    "tq25-hdnd": "Hội đồng nhân dân tỉnh Tuyên Quang",
    "tq25-ubnd": "Ủy ban nhân dân tỉnh Tuyên Quang",
    "tq25-snv": "Sở Nội vụ tỉnh Tuyên Quang",
    "tq25-stc": "Sở Tài chính tỉnh Tuyên Quang",
    "tq25-sgddt": "Sở Giáo dục và Đào tạo tỉnh Tuyên Quang",
    "tq25-syt": "Sở Y tế tỉnh Tuyên Quang",
    "tq25-mttq": "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Tuyên Quang",
    "tq25-tdoan": "Đoàn TNCS Hồ Chí Minh tỉnh Tuyên Quang",
    "tq25-hlhpn": "Hội Liên hiệp Phụ nữ tỉnh Tuyên Quang",
    "tq25-hnd": "Hội Nông dân tỉnh Tuyên Quang",
    "tq25-hccb": "Hội Cựu chiến binh tỉnh Tuyên Quang",
    "tq25-ldld": "Liên đoàn Lao động tỉnh Tuyên Quang",
}
#: headcount.csv, Hà Giang + Tuyên Quang
SUMS = {"tq25-tu": 15 + 17, "tq25-btc": 22 + 24, "tq25-btg": 20 + 21, "tq25-bdv": 14 + 15,
        "tq25-ubkt": 18 + 20, "tq25-vp": 45 + 48, "tq25-hdnd": 12 + 14, "tq25-ubnd": 30 + 32,
        "tq25-snv": 40 + 42, "tq25-stc": 55 + 58, "tq25-sgddt": 60 + 63, "tq25-syt": 50 + 52,
        "tq25-mttq": 25 + 27, "tq25-tdoan": 12 + 13, "tq25-hlhpn": 14 + 15,
        "tq25-hnd": 13 + 14, "tq25-hccb": 9 + 10, "tq25-ldld": 20 + 22}
#: Every figure of headcount.csv: the provinces' bodies 490 + 507, the districts' 85
#: (hg-tp 6+8+5+4, hg-qb 5+7+4+3, tq-tp 7+9+5+4, tq-nh 5+6+4+3), the communes' People's
#: Committees 144.
TOTAL = 490 + 507 + 85 + 144


def commune_rows():
    """communes.csv as a planner's script sends it (the row's file and line in `where`)."""
    with open(PLANS / "communes.csv", encoding="utf-8") as f:
        return [{"new": {"id": r["new_id"], "name": r["new_name"], "name_en": r["name_en"]},
                 "units": r["units"].split(";"), "where": f"communes.csv:{line}"}
                for line, r in enumerate(csv.DictReader(f), start=2)]


@pytest.fixture
def client(tmp_path):
    store = EmbeddedStore(tmp_path / "r.db")
    store.replace_dataset(read_dataset(DATA / "r_tuyen_quang"))
    store.close()
    store = EmbeddedStore(tmp_path / "r.db")
    with TestClient(create_app(store, Settings(default_at=AT, tokens={"tests": TOKEN})),
                    headers=AUTH, raise_server_exceptions=False) as c:
        yield c
    store.close()


def scenario(client, *operations, name="Hợp nhất tỉnh Hà Giang và tỉnh Tuyên Quang"):
    r = client.post("/scenarios", json={"name": name, "at": AT, "operations": list(operations)})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def problem(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    return r.json()


def units_of(client, sid, area, at=AT):
    r = client.get(f"/scenarios/{sid}/units", params={"at": at, "area": area, "limit": 500})
    assert r.status_code == 200, r.text
    return {u["id"]: u for u in r.json()["items"]}


def children(client, sid, unit, at=AT):
    r = client.get(f"/scenarios/{sid}/units/{unit}/children", params={"at": at})
    assert r.status_code == 200, r.text
    return r.json()


def test_two_provinces_consolidate_their_bodies_pairwise_by_kind(client):
    sid = scenario(client, PROVINCES)
    impact = client.get(f"/scenarios/{sid}/impact").json()
    bodies = impact["bodies"]
    assert {g["unit"]: g["from"] for g in bodies["groups"]} == GROUPS
    assert [(u["unit"], u["from_area"], u["to_area"]) for u in bodies["unpaired"]] == [
        ("hg-sngv", "hg", "tq25")]
    assert (bodies["merged"], bodies["bodies_ended"]) == (18, 36)

    mine = units_of(client, sid, "tq25")
    # 18 new bodies, the unpaired Sở Ngoại vụ and the two Party cells of the Offices
    assert set(mine) == set(GROUPS) | {"hg-sngv", "hg-cb-vp", "tq-cb-vp"}
    assert {i: mine[i]["name"] for i in GROUPS} == NAMES
    assert not [u["name"] for i, u in mine.items() if i in GROUPS and "Hà Giang" in u["name"]]
    assert mine["tq25-tu"]["name_en"] == "Tuyen Quang Provincial Party Committee"
    # exactly one body of each kind directly under the new province
    top = Counter(u["kind"] for u in mine.values() if u["parent"] == "tq25")
    assert top == {"party_committee": 1, "people_council": 1, "government": 1, "front": 1}
    # re-parented as the inputs were
    assert {i: mine[i]["parent"] for i in ("tq25-btc", "tq25-ubkt", "tq25-vp", "tq25-snv",
                                           "tq25-tdoan", "tq25-ldld", "hg-sngv", "hg-cb-vp")} == {
        "tq25-btc": "tq25-tu", "tq25-ubkt": "tq25-tu", "tq25-vp": "tq25-tu",
        "tq25-snv": "tq25-ubnd", "tq25-tdoan": "tq25-mttq", "tq25-ldld": "tq25-mttq",
        "hg-sngv": "tq25-ubnd", "hg-cb-vp": "tq25-vp"}
    # the unpaired department keeps its name and its figure
    sngv = client.get(f"/scenarios/{sid}/units/hg-sngv", params={"at": AT}).json()
    assert sngv["unit"]["name"] == "Sở Ngoại vụ tỉnh Hà Giang"
    for uid, total in SUMS.items():
        got = client.get(f"/scenarios/{sid}/units/{uid}", params={"at": AT}).json()
        assert got["headcount"]["headcount"] == total, uid

    # headcount: nothing leaves, the savings are 8 duplicated leadership posts (one person
    # each) and 4 duplicated support functions ((2 - 1) x 2 staff x 0.5 each: office_admin,
    # finance_accounting and transport of the two Party Offices, finance_accounting of the
    # two Departments of Finance)
    hc = impact["headcount"]
    assert (hc["before"], hc["after_recorded"], hc["saving_total"], hc["after"]) == (
        TOTAL, TOTAL, 12, TOTAL - 12)
    support = sorted((s["unit"], s["function"]) for s in hc["savings"]
                     if s["reason"] == "duplicated support function")
    assert support == [("tq25-stc", "finance_accounting"), ("tq25-vp", "finance_accounting"),
                       ("tq25-vp", "office_admin"), ("tq25-vp", "transport")]
    # leadership: posts.csv has 50 posts, all leadership roles; two secretaries -> one, two
    # standing deputies, two chairs of each of HĐND, UBND, MTTQ, two heads of each of BTC,
    # Sở Nội vụ and Văn phòng -> one each: 8 posts removed
    lead = impact["leadership"]
    assert (lead["before"], lead["removed"], lead["after"]) == (50, 8, 42)
    dup = {(d["unit"], d["role"]): sorted(d["people"]) for d in lead["duplicated"]}
    assert dup == {("tq25-tu", "secretary"): ["ng001", "ng009"],
                   ("tq25-tu", "standing_deputy_secretary"): ["ng002", "ng010"],
                   ("tq25-hdnd", "chair"): ["ng001", "ng009"],
                   ("tq25-ubnd", "chair"): ["ng003", "ng011"],
                   ("tq25-mttq", "chair"): ["ng007", "ng015"],
                   ("tq25-btc", "head"): ["ng005", "ng013"],
                   ("tq25-snv", "head"): ["ng006", "ng014"],
                   ("tq25-vp", "head"): ["ng008", "ng016"]}
    # duplicated functions: each pair's functions held twice (functions.csv)
    funcs = sorted((d["unit"], d["function"]) for d in impact["functions"]["duplicated"])
    assert ("tq25-tdoan", "mass_mobilisation") in funcs and ("tq25-ubkt", "inspection") in funcs
    assert len(funcs) == 17  # 14 pairs hold functions: 12 one each, vp 3, snv 2
    assert Counter(u for u, _ in funcs)["tq25-vp"] == 3


def test_communes_from_a_mapping_table_and_the_district_level_dissolved(client):
    sid = scenario(client, PROVINCES, {"op": "consolidate_map", "rows": commune_rows(),
                                       "bodies": "merge"}, DISTRICTS)
    log = client.get(f"/scenarios/{sid}").json()["log"]
    assert [e["summary"] for e in log] == [
        "hg, tq consolidated into the new unit tq25 on 2025-07-01",
        "4 consolidations from a mapping table on 2025-07-01",
        "4 districts dissolved on 2025-07-01 within tq25; 24 of their bodies merged or moved up"]
    mine = units_of(client, sid, "tq25")
    # no district, no district body left; the communes hang under the province
    assert not [u for u in mine.values() if u["level"] == "district"]
    communes = {u["id"]: u for u in children(client, sid, "tq25")["items"]
                if u["kind"] == "commune"}
    # 4 new communes and the two the table leaves as they are (Quang Trung, Thanh Tương)
    assert {i: (u["name"], u["parent"]) for i, u in communes.items()} == {
        "tq25-p-ha-giang-2": ("Phường Hà Giang 2", "tq25"),
        "tq25-x-quan-ba": ("Xã Quản Bạ", "tq25"),
        "tq25-p-minh-xuan": ("Phường Minh Xuân", "tq25"),
        "tq25-x-na-hang": ("Xã Na Hang", "tq25"),
        "hg-tp-qt": ("Phường Quang Trung", "tq25"),
        "tq-nh-tt": ("Xã Thanh Tương", "tq25")}
    # a new commune's bodies are named for it: Xã Quản Bạ comes from Thị trấn Tam Sơn
    # (first: the ids), Xã Quản Bạ (its namesake: the names) and Xã Thanh Vân
    qb = units_of(client, sid, "tq25-x-quan-ba")
    assert {i: (u["name"], u["parent"]) for i, u in qb.items() if u["kind"] != "party_cell"} == {
        "tq25-x-quan-ba-du": ("Đảng ủy xã Quản Bạ", "tq25-tu"),
        "tq25-x-quan-ba-hdnd": ("Hội đồng nhân dân xã Quản Bạ", "tq25-x-quan-ba"),
        "tq25-x-quan-ba-ubnd": ("Ủy ban nhân dân xã Quản Bạ", "tq25-x-quan-ba")}
    # three villages' Party cells follow their Party Committee
    assert sorted(i for i, u in qb.items() if u["kind"] == "party_cell") == [
        "hg-qb-qb-cb1", "hg-qb-ts-cb1", "hg-qb-tv-cb1"]
    assert {u["parent"] for u in qb.values() if u["kind"] == "party_cell"} == {"tq25-x-quan-ba-du"}
    mx = client.get(f"/scenarios/{sid}/units/tq25-p-minh-xuan-du", params={"at": AT}).json()
    assert mx["unit"]["name"] == "Đảng ủy phường Minh Xuân"

    impact = client.get(f"/scenarios/{sid}/impact").json()
    groups = {}
    for g in impact["bodies"]["groups"]:
        groups.setdefault(g["unit"], []).extend(g["from"])
    # the districts' bodies merged into their provincial peers, HĐND into Hội đồng nhân
    # dân, UBND into Ủy ban nhân dân, Phòng Nội vụ into Sở Nội vụ, Phòng Tài chính - Kế
    # hoạch (and Phòng TC-KH) into Sở Tài chính, Huyện ủy and Thành ủy into the Tỉnh ủy
    districts = ("hg-qb", "hg-tp", "tq-nh", "tq-tp")
    for key, peer in (("tu", "tu"), ("hdnd", "hdnd"), ("ubnd", "ubnd"), ("btc", "btc"),
                      ("pnv", "snv"), ("ptckh", "stc")):
        assert groups[f"tq25-{peer}"] == GROUPS.get(f"tq25-{peer}", []) + [
            f"{d}-{key}" for d in districts], key
    assert groups["tq25-x-quan-ba-ubnd"] == ["hg-qb-ts-ubnd", "hg-qb-qb-ubnd", "hg-qb-tv-ubnd"]
    assert [u["unit"] for u in impact["bodies"]["unpaired"]] == ["hg-sngv"]
    # headcount: the districts' figures go to their peers (Tỉnh ủy 32 + 6 + 5 + 7 + 5);
    # the leadership: 8 provincial duplicates, the 4 districts' secretaries and chairs of
    # UBND in the Tỉnh ủy and the UBND (8), the communes' secretaries and chairs (Hà
    # Giang 2: 1 + 1, Quản Bạ 2 + 2, Minh Xuân 2 + 2, Na Hang 1 + 1: 12) = 28 posts; the
    # communes' Party Committees have no figure, so 6 of them save nothing: 22 people; the
    # support functions: the Party Offices' 3 as before, finance_accounting now held by the
    # two Sở Tài chính and then by each district's Phòng TC-KH merged into it: six
    # holders in one Sở Tài chính, (6 - 1) x 2 x 0.5 = 5, one saving; 22 + 3 + 5 = 30
    tu = client.get(f"/scenarios/{sid}/units/tq25-tu", params={"at": AT}).json()
    assert tu["headcount"]["headcount"] == 32 + 6 + 5 + 7 + 5
    hc, lead = impact["headcount"], impact["leadership"]
    assert (hc["before"], hc["after_recorded"], hc["saving_total"], hc["after"]) == (
        TOTAL, TOTAL, 30, TOTAL - 30)
    assert (lead["before"], lead["removed"], lead["after"]) == (50, 28, 22)
    stc = [s for s in hc["savings"] if s["unit"] == "tq25-stc"]
    assert [(s["function"], s["amount"], s["how"]) for s in stc] == [
        ("finance_accounting", 5, "(6 - 1) duplicates × 2 staff × 0.5")]
    not_applied = {s["unit"]: s["amount"] for s in hc["savings"] if not s["applied"]}
    assert not_applied == {"tq25-p-ha-giang-2-du": 1, "tq25-p-minh-xuan-du": 2,
                           "tq25-x-na-hang-du": 1, "tq25-x-quan-ba-du": 2}


def test_the_district_bodies_end_when_the_operation_says_so(client):
    sid = scenario(client, PROVINCES, {**DISTRICTS, "bodies": "end"})
    impact = client.get(f"/scenarios/{sid}/impact").json()
    hc = impact["headcount"]
    # the districts' 85 people go with their bodies; the province's savings stay 12
    assert (hc["before"], hc["after_recorded"], hc["saving_total"], hc["after"]) == (
        TOTAL, TOTAL - 85, 12, TOTAL - 85 - 12)
    # 8 district posts end with their bodies, 8 provincial duplicates are removed
    lead = impact["leadership"]
    assert (lead["before"], lead["after_recorded"], lead["removed"], lead["after"]) == (
        50, 42, 8, 34)
    # a commune's Party Committee goes from the Huyện ủy to the Tỉnh ủy, its People's
    # Committee is guided by the province's
    du = client.get(f"/scenarios/{sid}/units/hg-qb-tv-du", params={"at": AT}).json()
    assert du["parent"]["id"] == "tq25-tu"
    rels = client.get(f"/scenarios/{sid}/units/hg-qb-tv-ubnd", params={"at": AT}).json()
    assert rels["parent"]["id"] == "hg-qb-tv"
    problem(client.get(f"/scenarios/{sid}/units/hg-qb-tu", params={"at": AT}), 404)


def test_bodies_keep_opts_out(client):
    sid = scenario(client, {**PROVINCES, "bodies": "keep"})
    impact = client.get(f"/scenarios/{sid}/impact").json()
    assert impact["bodies"] == {"merged": 0, "bodies_ended": 0, "groups": [], "unpaired": []}
    assert impact["units"]["ended"] == ["hg", "tq"]
    assert (impact["headcount"]["saving_total"], impact["leadership"]["removed"]) == (0, 0)
    # both Party Committees go on, under the new province, with their own areas
    for uid, area in (("hg-tu", "hg"), ("tq-tu", "tq")):
        u = client.get(f"/scenarios/{sid}/units/{uid}", params={"at": AT}).json()
        assert (u["exists"], u["unit"]["area"], u["parent"]["id"]) == (True, area, "tq25")
    assert client.get(f"/scenarios/{sid}/units/tq25-tu", params={"at": AT}).status_code == 404


def test_the_reform_committed_reads_back_before_and_after_the_date(client):
    sid = scenario(client, PROVINCES, {"op": "consolidate_map", "rows": commune_rows(),
                                       "bodies": "merge"}, DISTRICTS)
    r = client.post(f"/scenarios/{sid}/commit")
    assert r.status_code == 200, r.text
    before = client.get("/units", params={"at": "2025-06-30", "area": "hg", "limit": 500}).json()
    after = client.get("/units", params={"at": AT, "area": "hg", "limit": 500}).json()
    # hg's 18 paired bodies, and the two that moved to tq25 as they are (Sở Ngoại vụ,
    # the Office's cell): hg's before the date (names.csv dates their area), tq25's after
    assert sorted(u["id"] for u in before["items"]) == sorted(
        [g[0] for g in GROUPS.values()] + ["hg-sngv", "hg-cb-vp"]) and after["total"] == 0
    for uid in ("hg-sngv", "hg-cb-vp"):
        then = client.get(f"/units/{uid}", params={"at": "2025-06-30"}).json()["unit"]
        now = client.get(f"/units/{uid}", params={"at": AT}).json()["unit"]
        assert (then["area"], now["area"]) == ("hg", "tq25")
        moves = [i for i in client.get(f"/units/{uid}/history").json()["items"]
                 if i["type"] in ("moved", "renamed")]
        assert [(i["type"], i["date"], i["from_area"], i["to_area"]) for i in moves] == [
            ("moved", AT, "hg", "tq25")]
    tq25 = client.get("/units", params={"at": AT, "area": "tq25", "limit": 500}).json()
    assert {"hg-sngv", "hg-cb-vp"} <= {u["id"] for u in tq25["items"]}
    # the moved body keeps one name: the dated area is not a rename
    names = client.get("/units/hg-sngv/history").json()["names"]
    assert [(n["name"], n["current"]) for n in names] == [("Sở Ngoại vụ tỉnh Hà Giang", True)]
    assert client.get("/units/hg-tu", params={"at": "2025-06-30"}).json()["exists"] is True
    problem(client.get("/units/hg-tu", params={"at": AT}), 404)
    new = client.get("/units/tq25-tu", params={"at": AT}).json()
    assert (new["unit"]["name"], new["unit"]["valid_from"]) == ("Tỉnh ủy Tuyên Quang", AT)
    problem(client.get("/units/tq25-tu", params={"at": "2025-06-30"}), 404)
    # the subtree of the new province: one body of each kind on top, the communes
    tree = client.get("/units/tq25/subtree", params={"at": AT, "depth": 1}).json()
    kids = sorted(c["unit"]["id"] for c in tree["children"])
    assert kids == ["hg-tp-qt", "tq-nh-tt", "tq25-hdnd", "tq25-mttq", "tq25-p-ha-giang-2",
                    "tq25-p-minh-xuan", "tq25-tu", "tq25-ubnd", "tq25-x-na-hang",
                    "tq25-x-quan-ba"]
    old = client.get("/units/hg/subtree", params={"at": "2025-06-30", "depth": 1}).json()
    assert sorted(c["unit"]["id"] for c in old["children"]) == [
        "hg-hdnd", "hg-mttq", "hg-qb", "hg-tp", "hg-tu", "hg-ubnd"]
    # lineage: Hà Giang's Tỉnh ủy became Tuyên Quang's, on the resolution's basis; its
    # Huyện ủy Quản Bạ merged into it
    lin = client.get("/units/hg-tu/lineage").json()
    assert [(s["unit"]["id"], s["event"]["type"], s["event"]["date"]) for s in lin["successors"]] \
        == [("tq25-tu", "CONSOLIDATE", AT)]
    assert lin["successors"][0]["event"]["basis"] == ["nq-202-2025"]
    lin = client.get("/units/hg-qb-tu/lineage").json()
    assert [(s["unit"]["id"], s["event"]["type"]) for s in lin["successors"]] == [
        ("tq25-tu", "MERGE")]
    hist = client.get("/units/hg-ubnd/history").json()["items"]
    on_the_day = [h for h in hist if h["date"] == AT]
    assert [h["type"] for h in on_the_day].count("end") == 1
    # its five departments leave it that day (four into their peers, Sở Ngoại vụ as it is)
    assert sorted(h["unit"]["id"] for h in on_the_day if h["type"] == "child_removed") == [
        "hg-sgddt", "hg-sngv", "hg-snv", "hg-stc", "hg-syt"]
    assert {(h["person"], h["role"]) for h in on_the_day if h["type"] == "post_end"} == {
        ("Vàng Seo Páo", "chair"), ("Nguyễn Thị Lan", "vice_chair")}
    # search by an old name: found before the date, not after (unless `any`)
    old_hits = client.get("/search", params={"q": "Tỉnh ủy Hà Giang", "at": "2025-06-30"}).json()
    assert old_hits["items"][0]["unit"]["id"] == "hg-tu"
    new_hits = client.get("/search", params={"q": "Tỉnh ủy Hà Giang", "at": AT}).json()
    assert "hg-tu" not in [h["unit"]["id"] for h in new_hits["items"]]
    any_hits = client.get("/search", params={"q": "UBND tỉnh Hà Giang", "at": "any"}).json()
    assert "hg-ubnd" in [h["unit"]["id"] for h in any_hits["items"][:3]]


@pytest.mark.parametrize("row, status, words", [
    ({"units": ["hg-qb-zz", "hg-qb-qb"]}, 409, "communes.csv:9: unit hg-qb-zz is unknown"),
    ({"units": ["hg-tp-mk", "hg-tp-qt"]}, 422,
     "communes.csv:9: units: hg-tp-mk is also listed by communes.csv:2"),
    ({"new": {"id": "tq25-x-na-hang", "name": "Xã Na Hang"}, "units": ["hg-tp-qt", "tq-nh-tt"]},
     422, "communes.csv:9: new.id: new unit tq25-x-na-hang is also made by communes.csv:5"),
    ({"units": []}, 422, "communes.csv:9: units: is required"),
    ({"new": {"id": "x 1", "name": "Xã X"}}, 422, "communes.csv:9: new.id: expected a unit id"),
    ({"units": ["hg-tu", "tq-tu"]}, 409, "communes.csv:9: unit hg-tu does not exist on 2025-07-01"),
])
def test_a_bad_mapping_row_is_a_problem_naming_the_row(client, row, status, words):
    bad = {"new": {"id": "tq25-x-moi", "name": "Xã Mới"}, "units": ["hg-qb-qb", "hg-qb-tv"],
           "where": "communes.csv:9"} | row
    rows = [r for r in commune_rows() if "hg-qb-qb" not in r["units"]] + [bad]
    body = problem(client.post("/scenarios", json={
        "name": "Bad", "at": AT, "operations": [PROVINCES, {"op": "consolidate_map",
                                                            "rows": rows}]}), status)
    assert words in body["detail"], body["detail"]
    assert "Traceback" not in body["detail"]
    assert client.get("/scenarios").json()["total"] == 0


def test_a_row_of_one_unit_is_a_commune_kept_under_a_new_id(client):
    # Some communes were kept as they were in 2025; a table may give them a row of their
    # own: one CONSOLIDATE with one input, its bodies moved to the new unit as they are.
    sid = scenario(client, PROVINCES, {"op": "consolidate_map", "rows": [
        {"new": {"id": "tq25-x-thanh-tuong", "name": "Xã Thanh Tương"}, "units": ["tq-nh-tt"],
         "where": "communes.csv:9"}]})
    impact = client.get(f"/scenarios/{sid}/impact").json()
    assert sorted(u["unit"] for u in impact["bodies"]["unpaired"] if u["operation"] == 2) == [
        "tq-nh-tt-du", "tq-nh-tt-hdnd", "tq-nh-tt-ubnd"]
    u = client.get(f"/scenarios/{sid}/units/tq-nh-tt-ubnd", params={"at": AT}).json()
    assert (u["unit"]["area"], u["parent"]["id"]) == ("tq25-x-thanh-tuong", "tq25-x-thanh-tuong")
