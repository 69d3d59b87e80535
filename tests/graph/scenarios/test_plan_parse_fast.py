"""Plan files read with libyaml (`plan_lines.CPlanLoader`): the same content, lines and
problems as the pure-Python loader gave, PyYAML's words and place for a text libyaml
refuses, the pure-Python loader alone when PyYAML has no libyaml."""

from __future__ import annotations

import gc

import pytest
import yaml

from graph.errors import InvalidParameter
from graph.scenarios import plan_lines
from graph.scenarios.files import read_plan
from graph.scenarios.plan_lines import PlanYAMLError, compose_plan, node_lines

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML has no libyaml here")

PLAN = """\
name: Hai thao tác
at: 2025-07-01
operations:
  - op: merge
    into: a
    units: [b, 00012]
    headcount: 012
    date: 2020-13-01
  - op: consolidate_map
    rows:
      - new: {id: n1, name: Xã Tân Lập}
        names:
          - Tân Lập
          - Tân  Tiến
"""
#: A tab after a key: libyaml reads it (YAML allows it), pure-Python PyYAML does not.
TAB = "operations:\n  - op\t: dissolve\n    unit: a\n"


def test_libyaml_reads_a_plan_as_the_pure_python_loader_did():
    node, data = compose_plan(PLAN)
    slow_node, slow = compose_plan(PLAN, loader=plan_lines.PlanLoader)
    assert data == slow
    assert data["operations"][0]["units"] == ["b", "00012"]  # the constructors: ids stay text
    assert data["operations"][0]["headcount"] == "012" and data["at"].isoformat() == "2025-07-01"
    assert data["operations"][0]["date"] == "2020-13-01"  # an impossible date stays its text
    assert node_lines(node) == node_lines(slow_node)
    assert node_lines(node).of_operation(2, "rows[0].names=Tân Tiến") == 14


def test_the_plan_is_read_by_libyaml():
    # pure-Python PyYAML refuses the tab; that it is read shows libyaml read it
    _, data = compose_plan(TAB)
    assert data == {"operations": [{"op": "dissolve", "unit": "a"}]}
    with pytest.raises(yaml.YAMLError, match="found character '\\\\t'"):
        compose_plan(TAB, loader=plan_lines.PlanLoader)


@pytest.mark.parametrize("text, line, column, message", [
    ("name: x\noperations:\n  - op: merge\n - op: dissolve\n", 4, 2,
     "expected <block end>, but found '<block sequence start>'"),
    ("name: x\noperations: [a, b\n", 3, 1, "expected ',' or ']', but got '<stream end>'"),
    ("name: x\n  bad: indent\n", 2, 6, "mapping values are not allowed here"),
])
def test_a_text_libyaml_refuses_is_named_in_pyyaml_s_words_at_its_place(tmp_path, text, line,
                                                                        column, message):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidParameter) as info:
        read_plan(path)
    assert info.value.detail == f"{path}:{line}:{column}: not valid YAML: {message}"
    assert info.value.errors[0]["line"] == line and info.value.errors[0]["column"] == column


def test_a_problem_far_into_a_large_text_is_named_in_libyaml_s_words(tmp_path, monkeypatch):
    # PyYAML would read the whole way to it again (minutes for a 20 MiB file): not beyond
    # EXACT_PROBLEM_CHARS
    monkeypatch.setattr(plan_lines, "EXACT_PROBLEM_CHARS", 10)
    path = tmp_path / "plan.yaml"
    path.write_text("name: x\noperations:\n  - op: merge\n - op: dissolve\n", encoding="utf-8")
    with pytest.raises(InvalidParameter) as info:
        read_plan(path)
    assert info.value.detail == f"{path}:4:2: not valid YAML: did not find expected key"
    monkeypatch.setattr(plan_lines, "EXACT_PROBLEM_CHARS", 1000)  # before it: PyYAML's
    with pytest.raises(InvalidParameter, match="expected <block end>, but found"):
        read_plan(path)


def test_without_libyaml_the_pure_python_loader_reads_every_plan(monkeypatch):
    monkeypatch.setattr(plan_lines, "_FAST", None)
    assert compose_plan(PLAN)[1]["name"] == "Hai thao tác"
    with pytest.raises(yaml.YAMLError) as info:
        compose_plan(TAB)
    assert (info.value.problem_mark.line, info.value.problem_mark.column) == (1, 6)


def test_a_key_twice_and_an_alias_bomb_are_still_refused_at_their_place():
    with pytest.raises(PlanYAMLError) as info:
        compose_plan("name: a\nat: 2020-01-01\nname: b\n")
    assert info.value.problem_mark.line == 2 and info.value.field == "name"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdef", "bcdefg"))
    with pytest.raises(PlanYAMLError, match="its aliases expand it to"):
        compose_plan(bomb)
    with pytest.raises(PlanYAMLError, match="refers to the value that holds it"):
        compose_plan("a: &a [*a]\n")


def test_the_collector_is_left_as_it_was(monkeypatch):
    assert gc.isenabled()
    compose_plan(PLAN)
    with pytest.raises(yaml.YAMLError):
        compose_plan("a: [\n")
    assert gc.isenabled()
    gc.disable()
    try:
        compose_plan(PLAN)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_long_table_keeps_every_row_and_the_line_of_its_last():
    # (speed is measured by bench/plan_parse.py, not here)
    rows = "".join(f"      - new: {{id: n{i}, name: Phường Hòa Bình {i}}}\n"
                   f"        names: [Xã Tân Lập {i}, Xã Tân Hòa {i}]\n" for i in range(6_000))
    text = "name: big\noperations:\n  - op: consolidate_map\n    rows:\n" + rows
    node, data = compose_plan(text, max_operations=500, name="big.yaml")
    assert len(data["operations"][0]["rows"]) == 6_000
    assert data["operations"][0]["rows"][-1]["names"] == ["Xã Tân Lập 5999", "Xã Tân Hòa 5999"]
    assert node_lines(node).of_operation(1, "rows[5999]") == 4 + 2 * 5_999 + 1
