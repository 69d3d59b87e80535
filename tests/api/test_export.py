"""`GET /export` and `bomay export`: every format, parsed back by its own library, for the
baseline, a day of it and a saved scenario; the CSV folder round-trips through `bomay load`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib import RDF

from api.app import create_app
from api.settings import BUNDLED_DATASET, Settings
from graph.embedded.store import EmbeddedStore
from graph.errors import InvalidParameter
from graph.formats import rdf
from graph.formats.rdf import ORG
from graph.scenarios.files import new_definition, read_plan, state_of
from loaders import read_dataset

REPO = Path(__file__).resolve().parents[2]
PLAN = REPO / "docs" / "examples" / "fold-board-offices.yaml"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = EmbeddedStore(tmp_path_factory.mktemp("export") / "s.db")
    store.replace_dataset(read_dataset(BUNDLED_DATASET))
    plan = read_plan(PLAN)
    scenario = new_definition(plan.name, plan.at, plan.description, store.revision,
                              plan.operations)
    store.save_scenario(scenario)
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store, Settings(default_at="2020-06-01")))


@pytest.fixture(scope="module")
def scenario_id(store):
    return store.list_scenarios()[0].id


def test_turtle_is_served_with_its_type_and_this_servers_iris(client, store, monkeypatch):
    monkeypatch.setattr(rdf, "CHUNK_TRIPLES", 50)  # sent in many parts, as it is made
    r = client.get("/export", params={"format": "turtle"},
                   headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/turtle")
    assert r.headers["content-disposition"] == 'attachment; filename="bomay.ttl"'
    assert "content-length" not in r.headers  # streamed: its length is not known first
    assert r.content.count(b"@prefix org:") > 10
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    orgs = set(g.subjects(RDF.type, ORG.Organization))
    assert len(orgs) == len(store.dataset().units)
    assert rdflib.URIRef("http://testserver/units/mc-tu") in orgs
    # The unit's IRI is its own address in this API.
    assert client.get("/units/mc-tu").status_code == 200
    assert len(set(g.subjects(RDF.type, ORG.ChangeEvent))) == len(store.dataset().events)


@pytest.mark.parametrize("fmt, media_type", [
    ("jsonld", "application/ld+json"), ("nt", "application/n-triples"),
    ("popolo", "application/json"),
    ("graphml", "application/graphml+xml"), ("gexf", "application/gexf+xml")])
def test_every_format_parses_back(client, store, fmt, media_type):
    r = client.get("/export", params={"format": fmt, "base": "urn:bomay:"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media_type)
    units = len(store.dataset().units)
    if fmt in ("jsonld", "nt"):
        g = rdflib.Graph().parse(data=r.content, format="json-ld" if fmt == "jsonld" else "nt")
        assert len(set(g.subjects(RDF.type, ORG.Organization))) == units
        assert all(str(s).startswith("urn:bomay:") for s in g.subjects(RDF.type, ORG.Organization))
    elif fmt == "popolo":
        assert len(r.json()["organizations"]) == units
    else:
        reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        assert reader(io.BytesIO(r.content)).number_of_nodes() == units


def _plans_listed(folder: Path, db: Path) -> list[str]:
    """`bomay load FOLDER` into a new store, then the plans `GET /scenarios` lists."""
    loaded = _bomay("--store", str(db), "load", str(folder))
    assert loaded.returncode == 0, loaded.stderr
    reloaded = EmbeddedStore(db)
    try:
        items = TestClient(create_app(reloaded, Settings())).get("/scenarios").json()["items"]
    finally:
        reloaded.close()
    return [s["id"] for s in items if s.get("plan")]


def test_a_format_written_whole_is_sent_with_its_length(client):
    r = client.get("/export", params={"format": "jsonld"},
                   headers={"Accept-Encoding": "identity"})  # a length only when not gzipped
    assert r.status_code == 200, r.text
    assert int(r.headers["content-length"]) == len(r.content)


def test_csv_is_a_zip_that_loads_back(client, store, tmp_path):
    r = client.get("/export", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    zipfile.ZipFile(io.BytesIO(r.content)).extractall(tmp_path / "out")
    assert read_dataset(tmp_path / "out").counts() == store.dataset().counts()
    assert _plans_listed(tmp_path / "out", tmp_path / "again.db") == [
        "p002-fold-board-offices", "qn-ckhoi-2020-regroup"]


@pytest.mark.parametrize("at, plans", [
    ("2018-08-07", ["p002-fold-board-offices"]),  # the regrouping was made on 2020-02-11
    ("2020-06-01", ["p002-fold-board-offices", "qn-ckhoi-2020-regroup"])])
def test_the_csv_of_a_day_carries_the_plans_made_by_then(client, tmp_path, at, plans):
    r = client.get("/export", params={"format": "csv", "at": at})
    assert r.status_code == 200, r.text
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert sorted(n for n in names if n.startswith("plans/")) == [f"plans/{p}.yaml" for p in plans]
    zipfile.ZipFile(io.BytesIO(r.content)).extractall(tmp_path / "day")
    assert _plans_listed(tmp_path / "day", tmp_path / "day.db") == plans


def test_a_scenario_and_a_day(client, store, scenario_id):
    r = client.get("/export", params={"format": "popolo", "scenario": scenario_id})
    assert r.status_code == 200, r.text
    assert scenario_id in r.headers["content-disposition"]
    orgs = {o["id"]: o for o in r.json()["organizations"]}
    state = state_of(store, store.get_scenario(scenario_id))
    assert len(orgs) == len(state.dataset().units)
    # The plan merges the boards' offices into the Party Office on 2018-06-30.
    assert orgs["p002-ubkt-van-phong"]["dissolution_date"] == "2018-06-30"
    baseline = {o["id"]: o for o in client.get("/export?format=popolo").json()["organizations"]}
    assert "dissolution_date" not in baseline["p002-ubkt-van-phong"]
    day = client.get("/export", params={"format": "popolo", "scenario": scenario_id,
                                        "at": "2018-07-01"}).json()
    assert day["as_of"] == "2018-07-01"
    assert "p002-ubkt-van-phong" not in {o["id"] for o in day["organizations"]}


@pytest.mark.parametrize("params, status, field", [
    ({"format": "xlsx"}, 422, "format"), ({"format": "turtle", "at": "2018-13"}, 422, "at"),
    ({"format": "turtle", "base": "javascript:alert(1)"}, 422, "base"),
    ({"format": "turtle", "scenario": "nope"}, 404, None), ({}, 422, "format")])
def test_bad_requests_are_problems(client, params, status, field):
    r = client.get("/export", params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    if field:
        assert field in {e["field"] for e in r.json().get("errors", [])}


def _bomay(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True,
                          text=True, cwd=cwd or REPO, timeout=120, env=dict(os.environ))


def test_cli_exports_a_file_and_a_csv_day_that_loads_back(store, scenario_id, tmp_path):
    db = str(Path(store.location))
    result = _bomay("--store", db, "export", "--format", "gexf", str(tmp_path / "g.gexf"))
    assert result.returncode == 0, result.stderr
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == len(store.dataset().units)
    result = _bomay("--store", db, "export", "--format", "nt", str(tmp_path))
    assert result.returncode == 0, result.stderr
    g = rdflib.Graph().parse(tmp_path / "bomay.nt", format="nt")
    assert len(set(g.subjects(RDF.type, ORG.Organization))) == len(store.dataset().units)
    result = _bomay("--store", db, "export", "--format", "csv", "--at", "2020-06-01",
                    "--scenario", scenario_id, str(tmp_path / "day"))
    assert result.returncode == 0, result.stderr
    assert "rows to units.csv" in result.stdout
    checked = _bomay("check", str(tmp_path / "day"))
    assert checked.returncode == 0, checked.stderr
    units = read_dataset(tmp_path / "day").units
    assert "p002-ubkt-van-phong" not in {u.id for u in units} and units


def test_cli_a_scenarios_csv_leaves_out_the_plan_it_overtook(store, scenario_id, tmp_path):
    # The scenario merges p002's offices on 2018-06-30: the dataset's plan to fold them
    # would apply to offices that no longer exist, and the folder would not load back.
    result = _bomay("--store", str(Path(store.location)), "export", "--scenario", scenario_id,
                    str(tmp_path / "whole"))
    assert result.returncode == 0, result.stderr
    assert _plans_listed(tmp_path / "whole", tmp_path / "whole.db") == ["qn-ckhoi-2020-regroup"]


def test_cli_refuses_an_unknown_format(store, tmp_path):
    result = _bomay("--store", str(Path(store.location)), "export", "--format", "xml",
                    str(tmp_path / "x"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: --format: unknown format 'xml'")
    assert "Traceback" not in result.stderr and not (tmp_path / "x").exists()


def test_a_streamed_export_that_fails_before_its_first_part_is_a_problem(client, monkeypatch):
    def failing(*args, **kwargs):
        raise InvalidParameter("at: nothing to export", errors=[{"field": "at"}])
        yield  # a generator, as rdf_chunks is

    monkeypatch.setattr(rdf, "rdf_chunks", failing)
    r = client.get("/export", params={"format": "nt"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
