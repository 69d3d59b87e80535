"""A scenario page's figures in a real browser, grouped by thousands as its language writes
them (`viz.i18n.fmt_number`, and the page script's `num` for the counts it rewrites):
`1.230` in Vietnamese, `1,230` in English. The scenario: the 29 districts of a province of
30 (40 communes each, 75,000 people) merged into the first, 1,160 communes moved.

Screenshots (1440×900, both languages) go to the `artefacts` folder."""

from __future__ import annotations

import pytest

from tests.viz.test_numbers import AT, DISTRICTS, dataset

from .conftest import serve, wait_drawn

pytestmark = pytest.mark.browser

ALL_INTO_ONE = [{"op": "merge", "into": "d1", "units": [f"d{i}" for i in range(2, DISTRICTS + 1)]}]


@pytest.fixture(scope="module")
def numbers_server(tmp_path_factory):
    from graph.embedded.store import EmbeddedStore
    from graph.scenarios.service import ScenarioService

    store = EmbeddedStore(tmp_path_factory.mktemp("numbers") / "numbers.db")
    store.replace_dataset(dataset())
    saved, _ = ScenarioService(store).create("Sáp nhập các huyện", AT, "", ALL_INTO_ONE)
    for server in serve(store, AT, [saved.id]):
        server.sid = saved.id
        yield server


@pytest.mark.parametrize(("lang", "group"), [("vi", "."), ("en", ",")])
def test_the_scenario_page_shows_grouped_figures(page, numbers_server, artefacts, lang, group):
    def n(value: int, sign: str = "") -> str:
        return f"{value:{sign},}".replace(",", group)
    page.goto(numbers_server.url(f"/viz/scenarios/{numbers_server.sid}?lang={lang}"))
    wait_drawn(page)
    page.screenshot(path=str(artefacts / f"numbers-{lang}.png"))
    figure = {f.get_attribute("data-figure"): f.locator("dd").inner_text()
              for f in page.locator("[data-summary] [data-figure]").all()}
    assert figure["units"] == f"{n(1230)} → {n(1201)} ({n(-29, '+')})"
    assert figure["headcount"] == f"{n(75000)} → {n(75000)} (+0)"
    # the impact tables
    units = page.locator("#bv-t-units tbody tr").first.inner_text().split("\t")
    assert [c.strip() for c in units[1:]] == [n(1230), n(1201), "-29"]
    headcount = page.locator("#bv-t-headcount tbody tr").first.inner_text()
    assert n(75000) in headcount
    # the moved section's count and its "… and N more"
    moved = page.locator('details[data-changes="moved"]')
    assert moved.get_attribute("data-count") == "1160"  # attributes stay plain
    assert f"({n(1160)} " in moved.locator("summary").inner_text()
    moved.locator("summary").click()  # a long section arrives folded
    assert moved.locator("[data-more]").inner_text().startswith(
        "… và 960 đơn vị khác" if lang == "vi" else "… and 960 more units")
    # the charts' headings: how many units are drawn, of how many under the province (the
    # root, which no operation acts on: the figure agrees with the summary's 1.201)
    heading = page.locator("h3", has=page.locator("#bv-count-after")).inner_text()
    assert heading.endswith(f" {n(1201)} " + ("đơn vị dưới gốc" if lang == "vi"
                                               else "units under the root")), heading
    assert "1201" not in heading and "1230" not in page.locator("[data-summary]").inner_text()
