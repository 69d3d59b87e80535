"""The district level ends in Quảng Ninh, on the bundled data (data/seed), from the command
line: `bomay scenario run PLAN --data data/seed --json`.

The seeds' structure is a reporter's: Móng Cái's Party Committee is PART_OF Quảng Ninh's
(the Party's own line), while its People's Committee, Front and mass organisations are
named with no PART_OF at all. Both shapes pair with the province's bodies of their kind:
what a planner expects of `dissolve_level` with `bodies: merge` on real data."""

from __future__ import annotations

from tests.api.seed_plans import run_plan

PLAN = """\
name: Kết thúc cấp huyện ở Quảng Ninh
at: 2025-07-01
operations:
  - op: dissolve_level
    level: district
    within: qn
    bodies: merge
"""


def test_the_district_level_of_quang_ninh_merges_into_the_provinces_bodies(tmp_path):
    report = run_plan(tmp_path, PLAN)
    groups = {g["from"][0]: g["unit"] for g in report["bodies"]["groups"]}
    # on the Party's own line: the city's Party Committee and its boards
    assert groups["mc-tu"] == "qn-tu"
    assert groups["mc-ban-tuyen-giao"] == "qn-ban-tuyen-giao"
    assert groups["mc-ubkt-thanh-tra"] == "qn-ubkt"
    # named with no PART_OF: paired as the bodies directly under their areas
    assert groups["mc-ubnd"] == "qn-ubnd"
    assert groups["mc-mttq"] == "qn-mttq"
    assert groups["mc-thanh-doan"] == "qn-tinh-doan"  # Thành đoàn = Tỉnh đoàn: Đoàn TNCS
    assert groups["mc-ldld"] == "qn-ldld"
    # a merged body pairs by the part of its own kind: the Party board `Ban Tổ chức Thành
    # ủy – Phòng Nội vụ thành phố Móng Cái (hợp nhất)` by `Ban Tổ chức Thành ủy`
    assert groups["mc-to-chuc-noi-vu"] == "qn-ban-to-chuc"
    # the city's 16 bodies on the date (units.csv: its 20, less the four that the 2018
    # merges ended): 14 with a peer
    assert len(groups) == report["bodies"]["merged"] == 14
    # the two centres have no peer in the province (it has no centre): they move up
    assert sorted(u["unit"] for u in report["bodies"]["unpaired"]) == [
        "mc-trung-tam-bdct", "mc-trung-tam-hcc"]
    assert all(u["to_area"] == "qn" for u in report["bodies"]["unpaired"])
    # the city ends with the level; what it held goes to the province
    ended = {u["id"] for u in report["diff"]["removed"]}
    assert {"mc", "mc-tu", "mc-ubnd", "mc-mttq", "mc-to-chuc-noi-vu"} <= ended
    # the bodies merged are in the impact's scope with their peers (Móng Cái's Party
    # Committee hangs under Quảng Ninh's, not under its city): two secretaries, one post
    committees = report["party"]["committees"]
    assert committees["ended"] == ["mc-tu"] and committees["after"] == committees["before"] - 1
    leadership = report["leadership"]
    assert "secretary" in {d["role"] for d in leadership["duplicated"]}
    assert leadership["after"] == leadership["after_recorded"] - leadership["removed"] >= 0
    assert leadership["before"] >= leadership["after_recorded"] > 0
