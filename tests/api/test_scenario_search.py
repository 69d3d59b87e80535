"""A scenario's search (`/scenarios/{id}/units?q=`) reads the scenario's names: a unit
renamed in the scenario is found by its new name, by its old one (now a former name,
said as `formerly`), and with a typo in either; the baseline's search is unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.queries.structure import search
from graph.scenarios.service import ScenarioService

NEW = "Đảng ủy Thành phố Biên giới Đông Bắc"
NEW_EN = "North-East Border City Party Committee"


@pytest.fixture(scope="module")
def renamed(seed):
    r = seed.post("/scenarios", json={"name": "Đổi tên", "at": "2018-08-07", "operations": [
        {"op": "rename", "unit": "mc-tu", "name": NEW, "name_en": NEW_EN}]})
    assert r.status_code == 201, r.text
    yield r.json()["id"]
    seed.delete(f"/scenarios/{r.json()['id']}")


def _hits(client, url, q, at="2019-01-01"):
    r = client.get(url, params={"q": q, "at": at})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_the_new_name_is_found_in_the_scenario_not_in_the_baseline(seed, renamed):
    hits = _hits(seed, f"/scenarios/{renamed}/units", "bien gioi dong bac")
    assert [h["id"] for h in hits][:1] == ["mc-tu"] and hits[0]["name"] == NEW
    assert "mc-tu" not in [h["id"] for h in _hits(seed, "/units", "bien gioi dong bac")]


def test_the_old_name_finds_the_renamed_unit_in_the_scenario(seed, renamed):
    hits = _hits(seed, f"/scenarios/{renamed}/units", "Thành ủy Móng Cái")
    assert "mc-tu" in [h["id"] for h in hits], [h["id"] for h in hits]
    # the units found by their current name come first; the renamed one by its old name
    ids = [h["id"] for h in hits]
    assert all(h["score"] < 0.42 for h in hits if h["id"] == "mc-tu")
    assert ids.index("mc-tu") == len([h for h in hits if h["score"] >= 0.42])


def test_the_scenario_search_says_formerly(seed, renamed):
    # /units?q= answers units with their score; the search's hits carry `formerly`
    state = ScenarioService(seed.app.state.store).reader(renamed)
    hits = {h["unit"]["id"]: h for h in search(state, "Thanh uy Mong Cai", dt.date(2019, 1, 1))}
    assert hits["mc-tu"].get("formerly", {}).get("name") == "Thành ủy Móng Cái"


def test_typos_in_the_new_and_the_old_name_find_it(seed, renamed):
    url = f"/scenarios/{renamed}/units"
    assert [h["id"] for h in _hits(seed, url, "bien gioy dong bac")][:1] == ["mc-tu"]
    assert "mc-tu" in [h["id"] for h in _hits(seed, url, "thanh uyy mong cai")]


def test_a_touched_unit_keeps_its_baseline_former_names_in_the_scenario_search(tmp_path):
    import shutil

    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import BUNDLED_DATASET, Settings
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset

    folder = tmp_path / "seed"
    shutil.copytree(BUNDLED_DATASET, folder)
    (folder / "names.csv").write_text(
        "unit_id,name,name_en,abbr,valid_from,valid_to,source\n"
        "mc-trung-tam-hcc,Bộ phận tiếp nhận một cửa thành phố,One-stop desk,,,2016,t\n",
        encoding="utf-8")
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(folder))
    token = "scenario-search-token-0123456789"
    with TestClient(create_app(store, Settings(tokens={"t": token})),
                    headers={"Authorization": f"Bearer {token}"}) as client:
        # dissolved in the scenario: a touched unit (its record changes), still there before
        r = client.post("/scenarios", json={"name": "End", "at": "2018-08-07", "operations": [
            {"op": "dissolve", "unit": "mc-trung-tam-hcc", "drop_functions": True}]})
        assert r.status_code == 201, r.text
        sid = r.json()["id"]
        for url in ("/units", f"/scenarios/{sid}/units"):  # the baseline, and the scenario
            hits = _hits(client, url, "bo phan tiep nhan mot cua", at="2018-01-01")
            assert [h["id"] for h in hits][:1] == ["mc-trung-tam-hcc"], (url, hits)
            typo = _hits(client, url, "bo phan tiep nhann mot cua", at="2018-01-01")
            assert [h["id"] for h in typo][:1] == ["mc-trung-tam-hcc"], (url, typo)
    store.close()


def test_a_typo_of_a_former_name_says_formerly(tmp_path):
    import shutil

    from api.settings import BUNDLED_DATASET
    from graph.embedded.memory import MemoryGraph
    from loaders import read_dataset

    folder = tmp_path / "seed"
    shutil.copytree(BUNDLED_DATASET, folder)
    (folder / "names.csv").write_text(
        "unit_id,name,name_en,abbr,valid_from,valid_to,source\n"
        "mc,Thị xã Móng Cái,Móng Cái Town,,,2008-09-24,t\n", encoding="utf-8")
    graph = MemoryGraph(read_dataset(folder))
    hits = search(graph, "thi xa mong kai", None)
    assert hits[0]["unit"]["id"] == "mc" and hits[0]["formerly"]["name"] == "Thị xã Móng Cái"
    assert "formerly" not in search(graph, "thanh pho mong kai", None)[0]  # a typo of today's
