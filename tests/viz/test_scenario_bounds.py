"""Every list of the scenario page is bounded by the one bound, `viz.scenario.TABLE_ROWS`:
a national reform moves 100,000 units (every line would make megabytes of HTML). For each
list, a diff or report with N + 1 of its rows shows N and a line "… and 1 more" naming
where the whole list is (the JSON endpoint and CLI command); exactly N shows no such line.

The diffs are the engine's typed results (`ScenarioDiff`, what the page reads) made with
as many moves, merges, ... as the test needs; the report is a real one (the seed's two
provinces consolidated) with one list at a time made that long.
"""

from __future__ import annotations

import dataclasses
import json
import datetime as dt
import re
from pathlib import Path

import pytest

import viz.scenario
from graph.embedded.memory import MemoryGraph
from graph.model import Dataset
from graph.scenarios.diff import (AddedUnit, FunctionMove, Merged, MovedUnit, RemovedUnit,
                                  RenamedUnit, ScenarioDiff, Split)
from graph.scenarios.diff_areas import AreaChange
from graph.scenarios.impact import DuplicatedFunction, FunctionEnd
from viz.pages import scenario_page
from viz.scenario import Changes, FullLists, change_sections, impact_tables

ROOT = Path(__file__).resolve().parents[2]
N = 3  # the bound, made small
AT = dt.date(2025, 7, 1)
FULL = FullLists.of_scenario("reform")
EMPTY = MemoryGraph(Dataset())


@pytest.fixture(autouse=True)
def small_bound(monkeypatch):
    monkeypatch.setattr(viz.scenario, "TABLE_ROWS", N)


def _diff(key: str, n: int) -> ScenarioDiff:
    """A diff whose list `key` holds `n` entries (the rest empty)."""
    lists: dict[str, tuple] = dict(added=(), removed=(), moved=(), renamed=(), merged=(),
                                   split=(), functions=(), area_changes=())
    ids = [f"u{i:03}" for i in range(n)]
    if key == "moved":  # under two new parents: the bound counts units, not lines
        lists["moved"] = tuple(MovedUnit(u, f"Ban {u}", "old", "p1" if i % 2 else "p2", 1)
                               for i, u in enumerate(ids))
    elif key == "merged":  # two receiving units
        lists["merged"] = tuple(Merged(f"e{i}", "MERGE", (u, "t1" if i % 2 else "t2"),
                                       "t1" if i % 2 else "t2", "2025-07-01", 1)
                                for i, u in enumerate(ids))
    elif key == "added":
        lists["added"] = tuple(AddedUnit(u, f"Ban {u}", "body", None, 1) for u in ids)
    elif key == "removed":
        lists["removed"] = tuple(RemovedUnit(u, f"Ban {u}", "body", None, "2025-06-30", (), 1)
                                 for u in ids)
    elif key == "split":
        lists["split"] = tuple(Split(f"e{i}", u, (f"{u}a", f"{u}b"), "2025-07-01", 1)
                               for i, u in enumerate(ids))
    elif key == "renamed":
        lists["renamed"] = tuple(RenamedUnit(u, f"Ban {u}", f"Ban mới {u}", None, 1)
                                 for u in ids)
    elif key == "functions":  # to two units
        lists["functions"] = tuple(FunctionMove(f"f{i}", u, "t1" if i % 2 else "t2", 1)
                                   for i, u in enumerate(ids))
    elif key == "area_changes":
        lists["area_changes"] = tuple(AreaChange(u, f"Chi bộ {u}", "p", "p", "a1", "a2", "own",
                                                 "own", "explicit", u, 1) for u in ids)
    return ScenarioDiff(at=AT, events=(), **lists)


SECTIONS = {"moved": ("moved", "units", "đơn vị"), "merged": ("merged", "units", "đơn vị"),
            "added": ("added", "units", "đơn vị"), "removed": ("removed", "units", "đơn vị"),
            "split": ("split", "units", "đơn vị"), "renamed": ("renamed", "units", "đơn vị"),
            "functions": ("functions", "moves", "lượt chuyển"),
            "area_changes": ("areas", "units", "đơn vị")}


def _section(key: str, n: int, lang: str = "en", full: FullLists = FULL) -> dict:
    (sec,) = [s for s in change_sections(Changes.of(_diff(key, n)), EMPTY, EMPTY, lang,
                                         full=full) if s["key"] == SECTIONS[key][0]]
    return sec


def _named(sec: dict) -> int:
    """How many of the section's units (or moves) its lines name."""
    text = " ".join(t for _, t in sec["lines"])
    return len(set(re.findall(r"\bu\d{3}\b", text)))


@pytest.mark.parametrize("key", list(SECTIONS))
def test_one_more_than_the_bound_shows_the_bound_and_one_more(key):
    sec = _section(key, N + 1)
    assert sec["items"] == N + 1
    assert _named(sec) == N, sec["lines"]
    unit = "unit" if SECTIONS[key][1] == "units" else "move"
    assert sec["note"] == (f"… and 1 more {unit}; the JSON diff ({key}) lists them all: "
                           "GET /scenarios/reform/diff or bomay scenario diff reform --json")
    vi = _section(key, N + 1, "vi")
    assert vi["note"] == (f"… và 1 {SECTIONS[key][2]} khác; bản so sánh JSON ({key}) liệt kê "
                          "đầy đủ: GET /scenarios/reform/diff hoặc bomay scenario diff reform "
                          "--json")


@pytest.mark.parametrize("key", list(SECTIONS))
def test_exactly_the_bound_shows_every_line_and_no_more_line(key):
    sec = _section(key, N)
    assert _named(sec) == N and sec["note"] == ""
    assert not any("…" in t for _, t in sec["lines"]), sec["lines"]


def test_a_moved_line_cut_short_says_how_many_of_its_own_are_left_out():
    """Two new parents, 2 units each, a bound of 3: the second parent's line names one and
    says one more (the note says one more in all)."""
    sec = _section("moved", 4)
    assert [t for _, t in sec["lines"]] == [
        "Moved under p1 (from old): u001; u003",  # all from one parent: said once
        "Moved under p2: u000 (from old); … and 1 more unit"]
    assert sec["count"] == "4 units, under 2 new parents"
    vi = _section("moved", 4, "vi")
    assert [t for _, t in vi["lines"]] == [
        "Chuyển sang trực thuộc p1 (từ old): u001; u003",
        "Chuyển sang trực thuộc p2: u000 (từ old); … và 1 đơn vị khác"]
    assert vi["title"] == "Chuyển trực thuộc"


def test_a_whole_group_past_the_bound_is_counted_in_the_note():
    sec = _section("moved", 2 * N + 1)  # 7 units under 2 parents: 3 named, both lines cut?
    assert _named(sec) == N and sec["note"].startswith(f"… and {N + 1} more units;")


def test_without_a_scenario_id_the_note_names_the_json_only():
    assert _section("moved", N + 1, full=FullLists())["note"] == (
        "… and 1 more unit; the JSON diff (moved) lists them all")
    run = _section("moved", N + 1, full=FullLists.of_plan_file("plan.yaml"))
    assert run["note"].endswith("lists them all: bomay scenario run plan.yaml --json")


# -- the impact tables ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def consolidated():
    from loaders import read_dataset
    from tests.viz.test_scenario import run
    base = MemoryGraph(read_dataset(ROOT / "data" / "seed"))
    state, d, report = run(base, [{"op": "consolidate", "units": ["qn", "tq"],
                                   "new": {"id": "qt", "name": "Tỉnh Quảng Ninh",
                                           "kind": "province", "level": "province"}}],
                           "2025-07-01")
    return base, state, d, report


def _long(report, key: str, n: int):
    """The report with its list `key` made `n` long (distinct rows)."""
    r = dataclasses.replace
    ids = tuple(f"u{i:03}" for i in range(n))
    if key in ("ended", "started"):
        return r(report, units=r(report.units, **{key: ids}))
    if key == "savings":
        s = report.headcount.savings[0]
        return r(report, headcount=r(report.headcount,
                                     savings=tuple(r(s, unit=u) for u in ids)))
    if key == "bodies":
        return r(report, bodies=r(report.bodies, groups=tuple((u, ("x",), 1) for u in ids)))
    if key == "unpaired":
        return r(report, bodies=r(report.bodies,
                                  unpaired=tuple((u, "a", "b", 1) for u in ids)))
    if key == "functions":  # duplicated ones, then one no unit takes
        dup = tuple(DuplicatedFunction(u, "to_chuc", 2, 1) for u in ids[:-1])
        return r(report, functions=r(report.functions, duplicated=dup,
                                     nowhere=(FunctionEnd("to_chuc", ids[-1], None, 1),)))
    if key == "people":
        p = report.leadership.people_affected[0]
        return r(report, leadership=r(report.leadership, people_affected=tuple(
            r(p, person=u, name=f"Người {u}") for u in ids)))
    if key == "warnings":
        return r(report, warnings=tuple(f"note {u}" for u in ids))
    raise KeyError(key)


TABLES = {"ended": ("ended", "units.ended", "unit"),
          "started": ("started", "units.started", "unit"),
          "savings": ("headcount", "headcount.savings", "saving"),
          "bodies": ("bodies", "bodies.groups", "body"),
          "unpaired": ("unpaired", "bodies.unpaired", "body"),
          "functions": ("functions", "functions.duplicated", "row"),
          "people": ("people", "leadership.people_affected", "person"),
          "warnings": ("warnings", "warnings", "warning")}


def _table(consolidated, key: str, n: int) -> dict:
    base, state, d, report = consolidated
    tables = impact_tables(_long(report, key, n), base, state, "en", Changes.of(d), FULL)
    (table,) = [t for t in tables if t["key"] == TABLES[key][0]]
    return table


@pytest.mark.parametrize("key", list(TABLES))
def test_a_table_one_longer_than_the_bound_shows_the_bound_and_one_more(consolidated, key):
    table = _table(consolidated, key, N + 1)
    fixed = 2 if key == "savings" else 0  # the headcount before and after the operations
    assert len(table["rows"]) == fixed + N
    assert table["rows_total"] == fixed + N + 1
    _, path, noun = TABLES[key]
    assert (f"… and 1 more {noun}; the JSON report ({path}) lists them all: "
            "GET /scenarios/reform/impact or bomay scenario impact reform --json") \
        in table["note"], table["note"]


@pytest.mark.parametrize("key", list(TABLES))
def test_a_table_exactly_the_bound_shows_every_row_and_no_more_line(consolidated, key):
    table = _table(consolidated, key, N)
    assert len(table["rows"]) == (2 if key == "savings" else 0) + N
    assert "more" not in table["note"], table["note"]


def test_the_page_shows_the_note_under_the_folded_list(consolidated):
    base, state, _, report = consolidated
    html = scenario_page(base, state, None, AT, _diff("moved", N + 1), report, lang="en",
                         scenario_id="reform")
    section = re.search(r'<details[^>]*data-changes="moved"[^>]*>(.*?)</details>', html, re.S)
    assert section and 'data-count="4"' in section.group(0)
    assert section.group(1).count("<li>") == 2  # two parents
    assert ('<p class="bv-muted" data-more>… and 1 more unit; the JSON diff (moved) lists '
            'them all: GET /scenarios/reform/diff or bomay scenario diff reform --json</p>'
            ) in section.group(1)


def test_a_plan_run_from_its_file_says_its_own_command(tmp_path):
    """`bomay scenario run PLAN --html FILE` (the real CLI): 15 districts merged, 315
    communes moved; the page names 200 and says the command whose JSON lists them all."""
    from loaders.export import write_dataset
    from tests.api.seed_plans import ok
    from tests.browser.test_scenario_moved import dataset, merges
    write_dataset(dataset(), tmp_path / "data")
    plan = tmp_path / "merge.json"
    plan.write_text(json.dumps({"name": "Sáp nhập huyện", "at": "2025-07-01",
                                "operations": merges(15)}), encoding="utf-8")
    out = tmp_path / "page.html"
    ok("scenario", "run", str(plan), "--data", str(tmp_path / "data"), "--html", str(out))
    html = out.read_text(encoding="utf-8")
    section = re.search(r'<details[^>]*data-changes="moved"[^>]*>(.*?)</details>', html, re.S)
    assert section and 'data-count="315"' in section.group(0)
    assert len(re.findall(r"Xã Tân Lập \d+-\d+", section.group(1))) == 200
    assert (f"… và 115 đơn vị khác; bản so sánh JSON (moved) liệt kê đầy đủ: bomay scenario "
            f"run {plan} --json</p>") in section.group(1)
