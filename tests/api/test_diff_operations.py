"""`GET /scenarios/{id}/diff`: each moved unit says which operation moved it (`operation`,
the 1-based index of its log entry) and which event of that entry (`event`: the one that
lists the unit, else the entry's main event), and `area_from`/`area_to` when its area
changes; a body without a peer that keeps its parent but changes area (a territorial
consolidation) is listed as moved too, with `from == to`.

Through HTTP on a real SQLite store (tests/data/t_names, tests/data/r_tuyen_quang), and
`bomay scenario diff` run as a user runs it. Expected units and parents come from the
datasets' CSV files: in t_names, `pa-d1-hu` (Huyện ủy Yên Sơn, area pa-d1) hangs under
`pa-tu`, the province's Party Committee, outside the district; pb-d1 has no Huyện ủy, so
it has no peer when the two districts are brought together. In r_tuyen_quang only Hà
Giang has a Sở Ngoại vụ (`hg-sngv`, under hg-ubnd).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded.store import EmbeddedStore
from loaders import read_dataset
from tests.api.conftest import AUTH, TOKEN
from tests.api.seed_plans import bomay

DATA = Path(__file__).resolve().parents[1] / "data"
AT = "2025-07-01"
#: an unrelated first operation, so that the operation index is not 1 by chance
MOVE_C3 = {"op": "move", "unit": "pa-d2-c3", "parent": "pb-d2"}
DISTRICTS = {"op": "consolidate", "units": ["pa-d1", "pb-d1"], "bodies": "merge",
             "parent": "pb", "new": {"id": "nd", "name": "Huyện Yên Sơn"}}


def _client(tmp_path, folder):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(DATA / folder))
    return store, TestClient(create_app(store, Settings(default_at=AT,
                                                        tokens={"tests": TOKEN})),
                             headers=AUTH, raise_server_exceptions=False)


@pytest.fixture
def t_names(tmp_path):
    store, c = _client(tmp_path, "t_names")
    with c:
        yield c
    store.close()


def _scenario(c, *operations):
    r = c.post("/scenarios", json={"name": "moves", "at": AT, "operations": list(operations)})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _moved(c, sid):
    r = c.get(f"/scenarios/{sid}/diff")
    assert r.status_code == 200, r.text
    return {m["id"]: m for m in r.json()["moved"]}


def _log(c, sid):
    r = c.get(f"/scenarios/{sid}")
    assert r.status_code == 200, r.text
    return r.json()["log"]


def _event(log, index, *, lists=None, inputs=None):
    """The one event of entry `index` that lists the unit `lists`, or has these `inputs`."""
    found = [ev["id"] for ev in log[index - 1]["events"]
             if (lists is not None and lists in ev["inputs"] + ev["outputs"])
             or (inputs is not None and ev["inputs"] == inputs)]
    assert len(found) == 1, (log[index - 1]["events"], lists, inputs)
    return found[0]


def _all_events(log):
    return {ev["id"] for e in log for ev in e["events"]}


def _area(c, path):
    r = c.get(path, params={"at": AT})
    assert r.status_code == 200, r.text
    body = r.json()
    return body["unit"]["area"], (body["parent"] or {}).get("id")


def test_a_move_says_its_operation_and_the_move_event(t_names):
    c = t_names
    sid = _scenario(c, MOVE_C3, {"op": "move", "unit": "pa-d1-c1", "parent": "pa-d2"})
    moved, log = _moved(c, sid), _log(c, sid)
    assert set(moved) == {"pa-d2-c3", "pa-d1-c1"}
    m = moved["pa-d1-c1"]
    assert (m["from"], m["to"], m["name"]) == ("pa-d1", "pa-d2", "Xã Tân Lập")
    assert m["operation"] == 2
    assert m["event"] == _event(log, 2, lists="pa-d1-c1")
    assert moved["pa-d2-c3"]["operation"] == 1
    assert moved["pa-d2-c3"]["event"] == _event(log, 1, lists="pa-d2-c3")
    assert moved["pa-d2-c3"]["event"] != m["event"]
    # a commune's own `area` is none: its area did not change
    assert (m["area_from"], m["area_to"]) == (None, None)


def test_a_merge_into_an_existing_district_moves_children_and_the_body_without_a_peer(t_names):
    c = t_names
    sid = _scenario(c, MOVE_C3, {"op": "merge", "units": ["pa-d1"], "into": "pb-d1",
                                 "bodies": "merge"})
    moved, log = _moved(c, sid), _log(c, sid)
    merge_event = _event(log, 2, inputs=["pa-d1"])
    # the communes of pa-d1 go under pb-d1; the MERGE event lists pa-d1, not them
    for commune in ("pa-d1-c2", "pa-d1-c3"):
        m = moved[commune]
        assert (m["from"], m["to"], m["operation"], m["event"]) == (
            "pa-d1", "pb-d1", 2, merge_event)
    # the district's Huyện ủy has no peer in pb-d1: it keeps its parent, changes area
    hu = moved["pa-d1-hu"]
    assert hu["from"] == hu["to"] == "pa-tu"
    assert (hu["area_from"], hu["area_to"]) == ("pa-d1", "pb-d1")
    assert (hu["operation"], hu["event"]) == (2, merge_event)
    assert ("pa-d1-hu", "pa-d1", "pb-d1") in [(u["unit"], u["from_area"], u["to_area"])
                                               for u in log[1]["unpaired"]]
    # what the diff says is what the baseline and the scenario answer
    assert _area(c, "/units/pa-d1-hu") == ("pa-d1", "pa-tu")
    assert _area(c, f"/scenarios/{sid}/units/pa-d1-hu") == ("pb-d1", "pa-tu")


def test_a_consolidation_of_districts_moves_the_body_without_a_peer_to_the_new_area(t_names):
    c = t_names
    sid = _scenario(c, MOVE_C3, DISTRICTS)
    moved, log = _moved(c, sid), _log(c, sid)
    main = _event(log, 2, inputs=["pa-d1", "pb-d1"])
    hu = moved["pa-d1-hu"]
    assert (hu["from"], hu["to"], hu["area_from"], hu["area_to"]) == (
        "pa-tu", "pa-tu", "pa-d1", "nd")
    assert (hu["operation"], hu["event"]) == (2, main)
    assert hu["event"] in _all_events(log)
    assert _area(c, f"/scenarios/{sid}/units/pa-d1-hu") == ("nd", "pa-tu")
    # every unit moved exists before and after; each event is one of the scenario's
    for uid, m in moved.items():
        assert m["event"] in {ev["id"] for ev in log[m["operation"] - 1]["events"]}, m
        assert c.get(f"/units/{uid}", params={"at": AT}).status_code == 200
    # the communes that only changed parent have no area change
    assert (moved["pb-d1-c1"]["area_from"], moved["pb-d1-c1"]["area_to"]) == (None, None)


def test_a_committed_scenario_keeps_the_operations_of_its_moves(t_names):
    c = t_names
    sid = _scenario(c, MOVE_C3, DISTRICTS)
    before = _moved(c, sid)
    assert c.post(f"/scenarios/{sid}/commit", json={}).status_code == 200
    assert _moved(c, sid) == before
    assert before["pa-d1-hu"]["area_to"] == "nd"


def test_two_provinces_consolidate_and_the_department_without_a_peer_moves_area(tmp_path):
    store, c = _client(tmp_path, "r_tuyen_quang")
    with c:
        sid = _scenario(c, {"op": "consolidate", "units": ["hg", "tq"], "bodies": "merge",
                            "basis": ["nq-202-2025"],
                            "new": {"id": "tq25", "name": "Tỉnh Tuyên Quang"}})
        moved, log = _moved(c, sid), _log(c, sid)
        scenario_side = _area(c, f"/scenarios/{sid}/units/hg-sngv")
    store.close()
    main = _event(log, 1, inputs=["hg", "tq"])
    m = moved["hg-sngv"]
    # it hangs under the People's Committee that Hà Giang's and Tuyên Quang's form
    assert (m["from"], m["to"], m["area_from"], m["area_to"]) == (
        "hg-ubnd", "tq25-ubnd", "hg", "tq25")
    assert (m["operation"], m["event"]) == (1, main)
    assert scenario_side == ("tq25", "tq25-ubnd")
    assert [u["unit"] for u in log[0]["unpaired"]] == ["hg-sngv"]


def test_the_cli_prints_the_operation_event_and_areas_of_each_move(tmp_path):
    db = tmp_path / "cli.db"
    assert bomay("--store", str(db), "load", str(DATA / "t_names")).returncode == 0
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"name": "districts", "at": AT,
                                "operations": [MOVE_C3, DISTRICTS]}), encoding="utf-8")
    saved = bomay("--store", str(db), "scenario", "save", str(plan), "--json")
    assert saved.returncode == 0, saved.stderr
    sid = json.loads(saved.stdout)["id"]
    as_json = bomay("--store", str(db), "scenario", "diff", sid, "--json")
    text = bomay("--store", str(db), "scenario", "diff", sid)
    assert as_json.returncode == text.returncode == 0, as_json.stderr + text.stderr
    # --json is the API's answer, key for key
    store = EmbeddedStore(db)
    with TestClient(create_app(store, Settings(tokens={"tests": TOKEN})), headers=AUTH) as c:
        api = c.get(f"/scenarios/{sid}/diff").json()
    store.close()
    assert json.loads(as_json.stdout) == api
    hu = next(m for m in api["moved"] if m["id"] == "pa-d1-hu")
    assert (f"pa-d1-hu (Huyện ủy Yên Sơn): parent pa-tu (unchanged); area pa-d1 -> nd; "
            f"operation 2; event {hu['event']}") in text.stdout
    c3 = next(m for m in api["moved"] if m["id"] == "pa-d2-c3")
    assert (f"pa-d2-c3 ({c3['name']}): parent pa-d2 -> pb-d2; operation 1; "
            f"event {c3['event']}") in text.stdout


def test_a_body_naming_no_area_moves_from_the_area_the_consolidation_took_it_in(tmp_path):
    folder = tmp_path / "r_tuyen_quang"
    shutil.copytree(DATA / "r_tuyen_quang", folder)
    units = folder / "units.csv"
    with open(units, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    (sngv,) = [r for r in rows if r["id"] == "hg-sngv"]
    assert sngv["area"] == "hg"
    sngv["area"] = ""  # found by its chain: under hg-ubnd, whose area is hg
    with open(units, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(folder))
    with TestClient(create_app(store, Settings(default_at=AT, tokens={"tests": TOKEN})),
                    headers=AUTH) as c:
        sid = _scenario(c, {"op": "consolidate", "units": ["hg", "tq"], "bodies": "merge",
                            "new": {"id": "tq25", "name": "Tỉnh Tuyên Quang"}})
        moved, log = _moved(c, sid), _log(c, sid)
        baseline = c.get("/units/hg-sngv", params={"at": AT}).json()
    store.close()
    # it names no area: its answer gives the one its chain gives, so marked
    assert (baseline["unit"]["area"], baseline["unit"]["area_inferred"],
            baseline["parent"]["id"]) == ("hg", True, "hg-ubnd")
    assert [(u["unit"], u["from_area"]) for u in log[0]["unpaired"]] == [("hg-sngv", "hg")]
    m = moved["hg-sngv"]
    assert (m["area_from"], m["area_to"], m["operation"]) == ("hg", "tq25", 1)
