"""graph/validation.py on Datasets that never were files (what a scenario commit checks):
the same rules as a loaded folder, located in the contract's column order."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from graph.contract import EVENT_SHAPES
from graph.dates import PartialDate
from graph.model import Dataset, Event, Relation, Unit
from graph.validation import check_dataset, event_shape_problems, id_problem

D = PartialDate.parse


def unit(ident: str, **kw) -> Unit:
    return Unit(ident, f"Ban {ident}", "party_board", "district", **kw)


def where(problems) -> list[tuple]:
    return [(p.file, p.line, p.column, p.field) for p in problems]


def test_a_valid_dataset_has_no_problem_and_gets_its_effective_intervals():
    dataset = Dataset(units=(unit("a"), unit("b"), unit("c")),
                      relations=(Relation("a", "PART_OF", "c"),),
                      events=(Event("ev1", D("2018-07-01"), "MERGE", ("a",), ("b",)),))
    checked, problems = check_dataset(dataset)
    assert problems == []
    units = {u.id: u for u in checked.units}
    assert str(units["a"].valid_to) == "2018-07-01" and units["b"].valid_to is None
    # the open PART_OF row of a ends with it
    assert str(checked.relations[0].valid_to) == "2018-07-01"


def test_ids_outside_the_alphabet_are_located_in_contract_order():
    dataset = Dataset(units=(unit("ok"), unit("a/b"), unit(" c")),
                      events=(Event("ev 1", D("2018"), "DISSOLVE", ("ok",)),),
                      relations=(Relation("ok", "SERVES", "x/../y"),))
    _, problems = check_dataset(dataset)
    assert where(problems) == [("units.csv", 3, 1, "id"), ("units.csv", 4, 1, "id"),
                               ("events.csv", 2, 1, "id"), ("relations.csv", 2, 3, "target_id")]
    assert "spaces around it" in problems[1].message
    assert [p.value for p in problems] == ["a/b", " c", "ev 1", "x/../y"]


def test_event_shapes_are_checked_without_any_loader():
    dataset = Dataset(units=(unit("a"), unit("b")),
                      events=(Event("ev1", D("2018"), "MERGE", ("a",), ("b", "a")),))
    _, problems = check_dataset(dataset)
    assert where(problems) == [("events.csv", 2, 5, "outputs")] * 2
    assert "takes exactly 1 output" in problems[0].message
    assert "both input and output" in problems[1].message


def test_a_cycle_is_reported_on_each_of_its_rows():
    dataset = Dataset(units=(unit("a"), unit("b")),
                      relations=(Relation("a", "PART_OF", "b"), Relation("b", "PART_OF", "a")))
    _, problems = check_dataset(dataset)
    assert where(problems) == [("relations.csv", 2, 3, "target_id"),
                               ("relations.csv", 3, 3, "target_id")]
    assert all("PART_OF cycle a → b → a" in p.message for p in problems)


@pytest.mark.parametrize("kind", sorted(EVENT_SHAPES))
def test_each_event_type_accepts_its_smallest_shape_and_refuses_one_input_fewer(kind):
    in_lo, _, out_lo, _ = EVENT_SHAPES[kind]
    inputs = tuple(f"i{n}" for n in range(in_lo))
    outputs = tuple(f"o{n}" for n in range(out_lo))
    assert event_shape_problems(kind, inputs, outputs) == []
    if in_lo:
        assert [f for f, _ in event_shape_problems(kind, inputs[1:], outputs)] == ["inputs"]
    if out_lo:
        assert [f for f, _ in event_shape_problems(kind, inputs, outputs[1:])] == ["outputs"]


def test_id_problem_names_the_alphabet():
    assert id_problem("mc-tu") is None
    assert "expected ASCII letters" in id_problem("a..b")
    assert "spaces around it" in id_problem("a ")


def test_graph_imports_nothing_from_loaders_api_or_viz():
    root = Path(__file__).resolve().parents[2] / "graph"
    bad = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            bad += [(str(path.relative_to(root)), n) for n in names
                    if n.split(".")[0] in ("loaders", "api", "viz")]
    assert bad == []
