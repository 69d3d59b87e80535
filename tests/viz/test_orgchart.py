"""The org chart builder (pure) and its page (HTML level)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from viz.orgchart import build_org_chart, count_tree, subtree_of
from viz.pages import org_chart_page
from viz.style import EDGE_DASHES, kind_colour, text_colour

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


def test_page_shows_data_strings_as_text_only(v_xss):
    html = org_chart_page(v_xss, "prov", AFTER, standalone=False)
    assert XSS_NAME not in html  # never raw markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # escaped in the unit list
    assert "<iframe" not in html and "<svg" not in html
    data = chart_data(html)
    assert "\\u003cimg" in html  # JSON in the script escapes < >
    names = {n["label"] for n in data["charts"]["main"]["nodes"]}
    assert XSS_NAME in names  # ...and decodes to the literal name
    # the only scripts are the JSON block and our own assets (no inline script: the CSP
    # header of the API forbids them)
    assert re.findall(r"<script[^>]*>", html) == [
        '<script type="application/json" id="bv-data">',
        '<script src="/static/vis-network.min.js">', '<script src="/static/bomay-viz.js">']


def test_standalone_page_inlines_every_asset(v_xss):
    html = org_chart_page(v_xss, "prov", AFTER, standalone=True)
    assert "<script src" not in html and '<link rel="stylesheet"' not in html
    assert "vis-network" in html and "new vis.Network" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert '<form method="get"' not in html  # no server to reload from
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


def test_built_through_pyvis(v_xss):
    from pyvis.network import Network
    chart = build_org_chart(v_xss, "prov", AFTER)
    assert isinstance(chart.network, Network)
    assert chart.nodes is chart.network.nodes and chart.edges is chart.network.edges
    html = chart.network.generate_html()  # pyvis's own API, our offline template
    assert "new vis.Network" in html and "jsdelivr" not in html and "cdnjs" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_nodes_say_parent_level_and_children(v_xss):
    chart = build_org_chart(v_xss, "prov", AFTER, depth=1)
    nodes = {n["id"]: n for n in chart.nodes}
    assert nodes["prov"]["parent"] is None and nodes["prov"]["level"] == 0
    assert nodes["tu"]["parent"] == "prov" and nodes["tu"]["level"] == 1
    assert nodes["tu"]["cc"] == 3 and nodes["tu"]["sent"] is False  # fetched on demand
    assert nodes["hpn"]["cc"] == 0


def test_colour_by_kind_words_and_legend(v_xss):
    chart = build_org_chart(v_xss, "prov", AFTER)
    nodes = {n["id"]: n for n in chart.nodes}
    groups = chart.options["groups"]
    assert nodes["tu"]["group"] == "party_committee" and nodes["ubnd"]["group"] == "government"
    fill = kind_colour("party_committee")
    assert groups["party_committee"]["color"]["background"] == fill
    assert groups["party_committee"]["font"]["color"] == text_colour(fill)
    assert "mass_org" in groups  # every kind: units fetched later are coloured too
    assert nodes["tu"]["shapeProperties"]["borderDashes"]  # headcount unknown
    assert nodes["btgdv"]["hc"] == 22
    labels = [item.label for item in chart.legend]
    assert "Cấp ủy đảng" in labels and "Ủy ban nhân dân" in labels
    english = [i.label for i in build_org_chart(v_xss, "prov", AFTER, lang="en").legend]
    assert "Party committee" in english and "party_committee" not in english


def test_tooltip_rows_in_both_languages(v_xss):
    chart = build_org_chart(v_xss, "prov", AFTER, lang="en")
    info = {n["id"]: dict((k, v) for k, v in n["info"]) for n in chart.nodes}
    assert info["tu"]["Name"] == "Tỉnh ủy Mẫu"
    assert info["tu"]["English name"] == "Sample Provincial Party Committee"
    assert info["tu"]["Kind"] == "Party committee"
    assert info["tu"]["Headcount"] == "unknown"
    assert info["tu"]["Head"] == "Nguyễn Văn Mẫu (Secretary)"
    assert info["xss"]["Name"] == XSS_NAME
    assert info["ckhoi"]["Serves"]
    vi = {n["id"]: dict((k, v) for k, v in n["info"]) for n in build_org_chart(v_xss, "prov", AFTER).nodes}
    assert vi["tu"]["Loại"] == "Cấp ủy đảng" and vi["tu"]["Lãnh đạo"] == "Nguyễn Văn Mẫu (Bí thư)"


def test_links_open_the_unit_chart_on_the_same_date(v_xss):
    nodes = {n["id"]: n for n in build_org_chart(v_xss, "prov", AFTER).nodes}
    assert nodes["tu"]["href"] == "/viz/units/tu?at=2019-01-01"


def test_served_page_sends_the_first_levels_only():
    from viz.orgchart import SERVED_NODES
    graph = wide_tree((40, 80))  # 1 + 40 + 3200 units
    html = org_chart_page(graph, "r", None, standalone=False)
    nodes = chart_data(html)["charts"]["main"]["nodes"]
    assert len(nodes) == 41 < SERVED_NODES
    assert all(n["cc"] == 80 for n in nodes if n["level"] == 1)
    standalone = build_org_chart(graph, "r", None, max_nodes=5000)
    assert len(standalone.nodes) == 3241


def test_cross_links_start_hidden(v_xss):
    chart = build_org_chart(v_xss, "prov", AFTER)
    cross = [e for e in chart.edges if e["type"] in ("SERVES", "GUIDED_BY")]
    assert cross and all(e["hidden"] for e in cross)


def test_page_has_the_controls(v_xss):
    html = org_chart_page(v_xss, "tu", AFTER, standalone=False)
    assert 'name="at" data-dmy value="01/01/2019"' in html  # dd/mm/yyyy
    assert "data-png=\"main\"" in html and "data-svg=\"main\"" in html
    assert 'href="/viz/units/prov?at=2019-01-01"' in html  # up to the parent
    assert 'href="/viz/units/tu/lineage"' in html and 'href="/viz/units/tu/timeline"' in html
    assert "Chú giải" in html and 'lang="vi"' in html
    en = org_chart_page(v_xss, "tu", AFTER, standalone=False, lang="en")
    assert "Legend" in en and 'lang="en"' in en and "Party committee" in en


def test_long_names_are_shortened_on_the_canvas_only():
    from viz.orgchart import short_label
    name = "Cơ quan tham mưu, giúp việc chung Khối Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội thành phố"
    label = short_label(name)
    assert label.endswith("…") and len(label) <= 60 and name.startswith(label[:-1])
