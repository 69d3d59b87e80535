"""Bad input in the newest parts of the data contract, as a careless or hostile user writes
it: a dataset's `plans/*.yaml` and the mapping tables they name, read by the loader on a
small folder of our own (tests/data/t_names). Each problem is refused at its file, line,
column and field, with what was expected; never a crash, never a value silently lost."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from graph.errors import ValidationFailed
from graph.scenarios.mapping import mapping_from_yaml
from graph.errors import InvalidParameter
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[1] / "data"
HEAD = "name: x\nstatus: planned\ndate: 2025-07-01\n"
DISSOLVE = "operations:\n  - op: dissolve\n    unit: pa-d1-c1-du\n"


def _folder(tmp_path: Path, plan: str, files: dict[str, bytes | str] | None = None) -> Path:
    folder = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", folder)
    (folder / "plans").mkdir()
    (folder / "plans" / "x.yaml").write_text(plan, encoding="utf-8")
    for path, data in (files or {}).items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data if isinstance(data, bytes) else data.encode())
    return folder


def _problems(folder: Path) -> list[tuple]:
    with pytest.raises(ValidationFailed) as info:
        read_dataset(folder)
    return [(p.file, p.line, p.column, p.field, p.message) for p in info.value.problems]


def _bomb(levels: int = 9) -> str:
    """A plan whose `note` is nine lists of nine lists ... of "lol": 9**9 values."""
    anchors, previous = [], None
    for i in range(levels):
        items = ["lol"] * 9 if previous is None else [f"*{previous}"] * 9
        anchors.append(f"l{i}: &l{i} [{', '.join(items)}]")
        previous = f"l{i}"
    return (HEAD + "assumptions: {" + ", ".join(anchors) + "}\n"
            + DISSOLVE + f"    note: *{previous}\n")


# -- the YAML itself --------------------------------------------------------------------------
@pytest.mark.parametrize("plan, line, column, field, words", [
    # YAML keeps the last of two keys silently: the first operations would be lost
    (HEAD + DISSOLVE + "operations:\n  - op: dissolve\n    unit: pa-d1-c2-du\n",
     7, 1, "operations", "duplicate key 'operations' (also on line 4)"),
    (HEAD + DISSOLVE + "    unit: pa-d1-c2-du\n", 7, 5, "unit",
     "duplicate key 'unit' (also on line 6)"),
    (HEAD + "assumptions: &a {x: *a}\n" + DISSOLVE, 4, 14, None,
     "an alias refers to the value that holds it"),
])
def test_a_key_written_twice_or_a_cycle_of_aliases_is_refused_at_its_place(
        tmp_path, plan, line, column, field, words):
    (problem,) = _problems(_folder(tmp_path, plan))
    assert problem[:4] == ("plans/x.yaml", line, column, field)
    assert problem[4].startswith("not valid YAML: " + words), problem


def test_an_alias_bomb_is_refused_at_once_not_expanded(tmp_path):
    folder = _folder(tmp_path, _bomb())
    started = time.monotonic()
    (problem,) = _problems(folder)
    assert time.monotonic() - started < 5  # expanded, it is 387 million strings
    assert problem[:2] == ("plans/x.yaml", 4)
    assert "its aliases expand it to" in problem[4] and "more than 100,000" in problem[4]


def test_aliases_that_repeat_a_little_are_still_read(tmp_path):
    plan = (HEAD + "basis: &b []\noperations:\n  - op: dissolve\n    unit: pa-d1-c1-du\n"
            "    basis: *b\n")
    (read,) = read_dataset(_folder(tmp_path, plan)).plans
    assert "pa-d1-c1-du" in read.units


def test_a_plan_nested_too_deeply_is_a_problem_not_a_crash(tmp_path):
    plan = HEAD + "description: " + "[" * 5000 + "]" * 5000 + "\n" + DISSOLVE
    (problem,) = _problems(_folder(tmp_path, plan))
    assert problem[0] == "plans/x.yaml" and problem[1] == 4
    assert problem[4].startswith("not valid YAML: nested too deeply to read")


def test_a_yaml_mapping_table_with_a_new_id_written_twice_is_refused():
    text = ("n1: {name: Xã A, units: [pa-d1-c1, pa-d1-c2]}\n"
            "n1: {name: Xã B, units: [pa-d2-c1, pa-d2-c3]}\n")
    with pytest.raises(InvalidParameter) as info:
        mapping_from_yaml(text, "communes.yaml")
    assert info.value.errors[0]["field"] == "communes.yaml:2"
    assert "duplicate key 'n1' (also on line 1)" in info.value.detail
