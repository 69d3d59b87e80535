"""`graph.scenarios.plan_lines`: the line of each operation and key of a YAML plan, and a
plan file's problems (`read_plan`) and conflicts (`Plan.located`) named at their lines."""

from __future__ import annotations

import pytest
import yaml

from graph.errors import InvalidParameter
from graph.scenarios.apply import OperationConflict
from graph.scenarios.files import read_plan
from graph.scenarios.plan_lines import compose_text, plan_lines, safe_load_text

PLAN = """\
name: Two operations
at: 2025-07-01
operations:
  - op: merge
    into: a
    units: [b]
  - op: consolidate_map
    rows:
      - new: {id: n1, name: N1}
        names:
          - Tân Lập
          - Tân  Tiến
"""


def test_the_lines_of_the_operations_their_keys_and_the_rows_names():
    lines = plan_lines(PLAN)
    assert lines.top == {"name": 1, "at": 2, "operations": 3}
    assert lines.of_operation(1) == 4 and lines.of_operation(1, "units") == 6
    assert lines.of_operation(2, "rows[0].names") == 10
    assert lines.operations[1]["rows[0].names=Tân Tiến"] == 12  # whitespace collapsed
    assert lines.of_operation(2, "rows[0].new.id") == 9  # the row's own line
    assert lines.of_operation(3) is None
    assert lines.of_problem({"operation": "operation 2 (consolidate_map)",
                             "field": "rows"}) == 8
    assert lines.of_problem({"field": "at"}) == 2
    assert plan_lines("operations: [").top == {}  # not YAML: its own parse says why


def test_a_plan_file_s_problems_are_named_at_their_lines(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace("    units: [b]\n", "    unit: [b]\n"), encoding="utf-8")
    with pytest.raises(InvalidParameter) as caught:
        read_plan(path)
    exc = caught.value
    assert exc.detail.startswith(f"{path}:4: operation 1 (merge): units: is required")
    unknown = next(e for e in exc.errors if e["field"] == "unit")
    assert (unknown["file"], unknown["line"]) == (str(path), 6)


def test_a_conflict_is_named_at_its_operation_s_line(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    plan = read_plan(path)
    conflict = OperationConflict(2, "consolidate_map", "no unit named 'Tân Lập'",
                                 errors=[{"operation": 2, "field": "rows", "message": "x"}])
    located = plan.located(conflict)
    assert located.detail == f"{path}:7: operation 2 (consolidate_map): no unit named 'Tân Lập'"
    assert located.errors[0]["line"] == 8 and located.index == 2


@pytest.mark.parametrize("text, where, message", [
    ("name: x\nat: 2020-13-01\noperations: []\n", 2, "at: impossible date: there is no month 13"),
    ("name: x\nat: 2020-01-01\noperations:\n  - op: merge\n    into: a\n    date: 2020-02-30\n"
     "    units: [b]\n", 6, "operation 1 (merge): date: impossible date: 2020-02 has no day 30"),
])
def test_an_impossible_date_is_a_problem_at_its_line_not_a_crash(tmp_path, text, where, message):
    # YAML reads 2020-13-01 as a timestamp and fails with a bare ValueError: the plan's
    # loader keeps it as text, for the field's own check
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidParameter) as caught:
        read_plan(path)
    assert caught.value.detail == f"{path}:{where}: {message}"  # the date's own line


@pytest.mark.parametrize("read", [compose_text, safe_load_text])
def test_plain_readers_give_pyyamls_words_for_a_broken_text(read) -> None:
    # libyaml refuses it too, in other words (`did not find expected ',' or ']'`): the
    # error a user sees is PyYAML's, with the text quoted at its line
    with pytest.raises(yaml.YAMLError) as caught:
        read("a: [1, 2\n")
    assert "expected ',' or ']', but got '<stream end>'" in str(caught.value)
    assert "did not find" not in str(caught.value)


@pytest.mark.parametrize("read", [compose_text, safe_load_text])
def test_plain_readers_read_what_libyaml_alone_reads(read) -> None:
    # a tab after a key: libyaml reads it, PyYAML refuses it; either reading is taken
    text = "a:\t1\n"
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(text)
    got = read(text)
    assert (got.value[0][1].value if isinstance(got, yaml.Node) else got["a"]) in ("1", 1)
