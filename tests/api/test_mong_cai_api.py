"""The 2025 reform of Móng Cái and Hải Hà (tests/data/r_mong_cai) through the HTTP API, as
a planner does it on a real SQLite store: the plan posted with its annex table as rows,
its impact and its units read against the scenario, a misspelt and an ambiguous name
refused naming their rows, the scenario committed, then the as-of answers before and
after the reform's day and a search for the old wards at any date, with typos."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from graph.scenarios.mapping import mapping_from_csv
from loaders import read_dataset
from tests.api.conftest import AUTH, TOKEN

DATA = Path(__file__).resolve().parents[1] / "data"
TABLE = (DATA / "r_mong_cai_plans" / "communes.csv").read_text(encoding="utf-8")
BEFORE, AFTER = "2025-06-30", "2025-07-01"


def operations(table: str) -> list[dict]:
    return [{"op": "dissolve_level", "level": "district", "within": "qn", "bodies": "end",
             "basis": ["nq-1679-2025"]},
            {"op": "consolidate_map", "rows": mapping_from_csv(table, "communes.csv"),
             "basis": ["nq-1679-2025"]}]


@pytest.fixture
def client(tmp_path):
    store = EmbeddedStore(tmp_path / "mong-cai.db")
    store.replace_dataset(read_dataset(DATA / "r_mong_cai"))
    with TestClient(create_app(store, Settings(tokens={"tests": TOKEN})), headers=AUTH) as c:
        yield c
    store.close()


def ids(answer) -> list[str]:
    return [u["id"] for u in answer.json()["items"]]


def test_the_reform_through_the_api_then_committed(client):
    c = client
    r = c.post("/scenarios", json={"name": "Sắp xếp ĐVHC Móng Cái 2025", "at": AFTER,
                                   "operations": operations(TABLE)})
    assert r.status_code == 201, r.text
    sid, log = r.json()["id"], r.json()["log"]
    assert [e["summary"] for e in log] == [
        "2 districts dissolved on 2025-07-01 within qn; 24 of their bodies ended",
        "8 consolidations from a mapping table on 2025-07-01"]
    report = c.get(f"/scenarios/{sid}/impact").json()
    h = report["headcount"]
    assert (h["before"], h["after_recorded"], h["after"]) == (1056, 846, 756)
    # read against the scenario: one Party Committee for the new ward, under the Tỉnh ủy,
    # with the ten cells of its five old wards and communes
    du = c.get(f"/scenarios/{sid}/units/qn-p-mong-cai-1-du", params={"at": AFTER}).json()
    assert (du["unit"]["name"], du["parent"]["id"]) == ("Đảng ủy phường Móng Cái 1", "qn-tu")
    cells = c.get(f"/scenarios/{sid}/units/qn-p-mong-cai-1-du/children", params={"at": AFTER})
    assert len(ids(cells)) == 10 and all(i.endswith(("-cb1", "-cb2")) for i in ids(cells))

    r = c.post(f"/scenarios/{sid}/commit", json={})
    assert r.status_code == 200, r.text
    # before the day: the city and its wards, as they were
    ka_long = c.get("/units/mc-ka-long", params={"at": BEFORE})
    assert ka_long.status_code == 200
    assert (ka_long.json()["unit"]["area"], ka_long.json()["parent"]["id"]) == ("mc", "mc")
    assert len(ids(c.get("/units/mc/children", params={"at": BEFORE}))) == 17 + 4
    cell = c.get("/units/mc-ka-long-cb1", params={"at": BEFORE}).json()
    assert (cell["unit"]["area"], cell["parent"]["id"]) == ("mc-ka-long", "mc-ka-long-du")
    assert c.get("/units/qn-p-mong-cai-1", params={"at": BEFORE}).status_code == 404
    # from the day: the wards under the province, the city gone
    assert c.get("/units/mc-ka-long", params={"at": AFTER}).status_code == 404
    assert c.get("/units/mc", params={"at": AFTER}).status_code == 404
    kids = ids(c.get("/units/qn/children", params={"at": AFTER}))
    assert [k for k in kids if k.startswith("qn-p-") or k.startswith("qn-x-")] == [
        "qn-p-mong-cai-1", "qn-p-mong-cai-2", "qn-p-mong-cai-3", "qn-x-duong-hoa",
        "qn-x-hai-ninh", "qn-x-hai-son", "qn-x-quang-ha", "qn-x-vinh-thuc"]
    cell = c.get("/units/mc-ka-long-cb1", params={"at": AFTER}).json()
    assert (cell["unit"]["area"], cell["parent"]["id"]) == ("qn-p-mong-cai-1",
                                                             "qn-p-mong-cai-1-du")
    in_area = ids(c.get("/units", params={"area": "mc-ka-long", "at": BEFORE}))
    assert "mc-ka-long-cb1" in in_area
    assert ids(c.get("/units", params={"area": "mc-ka-long", "at": AFTER})) == []
    # the old ward, found at any date: in its own city (never in the province)
    found = c.get("/search", params={"q": "ka long", "at": "any"}).json()["items"]
    assert found[0]["unit"]["id"] == "mc-ka-long"
    assert (found[0]["unit"]["area"], found[0]["unit"]["parent"]) == ("mc", "mc")
    lineage = c.get("/units/qn-p-mong-cai-1/lineage").json()
    assert {p["unit"]["id"]: p["unit"]["area"] for p in lineage["predecessors"]} == {
        "mc-tran-phu": "mc", "mc-ka-long": "mc", "mc-hoa-lac": "mc", "mc-ninh-duong": "mc",
        "mc-hai-xuan": "mc"}
    # a typo: `tran fu` (an `f` for `ph`) finds Phường Trần Phú at any date, first, and its
    # bodies before Thị trấn Quảng Hà's (`tran` alone)
    typo = [i["unit"]["id"] for i in
            c.get("/search", params={"q": "tran fu", "at": "any"}).json()["items"]]
    assert typo[0] == "mc-tran-phu"
    assert typo.index("mc-tran-phu-ubnd") < typo.index("hh-quang-ha")
    assert [i["unit"]["id"] for i in c.get("/search", params={
        "q": "fuong ka long", "at": "any"}).json()["items"]][:1] == ["mc-ka-long"]


def test_a_misspelt_and_an_ambiguous_name_are_refused_naming_their_rows(client):
    table = TABLE.replace("Ka Long;", "Ka Lông;").replace(
        "Quảng Phong;Quảng Nghĩa,Huyện Hải Hà", "Quảng Phong;Quảng Nghĩa,").replace(
        "Hải Yên;Hải Đông,Thành phố Móng Cái", "Hải Yên;Hải Đông,Thành phố Móng Cay")
    r = client.post("/scenarios", json={"name": "Sai", "at": AFTER,
                                        "operations": operations(table)})
    assert r.status_code == 409, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["detail"].startswith("operation 2 (consolidate_map): 3 names of the mapping "
                                        "table do not give one unit each on 2025-07-01")
    assert [(e["field"], e["value"]) for e in problem["errors"]] == [
        ("communes.csv:2", "Ka Lông"), ("communes.csv:4", "Thành phố Móng Cay"),
        ("communes.csv:9", "Quảng Nghĩa")]
    misspelt, area, ambiguous = problem["errors"]
    # a misspelt `within`: the nearest areas, the city the plan dissolves that day among them
    assert area["key"] == "within" and area["nearest"] == ["Thành phố Móng Cái"]
    assert [c["id"] for c in area["candidates"]] == ["mc"]
    assert "nearest: Thành phố Móng Cái (mc, Tỉnh Quảng Ninh; ended on 2025-07-01)" in \
        area["message"]
    assert misspelt["nearest"][0] == "Phường Ka Long"
    # both communes of that name, each with its district of the day before
    assert sorted(c["id"] for c in ambiguous["candidates"]) == ["hh-quang-nghia",
                                                                "mc-quang-nghia"]
    assert "add `within`" in ambiguous["message"]
    assert client.get("/scenarios").json()["total"] == 0
