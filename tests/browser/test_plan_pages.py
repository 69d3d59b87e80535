"""The dataset's plans named on the pages of the units they would change, in a real headless
Chromium against the real app over the bundled dataset: the org chart of the bloc agency's
Party organisation (9 cells, as recorded) names the regrouping plan (4 cells and 2
sub-level committees, only planned), its lineage and timeline pages too, and the plan's
link opens its before and after. A unit no plan touches says nothing of plans."""

from __future__ import annotations

import pytest

from .conftest import wait_drawn

pytestmark = pytest.mark.browser

PLAN = "qn-ckhoi-2020-regroup"
BLOC = "qn-ckhoi-dang-bo"


def test_the_org_chart_names_the_plan_beside_the_record(page, seed_server, artefacts):
    page.goto(seed_server.url(f"/viz/units/{BLOC}?at=2020-02-11"))
    wait_drawn(page)
    note = page.locator("[data-plans]")
    assert note.is_visible()
    text = note.inner_text()
    assert "Kế hoạch sẽ thay đổi các đơn vị trên sơ đồ" in text
    assert "dự kiến, lập ngày 11/02/2020" in text and "9 chi bộ thành 4 chi bộ" in text
    # the chart itself is the record: the nine cells, not the plan's four
    cells = page.locator("table.bv-units tbody tr").all_text_contents()  # a closed list
    assert sum("Chi bộ" in row for row in cells) == 9
    page.screenshot(path=str(artefacts / "plan-note-orgchart.png"), full_page=True)
    note.locator(f"[data-plan='{PLAN}'] a").click()
    page.wait_for_url(f"**/viz/scenarios/{PLAN}*")
    wait_drawn(page)
    assert "9 chi bộ thành 4 chi bộ và 2 đảng bộ bộ phận" in page.locator("h1").inner_text()


@pytest.mark.parametrize("view", ["lineage", "timeline"])
def test_the_lineage_and_timeline_name_the_plan_in_english_too(page, seed_server, artefacts,
                                                               view):
    page.goto(seed_server.url(f"/viz/units/{BLOC}/{view}?lang=en"))
    if view == "lineage":
        wait_drawn(page)
    text = page.locator("[data-plans]").inner_text()
    assert "Plans that would change this unit" in text
    assert "planned, made 11/02/2020" in text and "a plan is not a fact" in text
    page.screenshot(path=str(artefacts / f"plan-note-{view}.png"), full_page=True)


def test_a_unit_no_plan_touches_says_nothing_of_plans(page, seed_server):
    page.goto(seed_server.url("/viz/units/mc-tu?at=2018-08-07"))
    wait_drawn(page)
    assert page.locator("[data-plans]").count() == 0


def test_the_start_page_lists_the_dataset_s_plans_apart_from_the_saved_scenarios(page,
                                                                                 seed_server,
                                                                                 artefacts):
    page.goto(seed_server.url("/"))
    page.wait_for_selector("[data-plans]")
    items = page.locator("[data-plans] li")
    assert items.count() == 2
    texts = items.all_inner_texts()
    assert any("9 chi bộ thành 4 chi bộ" in t and "dự kiến, lập ngày 11/02/2020" in t
               and "(10 đơn vị sẽ thay đổi)" in t for t in texts)
    assert any("Fold the board offices" in t and "18/06/2018" in t for t in texts)
    page.screenshot(path=str(artefacts / "plans-landing.png"), full_page=True)
