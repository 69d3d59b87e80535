"""The tree layout and the rendering helpers."""

from __future__ import annotations

import json

from viz.chart import unit_href
from viz.layout import column_positions, tree_positions
from viz.render import script_json


def test_parent_is_centred_over_its_children():
    pos = tree_positions("r", {"r": ["a", "b"], "a": ["a1", "a2", "a3"], "b": ["b1"]},
                         leaf_block=4)
    assert pos["r"][0] == 0
    assert pos["a"][0] == (pos["a1"][0] + pos["a3"][0]) / 2
    assert pos["a1"][1] == pos["b1"][1] > pos["a"][1] > pos["r"][1]
    assert len(set(pos.values())) == len(pos)


def test_a_large_fan_of_leaves_is_a_grid():
    kids = [f"c{i}" for i in range(100)]
    pos = tree_positions("r", {"r": kids})
    rows = {pos[k][1] for k in kids}
    cols = {pos[k][0] for k in kids}
    assert len(cols) == 13 and len(rows) == 8 and len(set(pos.values())) == 101


def test_leaves_beside_subtrees_form_a_block():
    tree = {"r": ["l1", "l2", "l3", "l4", "l5", "s"], "s": ["s1", "s2"]}
    pos = tree_positions("r", tree)
    leaf_x = {pos[f"l{i}"][0] for i in range(1, 6)}
    assert len(leaf_x) == 3  # 5 leaves in 3 columns, 2 rows
    assert max(leaf_x) < min(pos["s1"][0], pos["s2"][0])  # the block, then the subtree
    assert len(set(pos.values())) == len(pos)
    few = tree_positions("r", {"r": ["a", "b", "s"], "s": ["s1"]})
    assert few["a"][1] == few["b"][1] == few["s"][1]  # under 4 leaves: one row


def test_deep_trees_do_not_recurse():
    chain = {f"n{i}": [f"n{i + 1}"] for i in range(5000)}
    pos = tree_positions("n0", chain)
    assert pos["n5000"][1] > pos["n0"][1] and len(pos) == 5001


def test_columns():
    pos = column_positions([["a"], ["b", "c"]], x_gap=100, y_gap=50)
    assert pos == {"a": (0, 0), "b": (100, -25), "c": (100, 25)}


def test_script_json_cannot_close_the_script():
    text = script_json({"name": "</script><script>alert(1)</script>&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>&\u2028"


def test_ids_are_percent_encoded_in_hrefs():
    assert unit_href("a/b?c=<d>", at="2019-01-01") == "/viz/units/a%2Fb%3Fc%3D%3Cd%3E?at=2019-01-01"
