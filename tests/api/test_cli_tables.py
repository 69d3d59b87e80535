"""The CLI's tables (`api.cli_tables`) on a narrow terminal: ids printed whole on one line,
every cell as plain text (a name's brackets printed, not read as rich markup)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]


def bomay(store: Path, *args: str, columns: int = 80) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from api.cli import main; main()",
                           "--store", str(store), *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": str(columns)}, timeout=120)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("tables") / "s.db"
    loaded = bomay(store, "load", str(ROOT / "data" / "seed"))
    assert loaded.returncode == 0, loaded.stderr
    return store


@pytest.mark.parametrize("args", [("search", "ban to chuc", "--at", "any"),
                                  ("units", "--at", "2018-08-07", "--limit", "40")],
                         ids=["search", "units"])
def test_every_id_is_printed_whole_on_an_80_column_terminal(seed_store, args):
    body = json.loads(bomay(seed_store, *args, "--json").stdout)
    ids = [item.get("unit", item)["id"] for item in body["items"]]
    assert ids and max(map(len, ids)) > 16  # long enough to have been cut
    text = bomay(seed_store, *args)
    assert text.returncode == 0, text.stderr
    cells = {c.strip() for line in text.stdout.splitlines() for c in line.split("│")}
    assert [i for i in ids if i not in cells] == []


def test_a_scenario_name_with_brackets_is_printed_as_written(tmp_path):
    store = tmp_path / "s.db"
    assert bomay(store, "load", str(DATA / "s_city")).returncode == 0
    plan = tmp_path / "p.yaml"
    text = (DATA / "s_plans" / "city.yaml").read_text(encoding="utf-8")
    plan.write_text(text.replace("name: Sample city streamlining",
                                 "name: \"[draft] Sample city [red]streamlining\""),
                    encoding="utf-8")
    saved = bomay(store, "scenario", "save", str(plan), "--json", columns=160)
    assert saved.returncode == 0, saved.stderr
    sid = json.loads(saved.stdout)["id"]
    shown = bomay(store, "scenario", "show", sid, columns=160)
    assert shown.returncode == 0, shown.stderr
    assert "[draft] Sample city [red]streamlining" in shown.stdout
    report = bomay(store, "scenario", "impact", sid, columns=160)
    assert report.returncode == 0, report.stderr
    assert "Scenario [draft] Sample city [red]streamlining" in report.stdout
