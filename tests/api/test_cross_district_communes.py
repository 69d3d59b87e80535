"""Communes of two districts consolidated into one, before the district level ends: their
Party Committees hang under two district Party Committees (the Party's own line), yet the
new commune has one Party Committee, under the district Party Committee of the district the
new commune is placed in (its `parent`), and the People's Councils and Committees pair as
usual. Through HTTP on a real SQLite store (`tests/data/r_tuyen_quang`)."""

from __future__ import annotations

from collections import Counter

from tests.api.test_real_consolidation import AT, client, scenario, units_of  # noqa: F401

CROSS = {"op": "consolidate", "units": ["hg-tp-mk", "hg-qb-qb"], "parent": "hg-tp",
         "new": {"id": "x-new", "name": "Xã Minh Khai", "kind": "commune",
                 "level": "commune"}}


def test_communes_of_two_districts_form_one_commune_with_one_party_committee(client):  # noqa: F811
    sid = scenario(client, CROSS, name="Hợp nhất xã liên huyện")
    impact = client.get(f"/scenarios/{sid}/impact").json()
    groups = {g["unit"]: sorted(g["from"]) for g in impact["bodies"]["groups"]}
    assert groups == {"x-new-du": ["hg-qb-qb-du", "hg-tp-mk-du"],
                      "x-new-hdnd": ["hg-qb-qb-hdnd", "hg-tp-mk-hdnd"],
                      "x-new-ubnd": ["hg-qb-qb-ubnd", "hg-tp-mk-ubnd"]}
    assert impact["bodies"]["unpaired"] == []
    mine = units_of(client, sid, "x-new")
    assert Counter(u["kind"] for u in mine.values() if u["kind"] != "party_cell") == {
        "party_committee": 1, "people_council": 1, "government": 1}
    # under the Party Committee of the district the new commune is placed in
    assert mine["x-new-du"]["parent"] == "hg-tp-tu"
    # both communes' Party cells follow the one Party Committee
    cells = {i for i, u in mine.items() if u["kind"] == "party_cell"}
    assert cells == {"hg-tp-mk-cb1", "hg-qb-qb-cb1"}
    assert {mine[c]["parent"] for c in cells} == {"x-new-du"}
    # the two secretaries' posts, if any, are counted as one
    assert impact["party"]["committees"]["change"] == -1
