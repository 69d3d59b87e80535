"""The page routes through the real app (no browser)."""

from __future__ import annotations

from .conftest import XSS_NAME


def test_landing(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'href="/viz/units/prov?at=2019-01-01"' in r.text  # the top-level unit
    assert 'href="/docs"' in r.text and 'data-api="/search"' in r.text
    assert "Chưa có phương án nào" in r.text
    assert 'name="at" data-dmy value="01/01/2019"' in r.text  # the date control
    assert 'rel="icon"' in r.text and client.get("/static/favicon.svg").status_code == 200
    en = client.get("/", params={"lang": "en"})
    assert "No saved scenario yet" in en.text and 'href="/viz/units/prov?at=2019-01-01&amp;lang=en"' in en.text


def test_dates_typed_day_first_are_accepted(client):
    r = client.get("/viz/units/prov", params={"at": "01/01/2018"})
    assert r.status_code == 200 and 'data-unit="btg"' in r.text
    assert client.get("/viz/units/prov", params={"at": "31/02/2018"}).status_code == 422


def test_timeline_route(client):
    r = client.get("/viz/units/btgdv/timeline")
    assert r.status_code == 200 and "<svg" in r.text and "01/07/2018" in r.text
    assert 'data-event="ev-tgdv"' in r.text and "Hợp nhất" in r.text
    assert client.get("/viz/units/nope/timeline").status_code == 404


def test_landing_search_without_scripts(client):
    r = client.get("/", params={"q": "img"})
    assert "&lt;img src=x onerror=alert(1)&gt;" in r.text and XSS_NAME not in r.text


def test_org_chart_route(client):
    r = client.get("/viz/units/prov", params={"at": "2018-01-01", "depth": ""})
    assert r.status_code == 200
    assert 'data-unit="btg"' in r.text and 'data-unit="btgdv"' not in r.text
    r = client.get("/viz/units/prov")  # default date: the settings' 2019-01-01
    assert 'data-unit="btgdv"' in r.text and 'value="01/01/2019"' in r.text
    assert r.headers["x-content-type-options"] == "nosniff"


def test_errors_are_html_pages(client):
    r = client.get("/viz/units/nope")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "nope" in r.text
    assert client.get("/viz/units/prov", params={"at": "2018-13-01"}).status_code == 422
    assert client.get("/viz/units/prov", params={"depth": "x"}).status_code == 422
    assert client.get("/viz/units/btg", params={"at": "2019-01-01"}).status_code == 404
    assert client.get("/viz/scenarios/nope").status_code == 404
    r = client.get("/viz/units/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert r.status_code == 404 and XSS_NAME not in r.text


def test_lineage_route(client):
    r = client.get("/viz/units/btgdv/lineage")
    assert r.status_code == 200 and 'data-event="ev-tgdv"' in r.text


def test_static_assets_only_from_the_package(client):
    r = client.get("/static/vis-network.min.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    raw = client.get("/static/vis-network.min.js", headers={"Accept-Encoding": "identity"})
    assert len(raw.content) > 400_000
    assert client.get("/static/bomay-viz.css").status_code == 200
    for bad in ("/static/../app.py", "/static/nothing.js", "/static/%2e%2e%2fpages.py"):
        assert client.get(bad).status_code == 404


def test_big_pages_are_gzipped(client, monkeypatch):
    r = client.get("/viz/units/prov", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip" and 'data-unit="tu"' in r.text
    r = client.get("/viz/units/prov", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in r.headers and 'data-unit="tu"' in r.text
    js = client.get("/static/vis-network.min.js", headers={"Accept-Encoding": "gzip"})
    assert js.headers["content-encoding"] == "gzip" and js.text.startswith("/**")


def test_scenario_route(client, v_xss_store):
    from graph.store import StoredScenario
    v_xss_store.save_scenario(StoredScenario(
        id="s1", name="Merge", at="2019-01-01",
        operations=({"op": "merge", "into": "btc", "units": ["xss"]},),
        base_revision=v_xss_store.revision))
    landing = client.get("/")
    assert 'href="/viz/scenarios/s1"' in landing.text
    r = client.get("/viz/scenarios/s1")
    assert r.status_code == 200, r.text
    assert "Ban Tổ chức Tỉnh ủy" in r.text
    assert '<script src="/static/bomay-viz.js">' in r.text  # served, not standalone


def test_children_of_a_unit_as_the_chart_draws_them(tmp_path):
    """What the page adds on expand: boxes with the English name and the post holders."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset
    from pathlib import Path
    store = EmbeddedStore(tmp_path / "seed.db")
    store.replace_dataset(read_dataset(Path(__file__).resolve().parents[2] / "data" / "seed"))
    client = TestClient(create_app(store, Settings(default_at="2018-06-18")))
    r = client.get("/viz/units/p002-tu/children", params={"at": "2018-06-18"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    nodes = {n["id"]: n for n in r.json()["children"]}
    info = nodes["p002-ban-dan-van"]["info"]
    heads = [v for k, v in info if k == "Lãnh đạo"]
    assert heads and all(h.endswith("(Trưởng)") for h in heads), heads
    assert ["Tên tiếng Anh", "Mass Mobilisation Board of the Provincial Party Committee "
            "(province not named in seed 002)"] in info or any(k == "Tên tiếng Anh" and v != "—"
                                                              for k, v in info)
    assert nodes["p002-ban-dan-van"]["group"] == "party_board"
    en = client.get("/viz/units/p002-tu/children", params={"at": "2018-06-18", "lang": "en"})
    assert any(k == "Head" for k, _ in en.json()["children"][0]["info"])
    assert client.get("/viz/units/nope/children").status_code == 404
    store.close()


def test_the_start_page_does_not_wait_on_an_index_being_built(client, monkeypatch):
    """After a start the top-level units wait on the structure index (4 s on a national
    store): the page answers within WARM_WAIT saying so, and reloads itself."""
    import time

    import viz.pages
    real = viz.pages.top_level_units

    def slow(reader, at):
        time.sleep(1.5)
        return real(reader, at)
    monkeypatch.setattr(viz.pages, "top_level_units", slow)
    viz.pages._TOP_CACHE.clear()
    started = time.monotonic()
    r = client.get("/", params={"at": "2019-01-02"})
    assert time.monotonic() - started < 1.3
    assert r.status_code == 200 and r.headers["refresh"] == "3"
    assert "Đang chuẩn bị chỉ mục" in r.text and "/viz/units/prov" not in r.text
    time.sleep(1.5)  # the build went on in the background
    r = client.get("/", params={"at": "2019-01-02"})
    assert "refresh" not in r.headers and 'href="/viz/units/prov?at=2019-01-02"' in r.text


def test_the_english_scenario_page_says_a_dissolved_unit_ends(client, v_xss_store):
    """A dissolved unit ends on the plan's date, its history kept: the English page says
    that it ceases to operate, as the Vietnamese says `chấm dứt hoạt động`, never that it
    is "removed" (which reads as deleted from the data); a unit formed from none "is
    established" (`được thành lập`), not "added"; one unit is "1 unit"."""
    import re

    from graph.store import StoredScenario
    v_xss_store.save_scenario(StoredScenario(
        id="s-end", name="Dissolve", at="2019-01-01",
        operations=({"op": "dissolve", "unit": "hpn", "drop_functions": True},
                    {"op": "establish", "new": [{"id": "tt", "name": "Trung tâm Mẫu",
                                                 "kind": "centre", "level": "province",
                                                 "parent": "ubnd"}]}),
        base_revision=v_xss_store.revision))

    def ended_section(lang: str) -> str:
        r = client.get("/viz/scenarios/s-end", params={"lang": lang})
        assert r.status_code == 200, r.text
        found = re.search(r'<details[^>]*data-changes="removed".*?</details>', r.text, re.S)
        assert found, "no section of the units ended"
        return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()).replace(" )", ")")

    en, vi = ended_section("en"), ended_section("vi")
    assert "Ended (1 unit)" in en and "Hội Liên hiệp Phụ nữ tỉnh ceases to operate" in en, en
    assert "Chấm dứt hoạt động (1 đơn vị)" in vi and \
        "Hội Liên hiệp Phụ nữ tỉnh chấm dứt hoạt động" in vi, vi
    page = client.get("/viz/scenarios/s-end", params={"lang": "en"}).text
    legend = re.search(r'<div class="bv-legend-bar".*?</div>', page, re.S).group(0)
    assert "ceases to operate" in legend
    main = re.search(r"<main.*?</main>", page, re.S).group(0)
    words = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S))
    words = words.replace("per post removed", "")  # an assumption's name: posts are removed
    assert not re.search(r"\bremoved\b", words), "the English page still says 'removed'"
    assert "1 unit ended" in words and "1 unit started" in words
    assert "Trung tâm Mẫu is established" in words and "newly established" in legend
    assert not re.search(r"\badded\b", words), "the English page says 'added'"
