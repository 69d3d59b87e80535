"""`leaders` through HTTP and the CLI (tests/data/r_tuyen_quang: Tỉnh Hà Giang and Tỉnh
Tuyên Quang consolidated, the Tỉnh ủy secretaries ng001 and ng009): a scenario naming
the new Tỉnh ủy's secretary, its impact, the 422 and 409 problems naming the field, and a
plan file run and committed, after which the Tỉnh ủy has one secretary on the date."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.api.real_cases import as_json, serve
from tests.api.seed_plans import ok

DATA = Path(__file__).resolve().parents[1] / "data"
AT = "2025-07-01"
OP = {"op": "consolidate", "units": ["hg", "tq"], "basis": ["nq-202-2025"],
      "new": {"id": "tq25", "name": "Tỉnh Tuyên Quang"}}


@pytest.fixture
def client(tmp_path):
    yield from serve(tmp_path, "r_tuyen_quang", AT)


def post(client, leaders):
    return client.post("/scenarios", json={"name": "Tuyên Quang 2025", "at": AT,
                                           "operations": [dict(OP, leaders=leaders)]})


def test_a_scenario_naming_the_secretary_and_its_impact(client):
    r = post(client, {"secretary": "ng009"})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    rep = client.get(f"/scenarios/{sid}/impact").json()
    lead = rep["leadership"]
    assert lead["named"] == [{"unit": "tq25-tu", "role": "secretary", "person": "ng009",
                              "ended": ["ng001"], "operation": 1}]
    assert not [d for d in lead["duplicated"] if d["role"] == "secretary"]
    assert [p["change"] for p in lead["people_affected"]
            if p["person"] == "ng001" and p["role"] == "secretary"] == [
        "post ended: not named to lead tq25-tu"]
    assert rep["operations"][0]["leaders"][0]["person"] == "ng009"
    tu = client.get(f"/scenarios/{sid}/units/tq25-tu", params={"at": AT})
    assert tu.status_code == 200
    assert [p["person_id"] for p in tu.json()["posts"] if p["role"] == "secretary"] == [
        "ng009"]


@pytest.mark.parametrize("leaders, status, field", [
    ({"boss": "ng009"}, 422, "leaders.boss"),
    ({"secretary": 9}, 422, "leaders.secretary"),
    ({"secretary": "ng002"}, 409, "leaders.secretary"),
])
def test_a_bad_leader_is_a_problem_naming_the_field(client, leaders, status, field):
    r = post(client, leaders)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert field in body["detail"]
    assert field in [e.get("field") for e in body["errors"]]
    if status == 409:  # the operation, the person and who holds the role
        assert "operation 1 (consolidate)" in body["detail"]
        assert "ng002" in body["detail"] and "ng001, ng009" in body["detail"]


def test_the_cli_runs_and_commits_a_plan_with_leaders(tmp_path):
    store = str(tmp_path / "tq.db")
    ok("--store", store, "load", str(DATA / "r_tuyen_quang"))
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"""name: Hợp nhất Hà Giang - Tuyên Quang
at: {AT}
operations:
  - op: consolidate
    units: [hg, tq]
    basis: [nq-202-2025]
    new: {{id: tq25, name: Tỉnh Tuyên Quang}}
    leaders: {{secretary: ng009, chair: ng011}}
""", encoding="utf-8")
    run = as_json("--store", store, "scenario", "run", str(plan))
    assert [(n["unit"], n["person"]) for n in run["leadership"]["named"]] == [
        ("tq25-tu", "ng009"), ("tq25-ubnd", "ng011")]
    sid = as_json("--store", store, "scenario", "save", str(plan))["id"]
    out = tmp_path / "exported.yaml"
    ok("--store", store, "scenario", "export", sid, str(out))
    exported = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert exported["operations"][0]["leaders"] == {"secretary": "ng009", "chair": "ng011"}
    ok("--store", store, "scenario", "commit", sid)
    shown = as_json("--store", store, "show", "tq25-tu", "--at", AT)
    assert [p["person_id"] for p in shown["posts"] if p["role"] == "secretary"] == ["ng009"]
