"""Bounded answers through HTTP: a hierarchy 10,000 levels deep answers 200; subtree,
snapshot and diff above the unit cap are refused with a problem naming what to use."""

from __future__ import annotations

import gzip

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from graph.model import Dataset, Relation, Unit

DEPTH = 10_000


def _store(tmp_path_factory, name: str, units, relations) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path_factory.mktemp(name) / "s.db")
    store.replace_dataset(Dataset(units=tuple(units), relations=tuple(relations)))
    return store


@pytest.fixture(scope="module")
def deep(tmp_path_factory):
    """A chain of DEPTH units, each PART_OF the one before."""
    units = [Unit(id=f"u{i}", name=f"Unit {i}", kind="party_cell", level="commune")
             for i in range(DEPTH)]
    relations = [Relation(source_id=f"u{i}", type="PART_OF", target_id=f"u{i - 1}")
                 for i in range(1, DEPTH)]
    store = _store(tmp_path_factory, "deep", units, relations)
    yield TestClient(create_app(store, Settings(max_units=DEPTH)),
                     raise_server_exceptions=False)
    store.close()


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    """A root with 30 children of 10 children each (331 units), served with a cap of 100."""
    units = [Unit(id="r", name="Root", kind="province", level="province")]
    relations = []
    for i in range(30):
        units.append(Unit(id=f"c{i}", name=f"Child {i}", kind="party_board", level="province"))
        relations.append(Relation(source_id=f"c{i}", type="PART_OF", target_id="r"))
        for j in range(10):
            units.append(Unit(id=f"c{i}-{j}", name=f"Cell {i}.{j}", kind="party_cell",
                              level="commune"))
            relations.append(Relation(source_id=f"c{i}-{j}", type="PART_OF", target_id=f"c{i}"))
    store = _store(tmp_path_factory, "wide", units, relations)
    yield TestClient(create_app(store, Settings(max_units=100)), raise_server_exceptions=False)
    store.close()


def _depth_of(text: str) -> int:
    """The nesting depth of a JSON text (json.loads itself recurses, and would fail)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    assert depth == 0
    return deepest


def test_a_hierarchy_ten_thousand_levels_deep_answers_200(deep):
    r = deep.get("/units/u0/subtree")
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == "application/json"
    text = r.text
    assert text.count('"id":"u') == DEPTH and f'"id":"u{DEPTH - 1}"' in text
    assert _depth_of(text) >= 2 * DEPTH
    snap = deep.get("/snapshot", params={"root": "u0"})
    assert snap.status_code == 200 and snap.text.count('"id":"u') == DEPTH
    assert deep.get("/units/u9999/ancestors").json()["total"] == DEPTH - 1


def test_the_deep_answer_is_gzipped_when_asked(deep):
    r = deep.get("/units/u0/subtree", headers={"accept-encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert int(r.headers["content-length"]) < len(r.content) / 5  # decoded by httpx


def assert_too_large(r, names: str) -> dict:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["title"] == "Answer too large" and "more than 100 units" in body["detail"]
    assert names in body["detail"] and "export" in body["detail"]
    return body


def test_a_subtree_above_the_cap_is_refused_naming_depth_root_and_export(wide):
    assert_too_large(wide.get("/units/r/subtree"), "`depth`")
    one_level = wide.get("/units/r/subtree", params={"depth": 1})
    assert one_level.status_code == 200 and len(one_level.json()["children"]) == 30
    assert wide.get("/units/c3/subtree").json()["child_count"] == 10  # a lower root


def test_a_snapshot_above_the_cap_is_refused(wide):
    assert_too_large(wide.get("/snapshot"), "`depth`")
    assert_too_large(wide.get("/snapshot", params={"root": "r"}), "lower root")
    assert wide.get("/snapshot", params={"depth": 2, "root": "c1"}).status_code == 200
    assert wide.get("/snapshot", params={"root": "nope"}).status_code == 404


def test_a_diff_above_the_cap_is_refused(wide):
    body = assert_too_large(wide.get("/diff", params={"from": "2000", "to": "2020"}),
                            "`root`")
    assert body["errors"][0]["field"] == "root"
    assert_too_large(wide.get("/diff", params={"from": "2000", "to": "2020", "root": "r"}),
                     "under r")
    assert wide.get("/diff", params={"from": "2000", "to": "2020",
                                     "root": "c2"}).status_code == 200


def test_gzip_shrinks_a_tree_answer(wide):
    r = wide.get("/units/r/subtree", params={"depth": 1}, headers={"accept-encoding": "gzip"})
    raw = wide.get("/units/r/subtree", params={"depth": 1},
                   headers={"accept-encoding": "identity"})
    assert r.headers["content-encoding"] == "gzip" and r.json() == raw.json()
    assert int(r.headers["content-length"]) < len(raw.content) / 3
    assert gzip.compress(raw.content)  # the raw body is plain JSON
