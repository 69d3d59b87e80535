"""What a plan of the dataset does to one unit, as the plan notes of the pages say it
(`viz.plan_effects`, `viz.pages.plans_here`), on the bundled dataset's two plans: the board
offices merged into the Provincial Party Office (a merge into a unit that goes on) and the
bloc agency's nine Party cells dissolved and six new ones established."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graph.embedded.memory import MemoryGraph
from viz import plan_effects
from viz.pages import plans_here

ROOT = Path(__file__).resolve().parents[2]
FOLD = "p002-fold-board-offices"
REGROUP = "qn-ckhoi-2020-regroup"


@pytest.fixture(scope="module")
def seed() -> MemoryGraph:
    from loaders import read_dataset
    return MemoryGraph(read_dataset(ROOT / "data" / "seed"))


def _effects(seed, unit: str, plan: str, lang: str = "vi") -> list[str]:
    [found] = [p for p in plans_here(seed, [unit], lang=lang) if p["id"] == plan]
    return [e["text"] for e in found["effects"]]


def test_a_unit_merged_into_one_that_goes_on_says_into_which(seed):
    operation = yaml.safe_load((ROOT / "data" / "seed" / "plans" / f"{FOLD}.yaml")
                               .read_text(encoding="utf-8"))["operations"][0]
    into = operation["into"]
    office, target = seed.get_unit(operation["units"][0]), seed.get_unit(into)
    assert _effects(seed, office.id, FOLD) == [
        f"{office.name}: sáp nhập vào {target.name} ({into}) từ 30/06/2018"]
    assert _effects(seed, office.id, FOLD, "en") == [
        f"{office.name}: merged into {target.name} ({into}) from 30/06/2018"]
    [absorbs] = _effects(seed, into, FOLD)
    assert absorbs.startswith(f"{target.name}: tiếp nhận {len(operation['units'])} đơn vị "
                              "sáp nhập vào: ")
    assert absorbs.endswith(" từ 30/06/2018")


def test_dissolved_cells_end_and_their_parent_says_what_changes_under_it(seed):
    plan = next(p for p in seed.plans() if p.id == REGROUP)
    ops = yaml.safe_load(plan.body)["operations"]
    dissolved = [op["unit"] for op in ops if op["op"] == "dissolve"]
    started = sum(len(op["new"]) if isinstance(op.get("new"), list) else 1
                  for op in ops if op["op"] == "establish")
    cell = seed.get_unit(dissolved[0])
    assert _effects(seed, cell.id, REGROUP) == [
        f"{cell.name}: chấm dứt hoạt động (giải thể) từ 11/02/2020"]
    parent = seed.parent(cell.id, None)
    assert _effects(seed, parent, REGROUP, "en") == [
        f"{seed.get_unit(parent).name}: units directly under it: {len(dissolved)} end, "
        f"{started} start from 11/02/2020"]


def test_the_plan_is_indexed_once_for_every_unit_and_page(seed):
    """The org chart names the plan for every unit it draws: one index, not one reading of
    the plan per unit (nor per page)."""
    before = plan_effects.BUILDS["count"]
    plan = next(p for p in seed.plans() if p.id == REGROUP)
    found = plans_here(seed, list(plan.units), count=True)
    [regroup] = [p for p in found if p["id"] == REGROUP]
    assert len(regroup["effects"]) + len(regroup["more"]) == len(plan.units)
    plans_here(seed, list(plan.units), lang="en")
    built = plan_effects.BUILDS["count"] - before
    assert built <= len(seed.plans()), built  # at most once each (0 if built earlier)
    again = plan_effects.BUILDS["count"]
    for uid in plan.units:
        plans_here(seed, [uid])
    assert plan_effects.BUILDS["count"] == again


def test_the_other_units_of_a_chart_are_bounded_by_the_page_bound(seed, monkeypatch):
    """An org chart of 2,500 boxes under a national plan would carry a line for each: the
    list names the first `TABLE_ROWS` (one more than that: that many and "… and 1 more",
    with where the plan's whole diff is; exactly that many: no such line)."""
    import viz.scenario
    plan = next(p for p in seed.plans() if p.id == REGROUP)
    units = list(plan.units)
    [whole] = [p for p in plans_here(seed, units, lang="en") if p["id"] == REGROUP]
    others = len(whole["more"])
    assert others >= 2 and whole["more_note"] == ""
    monkeypatch.setattr(viz.scenario, "TABLE_ROWS", others - 1)
    [cut] = [p for p in plans_here(seed, units, lang="en") if p["id"] == REGROUP]
    assert len(cut["more"]) == others - 1 and cut["more_total"] == others
    assert cut["more_note"] == (f"… and 1 more unit; the JSON diff lists them all: GET "
                                f"/scenarios/{REGROUP}/diff or bomay scenario diff {REGROUP} "
                                "--json")
    [vi] = [p for p in plans_here(seed, units) if p["id"] == REGROUP]
    assert vi["more_note"].startswith("… và 1 đơn vị khác; bản so sánh JSON liệt kê đầy đủ: ")
    monkeypatch.setattr(viz.scenario, "TABLE_ROWS", others)
    [exact] = [p for p in plans_here(seed, units, lang="en") if p["id"] == REGROUP]
    assert len(exact["more"]) == others and exact["more_note"] == ""
