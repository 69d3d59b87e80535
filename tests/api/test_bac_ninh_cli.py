"""The Bắc Giang + Bắc Ninh merger of `test_bac_ninh_http.py` from the command line, as a
planner drives it: `bomay check` and `load` on `tests/data/r_bac_ninh`, then the plans of
`tests/data/r_bac_ninh_plans` through `scenario run | save | show | impact | diff | export
| commit`, and `show`, `lineage`, `search` on both sides of 2025-07-01. Figures by hand
(see the HTTP test for the arithmetic)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.api.seed_plans import bomay, ok

DATA = Path(__file__).resolve().parents[1] / "data"
PLANS = DATA / "r_bac_ninh_plans"


def as_json(*args):
    return json.loads(ok(*args, "--json").stdout)


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "bn.db"
    out = ok("--store", str(path), "load", str(DATA / "r_bac_ninh")).stdout
    assert "loaded 66 units, 52 relations, 2 events" in out
    return str(path)


def test_check_names_the_new_function_key_and_passes():
    r = ok("check", str(DATA / "r_bac_ninh"))
    assert "ok: 66 units" in r.stdout
    assert "functions.csv:19: new function key 'ethnic_religious_affairs'" in r.stderr


def test_run_save_export_commit_and_read_back(store, tmp_path):
    ran = as_json("--store", store, "scenario", "run", str(PLANS / "merge.yaml"))
    assert (ran["headcount"]["before"], ran["headcount"]["after"]) == (1966, 1943)
    assert (ran["bodies"]["merged"], ran["leadership"]["removed"]) == (23, 17)
    assert [u["unit"] for u in ran["bodies"]["unpaired"]] == ["bg-sdttg"]
    # the same against the folder, without the store
    folder = json.loads(ok("scenario", "run", str(PLANS / "merge.yaml"), "--data",
                           str(DATA / "r_bac_ninh"), "--json").stdout)
    assert folder["headcount"] == ran["headcount"]

    sid = as_json("--store", store, "scenario", "save", str(PLANS / "merge.yaml"))["id"]
    shown = as_json("--store", store, "scenario", "show", sid)
    assert shown["valid"] is True
    assert shown["log"][0]["summary"] == "bg, bn consolidated into the new unit bn25 on 2025-07-01"
    impact = as_json("--store", store, "scenario", "impact", sid)
    assert impact["assumptions"]["support_staff"] == 3 and impact["headcount"]["after"] == 1943
    diff = as_json("--store", store, "scenario", "diff", sid)
    assert len(diff["added"]) == 24 and {m["id"] for m in diff["moved"]} >= {
        "bg-tpbg", "bg-lg", "bn-tpbn", "bn-tdu", "bg-sdttg"}
    # exported, the plan runs to the same report
    out = tmp_path / "again.yaml"
    ok("--store", store, "scenario", "export", sid, str(out))
    again = as_json("--store", store, "scenario", "run", str(out))
    assert again["headcount"] == ran["headcount"] and again["bodies"] == ran["bodies"]
    # compared alone, it reads with its own assumptions
    table = as_json("--store", store, "scenario", "compare", sid)["table"]
    assert {r["metric"]: r[sid] for r in table}["headcount after"] == 1943

    ok("--store", store, "scenario", "commit", sid)
    before = as_json("--store", store, "show", "bg-tdoan", "--at", "2025-06-30")
    assert before["unit"]["name"] == "Tỉnh đoàn Bắc Giang"
    assert before["superseded_by"][0]["id"] == "bn25-tdoan"
    r = bomay("--store", store, "show", "bg-tdoan", "--at", "2025-07-02")
    assert r.returncode == 1 and "did not exist on 2025-07-02" in r.stdout + r.stderr
    after = as_json("--store", store, "show", "bn25-tdoan", "--at", "2025-07-02")
    # 22 + 20 (headcount.csv), under the new Front as Bắc Ninh's was
    assert (after["headcount"]["headcount"], after["parent"]["id"]) == (42, "bn25-mttq")
    lineage = as_json("--store", store, "lineage", "bn25-tdoan")
    assert {p["unit"]["id"] for p in lineage["predecessors"]} == {"bg-tdoan", "bn-tdoan"}
    found = as_json("--store", store, "search", "bac giang", "--at", "any")
    assert found["items"][0]["unit"]["id"] == "bg"


def test_the_keep_plan_warns(store):
    ran = as_json("--store", store, "scenario", "run", str(PLANS / "keep.yaml"))
    assert ran["bodies"]["groups"] == [] and ran["headcount"]["before"] is None
    assert ran["warnings"][0].startswith("bodies: keep: 49 units keep an area that ends")
