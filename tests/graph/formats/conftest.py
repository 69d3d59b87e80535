"""The bundled dataset, read once, for the format tests."""

from __future__ import annotations

import io

import pytest

from api.settings import BUNDLED_DATASET
from graph import formats
from loaders import read_dataset


@pytest.fixture(scope="session")
def seed_dataset():
    return read_dataset(BUNDLED_DATASET)


@pytest.fixture
def exported(seed_dataset):
    """`exported(fmt, **kw)`: the bytes of the bundled dataset written in `fmt`."""
    def write(fmt: str, source=None, **kw) -> bytes:
        out = io.BytesIO()
        formats.write(seed_dataset if source is None else source, fmt, out, **kw)
        return out.getvalue()
    return write
