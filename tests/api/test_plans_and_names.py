"""Plans as data, names over time and search across dates, through the API and the loader,
on the bundled dataset and small folders of our own."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import BUNDLED_DATASET, Settings
from graph.embedded.store import EmbeddedStore
from graph.errors import ValidationFailed
from loaders import read_dataset
from loaders.export import write_dataset

TOKEN = {"Authorization": "Bearer t0ken"}


def _client(store, monkeypatch):
    return TestClient(create_app(store, Settings(tokens={"tests": "t0ken"})))


@pytest.fixture()
def seed(tmp_path, monkeypatch):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(BUNDLED_DATASET))
    yield _client(store, monkeypatch), store
    store.close()


def test_plans_survive_a_reload_and_export_writes_them_back(seed, tmp_path):
    _, store = seed
    reopened = EmbeddedStore(store.path)
    assert [p.id for p in reopened.plans()] == ["p002-fold-board-offices",
                                                "qn-ckhoi-2020-regroup"]
    out = tmp_path / "out"
    write_dataset(reopened.dataset(), out)
    assert sorted(p.name for p in (out / "plans").iterdir()) == [
        "p002-fold-board-offices.yaml", "qn-ckhoi-2020-regroup.yaml"]
    assert (out / "plans" / "qn-ckhoi-2020-regroup.yaml").read_text(encoding="utf-8") == (
        BUNDLED_DATASET / "plans" / "qn-ckhoi-2020-regroup.yaml").read_text(encoding="utf-8")
    assert read_dataset(out).plans == reopened.dataset().plans
    reopened.close()


def _folder_with_plan(tmp_path, text: str):
    folder = tmp_path / "ds"
    shutil.copytree(BUNDLED_DATASET, folder)
    (folder / "plans" / "bad.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("text, line, field, words", [
    ("name: x\nstatus: done\ndate: 2020\noperations: [{op: move, unit: a, parent: b}]\n",
     2, "status", "unknown plan status"),
    ("name: x\nstatus: planned\ndate: 2020\nbasis: [doc-none]\noperations:\n"
     "  - op: dissolve\n    unit: qn-ckhoi-chi-bo-cu-1\n", 4, "basis", "refers to no document"),
    ("name: x\nstatus: planned\ndate: 2020-03-01\noperations:\n  - op: dissolve\n"
     "    unit: qn-ckhoi-chi-bo-cu-1\n  - op: merge\n    into: nowhere\n    units: [qn-ubkt]\n",
     7, "operations", "operation 2"),
    ("name: x\nstatus: planned\ncolour: red\ndate: 2020\noperations: []\n", 3, "colour",
     "unknown field"),
])
def test_a_bad_plan_is_refused_naming_its_file_line_and_field(tmp_path, text, line, field, words):
    with pytest.raises(ValidationFailed) as info:
        read_dataset(_folder_with_plan(tmp_path, text))
    found = [(p.file, p.line, p.field) for p in info.value.problems if words in p.message]
    assert ("plans/bad.yaml", line, field) in found, info.value.problems


def _small(tmp_path, events: str = "") -> str:
    folder = tmp_path / "small"
    folder.mkdir()
    (folder / "units.csv").write_text(
        "id,name,name_en,abbr,kind,level,area,valid_from,valid_to,note,source\n"
        "tinh,Tỉnh Hà Giang,Hà Giang Province,,province,province,,,,,t\n"
        "ban,Ban Tuyên giáo Tỉnh ủy,Propaganda Board,BTG,party_board,province,tinh,2010,,,t\n"
        "cu,Sở Cũ,Old Department,,department,province,tinh,2010,,,t\n"
        "moi,Sở Mới,New Department,,department,province,tinh,,,,t\n", encoding="utf-8")
    (folder / "names.csv").write_text(
        "unit_id,name,name_en,abbr,valid_from,valid_to,source\n"
        "ban,Ban Tuyên huấn Tỉnh ủy,Board of Propaganda and Training,BTH,,2015-01-01,t\n",
        encoding="utf-8")
    (folder / "events.csv").write_text(
        "id,date,type,inputs,outputs,basis,description,source\n" + events, encoding="utf-8")
    return str(folder)


def test_a_former_name_answers_for_its_dates_and_history_lists_it(tmp_path, monkeypatch):
    store = EmbeddedStore(tmp_path / "n.db")
    store.replace_dataset(read_dataset(_small(tmp_path)))
    client = _client(store, monkeypatch)
    before = client.get("/units/ban", params={"at": "2012-01-01"}).json()
    after = client.get("/units/ban", params={"at": "2016-01-01"}).json()
    assert (before["unit"]["name"], before["unit"]["abbr"]) == ("Ban Tuyên huấn Tỉnh ủy", "BTH")
    assert (after["unit"]["name"], after["unit"]["abbr"]) == ("Ban Tuyên giáo Tỉnh ủy", "BTG")
    assert [n["name"] for n in after["names"]] == ["Ban Tuyên huấn Tỉnh ủy",
                                                   "Ban Tuyên giáo Tỉnh ủy"]
    history = client.get("/units/ban/history").json()
    assert [n["valid_to"] for n in history["names"]] == ["2015-01-01", None]
    assert ("2015-01-01", "renamed") in {(i["date"], i["type"]) for i in history["items"]}
    store.close()


def test_a_committed_rename_keeps_the_old_name_for_earlier_dates(tmp_path, monkeypatch):
    store = EmbeddedStore(tmp_path / "r.db")
    store.replace_dataset(read_dataset(_small(tmp_path)))
    client = _client(store, monkeypatch)
    created = client.post("/scenarios", headers=TOKEN, json={
        "name": "rename", "at": "2020-01-01",
        "operations": [{"op": "rename", "unit": "cu", "name": "Sở Nội vụ"}]})
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    assert client.post(f"/scenarios/{sid}/commit", headers=TOKEN).status_code == 200
    assert client.get("/units/cu", params={"at": "2019-06-01"}).json()["unit"]["name"] == "Sở Cũ"
    assert client.get("/units/cu", params={"at": "2020-06-01"}).json()["unit"]["name"] == \
        "Sở Nội vụ"
    assert [n.name for n in store.unit_names("cu")] == ["Sở Cũ"]
    store.close()


def test_a_csv_rename_to_a_new_id_ends_the_old_unit_and_starts_the_new(tmp_path, monkeypatch):
    dataset = read_dataset(_small(tmp_path, "ev,2018-01-01,RENAME,cu,moi,,renamed,t\n"))
    units = {u.id: u for u in dataset.units}
    assert str(units["cu"].valid_to) == str(units["moi"].valid_from) == "2018-01-01"
    store = EmbeddedStore(tmp_path / "c.db")
    store.replace_dataset(dataset)
    body = _client(store, monkeypatch).get("/units/cu").json()
    assert (body["status"], body["reason"]) == ("closed", "renamed")
    assert [(s["id"], s["date"]) for s in body["superseded_by"]] == [("moi", "2018-01-01")]
    store.close()


def test_a_csv_rename_disagreeing_with_the_units_dates_is_refused(tmp_path):
    # `cu` starts in 2010: it cannot be the successor that a 2019 RENAME starts
    folder = _small(tmp_path, "ev,2019-01-01,RENAME,moi,cu,,renamed,t\n")
    with pytest.raises(ValidationFailed) as info:
        read_dataset(folder)
    assert [(p.file, p.line, p.field) for p in info.value.problems] == [
        ("units.csv", 4, "valid_from")]


def test_search_at_any_finds_ended_units_with_their_lifetime_and_counts_every_match(seed):
    client, _ = seed
    today = client.get("/search", params={"q": "ban to chuc mong cai"}).json()
    assert "mc-ban-to-chuc" not in {h["unit"]["id"] for h in today["items"]}
    anyday = client.get("/search", params={"q": "ban to chuc mong cai", "at": "any"}).json()
    hit = next(h for h in anyday["items"] if h["unit"]["id"] == "mc-ban-to-chuc")
    assert hit["unit"]["valid_to"] == "2018-08-07" and anyday["at"] == "any"
    small = client.get("/search", params={"q": "ban", "at": "any", "limit": 2}).json()
    assert len(small["items"]) == 2 and small["total"] > 2
