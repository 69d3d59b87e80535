"""Bodies that name no `area` are still an area's bodies: their PART_OF chain says whose.

Real data often gives `area` to an area's top bodies only (the People's Committee names its
province, its departments only hang under it), or to none. On `tests/data/r_tuyen_quang`
with `area` emptied, through HTTP on a real SQLite store, the consolidation of Hà Giang and
Tuyên Quang pairs the same bodies, removes the same leadership posts and sums the same
headcount as on the dataset that names every area, and its report says which bodies it took
by their chain. The whole reform (communes from the mapping table, the district level
dissolved: a commune's Party Committee hangs under the district's, on the Party's line, and
is found by its name) gives the same impact.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset
from tests.api.test_real_consolidation import (AT, AUTH, DATA, DISTRICTS, GROUPS, PROVINCES,
                                               SUMS, TOKEN, commune_rows, units_of)

TOPS = {"party_committee", "people_council", "government", "front"}
AREAS = {"province", "district", "commune", "other"}


def _blank(folder: Path, keep) -> list[dict]:
    """Empty the `area` of every body for which `keep(row)` is false; the rows emptied."""
    with open(folder / "units.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    emptied = []
    for row in rows:
        if row["kind"] not in AREAS and row["area"] and not keep(row):
            emptied.append(dict(row))
            row["area"] = ""
    with open(folder / "units.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return emptied


VARIANTS = {
    # the province's and district's top bodies name their area, what hangs under them not
    "tops": lambda row: row["kind"] in TOPS and row["level"] in ("province", "district"),
    "none": lambda row: False,  # no body names its area
}


def _client(tmp_path: Path, folder: Path):
    store = EmbeddedStore(tmp_path / f"{folder.name}.db")
    store.replace_dataset(read_dataset(folder))
    return store, TestClient(create_app(store, Settings(default_at=AT, tokens={"t": TOKEN})),
                             headers=AUTH, raise_server_exceptions=False)


def _impact(client, *operations) -> dict:
    r = client.post("/scenarios", json={"name": "Hợp nhất", "at": AT,
                                        "operations": list(operations)})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    r = client.get(f"/scenarios/{sid}/impact")
    assert r.status_code == 200, r.text
    return {"id": sid, **r.json()}


@pytest.fixture(params=sorted(VARIANTS))
def variant(request, tmp_path):
    folder = tmp_path / f"r_{request.param}"
    shutil.copytree(DATA / "r_tuyen_quang", folder)
    emptied = _blank(folder, VARIANTS[request.param])
    store, client = _client(tmp_path, folder)
    with client:
        yield request.param, emptied, client
    store.close()


def test_the_provinces_bodies_pair_by_their_chain_when_they_name_no_area(variant):
    name, emptied, client = variant
    report = _impact(client, PROVINCES)
    bodies = report["bodies"]
    assert {g["unit"]: g["from"] for g in bodies["groups"]} == GROUPS
    assert [(u["unit"], u["from_area"], u["to_area"]) for u in bodies["unpaired"]] == [
        ("hg-sngv", "hg", "tq25")]
    assert report["leadership"]["removed"] == 8  # two secretaries -> one, ... as with areas
    for uid, total in SUMS.items():
        got = client.get(f"/scenarios/{report['id']}/units/{uid}", params={"at": AT}).json()
        assert got["headcount"]["headcount"] == total, uid
    # one body of each kind directly under the new province, the unpaired department under
    # the new People's Committee, in the new province
    mine = units_of(client, report["id"], "tq25")
    top = sorted(u["kind"] for u in mine.values() if u["parent"] == "tq25")
    assert top == sorted(TOPS)
    assert mine["hg-sngv"]["parent"] == "tq25-ubnd"
    # the report says which bodies it took by their chain: those of the two provinces that
    # lost their `area` here (their number, and the first by id named with its area)
    taken = sorted((r for r in emptied if r["area"] in ("hg", "tq")), key=lambda r: r["id"])
    (warning,) = [w for w in report["warnings"] if "name no area" in w]
    assert warning.startswith(f"{len(taken)} bodies name no area")
    assert f"{taken[0]['id']} ({taken[0]['area']})" in warning


def test_the_whole_reform_gives_the_impact_of_the_dataset_that_names_every_area(variant,
                                                                                 tmp_path):
    _, _, client = variant
    reform = (PROVINCES, {"op": "consolidate_map", "rows": commune_rows()}, DISTRICTS)
    store, named = _client(tmp_path, DATA / "r_tuyen_quang")
    with named:
        expected = _impact(named, *reform)
    store.close()
    got = _impact(client, *reform)
    for part in ("units", "bodies", "headcount", "leadership", "functions", "party"):
        assert got[part] == expected[part], part
    # each new commune has one Party Committee (found by its name under the district's)
    assert got["party"]["committees"]["after"] == expected["party"]["committees"]["after"]
    assert [w for w in got["warnings"] if "name no area" not in w] == expected["warnings"]


def _sorted(value):
    """`value` with every list sorted (two topologies give the same records in another
    order)."""
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted(v) for v in value), key=repr)
    return value


@pytest.mark.parametrize("areas", ["named", "none"])
def test_a_provincial_committee_on_the_party_s_line_takes_the_district_committees(
        tmp_path, areas):
    """The Tỉnh ủy hangs under the Central Committee (the Party's own line), not under its
    province. Dissolving the district level with `bodies: merge` merges each Huyện ủy into
    the new Tỉnh ủy, as when it hangs under the province: before, the first Huyện ủy found
    no peer, moved up as a second provincial committee and absorbed the others. With no
    `area` at all, `Tỉnh ủy Tuyên Quang` is Tuyên Quang's by its name."""
    folder = tmp_path / "r_line"
    shutil.copytree(DATA / "r_tuyen_quang", folder)
    rels = (folder / "relations.csv").read_text(encoding="utf-8")
    for p in ("hg", "tq"):
        assert f"\n{p}-tu,PART_OF,{p}," in rels
        rels = rels.replace(f"\n{p}-tu,PART_OF,{p},", f"\n{p}-tu,PART_OF,vn,")
    (folder / "relations.csv").write_text(rels, encoding="utf-8")
    if areas == "none":
        _blank(folder, lambda row: False)
    reform = (PROVINCES, {"op": "consolidate_map", "rows": commune_rows()}, DISTRICTS)
    store, named = _client(tmp_path, DATA / "r_tuyen_quang")
    with named:
        expected = _impact(named, *reform)
    store.close()
    store, client = _client(tmp_path, folder)
    with client:
        got = _impact(client, *reform)
        tu = client.get(f"/scenarios/{got['id']}/units/tq25-tu", params={"at": AT}).json()
    store.close()
    assert [u["unit"] for u in got["bodies"]["unpaired"]] == ["hg-sngv"]
    merged_into_tu = sorted(i for g in got["bodies"]["groups"] if g["unit"] == "tq25-tu"
                            for i in g["from"])
    assert merged_into_tu == ["hg-qb-tu", "hg-tp-tu", "hg-tu", "tq-nh-tu", "tq-tp-tu", "tq-tu"]
    assert tu["parent"]["id"] == "vn"  # re-parented as its inputs were
    for part in ("units", "bodies", "headcount", "leadership", "functions", "party"):
        assert _sorted(got[part]) == _sorted(expected[part]), part
