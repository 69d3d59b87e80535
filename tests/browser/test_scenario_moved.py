"""The scenario page's "Moved to a new parent" section in a real browser, on a scenario that
moves more units than the page's bound (`viz.scenario.TABLE_ROWS`, 200): a province of 40
districts of 21 communes each, pairs of districts merged (each merge moves the 21 communes
of one district under the other). The section counts every move, names the first 200
units, says on the line it cuts how many of that parent's it leaves out, and ends with
"… and N more" naming where the whole list is (`GET /scenarios/{id}/diff`, `bomay scenario
diff ID --json`); a scenario moving more units has a section no longer.

Screenshots (1440×900 and 768 wide, both languages) go to the `artefacts` folder."""

from __future__ import annotations

import re

import pytest

from .conftest import serve, wait_drawn

pytestmark = pytest.mark.browser

AT = "2025-07-01"
DISTRICTS, COMMUNES = 40, 21
BOUND = 200


def dataset():
    from graph.model import Dataset, Relation, Unit
    units = [Unit(id="p", name="Tỉnh Đông Sơn", kind="province", level="province")]
    rels = []
    for d in range(1, DISTRICTS + 1):
        units.append(Unit(id=f"d{d}", name=f"Huyện Đông Sơn {d}", kind="district",
                          level="district"))
        rels.append(Relation(source_id=f"d{d}", type="PART_OF", target_id="p"))
        for c in range(1, COMMUNES + 1):
            units.append(Unit(id=f"d{d}-c{c}", name=f"Xã Tân Lập {d}-{c}", kind="commune",
                              level="commune"))
            rels.append(Relation(source_id=f"d{d}-c{c}", type="PART_OF", target_id=f"d{d}"))
    return Dataset(units=tuple(units), relations=tuple(rels))


def merges(pairs: int) -> list[dict]:
    """District 2i merged into district 2i-1, for i = 1..pairs: 21 communes moved each."""
    return [{"op": "merge", "into": f"d{2 * i - 1}", "units": [f"d{2 * i}"]}
            for i in range(1, pairs + 1)]


@pytest.fixture(scope="module")
def moved_server(tmp_path_factory):
    from graph.embedded.store import EmbeddedStore
    from graph.scenarios.service import ScenarioService

    store = EmbeddedStore(tmp_path_factory.mktemp("moved") / "moved.db")
    store.replace_dataset(dataset())
    service = ScenarioService(store)
    ids = {}
    for key, pairs in (("15", 15), ("20", 20)):
        saved, _ = service.create(f"Sáp nhập {pairs} cặp huyện", AT, "", merges(pairs))
        ids[key] = saved.id
    for server in serve(store, AT, list(ids.values())):
        server.ids = ids
        yield server


def _open(page, server, key, lang, width=1440, artefacts=None):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(server.url(f"/viz/scenarios/{server.ids[key]}?lang={lang}"))
    wait_drawn(page)
    sec = page.locator('details[data-changes="moved"]')
    assert sec.count() == 1, "no moved section"
    assert not sec.evaluate("e => e.open"), "a long section arrives folded"
    sec.locator("summary").click()
    # its summary at the top of the window, under the sticky legend bar (scroll-margin-top)
    sec.evaluate("e => e.scrollIntoView({block: 'start'})")
    if artefacts is not None:
        sec.screenshot(path=str(artefacts / f"scenario-moved-{key}-{lang}-{width}.png"))
        page.screenshot(path=str(artefacts / f"scenario-moved-{key}-{lang}-{width}-view.png"))
    return sec, len(response.body())


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_moved_section_names_the_bound_and_says_how_many_more(page, moved_server,
                                                                   artefacts, lang):
    sid = moved_server.ids["15"]
    sec, _ = _open(page, moved_server, "15", lang, artefacts=artefacts)
    moved = 15 * COMMUNES
    assert sec.get_attribute("data-count") == str(moved)
    assert sec.locator("summary").inner_text() == (
        f"Moved to a new parent ({moved} units, under 15 new parents)" if lang == "en" else
        f"Chuyển trực thuộc ({moved} đơn vị, sang 15 cấp trên mới)")
    items = [t.strip() for t in sec.locator("li").all_inner_texts()]
    named = sum(len(re.findall(r"Xã Tân Lập \d+-\d+", t)) for t in items)
    assert named == BOUND, named
    # 9 whole lines of 21 communes, then one cut after 11: it says the 10 it leaves out
    assert len(items) == BOUND // COMMUNES + 1
    cut = BOUND - (BOUND // COMMUNES) * COMMUNES
    assert items[-1].endswith("; … and 10 more units" if lang == "en" else
                              "; … và 10 đơn vị khác"), items[-1]
    assert len(re.findall(r"Xã Tân Lập", items[-1])) == cut
    more = sec.locator("[data-more]")
    assert more.is_visible()
    assert more.inner_text() == (
        f"… and {moved - BOUND} more units; the JSON diff (moved) lists them all: "
        f"GET /scenarios/{sid}/diff or bomay scenario diff {sid} --json" if lang == "en" else
        f"… và {moved - BOUND} đơn vị khác; bản so sánh JSON (moved) liệt kê đầy đủ: "
        f"GET /scenarios/{sid}/diff hoặc bomay scenario diff {sid} --json")
    # every line inside the section, nothing cut on the right, no page-wide scroll
    layout = page.evaluate("""() => {
        const s = document.querySelector('details[data-changes="moved"]');
        const r = s.getBoundingClientRect();
        const out = [...s.querySelectorAll('li, [data-more]')].filter(e => {
            const b = e.getBoundingClientRect(); return b.right > r.right + 0.5; }).length;
        return {out, scroll: document.documentElement.scrollWidth > window.innerWidth};
    }""")
    assert layout == {"out": 0, "scroll": False}, layout


def test_a_narrow_window_wraps_the_lines(page, moved_server, artefacts):
    for lang in ("vi", "en"):
        sec, _ = _open(page, moved_server, "15", lang, width=768, artefacts=artefacts)
        assert not page.evaluate(
            "() => document.documentElement.scrollWidth > window.innerWidth")
        box = sec.locator("[data-more]").bounding_box()
        assert box and box["x"] + box["width"] <= 768
        # scrolled to, its summary shows below the sticky legend bar (three rows here)
        gap = page.evaluate("""() => document.querySelector('details[data-changes="moved"] summary')
            .getBoundingClientRect().top
            - document.querySelector('.bv-legend-bar').getBoundingClientRect().bottom""")
        assert gap >= 0, gap


def test_more_moves_make_the_section_no_longer(page, moved_server, artefacts):
    """420 units moved instead of 315: the section names 200 either way; its HTML stays the
    same size (the page grows by its charts only, which have their own bound)."""
    sizes = {}
    for key in ("15", "20"):
        sec, page_bytes = _open(page, moved_server, key, "en")
        sizes[key] = (len(sec.evaluate("e => e.outerHTML").encode()), page_bytes)
        assert sec.locator("li").count() == BOUND // COMMUNES + 1
    (small, page_small), (large, page_large) = sizes["15"], sizes["20"]
    assert small < 40_000 and abs(large - small) < 0.05 * small, sizes
    assert page_large < 2 * page_small, sizes
    assert page.locator('details[data-changes="moved"] [data-more]').inner_text().startswith(
        f"… and {20 * COMMUNES - BOUND} more units;")
