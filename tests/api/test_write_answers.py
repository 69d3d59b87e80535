"""A scenario write is answered as stored exactly when it was stored (issue 13's soak
mismatch: a scenario held 400 operations while the clients had 399 answers of 201).

The race: a write commits in SQLite, then the same request checks the store for another
process's writes (the freshness check that starts every read) and reloads the baseline
another process (a CLI `bomay load`) replaced meanwhile. When that reload, or the check
itself, fails (a busy or unreadable file: StoreBusy/StoreError, answered 503), a write
that *is* stored was answered "try again"; the client counts it as refused (and may
write it again). Here the other process is a second store object on the same real
SQLite file, its load lands between the save and the answer, and the failure is
injected in the reload at that exact point.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import BUNDLED_DATASET, Settings
from graph.embedded.store import EmbeddedStore
from graph.errors import StoreBusy
from loaders import read_dataset

TOKEN = "write-answers-token-0123456789"
RENAME = {"op": "rename", "unit": "mc-tu", "name": "Thành ủy (race)"}


@pytest.fixture(scope="module")
def dataset():
    return read_dataset(BUNDLED_DATASET)


@pytest.fixture()
def stores(tmp_path, dataset):
    served = EmbeddedStore(tmp_path / "s.db")
    served.replace_dataset(dataset)
    served.dataset()  # built before serving, as `bomay serve` does
    other = EmbeddedStore(tmp_path / "s.db")  # another process on the same file (the CLI)
    yield served, other
    other.close()
    served.close()


def _client(store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(store, Settings(tokens={"tests": TOKEN})),
                      headers={"Authorization": f"Bearer {TOKEN}"})


def _load_after_each_save(monkeypatch, served: EmbeddedStore, other: EmbeddedStore,
                          dataset, *, reload_fails: bool) -> list[str]:
    """After every scenario save of `served`: `other` replaces the baseline (committed
    before the request answers); with `reload_fails`, `served`'s reload of it then fails
    as a busy file does. Returns the revisions loaded."""
    loaded: list[str] = []
    save = served.save_scenario

    def save_then_load(scenario, *, expected_version=None):
        saved = save(scenario, expected_version=expected_version)
        loaded.append(other.replace_dataset(dataset))
        return saved

    monkeypatch.setattr(served, "save_scenario", save_then_load)
    if reload_fails:
        def busy(*_a, **_k):
            raise StoreBusy("reading the store: the file is busy (injected)")
        monkeypatch.setattr(served, "_build_graph", busy)
    return loaded


@pytest.mark.parametrize("reload_fails", [False, True], ids=["reload", "reload-fails"])
def test_an_operation_stored_while_another_process_loads_is_answered_201(
        monkeypatch, stores, dataset, reload_fails):
    served, other = stores
    client = _client(served)
    sid = client.post("/scenarios", json={"name": "Race", "at": "2018-08-07"}).json()["id"]
    _load_after_each_save(monkeypatch, served, other, dataset, reload_fails=reload_fails)

    r = client.post(f"/scenarios/{sid}/operations", json=RENAME)

    stored = other.get_scenario(sid)
    assert len(stored.operations) == 1  # the write is in the file...
    assert r.status_code == 201, r.text  # ...so the answer says so
    assert r.json()["operations"] == list(stored.operations)


@pytest.mark.parametrize("reload_fails", [False, True], ids=["reload", "reload-fails"])
def test_a_scenario_created_while_another_process_loads_is_answered_201(
        monkeypatch, stores, dataset, reload_fails):
    served, other = stores
    client = _client(served)
    _load_after_each_save(monkeypatch, served, other, dataset, reload_fails=reload_fails)

    r = client.post("/scenarios", json={"name": "Race", "at": "2018-08-07",
                                        "operations": [RENAME]})

    assert [s.name for s in other.list_scenarios()] == ["Race"]
    assert r.status_code == 201, r.text  # a 503 here makes the client create a second one
    body = r.json()
    assert other.get_scenario(body["id"]).operations == (RENAME,)
    assert body["valid"] is True and len(body["log"]) == 1


@pytest.mark.parametrize("reload_fails", [False, True], ids=["reload", "reload-fails"])
def test_an_undo_stored_while_another_process_loads_is_answered_200(
        monkeypatch, stores, dataset, reload_fails):
    served, other = stores
    client = _client(served)
    sid = client.post("/scenarios", json={"name": "Race", "at": "2018-08-07",
                                          "operations": [RENAME, RENAME | {"name": "B"}]}
                      ).json()["id"]
    _load_after_each_save(monkeypatch, served, other, dataset, reload_fails=reload_fails)

    r = client.delete(f"/scenarios/{sid}/operations/2")

    assert [o["name"] for o in other.get_scenario(sid).operations] == [RENAME["name"]]
    assert r.status_code == 200, r.text
    assert r.json()["removed"]["name"] == "B" and len(r.json()["log"]) == 1


def test_after_the_answer_the_next_request_reads_the_other_process_load(
        monkeypatch, stores, dataset):
    """The answer does not wait for (or fail on) the reload; the next request does it."""
    served, other = stores
    client = _client(served)
    sid = client.post("/scenarios", json={"name": "Race", "at": "2018-08-07"}).json()["id"]
    loaded = _load_after_each_save(monkeypatch, served, other, dataset, reload_fails=False)
    assert client.post(f"/scenarios/{sid}/operations", json=RENAME).status_code == 201
    assert client.get("/health").json()["revision"] == loaded[-1]
    got = client.get(f"/scenarios/{sid}").json()
    assert got["valid"] is True and len(got["operations"]) == 1


def test_a_refused_write_is_not_stored(monkeypatch, stores):
    """The other half: a write that fails before its commit (the file busy at the save)
    is answered 503 with Retry-After and nothing is stored."""
    served, other = stores
    client = _client(served)
    sid = client.post("/scenarios", json={"name": "Race", "at": "2018-08-07"}).json()["id"]

    def busy(*_a, **_k):
        raise StoreBusy("writing a scenario: the store is locked (injected)")
    monkeypatch.setattr(served, "save_scenario", busy)
    r = client.post(f"/scenarios/{sid}/operations", json=RENAME)
    assert r.status_code == 503 and r.headers["retry-after"]
    assert other.get_scenario(sid).operations == ()
