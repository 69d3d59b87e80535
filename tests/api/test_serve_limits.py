"""The bounds of scenarios are `bomay serve` options (and Settings fields), not only
environment variables: a real `bomay serve` process, real HTTP."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import BUNDLED_DATASET, Settings
from graph.embedded.store import EmbeddedStore
from graph.scenarios.service import ScenarioLimits
from loaders import read_dataset
from tests.api.served import clean_env, serve

TOKEN = "serve-limits-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def renames(n: int, start: int = 0) -> list[dict[str, str]]:
    """`n` renames of one unit, each to another name (a rename to the same name conflicts)."""
    return [{"op": "rename", "unit": "mc-tu", "name": f"Thành ủy {start + i}"} for i in range(n)]


def _env(**extra: str) -> dict[str, str]:
    return clean_env(TOKEN, **extra)


def _serve(store: Path, *options: str, env: dict[str, str] | None = None):
    return serve(store, *options, env=env or _env(), log=store.with_suffix(".log"))


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def _limit(r: httpx.Response) -> tuple[int, str, int]:
    assert r.status_code == 422, r.text
    error = r.json()["errors"][0]
    return r.status_code, error["limit"], error["max"]


def test_serve_options_bound_operations_per_request_and_per_scenario(tmp_path):
    proc, base = _serve(tmp_path / "s.db", "--max-operations", "3",
                        "--max-operations-per-request", "2")
    try:
        with httpx.Client(base_url=base, headers=AUTH, timeout=60) as http:
            r = http.post("/scenarios", json={"name": "A", "at": "2018-08-07",
                                              "operations": renames(3)})
            assert _limit(r) == (422, "max_operations_per_request", 2)
            r = http.post("/scenarios", json={"name": "A", "at": "2018-08-07",
                                              "operations": renames(2)})
            assert r.status_code == 201, r.text
            sid = r.json()["id"]
            assert http.post(f"/scenarios/{sid}/operations", json=renames(1, 2)).status_code == 201
            r = http.post(f"/scenarios/{sid}/operations", json=renames(1, 3))  # the fourth
            assert _limit(r) == (422, "max_operations", 3)
            assert len(http.get(f"/scenarios/{sid}").json()["operations"]) == 3
    finally:
        _stop(proc)


def test_serve_option_bounds_the_rows_of_a_mapping_table(tmp_path):
    proc, base = _serve(tmp_path / "s.db", "--max-mapping-rows", "1")
    rows = [{"new": {"id": "mc-a", "name": "A"}, "units": ["mc-ban-to-chuc", "mc-phong-noi-vu"]},
            {"new": {"id": "mc-b", "name": "B"}, "units": ["mc-ubkt", "mc-thanh-tra"]}]
    try:
        r = httpx.post(base + "/scenarios", headers=AUTH, timeout=60, json={
            "name": "Map", "at": "2018-08-07", "operations": [
                {"op": "consolidate_map", "rows": rows}]})
        assert r.status_code == 422, r.text
        assert "the limit is 1 per mapping table" in r.text
    finally:
        _stop(proc)


def test_the_environment_still_sets_them_and_an_option_wins(tmp_path):
    env = _env(BOMAY_SCENARIO_MAX_OPERATIONS="2", BOMAY_SCENARIO_MAX_OPERATIONS_PER_REQUEST="5")
    proc, base = _serve(tmp_path / "s.db", "--max-operations-per-request", "1", env=env)
    try:
        with httpx.Client(base_url=base, headers=AUTH, timeout=60) as http:
            r = http.post("/scenarios", json={"name": "A", "at": "2018-08-07",
                                              "operations": renames(2)})
            assert _limit(r) == (422, "max_operations_per_request", 1)
            sid = http.post("/scenarios", json={"name": "A", "at": "2018-08-07",
                                                "operations": renames(1)}).json()["id"]
            assert http.post(f"/scenarios/{sid}/operations", json=renames(1, 1)).status_code == 201
            assert _limit(http.post(f"/scenarios/{sid}/operations", json=renames(1, 2))) == (
                422, "max_operations", 2)
    finally:
        _stop(proc)


@pytest.mark.parametrize("option", ["--max-operations", "--max-operations-per-request",
                                    "--max-mapping-rows"])
def test_a_bound_below_one_is_refused_in_one_line(tmp_path, option):
    run = subprocess.run([sys.executable, "-m", "api.cli", "--store", str(tmp_path / "s.db"),
                          "serve", option, "0"], env=_env(), capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 2 and option in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "s.db").exists()  # refused before anything is created


def test_settings_carry_the_limits_to_the_app(tmp_path):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(BUNDLED_DATASET))
    settings = Settings(tokens={"t": TOKEN}, scenario_limits=ScenarioLimits(max_operations=1))
    with TestClient(create_app(store, settings), headers=AUTH) as client:
        r = client.post("/scenarios", json={"name": "A", "at": "2018-08-07",
                                            "operations": renames(2)})
        assert r.status_code == 422 and r.json()["errors"][0]["limit"] == "max_operations"
    store.close()
