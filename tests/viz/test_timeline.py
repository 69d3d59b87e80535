"""`viz.timeline`: a unit's names over time on its timeline (names.csv), on real data
(tests/data/t_names: Xã Đông Thành renamed Thị trấn Đông Hòa on 2020-01-01)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from graph.embedded.memory import MemoryGraph
from loaders import read_dataset
from viz.pages import timeline_page
from viz.timeline import build_timeline

DATA = Path(__file__).resolve().parents[1] / "data"


def test_the_name_lane_shows_each_name_over_its_period():
    reader = MemoryGraph(read_dataset(DATA / "t_names"))
    tl = build_timeline(reader, "pa-d2-c2", today=dt.date(2026, 1, 1))
    names = tl["lanes"][0]["items"]
    assert [(n["text"], n["cls"]) for n in names] == [("Xã Đông Thành", "former"),
                                                     ("Thị trấn Đông Hòa", "life")]
    former, current = names
    assert former["x"] + former["w"] == current["x"]  # the rename's day, no gap, no overlap
    assert "01/01/2020" in former["title"] and "01/01/2020" in current["title"]
    assert not current["open_start"] and current["open_end"]
    # the axis covers the former name's period
    assert tl["ticks"][0]["label"] == "2010"


def test_a_unit_never_renamed_has_one_name_over_its_life():
    reader = MemoryGraph(read_dataset(DATA / "t_names"))
    tl = build_timeline(reader, "pa-d2-c3", today=dt.date(2026, 1, 1))
    assert [n["cls"] for n in tl["lanes"][0]["items"]] == ["life"]


def test_the_page_draws_both_names():
    reader = MemoryGraph(read_dataset(DATA / "t_names"))
    html = timeline_page(reader, "pa-d2-c2", standalone=True)
    assert 'class="bv-tl-former"' in html and "Xã Đông Thành" in html
    assert html.index("Xã Đông Thành") < html.index("Thị trấn Đông Hòa", html.index("<svg"))
