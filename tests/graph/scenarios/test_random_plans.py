"""Random plans on the small city: whatever operations apply, the result still keeps the
data contract (it could be committed) and the impact report finds no orphan, cycle or
unit with two parents."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from graph.errors import Conflict
from graph.scenarios import apply, new_state
from graph.scenarios.commit import validated_dataset
from graph.scenarios.impact import impact

DATES = ["2018-01-01", "2018-06-01", "2019-01-01"]


def random_op(rng: random.Random, state, n: int) -> dict:
    at = dt.date(2019, 6, 1)
    alive = [u.id for u in state.units(at) if u.valid_to is None]
    pick = lambda k=1: rng.sample(alive, k)  # noqa: E731
    kind = rng.choice(["merge", "consolidate", "split", "transfer_function", "move", "rename",
                       "dissolve", "create_shared_agency"])
    date = rng.choice(DATES)
    if kind == "merge":
        a, b = pick(2)
        return {"op": "merge", "into": a, "units": [b], "date": date}
    if kind == "consolidate":
        a, b = pick(2)
        return {"op": "consolidate", "units": [a, b], "parent": rng.choice(alive),
                "new": {"id": f"n{n}", "name": f"Mới {n}"}, "date": date}
    if kind == "split":
        (a,) = pick()
        kids = state.children(a, dt.date.fromisoformat(date))
        fns = sorted({f.function for f in state.functions(a, dt.date.fromisoformat(date))})
        half = len(kids) // 2
        return {"op": "split", "unit": a, "date": date, "into": [
            {"id": f"s{n}a", "name": "A", "children": kids[:half], "functions": fns},
            {"id": f"s{n}b", "name": "B", "children": kids[half:], "functions": fns[:1]}]}
    if kind == "transfer_function":
        a, b = pick(2)
        fns = sorted({f.function for f in state.functions(a, dt.date.fromisoformat(date))})
        return {"op": "transfer_function", "from": a, "to": b, "date": date,
                "function": fns[0] if fns else "office_admin"}
    if kind == "move":
        a, b = pick(2)
        return {"op": "move", "unit": a, "parent": b, "date": date}
    if kind == "rename":
        (a,) = pick()
        return {"op": "rename", "unit": a, "name": f"Tên {n}", "date": date,
                **({"new_id": f"r{n}"} if rng.random() < 0.5 else {})}
    if kind == "dissolve":
        a, b = pick(2)
        return {"op": "dissolve", "unit": a, "children_to": b, "functions_to": b, "date": date}
    members = pick(rng.randint(1, 3))
    return {"op": "create_shared_agency", "new": {"id": f"ck{n}", "name": f"Khối {n}"},
            "serves": members, "functions": ["office_admin"], "date": date}


def random_plan(base, seed: int, steps: int, prefix: str, *, each=None):
    """(the state after up to `steps` random operations drawn with `random.Random(seed)`
    over `base` from 2018-01-01, those that conflict skipped; how many applied).
    `each(state)` runs after each operation that applied."""
    rng = random.Random(seed)
    state = new_state(base, "2018-01-01", event_prefix=prefix)
    applied = 0
    for n in range(steps):
        try:
            state, _ = apply(state, [random_op(rng, state, n)])
        except Conflict:
            continue
        applied += 1
        if each is not None:
            each(state)
    return state, applied


@pytest.mark.parametrize("seed", range(40))
def test_random_plans_keep_the_data_contract(city, seed):
    rng = random.Random(seed)
    state = new_state(city, "2018-01-01", event_prefix=f"r{seed}")
    applied = 0
    for n in range(40):
        op = random_op(rng, state, n)
        try:
            state, _ = apply(state, [op])
        except Conflict:
            continue
        applied += 1
        validated_dataset(state)  # raises Conflict if the contract is broken
    assert applied >= 5
    report = impact(city, state)
    assert not [w for w in report.warnings
                if w.startswith(("orphan", "cycle", "two parents"))], report.warnings


@pytest.fixture(scope="module")
def seed_graph():
    from pathlib import Path

    from graph.embedded.memory import MemoryGraph
    from loaders import read_dataset
    folder = Path(__file__).resolve().parents[3] / "data" / "seed"
    return MemoryGraph(read_dataset(folder))


@pytest.mark.parametrize("seed", range(20))
def test_random_plans_on_the_bundled_dataset(seed_graph, seed):
    """The bundled dataset has history (events, units that end, links that start later)."""
    state, _ = random_plan(seed_graph, 1000 + seed, 30, f"r{seed}", each=validated_dataset)
    report = impact(seed_graph, state)
    assert not [w for w in report.warnings
                if w.startswith(("orphan", "cycle", "two parents"))], report.warnings
