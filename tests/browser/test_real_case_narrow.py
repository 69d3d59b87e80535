"""The pages of the HCMC reform (tests/data/r_ho_chi_minh) as a planner reads them: the
plan's page (reform.yaml as the dataset's adopted plan) and the committed record, on a
laptop (1,440 px) and a tablet (768 px), in a real headless Chromium.

Screenshots go to the `artefacts` folder ($BOMAY_ARTEFACTS)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import serve, wait_drawn
from .test_real_case_events import committed

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def plan_server(tmp_path_factory):
    """r_ho_chi_minh with its reform.yaml as the dataset's adopted plan."""
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset

    folder = tmp_path_factory.mktemp("plan") / "r_ho_chi_minh"
    shutil.copytree(DATA / "r_ho_chi_minh", folder)
    (folder / "plans" / "tables").mkdir(parents=True)
    shutil.copy(DATA / "r_ho_chi_minh_plans" / "communes.csv", folder / "plans" / "tables")
    body = (DATA / "r_ho_chi_minh_plans" / "reform.yaml").read_text(encoding="utf-8")
    body = body.replace("mapping: communes.csv", "mapping: tables/communes.csv")
    body = body.replace("at: 2025-07-01", "status: adopted\ndate: 2025-06-12\nadopted: 2025-06-12\n"
                        "basis: [nq-202-2025-qh15]\nat: 2025-07-01", 1)
    (folder / "plans" / "reform.yaml").write_text(body, encoding="utf-8")
    store = EmbeddedStore(folder.parent / "r.db")
    store.replace_dataset(read_dataset(folder))
    yield from serve(store, "2025-06-30", [])


@pytest.fixture(scope="module")
def hcm_server(tmp_path_factory):
    yield from committed(tmp_path_factory, "r_ho_chi_minh", "2025-07-01")


def open_plan(page, server, width: int, lang: str = "vi") -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server.url("/viz/scenarios/reform" + ("?lang=en" if lang == "en" else "")))
    wait_drawn(page)
    page.wait_for_timeout(300)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_side_s_total_agrees_with_the_summary(page, plan_server, artefacts, lang):
    """The summary said 90 → 33 units, the charts' headings "trong tổng số 91 / 34": they
    counted the country, the root drawn to place the three provinces, which no operation
    acts on. Now the same figures, said to count the units under the root."""
    open_plan(page, plan_server, 1440, lang)
    page.screenshot(path=str(artefacts / f"narrow-plan-counts-{lang}.png"))
    summary = page.locator("[data-figure=units] dd").inner_text()
    before, after = re.match(r"(\d+) → (\d+)", summary).groups()
    assert (before, after) == ("90", "33")
    totals = page.locator("h3 [data-total]").all_inner_texts()
    words = "đơn vị dưới gốc" if lang == "vi" else "units under the root"
    of = "trong tổng số" if lang == "vi" else "of"
    assert totals == [f", {of} {before} {words}", f", {of} {after} {words}"], totals


def test_the_two_charts_are_one_above_the_other_on_a_tablet(page, plan_server, artefacts):
    """At 768 px the before and after charts stayed side by side, 360 px each."""
    open_plan(page, plan_server, 768)
    page.screenshot(path=str(artefacts / "narrow-plan-768.png"), full_page=True)
    before = page.locator("[data-chart=before]").bounding_box()
    after = page.locator("[data-chart=after]").bounding_box()
    assert after["y"] >= before["y"] + before["height"], (before, after)
    assert before["width"] > 700 and after["width"] > 700
    open_plan(page, plan_server, 1440)
    before = page.locator("[data-chart=before]").bounding_box()
    after = page.locator("[data-chart=after]").bounding_box()
    assert after["x"] >= before["x"] + before["width"] and after["y"] == before["y"]


def test_the_timeline_starts_at_its_latest_dates_on_a_tablet(page, hcm_server, artefacts):
    """At 768 px the timeline (1,190 px wide) showed its first dates: the new Thành ủy's
    start, the latest year and "hôm nay" were off screen on the right."""
    page.set_viewport_size({"width": 768, "height": 900})
    page.goto(hcm_server.url("/viz/units/hcm25-tu/timeline"))
    page.wait_for_function("() => document.readyState === 'complete'")
    page.screenshot(path=str(artefacts / "narrow-timeline-768.png"))
    box = page.locator(".bv-timeline").bounding_box()
    assert box["width"] < 768
    for what in (".bv-tl-today text", ".bv-tl-event text"):
        mark = page.locator(f".bv-timeline {what}").first.bounding_box()
        assert box["x"] <= mark["x"] and mark["x"] + mark["width"] <= box["x"] + box["width"], \
            (what, mark, box)
    # the latest year up to today is on screen too
    today = page.locator(".bv-tl-today line").bounding_box()["x"]
    ticks = [t for t in page.locator(".bv-timeline svg > text").all()
             if t.text_content().isdigit()]
    year = max((t for t in ticks if t.bounding_box()["x"] <= today),
               key=lambda t: int(t.text_content()))
    b = year.bounding_box()
    assert box["x"] <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"], \
        year.text_content()


CUT = """(name) => {
    const entry = window.bomay.charts[name], net = entry.network;
    const box = document.querySelector(`[data-chart="${name}"]`).getBoundingClientRect();
    return entry.nodes.getIds().filter(id => {
        const b = net.getBoundingBox(id);
        const top = net.canvasToDOM({x: b.left, y: b.top});
        const bottom = net.canvasToDOM({x: b.right, y: b.bottom});
        return top.y < 0 || bottom.y > box.height || top.x < 0 || bottom.x > box.width;
    });
}"""


@pytest.mark.parametrize("width", [1440, 768])
def test_the_lists_under_the_provinces_and_the_new_city_are_in_view(page, plan_server,
                                                                     artefacts, width):
    """Before: each province's bodies in a list under it; after: the new city's under the
    country. Both ran under the charts' bottom edge (Quận 1 and the lists' last units out of
    sight) while the heading counted them as shown."""
    open_plan(page, plan_server, width)
    for side in ("before", "after"):
        chart = page.locator(f"[data-chart={side}]")
        chart.screenshot(path=str(artefacts / f"narrow-plan-{side}-{width}.png"))
        cut = page.evaluate(CUT, side)
        assert cut == [], f"{side}: units outside the first view: {cut}"
        assert page.evaluate(f"window.bomay.charts['{side}'].network.getScale()") >= 0.79
        shown = page.evaluate(f"window.bomay.charts['{side}'].nodes.length")
        assert shown > 4, shown  # the lists are drawn, not folded away
