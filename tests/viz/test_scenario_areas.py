"""The scenario page's "Area changes" section: the diff's `area_changes` by name (the unit,
its old and new area, the body that brought it along), bounded as the page's other long
lists are, and kept by a committed scenario (`diff_from_dict`) so that its page shows them.

The dataset and plan are those of tests/api/test_diff_area_changes.py: two provinces
consolidated; An Hà's business bloc committee has no peer and moves to the new province
as it is, its three cells with it (inferred, via the committee); the agencies' bloc
committees merge, their cells move under the new one.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

import viz.scenario
from api.app import create_app
from api.settings import Settings
from graph.embedded.memory import MemoryGraph
from graph.embedded.store import EmbeddedStore
from graph.scenarios.apply import apply, new_state
from graph.scenarios.diff import diff
from graph.scenarios.operations import parse_operations
from graph.scenarios.service import ScenarioService
from tests.api.test_diff_area_changes import AT, CONSOLIDATE, dataset
from viz.scenario import Changes, change_sections
from viz.scenario_record import diff_from_dict

DN = "Đảng ủy Khối doanh nghiệp tỉnh An Hà"


@pytest.fixture(scope="module")
def consolidated():
    base = MemoryGraph(dataset(areas=True))
    state, _ = apply(new_state(base, AT), parse_operations([CONSOLIDATE]))
    return base, state, diff(base, state)


def _areas(d, base, state, lang):
    (sec,) = [s for s in change_sections(Changes.of(d), base, state, lang) if s["key"] == "areas"]
    return sec


def test_the_area_changes_section_names_units_areas_and_what_brought_them(consolidated):
    base, state, d = consolidated
    assert len(d.area_changes) == 8
    en = _areas(d, base, state, "en")
    assert en["title"] == "Area changes" and en["count"] == "8 units" and en["items"] == 8
    assert not en["note"]
    lines = [text for _, text in en["lines"]]
    # the new province bears the name of one that ends: it reads as the new one
    assert (f"Chi bộ Công ty 1: area Tỉnh An Hà → Tỉnh Bình Sơn (new) (via {DN})"
            in lines), lines
    assert f"{DN}: area Tỉnh An Hà → Tỉnh Bình Sơn (new); now under Tỉnh ủy Bình Sơn (new)" in lines
    # a cell that moved itself (its committee merged) says its new parent, no "via"
    cell = next(t for t in lines if t.startswith("Chi bộ Sở 1 tỉnh Bình Sơn"))
    assert cell == ("Chi bộ Sở 1 tỉnh Bình Sơn: area Tỉnh Bình Sơn (old) → Tỉnh Bình Sơn (new)"
                    "; now under Đảng ủy Khối cơ quan tỉnh Bình Sơn (new)"), cell
    # names, never the ids of the dataset
    assert not any(re.search(r"\bp[abn](-[a-z0-9]+)*\b", t) for t in lines), lines
    vi = [text for _, text in _areas(d, base, state, "vi")["lines"]]
    assert (f"Chi bộ Công ty 1: địa bàn Tỉnh An Hà → Tỉnh Bình Sơn (mới) (chuyển theo {DN})"
            in vi), vi
    assert _areas(d, base, state, "vi")["title"] == "Thay đổi địa bàn"


def test_a_long_list_shows_the_first_rows_and_how_many_more(consolidated, monkeypatch):
    base, state, d = consolidated
    monkeypatch.setattr(viz.scenario, "TABLE_ROWS", 3)
    en, vi = _areas(d, base, state, "en"), _areas(d, base, state, "vi")
    assert len(en["lines"]) == 3 and en["count"] == "8 units" and en["items"] == 8
    assert en["note"] == "… and 5 more units; the JSON diff (area_changes) lists them all"
    assert vi["note"] == "… và 5 đơn vị khác; bản so sánh JSON (area_changes) liệt kê đầy đủ"


def test_a_kept_diff_reads_back_with_its_area_changes(consolidated):
    _, _, d = consolidated
    back = diff_from_dict(d.to_dict())
    assert back.area_changes == d.area_changes and back == d
    # a diff kept before `area_changes` existed reads back with none
    old = {k: v for k, v in d.to_dict().items() if k != "area_changes"}
    assert diff_from_dict(old).area_changes == ()


def test_a_committed_scenario_page_shows_its_area_changes(tmp_path):
    store = EmbeddedStore(tmp_path / "s.db")
    store.replace_dataset(dataset(areas=True))
    service = ScenarioService(store)
    saved, _ = service.create("Hợp nhất An Hà và Bình Sơn", AT, "", [CONSOLIDATE])
    service.commit(saved.id)
    with TestClient(create_app(store, Settings(default_at=AT))) as c:
        r = c.get(f"/viz/scenarios/{saved.id}", params={"lang": "en"})
    store.close()
    assert r.status_code == 200, r.text
    section = re.search(r'<details[^>]*data-changes="areas"[^>]*>(.*?)</details>', r.text, re.S)
    assert section, "no area changes section on the committed scenario's page"
    assert 'data-count="8"' in section.group(0)
    assert f"Chi bộ Công ty 2: area Tỉnh An Hà → Tỉnh Bình Sơn (new) (via {DN})" in \
        section.group(1)
