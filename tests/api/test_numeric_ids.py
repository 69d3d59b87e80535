"""A unit id written as a whole number is its text, as a CSV cell gives it: `unit: 12` in a
plan file (YAML reads it as a number), `"into": 12` in a JSON body, in the CLI's plan
files and a dataset's `plans/*.yaml`. A number YAML 1.1 reads in another base (`012`:
octal 10) is the id as written, `012`, never another unit. A float or a yes/no is refused
with a 422 that says to write it in quotes. Through `bomay scenario run` (a real process),
HTTP on a real SQLite store, and a dataset folder loaded with its plan.

The dataset is tests/data/s_city with two ids that are numbers: `btc` is `12`, `pnv` is
`012` (a zero-padded code, as administrative unit codes are)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset
from tests.api.conftest import AUTH, TOKEN

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]
RENAMED = {"btc": "12", "pnv": "012"}


def _numbered_city(folder: Path) -> Path:
    """tests/data/s_city with `btc` -> `12` and `pnv` -> `012` in every cell."""
    shutil.copytree(DATA / "s_city", folder)
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            rows = [[RENAMED.get(c, c) for c in row] for row in csv.reader(f)]
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    return folder


PLAN = """name: numbers
at: 2018-01-01
operations:
  - op: consolidate
    units: [12, 012]
    parent: tu
    new: {id: 100, name: Ban Tổ chức - Nội vụ}
  - op: rename
    unit: 100
    name: Ban Tổ chức - Nội vụ thành phố
"""


def _run(tmp_path: Path, plan: str, data: Path) -> subprocess.CompletedProcess:
    (tmp_path / "plan.yaml").write_text(plan, encoding="utf-8")
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "scenario",
                           "run", "plan.yaml", "--data", str(data), "--json"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=180,
                          env={**os.environ, "COLUMNS": "200", "PYTHONPATH": path})


def test_a_cli_plan_names_units_by_numbers(tmp_path):
    data = _numbered_city(tmp_path / "city")
    r = _run(tmp_path, PLAN, data)
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(r.stdout)
    log = report["operations"]
    # `012` is the unit 012 (Phòng Nội vụ), not 10 (YAML 1.1's octal)
    assert log[0]["ended"] == ["12", "012"], log[0]
    assert log[0]["started"] == ["100"]
    assert log[1]["renamed"][0]["unit"] == "100"


def test_a_float_for_an_id_is_refused_saying_to_quote_it(tmp_path):
    data = _numbered_city(tmp_path / "city")
    r = _run(tmp_path, PLAN.replace("unit: 100", "unit: 1.10"), data)
    assert r.returncode == 1
    assert r.stderr.startswith("error: plan.yaml:9: operation 2 (rename): unit: expected an "
                               "id as text (YAML reads it as a number or a yes/no: write it "
                               "in quotes)"), r.stderr
    assert "Traceback" not in r.stdout + r.stderr


@pytest.fixture()
def client(tmp_path):
    data = _numbered_city(tmp_path / "city")
    plans = data / "plans"
    plans.mkdir()
    (plans / "numbers.yaml").write_text(PLAN.replace("name: numbers", "name: numbers\n"
                                                     "status: planned\ndate: 2017-12-01"),
                                        encoding="utf-8")
    store = EmbeddedStore(tmp_path / "n.db")
    store.replace_dataset(read_dataset(data))
    with TestClient(create_app(store, Settings(tokens={"tests": TOKEN})), headers=AUTH,
                    raise_server_exceptions=False) as c:
        yield c
    store.close()


def test_a_json_body_names_units_by_numbers(client):
    sid = client.post("/scenarios", json={"name": "n", "at": "2018-01-01"}).json()["id"]
    r = client.post(f"/scenarios/{sid}/operations", json=[
        {"op": "consolidate", "units": [12, "012"], "parent": "tu",
         "new": {"id": 100, "name": "Ban Tổ chức - Nội vụ"}},
        {"op": "move", "unit": 100, "parent": "ubnd"}])
    assert r.status_code == 201, r.text
    stored = client.get(f"/scenarios/{sid}").json()["operations"]
    assert stored[0]["units"] == ["12", "012"] and stored[0]["new"]["id"] == "100"
    assert stored[1]["unit"] == "100"
    unit = client.get(f"/scenarios/{sid}/units/100", params={"at": "2018-01-01"}).json()
    assert unit["parent"]["id"] == "ubnd"


def test_a_json_float_for_an_id_is_a_422(client):
    sid = client.post("/scenarios", json={"name": "n", "at": "2018-01-01"}).json()["id"]
    r = client.post(f"/scenarios/{sid}/operations",
                    json={"op": "move", "unit": 12.0, "parent": "ubnd"})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == "unit"
    assert "write it in quotes" in r.json()["errors"][0]["message"]


def test_a_dataset_plan_names_units_by_numbers(client):
    plan = client.get("/scenarios/numbers")
    assert plan.status_code == 200, plan.text
    assert plan.json()["plan"] is True
    impact = client.get("/scenarios/numbers/impact")
    assert impact.status_code == 200, impact.text
    made = client.get("/scenarios/numbers/units/100", params={"at": "2018-01-01"})
    assert made.status_code == 200, made.text
    assert made.json()["unit"]["name"] == "Ban Tổ chức - Nội vụ thành phố"
    assert [s["id"] for s in made.json()["supersedes"]] == ["12", "012"]
    # the units it would change, as the plan's listing says (012, not 10)
    assert plan.json()["units"] == ["012", "12", "tu", "ubnd"]
