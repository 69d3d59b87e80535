"""The `bomay` CLI's check / load / export / --version, run as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def bomay(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, **(env or {})}, timeout=120)


def test_check_prints_every_problem_with_its_place_and_exits_1(data_dir):
    result = bomay("check", str(data_dir / "bad" / "bad_date"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[:4] == [
        "units.csv:2:5: [valid_from] impossible date: there is no month 13 (got '2018-13')",
        "units.csv:3:5: [valid_from] impossible date: 2018-02 has no day 30 (got '2018-02-30')",
        "units.csv:4:6: [valid_to] valid_to is before valid_from (2019) (got '2017-05')",
        "units.csv:5:5: [valid_from] expected an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD "
        "(got '7/8/2018')",
    ]
    assert "Traceback" not in result.stderr


def test_check_accepts_a_good_folder(data_dir):
    result = bomay("check", str(data_dir / "chain"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 9 units, 9 relations, 2 events")


def test_a_refused_load_leaves_the_stored_baseline(tmp_path, data_dir):
    store = tmp_path / "s.db"
    assert bomay("--store", str(store), "load", str(data_dir / "chain")).returncode == 0
    refused = bomay("--store", str(store), "load", str(data_dir / "bad" / "two_parents"))
    assert refused.returncode == 1 and "the store was not changed" in refused.stderr
    assert bomay("--store", str(store), "export", str(tmp_path / "out")).returncode == 0
    assert "ev-consolidate" in (tmp_path / "out" / "events.csv").read_text(encoding="utf-8")


def test_store_chosen_by_environment_variable(tmp_path, data_dir):
    result = bomay("load", str(data_dir / "chain"), env={"BOMAY_STORE": str(tmp_path / "e.db")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "e.db").exists()


def test_a_store_that_is_not_a_database_is_a_clear_error(tmp_path, data_dir):
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not sqlite at all " * 100)
    result = bomay("--store", str(bogus), "load", str(data_dir / "chain"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot open the store")
    assert "Traceback" not in result.stderr


def test_version():
    result = bomay("--version")
    assert result.returncode == 0 and result.stdout.strip() == "bomay 0.1.0"


@pytest.mark.parametrize("args", [["check"], ["load", "/definitely/not/here"]])
def test_usage_errors_do_not_print_tracebacks(args):
    result = bomay(*args)
    assert result.returncode != 0 and "Traceback" not in result.stderr
