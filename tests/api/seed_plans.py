"""The CLI in a real process, as the `bomay` entry point runs it (`bomay`, `ok`), and a
plan run from it over the bundled data (data/seed): `bomay scenario run PLAN --data
data/seed [--json]` (`run_plan`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

SEED = Path(__file__).resolve().parents[2] / "data" / "seed"

#: A dataset plan (`plans/annex.yaml`) consolidating communes of tests/data/t_names from the
#: mapping table it names, `plans/tables/communes.csv`, as a planner keeps the annex.
ANNEX_PLAN = """\
# Sắp xếp các xã huyện Yên Sơn (the annex kept beside the plan, as a CSV file)
name: Sắp xếp xã Yên Sơn
status: planned
date: 2025-06-01
at: 2025-07-01
operations:
  - op: consolidate_map
    mapping: tables/communes.csv
"""


def bomay(*args: str) -> subprocess.CompletedProcess:
    """`bomay ARGS` (what the entry point runs), its output captured."""
    return subprocess.run([sys.executable, "-c", "from api.cli import main; main()", *args],
                          capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200"}, timeout=180)


def ok(*args: str) -> subprocess.CompletedProcess:
    """`bomay ARGS`, which must succeed."""
    r = bomay(*args)
    assert r.returncode == 0, r.stderr + r.stdout
    return r


def run_plan(tmp_path: Path, plan_text: str, *, as_json: bool = True) -> Any:
    """The report (parsed JSON, or the text with `as_json=False`) of the plan."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(plan_text, encoding="utf-8")
    r = bomay("scenario", "run", str(plan), "--data", str(SEED),
              *(["--json"] if as_json else []))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout) if as_json else r.stdout
