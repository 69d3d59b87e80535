"""Scenario pages on the bundled dataset, as a planner opens them: the example plan
(docs/examples/fold-board-offices.yaml), a plan across two trees, and a committed one.

Screenshots (1440×900, first screen and whole page) go to the `artefacts` folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import SEED, serve, wait_drawn

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PLANS = {"fold": ROOT / "docs" / "examples" / "fold-board-offices.yaml",
         "two-trees": ROOT / "tests" / "viz" / "plans" / "two-trees.yaml"}
#: Committed before the pages are opened: Móng Cái's Mass Mobilisation Board goes into
#: its Propaganda Board on 01/09/2018.
COMMITTED = [{"op": "merge", "into": "mc-ban-tuyen-giao", "units": ["mc-ban-dan-van"],
              "date": "2018-09-01"}]


@pytest.fixture(scope="module")
def scenario_server(tmp_path_factory):
    import yaml

    from graph.embedded.store import EmbeddedStore
    from graph.scenarios.service import ScenarioService
    from loaders import read_dataset

    store = EmbeddedStore(tmp_path_factory.mktemp("scenarios") / "seed.db")
    store.replace_dataset(read_dataset(SEED))
    service = ScenarioService(store)
    ids = {}
    for key, path in PLANS.items():
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))
        saved, _ = service.create(plan["name"], str(plan["at"]), plan.get("description", ""),
                                  plan["operations"])
        ids[key] = saved.id
    saved, _ = service.create("Sáp nhập Ban Dân vận vào Ban Tuyên giáo (Móng Cái)",
                              "2018-08-07", "", COMMITTED)
    result = service.commit(saved.id)
    ids["committed"] = saved.id
    for server in serve(store, "2018-08-07", list(ids.values())):
        server.ids = ids
        server.revision = result.revision
        yield server


def open_scenario(page, server, key: str, artefacts, lang: str = ""):
    page.goto(server.url(f"/viz/scenarios/{server.ids[key]}" + (f"?lang={lang}" if lang else "")))
    wait_drawn(page)
    page.wait_for_timeout(300)
    page.screenshot(path=str(artefacts / f"scenario-{key}{'-' + lang if lang else ''}.png"))
    page.screenshot(path=str(artefacts / f"scenario-{key}{'-' + lang if lang else ''}-full.png"),
                    full_page=True)
    return page.locator("main").text_content()


def test_example_plan_page(page, scenario_server, artefacts):
    text = open_scenario(page, scenario_server, "fold", artefacts)
    assert not re.search(r"[{\[]'|': |\b[a-z]+_[a-z_]+\b", text), "raw codes on the page"
    assert "Văn phòng, hành chính" in text  # a function as a word
    statuses = page.evaluate("""() => Object.fromEntries(window.bomay.charts.before.nodes.get()
        .map(n => [n.id, n.status]))""")
    assert statuses.get("p002-ban-to-chuc-van-phong") == "merged"
    # the legend is in view on the first screen, above the charts
    bar = page.locator(".bv-legend-bar").bounding_box()
    chart = page.locator(".bv-chart").first.bounding_box()
    assert bar["y"] + bar["height"] < 900 and bar["y"] < chart["y"]
    # the headcount table adds up: recorded − savings applied = after
    rows = page.locator(".bv-impact-tables section").first.locator("tr.bv-total td")
    cells = [c.strip() for c in rows.all_text_contents()]
    note = page.locator(".bv-impact-tables section").first.locator("p").text_content()
    # "recorded − saved = after", each a number or "—" (unknown: no unit has a figure)
    recorded, saved, after = re.match(r"\s*([\d.]+|—) − ([\d.]+) = ([\d.]+|—)", note).groups()
    if recorded == "—":  # the plan's offices have no headcount in the seed: unknown, never 0
        assert after == "—" and "chưa có số liệu" in note
    else:
        assert float(recorded) - float(saved) == pytest.approx(float(after))
    assert cells[2] == f"{float(saved):g}"


def test_a_plan_across_two_trees_draws_both(page, scenario_server, artefacts):
    open_scenario(page, scenario_server, "two-trees", artefacts)
    counts = page.evaluate("""() => Object.fromEntries(Object.entries(window.bomay.charts)
        .map(([k, c]) => [k, c.nodes.get({filter: n => !n.cluster}).length]))""")
    assert set(counts) == {"before", "after", "before-1", "after-1"}
    assert all(n > 1 for n in counts.values()), counts
    headings = page.locator(".bv-pair-section h2").all_text_contents()
    assert any("Quảng Ninh" in h for h in headings) and len(headings) == 2


def test_a_committed_scenario_says_when_and_as_which_revision(page, scenario_server,
                                                              artefacts):
    text = open_scenario(page, scenario_server, "committed", artefacts)
    banner = page.locator(".bv-committed").text_content()
    assert re.search(r"Đã áp dụng vào dữ liệu gốc ngày \d\d/\d\d/\d{4}", banner)
    assert scenario_server.revision in banner
    assert "31/08/2018" in banner and "01/09/2018" in banner  # the two sides' dates
    before = page.evaluate("() => window.bomay.charts.before.nodes.get().map(n => n.id)")
    after = page.evaluate("() => window.bomay.charts.after.nodes.get().map(n => n.id)")
    assert "mc-ban-dan-van" in before and "mc-ban-dan-van" not in after
    assert "Biên chế" in text
    en = open_scenario(page, scenario_server, "committed", artefacts, lang="en")
    assert "Committed into the baseline on" in en and scenario_server.revision in en


def _legend_rows(page) -> dict:
    """The legend bar's items as the browser lays them out: their boxes, the rows they
    make (items whose tops are within 4 px share a row) and whether any two overlap."""
    return page.evaluate("""() => {
        const bar = document.querySelector('.bv-legend-bar');
        const items = [bar.querySelector(':scope > strong'),
                       ...bar.querySelectorAll('.bv-legend li')];
        const boxes = items.map(e => { const r = e.getBoundingClientRect();
            return {text: e.innerText.trim(), x: r.x, y: r.y, w: r.width, h: r.height}; });
        const tops = [];
        for (const b of boxes) if (!tops.some(t => Math.abs(t - b.y) < 4)) tops.push(b.y);
        const overlap = [];
        boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
            if (a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 &&
                a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5) overlap.push([a.text, b.text]);
        }));
        const r = bar.getBoundingClientRect();
        const clipped = boxes.filter(b => b.x < r.x - 0.5 || b.x + b.w > r.right + 0.5)
            .map(b => b.text);
        return {rows: tops.length, boxes, overlap, clipped, height: r.height,
                scroll: document.documentElement.scrollWidth > window.innerWidth};
    }""")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_legend_bar_is_one_row_at_1440_and_wraps_cleanly_at_1024(page, scenario_server,
                                                                      artefacts, lang):
    """The change legend above the charts reads as one line on a 1440 px screen, in
    either language; at 1024 px it may take two rows, its items never overlapping, cut
    or pushing the page sideways. Screenshots of the bar at both widths."""
    suffix = "" if lang == "vi" else "?lang=en"
    for width, most_rows in ((1440, 1), (1024, 2)):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(scenario_server.url(f"/viz/scenarios/{scenario_server.ids['fold']}{suffix}"))
        wait_drawn(page)
        bar = page.locator(".bv-legend-bar")
        bar.screenshot(path=str(artefacts / f"legend-bar-{lang}-{width}.png"))
        page.screenshot(path=str(artefacts / f"legend-page-{lang}-{width}.png"))
        laid = _legend_rows(page)
        assert len(laid["boxes"]) == 8  # the title and the seven statuses
        assert laid["rows"] <= most_rows, (width, [(b["text"], round(b["x"]), round(b["y"]),
                                                     round(b["w"])) for b in laid["boxes"]])
        assert not laid["overlap"] and not laid["clipped"] and not laid["scroll"], laid
