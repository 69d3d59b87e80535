"""HTTP clients over named fixtures and over the bundled dataset (data/seed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import BUNDLED_DATASET, Settings

DATA = Path(__file__).resolve().parent.parent / "data"
#: The write token of the test apps; the fixtures' clients send it with every request.
TOKEN = "api-tests-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _client(tmp: Path, folder: Path, default_at: str | None = None) -> TestClient:
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset

    store = EmbeddedStore(tmp / "s.db")
    store.replace_dataset(read_dataset(folder))
    return TestClient(create_app(store, Settings(default_at=default_at, tokens={"tests": TOKEN})),
                      headers=AUTH)


@pytest.fixture(scope="session")
def town(tmp_path_factory) -> TestClient:
    """tests/data/q_town: RENAME chains, a MERGE into a going unit, a MOVE, a function
    transfer, headcount figures of both bases, concurrent posts, SERVES and GUIDED_BY."""
    return _client(tmp_path_factory.mktemp("town"), DATA / "q_town")


@pytest.fixture(scope="session")
def seed(tmp_path_factory) -> TestClient:
    """The bundled dataset, read at 2020-06-01 when a request gives no `at`."""
    return _client(tmp_path_factory.mktemp("seed"), BUNDLED_DATASET, default_at="2020-06-01")


@pytest.fixture(scope="session")
def chain(tmp_path_factory) -> TestClient:
    return _client(tmp_path_factory.mktemp("chain"), DATA / "chain")

