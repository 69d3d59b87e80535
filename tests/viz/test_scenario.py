"""Scenario before/after: statuses, the change list and the impact tables, read from the
scenario engine's typed results (`ScenarioDiff`, `ImpactReport`) on real states."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.scenarios.apply import apply, new_state
from graph.scenarios.diff import diff
from graph.scenarios.files import read_plan
from graph.scenarios.impact import impact
from graph.scenarios.operations import parse_operations
from viz.pages import scenario_page
from viz.scenario import (Changes, Sides, build_scenario_charts, build_scenario_pairs,
                          change_lines, impact_tables, scenario_root)

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = [{"op": "merge", "into": "btc", "units": ["xss"]},
              {"op": "move", "unit": "snv", "parent": "tu"},
              {"op": "rename", "unit": "hpn", "name": "Hội Phụ nữ <b>mới</b>"}]


def run(base, operations, at="2019-01-01"):
    state, _ = apply(new_state(base, at), parse_operations(operations))
    return state, diff(base, state), impact(base, state)


@pytest.fixture
def scenario(v_xss):
    state, d, report = run(v_xss, OPERATIONS)
    return v_xss, state, d, report


def test_changes_index_the_engine_diff(scenario):
    base, state, d, _ = scenario
    ch = Changes.of(d)
    assert ch.merged == {"xss": "btc"} and "xss" not in ch.removed  # merged, not "removed"
    assert ch.moved == {"snv": ("ubnd", "tu")}
    assert ch.renamed["hpn"][1] == "Hội Phụ nữ <b>mới</b>"
    assert Changes.of(None).touched() == set()


def test_root_is_the_lowest_unit_holding_every_change(scenario):
    base, state, d, _ = scenario
    at = state.effective_at
    sides = Sides(base, state, at, at)
    assert scenario_root(sides, Changes.of(d)) == "prov"
    _, d2, _ = run(base, OPERATIONS[:1])
    assert scenario_root(sides, Changes.of(d2)) == "tu"


def test_statuses_on_each_side(scenario):
    base, state, d, _ = scenario
    at = state.effective_at
    b, a = build_scenario_charts(Sides(base, state, at, at), None, Changes.of(d))
    sb = {n["id"]: n["status"] for n in b.nodes}
    sa = {n["id"]: n["status"] for n in a.nodes}
    assert sb["xss"] == "merged" and "xss" not in sa
    assert sa["btc"] == "merge_target"
    assert sb["snv"] == sa["snv"] == "moved"
    assert sb["hpn"] == sa["hpn"] == "renamed"
    assert sb["tu"] == "unchanged"
    assert all(n["href"] is None for n in a.nodes)  # no chart page for a scenario state
    colours = {n["status"]: n["color"]["background"] for n in b.nodes + a.nodes}
    assert len(set(colours.values())) == len(colours)  # each status its own colour
    # the legend's colour covers a merge and a consolidation; the tooltip says which
    assert {item.label for item in a.legend} >= {"chấm dứt hoạt động", "thành lập mới",
                                                "sáp nhập / hợp nhất vào đơn vị khác",
                                                "đổi tên"}
    tip = dict(next(n for n in b.nodes if n["id"] == "xss")["info"])
    assert tip["Thay đổi"] == "sáp nhập vào đơn vị khác"
    assert tip["Sáp nhập vào"] == "Ban Tổ chức Tỉnh ủy"


def test_change_lines_in_both_languages(scenario):
    base, state, d, _ = scenario
    ch = Changes.of(d)
    vi = dict((text, status) for status, text in change_lines(ch, base, state))
    assert any("sáp nhập vào Ban Tổ chức Tỉnh ủy" in t for t in vi)
    assert any("đổi tên thành Hội Phụ nữ <b>mới</b>" in t for t in vi)
    en = [text for _, text in change_lines(ch, base, state, "en")]
    assert any("merged into Ban Tổ chức Tỉnh ủy" in t for t in en)


def test_impact_tables_add_up(v_xss):
    """The headcount table: recorded figure − the savings applied = the figure after,
    equal to the report's; the units table matches the report's counts."""
    state, d, report = run(v_xss, OPERATIONS)
    tables = {t["title"]: t for t in impact_tables(report, v_xss, state)}
    hc = tables["Biên chế"]
    applied = sum(float(r[2]) for r in hc["rows"][2:] if not r[2].startswith("("))
    total = float(hc["total"][0][2])
    assert applied == pytest.approx(total) == pytest.approx(report.headcount.saving_total)
    assert float(hc["rows"][1][2]) - total == pytest.approx(float(hc["total"][1][2]))
    assert float(hc["total"][1][2]) == pytest.approx(report.headcount.after)
    units = tables["Đơn vị (phần cơ cấu phương án tác động)"]["rows"][0]
    assert units[1:3] == [str(report.units.total.before), str(report.units.total.after)]
    for table in tables.values():
        for row in table["rows"] + table["total"]:
            assert all(isinstance(c, str) for c in row)
            assert not any(re.search(r"[{\[]'|': |_[a-z]+_", c) for c in row), row


def test_seed_plan_savings_are_words_and_add_up():
    """The example plan on the bundled dataset: five offices fold into the Party Office."""
    from loaders import read_dataset
    base = MemoryGraph(read_dataset(ROOT / "data" / "seed"))
    plan = read_plan(ROOT / "docs" / "examples" / "fold-board-offices.yaml")
    state, d, report = run(base, [dict(o) for o in map(_op_dict, plan.operations)], plan.at)
    tables = {t["title"]: t for t in impact_tables(report, base, state)}
    hc = tables["Biên chế"]
    assert float(hc["total"][0][2]) == pytest.approx(report.headcount.saving_total)
    funcs = tables["Chức năng trùng lặp"]["rows"]
    assert funcs and all("_" not in r[0] for r in funcs)  # function words, not keys
    ended = tables["Đơn vị kết thúc"]
    assert ended["total"][0][0] == "5 đơn vị kết thúc" and len(ended["rows"]) == 5


def _op_dict(op):
    from graph.scenarios.operations import operation_to_dict
    return operation_to_dict(op)


def test_a_scenario_across_two_trees_draws_two_pairs():
    from loaders import read_dataset
    base = MemoryGraph(read_dataset(ROOT / "data" / "seed"))
    plan = read_plan(Path(__file__).parent / "plans" / "two-trees.yaml")
    state, d, report = run(base, [_op_dict(o) for o in plan.operations], plan.at)
    at = state.effective_at
    pairs, ch = build_scenario_pairs(Sides(base, state, at, at), None, d)
    roots = [b.meta["root"]["id"] for b, _ in pairs]
    assert roots == ["p002-tu", "qn-tu"] or sorted(roots) == ["p002-tu", "qn-tu"], roots
    for b, a in pairs:
        assert b.unit_nodes and a.unit_nodes  # never two empty charts
        assert any(n["status"] != "unchanged" for n in b.nodes)


def test_page_is_standalone_and_escapes(scenario):
    base, state, d, report = scenario
    html = scenario_page(base, state, None, state.effective_at, d, report,
                         name="<script>alert(1)</script>", description="<img src=x>")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x>" not in html
    assert "Hội Phụ nữ &lt;b&gt;mới&lt;/b&gt;" in html
    assert "<script src" not in html  # standalone by default
    assert "Số đơn vị" in html
    assert not re.search(r"[{\[]'", html)  # no raw dict or list text
    # the list of changes groups by the receiving unit: one line, what it takes in
    assert "Ban Tổ chức Tỉnh ủy tiếp nhận 1 đơn vị sáp nhập vào: &lt;img src=x" in html
    en = scenario_page(base, state, None, state.effective_at, d, report, lang="en")
    assert "Ban Tổ chức Tỉnh ủy takes in 1 unit merged into it: &lt;img" in en
    assert "Headcount after" in en


def test_two_consolidated_provinces_are_drawn_beside_what_they_became():
    # The bundled data's provinces have no parent: each is the top of its tree, and ends.
    # Each is drawn before, the new province after, ahead of the trees that stay (a
    # People's Committee moved as it is); drawn only where a top stayed, the page showed
    # none of the provinces, Party Committees or Fronts that were consolidated.
    from loaders import read_dataset
    base = MemoryGraph(read_dataset(ROOT / "data" / "seed"))
    state, d, _ = run(base, [{"op": "consolidate", "units": ["qn", "tq"],
                              "new": {"id": "qt", "name": "Tỉnh Quảng Ninh",
                                      "kind": "province", "level": "province"}}],
                      "2025-07-01")
    at = state.effective_at
    pairs, ch = build_scenario_pairs(Sides(base, state, at, at), None, d)
    roots = [(b.meta["root"]["id"], a.meta["root"]["id"]) for b, a in pairs]
    assert roots[:2] == [("qn", "qt"), ("qn-tu", "qt-tu")], roots
    assert ("tq", "qt") in roots and ("tq-tu", "qt-tu") in roots
    before, after = pairs[0]
    assert {n["id"]: n["status"] for n in before.unit_nodes}["qn"] == "merged"
    assert {n["id"]: n["status"] for n in after.unit_nodes}["qt"] == "added"
    assert "mc" in {n["id"] for n in after.unit_nodes}  # the district, moved into qt


def test_the_impact_tables_list_the_bodies_brought_together(monkeypatch):
    from loaders import read_dataset
    from viz import scenario as page
    base = MemoryGraph(read_dataset(ROOT / "data" / "seed"))
    state, d, report = run(base, [{"op": "consolidate", "units": ["qn", "tq"],
                                   "new": {"id": "qt", "name": "Tỉnh Quảng Ninh",
                                           "kind": "province", "level": "province"}}],
                           "2025-07-01")
    tables = {t["title"]: t for t in impact_tables(report, base, state, "en", Changes.of(d))}
    together = tables["Bodies of the areas brought together"]
    # the new body bears an old one's name: each says which it is
    assert ["Tỉnh ủy Quảng Ninh (new)", "Tỉnh ủy Quảng Ninh (old); Tỉnh ủy Tuyên Quang"] \
        in together["rows"]
    assert together["total"] == [["4 bodies", "from 8 bodies"]] and together["note"] == ""
    alone = tables["Bodies without a peer (moved as they are)"]
    assert ["Ủy ban nhân dân tỉnh Quảng Ninh", "Tỉnh Quảng Ninh (old)", "Tỉnh Quảng Ninh (new)"] \
        in alone["rows"]
    # a long list is cut, and says so (a national plan forms 30,000 bodies)
    monkeypatch.setattr(page, "TABLE_ROWS", 5)
    tables = {t["title"]: t for t in impact_tables(report, base, state, "en", Changes.of(d))}
    alone = tables["Bodies without a peer (moved as they are)"]
    assert len(alone["rows"]) == 5 and alone["total"] == [["16", "", ""]]
    assert alone["note"] == "… and 11 more bodies; the JSON report (bodies.unpaired) lists them all"
    assert alone["rows_total"] == 16


def test_a_body_that_only_changes_area_says_so_in_the_change_list():
    """A district merged into another with its bodies (tests/data/t_names): its Huyện ủy has
    no peer, keeps its parent (the Tỉnh ủy) and moves to the absorbing district. The list
    says the area it leaves and the one it joins, not "from the Tỉnh ủy to the Tỉnh ủy"."""
    from loaders import read_dataset
    base = MemoryGraph(read_dataset(ROOT / "tests" / "data" / "t_names"))
    state, d, _ = run(base, [{"op": "merge", "units": ["pa-d1"], "into": "pb-d1",
                              "bodies": "merge"}], at="2025-07-01")
    ch = Changes.of(d)
    assert ch.moved_area["pa-d1-hu"] == ("pa-d1", "pb-d1")
    (line,) = [t for _, t in change_lines(ch, base, state, "en")
               if t.startswith("Huyện ủy Yên Sơn")]
    assert " moves to another area, under " in line and "area Huyện Yên Sơn" in line, line
    assert "moved from" not in line
    vi = [t for _, t in change_lines(ch, base, state) if t.startswith("Huyện ủy Yên Sơn")]
    assert vi and "chuyển địa bàn, vẫn trực thuộc" in vi[0], vi
