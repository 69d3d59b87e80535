"""Search with typos and by former names, through HTTP over a real SQLite store."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset

UNITS = """id,name,name_en,abbr,kind,level,area,valid_from,valid_to,note,source
hg,Tỉnh Hà Giang,Hà Giang Province,,province,province,,,,,t
ht,Tỉnh Hà Tĩnh,Hà Tĩnh Province,,province,province,,,,,t
hn,Tỉnh Hà Nam,Hà Nam Province,,province,province,,,,,t
qn,Tỉnh Quảng Ninh,Quảng Ninh Province,,province,province,,,,,t
mc,Thành phố Móng Cái,Móng Cái City,,district,district,qn,,,,t
md,Thị xã Mông Dương,Mông Dương Town,,district,district,qn,,,,t
btc,Ban Tổ chức Tỉnh ủy Quảng Ninh,Organisation Board,BTC,party_board,province,qn,,,,t
btg,Ban Tuyên giáo Tỉnh ủy Quảng Ninh,Propaganda Board,BTG,party_board,province,qn,2010,,,t
"""
NAMES = """unit_id,name,name_en,abbr,valid_from,valid_to,source
btg,Ban Tuyên huấn Tỉnh ủy Quảng Ninh,Board of Propaganda and Training,BTH,2010,2015-01-01,t
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzzy")
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    (folder / "names.csv").write_text(NAMES, encoding="utf-8")
    store = EmbeddedStore(folder / "s.db")
    store.replace_dataset(read_dataset(folder))
    yield TestClient(create_app(store, Settings(tokens={"tests": "t0ken"})))
    store.close()


@pytest.mark.parametrize("q,first", [("mong cay", "mc"), ("ha giag", "hg"),
                                     ("ban to chuk", "btc")])
def test_a_typo_finds_the_unit_first(client, q, first):
    r = client.get("/search", params={"q": q, "at": "any"})
    assert r.status_code == 200, r.text
    body = r.json()
    ids = [h["unit"]["id"] for h in body["items"]]
    assert ids and ids[0] == first, ids
    assert body["total"] == len(ids)
    assert all(h["score"] < 0.2 and "formerly" not in h for h in body["items"])


def test_ha_giag_does_not_bring_the_other_ha_provinces(client):
    ids = [h["unit"]["id"] for h in client.get("/search", params={"q": "ha giag"}).json()["items"]]
    assert ids == ["hg"]


def test_an_exact_match_outranks_a_fuzzy_one(client):
    items = client.get("/search", params={"q": "mong duong"}).json()["items"]
    assert items[0]["unit"]["id"] == "md" and items[0]["score"] >= 0.8
    assert all(h["score"] < 0.2 for h in items[1:])


def test_a_former_name_finds_the_unit_and_says_so(client):
    r = client.get("/search", params={"q": "ban tuyen huan", "at": "any"})
    assert r.status_code == 200, r.text
    (hit,) = r.json()["items"]
    assert hit["unit"]["id"] == "btg"
    assert hit["formerly"] == {"name": "Ban Tuyên huấn Tỉnh ủy Quảng Ninh",
                               "name_en": "Board of Propaganda and Training", "abbr": "BTH",
                               "valid_from": "2010", "valid_to": "2015-01-01"}
    assert 0.2 < hit["score"] < 0.42


def test_a_former_abbreviation_finds_the_unit_and_a_current_match_says_nothing(client):
    items = client.get("/search", params={"q": "BTH", "at": "any"}).json()["items"]
    assert len(items) == 1, items
    (hit,) = items
    assert hit["unit"]["id"] == "btg" and hit["formerly"]["abbr"] == "BTH"
    current = client.get("/search", params={"q": "ban tuyen giao"}).json()["items"]
    assert current[0]["unit"]["id"] == "btg" and "formerly" not in current[0]
