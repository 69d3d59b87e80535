"""Areas are brought together with areas of the same level: a `consolidate`, a `merge` or a
`consolidate_map` row that brings a province together with a commune, or a district with a
province, is a 409 problem+json naming the units, their kinds and levels and what is
expected, through HTTP on a real SQLite store and through `bomay scenario run` at the plan's
line; a district merged INTO its province is refused naming `dissolve_level`, whose job
that is. Areas of one level still consolidate (the control)."""

from __future__ import annotations

import os
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
SAME_LEVEL = "areas are brought together with areas of the same level"


@pytest.fixture()
def client(tmp_path):
    store = EmbeddedStore(tmp_path / "t.db")
    store.replace_dataset(read_dataset(DATA / "t_names"))
    with TestClient(create_app(store, Settings(tokens={"tests": TOKEN})), headers=AUTH,
                    raise_server_exceptions=False) as c:
        yield c
    store.close()


def _scenario(client) -> str:
    created = client.post("/scenarios", json={"name": "a", "at": "2025-07-01"})
    assert created.status_code == 201, created.text
    return created.json()["id"]


# (operation, the unit named, its kind and level, the kind expected, a phrase of the detail)
REFUSED = [
    # a province consolidated with a commune (a parent given: not refused for its parents)
    ({"op": "consolidate", "units": ["pa", "pa-d2-c1"], "parent": "vn",
      "new": {"id": "n1", "name": "Tỉnh Mới"}},
     "pa-d2-c1", "commune", "province", "pa-d2-c1 is a commune (level commune) and pa is a "
     "province (level province): " + SAME_LEVEL),
    # a district consolidated with a province
    ({"op": "consolidate", "units": ["pa-d1", "pb"], "parent": "vn",
      "new": {"id": "n1", "name": "Huyện Mới"}},
     "pb", "province", "district", "pb is a province (level province) and pa-d1 is a district"),
    # a mapping table's row that brings a commune and a district together
    ({"op": "consolidate_map", "rows": [
        {"new": {"id": "n1", "name": "Xã A"}, "units": ["pa-d1-c1", "pa-d1-c2"]},
        {"new": {"id": "n2", "name": "Xã B"}, "units": ["pa-d2-c1", "pb-d1"],
         "parent": "pa-d2"}]},
     "pb-d1", "district", "commune", "row 2: pb-d1 is a district (level district)"),
    # a province merged into a commune of another province
    ({"op": "merge", "into": "pb-d1-c1", "units": ["pa"]},
     "pa", "province", "commune", "pa is a province (level province) and pb-d1-c1 is a commune"),
]
INTO_HIGHER = [
    # a district merged into its province: that is dissolve_level's job
    ({"op": "merge", "into": "pa", "units": ["pa-d1"]}, "pa-d1", "district", "province",
     "dissolve_level (level: district, within: pa)"),
    # a commune merged into a district
    ({"op": "merge", "into": "pa-d2", "units": ["pa-d1-c1"]}, "pa-d1-c1", "commune", "district",
     "dissolve_level (level: commune, within: pa-d2)"),
]


@pytest.mark.parametrize("operation, unit, kind, expected, phrase", REFUSED + INTO_HIGHER)
def test_areas_of_different_levels_are_a_409_naming_them_and_nothing_is_saved(
        client, operation, unit, kind, expected, phrase):
    sid = _scenario(client)
    r = client.post(f"/scenarios/{sid}/operations", json=operation)
    assert r.status_code == 409, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert phrase in problem["detail"], problem["detail"]
    assert SAME_LEVEL in problem["detail"] and "Traceback" not in r.text
    error = problem["errors"][0]
    assert (error["unit"], error["kind"], error["level"]) == (unit, kind, kind)
    assert error["expected"] == {"kind": expected, "level": expected}
    assert client.get(f"/scenarios/{sid}").json()["operations"] == []
    assert client.get(f"/units/{unit}", params={"at": "2025-07-01"}).status_code == 200


def test_a_merge_into_a_higher_area_says_it_is_dissolve_level_s_job(client):
    sid = _scenario(client)
    r = client.post(f"/scenarios/{sid}/operations",
                    json={"op": "merge", "into": "pa", "units": ["pa-d1"]})
    assert r.status_code == 409
    assert "a district is not merged into a province" in r.json()["detail"]


def test_areas_of_one_level_still_consolidate_and_merge(client):
    sid = _scenario(client)
    r = client.post(f"/scenarios/{sid}/operations", json=[
        {"op": "consolidate", "units": ["pa-d1-c1", "pa-d1-c2"],
         "new": {"id": "n1", "name": "Xã Mới"}},
        {"op": "merge", "into": "pa-d2-c1", "units": ["pa-d2-c3"]}])
    assert r.status_code == 201, r.text
    assert client.get(f"/scenarios/{sid}/units/n1", params={"at": "2025-07-01"}) \
        .json()["parent"]["id"] == "pa-d1"


def test_bomay_scenario_run_names_the_plan_s_line(tmp_path):
    (tmp_path / "plan.yaml").write_text(
        "name: x\nat: 2025-07-01\noperations:\n"
        "  - op: consolidate\n    units: [pa-d1-c1, pa-d1-c2]\n    new: {id: n0, name: Xã A}\n"
        "  - op: consolidate\n    units: [pa, pa-d2-c1]\n    parent: vn\n"
        "    new: {id: n1, name: Tỉnh Mới}\n", encoding="utf-8")
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    r = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "scenario",
                        "run", "plan.yaml", "--data", str(DATA / "t_names")],
                       capture_output=True, text=True, cwd=tmp_path, timeout=180,
                       env={**os.environ, "COLUMNS": "200", "PYTHONPATH": path})
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stderr.splitlines()[0] == (
        "error: plan.yaml:7: operation 2 (consolidate): pa-d2-c1 is a commune (level commune) "
        "and pa is a province (level province): areas are brought together with areas of the "
        "same level (expected a province of level province)"), r.stderr
    assert "Traceback" not in r.stdout + r.stderr
