"""A committed scenario's kept JSON reads back into the typed results, losslessly."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.scenarios.apply import apply, new_state
from graph.scenarios.diff import diff
from graph.scenarios.files import read_plan
from graph.scenarios.impact import impact
from viz.scenario_record import diff_from_dict, impact_from_dict

ROOT = Path(__file__).resolve().parents[2]
PLANS = [ROOT / "docs" / "examples" / "fold-board-offices.yaml",
         Path(__file__).parent / "plans" / "two-trees.yaml",
         Path(__file__).parent / "plans" / "merge-and-move.yaml"]


@pytest.fixture(scope="module")
def seed():
    from loaders import read_dataset
    return MemoryGraph(read_dataset(ROOT / "data" / "seed"))


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_round_trip_of_the_kept_report_and_diff(seed, plan):
    parsed = read_plan(plan)
    state, _ = apply(new_state(seed, parsed.at, name=parsed.name), parsed.operations)
    report, changes = impact(seed, state), diff(seed, state)
    assert report.headcount.savings or report.units.ended  # a scenario that does something
    assert impact_from_dict(report.to_dict()) == report
    assert impact_from_dict(report.to_dict()).to_dict() == report.to_dict()
    assert diff_from_dict(changes.to_dict()) == changes
    if plan.stem == "merge-and-move":  # a move's operation and event read back too
        (moved,) = diff_from_dict(changes.to_dict()).moved
        assert (moved.id, moved.operation) == ("qn-ckhoi-chi-bo-cu-1", 2) and moved.event


def test_a_dict_of_another_shape_is_refused():
    with pytest.raises(KeyError):
        diff_from_dict({"at": "2019-01-01", "removed": ["a"]})


CONSOLIDATE = {"op": "consolidate", "units": ["qn", "tq"],
               "new": {"id": "qt", "name": "Tỉnh Quảng Ninh", "kind": "province",
                       "level": "province"}}


def test_a_kept_consolidation_reads_back_with_its_bodies(seed):
    """The bodies brought together and those without a peer (the two tables a committed
    consolidation's page shows) were left out, so the page had neither."""
    state, _ = apply(new_state(seed, "2025-07-01"), [*read_plan_ops([CONSOLIDATE])])
    report = impact(seed, state)
    assert report.bodies.groups and report.bodies.unpaired
    back = impact_from_dict(report.to_dict())
    assert back.bodies == report.bodies and back == report
    # a report kept before `bodies` existed reads back with none
    old = {k: v for k, v in report.to_dict().items() if k not in ("bodies", "overrides")}
    assert impact_from_dict(old).bodies.groups == ()


def read_plan_ops(operations):
    from graph.scenarios.operations import parse_operations
    return parse_operations(operations)


def test_a_committed_consolidation_page_shows_its_bodies(tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    from graph.embedded.store import EmbeddedStore
    from graph.scenarios.service import ScenarioService
    from loaders import read_dataset

    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(read_dataset(ROOT / "data" / "seed"))
    service = ScenarioService(store)
    saved, _ = service.create("Hợp nhất Quảng Ninh và Tuyên Quang", "2025-07-01", "",
                              [CONSOLIDATE])
    service.commit(saved.id)
    with TestClient(create_app(store, Settings(default_at="2025-07-01"))) as c:
        r = c.get(f"/viz/scenarios/{saved.id}", params={"lang": "en"})
    store.close()
    assert r.status_code == 200, r.text
    assert 'data-table="bodies"' in r.text and 'data-table="unpaired"' in r.text
    assert "Tỉnh ủy Quảng Ninh (old); Tỉnh ủy Tuyên Quang" in r.text


def test_a_kept_report_of_named_leaders_reads_back_with_them():
    """The leaders a plan names (`leaders`) and the posts that ended for it: the page of the
    committed scenario read them back as plain ended posts, with no leader named."""
    from loaders import read_dataset
    graph = MemoryGraph(read_dataset(ROOT / "tests" / "data" / "r_tuyen_quang"))
    op = {"op": "consolidate", "units": ["hg", "tq"],
          "new": {"id": "tq25", "name": "Tỉnh Tuyên Quang"},
          "leaders": {"secretary": "ng009", "chair": "ng011"}}
    state, _ = apply(new_state(graph, "2025-07-01"), [*read_plan_ops([op])])
    report = impact(graph, state)
    assert report.leadership.named
    assert any(p.not_named for p in report.leadership.people_affected)
    back = impact_from_dict(report.to_dict())
    assert back.leadership == report.leadership and back == report
    assert back.to_dict() == report.to_dict()
