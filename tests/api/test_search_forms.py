"""`GET /search` finds a body by its full name or its short form, whichever the data wrote
(`HĐND tỉnh Tuyên Quang` for `Hội đồng nhân dân tỉnh Tuyên Quang`, `Sở GD&ĐT`, `UBKT`,
`MTTQ`), through HTTP over a real SQLite store loaded with tests/data/r_tuyen_quang; and a
query without a form keeps its answer."""

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
    store = EmbeddedStore(tmp_path_factory.mktemp("forms") / "s.db")
    store.replace_dataset(read_dataset(DATA / "r_tuyen_quang"))
    with TestClient(create_app(store, Settings(default_at="2025-06-30"))) as c:
        yield c
    store.close()


def _items(client, q, **params):
    r = client.get("/search", params={"q": q} | params)
    assert r.status_code == 200, r.text
    return r.json()["items"]


@pytest.mark.parametrize("q,unit", [
    ("Hội đồng nhân dân tỉnh Tuyên Quang", "tq-hdnd"),   # named HĐND tỉnh Tuyên Quang
    ("HĐND tỉnh Hà Giang", "hg-hdnd"),                   # named Hội đồng nhân dân ...
    ("Sở GD&ĐT tỉnh Hà Giang", "hg-sgddt"),              # named Sở Giáo dục và Đào tạo ...
    ("Sở Giáo dục và Đào tạo tỉnh Tuyên Quang", "tq-sgddt"),  # named Sở GD&ĐT ...
    ("UBKT Tỉnh ủy Tuyên Quang", "tq-ubkt"),             # named Ủy ban Kiểm tra ...
    ("Ủy ban Kiểm tra Tỉnh ủy Hà Giang", "hg-ubkt"),     # named UBKT Tỉnh ủy Hà Giang
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Giang", "hg-mttq"),  # Ủy ban MTTQ ...
])
def test_either_form_finds_the_body_first_in_the_exact_band(client, q, unit):
    items = _items(client, q)
    assert items and items[0]["unit"]["id"] == unit, items
    assert 0.95 <= items[0]["score"] <= 1.04


@pytest.mark.parametrize("q,unit", [("Sở GD&ĐT Hà Giang", "hg-sgddt"),
                                    ("so gd dt ha giang", "hg-sgddt"),
                                    ("Mặt trận Tổ quốc Hà Giang", "hg-mttq"),
                                    ("ubkt ha giang", "hg-ubkt")])
def test_some_words_in_the_other_form_find_the_body_by_rule_not_by_typo(client, q, unit):
    items = _items(client, q, at="any")
    assert items[0]["unit"]["id"] == unit, items
    assert items[0]["score"] >= 0.6  # a whole-word band, not the typo pass (< 0.2)


def test_the_full_words_find_the_councils_of_either_form(client):
    ids = {h["unit"]["id"] for h in _items(client, "Hội đồng nhân dân", limit=100)}
    assert {"tq-hdnd", "hg-tp-hdnd", "tq-nh-hdnd"} <= ids  # named HĐND ...
    assert {"hg-hdnd", "tq-tp-hdnd"} <= ids                # named Hội đồng nhân dân ...
    assert all(i.endswith("-hdnd") for i in ids), ids


def test_a_query_without_a_form_keeps_its_answer(client):
    items = _items(client, "Sở Y tế Hà Giang")
    assert [h["unit"]["id"] for h in items] == ["hg-syt"]
    assert items[0]["score"] >= 0.95
