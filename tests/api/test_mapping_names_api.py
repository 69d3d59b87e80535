"""A mapping table that names the old communes by name, through the HTTP API
(`POST /scenarios` with `rows` as a planner pastes them from a resolution's annex), on
tests/data/t_names: the names become the ids of that date, the new commune and its Party
Committee stand where the old ones stood; a name that gives no single unit is a 409
problem+json naming the row and every candidate."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from graph.scenarios.mapping import mapping_from_csv
from loaders import read_dataset
from tests.api.conftest import AUTH, DATA, TOKEN

#: "Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của các xã Tân Lập, Tân Tiến và xã
#: Hòa Bình (huyện Yên Sơn) thành xã mới có tên gọi là xã Tân Lập"
ANNEX = ("new_id,new_name,names,within,name_en\n"
         "ys-tan-lap,Xã Tân Lập,Tân Lập;Tân Tiến;xã Hòa Bình,"
         "\"Huyện Yên Sơn, Tỉnh An Hà\",Tan Lap Commune\n"
         "dh-dong-phu,Xã Đông Phú,Tân Lập (Huyện Đông Hòa);Thị trấn Đông Hòa;Đông Phú,"
         ",Dong Phu Commune\n")


def test_a_table_by_names_through_the_api(tmp_path):
    store = EmbeddedStore(tmp_path / "n.db")
    store.replace_dataset(read_dataset(DATA / "t_names"))
    rows = mapping_from_csv(ANNEX, "communes.csv")
    with TestClient(create_app(store, Settings(tokens={"tests": TOKEN})), headers=AUTH) as c:
        r = c.post("/scenarios", json={"name": "Sắp xếp xã", "at": "2025-07-01", "operations": [
            {"op": "consolidate_map", "rows": rows}]})
        assert r.status_code == 201, r.text
        sid, log = r.json()["id"], r.json()["log"]
        assert log[0]["summary"] == "2 consolidations from a mapping table on 2025-07-01"
        # the log names the units by the ids the names stood for
        consolidations = [e for e in log[0]["events"] if e["type"] == "CONSOLIDATE"]
        assert [(e["inputs"], e["outputs"]) for e in consolidations[:1]] == [
            (["pa-d1-c1", "pa-d1-c2", "pa-d1-c3"], ["ys-tan-lap"])]
        assert {"pa-d2-c1", "pa-d2-c2", "pa-d2-c3"} <= set(log[0]["ended"])
        # the stored operation keeps the table as written
        stored = c.get(f"/scenarios/{sid}").json()["operations"][0]["rows"][0]
        assert stored["names"] == ["Tân Lập", "Tân Tiến", "xã Hòa Bình"]
        new = c.get(f"/scenarios/{sid}/units/ys-tan-lap", params={"at": "2025-07-01"})
        assert new.status_code == 200, new.text
        assert (new.json()["unit"]["name"], new.json()["parent"]["id"]) == ("Xã Tân Lập", "pa-d1")
        # the communes' Party Committees became one, under the district's
        du = c.get(f"/scenarios/{sid}/units/ys-tan-lap-du", params={"at": "2025-07-01"}).json()
        assert (du["unit"]["name"], du["parent"]["id"]) == ("Đảng ủy xã Tân Lập", "pa-d1-hu")
        kids = c.get(f"/scenarios/{sid}/units/pa-d2/children", params={"at": "2025-07-01"})
        assert [k["id"] for k in kids.json()["items"]] == ["dh-dong-phu"]
        # the namesakes elsewhere are untouched
        other = c.get(f"/scenarios/{sid}/units/pb-d1-c1", params={"at": "2025-07-01"})
        assert other.status_code == 200 and other.json()["unit"]["name"] == "Xã Tân Lập"

        # without the province, `Huyện Yên Sơn` is in two: a problem naming the row
        bad = mapping_from_csv(ANNEX.replace('"Huyện Yên Sơn, Tỉnh An Hà"', "Huyện Yên Sơn")
                               .replace("Đông Phú,,", "Đông Phúc,,"), "communes.csv")
        r = c.post("/scenarios", json={"name": "Sai", "at": "2025-07-01", "operations": [
            {"op": "consolidate_map", "rows": bad}]})
        assert r.status_code == 409, r.text
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert problem["detail"].startswith("operation 1 (consolidate_map): 4 names of the "
                                            "mapping table do not give one unit each")
        assert [(e["field"], e["value"]) for e in problem["errors"]] == [
            ("communes.csv:2", "Tân Lập"), ("communes.csv:2", "Tân Tiến"),
            ("communes.csv:2", "xã Hòa Bình"), ("communes.csv:3", "Đông Phúc")]
        assert [c_["area"] for c_ in problem["errors"][0]["candidates"]] == [
            "Huyện Yên Sơn, Tỉnh An Hà", "Huyện Yên Sơn, Tỉnh Bắc Sơn"]
        assert problem["errors"][3]["candidates"][0]["id"] == "pa-d2-c3"
        assert "nearest: Xã Đông Phú (pa-d2-c3" in problem["errors"][3]["message"]
        # the nearest names apart, for an unknown name only (not for namesakes)
        assert problem["errors"][3]["nearest"][0] == "Xã Đông Phú"
        assert "nearest" not in problem["errors"][0]
        # nothing was stored
        assert c.get("/scenarios").json()["total"] == 1
    store.close()
