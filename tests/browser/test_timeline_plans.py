"""A dataset plan on a unit's timeline, in a real headless Chromium against the real app over
the bundled dataset: the bloc agency's Party organisation (qn-ckhoi-dang-bo), which the
regrouping plan qn-ckhoi-2020-regroup (planned, made and applying on 11/02/2020) would
change. The timeline marks the plan on its axis at that date, labelled with the plan's name
and status in both languages, drawn unlike the recorded events (a long-dashed line and a
band, not the events' diamonds), and linked to the plan's before and after."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import wait_drawn

pytestmark = pytest.mark.browser

PLAN = "qn-ckhoi-2020-regroup"
PLAN_NAME = "Sắp xếp tổ chức Đảng cơ quan khối MTTQ Quảng Ninh — 9 chi bộ thành 4 chi bộ"
BLOC = "qn-ckhoi-dang-bo"
PLAN_DAY = dt.date(2020, 2, 11)


def axis_x(page, day: dt.date) -> float:
    """Where `day` falls on the drawn axis, from the year ticks the page draws."""
    ticks = page.evaluate("""() => [...document.querySelectorAll('.bv-timeline svg > text')]
        .filter(t => /^\\d{4}$/.test(t.textContent)).map(t => [+t.textContent, +t.getAttribute('x')])""")
    ticks = dict(ticks)
    year0 = min(y for y in ticks if y <= day.year)
    year1 = min(y for y in ticks if y > day.year)
    span = (dt.date(year1, 1, 1) - dt.date(year0, 1, 1)).days
    return ticks[year0] + (day - dt.date(year0, 1, 1)).days / span * (ticks[year1] - ticks[year0])


@pytest.mark.parametrize("lang, status", [("vi", "dự kiến"), ("en", "planned")])
def test_the_timeline_marks_the_plan_on_its_axis(page, seed_server, artefacts, lang, status):
    page.goto(seed_server.url(f"/viz/units/{BLOC}/timeline" + ("?lang=en" if lang == "en" else "")))
    mark = page.locator(f"[data-plan-mark='{PLAN}']")
    assert mark.count() == 1, "the plan is not marked on the timeline's axis"
    line = mark.locator("line")
    # at the plan's date on the axis (within a pixel), across the lanes
    x = float(line.get_attribute("x1"))
    assert x == pytest.approx(axis_x(page, PLAN_DAY), abs=1.0)
    assert float(line.get_attribute("y2")) - float(line.get_attribute("y1")) > 150
    # unlike a recorded event: dashed, orange, no diamond; and a band from its date on
    assert line.get_attribute("stroke-dasharray") and line.get_attribute("stroke") == "#e65100"
    assert mark.locator("path").count() == 0
    band = page.locator(f"[data-plan-band='{PLAN}']")
    assert float(band.get_attribute("x")) == pytest.approx(x, abs=0.1)
    assert float(band.get_attribute("width")) > 10
    # labelled with its name, status and date, in the page's language, and visible
    label = mark.locator("text")
    text = label.text_content()
    assert PLAN_NAME in text and f"({status})" in text and "11/02/2020" in text
    assert ("Kế hoạch" if lang == "vi" else "Plan") in text
    box, svg = label.bounding_box(), page.locator(".bv-timeline svg").bounding_box()
    assert box["width"] > 100 and box["x"] >= svg["x"] and box["x"] + box["width"] <= svg["x"] + svg["width"]
    # the label does not sit on a lane's bars
    bars = page.locator(".bv-timeline g[class^='bv-tl-'] rect").all()
    for bar in bars:
        b = bar.bounding_box()
        assert box["y"] + box["height"] <= b["y"] + 1 or box["y"] >= b["y"] + b["height"] - 1
    page.screenshot(path=str(artefacts / f"timeline-plan-mark-{lang}.png"), full_page=True)
    # it links to the plan's before and after
    mark.locator("tspan").first.click()
    page.wait_for_url(f"**/viz/scenarios/{PLAN}*")
    wait_drawn(page)


def test_a_unit_no_plan_touches_has_no_plan_mark(page, seed_server):
    page.goto(seed_server.url("/viz/units/mc-tu/timeline"))
    assert page.locator(".bv-timeline svg").count() == 1
    assert page.locator("[data-plan-mark]").count() == 0
