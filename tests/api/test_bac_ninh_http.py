"""A planner's walk through the real 2025 merger of Tỉnh Bắc Giang and Tỉnh Bắc Ninh into
Tỉnh Bắc Ninh (Nghị quyết 202/2025/QH15, in force 2025-07-01) over HTTP: the app on the
embedded store (a real SQLite file) loaded with `tests/data/r_bac_ninh`, the plan of
`tests/data/r_bac_ninh_plans/merge.yaml` sent as a scenario, its impact read, committed,
and the baseline read back on 2025-06-30 and 2025-07-02.

Every expected figure is derived by hand from the dataset's CSV files (comments)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[1] / "data"
PLAN = yaml.safe_load((DATA / "r_bac_ninh_plans" / "merge.yaml").read_text(encoding="utf-8"))
TOKEN = "bac-ninh-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
AT = "2025-07-01"
BEFORE, AFTER = "2025-06-30", "2025-07-02"

#: units.csv: the 23 pairs of provincial bodies (Bắc Giang's first, as the resolution
#: names the provinces); Bắc Giang's Sở Dân tộc và Tôn giáo has no peer.
PAIRS = ("tu", "btc", "ubkt", "btgdv", "vptu", "hdnd", "ubnd", "vpdbqh", "snv", "stc", "sxd",
         "syt", "sgddt", "snnmt", "skhcn", "svhttdl", "vpubnd", "bqlkcn", "mttq", "ldld",
         "hnd", "hlhpn", "tdoan")
#: The new bodies' names: Bắc Ninh's (the province the new one is named after), each
#: carrying its place; Bắc Ninh's Văn phòng Tỉnh ủy, HĐND, ... as Bắc Ninh writes them,
#: but a head Bắc Ninh abbreviates written out as Bắc Giang writes it (`Sở NN&MT`).
NAMES = {
    "bn25-tu": "Tỉnh ủy Bắc Ninh",
    "bn25-btc": "Ban Tổ chức Tỉnh ủy Bắc Ninh",
    "bn25-ubkt": "Ủy ban Kiểm tra Tỉnh ủy Bắc Ninh",
    "bn25-btgdv": "Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Ninh",
    "bn25-hdnd": "Hội đồng nhân dân tỉnh Bắc Ninh",
    "bn25-ubnd": "Ủy ban nhân dân tỉnh Bắc Ninh",
    "bn25-sgddt": "Sở Giáo dục và Đào tạo tỉnh Bắc Ninh",
    "bn25-snnmt": "Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh",
    "bn25-mttq": "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bắc Ninh",
    "bn25-ldld": "Liên đoàn Lao động tỉnh Bắc Ninh",
    "bn25-tdoan": "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Ninh",
}


@pytest.fixture
def client(tmp_path):
    store = EmbeddedStore(tmp_path / "bn.db")
    store.replace_dataset(read_dataset(DATA / "r_bac_ninh"))
    store.close()
    store = EmbeddedStore(tmp_path / "bn.db")
    with TestClient(create_app(store, Settings(default_at=AT, tokens={"tests": TOKEN})),
                    headers=AUTH, raise_server_exceptions=False) as c:
        yield c
    store.close()


def scenario(client, **changes):
    op = dict(PLAN["operations"][0], **changes)
    r = client.post("/scenarios", json={"name": PLAN["name"], "at": AT, "operations": [op],
                                        "assumptions": PLAN["assumptions"]})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def unit(client, uid, at, sid=None):
    r = client.get(f"/scenarios/{sid}/units/{uid}" if sid else f"/units/{uid}",
                   params={"at": at})
    return r.status_code, r.json()


def test_the_impact_a_planner_works_out_by_hand(client):
    sid = scenario(client)
    rep = client.get(f"/scenarios/{sid}/impact").json()
    assert {g["unit"]: g["from"] for g in rep["bodies"]["groups"]} == {
        f"bn25-{k}": [f"bg-{k}", f"bn-{k}"] for k in PAIRS}
    assert rep["bodies"]["unpaired"] == [
        {"unit": "bg-sdttg", "from_area": "bg", "to_area": "bn25", "operation": 1}]
    # posts.csv: 2 secretaries and 2 standing deputies of the Tỉnh ủy, 2 chairs of each of
    # HĐND, UBND, MTTQ, LĐLĐ, Hội Nông dân, Hội LHPN, 2 Bí thư of the Youth Unions, 2 heads
    # of each of BTC, UBKT, Ban TG-DV, Văn phòng Tỉnh ủy, Sở Nội vụ, Tài chính, Y tế,
    # GD&ĐT: 17 posts removed (Sở Xây dựng has a head in Bắc Giang only)
    lead = rep["leadership"]
    assert (lead["before"], lead["removed"], lead["after"]) == (45, 17, 28)
    assert sorted(d["people"] for d in lead["duplicated"]
                  if (d["unit"], d["role"]) == ("bn25-tu", "secretary")) == [
        ["p-nguyen-van-gau", "p-nguyen-anh-tuan"]]
    # headcount.csv: 1031 (Bắc Giang) + 935 (Bắc Ninh) in force on 2025-07-01; the plan's
    # assumptions: 3 support staff x 0.5 for each of 6 duplicated support functions
    # (office_admin: Party Offices, UBND Offices, ĐBQH-HĐND Offices; finance_accounting:
    # Party Offices, Departments of Finance; transport: Departments of Construction) = 9,
    # and one person per removed post in a body with a figure: 17 - 3 (Tỉnh ủy x 2, UBND:
    # no figure) = 14
    hc = rep["headcount"]
    assert (hc["before"], hc["after_recorded"], hc["saving_total"], hc["after"]) == (
        1966, 1966, 23, 1943)
    assert sorted(s["unit"] for s in hc["savings"] if s["applied"] is False) == [
        "bn25-tu", "bn25-tu", "bn25-ubnd"]
    # the same plan without the assumptions' override: 2 staff -> 6 + 14
    assert client.get(f"/scenarios/{sid}/impact",
                      params={"support_staff": 2}).json()["headcount"]["saving_total"] == 20

    for uid, name in NAMES.items():
        status, got = unit(client, uid, AT, sid)
        assert status == 200 and got["unit"]["name"] == name, uid
    status, prov = unit(client, "bn25", AT, sid)
    assert prov["unit"]["name"] == "Tỉnh Bắc Ninh"
    # re-parented as the inputs were: the boards under the new Tỉnh ủy, the departments
    # under the new UBND, Bắc Ninh's mass organisations' place under the new Front, the
    # districts and their Party committees under the new province and Tỉnh ủy
    kids = client.get(f"/scenarios/{sid}/units/bn25/children", params={"at": AT}).json()
    assert sorted(u["id"] for u in kids["items"]) == ["bg-lg", "bg-tpbg", "bn-tdu", "bn-tpbn"]
    parents = {uid: unit(client, uid, AT, sid)[1]["parent"]["id"] for uid in (
        "bn25-btc", "bn25-vptu", "bn25-snv", "bn25-snnmt", "bg-sdttg", "bn25-ldld",
        "bn25-tdoan", "bg-tpbg-tu", "bn-tdu-hu")}
    assert parents == {"bn25-btc": "bn25-tu", "bn25-vptu": "bn25-tu", "bn25-snv": "bn25-ubnd",
                       "bn25-snnmt": "bn25-ubnd", "bg-sdttg": "bn25-ubnd",
                       "bn25-ldld": "bn25-mttq", "bn25-tdoan": "bn25-mttq",
                       "bg-tpbg-tu": "bn25-tu", "bn-tdu-hu": "bn25-tu"}
    # the department without a peer moves as it is: its name, figure and head
    status, sdttg = unit(client, "bg-sdttg", AT, sid)
    assert sdttg["unit"]["name"] == "Sở Dân tộc và Tôn giáo tỉnh Bắc Giang"
    assert sdttg["unit"]["area"] == "bn25" and sdttg["headcount"]["headcount"] == 30
    assert [p["role"] for p in sdttg["posts"]] == ["head"]
    # the City of Bắc Giang's bodies are no province's: untouched
    assert unit(client, "bg-tpbg-tu", AT, sid)[1]["unit"]["name"] == "Thành ủy Bắc Giang"


def test_bodies_keep(client):
    sid = scenario(client, bodies="keep")
    rep = client.get(f"/scenarios/{sid}/impact").json()
    assert rep["bodies"] == {"merged": 0, "bodies_ended": 0, "groups": [], "unpaired": []}
    assert rep["units"]["ended"] == ["bg", "bn"] and rep["leadership"]["removed"] == 0
    assert rep["headcount"]["before"] is None
    assert rep["warnings"] == [
        "bodies: keep: 49 units keep an area that ends on 2025-07-01 (bg (Tỉnh Bắc Giang) 26, "
        "bn (Tỉnh Bắc Ninh) 23); they are neither brought together nor moved to bn25"]
    status, tu = unit(client, "bg-tu", AT, sid)
    assert (status, tu["unit"]["area"]) == (200, "bg")
    assert unit(client, "bn25-tu", AT, sid)[0] == 404


def test_committed_the_baseline_answers_before_and_after_the_date(client):
    sid = scenario(client)
    r = client.post(f"/scenarios/{sid}/commit")
    assert r.status_code == 200, r.text

    # 2025-06-30: the two provinces and their bodies; the new ones not yet
    assert unit(client, "bg", BEFORE)[1]["unit"]["name"] == "Tỉnh Bắc Giang"
    status, btc = unit(client, "bg-btc", BEFORE)
    assert status == 200 and btc["superseded_by"][0]["id"] == "bn25-btc"
    for uid in ("bn25", "bn25-tu", "bn25-btc"):
        assert unit(client, uid, BEFORE)[0] == 404, uid
    listed = client.get("/units", params={"at": BEFORE, "area": "bg", "limit": 500}).json()
    # 24 bodies and 2 districts of Bắc Giang on that day, Sở Dân tộc và Tôn giáo among them
    assert listed["total"] == 26 and "bg-sdttg" in {u["id"] for u in listed["items"]}
    status, sdttg = unit(client, "bg-sdttg", BEFORE)
    assert (sdttg["unit"]["area"], sdttg["parent"]["id"]) == ("bg", "bg-ubnd")

    # 2025-07-02: one province, one body of each pair
    for uid in ("bg", "bn", "bg-btc", "bn-ldld"):
        assert unit(client, uid, AFTER)[0] == 404, uid
    status, new = unit(client, "bn25-btc", AFTER)
    # 30 (Bắc Giang, approved) + 29 (Bắc Ninh: approved 2024, ahead of the later actual 27)
    assert (new["unit"]["name"], new["headcount"]["headcount"]) == (
        "Ban Tổ chức Tỉnh ủy Bắc Ninh", 59)
    assert sorted(p["person_id"] for p in new["posts"]) == ["p-bg-btc", "p-bn-btc"]
    status, sdttg = unit(client, "bg-sdttg", AFTER)
    assert (sdttg["unit"]["area"], sdttg["parent"]["id"]) == ("bn25", "bn25-ubnd")
    assert client.get("/units", params={"at": AFTER, "area": "bg"}).json()["total"] == 0
    mine = client.get("/units", params={"at": AFTER, "area": "bn25", "limit": 500}).json()
    # 23 new bodies, the unpaired department, Bắc Giang's two districts (area bg)
    assert mine["total"] == 26

    # lineage: the merged board goes back to Bắc Giang's 2025-03-01 consolidation
    lin = client.get("/units/bn25-btgdv/lineage").json()
    assert {(p["unit"]["id"], p["depth"]) for p in lin["predecessors"]} == {
        ("bg-btgdv", 1), ("bn-btgdv", 1), ("bg-btg", 2), ("bg-bdv", 2)}
    assert {d["code"] for p in lin["predecessors"] for d in p["event"]["documents"]} == {
        "202/2025/QH15", "121-KL/TW"}
    lin = client.get("/units/bn25-sxd/lineage").json()
    assert {p["unit"]["id"] for p in lin["predecessors"]} == {"bg-sxd", "bn-sxd", "bn-sgtvt"}
    # the moved department's history says so
    hist = client.get("/units/bg-sdttg/history").json()["items"]
    assert {"date": "2025-07-01", "type": "moved", "from_area": "bg", "to_area": "bn25",
            "source": f"scenario:sc-{sid}"} in hist

    # search: the old province's name finds it, ended, at any date; on 2025-07-02 only
    # the units still named after it (the city, its bodies, the moved department)
    found = client.get("/search", params={"q": "Bắc Giang", "at": "any", "limit": 50}).json()
    ids = [i["unit"]["id"] for i in found["items"]]
    assert ids[0] == "bg" and found["items"][0]["unit"]["valid_to"] == AT
    assert {"bg-tu", "bg-ubnd", "bg-hdnd", "bg-sdttg", "bg-tpbg"} <= set(ids)
    now = client.get("/search", params={"q": "Bắc Giang", "at": AFTER, "limit": 50}).json()
    assert sorted(i["unit"]["id"] for i in now["items"]) == [
        "bg-sdttg", "bg-tpbg", "bg-tpbg-pnv", "bg-tpbg-tu", "bg-tpbg-ubnd"]


def test_compare_reads_each_scenario_with_its_own_assumptions(client):
    # Two plans for the merger: bodies merged (the plan's assumptions: 3 support staff ->
    # saving 23, after 1943) and bodies kept (no figure in its scope). Compared, each is
    # read as its impact reads it: compare used the defaults (2 staff: 1946), and for the
    # committed plan answered 409 (its report is kept with its own assumptions).
    merged, kept = scenario(client), scenario(client, bodies="keep")
    impact = client.get(f"/scenarios/{merged}/impact").json()["headcount"]["after"]
    r = client.get("/compare", params={"scenarios": f"{merged},{kept}"})
    assert r.status_code == 200, r.text
    rows = {row["metric"]: row for row in r.json()["table"]}
    assert rows["headcount after"][merged] == impact == 1943
    assert rows["saving (assumptions)"][merged] == 23
    assert r.json()["assumptions"] is None
    # asked for: every scenario with those
    asked = client.get("/compare", params={"scenarios": merged, "support_staff": 2}).json()
    assert asked["table"][4]["metric"] == "headcount change"
    assert {row["metric"]: row for row in asked["table"]}["headcount after"][merged] == 1946
    assert asked["assumptions"]["support_staff"] == 2
    assert client.post(f"/scenarios/{merged}/commit").status_code == 200
    r = client.get("/compare", params={"scenarios": merged})
    assert r.status_code == 200, r.text
    assert {row["metric"]: row for row in r.json()["table"]}["headcount after"][merged] == 1943
