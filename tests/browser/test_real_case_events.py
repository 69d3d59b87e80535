"""Events on the pages of a territorial reform in the record, in the page's language:
tests/data/r_ho_chi_minh with its reform committed as a scenario (the engine records each
event with an English working note of ids, "merge (sáp nhập): hcm-q1-tu absorbed into
hcm25-tu."), and tests/data/r_bac_ninh, whose events.csv has descriptions its author wrote.

Screenshots go to the `artefacts` folder ($BOMAY_ARTEFACTS)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import serve, wait_drawn

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data"
TOKEN = "real-case-events-token-0123456789"
RAW = re.compile(r"\b(hcm|bd|vt)[\w-]*-\w+|absorbed|\bmerge\b|sáp nhập\)")


def committed(tmp_path_factory, case: str, at: str):
    """`case` with its reform.yaml committed through the API, then served."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset
    from tests.api.real_cases import plan_operations

    store = EmbeddedStore(tmp_path_factory.mktemp("events") / f"{case}.db")
    store.replace_dataset(read_dataset(DATA / case))
    ops = plan_operations(DATA / f"{case}_plans" / "reform.yaml")
    app = create_app(store, Settings(default_at=at, tokens={"tests": TOKEN}))
    with TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        r = client.post("/scenarios", json={"name": case, "at": at, "operations": ops})
        assert r.status_code == 201, r.text
        r = client.post(f"/scenarios/{r.json()['id']}/commit", json={})
        assert r.status_code == 200, r.text
    yield from serve(store, at, [])


@pytest.fixture(scope="module")
def hcm_server(tmp_path_factory):
    yield from committed(tmp_path_factory, "r_ho_chi_minh", "2025-07-01")


EXPECTED = {
    "vi": ["Hợp nhất Tỉnh ủy Bình Dương, Tỉnh ủy Bà Rịa - Vũng Tàu và Thành ủy Thành phố Hồ "
           "Chí Minh thành Thành ủy Thành phố Hồ Chí Minh",
           "Sáp nhập Quận ủy Quận 1 vào Thành ủy Thành phố Hồ Chí Minh"],
    "en": ["Tỉnh ủy Bình Dương, Tỉnh ủy Bà Rịa - Vũng Tàu and Thành ủy Thành phố Hồ Chí Minh "
           "consolidated into Thành ủy Thành phố Hồ Chí Minh",
           "Quận ủy Quận 1 merged into Thành ủy Thành phố Hồ Chí Minh"],
}


@pytest.mark.parametrize("view", ["timeline", "lineage"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_engine_event_is_told_in_the_page_s_language(page, hcm_server, artefacts, lang,
                                                        view):
    """The new Thành ủy's five events: the Description column read "merge (sáp nhập):
    hcm-q1-tu absorbed into hcm25-tu." on the Vietnamese page."""
    page.goto(hcm_server.url(f"/viz/units/hcm25-tu/{view}" + ("?lang=en" if lang == "en" else "")))
    page.screenshot(path=str(artefacts / f"events-{view}-hcm25-tu-{lang}.png"), full_page=True)
    cells = page.locator("tr[data-event] td:last-child").all_inner_texts()
    assert len(cells) == 5, cells
    assert not [c for c in cells if RAW.search(c)], cells
    for sentence in EXPECTED[lang]:
        assert sentence in cells, cells
    # the engine's note stays at hand, as a tooltip
    assert page.locator("tr[data-event] td[data-generated]").count() == 5
    if view == "lineage":
        wait_drawn(page)
        info = page.evaluate("""() => window.bomay.charts.main.chart.edges
            .filter(e => e.event && e.info).map(e => e.info)""")
        described = [row[1] for rows in info for row in rows
                     if row[0] in ("Mô tả", "Description")]
        assert described and not [d for d in described if RAW.search(d)], described


def test_an_author_s_description_is_shown_as_written(page, tmp_path, artefacts):
    """Bắc Ninh's events.csv: "Hợp nhất Ban Tuyên giáo Tỉnh ủy và Ban Dân vận Tỉnh ủy Bắc
    Giang", written by the dataset's author, is the page's text in either language."""
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset
    store = EmbeddedStore(tmp_path / "r_bac_ninh.db")
    store.replace_dataset(read_dataset(DATA / "r_bac_ninh"))
    for server in serve(store, "2025-03-01", []):
        for lang in ("vi", "en"):
            page.goto(server.url("/viz/units/bg-btgdv/timeline" + ("?lang=en" if lang == "en" else "")))
            page.screenshot(path=str(artefacts / f"events-author-{lang}.png"), full_page=True)
            row = page.locator("tr[data-event='bg-ev-tgdv']")
            assert row.locator("td:last-child").inner_text() == \
                "Hợp nhất Ban Tuyên giáo Tỉnh ủy và Ban Dân vận Tỉnh ủy Bắc Giang"
            assert row.locator("td[data-generated]").count() == 0
