"""A planner's rehearsal of a real three-province consolidation: Tỉnh Hà Nam, Tỉnh Nam Định
and Tỉnh Ninh Bình -> Tỉnh Ninh Bình (Nghị quyết 202/2025/QH15, in force 2025-07-01), on
`tests/data/r_ninh_binh` (three provinces listing their bodies in three styles: README
there), through HTTP (the app on a real SQLite store file) and the CLI: the consolidation,
the same as a merge into Ninh Bình (its id kept), and as a mapping table naming the
provinces as the resolution does; the impact, the committed baseline read before and after
the date, lineage, `/diff` and search across dates.

Every expected figure is derived by hand from the dataset's CSV files (comments, and
`tests/graph/scenarios/test_r_ninh_binh.py` for the arithmetic)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset
from tests.api.seed_plans import bomay, ok

DATA = Path(__file__).resolve().parents[1] / "data"
PLANS = DATA / "r_ninh_binh_plans"
TOKEN = "ninh-binh-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
AT, BEFORE, AFTER = "2025-07-01", "2025-06-30", "2025-07-02"


def plan(name: str) -> dict:
    return yaml.safe_load((PLANS / f"{name}.yaml").read_text(encoding="utf-8"))


#: The bodies all three provinces have, and the new body each forms (`nb25-<Hà Nam's id
#: without its area>`); Ninh Bình's Sở Văn hóa và Thể thao pairs with the two Sở VHTTDL.
ALL_THREE = ("tu", "btc", "ubkt", "btgdv", "vptu", "hdnd", "ubnd", "vpubnd", "snv", "stc",
             "syt", "sgddt", "svhttdl", "ttra", "mttq", "hlhpn", "tdoan", "hnd", "hccb", "ldld")
#: One province's only: not peers of anything (the two authorities are of kind `other`
#: and of different fields); each moves to the new province as it is.
ALONE = ["ha-nam-bqlkdh", "nb-sdl", "nd-bqlkcn"]


def members(suffix: str) -> set[str]:
    return {f"ha-nam-{suffix}", f"nd-{suffix}",
            "nb-svhtt" if suffix == "svhttdl" else f"nb-{suffix}"}


@pytest.fixture
def client(tmp_path):
    store = EmbeddedStore(tmp_path / "nb.db")
    store.replace_dataset(read_dataset(DATA / "r_ninh_binh"))
    store.close()
    store = EmbeddedStore(tmp_path / "nb.db")
    with TestClient(create_app(store, Settings(default_at=AT, tokens={"tests": TOKEN})),
                    headers=AUTH, raise_server_exceptions=False) as c:
        yield c
    store.close()


def scenario(client, name: str) -> str:
    p = plan(name)
    r = client.post("/scenarios", json={"name": p["name"], "at": AT,
                                        "operations": p["operations"]})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def unit(client, uid, at, sid=None):
    r = client.get(f"/scenarios/{sid}/units/{uid}" if sid else f"/units/{uid}",
                   params={"at": at})
    return r.status_code, r.json()


def test_the_consolidation_gives_one_body_of_each_kind(client):
    sid = scenario(client, "consolidate")
    rep = client.get(f"/scenarios/{sid}/impact").json()
    groups = {g["unit"]: set(g["from"]) for g in rep["bodies"]["groups"]}
    # Nam Định's Tỉnh ủy (under the Central Committee) and its boards, its mass
    # organisations (hanging nowhere) join the other two provinces'
    assert groups == {f"nb25-{k}": members(k) for k in ALL_THREE}
    assert sorted(u["unit"] for u in rep["bodies"]["unpaired"]) == ALONE
    # 53 posts; 23 duplicated single-holder posts removed (3 -> 1 secretary, standing
    # deputy, chairs of HĐND, UBND, Front, heads of BTC, UBKT, Ban TG-DV, Văn phòng,
    # Sở Nội vụ; 2 -> 1 heads of Sở Tài chính, chairs of Hội LHPN, Youth Union Bí thư)
    lead = rep["leadership"]
    assert (lead["before"], lead["removed"], lead["after"]) == (53, 23, 30)
    secretaries = [d for d in lead["duplicated"] if (d["unit"], d["role"]) == ("nb25-tu",
                                                                               "secretary")]
    assert [sorted(d["people"]) for d in secretaries] == [["p-hn-01", "p-nb-01", "p-nd-01"]]
    # 1682 people; saving 9 (support functions, 2 staff x 0.5) + 15 (posts in bodies with
    # a figure) = 24
    hc = rep["headcount"]
    assert (hc["before"], hc["after_recorded"], hc["saving_total"], hc["after"]) == (
        1682, 1682, 24, 1658)
    dup = {(d["unit"], d["function"]): d["holders"] for d in rep["functions"]["duplicated"]}
    assert (dup[("nb25-btc", "personnel")], dup[("nb25-ttra", "inspection")],
            dup[("nb25-vpubnd", "transport")]) == (3, 3, 2)

    # one Tỉnh ủy, one Front, one HĐND... in the new province on the date
    listed = client.get(f"/scenarios/{sid}/units", params={
        "at": AT, "area": "nb25", "level": "province", "limit": 200}).json()["items"]
    kinds = [u["kind"] for u in listed]
    assert (kinds.count("party_committee"), kinds.count("front"), kinds.count("people_council"),
            kinds.count("government"), kinds.count("inspection_committee")) == (1, 1, 1, 1, 1)
    assert len(listed) == 20 + 3  # the new bodies and the three moved as they are

    # re-parented as the inputs were
    parents = {uid: unit(client, uid, AT, sid)[1]["parent"]["id"] for uid in (
        "nb25-tu", "nb25-btc", "nb25-vptu", "nb25-snv", "nb25-ttra", "nb25-hlhpn",
        "nb25-ldld", "nb-sdl", "nd-bqlkcn", "ha-nam-bqlkdh", "nd-hh-hu", "nb-kim-son-hu")}
    assert parents == {"nb25-tu": "nb25", "nb25-btc": "nb25-tu", "nb25-vptu": "nb25-tu",
                       "nb25-snv": "nb25-ubnd", "nb25-ttra": "nb25-ubnd",
                       "nb25-hlhpn": "nb25-mttq", "nb25-ldld": "nb25-mttq",
                       "nb-sdl": "nb25-ubnd", "nd-bqlkcn": "nb25-ubnd",
                       "ha-nam-bqlkdh": "nb25-ubnd", "nd-hh-hu": "nb25-tu",
                       "nb-kim-son-hu": "nb25-tu"}
    # names: Ninh Bình's (the province the new one is named after)
    assert unit(client, "nb25-btc", AT, sid)[1]["unit"]["name"] == "Ban Tổ chức Tỉnh ủy Ninh Bình"
    assert unit(client, "nb25-hccb", AT, sid)[1]["unit"]["name"] == \
        "Hội Cựu chiến binh tỉnh Ninh Bình"
    # the unpaired department keeps its name, figure and head, in the new province
    status, sdl = unit(client, "nb-sdl", AT, sid)
    assert (sdl["unit"]["name"], sdl["unit"]["area"], sdl["headcount"]["headcount"]) == (
        "Sở Du lịch tỉnh Ninh Bình", "nb25", 22)
    # 28 + 25 + 23 (headcount.csv), three heads before the posts are cut
    status, btc = unit(client, "nb25-btc", AT, sid)
    assert btc["headcount"]["headcount"] == 75
    assert sorted(p["person_id"] for p in btc["posts"]) == ["p-hn-06", "p-nb-07", "p-nd-07"]


def test_committed_the_baseline_answers_before_and_after(client):
    sid = scenario(client, "consolidate")
    assert client.post(f"/scenarios/{sid}/commit").status_code == 200
    # before: three provinces; Nam Định's Tỉnh ủy under the Central Committee
    status, tu = unit(client, "nd-tu", BEFORE)
    assert (status, tu["unit"]["name"], tu["parent"]["id"]) == (200, "Tỉnh ủy Nam Định", "bchtw")
    assert tu["superseded_by"][0]["id"] == "nb25-tu"
    assert unit(client, "nb25-tu", BEFORE)[0] == 404
    # after: the old bodies answer 404 naming the new one
    for suffix in ALL_THREE:
        for old in members(suffix):
            status, gone = unit(client, old, AFTER)
            assert status == 404, old
            assert gone["errors"][0]["superseded_by"] == [f"nb25-{suffix}"], old
    # lineage of each old body names its successor; the new one its three predecessors
    for suffix in ("tu", "btc", "hlhpn", "svhttdl"):
        for old in members(suffix):
            lin = client.get(f"/units/{old}/lineage").json()
            assert [s["unit"]["id"] for s in lin["successors"]] == [f"nb25-{suffix}"], old
    lin = client.get("/units/nb25-tu/lineage").json()
    assert {p["unit"]["id"] for p in lin["predecessors"]} == members("tu")
    assert {d["code"] for p in lin["predecessors"] for d in p["event"]["documents"]} == {
        "202/2025/QH15"}
    # /diff across the date: the old bodies removed by their events, the unpaired moved
    diff = client.get("/diff", params={"from": BEFORE, "to": AFTER}).json()
    removed = {r["id"]: r for r in diff["removed"]}
    assert {"nd-tu", "nd-btc", "nd-hlhpn", "ha-nam-tu", "nb-tu"} <= set(removed)
    added = {a["id"] for a in diff["added"]}
    assert {f"nb25-{k}" for k in ALL_THREE} | {"nb25"} == added
    assert all(removed[u]["events"] for u in ("nd-tu", "nd-btc", "nd-hlhpn"))
    moved = {m["unit"]["id"]: (m["from_parent"], m["to_parent"]) for m in diff["moved"]}
    assert moved["nb-sdl"] == ("nb-ubnd", "nb25-ubnd")
    assert moved["nd-bqlkcn"] == ("nd-ubnd", "nb25-ubnd")
    assert moved["nd-hh-hu"] == ("nd-tu", "nb25-tu")
    # search: the old names at any date, ended; today only the moved units named so
    found = client.get("/search", params={"q": "Tỉnh ủy Nam Định", "at": "any"}).json()
    top = found["items"][0]["unit"]
    assert (top["id"], top["valid_to"]) == ("nd-tu", AT)
    now = client.get("/search", params={"q": "Tỉnh ủy Nam Định", "at": AFTER}).json()
    assert "nd-tu" not in {i["unit"]["id"] for i in now["items"]}
    # a short form as the list writes it, without diacritics
    found = client.get("/search", params={"q": "hoi ccb nam dinh", "at": "any"}).json()
    top = found["items"][0]["unit"]
    assert (top["id"], top["valid_to"]) == ("nd-hccb", AT)


def test_merged_into_ninh_binh_it_keeps_its_id(client):
    sid = scenario(client, "merge")
    rep = client.get(f"/scenarios/{sid}/impact").json()
    groups = {g["unit"]: set(g["from"]) for g in rep["bodies"]["groups"]}
    # Ninh Bình's bodies take in their peers of the two others, all of them
    nb = {k: ("svhtt" if k == "svhttdl" else k) for k in ALL_THREE}
    assert groups == {f"nb-{nb[k]}": members(k) - {f"nb-{nb[k]}"} for k in ALL_THREE}
    assert sorted(u["unit"] for u in rep["bodies"]["unpaired"]) == ["ha-nam-bqlkdh",
                                                                    "nd-bqlkcn"]
    assert (rep["leadership"]["removed"], rep["headcount"]["after"]) == (23, 1658)
    status, tu = unit(client, "nb-tu", AT, sid)
    assert status == 200 and tu["unit"]["name"] == "Tỉnh ủy Ninh Bình"
    assert sorted(p["person_id"] for p in tu["posts"] if p["role"] == "secretary") == [
        "p-hn-01", "p-nb-01", "p-nd-01"]
    assert unit(client, "nd-tu", AT, sid)[0] == 404
    events = client.get(f"/scenarios/{sid}/diff").json()["events"]
    into_tu = [e for e in events if e["outputs"] == ["nb-tu"]]
    assert len(into_tu) == 1 and sorted(into_tu[0]["inputs"]) == ["ha-nam-tu", "nd-tu"]


def test_the_cli_runs_the_mapping_table_to_the_same_report(tmp_path):
    store = str(tmp_path / "nb.db")
    assert "loaded 89 units" in ok("--store", store, "load", str(DATA / "r_ninh_binh")).stdout
    ran = json.loads(ok("--store", store, "scenario", "run", str(PLANS / "consolidate.yaml"),
                        "--json").stdout)
    # the annex names the provinces; `Nam Định` is also a city: the row's kind says which
    mapped = json.loads(ok("--store", store, "scenario", "run", str(PLANS / "map.yaml"),
                           "--json").stdout)
    for section in ("headcount", "leadership", "bodies"):
        assert mapped[section] == ran[section], section
    assert (ran["bodies"]["merged"], ran["leadership"]["removed"]) == (20, 23)
    sid = json.loads(ok("--store", store, "scenario", "save", str(PLANS / "map.yaml"),
                        "--json").stdout)["id"]
    ok("--store", store, "scenario", "commit", sid)
    shown = json.loads(ok("--store", store, "show", "nb25-ldld", "--at", AFTER, "--json").stdout)
    # 25 + 30 + 28 (headcount.csv), under the new Front
    assert (shown["headcount"]["headcount"], shown["parent"]["id"]) == (83, "nb25-mttq")
    r = bomay("--store", store, "show", "nd-ldld", "--at", AFTER)
    assert r.returncode == 1 and "nb25-ldld" in r.stdout + r.stderr
    lin = json.loads(ok("--store", store, "lineage", "nd-ldld", "--json").stdout)
    assert [s["unit"]["id"] for s in lin["successors"]] == ["nb25-ldld"]


def test_merged_into_nam_dinh_its_own_bodies_take_the_others_in(client):
    # Nam Định's Tỉnh ủy hangs under the Central Committee and its mass organisations
    # nowhere: merged into Nam Định, the others' go into them (no second Tỉnh ủy)
    op = {"op": "merge", "into": "nd", "units": ["ha-nam", "nb"],
          "basis": ["nq-202-2025-qh15"]}
    r = client.post("/scenarios", json={"name": "into Nam Định", "at": AT, "operations": [op]})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    rep = client.get(f"/scenarios/{sid}/impact").json()
    groups = {g["unit"]: set(g["from"]) for g in rep["bodies"]["groups"]}
    assert groups["nd-tu"] == {"ha-nam-tu", "nb-tu"}
    assert groups["nd-hlhpn"] == {"ha-nam-hlhpn", "nb-hlhpn"}
    assert not [u for u in groups if u.endswith("-2")]
    assert (rep["leadership"]["removed"], rep["headcount"]["after"]) == (23, 1658)
    status, tu = unit(client, "nd-tu", AT, sid)
    assert (status, tu["parent"]["id"]) == (200, "bchtw")
    assert sorted(p["person_id"] for p in tu["posts"] if p["role"] == "secretary") == [
        "p-hn-01", "p-nb-01", "p-nd-01"]
    kids = client.get(f"/scenarios/{sid}/units/nd-tu/children", params={"at": AT}).json()
    # its own boards (which took the others' in) and the six districts' Party committees
    assert sorted(k["id"] for k in kids["items"]) == sorted([
        "nd-btc", "nd-ubkt", "nd-btgdv", "nd-vptu", "nd-tpnd-tu", "nd-hh-hu",
        "ha-nam-phu-ly-tu", "ha-nam-duy-tien-tu", "nb-hoa-lu-tu", "nb-kim-son-hu"])
    assert client.post(f"/scenarios/{sid}/commit").status_code == 200
    status, gone = unit(client, "ha-nam-tu", AFTER)
    assert status == 404 and gone["errors"][0]["superseded_by"] == ["nd-tu"]
