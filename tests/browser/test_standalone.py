"""Standalone pages (`bomay viz -o`, `scenario_page`) opened from disk, and a big chart."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from .conftest import V_XSS, drawn_ids, wait_drawn

pytestmark = pytest.mark.browser


def test_bomay_viz_writes_a_page_that_works_offline(page, tmp_path):
    from api.cli import app
    runner = CliRunner()
    store = tmp_path / "s.db"
    assert runner.invoke(app, ["--store", str(store), "load", str(V_XSS)]).exit_code == 0
    target = tmp_path / "out" / "chart.html"
    result = runner.invoke(app, ["--store", str(store), "viz", "tu", "--at", "2018-01-01",
                                 "--depth", "1", "-o", str(target)])
    assert result.exit_code == 0, result.output
    page.goto(target.as_uri())
    wait_drawn(page)
    assert sorted(drawn_ids(page)) == ["bdv", "btc", "btg", "tu", "xss"]
    assert all(u.startswith("file://") for u in page.watch.requests)
    # standalone: a click shows the details beside the chart instead of navigating
    point = page.evaluate("""() => {
        const n = window.bomay.charts.main.network;
        const p = n.canvasToDOM(n.getPosition('xss'));
        const box = document.querySelector('[data-chart=main]').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""")
    page.mouse.click(*point)
    details = page.locator("[data-details=main]")
    details.wait_for(state="visible")
    assert details.locator("h3").text_content() == "<img src=x onerror=alert(1)>"
    assert page.url == target.as_uri()
    page.screenshot(path=str(tmp_path / "standalone.png"))
    page.watch.assert_clean()


def test_lineage_standalone(page, tmp_path):
    from api.cli import app
    runner = CliRunner()
    store = tmp_path / "s.db"
    assert runner.invoke(app, ["--store", str(store), "load", str(V_XSS)]).exit_code == 0
    target = tmp_path / "lineage.html"
    result = runner.invoke(app, ["--store", str(store), "viz", "btg", "--lineage", "-o", str(target)])
    assert result.exit_code == 0, result.output
    page.goto(target.as_uri())
    wait_drawn(page)
    assert sorted(drawn_ids(page)) == ["btg", "btgdv"]
    page.screenshot(path=str(tmp_path / "lineage-standalone.png"))
    page.watch.assert_clean()


def test_a_big_chart_collapses_and_stays_responsive(page, tmp_path):
    from tests.viz.conftest import wide_tree
    from viz.pages import org_chart_page
    graph = wide_tree((60, 45, 3))  # 1 + 60 + 2700 + 8100 units
    html = org_chart_page(graph, "r", None, standalone=True)
    target = tmp_path / "big.html"
    target.write_text(html, encoding="utf-8")
    started = time.monotonic()
    page.goto(target.as_uri())
    wait_drawn(page, timeout=30_000)
    elapsed = time.monotonic() - started
    units = drawn_ids(page)
    clusters = page.evaluate("window.bomay.charts.main.nodes.get({filter: n => n.cluster}).length")
    # 1 + 60 + 2700 > 2500: the first level is sent; its 60 units fold into a list under
    # the root, the first 30 shown and one "+30 more" box
    assert len(units) == 31 and clusters == 1
    assert page.evaluate("window.bomay.charts.main.network.getScale()") >= 0.8  # legible
    page.evaluate("""() => { const e = window.bomay.charts.main;
        e.network.body.emitter.emit('click', {nodes: ['more:r'], edges: []}); }""")
    assert len(drawn_ids(page)) == 61
    assert elapsed < 20, f"the big chart took {elapsed:.1f}s to draw"
    page.screenshot(path=str(tmp_path / "big.png"))
    # the page still answers: zooming and a redraw are quick
    started = time.monotonic()
    page.evaluate("window.bomay.charts.main.network.moveTo({scale: 1.5})")
    page.evaluate("window.bomay.charts.main.network.redraw()")
    assert time.monotonic() - started < 5
    page.watch.assert_clean()


def test_scenario_page_standalone(page, tmp_path):
    """`viz.scenario_page` as `bomay scenario run --html` uses it: the engine's typed
    results over the v_xss dataset."""
    from graph.embedded.memory import MemoryGraph
    from graph.scenarios.apply import apply, new_state
    from graph.scenarios.diff import diff
    from graph.scenarios.impact import impact
    from graph.scenarios.operations import parse_operations
    from loaders import read_dataset
    from viz.pages import scenario_page

    base = MemoryGraph(read_dataset(V_XSS))
    after, _ = apply(new_state(base, "2019-01-01"), parse_operations([
        {"op": "merge", "into": "btc", "units": ["xss"]},
        {"op": "consolidate", "units": ["snv", "hpn"], "parent": "prov",
         "new": {"id": "new", "name": "Trung tâm <b>mới</b>", "kind": "centre"}}]))
    html = scenario_page(base, after, None, after.effective_at, diff(base, after),
                         impact(base, after), name="<script>alert(9)</script>")
    target = tmp_path / "scenario.html"
    target.write_text(html, encoding="utf-8")
    page.goto(target.as_uri())
    wait_drawn(page)
    statuses = page.evaluate("""() => Object.fromEntries(['before', 'after'].map(side =>
        [side, Object.fromEntries(window.bomay.charts[side].nodes.get().map(n => [n.id, n.status]))]))""")
    assert statuses["before"]["xss"] == "merged" and statuses["after"]["new"] == "added"
    assert statuses["after"]["btc"] == "merge_target"
    assert "<script>alert(9)</script>" in page.locator("h1").text_content()
    page.screenshot(path=str(tmp_path / "scenario-standalone.png"))
    page.watch.assert_clean()
