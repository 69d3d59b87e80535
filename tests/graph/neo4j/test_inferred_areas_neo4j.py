"""Bodies that name no `area` on a real Neo4j server: the PART_OF chain read through Cypher
takes the same bodies as the embedded store's (`tests/api/test_inferred_areas.py`): the
whole Hà Giang - Tuyên Quang reform on `tests/data/r_tuyen_quang` with every body's `area`
emptied gives the same impact, the same warnings and the same units of the new province
over HTTP on both backends."""

from __future__ import annotations

import shutil

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset
from tests.api.test_inferred_areas import _blank
from tests.api.test_real_consolidation import (AT, DATA, DISTRICTS, PROVINCES, commune_rows)
from tests.graph.conftest import neo4j_settings

pytestmark = pytest.mark.neo4j
AUTH = {"Authorization": "Bearer t0ken"}


def _answers(store) -> dict:
    client = TestClient(create_app(store, Settings(tokens={"t": "t0ken"}, default_at=AT)))
    made = client.post("/scenarios", headers=AUTH, json={
        "name": "Sắp xếp 2025", "at": AT,
        "operations": [PROVINCES, {"op": "consolidate_map", "rows": commune_rows()},
                       DISTRICTS]})
    assert made.status_code == 201, made.text
    sid = made.json()["id"]
    impact = client.get(f"/scenarios/{sid}/impact")
    units = client.get(f"/scenarios/{sid}/units", params={"area": "tq25", "limit": 500})
    assert impact.status_code == units.status_code == 200
    body = impact.json()
    return {"impact": {k: body[k] for k in ("units", "bodies", "headcount", "leadership",
                                            "functions", "party", "warnings")},
            "units": sorted((u["id"], u["name"], u["parent"]) for u in units.json()["items"])}


def test_bodies_without_an_area_are_taken_alike_on_neo4j(tmp_path):
    from graph.neo4j.store import Neo4jStore
    folder = tmp_path / "r_none"
    shutil.copytree(DATA / "r_tuyen_quang", folder)
    emptied = _blank(folder, lambda row: False)
    assert len(emptied) > 100
    dataset = read_dataset(folder)
    answers = []
    for kind in ("embedded", "neo4j"):
        if kind == "embedded":
            store = EmbeddedStore(tmp_path / "r.db")
        else:
            store = Neo4jStore.from_env(neo4j_settings())
            store.wipe()
        try:
            store.replace_dataset(dataset)
            answers.append(_answers(store))
        finally:
            store.close()
    embedded, neo4j = answers
    assert any("name no area" in w for w in embedded["impact"]["warnings"])
    assert embedded["impact"]["bodies"]["merged"] == 54  # as on the dataset naming areas
    assert neo4j == embedded
