"""What the real-case tests over HTTP and the CLI share (tests/api/test_r_*.py): the app
served over a real SQLite store file loaded with a case's dataset, a plan file's operations
as a planner's script posts them, a scenario posted, a unit's answer, the CLI's JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from graph.scenarios.mapping import read_mapping
from loaders import read_dataset
from tests.api.seed_plans import ok

DATA = Path(__file__).resolve().parents[1] / "data"
TOKEN = "real-case-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def serve(tmp_path: Path, case: str, at: str) -> Iterator[TestClient]:
    """The app over a store file of its own, loaded with tests/data/`case` (a fixture's
    body: `yield from serve(...)`); writes authorised."""
    path = tmp_path / f"{case}.db"
    store = EmbeddedStore(path)
    store.replace_dataset(read_dataset(DATA / case))
    store.close()
    store = EmbeddedStore(path)  # opened again, as a server finds it
    try:
        with TestClient(create_app(store, Settings(default_at=at, tokens={"tests": TOKEN})),
                        headers=AUTH, raise_server_exceptions=False) as client:
            yield client
    finally:
        store.close()


def plan_operations(plan: Path) -> list[dict]:
    """A plan file's operations as a planner's script sends them: each mapping table's
    rows in the body."""
    ops = yaml.safe_load(plan.read_text(encoding="utf-8"))["operations"]
    for op in ops:
        if "mapping" in op:
            op["rows"] = read_mapping(op.pop("mapping"), base=plan.parent)
    return ops


def post_scenario(client: TestClient, name: str, at: str, operations: list[dict]) -> str:
    """A scenario created with the operations; its id."""
    r = client.post("/scenarios", json={"name": name, "at": at, "operations": operations})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def unit_answer(client: TestClient, uid: str, at: str,
                sid: str | None = None) -> tuple[int, Any]:
    """(status, body) of the unit on `at`, in the baseline or in scenario `sid`."""
    r = client.get(f"/scenarios/{sid}/units/{uid}" if sid else f"/units/{uid}",
                   params={"at": at})
    return r.status_code, r.json()


def as_json(*args: str) -> Any:
    """`bomay ARGS --json`, which must succeed, read."""
    return json.loads(ok(*args, "--json").stdout)
