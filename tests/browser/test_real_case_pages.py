"""The pages of a territorial reform once it is in the record, looked at as a planner does:
tests/data/r_ho_chi_minh with the operations of tests/data/r_ho_chi_minh_plans/reform.yaml
committed as a scenario (Thành phố Hồ Chí Minh + Tỉnh Bình Dương + Tỉnh Bà Rịa - Vũng Tàu ->
Thành phố Hồ Chí Minh on 01/07/2025, the wards arranged, the district level ended), in a
real headless Chromium against the real app on a SQLite file.

Screenshots go to the `artefacts` folder ($BOMAY_ARTEFACTS)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import serve, wait_drawn

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data"
TOKEN = "real-case-browser-token-0123456789"


@pytest.fixture(scope="module")
def hcm_server(tmp_path_factory):
    """r_ho_chi_minh with the reform committed through the API (`POST /scenarios`, then
    `POST /scenarios/{id}/commit`), then served."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset
    from tests.api.real_cases import plan_operations

    store = EmbeddedStore(tmp_path_factory.mktemp("real") / "r_ho_chi_minh.db")
    store.replace_dataset(read_dataset(DATA / "r_ho_chi_minh"))
    ops = plan_operations(DATA / "r_ho_chi_minh_plans" / "reform.yaml")
    app = create_app(store, Settings(default_at="2025-07-01", tokens={"tests": TOKEN}))
    with TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        r = client.post("/scenarios", json={"name": "TP.HCM 2025", "at": "2025-07-01",
                                            "operations": ops})
        assert r.status_code == 201, r.text
        r = client.post(f"/scenarios/{r.json()['id']}/commit", json={})
        assert r.status_code == 200, r.text
    yield from serve(store, "2025-07-01", [])


def boxes_overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_events_of_one_day_are_one_readable_mark_on_the_timeline(page, hcm_server,
                                                                     artefacts, lang):
    """The new Thành ủy was formed on 01/07/2025 by one consolidation and four mergers: five
    labels at one point printed over each other ("Sáp nhập" on "Hợp nhất")."""
    page.goto(hcm_server.url("/viz/units/hcm25-tu/timeline" + ("?lang=en" if lang == "en" else "")))
    page.screenshot(path=str(artefacts / f"real-timeline-hcm25-tu-{lang}.png"), full_page=True)
    rows = page.locator("[data-event]").count()
    assert rows == 5
    marks = page.locator(".bv-timeline g.bv-tl-event")
    assert marks.count() == 1
    assert marks.first.get_attribute("data-events") == "5"
    label = marks.first.locator("text").text_content()
    assert label == ("5 sự kiện: Hợp nhất, Sáp nhập" if lang == "vi"
                     else "5 events: Consolidate, Merge"), label
    # every event's line is in the mark's tooltip
    assert len(marks.first.locator("title").text_content().split("\n")) == 5
    texts = [b for b in (page.locator(".bv-timeline svg text").nth(i).bounding_box()
                         for i in range(page.locator(".bv-timeline svg text").count())) if b]
    event_box = marks.first.locator("text").bounding_box()
    assert sum(boxes_overlap(event_box, b) for b in texts) == 1, "an event label overlaps a label"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_headcount_basis_is_in_the_page_s_language(page, hcm_server, lang):
    page.goto(hcm_server.url("/viz/units/hcm25-tu/timeline" + ("?lang=en" if lang == "en" else "")))
    table = page.locator("table.bv-narrow")
    assert table.locator("tbody tr").all_inner_texts() == [
        "01/07/2025\t90\t" + ("được giao" if lang == "vi" else "approved")]
    figure = page.locator(".bv-timeline svg circle").locator("xpath=..").locator("title")
    assert figure.text_content() == "01/07/2025: 90 (" + ("được giao" if lang == "vi"
                                                          else "approved") + ")"


def test_the_start_page_dates_a_committed_scenario_as_a_date(page, hcm_server, artefacts):
    page.goto(hcm_server.url("/"))
    item = page.locator("li", has_text="TP.HCM 2025")
    text = item.inner_text()
    page.screenshot(path=str(artefacts / "real-landing.png"), full_page=True)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", text), f"a raw timestamp: {text}"
    assert re.search(r"tại ngày 01/07/2025 · đã áp dụng \d{2}/\d{2}/\d{4}$", text), text


@pytest.mark.parametrize("width", [1440, 768])
@pytest.mark.parametrize(("unit", "drawn"), [("hcm25-tu", 9), ("hcm25", 12)])
def test_the_charts_of_the_new_city_show_every_unit_they_draw(page, hcm_server, artefacts,
                                                              width, unit, drawn):
    """The new Thành ủy over a list of eight (its two boards, the wards' Party committees,
    the special zone's), the new city over a list of eleven (its five bodies, its wards and
    the special zone): at full size the list ran under the chart's bottom edge (the last
    one, or five), the header saying every unit shown. The city's list is two columns."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(hcm_server.url(f"/viz/units/{unit}?at=2025-07-01"))
    wait_drawn(page)
    page.screenshot(path=str(artefacts / f"real-orgchart-{unit}-{width}.png"))
    cut = page.evaluate("""() => {
        const entry = window.bomay.charts.main, net = entry.network;
        const box = document.querySelector('[data-chart="main"]').getBoundingClientRect();
        return entry.nodes.getIds().filter(id => {
            const b = net.getBoundingBox(id);
            const top = net.canvasToDOM({x: b.left, y: b.top});
            const bottom = net.canvasToDOM({x: b.right, y: b.bottom});
            return top.y < 0 || bottom.y > box.height || top.x < 0 || bottom.x > box.width;
        });
    }""")
    assert page.evaluate("window.bomay.charts.main.nodes.length") == drawn
    assert cut == [], f"units outside the first view: {cut}"
    assert page.locator("h1 + .bv-sub").inner_text().endswith(
        f"{drawn} đơn vị đang hiển thị")
    assert page.evaluate("window.bomay.charts.main.network.getScale()") >= 0.8  # legible


def test_the_lineage_shows_its_dates_over_the_columns(page, hcm_server, artefacts):
    """Seven predecessors in a column: taller than the box at the smallest legible scale;
    centred, the view cut both the dates over the columns and the last predecessor."""
    page.goto(hcm_server.url("/viz/units/hcm25-tu/lineage"))
    wait_drawn(page)
    page.screenshot(path=str(artefacts / "real-lineage-hcm25-tu.png"))
    axis = page.evaluate("""() => {
        const entry = window.bomay.charts.main, net = entry.network;
        const ys = entry.nodes.get().map(n => n.y);
        const p = net.canvasToDOM({x: 0, y: Math.min(...ys) - 70 - 14});
        return {y: p.y, labels: entry.chart.axis.map(t => t.label)};
    }""")
    assert axis["labels"] == ["Trước", "01/07/2025"]
    assert axis["y"] >= 0, "the dates over the columns are above the chart's top edge"
    top = page.evaluate("""() => {
        const net = window.bomay.charts.main.network;
        return net.canvasToDOM(net.getPosition('hcm-q1-tu')).y;
    }""")
    assert top > 0


@pytest.mark.parametrize("path", ["/?at=2025-06-30", "/viz/units/hcm25?at=2025-07-01"])
def test_no_date_slider_that_cannot_move(page, hcm_server, path):
    """The record's one change date is 01/07/2025: a slider of one stop cannot move, and
    it said 30/06/2025 beside a stop that is 01/07/2025."""
    page.goto(hcm_server.url(path))
    assert page.locator("[data-dateform] input[type=range]").count() == 0
    assert page.locator("[data-dateform] input[name=at]").count() == 1



@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_start_page_without_scenarios_names_the_commands_as_code(page, tmp_path, lang):
    """The dataset alone (no scenario saved): the hint was written with Markdown backticks
    ("xem `bomay scenario`"), shown as they are."""
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset
    store = EmbeddedStore(tmp_path / "r_hai_phong.db")
    store.replace_dataset(read_dataset(DATA / "r_hai_phong"))
    for server in serve(store, "2025-06-30", []):
        page.goto(server.url("/" + ("?lang=en" if lang == "en" else "")))
        hint = page.locator("[data-no-scenario]")
        assert "`" not in hint.inner_text()
        assert hint.locator("code").all_inner_texts() == ["bomay scenario", "POST /scenarios"]
        assert hint.inner_text() == ("Chưa có phương án nào (xem bomay scenario hoặc POST /scenarios)."
                                     if lang == "vi" else
                                     "No saved scenario yet (see bomay scenario or POST /scenarios).")


@pytest.fixture(scope="module")
def hcm_plan_server(tmp_path_factory):
    """r_ho_chi_minh with its reform.yaml as the dataset's plan (plans/, the table in
    plans/tables/), as tests/browser/test_reform_pages.py keeps Tuyên Quang's."""
    import shutil

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


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_warnings_set_column_and_option_names_as_code(page, hcm_plan_server, artefacts,
                                                          lang):
    """The bodies with no `area` (the city's Party boards): the warning told the planner to
    "ghi `area` trong units.csv ... hoặc `bodies: keep`", backticks and all."""
    page.goto(hcm_plan_server.url("/viz/scenarios/reform" + ("?lang=en" if lang == "en" else "")))
    wait_drawn(page)
    page.evaluate("() => document.querySelectorAll('main details').forEach(d => { d.open = true; })")
    title = "Lưu ý" if lang == "vi" else "Warnings"
    section = page.locator(".bv-impact-tables section", has=page.locator(f"h3:text-is('{title}')"))
    section.screenshot(path=str(artefacts / f"real-warnings-{lang}.png"))
    rows = section.locator("tbody tr").all_inner_texts()
    assert rows and not [r for r in rows if "`" in r], rows
    (row,) = section.locator("tbody tr", has_text="units.csv").all()
    assert row.locator("code").all_inner_texts() == (
        ["area", "area", "bodies: keep"] if lang == "vi" else ["area", "bodies: keep"])


@pytest.mark.parametrize("view", ["timeline", "lineage"])
def test_an_event_without_basis_says_so(page, tmp_path, artefacts, view):
    """Hải Phòng's plan ends the district level with no basis document: its four mergers
    into the new Thành ủy had an empty Basis cell, as if not yet loaded."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset
    from tests.api.real_cases import plan_operations

    store = EmbeddedStore(tmp_path / "r_hai_phong.db")
    store.replace_dataset(read_dataset(DATA / "r_hai_phong"))
    ops = plan_operations(DATA / "r_hai_phong_plans" / "reform.yaml")
    app = create_app(store, Settings(default_at="2025-07-01", tokens={"tests": TOKEN}))
    with TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        sid = client.post("/scenarios", json={"name": "HP 2025", "at": "2025-07-01",
                                              "operations": ops}).json()["id"]
        assert client.post(f"/scenarios/{sid}/commit", json={}).status_code == 200
    for server in serve(store, "2025-07-01", []):
        page.goto(server.url(f"/viz/units/hp25-tu/{view}"))
        page.screenshot(path=str(artefacts / f"real-{view}-hp25-tu.png"), full_page=True)
        cells = page.locator("tr[data-event] td:nth-child(5)").all_inner_texts()
        assert len(cells) == 5
        assert sorted(cells)[0].startswith("202/2025/QH15")
        assert sorted(cells)[1:] == ["—"] * 4, cells


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_former_name_searched_after_the_reform_leads_to_the_old_unit(page, hcm_server,
                                                                       artefacts, lang):
    """"Bình Dương" on 01/07/2025, the day the province was consolidated into the new
    city: 0 results and nothing more. Now the units that bore it on another date, each with
    the day it ended, its chart on its last day and its lineage."""
    page.goto(hcm_server.url("/?q=B%C3%ACnh%20D%C6%B0%C6%A1ng&at=2025-07-01"
                             + ("&lang=en" if lang == "en" else "")))
    page.screenshot(path=str(artefacts / f"real-search-former-{lang}.png"), full_page=True)
    assert page.locator("#bv-search-results li").count() == 0
    other = page.locator("[data-other-dates] li")
    lines = other.all_inner_texts()
    assert len(lines) == 9, lines
    province = other.filter(has=page.locator("a", has_text="Tỉnh Bình Dương")).first
    assert ("kết thúc ngày 01/07/2025" if lang == "vi" else "ended on 01/07/2025") \
        in province.inner_text()
    chart, lineage = (a.get_attribute("href") for a in province.locator("a").all())
    assert chart.startswith("/viz/units/bd?at=2025-06-30"), chart
    assert lineage.startswith("/viz/units/bd/lineage"), lineage
    page.goto(hcm_server.url(chart))
    wait_drawn(page)
    assert page.locator("h1").inner_text() == "Tỉnh Bình Dương"
    assert page.locator("#bv-at").inner_text() == "30/06/2025"


def test_a_name_found_on_its_date_lists_no_other_dates(page, hcm_server):
    page.goto(hcm_server.url("/?q=B%C3%ACnh%20D%C6%B0%C6%A1ng&at=2025-06-30"))
    assert page.locator("#bv-search-results li").count() > 0
    assert page.locator("[data-other-dates]").count() == 0
