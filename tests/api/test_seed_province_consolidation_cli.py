"""Two provinces of the bundled data (data/seed) consolidate, from the command line:
`bomay scenario run PLAN --data data/seed --json`.

Quảng Ninh and Tuyên Quang each record their districts with `area` naming the province
(Móng Cái, Na Hang) and their Fronts with no PART_OF row. A district is an area under the
province, not one of its bodies: it moves into the new province as it is, never paired
with the other province's district; a Front that hangs nowhere is paired once, under the
new province (it was paired again under each district, which then failed: "qn-mttq does
not exist")."""

from __future__ import annotations

from tests.api.seed_plans import run_plan

PLAN = """\
name: Hợp nhất Quảng Ninh và Tuyên Quang (thử)
at: 2025-07-01
operations:
  - op: consolidate
    units: [qn, tq]
    new: {id: qt, name: Tỉnh Quảng Ninh, name_en: Quảng Ninh Province, kind: province, level: province}
"""


def test_two_provinces_of_the_bundled_data_consolidate_with_their_bodies(tmp_path):
    report = run_plan(tmp_path, PLAN)
    groups = {g["unit"]: sorted(g["from"]) for g in report["bodies"]["groups"]}
    # one body of each kind both provinces have: Party Committee, its Standing Committee
    # and Organisation Board, and the Front (both named with no PART_OF)
    assert groups == {"qt-tu": ["qn-tu", "tq-tu"], "qt-btv": ["qn-btv", "tq-btv"],
                      "qt-ban-to-chuc": ["qn-ban-to-chuc", "tq-ban-to-chuc"],
                      "qt-mttq": ["qn-mttq", "tq-mttq"]}
    unpaired = {u["unit"] for u in report["bodies"]["unpaired"]}
    # the districts are areas, not bodies: neither paired nor listed as bodies without a peer
    assert not unpaired & {"mc", "nh"}
    assert {"qn-ubnd", "qn-hdnd", "qn-van-phong-tu"} <= unpaired  # Tuyên Quang has none
    moved = {m["id"]: (m["from"], m["to"]) for m in report["diff"]["moved"]}
    assert moved["mc"] == ("qn", "qt") and moved["nh"] == ("tq", "qt")
    ended = {u["id"] for u in report["diff"]["removed"]}
    assert {"qn", "tq", "qn-tu", "tq-tu", "qn-mttq", "tq-mttq"} <= ended
    assert not ended & {"mc", "nh", "mc-tu", "nh-hu"}
    # two secretaries' committees become one; the district committees hang under it
    assert report["party"]["committees"]["ended"] == ["qn-tu", "tq-tu"]
    assert report["party"]["committees"]["started"] == ["qt-tu"]
    assert {"mc-tu", "nh-hu"} <= set(report["party"]["committees"]["moved"])
    # the bodies without a peer are in the scope too (their area changes): 8 leadership
    # posts, one of them a second standing deputy secretary in the new Party Committee
    leadership = report["leadership"]
    assert leadership["after"] == leadership["before"] - 1 == 7
    assert [(d["unit"], d["role"]) for d in leadership["duplicated"]] == [
        ("qt-tu", "standing_deputy_secretary")]


MERGE = """\
name: Sáp nhập Tuyên Quang vào Quảng Ninh (thử)
at: 2025-07-01
operations:
  - op: merge
    units: [tq]
    into: qn
"""


def test_a_province_merged_into_another_counts_the_bodies_it_merges(tmp_path):
    # The merged bodies are in the impact's scope as a consolidation's are: the bodies of
    # both areas, whether or not they hang under their area (a Party Committee does not).
    merged, consolidated = run_plan(tmp_path, MERGE), run_plan(tmp_path, PLAN)
    assert {g["unit"]: g["from"] for g in merged["bodies"]["groups"]} == {
        "qn-tu": ["tq-tu"], "qn-btv": ["tq-btv"], "qn-ban-to-chuc": ["tq-ban-to-chuc"],
        "qn-mttq": ["tq-mttq"]}
    for report in (merged, consolidated):
        committees = report["party"]["committees"]
        assert (committees["before"], committees["after"]) == (6, 5)
    # the scope is what the operation acts on: a merge leaves Quảng Ninh's own bodies
    # without a peer where they are (a consolidation moves them to the new area)
    assert merged["leadership"]["before"] == 6 < consolidated["leadership"]["before"]
    assert merged["party"]["committees"]["ended"] == ["tq-tu"]


def test_the_text_report_lists_the_bodies(tmp_path):
    text = run_plan(tmp_path, PLAN, as_json=False)
    assert "Bodies of the areas: 8 brought together into 4 (new bodies, or the peers they " \
           "merge into); 16 without a peer (moved as they are)" in text
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in text.splitlines()
            if line.startswith("│")]
    assert ["qt-tu", "qn-tu, tq-tu"] in rows
    assert ["qn-ubnd", "qn", "qt"] in rows
    # the kinds and the levels are two groups of the units table, not one list
    assert ["by kind", "", "", ""] in rows and ["by level", "", "", ""] in rows
