"""`GET /scenarios/{id}/diff` lists the units that change area with the body they hang under
(`area_changes`, and in `moved` with `from == to`): Party cells that name no area, under a
body without a peer that moves to the new area, or under a body merged into another
area's body, belong to another area afterwards, and a planner reading the diff sees it.

A dataset of our own, through HTTP on a real SQLite store and `bomay scenario diff`: two
provinces, each with its Tỉnh ủy and its Đảng ủy Khối cơ quan (peers), An Hà alone with a
Đảng ủy Khối doanh nghiệp (no peer: it moves to the new province as it is); the cells of
both bloc committees name no area (theirs is their chain's); a third province's cells are
untouched. Without `area_changes`, the cells under the body without a peer were in no list
(their parent does not change), and the cells merged across have an old area of none.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from graph.model import Dataset, Relation, Unit
from tests.api.conftest import AUTH, TOKEN
from tests.api.seed_plans import bomay as _bomay

AT = "2025-07-01"
CONSOLIDATE = {"op": "consolidate", "units": ["pa", "pb"],
               "new": {"id": "pn", "name": "Tỉnh Bình Sơn"}}
#: the cells of An Hà's business bloc committee (no peer), and of its agencies' bloc
#: committee (merged into the new province's)
DN_CELLS = ["pa-dn-cb1", "pa-dn-cb2", "pa-dn-cb3"]
CQ_CELLS = ["pa-cq-cb1", "pa-cq-cb2"]


def dataset(*, areas: bool) -> Dataset:
    """`areas`: the provinces' bodies name their province (the cells never do)."""
    units: list[Unit] = []
    rels: list[Relation] = []

    def unit(uid, name, kind, parent=None, area=""):
        units.append(Unit(id=uid, name=name, kind=kind, level="province",
                          area=area if areas else ""))
        if parent:
            rels.append(Relation(source_id=uid, type="PART_OF", target_id=parent))

    for p, place in (("pa", "An Hà"), ("pb", "Bình Sơn"), ("pc", "Cao Nguyên")):
        unit(p, f"Tỉnh {place}", "province")
        unit(f"{p}-tu", f"Tỉnh ủy {place}", "party_committee", p, p)
        unit(f"{p}-cq", f"Đảng ủy Khối cơ quan tỉnh {place}", "party_committee", f"{p}-tu", p)
        for i in (1, 2):
            unit(f"{p}-cq-cb{i}", f"Chi bộ Sở {i} tỉnh {place}", "party_cell", f"{p}-cq")
    unit("pa-dn", "Đảng ủy Khối doanh nghiệp tỉnh An Hà", "party_committee", "pa-tu", "pa")
    for i in (1, 2, 3):
        unit(f"pa-dn-cb{i}", f"Chi bộ Công ty {i}", "party_cell", "pa-dn")
    return Dataset(units=tuple(units), relations=tuple(rels))


@pytest.fixture
def client(tmp_path):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(dataset(areas=True))
    with TestClient(create_app(store, Settings(default_at=AT, tokens={"tests": TOKEN})),
                    headers=AUTH, raise_server_exceptions=False) as c:
        yield c
    store.close()


def _diff(c, *operations) -> tuple[str, dict]:
    r = c.post("/scenarios", json={"name": "areas", "at": AT, "operations": list(operations)})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    r = c.get(f"/scenarios/{sid}/diff")
    assert r.status_code == 200, r.text
    return sid, r.json()


def _unit(c, path):
    r = c.get(path, params={"at": AT})
    assert r.status_code == 200, r.text
    return r.json()["unit"]["area"], r.json()["parent"]["id"]


def test_cells_under_a_body_without_a_peer_change_area_with_it(client):
    c = client
    sid, d = _diff(c, CONSOLIDATE)
    changes = {a["id"]: a for a in d["area_changes"]}
    moved = {m["id"]: m for m in d["moved"]}
    # the body without a peer: its own area, explicitly
    dn = changes["pa-dn"]
    assert (dn["area_from"], dn["area_to"], dn["from_by"], dn["to_by"], dn["by"]) == (
        "pa", "pn", "own", "own", "explicit")
    assert (dn["parent_from"], dn["parent_to"], dn["via"], dn["operation"]) == (
        "pa-tu", "pn-tu", "pa-dn", 1)
    # its cells keep their parent: they were the area's by their chain, and are the new one's
    for cell in DN_CELLS:
        a = changes[cell]
        assert (a["parent_from"], a["parent_to"], a["area_from"], a["area_to"]) == (
            "pa-dn", "pa-dn", "pa", "pn"), a
        assert (a["from_by"], a["via"], a["operation"]) == ("inferred", "pa-dn", 1), a
        m = moved[cell]  # in `moved` too, as a body without a peer is: from == to
        assert (m["from"], m["to"], m["area_from"], m["area_to"], m["operation"]) == (
            "pa-dn", "pa-dn", "pa", "pn", 1)
        assert m["event"] == moved["pa-dn"]["event"] and m["event"]
    # the cells of the bloc committees merged into the new one come from their own province
    for cell, old in (("pa-cq-cb1", "pa"), ("pa-cq-cb2", "pa"), ("pb-cq-cb1", "pb"),
                      ("pb-cq-cb2", "pb")):
        a, m = changes[cell], moved[cell]
        assert (a["parent_from"], a["parent_to"], a["area_from"], a["area_to"]) == (
            f"{old}-cq", "pn-cq", old, "pn"), a
        assert (a["from_by"], a["via"], a["operation"]) == ("inferred", cell, 1)
        assert (m["from"], m["to"], m["area_from"], m["area_to"]) == (
            f"{old}-cq", "pn-cq", old, "pn")
    # nothing else: the ended and new units are removed and added, the third province's
    # cells are untouched
    assert set(changes) == {"pa-dn", *DN_CELLS, *CQ_CELLS, "pb-cq-cb1", "pb-cq-cb2"}
    assert set(moved) == set(changes)
    # what the diff says is what the scenario answers
    for uid, a in changes.items():
        area, parent = _unit(c, f"/scenarios/{sid}/units/{uid}")
        assert parent == a["parent_to"] and area in ("", a["area_to"]), uid


def test_cells_follow_a_body_naming_no_area_moved_to_another_province(tmp_path):
    """No body names an area: every area is inferred, and `move`/`merge` (no territorial
    operation) leave the records' `area` empty, so that the change is the chain's alone."""
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(dataset(areas=False))
    with TestClient(create_app(store, Settings(default_at=AT, tokens={"tests": TOKEN})),
                    headers=AUTH) as c:
        sid, d = _diff(c, {"op": "merge", "units": ["pa-cq"], "into": "pb-cq"},
                       {"op": "move", "unit": "pa-dn", "parent": "pb-tu"})
        scenario_side = {uid: c.get(f"/scenarios/{sid}/units/{uid}",
                                    params={"at": AT}).json()["unit"]
                         for uid in ("pa-dn", *DN_CELLS, *CQ_CELLS)}
    store.close()
    changes = {a["id"]: a for a in d["area_changes"]}
    assert set(changes) == {"pa-dn", *DN_CELLS, *CQ_CELLS}
    for uid, a in changes.items():
        assert (a["area_from"], a["area_to"], a["from_by"], a["to_by"], a["by"]) == (
            "pa", "pb", "inferred", "inferred", "inferred"), a
        # the record still names none: the answer gives the area its chain gives, so marked
        unit = scenario_side[uid]
        assert (unit["area"], unit["area_inferred"]) == ("pb", True), uid
    assert (changes["pa-dn"]["via"], changes["pa-dn"]["operation"]) == ("pa-dn", 2)
    for cell in DN_CELLS:
        assert (changes[cell]["via"], changes[cell]["operation"]) == ("pa-dn", 2)
    for cell in CQ_CELLS:
        assert (changes[cell]["parent_to"], changes[cell]["via"],
                changes[cell]["operation"]) == ("pb-cq", cell, 1)
    # the moved cells say where they came from, not "none"
    moved = {m["id"]: m for m in d["moved"]}
    assert (moved["pa-cq-cb1"]["area_from"], moved["pa-cq-cb1"]["area_to"]) == ("pa", "pb")


def test_a_scenario_that_changes_no_area_lists_none(client):
    _, d = _diff(client, {"op": "rename", "unit": "pa-dn",
                          "name": "Đảng ủy Doanh nghiệp tỉnh An Hà"},
                 {"op": "move", "unit": "pa-cq-cb1", "parent": "pa-dn"})
    assert d["area_changes"] == []
    assert [m["id"] for m in d["moved"]] == ["pa-cq-cb1"]


def test_a_committed_scenario_keeps_its_area_changes(client):
    sid, d = _diff(client, CONSOLIDATE)
    assert client.post(f"/scenarios/{sid}/commit", json={}).status_code == 200
    kept = client.get(f"/scenarios/{sid}/diff").json()
    assert kept["area_changes"] == d["area_changes"] and kept["moved"] == d["moved"]
    # the scenario's page renders it (it reads `moved`: the cells are colored as moved)
    assert client.get(f"/viz/scenarios/{sid}").status_code == 200


def test_the_cli_prints_the_cells_with_their_old_and_new_area(tmp_path):
    db = tmp_path / "cli.db"
    store = EmbeddedStore(db)
    store.replace_dataset(dataset(areas=True))
    store.close()
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"name": "provinces", "at": AT, "operations": [CONSOLIDATE]}),
                    encoding="utf-8")
    saved = _bomay("--store", str(db), "scenario", "save", str(plan), "--json")
    assert saved.returncode == 0, saved.stderr
    sid = json.loads(saved.stdout)["id"]
    text = _bomay("--store", str(db), "scenario", "diff", sid)
    as_json = _bomay("--store", str(db), "scenario", "diff", sid, "--json")
    assert text.returncode == as_json.returncode == 0, text.stderr + as_json.stderr
    body = json.loads(as_json.stdout)
    assert {a["id"] for a in body["area_changes"]} >= set(DN_CELLS)
    assert "area_changes: 8" in text.stdout
    assert ("pa-dn-cb1 (Chi bộ Công ty 1): area pa (inferred) -> pn (own); explicit; "
            "via pa-dn; operation 1") in text.stdout
    assert "pa-dn-cb1 (Chi bộ Công ty 1): parent pa-dn (unchanged); area pa -> pn; " \
        "operation 1" in text.stdout
