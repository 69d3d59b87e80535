"""Scenario before/after: statuses from the diff (read tolerantly) or from the states."""

from __future__ import annotations

import re

import dataclasses
import datetime as dt

import pytest

from graph.dates import PartialDate
from graph.embedded.memory import MemoryGraph
from graph.model import Relation, Unit
from viz.pages import scenario_page
from viz.scenario import (build_scenario_charts, complete_changes, impact_rows, impact_summary,
                          read_diff, scenario_root)

AT = dt.date(2019, 1, 1)


@pytest.fixture
def states(v_xss_dataset):
    """After: xss ends (merged into btc), snv moves under tu, hpn renamed, `new` added."""
    base = v_xss_dataset
    on = PartialDate(2019, 1, 1)
    units = []
    for u in base.units:
        if u.id == "xss":
            u = dataclasses.replace(u, valid_to=on)
        if u.id == "hpn":
            u = dataclasses.replace(u, name="Hội Phụ nữ <b>mới</b>")
        units.append(u)
    units.append(Unit(id="new", name="Trung tâm mới", kind="centre", level="province",
                      valid_from=on))
    relations = []
    for r in base.relations:
        if r.type == "PART_OF" and r.source_id in ("snv", "xss"):
            relations.append(dataclasses.replace(r, valid_to=on))
            if r.source_id == "snv":
                relations.append(Relation("snv", "PART_OF", "tu", valid_from=on))
        else:
            relations.append(r)
    relations.append(Relation("new", "PART_OF", "prov", valid_from=on))
    after = dataclasses.replace(base, units=tuple(units), relations=tuple(relations))
    return MemoryGraph(base), MemoryGraph(after)


DIFF = {  # the shape of graph.scenarios.diff.diff
    "at": "2019-01-01",
    "added": [{"id": "new", "name": "Trung tâm mới", "kind": "centre", "parent": "prov"}],
    "removed": [{"id": "xss", "name": "x", "successors": ["btc"], "ended": "2019-01-01"}],
    "moved": [{"id": "snv", "name": "Sở Nội vụ", "from": "ubnd", "to": "tu"}],
    "renamed": [{"id": "hpn", "from": "Hội Liên hiệp Phụ nữ tỉnh", "to": "Hội Phụ nữ <b>mới</b>",
                 "new_id": None}],
    "merged": [{"event": "e1", "type": "MERGE", "inputs": ["xss"], "into": "btc"}],
    "split": [], "functions": [], "events": [],
}


def test_read_diff_of_the_engine_shape():
    ch = read_diff(DIFF)
    assert ch.added == {"new"} and ch.removed == {"xss"}
    assert ch.merged == {"xss": "btc"} and ch.moved == {"snv": ("ubnd", "tu")}
    assert ch.renamed == {"hpn": ("Hội Liên hiệp Phụ nữ tỉnh", "Hội Phụ nữ <b>mới</b>", "hpn")}


def test_read_diff_tolerates_other_shapes():
    ch = read_diff({"removed": ["a"], "added": [{"unit": {"id": "b"}}],
                    "merged": {"c": "d"}, "moved": [{"unit": "e", "old_parent": "p",
                                                     "new_parent": "q"}],
                    "renamed": [{"unit_id": "f", "old_name": "F", "new_name": "G",
                                 "new_id": "g"}],
                    "split": [{"unit": "h", "into": [{"id": "h1"}, "h2"]}]})
    assert ch.removed == {"a"} and ch.added == {"b"} and ch.merged == {"c": "d"}
    assert ch.moved == {"e": ("p", "q")} and ch.renamed == {"f": ("F", "G", "g")}
    assert ch.split == {"h": ["h1", "h2"]}
    assert read_diff(None).touched() == set()


def test_changes_found_from_the_states_alone(states):
    before, after = states
    ch = complete_changes(None, before, after, AT)
    assert ch.removed == {"xss"} and ch.added == {"new"}
    assert ch.moved == {"snv": ("ubnd", "tu")}
    assert ch.renamed["hpn"][1] == "Hội Phụ nữ <b>mới</b>"


def test_root_is_the_lowest_unit_holding_every_change(states):
    before, after = states
    assert scenario_root(before, after, AT, read_diff(DIFF)) == "prov"
    assert scenario_root(before, after, AT, read_diff({"merged": {"xss": "btc"}})) == "tu"


def test_statuses_on_each_side(states):
    before, after = states
    b, a, _ = build_scenario_charts(before, after, None, AT, DIFF)
    sb = {n["id"]: n["status"] for n in b.nodes}
    sa = {n["id"]: n["status"] for n in a.nodes}
    assert sb["xss"] == "merged" and "xss" not in sa
    assert sa["btc"] == "merge_target" and sa["new"] == "added" and "new" not in sb
    assert sb["snv"] == sa["snv"] == "moved"
    assert sb["hpn"] == sa["hpn"] == "renamed"
    assert sb["tu"] == "unchanged"
    assert all(n["href"] is None for n in a.nodes)  # no chart page for a scenario state
    colours = {n["status"]: n["color"]["background"] for n in b.nodes + a.nodes}
    assert len(set(colours.values())) == len(colours)  # each status its own colour
    labels = [item.label for item in a.legend]
    assert {"removed", "added", "merged into another unit", "moved (new parent)",
            "renamed"} <= set(labels)


IMPACT = {  # the shape of graph.scenarios.impact.impact (abridged)
    "units": {"before": 4, "after": 3, "change": -1},
    "headcount": {"before": 25, "after_recorded": 25, "saving_total": 1, "after": 24,
                  "change": -1, "savings": [{"reason": "duplicated leadership post removed",
                                             "unit": "btc", "amount": 1, "how": "1 post × 1"}],
                  "units_without_figure": {"before": 2, "after": 2}},
    "leadership": {"before": 2, "after": 1, "removed": 1},
    "party": {"cells": {"before": 0, "after": 0}, "committees": {"before": 1, "after": 1}},
    "span": {"before": {"max": 5}, "after": {"max": 4}},
    "depth": {"before": 3, "after": 3},
    "warnings": ["orphan: <b>x</b>"],
    "assumptions": {"support_staff": 2.0},
}


def test_impact_summary_headlines():
    rows = dict(impact_summary(IMPACT))
    assert rows["Units"] == "4 → 3 (-1)"
    assert rows["Headcount"] == "25 → 24 (-1)"
    assert rows["Leadership posts"].startswith("2 → 1 (-1)")
    assert rows["Widest span of control"] == "5 → 4"
    assert rows["Warning"] == "orphan: <b>x</b>"
    other = impact_rows({"cost": 3.5, "notes": ["a", "b"], "nested": {"x": 1}})
    assert other == [("cost", "3.5"), ("notes", "a; b"), ("nested", "x: 1")]
    assert impact_summary({"cost": 1}) == [("cost", "1")]


def test_page_is_standalone_and_escapes(states):
    before, after = states
    html = scenario_page(before, after, None, "2019-01-01", DIFF, IMPACT,
                         name="<script>alert(1)</script>", description="<img src=x>")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html  # the warning
    assert "<script src" not in html  # standalone by default
    assert "Số đơn vị" in html and "<td class=\"bv-num\">-1</td>" in html
    assert not re.search(r"[{\[]'", html)  # no raw dict or list text
    assert "merged into Ban Tổ chức Tỉnh ủy" in html
