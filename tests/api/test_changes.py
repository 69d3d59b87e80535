"""The change log through HTTP (`GET /changes`) and the CLI (`bomay changes`): every load
names its folder and who ran it; a write made through the API names its token."""

from __future__ import annotations

import os
import subprocess
import sys

import orjson
from fastapi import Request
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from graph.store import ChangeNote


def bomay(*args):
    return subprocess.run([sys.executable, "-m", "api.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120,
                          env={**{k: v for k, v in os.environ.items()
                                  if not k.startswith("BOMAY_")}, "COLUMNS": "400"})


def test_loads_are_listed_newest_first_by_the_cli_and_the_api(tmp_path, data_dir):
    store_path = tmp_path / "s.db"
    assert bomay("--store", store_path, "load", data_dir / "chain").returncode == 0
    assert bomay("load", data_dir / "s_city", "--store", store_path).returncode == 0
    listed = bomay("changes", "--json", "--store", store_path)
    assert listed.returncode == 0, listed.stderr
    body = orjson.loads(listed.stdout)
    first, second = body["items"][1], body["items"][0]
    assert (first["action"], second["action"]) == ("load", "load")
    assert first["what"] == str((data_dir / "chain").resolve())
    assert second["what"] == str((data_dir / "s_city").resolve())
    assert second["who"].startswith("cli")
    assert second["previous_revision"] == first["revision"] == first["revision"]
    assert second["revision"] == body["revision"] and second["seq"] > first["seq"]
    table = bomay("--store", store_path, "changes")
    assert table.returncode == 0 and "s_city" in table.stdout and "load" in table.stdout

    store = EmbeddedStore(store_path)
    try:
        c = TestClient(create_app(store, Settings()))
        r = c.get("/changes")
        assert r.status_code == 200
        api = r.json()
        assert api["items"] == body["items"] and api["revision"] == body["revision"]
        assert api["more"] is False
        page = c.get("/changes", params={"limit": 1}).json()
        assert page["more"] is True and page["items"] == body["items"][:1]
        assert c.get("/changes", params={"limit": 1, "offset": 1}).json()["items"] == \
            body["items"][1:2]
    finally:
        store.close()


def test_the_token_name_of_a_write_is_what_the_log_records(tmp_path, data_dir):
    """The edge gives a route `request.state.token_name`; a route that writes the baseline
    records it (the scenario commit does the same)."""
    from loaders import read_dataset
    store = EmbeddedStore(tmp_path / "s.db")
    try:
        store.replace_dataset(read_dataset(data_dir / "chain"),
                              change=ChangeNote("load", "chain", "setup"))
        app = create_app(store, Settings(tokens={"planner-anh": "anh-secret-0123456789abcd"}))
        folder = data_dir / "s_city"

        @app.post("/_reload", status_code=201)
        def reload(request: Request) -> dict:
            revision = store.replace_dataset(read_dataset(folder), change=ChangeNote(
                "load", folder.name, request.state.token_name))
            return {"revision": revision}

        c = TestClient(app)
        r = c.post("/_reload", headers={"Authorization": "Bearer anh-secret-0123456789abcd"})
        assert r.status_code == 201
        latest = c.get("/changes").json()["items"][0]
        assert latest["who"] == "planner-anh" and latest["revision"] == r.json()["revision"]
    finally:
        store.close()


def test_changes_on_a_missing_store_is_one_line(tmp_path):
    r = bomay("--store", tmp_path / "nope.db", "changes")
    assert r.returncode == 1 and r.stderr.startswith("error: no store at")
