"""`GET /search` over a real SQLite store loaded with tests/data/f_doan: `Đoàn thanh niên`
finds the Youth Union's committees (`Tỉnh đoàn Phú Thọ`, `Huyện đoàn Đoàn Hùng`, `Quận đoàn
1`), not the district `Huyện Đoàn Hùng`, its People's Committee and Council, or the army
corps `Quân đoàn 1`; `huyện đoàn hùng` still finds the district first."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("doan") / "s.db"
    store = EmbeddedStore(path)
    store.replace_dataset(read_dataset(DATA / "f_doan"))
    store.close()
    reopened = EmbeddedStore(path)  # what a later `bomay serve` reads: nothing folded is kept
    with TestClient(create_app(reopened, Settings(default_at="2025-06-30"))) as c:
        yield c
    reopened.close()


def _ids(client, q, **params):
    r = client.get("/search", params={"q": q, "limit": 50} | params)
    assert r.status_code == 200, r.text
    return [h["unit"]["id"] for h in r.json()["items"]]


@pytest.mark.parametrize("q", ["Đoàn thanh niên", "doan thanh nien", "Đoàn TNCS Hồ Chí Minh"])
def test_doan_thanh_nien_finds_only_the_union_s_committees(client, q):
    assert set(_ids(client, q, at="any")) == {"pt-tdoan", "pt-dh-hdoan", "hcm-q1-qdoan"}


def test_the_district_and_the_army_corps_are_found_by_their_names(client):
    assert _ids(client, "huyện đoàn hùng")[0] == "pt-dh"
    assert _ids(client, "Huyện đoàn Đoàn Hùng")[0] == "pt-dh-hdoan"
    assert _ids(client, "Quân đoàn 1")[0] in ("qd1", "hcm-q1-qdoan")  # both fold alike
    assert "qd1" not in _ids(client, "Đoàn thanh niên 1")
    assert "pt-tx" not in _ids(client, "Đoàn thanh niên Phú", at="any")  # formerly Huyện Đoàn Phú
