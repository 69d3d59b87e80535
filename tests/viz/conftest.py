"""Fixtures of the visualiser tests: the v_xss dataset in memory and in a store, a big tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.model import Dataset, Relation, Unit

V_XSS = Path(__file__).resolve().parent.parent / "data" / "v_xss"
XSS_NAME = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="session")
def v_xss_dataset():
    from loaders import read_dataset
    return read_dataset(V_XSS)


@pytest.fixture
def v_xss(v_xss_dataset) -> MemoryGraph:
    return MemoryGraph(v_xss_dataset)


@pytest.fixture
def v_xss_store(tmp_path, v_xss_dataset):
    from graph.embedded.store import EmbeddedStore
    store = EmbeddedStore(tmp_path / "v_xss.db")
    store.replace_dataset(v_xss_dataset)
    yield store
    store.close()


@pytest.fixture
def client(v_xss_store):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    with TestClient(create_app(v_xss_store, Settings(default_at="2019-01-01"))) as c:
        yield c


def wide_tree(fanout: tuple[int, ...]) -> MemoryGraph:
    """A synthetic tree: the root `r`, then `fanout[0]` children each with `fanout[1]`..."""
    units = [Unit(id="r", name="Root", kind="province", level="province")]
    relations = []
    level = ["r"]
    for n in fanout:
        nxt = []
        for parent in level:
            for i in range(n):
                uid = f"{parent}.{i}"
                units.append(Unit(id=uid, name=f"Unit {uid}", kind="party_cell", level="commune"))
                relations.append(Relation(source_id=uid, type="PART_OF", target_id=parent))
                nxt.append(uid)
        level = nxt
    return MemoryGraph(Dataset(units=tuple(units), relations=tuple(relations)))
