"""The bundled dataset, and `tests/data/c_moved` (a renamed unit, two moved units), read
once, for the format tests."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from api.settings import BUNDLED_DATASET
from graph import formats
from loaders import read_dataset


@pytest.fixture(scope="session")
def seed_dataset():
    return read_dataset(BUNDLED_DATASET)


#: pa-cb was renamed on 2015-01-01 (Chi bộ Sở Ngoại vụ -> Chi bộ Văn phòng); it and
#: pa-sngv moved from Province A (pa) to B (pb) on 2025-07-01, when pa ended.
MOVED = Path(__file__).resolve().parents[2] / "data" / "c_moved"


@pytest.fixture(scope="session")
def moved_dataset():
    return read_dataset(MOVED)


@pytest.fixture
def exported(seed_dataset):
    """`exported(fmt, **kw)`: the bytes of the bundled dataset written in `fmt`."""
    def write(fmt: str, source=None, **kw) -> bytes:
        out = io.BytesIO()
        formats.write(seed_dataset if source is None else source, fmt, out, **kw)
        return out.getvalue()
    return write
