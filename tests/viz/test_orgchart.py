"""The org chart builder (pure) and its page (HTML level)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from viz.orgchart import build_org_chart, count_tree, subtree_of
from viz.pages import org_chart_page
from viz.style import EDGE_DASHES, kind_colour

from .conftest import XSS_NAME, wide_tree

BEFORE = dt.date(2018, 1, 1)
AFTER = dt.date(2019, 1, 1)


def chart_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="bv-data">(.*?)</script>', html, re.S)
    assert m, "the page embeds its data"
    return json.loads(m.group(1))


def test_nodes_are_the_units_of_the_subtree(v_xss):
    chart = build_org_chart(v_xss, "prov", AFTER)
    tree = subtree_of(v_xss, "prov", AFTER)
    ids = {n["id"] for n in chart.nodes}
    assert len(chart.nodes) == count_tree(tree) == 10
    assert "btgdv" in ids and "btg" not in ids and "bdv" not in ids
    before = build_org_chart(v_xss, "prov", BEFORE)
    assert {n["id"] for n in before.nodes} - ids == {"btg", "bdv"}


def test_depth_limits_the_levels(v_xss):
    chart = build_org_chart(v_xss, "prov", AFTER, depth=1)
    assert {n["id"] for n in chart.unit_nodes} == {"prov", "tu", "ubnd", "mttq", "ckhoi", "hpn"}


def test_colour_by_kind_size_by_headcount_and_legend(v_xss):
    chart = build_org_chart(v_xss, "prov", AFTER)
    nodes = {n["id"]: n for n in chart.nodes}
    groups = chart.options["groups"]
    assert nodes["tu"]["group"] == "party_committee" and nodes["ubnd"]["group"] == "government"
    assert groups["party_committee"]["color"]["background"] == kind_colour("party_committee")
    assert groups["government"]["color"]["background"] == kind_colour("government")
    assert nodes["tu"]["shapeProperties"]["borderDashes"]  # headcount unknown
    assert "shapeProperties" not in nodes["btgdv"]
    assert nodes["btgdv"]["headcount"] == 22
    assert nodes["btgdv"]["size"] > nodes["xss"]["size"] > nodes["tu"]["size"]
    assert nodes["tu"]["headcount"] is None
    labels = [item.label for item in chart.legend]
    assert "Party committee" in labels and "People's Committee (government)" in labels
    assert {"part of (solid)", "serves (dashed)", "guided by (dotted)"} <= set(labels)


def test_edge_styles_by_relation_type(v_xss):
    chart = build_org_chart(v_xss, "prov", AFTER)
    by_type = {}
    for e in chart.edges:
        by_type.setdefault(e["type"], []).append(e)
    assert all("dashes" not in e for e in by_type["PART_OF"])  # the default: solid
    assert "dashes" not in chart.options["edges"]
    assert [(e["from"], e["to"]) for e in by_type["SERVES"]] == [("ckhoi", "hpn"), ("ckhoi", "mttq")]
    assert by_type["SERVES"][0]["dashes"] == EDGE_DASHES["SERVES"]
    assert by_type["GUIDED_BY"][0]["dashes"] == EDGE_DASHES["GUIDED_BY"]
    assert EDGE_DASHES["SERVES"] != EDGE_DASHES["GUIDED_BY"]
    # PART_OF edges run from parent to child: one per non-root node
    assert len(by_type["PART_OF"]) == len(chart.nodes) - 1


def test_tooltip_rows(v_xss):
    chart = build_org_chart(v_xss, "prov", AFTER)
    info = {n["id"]: dict((k, v) for k, v in n["info"]) for n in chart.nodes}
    assert info["tu"]["Name"] == "Tỉnh ủy Mẫu"
    assert info["tu"]["English name"] == "Sample Provincial Party Committee"
    assert info["tu"]["Kind"].startswith("Party committee")
    assert info["tu"]["Headcount"] == "unknown"
    assert info["tu"]["Head"] == "Nguyễn Văn Mẫu (secretary)"
    assert info["btgdv"]["Headcount"] == "22"
    assert info["xss"]["Name"] == XSS_NAME
    assert info["ckhoi"]["Serves"]  # a cross relation is listed in the tooltip


def test_positions_top_down_and_distinct(v_xss):
    chart = build_org_chart(v_xss, "prov", AFTER)
    pos = {n["id"]: (n["x"], n["y"]) for n in chart.nodes}
    assert len(set(pos.values())) == len(pos)
    assert pos["prov"][1] < pos["tu"][1] < pos["btc"][1]
    assert chart.options["physics"]["enabled"] is False


def test_clicks_open_the_chart_of_the_unit_with_the_same_date(v_xss):
    chart = build_org_chart(v_xss, "prov", AFTER, depth=3)
    nodes = {n["id"]: n for n in chart.nodes}
    assert nodes["prov"]["href"] is None
    assert nodes["tu"]["href"] == "/viz/units/tu?at=2019-01-01&depth=3"


def test_big_chart_collapses_deeper_levels_into_clusters():
    graph = wide_tree((40, 80))  # 1 + 40 + 3200 units
    chart = build_org_chart(graph, "r", None, max_nodes=2500)
    units = chart.unit_nodes
    clusters = [n for n in chart.nodes if n.get("cluster")]
    assert len(units) == 41 and len(clusters) == 40
    assert chart.meta["drawn"] == 41 and chart.meta["collapsed"] == 3200
    assert all(c["collapsed"] == 80 and c["label"] == "+80 units" for c in clusters)
    assert clusters[0]["href"].startswith("/viz/units/r.")
    assert chart.notices and "41 units are drawn (down to level 1)" in chart.notices[0]
    assert "the 3200 units directly below them" in chart.notices[0]
    assert "40 cluster nodes" in chart.notices[0]


def test_a_big_chart_reads_only_the_levels_it_draws():
    graph = wide_tree((30, 30, 30))  # 27 931 units

    class Counting:
        def __init__(self, inner):
            self.inner, self.calls = inner, 0

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def children(self, unit_id, at):
            self.calls += 1
            return self.inner.children(unit_id, at)

    reader = Counting(graph)
    chart = build_org_chart(reader, "r", None, max_nodes=1000)
    assert len(chart.unit_nodes) == 931  # levels 0-2; level 3 (27 000) collapsed
    assert reader.calls < 3 * 931  # never walked the 27 000 units of level 3


def test_a_full_tree_given_by_the_caller_is_cut_the_same_way():
    graph = wide_tree((40, 80))
    tree = subtree_of(graph, "r", None)
    chart = build_org_chart(graph, "r", None, max_nodes=2500, tree=tree)
    assert len(chart.unit_nodes) == 41 and chart.meta["clusters"] == 40
    assert any(item.shape == "cluster" for item in chart.legend)


def test_small_chart_is_not_collapsed():
    chart = build_org_chart(wide_tree((10, 10)), "r", None)
    assert len(chart.nodes) == 111 and not chart.notices and chart.meta["clusters"] == 0
    assert chart.meta["drawn"] == 111


def test_too_many_direct_children_keeps_the_first_ones():
    chart = build_org_chart(wide_tree((30,)), "r", None, max_nodes=10)
    clusters = [n for n in chart.nodes if n.get("cluster")]
    assert len(chart.unit_nodes) == 10
    assert len(clusters) == 1 and clusters[0]["label"] == "+21 more units"
    assert clusters[0]["href"] is None  # it stands under the root itself


def test_positions_of_a_large_fan_are_wrapped():
    chart = build_org_chart(wide_tree((1000,)), "r", None)
    xs = {n["x"] for n in chart.nodes}
    ys = {n["y"] for n in chart.nodes}
    assert len(ys) > 5  # leaves wrapped into rows
    assert max(xs) - min(xs) < 200 * 100  # far narrower than one row of 1000


def test_page_shows_data_strings_as_text_only(v_xss):
    html = org_chart_page(v_xss, "prov", AFTER, standalone=False)
    assert XSS_NAME not in html  # never raw markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # escaped in the unit list
    assert "<iframe" not in html and "<svg" not in html
    data = chart_data(html)
    assert "\\u003cimg" in html  # JSON in the script escapes < >
    names = {n["label"] for n in data["charts"]["main"]["nodes"]}
    assert XSS_NAME in names  # ...and decodes to the literal name
    # the only scripts are the JSON block and our own assets
    assert re.findall(r"<script[^>]*>", html) == [
        '<script type="application/json" id="bv-data">',
        '<script src="/static/vis-network.min.js">', '<script src="/static/bomay-viz.js">']


def test_page_has_the_controls(v_xss):
    html = org_chart_page(v_xss, "tu", AFTER, standalone=False)
    assert 'type="date" name="at" value="2019-01-01"' in html
    assert "data-png=\"main\"" in html and "Download PNG" in html
    assert 'href="/viz/units/prov?at=2019-01-01"' in html  # up to the parent
    assert 'href="/viz/units/tu/lineage"' in html
    assert "Legend" in html


def test_standalone_page_inlines_every_asset(v_xss):
    html = org_chart_page(v_xss, "prov", AFTER, standalone=True)
    assert "<script src" not in html and "<link" not in html
    assert "vis-network" in html and "new vis.Network" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert 'type="date"' not in html  # no server to reload from
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src &#39;none&#39;" in csp and "&#39;self&#39;" not in csp.split("img-src")[0]
    assert "connect-src &#39;none&#39;" in csp


def test_csp_hashes_match_the_inline_scripts(v_xss):
    import base64
    import hashlib
    html = org_chart_page(v_xss, "prov", AFTER, standalone=True)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    csp = csp.replace("&#39;", "'")
    for body in re.findall(r"<script>(.*?)</script>", html, re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    for body in re.findall(r"<style>(.*?)</style>", html, re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_unknown_unit_is_not_found(v_xss):
    from graph.errors import NotFound
    with pytest.raises(NotFound):
        build_org_chart(v_xss, "nope", AFTER)
    with pytest.raises(NotFound):  # btg ended in 2018
        build_org_chart(v_xss, "btg", AFTER)


def test_units_below_the_depth_limit_show_as_stubs(v_xss):
    chart = build_org_chart(v_xss, "prov", AFTER, depth=1)
    stubs = {n["parent"]: n for n in chart.nodes if n.get("cluster")}
    assert set(stubs) == {"tu", "ubnd"}
    assert stubs["tu"]["label"] == "+3 below" and stubs["tu"]["depth_cut"]
    assert stubs["tu"]["href"] == "/viz/units/tu?at=2019-01-01&depth=1"
    assert chart.notices and "4 units directly below are not drawn" in chart.notices[0]


def test_long_names_are_shortened_on_the_canvas_only():
    from viz.orgchart import short_label
    name = "Chi bộ trực thuộc số 1 (trước sắp xếp, không nêu tên) – Đảng bộ Cơ quan khối MTTQ"
    label = short_label(name)
    assert label.endswith("…") and len(label) <= 44 and name.startswith(label[:-1])
    assert short_label("Ban Tổ chức") == "Ban Tổ chức"


def test_many_cross_links_start_hidden():
    from graph.model import Dataset, Relation, Unit
    from graph.embedded.memory import MemoryGraph
    units = [Unit(id="r", name="R", kind="province", level="province"),
             Unit(id="g", name="G", kind="department", level="province")]
    rels = [Relation("g", "PART_OF", "r")]
    for i in range(400):
        units.append(Unit(id=f"u{i}", name=f"U{i}", kind="department", level="province"))
        rels += [Relation(f"u{i}", "PART_OF", "r"), Relation(f"u{i}", "GUIDED_BY", "g")]
    chart = build_org_chart(MemoryGraph(Dataset(units=tuple(units), relations=tuple(rels))),
                            "r", None)
    cross = [e for e in chart.edges if e["type"] == "GUIDED_BY"]
    assert len(cross) == 400 and all(e["hidden"] for e in cross)
    assert chart.meta["cross_hidden"] and "400 serves and guided-by links" in chart.notices[-1]
    small = build_org_chart(MemoryGraph(Dataset(units=tuple(units[:12]),
                                                 relations=tuple(rels[:21]))), "r", None)
    assert not small.meta["cross_hidden"]
    assert not any(e.get("hidden") for e in small.edges)
