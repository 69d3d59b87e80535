"""The API documentation pages work offline in a real browser."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_loads_without_leaving_the_server(page, live_server, tmp_path):
    page.goto(live_server.url("/docs"))
    page.wait_for_selector(".opblock-tag", timeout=20_000)  # the operations are rendered
    assert "/units/{unit_id}" in page.content()
    page.screenshot(path=str(tmp_path / "docs.png"))
    page.watch.assert_clean()
