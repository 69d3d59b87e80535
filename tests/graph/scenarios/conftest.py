"""Fixtures of the scenario tests: the small city (tests/data/s_city) as a reader and a store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
AT = dt.date(2018, 1, 1)


@pytest.fixture(scope="session")
def city_dataset():
    """21 units: city → {tu, ubnd, mttq, 3 mass orgs}; tu → 7 boards/offices; dbcq → 3 cells."""
    return read_dataset(DATA / "s_city")


@pytest.fixture
def city(city_dataset):
    return MemoryGraph(city_dataset)


@pytest.fixture
def city_store(tmp_path, city_dataset):
    from graph.embedded.store import EmbeddedStore

    store = EmbeddedStore(tmp_path / "city.db")
    store.replace_dataset(city_dataset)
    yield store
    store.close()
