"""Bad input through the three doors, end to end: `bomay check`/`bomay load` on a folder
whose plans are bad, `bomay scenario run/save` with a bad plan file, and HTTP on an app
over a real SQLite file. Each is refused with exit 1 (or a 4xx problem+json), one line
naming file, line (and column) and field with what was expected, and the store unchanged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset
from tests.api.conftest import AUTH, TOKEN
from tests.api.seed_plans import bomay, ok

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]


def _in(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`bomay ARGS` run in `folder` (a plan file named as a planner names it: plan.yaml)."""
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-c", "from api.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=folder, timeout=180,
                          env={**os.environ, "COLUMNS": "200", "PYTHONPATH": path})
HEAD = "name: x\nat: 2025-07-01\n"
DISSOLVE = "operations:\n  - op: dissolve\n    unit: pa-d1-c1-du\n"


def _bomb() -> str:
    anchors, previous = [], None
    for i in range(9):
        items = ["lol"] * 9 if previous is None else [f"*{previous}"] * 9
        anchors.append(f"l{i}: &l{i} [{', '.join(items)}]")
        previous = f"l{i}"
    return HEAD + "assumptions: {" + ", ".join(anchors) + "}\n" + DISSOLVE + \
        f"    note: *{previous}\n"


@pytest.fixture()
def store(tmp_path) -> Path:
    db = tmp_path / "s.db"
    ok("--store", str(db), "load", str(DATA / "t_names"))
    return db


def _state(db: Path) -> tuple:
    """What a refused command must leave as it was: the revision, the scenarios, the plans."""
    s = EmbeddedStore(db)
    return s.revision, sorted(x.id for x in s.list_scenarios())


@pytest.mark.parametrize("text, first_line", [
    (_bomb(), "error: plan.yaml:3:19: not valid YAML: its aliases expand it to "),
    (HEAD + DISSOLVE + DISSOLVE,
     "error: plan.yaml:6:1: not valid YAML: duplicate key 'operations' (also on line 3)"),
    (HEAD + "description: " + "[" * 3000 + "]" * 3000 + "\n" + DISSOLVE,
     "error: plan.yaml:3:"),
    ("", "error: plan.yaml:1: expected a list of operations, or a mapping with `operations`"),
    ("hello\n", "error: plan.yaml:1: expected a list of operations, or a mapping"),
    (HEAD + "colour: red\n" + DISSOLVE,
     "error: plan.yaml:3: unknown field colour; expected one of assumptions, at, description"),
    ("name: [a, b]\nat: 2025-07-01\n" + DISSOLVE, "error: plan.yaml:1: name: expected a text value"),
    (HEAD + "operations:\n  - op: consolidate_map\n    mapping: nope.csv\n",
     "error: plan.yaml:4: "),
    (HEAD + "operations:\n  - op: consolidate_map\n    mapping: t.csv\n    rows: []\n",
     "error: plan.yaml:5: operation 1 (consolidate_map): mapping: give rows or a mapping "
     "table, not both"),
])
@pytest.mark.parametrize("command", ["run", "save"])
def test_a_bad_plan_file_is_one_line_at_its_place_and_saves_nothing(tmp_path, store, text,
                                                                    first_line, command):
    (tmp_path / "t.csv").write_text("new_id,new_name,units\nn1,Xã A,pa-d1-c1;pa-d1-c2\n",
                                    encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    before = _state(store)
    r = _in(tmp_path, "--store", str(store), "scenario", command, "plan.yaml")
    assert r.returncode == 1, r.stdout + r.stderr
    assert (r.stderr or r.stdout).splitlines()[0].startswith(first_line), r.stderr + r.stdout
    assert "Traceback" not in r.stdout + r.stderr
    assert _state(store) == before


def test_a_plan_file_with_a_byte_that_is_not_utf8_is_named_at_its_line_and_column(tmp_path,
                                                                                 store):
    (tmp_path / "plan.yaml").write_bytes((HEAD + DISSOLVE).encode() + b"description: \xff\n")
    r = _in(tmp_path, "--store", str(store), "scenario", "run", "plan.yaml")
    assert r.returncode == 1
    assert r.stderr.splitlines()[0] == (
        "error: plan.yaml:6:14: bytes that are not UTF-8 text: expected a UTF-8 file (with or "
        "without BOM) (got 'ff')"), r.stderr


def test_a_folder_with_an_alias_bomb_in_a_plan_is_refused_by_check_and_load(tmp_path, store):
    folder = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", folder)
    (folder / "plans").mkdir()
    (folder / "plans" / "x.yaml").write_text(
        _bomb().replace("at: 2025-07-01\n", "status: planned\ndate: 2025-07-01\n"),
        encoding="utf-8")
    before = _state(store)
    for args in (("check", str(folder)), ("--store", str(store), "load", str(folder))):
        r = bomay(*args)
        assert r.returncode == 1
        assert r.stderr.splitlines()[0].startswith(
            "plans/x.yaml:4:19: not valid YAML: its aliases expand it to"), r.stderr
    assert _state(store) == before
    checked = bomay("check", "--json", str(folder))
    (problem,) = json.loads(checked.stdout)
    assert (problem["file"], problem["line"], problem["column"]) == ("plans/x.yaml", 4, 19)


def test_a_folder_whose_table_has_a_bad_row_is_refused_at_the_table_s_cell(tmp_path, store):
    folder = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", folder)
    (folder / "plans" / "tables").mkdir(parents=True)
    (folder / "plans" / "x.yaml").write_text(
        "name: x\nstatus: planned\ndate: 2025-07-01\noperations:\n"
        "  - op: consolidate_map\n    mapping: tables/a.csv\n", encoding="utf-8")
    (folder / "plans" / "tables" / "a.csv").write_text(
        "new_id,new_name,units\r\nn1,Xã A,pa-d1-c1;pa-d1-c2\r\nn1,Xã B,pa-d2-c1;pa-d2-c3\r\n",
        encoding="utf-8")
    before = _state(store)
    r = bomay("--store", str(store), "load", str(folder))
    assert r.returncode == 1
    assert r.stderr.splitlines()[0] == (
        "plans/tables/a.csv:3:1: [new_id] plans/x.yaml: operation 1 (consolidate_map): new "
        "unit n1 is also made by a.csv:2 (got 'n1')"), r.stderr
    assert _state(store) == before


# -- HTTP ---------------------------------------------------------------------------------------
@pytest.fixture()
def client(tmp_path) -> TestClient:
    s = EmbeddedStore(tmp_path / "h.db")
    s.replace_dataset(read_dataset(DATA / "t_names"))
    return TestClient(create_app(s, Settings(tokens={"tests": TOKEN})), headers=AUTH,
                      raise_server_exceptions=False)


@pytest.mark.parametrize("operation, unit", [
    # a commune merged into a Party committee: the area would vanish into a body
    ({"op": "merge", "into": "pa-d1-c2-du", "units": ["pa-d1-c1"]}, "pa-d1-c2-du"),
    ({"op": "merge", "into": "pa-d1-c1", "units": ["pa-d1-c2-du"]}, "pa-d1-c2-du"),
    ({"op": "consolidate", "units": ["pa-d1-c1", "pa-d1-c2-du"], "parent": "pa-d1",
      "new": {"id": "n1", "name": "Xã Mới"}}, "pa-d1-c2-du"),
    ({"op": "consolidate_map", "rows": [{"new": {"id": "n1", "name": "Xã Mới"},
                                         "units": ["pa-d1-c1", "pa-d1-c2-du"],
                                         "parent": "pa-d1"}]}, "pa-d1-c2-du"),
])
def test_an_area_brought_together_with_a_body_is_a_409_and_nothing_is_saved(
        client, operation, unit):
    created = client.post("/scenarios", json={"name": "a", "at": "2025-07-01"})
    assert created.status_code == 201
    sid = created.json()["id"]
    before = client.get(f"/scenarios/{sid}").json()
    r = client.post(f"/scenarios/{sid}/operations", json=operation)
    assert r.status_code == 409, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert "is an area (commune)" in problem["detail"] and "Traceback" not in r.text
    assert problem["errors"][0]["unit"] == unit
    after = client.get(f"/scenarios/{sid}").json()
    assert after["operations"] == before["operations"] == []


@pytest.mark.parametrize("body, status", [
    (b'{"name": "a", "at": "2025", "operations": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
     400),
    (b'{"name": "\xff", "at": "2025"}', 400),
    (b'{"name": "a", "at": "2025-02-30"}', 422),
    (b'{"name": "a", "at": "2025-7-1"}', 422),
    (b'{"name": "a", "at": ""}', 422),
    (b'[1, 2]', 422),
])
def test_a_malformed_scenario_body_is_a_4xx_problem(client, body, status):
    listed = client.get("/scenarios").json()["total"]
    r = client.post("/scenarios", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in r.text
    assert client.get("/scenarios").json()["total"] == listed


def test_a_scenario_named_in_nfd_is_stored_and_listed_in_nfc(client):
    nfd = unicodedata.normalize("NFD", "Hợp nhất xã Tân Lập")
    r = client.post("/scenarios", json={"name": nfd, "at": "2025-07-01", "description": nfd})
    assert r.status_code == 201
    assert (r.json()["name"], r.json()["description"]) == ("Hợp nhất xã Tân Lập",) * 2
    listed = {s["id"]: s["name"] for s in client.get("/scenarios").json()["items"]}
    assert listed[r.json()["id"]] == "Hợp nhất xã Tân Lập"
    assert unicodedata.is_normalized("NFC", listed[r.json()["id"]])
