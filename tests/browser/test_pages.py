"""Every visualiser page in a real headless Chromium against the real app.

Each test's page is watched (see conftest): no console error, no page error, no
dialog and no request outside 127.0.0.1, checked at teardown and by `assert_clean`.
"""

from __future__ import annotations

import httpx
import pytest

from .conftest import DEFAULT_AT, drawn_ids, wait_drawn

pytestmark = pytest.mark.browser

XSS_NAME = "<img src=x onerror=alert(1)>"


def api_json(live_server, path: str, **params):
    response = httpx.get(live_server.url(path), params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def count_units(tree: dict) -> int:
    return 1 + sum(count_units(c) for c in tree.get("children") or ())


def tree_ids(tree: dict) -> set[str]:
    out = {tree["unit"]["id"]}
    for child in tree.get("children") or ():
        out |= tree_ids(child)
    return out


def api_subtree(live_server, unit_id: str, at: str) -> dict:
    return api_json(live_server, f"/units/{unit_id}/subtree", at=at)


def shot(page, tmp_path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5000


def node_point(page, node_id: str, chart: str = "main") -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    return tuple(page.evaluate("""([name, id]) => {
        const entry = window.bomay.charts[name];
        const p = entry.network.canvasToDOM(entry.network.getPosition(id));
        const box = document.querySelector(`[data-chart="${name}"]`).getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", [chart, node_id]))


def test_landing_page(page, live_server, tmp_path):
    page.goto(live_server.url("/"))
    wait_drawn(page)
    assert page.locator("a", has_text="Tỉnh Mẫu").first.is_visible()
    assert page.locator("a[href='/docs']").first.is_visible()
    if live_server.scenario_ids:
        assert page.locator("a[href='/viz/scenarios/s-merge']").is_visible()
    # live search through the API's /search
    page.fill("#bv-search input[name=q]", "ban to chuc")
    page.wait_for_selector("#bv-search-results li a")
    assert page.locator("#bv-search-results a", has_text="Ban Tổ chức Tỉnh ủy").count() >= 1
    shot(page, tmp_path, "landing")
    page.watch.assert_clean()


def test_search_shows_a_markup_name_as_text(page, live_server):
    page.goto(live_server.url("/"))
    wait_drawn(page)
    page.fill("#bv-search input[name=q]", "img")
    page.wait_for_selector("#bv-search-results li a")
    assert page.locator("#bv-search-results a").first.text_content() == XSS_NAME
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    page.watch.assert_clean()


def test_org_chart_draws_what_the_api_returns(page, live_server, tmp_path):
    page.goto(live_server.url(f"/viz/units/prov?at={DEFAULT_AT}"))
    wait_drawn(page)
    tree = api_subtree(live_server, "prov", DEFAULT_AT)
    ids = drawn_ids(page)
    assert len(ids) == count_units(tree)
    assert set(ids) == tree_ids(tree)
    assert page.evaluate("document.querySelector('[data-chart=main] canvas') !== null")
    shot(page, tmp_path, "orgchart")
    page.watch.assert_clean()


def test_depth_limits_the_chart_like_the_api(page, live_server):
    page.goto(live_server.url(f"/viz/units/prov?at={DEFAULT_AT}&depth=1"))
    wait_drawn(page)
    tree = api_json(live_server, "/units/prov/subtree", at=DEFAULT_AT, depth=1)
    assert sorted(drawn_ids(page)) == sorted(tree_ids(tree))
    page.watch.assert_clean()


def test_the_date_picker_changes_the_chart(page, live_server, tmp_path):
    page.goto(live_server.url(f"/viz/units/prov?at={DEFAULT_AT}"))
    wait_drawn(page)
    after = set(drawn_ids(page))
    with page.expect_navigation():
        page.fill("input[name=at]", "01/01/2018")
        page.press("input[name=at]", "Enter")
    wait_drawn(page)
    assert "at=2018-01-01" in page.url
    before = set(drawn_ids(page))
    assert before != after
    assert {"btg", "bdv"} <= before - after and "btgdv" in after - before
    assert before == tree_ids(api_subtree(live_server, "prov", "2018-01-01"))
    assert page.locator("#bv-at").text_content() == "01/01/2018"
    shot(page, tmp_path, "orgchart-2018")
    page.watch.assert_clean()


def test_markup_in_names_is_shown_as_text(page, live_server, tmp_path):
    page.goto(live_server.url(f"/viz/units/tu?at={DEFAULT_AT}"))
    wait_drawn(page)
    # the literal name is in the DOM as text (the unit list), and no element was injected
    page.locator("details.bv-list summary").click()
    cell = page.locator("tr[data-unit='xss'] td").first
    assert cell.text_content() == XSS_NAME
    assert page.evaluate("document.querySelectorAll('img, iframe, svg').length") == 0
    # the tooltip of that node shows the name, the English name and the head as text
    x, y = node_point(page, "xss")
    page.mouse.move(x, y)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    text = tooltip.text_content()
    assert XSS_NAME in text and '<script>alert("en")</script>' in text
    assert '"><svg onload=alert(2)> (Trưởng)' in text
    assert tooltip.locator("img, script, svg").count() == 0
    shot(page, tmp_path, "xss-tooltip")
    page.wait_for_timeout(300)  # time for any injected handler to fire
    page.watch.assert_clean()


def test_double_click_on_a_node_opens_its_chart(page, live_server):
    page.goto(live_server.url(f"/viz/units/prov?at={DEFAULT_AT}"))
    wait_drawn(page)
    x, y = node_point(page, "tu")
    with page.expect_navigation():
        page.mouse.dblclick(x, y)
    wait_drawn(page)
    assert page.url.endswith(f"/viz/units/tu?at={DEFAULT_AT}")
    assert set(drawn_ids(page)) == {"tu", "btc", "btgdv", "xss"}
    page.watch.assert_clean()


def test_download_png(page, live_server, tmp_path):
    page.goto(live_server.url(f"/viz/units/prov?at={DEFAULT_AT}"))
    wait_drawn(page)
    with page.expect_download() as info:
        page.click("button[data-png=main]")
    target = tmp_path / "chart.png"
    info.value.save_as(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert target.stat().st_size > 2000
    page.watch.assert_clean()


def test_lineage_page(page, live_server, tmp_path):
    page.goto(live_server.url("/viz/units/btgdv/lineage"))
    wait_drawn(page)
    lineage = api_json(live_server, "/units/btgdv/lineage")
    expected = {"btgdv"} | {item["unit"]["id"] for side in ("predecessors", "successors")
                            for item in lineage[side]}
    ids = drawn_ids(page)
    assert sorted(ids) == sorted(expected) == ["bdv", "btg", "btgdv"]
    xs = page.evaluate("""() => {
        const n = window.bomay.charts.main.network;
        return Object.fromEntries(['btg', 'bdv', 'btgdv'].map(id => [id, n.getPosition(id).x]));
    }""")
    assert xs["btg"] < xs["btgdv"] and xs["bdv"] < xs["btgdv"]  # time runs left to right
    labels = page.evaluate("window.bomay.charts.main.edges.get().map(e => e.label)")
    assert labels and all("01/07/2018" in lb and "Hợp nhất" in lb and "86-KH/TU" in lb
                          for lb in labels)
    cell = page.locator("tr[data-event='ev-tgdv'] td").first
    assert cell.text_content() == "01/07/2018"
    assert cell.evaluate("td => td.getClientRects().length === 1 && td.offsetHeight < 40")  # one line
    # the event's description (markup) is shown as text in the events table
    assert "<script>alert(4)</script> hợp nhất" in page.locator("tr[data-event='ev-tgdv']").text_content()
    shot(page, tmp_path, "lineage")
    page.watch.assert_clean()


def test_unknown_unit_page_is_an_html_404(page, live_server):
    response = page.goto(live_server.url("/viz/units/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"))
    assert response.status == 404
    assert XSS_NAME in page.locator("main").text_content()
    # the browser logs the 404 of the document itself: that one is expected
    page.watch.console_errors[:] = [e for e in page.watch.console_errors if "404" not in e]
    page.watch.assert_clean()


def test_scenario_page(page, live_server, tmp_path):
    if not live_server.scenario_ids:
        pytest.skip("the scenario engine (graph.scenarios) is not there yet")
    page.goto(live_server.url("/viz/scenarios/s-merge"))
    wait_drawn(page)
    before = set(drawn_ids(page, "before"))
    after = set(drawn_ids(page, "after"))
    assert "xss" in before and "xss" not in after
    statuses = page.evaluate("""() => Object.fromEntries(['before', 'after'].map(side =>
        [side, Object.fromEntries(window.bomay.charts[side].nodes.get().map(n => [n.id, n.status]))]))""")
    assert statuses["before"]["xss"] == "merged"
    assert statuses["after"]["btc"] == "merge_target"
    assert statuses["after"]["snv"] == "moved"
    assert statuses["after"]["hpn"] == "renamed"
    text = page.locator("main").text_content()
    assert "Merge <b>boards</b>" in text and "<img src=x onerror=alert(7)>" in text
    assert "Tác động" in text and "Biên chế" in text
    import re
    assert not re.search(r"[{\[]'|': ", text), "raw dict or list text on the page"
    # the legend is in view above the charts, at the first screen
    top = page.locator(".bv-legend-bar").bounding_box()
    assert top and top["y"] + top["height"] < 900
    shot(page, tmp_path, "scenario")
    page.wait_for_timeout(300)
    page.watch.assert_clean()


def test_links_checkbox_hides_and_shows_serves_and_guided_by(page, live_server):
    page.goto(live_server.url(f"/viz/units/prov?at={DEFAULT_AT}"))
    wait_drawn(page)
    count_shown = """() => window.bomay.charts.main.edges.get({filter: e =>
        (e.type === 'SERVES' || e.type === 'GUIDED_BY') && !e.hidden}).length"""
    assert page.evaluate(count_shown) == 0  # drawn on demand, not over the tree
    page.check("input[data-cross=main]")
    assert page.evaluate(count_shown) == 3
    page.uncheck("input[data-cross=main]")
    assert page.evaluate(count_shown) == 0
    page.watch.assert_clean()
