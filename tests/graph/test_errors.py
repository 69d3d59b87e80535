"""A validation problem as the API's `errors` item: the same keys as ever, and a name's
candidates and nearest names only when it has them."""

from __future__ import annotations

from graph.errors import Problem, ProblemCollector, ValidationFailed

TAN_LAP = [{"id": "pa-d1-c1", "name": "Xã Tân Lập", "kind": "commune",
            "area": "Huyện Yên Sơn, Tỉnh An Hà"},
           {"id": "pb-d1-c1", "name": "Xã Tân Lập", "kind": "commune",
            "area": "Huyện Yên Sơn, Tỉnh Bắc Sơn"}]


def test_a_problem_without_candidates_keeps_its_six_keys():
    p = Problem("units.csv", 3, "valid_from", "impossible date", "2018-02-30", 5)
    assert p.as_dict() == {"file": "units.csv", "line": 3, "column": 5, "field": "valid_from",
                           "message": "impossible date", "value": "2018-02-30"}
    assert str(p) == "units.csv:3:5: [valid_from] impossible date (got '2018-02-30')"


def test_a_problem_with_candidates_and_nearest_names_gives_them_as_lists():
    problems = ProblemCollector()
    problems.add("plans/x.yaml", 9, "operations[0].rows[0].names", "2 units are named",
                 "Tân Lập", candidates=iter(TAN_LAP))
    problems.add("plans/x.yaml", 9, "operations[0].rows[0].names", "no unit named",
                 "Tan Lapp", candidates=TAN_LAP[:1], nearest=("Xã Tân Lập",))
    problems.add("plans/x.yaml", 10, "operations", "no such unit", candidates=[], nearest=[])
    several, near, none = (p.as_dict() for p in problems.problems)
    assert several["candidates"] == TAN_LAP and "nearest" not in several
    assert near["candidates"] == TAN_LAP[:1] and near["nearest"] == ["Xã Tân Lập"]
    # empty lists are no detail: the six keys only
    assert set(none) == {"file", "line", "column", "field", "message", "value"}
    # the dicts are the problem's own copies: editing the answer does not change it
    several["candidates"][0]["id"] = "edited"
    assert problems.problems[0].as_dict()["candidates"][0]["id"] == "pa-d1-c1"
    # and the caller's dicts were copied when added
    assert problems.problems[0].candidates[0] is not TAN_LAP[0]


def test_problems_with_candidates_compare_and_hash():
    a = Problem("f", 1, None, "m", candidates=tuple(TAN_LAP))
    b = Problem("f", 1, None, "m", candidates=tuple(dict(c) for c in TAN_LAP))
    assert a == b and a != Problem("f", 1, None, "m") and len({a, b}) == 1


def test_a_refused_dataset_s_errors_carry_the_candidates():
    problems = [Problem("plans/x.yaml", 9, "names", "2 units are named", "Tân Lập",
                        candidates=tuple(TAN_LAP)), Problem("units.csv", 2, "id", "bad id")]
    exc = ValidationFailed(problems)
    assert exc.errors[0]["candidates"] == TAN_LAP and "candidates" not in exc.errors[1]
    assert exc.detail == "2 problems found; nothing was changed"
