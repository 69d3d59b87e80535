"""The bounds of a plan file through the real CLI, in a process of its own: `bomay scenario
run plan.yaml` (and `save`) and `bomay check FOLDER` on a dataset whose `plans/x.yaml` is
beyond a bound. Each is exit 1 with one line naming the file (the line), what was found
and the bound, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.contract import LEVELS

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]
HEAD = "name: x\nat: 2025-07-01\n"
#: The default bounds: a plan file's bytes, a scenario's operations.
MAX_PLAN_BYTES = 20 * 1024 * 1024
MAX_OPERATIONS = 500


def _in(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`bomay ARGS` run in `folder`, as a planner runs it on `plan.yaml`."""
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-c", "from api.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=folder, timeout=180,
                          env={**os.environ, "COLUMNS": "200", "PYTHONPATH": path, **env})


def _refused(r: subprocess.CompletedProcess) -> str:
    """The one line of a refused command (exit 1, no traceback)."""
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stdout + r.stderr
    return r.stderr.splitlines()[0]


def _run(tmp_path: Path, text: str | None = None, command: str = "run",
         **env: str) -> subprocess.CompletedProcess:
    if text is not None:
        (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    args = ["scenario", command, "plan.yaml"]
    args += ["--data", str(DATA / "t_names")] if command == "run" else \
        ["--store", str(tmp_path / "absent.db")]
    return _in(tmp_path, *args, **env)


def _dissolves(n: int) -> str:
    return "operations:\n" + "".join(f"  - op: dissolve\n    unit: u{i}\n" for i in range(n))


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", folder)
    (folder / "plans").mkdir()
    return folder


@pytest.mark.parametrize("command", ["run", "save"])
def test_a_plan_file_beyond_its_bytes_is_refused_naming_its_size_and_the_bound(tmp_path,
                                                                              command):
    with (tmp_path / "plan.yaml").open("wb") as f:  # sparse: nothing of it is to be read
        f.write(HEAD.encode())
        f.truncate(MAX_PLAN_BYTES + 1)
    line = _refused(_run(tmp_path, command=command))
    assert line == (f"error: plan.yaml: the plan file is {MAX_PLAN_BYTES + 1:,} bytes, more "
                    f"than the {MAX_PLAN_BYTES:,} bytes a plan file may hold (20 MiB; "
                    "BOMAY_PLAN_MAX_BYTES): expected a smaller plan (keep a long list of "
                    "consolidations in a mapping table file, `mapping:`)"), line


def test_the_bound_of_a_plan_file_s_bytes_is_read_from_the_environment(tmp_path):
    line = _refused(_run(tmp_path, HEAD + _dissolves(3), BOMAY_PLAN_MAX_BYTES="40"))
    assert line.startswith("error: plan.yaml: the plan file is "), line
    assert "more than the 40 bytes a plan file may hold" in line


def test_a_plan_of_too_many_operations_is_refused_at_the_first_beyond(tmp_path):
    text = HEAD + _dissolves(MAX_OPERATIONS + 1)
    first_beyond = 3 + 2 * MAX_OPERATIONS + 1  # `operations:` is line 3, two lines each
    assert text.splitlines()[first_beyond - 1] == "  - op: dissolve"
    line = _refused(_run(tmp_path, text))
    assert line == (f"error: plan.yaml:{first_beyond}: 501 operations, more than the 500 a "
                    "scenario may hold (max_operations; BOMAY_SCENARIO_MAX_OPERATIONS): "
                    "expected at most 500 (operation 501 is the first beyond; a "
                    "consolidate_map counts as one)"), line


def test_the_operations_bound_is_the_scenario_s_from_the_environment(tmp_path):
    line = _refused(_run(tmp_path, HEAD + _dissolves(3), BOMAY_SCENARIO_MAX_OPERATIONS="2"))
    assert line.startswith("error: plan.yaml:8: 3 operations, more than the 2 a scenario "
                           "may hold"), line


def test_a_long_text_repeated_by_aliases_is_refused(tmp_path):
    ops = [f"  - op: rename\n    unit: pa-d1-c1\n    name: &s {'x' * 100_000}\n"]
    ops += ["  - op: rename\n    unit: pa-d1-c1\n    name: *s\n"] * 399
    line = _refused(_run(tmp_path, HEAD + "operations:\n" + "".join(ops)))
    assert line.startswith("error: plan.yaml:6:11: not valid YAML: its aliases expand it to "
                           "40,0"), line
    assert "characters, more than 1,000,000 beyond the" in line


def test_a_mapping_table_beyond_its_rows_is_refused_at_the_first_beyond(tmp_path):
    (tmp_path / "t.csv").write_text("new_id,new_name,units\n" + "".join(
        f"n{i},Xã {i},pa-d1-c1;pa-d1-c2\n" for i in range(4)), encoding="utf-8")
    line = _refused(_run(tmp_path, HEAD + "operations:\n  - op: consolidate_map\n"
                         "    mapping: t.csv\n", BOMAY_SCENARIO_MAX_MAPPING_ROWS="3"))
    assert line == ("error: plan.yaml:4: operation 1 (consolidate_map): t.csv:5: more than 3 "
                    "rows; the limit of a mapping table (BOMAY_SCENARIO_MAX_MAPPING_ROWS)"), line


def test_an_unknown_level_of_a_new_unit_is_refused_naming_the_field_and_the_levels(tmp_path):
    line = _refused(_run(tmp_path, HEAD + "operations:\n  - op: consolidate\n"
                         "    units: [pa-d1-c1, pa-d1-c2]\n"
                         "    new: {id: n1, name: Xã Mới, level: provnce}\n"))
    assert line == ("error: plan.yaml:6: operation 1 (consolidate): new.level: unknown level; "
                    f"expected one of {', '.join(sorted(LEVELS))}"), line


def test_bomay_check_refuses_a_dataset_plan_of_too_many_operations(tmp_path):
    folder = _folder(tmp_path)
    text = "name: x\nstatus: planned\ndate: 2025-07-01\n" + _dissolves(MAX_OPERATIONS + 1)
    (folder / "plans" / "x.yaml").write_text(text, encoding="utf-8")
    line = _refused(_in(tmp_path, "check", str(folder)))
    assert line.startswith(f"plans/x.yaml:{4 + 2 * MAX_OPERATIONS + 1}: [operations] 501 "
                           "operations, more than the 500 a scenario may hold"), line


def test_bomay_check_refuses_a_dataset_plan_beyond_its_bytes(tmp_path):
    folder = _folder(tmp_path)
    with (folder / "plans" / "x.yaml").open("wb") as f:
        f.truncate(MAX_PLAN_BYTES + 1)
    line = _refused(_in(tmp_path, "check", str(folder)))
    assert line.startswith(f"plans/x.yaml: the plan file is {MAX_PLAN_BYTES + 1:,} bytes, "
                           f"more than the {MAX_PLAN_BYTES:,} bytes"), line


def test_a_mapping_table_beyond_the_bytes_bound_is_refused_unread(tmp_path):
    """A table's rows are bounded once read; its bytes before: a 120-byte bound (set through
    the environment) passes the 78-byte plan and refuses a 200-byte table, naming the
    table, its size and the bound."""
    (tmp_path / "t.csv").write_text("new_id,new_name,units\n" + "n0,Xã 0,pa-d1-c1;pa-d1-c2\n"
                                    + "#" * 150 + "\n", encoding="utf-8")
    size = (tmp_path / "t.csv").stat().st_size
    line = _refused(_run(tmp_path, HEAD + "operations:\n  - op: consolidate_map\n"
                         "    mapping: t.csv\n", BOMAY_PLAN_MAX_BYTES="120"))
    assert line.startswith(f"error: plan.yaml:4: operation 1 (consolidate_map): t.csv: the "
                           f"mapping table is {size} bytes, more than the 120 bytes a mapping "
                           "table may hold (BOMAY_PLAN_MAX_BYTES)"), line


def test_bomay_check_refuses_a_dataset_plan_s_table_beyond_its_bytes(tmp_path):
    folder = _folder(tmp_path)
    (folder / "plans" / "tables").mkdir()
    with (folder / "plans" / "tables" / "t.csv").open("wb") as f:
        f.truncate(MAX_PLAN_BYTES + 1)
    (folder / "plans" / "x.yaml").write_text(
        "name: x\nstatus: planned\ndate: 2025-07-01\noperations:\n  - op: consolidate_map\n"
        "    mapping: tables/t.csv\n", encoding="utf-8")
    r = _in(tmp_path, "check", str(folder))
    line = _refused(r)
    assert line.startswith(f"plans/x.yaml:6: [operations[0].mapping] plans/tables/t.csv: the "
                           f"mapping table is {MAX_PLAN_BYTES + 1:,} bytes, more than the "
                           f"{MAX_PLAN_BYTES:,} bytes a mapping table may hold"), r.stderr
