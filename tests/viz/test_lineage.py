"""The lineage builder: time left to right, events as labelled edges."""

from __future__ import annotations

import pytest

from graph.errors import NotFound
from graph.embedded.memory import MemoryGraph
from viz.lineage import build_lineage_chart
from viz.pages import lineage_page

from .conftest import XSS_NAME


@pytest.fixture
def chain(data_dir):
    from loaders import read_dataset
    return MemoryGraph(read_dataset(data_dir / "chain"))


def test_columns_follow_time(chain):
    chart = build_lineage_chart(chain, "c")
    x = {n["id"]: n["x"] for n in chart.nodes}
    assert x["a"] == x["b"] < x["c"] < x["d"] == x["e"]
    assert [t["label"] for t in chart.axis] == ["Trước", "01/07/2018", "01/01/2020"]
    assert all(x[e["from"]] < x[e["to"]] for e in chart.edges)


def test_events_are_labelled_edges(chain):
    chart = build_lineage_chart(chain, "c")
    pairs = {(e["from"], e["to"]): e for e in chart.edges}
    assert set(pairs) == {("a", "c"), ("b", "c"), ("c", "d"), ("c", "e")}
    assert pairs[("a", "c")]["label"] == "01/07/2018 · Hợp nhất\n01-KH/TU"
    assert pairs[("c", "d")]["label"].startswith("01/01/2020 · Chia tách")
    info = dict(pairs[("a", "c")]["info"])
    assert info["Basis"] == "01-KH/TU — Kế hoạch sắp xếp"


def test_nodes_are_the_units_the_query_returns(chain):
    from graph.queries.lineage import lineage
    data = lineage(chain, "d")
    expected = {"d"} | {i["unit"]["id"] for s in ("predecessors", "successors") for i in data[s]}
    chart = build_lineage_chart(chain, "d")
    assert {n["id"] for n in chart.nodes} == expected == {"a", "b", "c", "d"}
    focal = next(n for n in chart.nodes if n["id"] == "d")
    assert focal["borderWidth"] == 4 and focal["href"] is None
    assert next(n for n in chart.nodes if n["id"] == "c")["href"] == "/viz/units/c/lineage"


def test_a_unit_without_lineage(chain):
    chart = build_lineage_chart(chain, "tu")
    assert [n["id"] for n in chart.nodes] == ["tu"] and not chart.edges and not chart.axis
    assert "Không có sự kiện" in chart.notices[0]


def test_unknown_unit(chain):
    with pytest.raises(NotFound):
        build_lineage_chart(chain, "nope")


def test_page_shows_event_text_as_text(v_xss):
    html = lineage_page(v_xss, "btgdv", standalone=False)
    assert "<script>alert(4)" not in html
    assert "&lt;script&gt;alert(4)&lt;/script&gt; hợp nhất" in html
    assert "&lt;b&gt;Kế hoạch&lt;/b&gt;" in html  # the basis document's title
    assert 'href="/viz/units/btgdv"' in html  # to the org chart
    html = lineage_page(v_xss, "xss", standalone=True)
    assert XSS_NAME not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_labels_under_the_dots_are_dark_on_the_white_canvas(chain):
    """A dot's label is drawn under it: a kind's white text (dark fills) would vanish."""
    chart = build_lineage_chart(chain, "c")
    assert chart.nodes and all(n["font"]["color"] == "#212121" for n in chart.nodes)
