"""Shared fixtures: paths of the named CSV fixtures and a loaded embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


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
