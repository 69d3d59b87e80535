"""Shared fixtures: paths of the named CSV fixtures and a loaded embedded store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """BOMAY_REQUIRE_NEO4J=1 (CI): a test marked `neo4j` that would skip fails instead, so a
    missing or unreachable server cannot pass as a green run."""
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and os.environ.get("BOMAY_REQUIRE_NEO4J") == "1"
            and item.get_closest_marker("neo4j") is not None):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"BOMAY_REQUIRE_NEO4J=1, but this Neo4j test was skipped: {reason}"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def chain_store(tmp_path):
    """An embedded store loaded with tests/data/chain (A+B→C in 2018, C → D+E in 2020)."""
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset

    store = EmbeddedStore(tmp_path / "chain.db")
    store.replace_dataset(read_dataset(DATA / "chain"))
    yield store
    store.close()
