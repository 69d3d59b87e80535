"""The lineage columns and the rendering helpers."""

from __future__ import annotations

import json

from viz.chart import unit_href
from viz.layout import column_positions
from viz.render import script_json


def test_columns():
    pos = column_positions([["a"], ["b", "c"]], x_gap=100, y_gap=50)
    assert pos == {"a": (0, 0), "b": (100, -25), "c": (100, 25)}


def test_script_json_cannot_close_the_script():
    text = script_json({"name": "</script><script>alert(1)</script>&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>&\u2028"


def test_ids_are_percent_encoded_in_hrefs():
    assert unit_href("a/b?c=<d>", at="2019-01-01") == "/viz/units/a%2Fb%3Fc%3D%3Cd%3E?at=2019-01-01"
