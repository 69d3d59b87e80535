"""Plan files are bounded before they are parsed: their bytes, their operations and what
their aliases add, both for a plan file given to the CLI (`read_plan`) and for a dataset's
`plans/*.yaml` (`read_dataset`); and a new unit's `level` is one of the contract's."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from graph.contract import LEVELS
from graph.errors import InvalidParameter, ValidationFailed
from graph.scenarios.files import read_plan
from graph.scenarios.service import ScenarioLimits
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
HEAD = "name: x\nat: 2025-07-01\n"
DATASET_HEAD = "name: x\nstatus: planned\ndate: 2025-07-01\n"
DISSOLVE = "  - op: dissolve\n    unit: pa-d1-c1-du\n"
#: The default bound of a plan file's bytes (`graph.scenarios.plan_lines.MAX_PLAN_BYTES`).
MAX_PLAN_BYTES = 20 * 1024 * 1024


def _plan(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _refused(path: Path) -> InvalidParameter:
    with pytest.raises(InvalidParameter) as info:
        read_plan(path)
    return info.value


def _folder(tmp_path: Path, plan: str) -> Path:
    """tests/data/t_names with `plans/x.yaml`."""
    folder = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", folder)
    (folder / "plans").mkdir()
    (folder / "plans" / "x.yaml").write_text(plan, encoding="utf-8")
    return folder


def _problems(folder: Path) -> list[tuple]:
    with pytest.raises(ValidationFailed) as info:
        read_dataset(folder)
    return [(p.file, p.line, p.field, p.message) for p in info.value.problems]


def _dissolves(n: int) -> str:
    return "operations:\n" + "".join(f"  - op: dissolve\n    unit: u{i}\n" for i in range(n))


def _line_of_operation(text: str, number: int) -> int:
    """The 1-based line of the `number`-th `- op:` of a plan's text."""
    lines = [i for i, line in enumerate(text.splitlines(), 1) if line.startswith("  - op:")]
    return lines[number - 1]


def _long_text_aliased(times: int, length: int = 100_000) -> str:
    """A plan whose operations all rename to one long name, written once (`&s`)."""
    ops = [f"  - op: rename\n    unit: u0\n    name: &s {'x' * length}\n"]
    ops += [f"  - op: rename\n    unit: u{i}\n    name: *s\n" for i in range(1, times)]
    return "operations:\n" + "".join(ops)


# -- aliases -------------------------------------------------------------------------------
def test_a_long_text_repeated_by_aliases_is_refused_at_its_anchor(tmp_path):
    # 100 kB written once, 400 times by alias: 40 MB of operations from a 100 kB file
    path = _plan(tmp_path, HEAD + _long_text_aliased(400))
    started = time.monotonic()
    exc = _refused(path)
    assert time.monotonic() - started < 10
    assert exc.detail.startswith(f"{path}:6:11: not valid YAML: its aliases expand it to "), \
        exc.detail
    assert "characters, more than 1,000,000 beyond the" in exc.detail
    assert exc.errors[0]["line"] == 6 and exc.errors[0]["file"] == str(path)


def test_a_long_text_repeated_by_aliases_in_a_dataset_plan_is_refused(tmp_path):
    ((file, line, _, message),) = _problems(_folder(tmp_path, DATASET_HEAD
                                                    + _long_text_aliased(400)))
    assert (file, line) == ("plans/x.yaml", 7)
    assert message.startswith("not valid YAML: its aliases expand it to "), message


def test_a_billion_laughs_is_refused_at_once(tmp_path):
    anchors, previous = [], None
    for i in range(9):
        items = ["lol"] * 9 if previous is None else [f"*{previous}"] * 9
        anchors.append(f"l{i}: &l{i} [{', '.join(items)}]")
        previous = f"l{i}"
    path = _plan(tmp_path, HEAD + "assumptions: {" + ", ".join(anchors) + "}\noperations:\n"
                 + DISSOLVE)
    started = time.monotonic()
    exc = _refused(path)
    assert time.monotonic() - started < 5  # expanded, it is 387 million strings
    assert exc.detail.startswith(f"{path}:3:"), exc.detail
    assert "its aliases expand it to" in exc.detail


def test_a_short_text_repeated_by_aliases_is_still_read(tmp_path):
    plan = read_plan(_plan(tmp_path, HEAD + _long_text_aliased(5, length=1000)))
    assert [len(op.name) for op in plan.operations] == [1000] * 5  # type: ignore[attr-defined]


# -- bytes ---------------------------------------------------------------------------------
def _sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes that costs no disk (nothing of it is meant to be read)."""
    with path.open("wb") as f:
        f.write(HEAD.encode())
        f.truncate(size)
    return path


def test_a_plan_file_beyond_the_default_bound_is_refused_unread(tmp_path):
    path = _sparse(tmp_path / "plan.yaml", MAX_PLAN_BYTES + 1)
    started = time.monotonic()
    exc = _refused(path)
    assert time.monotonic() - started < 2
    assert exc.detail == (
        f"{path}: the plan file is {MAX_PLAN_BYTES + 1:,} bytes, more than the "
        f"{MAX_PLAN_BYTES:,} bytes a plan file may hold (20 MiB; BOMAY_PLAN_MAX_BYTES): "
        "expected a smaller plan (keep a long list of consolidations in a mapping table "
        "file, `mapping:`)")
    assert exc.errors[0] | {"message": None} == {
        "file": str(path), "line": None, "field": None, "message": None,
        "value": MAX_PLAN_BYTES + 1, "limit": "max_plan_bytes", "max": MAX_PLAN_BYTES}


def test_a_plan_file_at_the_bound_is_read_and_one_byte_more_is_not(tmp_path, monkeypatch):
    text = HEAD + "operations:\n" + DISSOLVE
    monkeypatch.setenv("BOMAY_PLAN_MAX_BYTES", str(len(text.encode())))
    assert len(read_plan(_plan(tmp_path, text)).operations) == 1
    exc = _refused(_plan(tmp_path, text + "\n"))
    assert f"is {len(text) + 1:,} bytes, more than the {len(text):,} bytes" in exc.detail


def test_a_json_plan_file_beyond_the_bound_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("BOMAY_PLAN_MAX_BYTES", "100")
    path = _plan(tmp_path, json.dumps({"at": "2025-07-01", "operations": [
        {"op": "dissolve", "unit": f"u{i}"} for i in range(10)]}), "plan.json")
    assert "more than the 100 bytes a plan file may hold" in _refused(path).detail


def test_a_dataset_plan_beyond_the_bound_is_a_problem_of_its_file(tmp_path):
    folder = _folder(tmp_path, DATASET_HEAD)
    _sparse(folder / "plans" / "x.yaml", MAX_PLAN_BYTES + 10)
    ((file, line, field, message),) = _problems(folder)
    assert (file, line, field) == ("plans/x.yaml", None, None)
    assert message.startswith(f"the plan file is {MAX_PLAN_BYTES + 10:,} bytes, more than "
                              f"the {MAX_PLAN_BYTES:,} bytes"), message


# -- operations ----------------------------------------------------------------------------
def test_a_plan_of_more_operations_than_a_scenario_holds_is_refused_at_the_first_beyond(
        tmp_path):
    limit = ScenarioLimits().max_operations
    text = HEAD + _dissolves(limit + 1)
    path = _plan(tmp_path, text)
    exc = _refused(path)
    line = _line_of_operation(text, limit + 1)
    assert exc.detail == (
        f"{path}:{line}: {limit + 1:,} operations, more than the {limit:,} a scenario may "
        "hold (max_operations; BOMAY_SCENARIO_MAX_OPERATIONS): expected at most "
        f"{limit:,} (operation {limit + 1} is the first beyond; a consolidate_map counts "
        "as one)")
    assert (exc.errors[0]["line"], exc.errors[0]["field"], exc.errors[0]["max"]) == \
        (line, "operations", limit)


def test_a_plan_of_as_many_operations_as_a_scenario_holds_is_read(tmp_path):
    limit = ScenarioLimits().max_operations
    assert len(read_plan(_plan(tmp_path, HEAD + _dissolves(limit))).operations) == limit


def test_the_bound_is_the_scenario_s_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BOMAY_SCENARIO_MAX_OPERATIONS", "2")
    text = "- op: dissolve\n  unit: a\n- op: dissolve\n  unit: b\n- op: dissolve\n  unit: c\n"
    exc = _refused(_plan(tmp_path, text))  # a plan that is a list of operations
    assert exc.detail.startswith(f"{tmp_path / 'plan.yaml'}:5: 3 operations, more than "
                                 "the 2 a scenario may hold"), exc.detail


def test_a_json_plan_of_too_many_operations_names_the_first_beyond(tmp_path, monkeypatch):
    monkeypatch.setenv("BOMAY_SCENARIO_MAX_OPERATIONS", "2")
    path = _plan(tmp_path, json.dumps([{"op": "dissolve", "unit": u} for u in "abc"]),
                 "plan.json")
    assert _refused(path).detail.startswith(
        f"{path}: 3 operations, more than the 2 a scenario may hold"), path


def test_a_consolidate_map_of_many_rows_counts_as_one_operation(tmp_path, monkeypatch):
    monkeypatch.setenv("BOMAY_SCENARIO_MAX_OPERATIONS", "2")
    rows = "".join(f"      - {{new: {{id: n{i}, name: N{i}}}, units: [a{i}, b{i}]}}\n"
                   for i in range(50))
    plan = read_plan(_plan(tmp_path, HEAD + "operations:\n  - op: consolidate_map\n"
                           "    rows:\n" + rows + DISSOLVE))
    assert len(plan.operations) == 2
    assert len(plan.operations[0].rows) == 50  # type: ignore[attr-defined]


def test_a_dataset_plan_of_too_many_operations_is_refused_at_the_first_beyond(tmp_path):
    limit = ScenarioLimits().max_operations
    text = DATASET_HEAD + _dissolves(limit + 1)
    ((file, line, field, message),) = _problems(_folder(tmp_path, text))
    assert (file, line, field) == ("plans/x.yaml", _line_of_operation(text, limit + 1),
                                   "operations")
    assert message.startswith(f"{limit + 1:,} operations, more than the {limit:,} a "
                              "scenario may hold"), message


# -- a mapping table's own bound: its rows -------------------------------------------------
def test_a_mapping_table_of_more_rows_than_the_bound_is_refused_at_the_first_beyond(
        tmp_path, monkeypatch):
    monkeypatch.setenv("BOMAY_SCENARIO_MAX_MAPPING_ROWS", "3")
    (tmp_path / "t.csv").write_text("new_id,new_name,units\n" + "".join(
        f"n{i},Xã {i},a{i};b{i}\n" for i in range(4)), encoding="utf-8")
    exc = _refused(_plan(tmp_path, HEAD + "operations:\n  - op: consolidate_map\n"
                         "    mapping: t.csv\n"))
    assert "t.csv:5: more than 3 rows; the limit of a mapping table " \
           "(BOMAY_SCENARIO_MAX_MAPPING_ROWS)" in exc.detail, exc.detail


# -- a new unit's level --------------------------------------------------------------------
@pytest.mark.parametrize("operation, field", [
    ("  - op: consolidate\n    units: [a, b]\n    new: {id: n, name: N, level: provnce}\n",
     "new.level"),
    ("  - op: split\n    unit: a\n    into:\n      - {id: n, name: N, level: provnce}\n"
     "      - {id: m, name: M}\n", "into[0].level")])
def test_an_unknown_level_of_a_new_unit_names_the_operation_the_field_and_the_levels(
        tmp_path, operation, field):
    exc = _refused(_plan(tmp_path, HEAD + "operations:\n" + operation))
    op = operation.split("op: ")[1].split("\n")[0]
    expected = f"unknown level; expected one of {', '.join(sorted(LEVELS))}"
    assert exc.detail.endswith(f": operation 1 ({op}): {field}: {expected}"), exc.detail
    assert (exc.errors[0]["field"], exc.errors[0]["value"]) == (field, "provnce")


def test_an_unknown_level_in_a_dataset_plan_is_a_problem_at_its_line(tmp_path):
    text = DATASET_HEAD + ("operations:\n  - op: consolidate\n    units: [pa-d1-c1, pa-d1-c2]\n"
                           "    new: {id: n1, name: Xã Mới, level: provnce}\n")
    problems = _problems(_folder(tmp_path, text))
    assert ("plans/x.yaml", 7, "new.level") in [p[:3] for p in problems], problems


def test_a_dataset_plan_is_held_to_the_built_in_bound_not_a_server_s(tmp_path, monkeypatch):
    # a server configured to take 2 operations per scenario from its clients still loads
    # a dataset whose plans list more (the bundled dataset's do)
    monkeypatch.setenv("BOMAY_SCENARIO_MAX_OPERATIONS", "2")
    units = ("pa-d1-c1-du", "pa-d1-c2-du", "pa-d1-c3-du")
    plan = DATASET_HEAD + "operations:\n" + "".join(f"  - op: dissolve\n    unit: {u}\n"
                                                    for u in units)
    assert set(read_dataset(_folder(tmp_path, plan)).plans[0].units) >= set(units)
    limit = ScenarioLimits().max_operations
    ((_, _, _, message),) = _problems(_folder(tmp_path / "big", DATASET_HEAD
                                              + _dissolves(limit + 1)))
    assert "the built-in bound a dataset's plans are held to" in message, message
