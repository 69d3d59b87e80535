"""A plan's adoption date and the mapping tables a plan names, end to end: `bomay check` and
`bomay load` name each problem with its line; a day's cut (`bomay export --at`, `GET
/export?format=csv&at=`) writes a plan as it stood that day and loads back so (`GET
/scenarios`); a plan whose `consolidate_map` names its table file is served with its rows
and its CSV export (folder or zip) loads back with the same plan and the same impact."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import BUNDLED_DATASET, Settings
from graph.embedded.store import EmbeddedStore
from tests.api.seed_plans import ANNEX_PLAN, bomay, ok

DATA = Path(__file__).resolve().parents[1] / "data"
FOLD = "p002-fold-board-offices"  # made on 2018-06-18, to apply on 2018-06-30


def _seed_with(tmp_path: Path, lines: str) -> Path:
    """The bundled dataset, the fold's `date:` line followed by `lines`."""
    folder = tmp_path / "seed"
    shutil.copytree(BUNDLED_DATASET, folder)
    plan = folder / "plans" / f"{FOLD}.yaml"
    text = plan.read_text(encoding="utf-8")
    assert "status: planned\ndate: 2018-06-18\n" in text
    plan.write_text(text.replace("status: planned\ndate: 2018-06-18\n", lines), encoding="utf-8")
    return folder


@pytest.mark.parametrize("lines, problem", [
    ("status: planned\ndate: 2018-06-18\nadopted: 2018-07-15\n",
     f"plans/{FOLD}.yaml:9: [adopted] a planned plan has no adoption date: set status: "
     "adopted, or remove adopted (got '2018-07-15')"),
    ("status: adopted\ndate: 2018-06-18\nadopted: 2018-06-01\n",
     f"plans/{FOLD}.yaml:9: [adopted] adopted before the plan's date 2018-06-18: a plan is "
     "adopted on or after the day it was made (got '2018-06-01')"),
    ("status: adopted\nadopted: 2018-07\ndate: 2018-06-31\n",
     f"plans/{FOLD}.yaml:9: [date] impossible date: 2018-06 has no day 31 (got '2018-06-31')"),
])
def test_check_and_load_name_a_bad_adoption_with_its_line(tmp_path, lines, problem):
    folder = _seed_with(tmp_path, lines)
    checked = bomay("check", str(folder))
    assert checked.returncode == 1
    assert checked.stderr.splitlines()[0] == problem, checked.stdout + checked.stderr
    loaded = bomay("--store", str(tmp_path / "s.db"), "load", str(folder))
    assert loaded.returncode == 1 and problem in loaded.stdout + loaded.stderr


def _listed(db: Path) -> dict[str, dict]:
    store = EmbeddedStore(db)
    try:
        items = TestClient(create_app(store, Settings())).get("/scenarios").json()["items"]
    finally:
        store.close()
    return {s["id"]: s for s in items if s.get("plan")}


@pytest.fixture()
def adopted_store(tmp_path):
    """A store loaded (`bomay load`) with the fold adopted on 2018-07-15."""
    folder = _seed_with(tmp_path, "status: adopted  # by the Standing Committee\n"
                        "date: 2018-06-18\nadopted: 2018-07-15\n")
    db = tmp_path / "s.db"
    ok("--store", str(db), "load", str(folder))
    return db


def test_the_store_serves_the_adoption_date(adopted_store):
    assert (_listed(adopted_store)[FOLD]["status"], _listed(adopted_store)[FOLD]["adopted"]) \
        == ("adopted", "2018-07-15")
    store = EmbeddedStore(adopted_store)
    try:
        unit = TestClient(create_app(store, Settings())).get(
            "/units/p002-ubkt-van-phong", params={"at": "2018-06-01"}).json()
    finally:
        store.close()
    assert [(p["id"], p["status"], p["adopted"]) for p in unit["plans"]] == [
        (FOLD, "adopted", "2018-07-15")]
    # the bundled plans, without an adoption date, say so
    assert _listed(adopted_store)["qn-ckhoi-2020-regroup"]["adopted"] is None
    # and the CLI's listing shows each plan's status with its dates, whole
    wide = {**os.environ, "COLUMNS": "300"}  # every cell on one line
    listing = subprocess.run([sys.executable, "-c", "from api.cli import main; main()",
                              "--store", str(adopted_store), "scenario", "list"],
                             capture_output=True, text=True, env=wide, timeout=180).stdout
    assert f"adopted, on 2018-07-15, made 2018-06-18 (plans/{FOLD}.yaml)" in listing
    assert "planned, made 2020-02-11 (plans/qn-ckhoi-2020-regroup.yaml)" in listing


@pytest.mark.parametrize("via", ["cli", "http"])
@pytest.mark.parametrize("day, status, adopted", [
    ("2018-07-01", "planned", None),          # made by then, adopted later
    ("2018-07-15", "adopted", "2018-07-15"),  # adopted that day
    ("2019-01-01", "adopted", "2018-07-15")])
def test_a_day_s_cut_writes_the_plan_as_it_stood_and_loads_back_so(adopted_store, tmp_path,
                                                                   via, day, status, adopted):
    out = tmp_path / "day"
    if via == "cli":
        ok("--store", str(adopted_store), "export", "--at", day, str(out))
    else:
        store = EmbeddedStore(adopted_store)
        try:
            r = TestClient(create_app(store, Settings())).get(
                "/export", params={"format": "csv", "at": day})
        finally:
            store.close()
        assert r.status_code == 200, r.text
        zipfile.ZipFile(io.BytesIO(r.content)).extractall(out)
    written = (out / "plans" / f"{FOLD}.yaml").read_text(encoding="utf-8")
    assert ("adopted: 2018-07-15" in written) == (status == "adopted")
    ok("--store", str(tmp_path / "day.db"), "load", str(out))
    plan = _listed(tmp_path / "day.db")[FOLD]
    assert (plan["status"], plan["adopted"]) == (status, adopted)


# -- a plan naming its mapping table ------------------------------------------------------
#: By name, as the annex names them, and by id; Windows line ends, as a spreadsheet saves.
ANNEX = ("new_id,new_name,old_id,old_name,within\r\n"
         "x1,Xã Tân Lập,,Tân Lập,\"Huyện Yên Sơn, Tỉnh An Hà\"\r\n"
         "x1,Xã Tân Lập,pa-d1-c2,Tân Tiến,\r\n"
         "x2,Xã Đông Phú,pa-d2-c3,,\r\n"
         "x2,Xã Đông Phú,,Thị trấn Đông Hòa,Huyện Đông Hòa\r\n").encode()


@pytest.fixture()
def annex_folder(tmp_path):
    folder = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", folder)
    (folder / "plans" / "tables").mkdir(parents=True)
    (folder / "plans" / "annex.yaml").write_text(ANNEX_PLAN, encoding="utf-8")
    (folder / "plans" / "tables" / "communes.csv").write_bytes(ANNEX)
    return folder


def _served(db: Path) -> tuple[dict, dict]:
    """The plan as `GET /scenarios` lists it and its impact, without the revision."""
    store = EmbeddedStore(db)
    try:
        client = TestClient(create_app(store, Settings()))
        listed = {s["id"]: s for s in client.get("/scenarios").json()["items"]}["annex"]
        impact = client.get("/scenarios/annex/impact")
    finally:
        store.close()
    assert impact.status_code == 200, impact.text
    body = impact.json()
    for part in (listed, body["scenario"]):
        part.pop("base_revision")
    return listed, body


@pytest.mark.parametrize("via", ["cli", "http"])
def test_a_plan_naming_its_table_is_served_and_exported_with_it(annex_folder, tmp_path, via):
    db = tmp_path / "s.db"
    ok("--store", str(db), "load", str(annex_folder))
    listed, impact = _served(db)
    (operation,) = listed["operations"]
    assert "mapping" not in operation and operation["source"] == "tables/communes.csv"
    assert [(r["new"]["id"], r["where"]) for r in operation["rows"]] == [
        ("x1", "communes.csv:2"), ("x2", "communes.csv:4")]
    # the names of the table found (Tân Lập within Yên Sơn of An Hà is pa-d1-c1)
    (logged,) = impact["operations"]
    assert [(e["inputs"], e["outputs"]) for e in logged["events"]
            if e["type"] == "CONSOLIDATE" and e["outputs"] in (["x1"], ["x2"])] == [
        (["pa-d1-c2", "pa-d1-c1"], ["x1"]), (["pa-d2-c3", "pa-d2-c2"], ["x2"])]
    assert (impact["units"]["before"], impact["units"]["after"]) == (6, 3)
    out = tmp_path / "out"
    if via == "cli":
        exported = ok("--store", str(db), "export", str(out))
        assert "plans/tables/communes.csv" in exported.stdout + exported.stderr
    else:
        store = EmbeddedStore(db)
        try:
            r = TestClient(create_app(store, Settings())).get("/export", params={"format": "csv"})
        finally:
            store.close()
        assert r.status_code == 200, r.text
        names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
        assert {"plans/annex.yaml", "plans/tables/communes.csv"} <= set(names)
        zipfile.ZipFile(io.BytesIO(r.content)).extractall(out)
    # the files as they were loaded: the plan as written, the table at the path it names
    assert (out / "plans" / "annex.yaml").read_text(encoding="utf-8") == ANNEX_PLAN
    assert (out / "plans" / "tables" / "communes.csv").read_bytes() == ANNEX
    ok("--store", str(tmp_path / "again.db"), "load", str(out))
    assert _served(tmp_path / "again.db") == (listed, impact)  # same operations, same impact
    before, after = EmbeddedStore(db), EmbeddedStore(tmp_path / "again.db")
    try:
        assert after.plans() == before.plans()  # the same record: body, tables, units
    finally:
        before.close()
        after.close()


def test_a_plan_naming_a_table_outside_the_dataset_is_refused_at_its_line(annex_folder,
                                                                          tmp_path):
    shutil.move(annex_folder / "plans" / "tables" / "communes.csv", tmp_path / "communes.csv")
    plan = annex_folder / "plans" / "annex.yaml"
    plan.write_text(ANNEX_PLAN.replace("tables/communes.csv", "../../communes.csv"),
                    encoding="utf-8")
    checked = bomay("check", str(annex_folder))
    assert checked.returncode == 1
    assert checked.stderr.splitlines()[0].startswith(
        "plans/annex.yaml:8: [operations[0].mapping] the mapping table is not in a folder of "
        "the dataset: keep it in plans/tables/"), checked.stdout + checked.stderr


def test_a_plan_whose_table_the_store_does_not_hold_is_listed_and_refused_clearly(
        annex_folder, tmp_path):
    """A store loaded before plans kept their mapping tables holds the plan without its
    table: it is listed as written, and reading it is a 409 that says to load the folder
    again (not a 422 about a `mapping` field no operation has)."""
    db = tmp_path / "s.db"
    ok("--store", str(db), "load", str(annex_folder))
    with sqlite3.connect(db) as con:  # the plan's row as such a store holds it
        con.execute("UPDATE plans SET tables = ''")
        con.execute("DELETE FROM snapshot")
    store = EmbeddedStore(db)
    try:
        client = TestClient(create_app(store, Settings()))
        listed = client.get("/scenarios")
        shown = client.get("/scenarios/annex")
        impact = client.get("/scenarios/annex/impact")
    finally:
        store.close()
    assert listed.status_code == 200, listed.text
    (plan,) = [s for s in listed.json()["items"] if s["id"] == "annex"]
    assert plan["operations"] == [{"op": "consolidate_map", "mapping": "tables/communes.csv"}]
    assert impact.status_code == 409, impact.text
    detail = impact.json()["detail"]
    assert "'tables/communes.csv'" in detail and "load the dataset's folder again" in detail
    assert shown.status_code == 200, shown.text
    assert (shown.json()["valid"], shown.json()["conflict"]) == (False, detail)
