"""`bomay scenario run | save | list | commit`, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
PLANS = DATA / "s_plans"


def bomay(*args, env=None):
    # Not `python -m api.cli`: run as __main__, the module is a second copy that the
    # sub-command modules (api.cli_scenario) do not register on; this is what `bomay` runs.
    return subprocess.run([sys.executable, "-c", "from api.cli import main; main()", *args],
                          capture_output=True,
                          text=True, env={**os.environ, "COLUMNS": "160", **(env or {})},
                          timeout=120)


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "s.db"
    assert bomay("--store", str(path), "load", str(DATA / "s_city")).returncode == 0
    return path


def test_run_prints_the_impact_report(store):
    result = bomay("--store", str(store), "scenario", "run", str(PLANS / "city.yaml"))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Scenario Sample city streamlining — base 2018-01-01" in text
    assert "btc, pnv consolidated into the new unit tcnv on 2018-01-01" in text
    # by hand: btc 8 + pnv 6 + ubkt 9 + tt 7 = 30; office_admin twice in tcnv saves 1;
    # two heads in tcnv and two in ubkt save 1 each: 27
    assert "after, with assumptions" in text and "│ 27 " in text.replace("\x1b", "")
    assert "tcnv: 2 × head (p-btc, p-pnv)" in text
    assert "max span 6" in text  # from the plan's assumptions
    assert "Span of control: max 7 → 7" in text
    assert "over the span of 6: tu has 7 units" in text


def test_run_json_and_at_override(store):
    result = bomay("--store", str(store), "scenario", "run", str(PLANS / "city.json"),
                   "--at", "2018-01-01", "--json", "--saving", "office_admin=1",
                   "--keep-duplicate-leadership")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["scenario"]["at"] == "2018-01-01"
    assert report["headcount"]["before"] == 30
    assert report["headcount"]["saving_total"] == 2  # office_admin: 1 × 2 staff × 1.0
    assert report["assumptions"]["remove_duplicate_leadership"] is False
    assert [a["id"] for a in report["diff"]["added"]] == ["tcnv"]


def test_run_against_a_folder_without_a_store(tmp_path):
    result = bomay("--store", str(tmp_path / "none.db"), "scenario", "run",
                   str(PLANS / "city.json"), "--at", "2018", "--data", str(DATA / "s_city"),
                   "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["units"]["change"] == -2


def test_run_the_seed_002_plan_on_the_bundled_dataset():
    seed = DATA.parents[1] / "data" / "seed"
    result = bomay("scenario", "run", str(PLANS / "seed_002.yaml"), "--data", str(seed),
                   "--json", env={"BOMAY_STORE": "/nonexistent/never-opened.db"})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # five board offices end, each of the three support functions held by 6 offices
    assert report["units"]["change"] == -5
    assert sorted((d["function"], d["holders"]) for d in report["functions"]["duplicated"]) == [
        ("finance_accounting", 6), ("office_admin", 6), ("transport", 6)]


@pytest.mark.parametrize("plan, lines", [
    # a conflict found when applying: the plan's file and the operation's line
    ("conflict.yaml", ["conflict.yaml:1: operation 1 (dissolve): dissolving dbcq would "
                       "orphan children cb1, cb2, cb3"]),
    # every problem of the file, each at its line (the first one in the headline)
    ("malformed.yaml", ["malformed.yaml:1: operation 1 (merge): units: is required",
                        "  " + str(PLANS / "malformed.yaml") + ":3: operation 2: [op] unknown "
                        "operation"]),
    ("nothing.yaml", ["nothing.yaml: no such file"]),
])
def test_run_errors_name_the_plan_file_and_line_without_a_traceback(store, plan, lines):
    result = bomay("--store", str(store), "scenario", "run", str(PLANS / plan), "--at", "2018")
    assert result.returncode == 1
    got = result.stderr.splitlines()
    assert got[0].startswith("error: " + str(PLANS)) and lines[0] in got[0], result.stderr
    for want, line in zip(lines[1:], got[1:]):
        assert line.startswith(want), result.stderr
    assert len(got) == len(lines), result.stderr
    assert "Traceback" not in result.stderr


def test_run_needs_a_date(store):
    result = bomay("--store", str(store), "scenario", "run", str(PLANS / "city.json"))
    assert result.returncode == 1 and "--at" in result.stderr


def test_html_report(store, tmp_path):
    out = tmp_path / "report.html"
    result = bomay("--store", str(store), "scenario", "run", str(PLANS / "city.yaml"),
                   "--html", str(out))
    import importlib
    has_page = any(callable(getattr(importlib.import_module(m), "scenario_page", None))
                   for m in ("viz", "viz.pages"))
    if has_page:
        assert result.returncode == 0, result.stderr
        assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    else:
        assert result.returncode == 1 and "not available yet" in result.stderr


def test_save_list_commit(store):
    saved = bomay("--store", str(store), "scenario", "save", str(PLANS / "city.yaml"))
    assert saved.returncode == 0, saved.stderr
    scenario_id = saved.stdout.split()[2]
    listed = bomay("--store", str(store), "scenario", "list")
    assert scenario_id in listed.stdout and "Sample city streamlining" in listed.stdout
    done = bomay("--store", str(store), "scenario", "commit", scenario_id)
    assert done.returncode == 0, done.stderr
    assert f"committed {scenario_id}: 2 events" in done.stdout
    again = bomay("--store", str(store), "scenario", "commit", scenario_id)
    assert again.returncode == 1 and "already committed" in again.stderr
    # the baseline now has the merged unit: the same plan no longer applies
    rerun = bomay("--store", str(store), "scenario", "run", str(PLANS / "city.yaml"))
    assert rerun.returncode == 1
    assert ("operation 1 (consolidate): unit btc does not exist on 2018-01-01 (it existed from "
            "2010 until 2018-01-01, that day excluded)") in rerun.stderr


def _saved(store, plan="city.yaml"):
    result = bomay("--store", str(store), "scenario", "save", str(PLANS / plan), "--json",
                   "--at", "2018-01-01")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["id"]


def test_cli_parity_show_diff_compare_undo_delete(store):
    a, b = _saved(store), _saved(store, "city.json")
    listed = bomay("--store", str(store), "scenario", "list", env={"COLUMNS": "40"})
    assert a in listed.stdout and b in listed.stdout  # full ids, even on a narrow terminal
    ids = [s["id"] for s in json.loads(bomay("--store", str(store), "scenario", "list",
                                             "--json").stdout)["items"]]
    assert {a, b} <= set(ids)
    shown = json.loads(bomay("--store", str(store), "scenario", "show", a, "--json").stdout)
    assert shown["valid"] and shown["log"][0]["op"] == "consolidate"
    assert "btc, pnv consolidated" in bomay("--store", str(store), "scenario", "show", a).stdout
    changes = json.loads(bomay("--store", str(store), "scenario", "diff", a, "--json").stdout)
    assert "tcnv" in json.dumps(changes["added"])
    table = json.loads(bomay("--store", str(store), "scenario", "compare", a, b,
                             "--json").stdout)["table"]
    assert {row["metric"] for row in table} >= {"units", "headcount after"}
    undone = json.loads(bomay("--store", str(store), "scenario", "undo", a, "2",
                              "--json").stdout)
    assert undone["removed"]["op"] == "merge" and len(undone["operations"]) == 1
    assert bomay("--store", str(store), "scenario", "delete", b).returncode == 0
    gone = bomay("--store", str(store), "scenario", "show", b)
    assert gone.returncode == 1 and b in gone.stderr


def test_save_keeps_the_plan_s_assumptions_and_export_round_trips(store, tmp_path):
    sid = _saved(store)
    saved = json.loads(bomay("--store", str(store), "scenario", "impact", sid,
                             "--json").stdout)
    ran = json.loads(bomay("--store", str(store), "scenario", "run", str(PLANS / "city.yaml"),
                           "--json").stdout)
    assert saved["assumptions"] == ran["assumptions"]  # max_span 6, from the plan
    assert saved["headcount"]["after"] == ran["headcount"]["after"]
    plan = tmp_path / "back.yaml"
    assert bomay("--store", str(store), "scenario", "export", sid, str(plan)).returncode == 0
    again = json.loads(bomay("--store", str(store), "scenario", "run", str(plan),
                             "--json").stdout)
    assert again["headcount"] == ran["headcount"] and again["units"] == ran["units"]
    assert again["assumptions"] == ran["assumptions"]
