"""Figures as the pages write them: grouped by thousands in the page's language
(`viz.i18n.fmt_number`: `64.851` and `52,2` in Vietnamese, `64,851` and `52.2` in English),
numbers below 1000 as they are, signs kept; attributes and the script's JSON keep the plain
number. And the units of a "Moved to a new parent" group in the natural order of their
names (`viz.i18n.natural_key`), not of their ids.

The page tests run the real scenario engine on a province of 30 districts of 40 communes
(1,231 units, 75,000 people; the report counts the 1,230 under the province) with pairs
of districts merged.
"""

from __future__ import annotations

import html as htmllib
import json
import re

import pytest

from graph.embedded.memory import MemoryGraph
from viz.i18n import fmt_number, natural_key
from viz.pages import scenario_page
from viz.render import environment

AT = "2025-07-01"
DISTRICTS, COMMUNES = 30, 40


@pytest.mark.parametrize(("value", "vi", "en"), [
    (0, "0", "0"),
    (7, "7", "7"),
    (999, "999", "999"),
    (1000, "1.000", "1,000"),
    (64851, "64.851", "64,851"),
    (1234567, "1.234.567", "1,234,567"),
    (-999, "-999", "-999"),
    (-1234, "-1.234", "-1,234"),
    (-182473, "-182.473", "-182,473"),
    (52.2, "52,2", "52.2"),
    (0.5, "0,5", "0.5"),
    (1234.25, "1.234,25", "1,234.25"),
    (-1234.5, "-1.234,5", "-1,234.5"),
    (5.0, "5", "5"),
    (2e6, "2.000.000", "2,000,000"),
])
def test_fmt_number_groups_by_thousands_as_the_language_writes(value, vi, en):
    assert fmt_number(value, "vi") == vi
    assert fmt_number(value, "en") == en


def test_fmt_number_writes_a_plus_for_a_change_and_keeps_a_minus():
    assert fmt_number(182473, "vi", sign=True) == "+182.473"
    assert fmt_number(182473, "en", sign=True) == "+182,473"
    assert fmt_number(-182473, "vi", sign=True) == "-182.473"
    assert fmt_number(0, "en", sign=True) == "+0"
    assert fmt_number(12, "vi", sign=True) == "+12"
    # a million is not written 1e+06 (what the page's `:+g` wrote before)
    assert fmt_number(-1234567, "en", sign=True) == "-1,234,567"


def test_fmt_number_leaves_what_is_not_a_number():
    assert fmt_number(None, "vi") == ""
    assert fmt_number("2-10", "en") == "2-10"
    assert fmt_number(True, "en") == "True"
    assert fmt_number(1234, "fr") == "1.234"  # an unknown language: the default's marks


def test_the_template_filter_is_fmt_number():
    template = environment().from_string("{{ n | num(lang) }} {{ m | num(lang) }}")
    assert template.render(n=535948, m=52.2, lang="vi") == "535.948 52,2"
    assert template.render(n=535948, m=52.2, lang="en") == "535,948 52.2"


def test_natural_key_reads_numbers_as_numbers_and_folds_case():
    names = ["Xã Tân Lập 2-10", "xã Tân Lập 2-2", "Xã Tân Lập 2-1", "Xã Tân Lập 10-1"]
    assert sorted(names, key=natural_key) == [
        "Xã Tân Lập 2-1", "xã Tân Lập 2-2", "Xã Tân Lập 2-10", "Xã Tân Lập 10-1"]
    assert sorted(["2-10", "2-1", "2-2"], key=natural_key) == ["2-1", "2-2", "2-10"]


# -- the scenario page ----------------------------------------------------------------------------
def dataset():
    """A province, 30 districts (1,500 people each) of 40 communes (25 people each)."""
    from graph.model import Dataset, Headcount, PartialDate, Relation, Unit
    units = [Unit(id="p", name="Tỉnh Đông Sơn", kind="province", level="province")]
    rels, heads = [], []
    day = PartialDate.parse("2025-01-01")
    for d in range(1, DISTRICTS + 1):
        units.append(Unit(id=f"d{d}", name=f"Huyện Đông Sơn {d}", kind="district",
                          level="district"))
        rels.append(Relation(source_id=f"d{d}", type="PART_OF", target_id="p"))
        heads.append(Headcount(unit_id=f"d{d}", date=day, headcount=1500))
        for c in range(1, COMMUNES + 1):
            uid = f"d{d}-c{c}"
            units.append(Unit(id=uid, name=f"Xã Tân Lập {d}-{c}", kind="commune",
                              level="commune"))
            rels.append(Relation(source_id=uid, type="PART_OF", target_id=f"d{d}"))
            heads.append(Headcount(unit_id=uid, date=day, headcount=25))
    return Dataset(units=tuple(units), relations=tuple(rels), headcounts=tuple(heads))


def merges(pairs: int) -> list[dict]:
    """District 2i merged into district 2i-1: its 40 communes move under the other."""
    return [{"op": "merge", "into": f"d{2 * i - 1}", "units": [f"d{2 * i}"]}
            for i in range(1, pairs + 1)]


@pytest.fixture(scope="module")
def merged():
    from tests.viz.test_scenario import run
    base = MemoryGraph(dataset())
    state, d, report = run(base, merges(15), AT)
    return base, state, d, report


@pytest.fixture(scope="module")
def pages(merged):
    base, state, d, report = merged
    return {lang: scenario_page(base, state, None, AT, d, report, lang=lang,
                                scenario_id="reform") for lang in ("vi", "en")}


def _figure(page: str, key: str) -> str:
    m = re.search(rf'<div data-figure="{key}"><dt>[^<]*</dt><dd><a [^>]*>([^<]*)</a></dd>', page)
    assert m, key
    return htmllib.unescape(m.group(1))


def _table(page: str, key: str) -> str:
    m = re.search(rf'<section id="bv-t-{key}".*?</section>', page, re.S)
    assert m, key
    return htmllib.unescape(m.group(0))


def test_the_figures_are_what_the_report_says(merged):
    _, _, _, report = merged
    assert (report.units.total.before, report.units.total.after) == (1230, 1215)
    assert report.headcount.before == 75000
    assert len(report.units.ended) == 15


@pytest.mark.parametrize(("lang", "units", "headcount"), [
    ("vi", "1.230 → 1.215 (-15)", "75.000 → 75.000 (+0)"),
    ("en", "1,230 → 1,215 (-15)", "75,000 → 75,000 (+0)"),
])
def test_the_summary_groups_its_figures(pages, lang, units, headcount):
    page = pages[lang]
    assert _figure(page, "units") == units
    assert _figure(page, "headcount") == headcount


@pytest.mark.parametrize(("lang", "cells"), [
    ("vi", ['<td class="bv-num">1.230</td>', '<td class="bv-num">1.215</td>',
            '<td class="bv-num">1.200</td>', '<td class="bv-num">75.000</td>']),
    ("en", ['<td class="bv-num">1,230</td>', '<td class="bv-num">1,215</td>',
            '<td class="bv-num">1,200</td>', '<td class="bv-num">75,000</td>']),
])
def test_the_impact_tables_group_their_figures(pages, lang, cells):
    page = pages[lang]
    units = _table(page, "units")
    assert cells[0] in units and cells[1] in units  # the units, before and after
    assert cells[2] in units  # the communes, by kind
    assert cells[3] in _table(page, "headcount")  # the headcount before


def test_attributes_and_the_script_data_keep_plain_numbers(merged):
    base, state, d, report = merged
    ch_moved = len(d.moved)
    page = scenario_page(base, state, None, AT, d, report, lang="vi")
    assert f'data-changes="moved" data-count="{ch_moved}"' in page
    data = json.loads(re.search(r'<script type="application/json" id="bv-data">(.*?)</script>',
                                page, re.S).group(1))
    assert data["lang"] == "vi"
    hcs = {n["hc"] for c in data["charts"].values() for n in c["nodes"] if n.get("hc")}
    assert 1500 in hcs  # a number in the JSON, never "1.500"


def test_the_moved_section_counts_are_grouped_when_large():
    """15 pairs of 40 communes moved: 600 (under 1000, as it is); 30 districts of 40 merged
    into one: 1,160 moved, grouped in the section's count and its "… and N more"."""
    from tests.viz.test_scenario import run
    base = MemoryGraph(dataset())
    ops = [{"op": "merge", "into": "d1", "units": [f"d{i}" for i in range(2, DISTRICTS + 1)]}]
    state, d, report = run(base, ops, AT)
    for lang, count, more in (
            ("vi", "(1.160 đơn vị, sang 1 cấp trên mới)", "… và 960 đơn vị khác"),
            ("en", "(1,160 units, under 1 new parent)", "… and 960 more units")):
        page = htmllib.unescape(scenario_page(base, state, None, AT, d, report, lang=lang))
        section = re.search(r'<details[^>]*data-changes="moved"[^>]*>(.*?)</details>', page,
                            re.S).group(0)
        assert 'data-count="1160"' in section
        assert count in section, section[:400]
        assert more in section
        assert ("; … và 960 đơn vị khác</span>" if lang == "vi" else
                "; … and 960 more units</span>") in section


def test_a_moved_group_lists_its_units_in_the_natural_order_of_their_names(pages):
    """District 2's communes under district 1: Xã Tân Lập 2-1, 2-2, …, 2-10, not the ids'
    order (d2-c1, d2-c10, d2-c11, …, d2-c2)."""
    for lang in ("vi", "en"):
        section = re.search(r'<details[^>]*data-changes="moved"[^>]*>(.*?)</details>',
                            pages[lang], re.S).group(1)
        first = re.search(r"<li>.*?</li>", section, re.S).group(0)
        assert "Huyện Đông Sơn 1" in first
        named = re.findall(r"Xã Tân Lập (\d+)-(\d+)", first)
        assert named == [("2", str(c)) for c in range(1, COMMUNES + 1)], named[:12]


# -- the other pages ---------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "group"), [("vi", "."), ("en", ",")])
def test_the_org_chart_and_timeline_pages_group_their_figures(lang, group):
    """The org chart's heading count and list of units, a unit's headcount in its tooltip
    (the script's JSON: text made on the server) and the timeline's figures."""
    from viz.pages import org_chart_page, timeline_page
    base = MemoryGraph(dataset())
    page = htmllib.unescape(org_chart_page(base, "p", None, lang=lang))
    assert re.search(rf'<span id="bv-count">1{re.escape(group)}231</span>', page)
    assert f"<td>1{group}500</td>" in page  # a district's headcount in the list of units
    data = json.loads(re.search(r'<script type="application/json" id="bv-data">(.*?)</script>',
                                page, re.S).group(1))
    (district,) = [n for n in data["charts"]["main"]["nodes"] if n["id"] == "d1"]
    assert district["hc"] == 1500  # the number, for the script
    assert [r[1] for r in district["info"] if r[0] in ("Biên chế", "Headcount")] == [
        f"1{group}500"]
    timeline = htmllib.unescape(timeline_page(base, "d1", lang=lang))
    assert f"<td>1{group}500</td>" in timeline and f">1{group}500</text>" in timeline


def test_natural_key_follows_the_vietnamese_alphabet():
    # Đ is a letter after D (not after Y, where a code-point order puts it); Ă and Â come
    # after A; tone marks only break ties (Bình before Bính, both before Dương)
    names = ["Xã Yên Lộc", "Xã Đông Quang", "Xã Dương Quang", "Xã Ân Thi", "Xã Ăn",
             "Xã An Bình", "Xã Bính", "Xã Bình", "Xã Bỉnh", "Xã Bĩnh", "Xã Binh", "Xã Bịnh"]
    assert sorted(names, key=natural_key) == [
        "Xã An Bình", "Xã Ăn", "Xã Ân Thi", "Xã Binh", "Xã Bình", "Xã Bính", "Xã Bỉnh",
        "Xã Bĩnh", "Xã Bịnh", "Xã Dương Quang", "Xã Đông Quang", "Xã Yên Lộc"]
