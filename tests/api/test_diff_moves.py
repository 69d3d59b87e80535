"""`GET /diff` across the end of an area: a unit that still exists but left the root's
subtree moved out (with the parent and area it went to), it was not removed; one that
entered it and existed before moved in, it was not added. Through HTTP on a real SQLite
store: the 2025 reform of Móng Cái committed (tests/data/r_mong_cai), and a commune of
tests/data/t_names moved to another district by a committed scenario."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset
from tests.api.conftest import AUTH, TOKEN
from tests.api.test_mong_cai_api import AFTER, BEFORE, TABLE, operations

DATA = Path(__file__).resolve().parents[1] / "data"


def _client(tmp_path, folder: str):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(DATA / folder))
    return store, TestClient(create_app(store, Settings(tokens={"tests": TOKEN})),
                             headers=AUTH)


def _commit(c: TestClient, at: str, ops: list[dict]) -> None:
    r = c.post("/scenarios", json={"name": "x", "at": at, "operations": ops})
    assert r.status_code == 201, r.text
    r = c.post(f"/scenarios/{r.json()['id']}/commit", json={})
    assert r.status_code == 200, r.text


@pytest.fixture
def mong_cai(tmp_path):
    store, c = _client(tmp_path, "r_mong_cai")
    with c:
        _commit(c, AFTER, operations(TABLE))
        yield c
    store.close()


def _accounts(body: dict) -> None:
    s = body["summary"]
    assert s["units_after"] == s["units_before"] + s["added"] + s["moved_in"] \
        - s["removed"] - s["moved_out"]
    assert (s["moved_in"], s["moved_out"]) == (len(body["moved_in"]), len(body["moved_out"]))


def test_the_cells_of_mong_cai_s_wards_moved_out_with_the_day_the_city_ends(mong_cai):
    c = mong_cai
    r = c.get("/diff", params={"root": "mc", "from": BEFORE, "to": AFTER})
    assert r.status_code == 200, r.text
    body = r.json()
    # the ten Party cells of the five wards and communes of Phường Móng Cái 1
    wards = [p["unit"]["id"] for p in c.get("/units/qn-p-mong-cai-1/lineage").json()[
        "predecessors"]]
    assert len(wards) == 5
    cells = {cell: ward for ward in wards for cell in
             (u["id"] for u in c.get(f"/units/{ward}-du/children",
                                     params={"at": BEFORE}).json()["items"])}
    assert len(cells) == 10
    removed = {u["id"] for u in body["removed"]}
    assert "mc" in removed and not set(cells) & removed, sorted(set(cells) & removed)
    _accounts(body)
    out = {m["unit"]["id"]: m for m in body["moved_out"]}
    assert not set(out) & removed and set(cells) <= set(out)
    for cell, ward in cells.items():
        assert (out[cell]["from_parent"], out[cell]["from_area"]) == (f"{ward}-du", ward)
        assert (out[cell]["to_parent"], out[cell]["to_area"]) == ("qn-p-mong-cai-1-du",
                                                                  "qn-p-mong-cai-1")
    # every unit moved out is there the next day, where the diff says; every one removed is not
    for uid, m in out.items():
        unit = c.get(f"/units/{uid}", params={"at": AFTER}).json()
        assert (unit["parent"]["id"], unit["unit"]["area"]) == (m["to_parent"], m["to_area"])
    for uid in removed:
        assert c.get(f"/units/{uid}", params={"at": AFTER}).status_code == 404, uid


def test_a_commune_moved_to_another_district_moved_out_of_one_and_into_the_other(tmp_path):
    store, c = _client(tmp_path, "t_names")
    with c:
        _commit(c, "2025-07-01", [{"op": "move", "unit": "pa-d1-c1", "parent": "pa-d2"}])
        params = {"from": "2025-06-30", "to": "2025-07-01"}
        left = c.get("/diff", params={**params, "root": "pa-d1"}).json()
        joined = c.get("/diff", params={**params, "root": "pa-d2"}).json()
        province = c.get("/diff", params={**params, "root": "pa"}).json()
    store.close()
    for body in (left, joined, province):
        assert body["added"] == body["removed"] == []
        _accounts(body)
    (out,) = [m for m in left["moved_out"] if m["unit"]["id"] == "pa-d1-c1"]
    (came,) = [m for m in joined["moved_in"] if m["unit"]["id"] == "pa-d1-c1"]
    assert (out["from_parent"], out["to_parent"]) == (came["from_parent"], came["to_parent"]) \
        == ("pa-d1", "pa-d2")
    assert [m["unit"]["id"] for m in left["moved_out"]] == ["pa-d1-c1"]
    # the commune's Party Committee comes into pa-d2's scope with its area: moved in, not
    # added (it still hangs under pa-d1's Huyện ủy, so it stays in pa-d1's scope too)
    (du,) = [m for m in joined["moved_in"] if m["unit"]["id"] == "pa-d1-c1-du"]
    assert (du["from_parent"], du["to_parent"], du["from_area"], du["to_area"]) == (
        "pa-d1-hu", "pa-d1-hu", "pa-d1-c1", "pa-d1-c1")
    # within the province it only changed parent
    assert province["moved_in"] == province["moved_out"] == []
    assert [m["unit"]["id"] for m in province["moved"]] == ["pa-d1-c1"]
