"""The scenario page's "Area changes" section in a real browser, as a planner reads it:
the dataset and plan of tests/api/test_diff_area_changes.py (two provinces consolidated;
a bloc committee without a peer takes its cells to the new province), served by the real
app; an open scenario and the same plan committed (its page reads the kept diff).

Screenshots of the section (1440×900 and 1024 wide) go to the `artefacts` folder."""

from __future__ import annotations

import re

import pytest

from tests.api.test_diff_area_changes import AT, CONSOLIDATE, dataset

from .conftest import serve, wait_drawn

pytestmark = pytest.mark.browser

DN = "Đảng ủy Khối doanh nghiệp tỉnh An Hà"


@pytest.fixture(scope="module")
def areas_server(tmp_path_factory):
    from graph.embedded.store import EmbeddedStore
    from graph.scenarios.service import ScenarioService

    store = EmbeddedStore(tmp_path_factory.mktemp("areas") / "areas.db")
    store.replace_dataset(dataset(areas=True))
    service = ScenarioService(store)
    opened, _ = service.create("Hợp nhất tỉnh An Hà và Bình Sơn", AT, "", [CONSOLIDATE])
    # the committed one is made by its test, the last of the module: committing changes
    # the baseline the open scenario reads against
    ids = {"open": opened.id}
    for server in serve(store, AT, list(ids.values())):
        server.ids = ids
        server.service = service
        yield server


def _section(page, server, key, artefacts, lang, width=1440):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server.url(f"/viz/scenarios/{server.ids[key]}?lang={lang}"))
    wait_drawn(page)
    sec = page.locator('details[data-changes="areas"]')
    assert sec.count() == 1, "no area changes section"
    if not sec.evaluate("e => e.open"):  # folded when long: open it as a planner would
        sec.locator("summary").click()
    sec.scroll_into_view_if_needed()
    sec.screenshot(path=str(artefacts / f"scenario-area-changes-{key}-{lang}-{width}.png"))
    return sec


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_area_changes_section_reads_by_name(page, areas_server, artefacts, lang):
    sec = _section(page, areas_server, "open", artefacts, lang)
    summary = sec.locator("summary").inner_text()
    assert summary == ("Area changes (8 units)" if lang == "en" else
                       "Thay đổi địa bàn (8 đơn vị)"), summary
    items = [t.strip() for t in sec.locator("li").all_inner_texts()]
    assert len(items) == 8
    via = "via" if lang == "en" else "chuyển theo"
    assert any(t.startswith("Chi bộ Công ty 1") and f"({via} {DN})" in t for t in items), items
    assert not any(re.search(r"\bp[abn](-[a-z0-9]+)+\b", t) for t in items), items
    # every line inside the section, nothing cut on the right, no page-wide scroll
    layout = page.evaluate("""() => {
        const s = document.querySelector('details[data-changes="areas"]');
        const r = s.getBoundingClientRect();
        const out = [...s.querySelectorAll('li')].filter(li => {
            const b = li.getBoundingClientRect(); return b.right > r.right + 0.5; }).length;
        return {out, scroll: document.documentElement.scrollWidth > window.innerWidth,
                wide: s.scrollWidth > s.clientWidth + 1};
    }""")
    assert layout == {"out": 0, "scroll": False, "wide": False}, layout


def test_a_narrow_window_wraps_the_lines(page, areas_server, artefacts):
    _section(page, areas_server, "open", artefacts, "vi", width=1024)
    assert not page.evaluate(
        "() => document.documentElement.scrollWidth > window.innerWidth")


def test_a_long_list_shows_the_first_lines_and_how_many_more(page, areas_server, artefacts,
                                                             monkeypatch):
    """The server runs in this process: the page's bound, made 3, cuts the 8 lines."""
    import viz.scenario
    monkeypatch.setattr(viz.scenario, "TABLE_ROWS", 3)
    sec = _section(page, areas_server, "open", artefacts, "en", width=1024)
    assert sec.locator("summary").inner_text() == "Area changes (8 units)"
    assert sec.locator("li").count() == 3
    assert sec.locator("[data-more]").inner_text() == (
        "… and 5 more units; the JSON diff (area_changes) lists them all: "
        f"GET /scenarios/{areas_server.ids['open']}/diff or "
        f"bomay scenario diff {areas_server.ids['open']} --json")
    sec.screenshot(path=str(artefacts / "scenario-area-changes-more.png"))


def test_a_committed_scenario_shows_its_area_changes(page, areas_server, artefacts):
    saved, _ = areas_server.service.create("Hợp nhất (đã áp dụng)", AT, "", [CONSOLIDATE])
    areas_server.service.commit(saved.id)
    areas_server.ids["committed"] = saved.id
    sec = _section(page, areas_server, "committed", artefacts, "en")
    assert sec.get_attribute("data-count") == "8"
    items = sec.locator("li").all_inner_texts()
    assert any(t.startswith("Chi bộ Công ty 3") and f"(via {DN})" in t for t in items), items
