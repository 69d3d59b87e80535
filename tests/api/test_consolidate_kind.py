"""A consolidation keeps its units' kind: a `consolidate` (or a `consolidate_map` row) whose
`new.kind` is none of its units' kinds (two communes into a `province`, two Party
Committees into a `government`) is a 409
problem+json naming the operation, the units' kinds and the new kind, and nothing is
saved, through HTTP on a real SQLite store and through `bomay scenario run` at the plan's
line. Other bodies may become a new kind with a warning (a Party board and a department
into a shared agency). A body of two kinds taking one of theirs (Móng Cái's Ban Tổ chức - Nội vụ: a Party
board and a department), and a kind given that is the units' own, still consolidate."""

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
KEEPS = "a consolidation keeps the kind of an area or a leading body"


def _client(tmp_path: Path, folder: str):
    store = EmbeddedStore(tmp_path / "k.db")
    store.replace_dataset(read_dataset(DATA / folder))
    return store, TestClient(create_app(store, Settings(tokens={"tests": TOKEN})),
                             headers=AUTH, raise_server_exceptions=False)


@pytest.fixture()
def names(tmp_path):
    store, client = _client(tmp_path, "t_names")
    with client:
        yield client
    store.close()


@pytest.fixture()
def city(tmp_path):
    store, client = _client(tmp_path, "s_city")
    with client:
        yield client
    store.close()


def _scenario(client, at: str) -> str:
    created = client.post("/scenarios", json={"name": "k", "at": at})
    assert created.status_code == 201, created.text
    return created.json()["id"]


def _refused(client, at: str, operation: dict) -> dict:
    sid = _scenario(client, at)
    r = client.post(f"/scenarios/{sid}/operations", json=operation)
    assert r.status_code == 409, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in r.text
    assert client.get(f"/scenarios/{sid}").json()["operations"] == []
    return r.json()


def test_two_communes_consolidated_into_a_province_are_refused(names):
    problem = _refused(names, "2025-07-01", {
        "op": "consolidate", "units": ["pa-d1-c1", "pa-d1-c2"],
        "new": {"id": "n1", "name": "Tỉnh Mới", "kind": "province"}})
    assert problem["detail"].startswith("operation 1 (consolidate): the new unit n1 is a "
                                        "province, but the units it brings together are a "
                                        "commune (pa-d1-c1: commune, pa-d1-c2: commune)")
    assert KEEPS in problem["detail"] and "give kind commune" in problem["detail"]
    error = problem["errors"][0]
    assert (error["op"], error["unit"], error["kind"]) == ("consolidate", "n1", "province")
    assert error["expected"] == {"kind": ["commune"]}
    assert error["inputs"] == {"pa-d1-c1": "commune", "pa-d1-c2": "commune"}
    assert names.get("/units/n1", params={"at": "2025-07-01"}).status_code == 404


def test_two_party_committees_consolidated_into_a_government_are_refused(names):
    problem = _refused(names, "2025-07-01", {
        "op": "consolidate", "units": ["pa-d1-c1-du", "pa-d1-c2-du"], "parent": "pa-d1-hu",
        "new": {"id": "n2", "name": "UBND xã Mới", "kind": "government"}})
    assert "the new unit n2 is a government, but the units it brings together are a " \
        "party_committee" in problem["detail"]
    assert problem["errors"][0]["expected"] == {"kind": ["party_committee"]}


def test_a_mapping_row_with_another_kind_is_refused_naming_the_row(names):
    problem = _refused(names, "2025-07-01", {"op": "consolidate_map", "rows": [
        {"new": {"id": "n1", "name": "Xã A"}, "units": ["pa-d1-c1", "pa-d1-c2"]},
        {"new": {"id": "n2", "name": "Huyện B", "kind": "district"},
         "units": ["pa-d2-c1", "pa-d2-c3"]}]})
    assert problem["detail"].startswith("operation 1 (consolidate_map): row 2: the new unit "
                                        "n2 is a district, but the units it brings together "
                                        "are a commune"), problem["detail"]


def test_a_board_and_a_department_may_become_another_kind_with_a_warning(city):
    """Bodies that are not areas nor leading bodies may become a new kind (the Front's and
    the mass organisations' offices into one shared agency): applied, and said."""
    sid = _scenario(city, "2018-01-01")
    r = city.post(f"/scenarios/{sid}/operations", json={
        "op": "consolidate", "units": ["btc", "pnv"], "parent": "tu",
        "new": {"id": "tcnv", "name": "Cơ quan tham mưu chung", "kind": "shared_agency"}})
    assert r.status_code == 201, r.text
    made = city.get(f"/scenarios/{sid}/units/tcnv", params={"at": "2018-01-01"}).json()
    assert made["unit"]["kind"] == "shared_agency"
    warnings = city.get(f"/scenarios/{sid}").json()["log"][0]["warnings"]
    assert any("the new unit tcnv is a shared_agency; the units it brings together were "
               "btc: party_board, pnv: department" in w for w in warnings), warnings


def test_a_party_committee_and_a_board_into_a_board_are_refused(city):
    problem = _refused(city, "2018-01-01", {
        "op": "consolidate", "units": ["btc", "tu"],
        "new": {"id": "x", "name": "X", "kind": "department"}})
    assert "keeps the kind of an area or a leading body (party_committee)" \
        in problem["detail"], problem["detail"]


@pytest.mark.parametrize("kind", [None, "party_board", "department"])
def test_a_body_of_two_kinds_takes_one_of_theirs(city, kind):
    sid = _scenario(city, "2018-01-01")
    new = {"id": "tcnv", "name": "Ban Tổ chức - Nội vụ", **({"kind": kind} if kind else {})}
    r = city.post(f"/scenarios/{sid}/operations", json={
        "op": "consolidate", "units": ["btc", "pnv"], "parent": "tu", "new": new})
    assert r.status_code == 201, r.text
    made = city.get(f"/scenarios/{sid}/units/tcnv", params={"at": "2018-01-01"}).json()
    assert made["unit"]["kind"] == (kind or "party_board")


def test_the_units_own_kind_given_still_consolidates(names):
    sid = _scenario(names, "2025-07-01")
    r = names.post(f"/scenarios/{sid}/operations", json={
        "op": "consolidate", "units": ["pa-d1-c1", "pa-d1-c2"],
        "new": {"id": "n1", "name": "Xã Mới", "kind": "commune"}})
    assert r.status_code == 201, r.text


def test_bomay_scenario_run_names_the_plan_s_line(tmp_path):
    (tmp_path / "plan.yaml").write_text(
        "name: x\nat: 2025-07-01\noperations:\n"
        "  - op: consolidate\n    units: [pa-d1-c1, pa-d1-c2]\n"
        "    new: {id: n1, name: Tỉnh Mới, kind: province}\n", encoding="utf-8")
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    r = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "scenario",
                        "run", "plan.yaml", "--data", str(DATA / "t_names")],
                       capture_output=True, text=True, cwd=tmp_path, timeout=180,
                       env={**os.environ, "COLUMNS": "200", "PYTHONPATH": path})
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stderr.startswith(
        "error: plan.yaml:4: operation 1 (consolidate): the new unit n1 is a province, but "
        "the units it brings together are a commune"), r.stderr
    assert "Traceback" not in r.stdout + r.stderr
