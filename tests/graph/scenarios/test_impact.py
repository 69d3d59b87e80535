"""Impact figures on the small city (tests/data/s_city), each checked by hand.

The city's approved headcount (2017): btc 8, btg 7, bdv 6, ubkt 9, vptu 20, ttbdct 5,
pnv 6, tt 7, ptc 5, vpub 15, mttq 6, hlhpn 4, hnd 4, hccb 3. Heads: btc, btg, pnv (and a
deputy), ubkt, tt; the secretary of tu and the chair of ubnd. tu has 7 units under it,
ubnd 4, dbcq 3 Party cells, city 6.
"""

from __future__ import annotations

import pytest

from graph.errors import InvalidParameter
from graph.scenarios import apply, new_state
from graph.scenarios.diff import diff
from graph.scenarios.impact import Assumptions, impact

CONSOLIDATE = {"op": "consolidate", "units": ["btc", "pnv"], "parent": "tu", "serves": ["ubnd"],
               "new": {"id": "tcnv", "name": "Ban Tổ chức - Nội vụ"}}
AGENCY = {"op": "create_shared_agency", "new": {"id": "ckhoi", "name": "Cơ quan khối"},
          "serves": ["mttq", "hlhpn", "hnd", "hccb"],
          "functions": ["office_admin", "finance_accounting"],
          "transfer_headcount": {"mttq": 2, "hlhpn": 1, "hnd": 1, "hccb": 1}}


def run(city, *ops, assumptions=None):
    state, _ = apply(new_state(city, "2018-01-01"), list(ops))
    return state, impact(city, state, assumptions).to_dict()


def test_consolidating_two_units(city):
    _, r = run(city, CONSOLIDATE)
    assert r["scope"]["subjects"] == ["tcnv", "btc", "pnv"]
    assert (r["units"]["before"], r["units"]["after"], r["units"]["change"]) == (2, 1, -1)
    assert r["units"]["by_kind"]["department"] == {"before": 1, "after": 0, "change": -1}
    assert r["units"]["by_kind"]["party_board"] == {"before": 1, "after": 1, "change": 0}
    h = r["headcount"]
    # 8 + 6 = 14 people, kept by the new unit; office_admin twice: (2-1) × 2 staff × 0.5 = 1;
    # two heads in one unit: one post removed, 1 person
    assert (h["before"], h["after_recorded"], h["saving_total"], h["after"], h["change"]) == (
        14, 14, 2, 12, -2)
    assert [(s["reason"], s["amount"]) for s in h["savings"]] == [
        ("duplicated support function", 1), ("duplicated leadership post removed", 1)]
    assert [(d["function"], d["holders"]) for d in r["functions"]["duplicated"]] == [
        ("office_admin", 2), ("personnel", 2)]
    assert r["functions"]["nowhere"] == []
    # personnel + office_admin twice before; once each in the new unit after
    assert (r["functions"]["before"], r["functions"]["after"]) == (4, 2)
    lead = r["leadership"]
    assert (lead["before"], lead["after_recorded"], lead["removed"], lead["after"]) == (3, 3, 1, 2)
    assert lead["duplicated"] == [{"unit": "tcnv", "role": "head", "people": ["p-btc", "p-pnv"],
                                   "duplicates": 1}]
    assert [(p["person"], p["change"]) for p in lead["people_affected"]] == [
        ("p-btc", "moves to tcnv"), ("p-pnv", "moves to tcnv"), ("p-pnv2", "moves to tcnv")]
    assert lead["people_affected"][0]["name"] == "Lê Thị Tổ"
    # tu keeps 7 units under it (btc out, tcnv in); ubnd goes from 4 to 3
    assert r["span"]["changes"] == [{"unit": "ubnd", "before": 4, "after": 3}]
    assert (r["span"]["before"]["max"], r["span"]["after"]["max"]) == (7, 7)
    assert r["depth"] == {"before": 3, "after": 3}
    assert r["warnings"] == []


def test_assumptions_change_the_savings(city):
    a = Assumptions(remove_duplicate_leadership=False, support_staff=4,
                    support_saving={"office_admin": 0.25})
    _, r = run(city, CONSOLIDATE, assumptions=a)
    # (2 - 1) × 4 × 0.25 = 1; no leadership saving
    assert r["headcount"]["saving_total"] == 1 and r["leadership"]["removed"] == 0
    assert r["assumptions"]["support_staff"] == 4
    assert r["headcount"]["savings"][0]["how"] == "(2 - 1) duplicate × 4 staff × 0.25"


def test_the_shared_agency(city):
    _, r = run(city, AGENCY)
    h = r["headcount"]
    # 6 + 4 + 4 + 3 = 17 before; after: 4 + 3 + 3 + 2 members + 5 in the agency = 17;
    # office_admin from 4 members: 3 × 2 × 0.5 = 3; finance_accounting from 3: 2 × 2 × 0.5 = 2
    assert (h["before"], h["after_recorded"], h["saving_total"], h["after"]) == (17, 17, 5, 12)
    assert r["units"]["by_kind"]["shared_agency"] == {"before": 0, "after": 1, "change": 1}
    # city had 6 units under it and gains the agency
    assert r["span"]["changes"] == [{"unit": "city", "before": 6, "after": 7}]
    assert r["leadership"]["removed"] == 0


def test_dissolving_a_party_committee_moves_its_cells(city):
    _, r = run(city, {"op": "dissolve", "unit": "dbcq", "children_to": "tu"})
    cells, committees = r["party"]["cells"], r["party"]["committees"]
    assert (cells["before"], cells["after"]) == (3, 3)
    assert cells["moved"] == ["cb1", "cb2", "cb3"]
    assert (committees["before"], committees["after"], committees["ended"]) == (1, 0, ["dbcq"])
    # one layer less: city → tu → dbcq → cells becomes city → tu → cells
    assert r["depth"] == {"before": 4, "after": 3}
    assert r["span"]["changes"] == [{"unit": "dbcq", "before": 3, "after": None},
                                    {"unit": "tu", "before": 7, "after": 9}]
    assert r["warnings"] == []


def test_span_limit_flags_units(city):
    _, r = run(city, {"op": "dissolve", "unit": "dbcq", "children_to": "tu"},
               assumptions=Assumptions(max_span=8))
    assert r["span"]["before"]["exceeding"] == []
    assert r["span"]["after"]["exceeding"] == [{"unit": "tu", "children": 9}]


def test_functions_ending_nowhere_and_dropped_headcount(city):
    _, r = run(city, {"op": "dissolve", "unit": "bdv", "functions_to":
                      {"mass_mobilisation": "mttq"}, "drop_functions": True})
    # office_admin and transport end with bdv, but vptu and vpub still hold them: not lost
    assert r["functions"]["nowhere"] == []
    assert r["functions"]["moved"][0] | {"operation": 1} == {
        "function": "mass_mobilisation", "from": "bdv", "to": "mttq", "operation": 1}
    # bdv's 6 people go with it; mttq keeps its 6
    assert (r["headcount"]["before"], r["headcount"]["after"]) == (12, 6)


def test_split_and_merge_figures(city):
    _, r = run(city, {"op": "split", "unit": "vpub", "into": [
        {"id": "vp-hdnd", "name": "VP HĐND", "functions": ["office_admin"], "headcount": 5},
        {"id": "vp-ubnd", "name": "VP UBND",
         "functions": ["office_admin", "finance_accounting", "transport"], "headcount": 8}]},
        {"op": "merge", "into": "ptc", "units": ["vp-ubnd"], "date": "2018-06-01"})
    # 15 before; the split keeps 13 (5 + 8); the merge sums 8 into ptc's 5
    assert (r["headcount"]["before"], r["headcount"]["after_recorded"]) == (20, 18)
    # finance_accounting duplicated in ptc: (2 - 1) × 2 × 0.5 = 1
    assert r["headcount"]["saving_total"] == 1 and r["headcount"]["after"] == 17
    assert r["at"] == {"before": "2018-06-01", "after": "2018-06-01"}
    assert (r["units"]["before"], r["units"]["after"]) == (2, 2)  # vpub, ptc → vp-hdnd, ptc


def test_a_saving_needs_a_headcount_figure(data_dir):
    from graph.embedded.memory import MemoryGraph
    from loaders import read_dataset
    chain = MemoryGraph(read_dataset(data_dir / "chain"))
    # d and e have no figure: nothing to cut, the saving is shown but not subtracted
    state, _ = apply(new_state(chain, "2021-01-01"), [
        {"op": "transfer_function", "function": "personnel", "from": "d", "to": "e"}])
    r = impact(chain, state, Assumptions(support_saving={"personnel": 1.0})).to_dict()
    (saving,) = r["headcount"]["savings"]
    assert saving["applied"] is False and "no headcount figure" in saving["note"]
    assert r["headcount"]["saving_total"] == 0


def test_impact_is_pure(city):
    state, _ = apply(new_state(city, "2018-01-01"), [CONSOLIDATE])
    before_changes = state.changes()
    first = impact(city, state)
    assert impact(city, state) == first and state.changes() == before_changes
    assert city.get_unit("tcnv") is None


def test_assumptions_from_text():
    a = Assumptions.from_mapping({"remove_duplicate_leadership": "no", "max_span": "8",
                                  "support_saving": "office_admin:0.2,legal:0.1",
                                  "saving.transport": "0", "support_staff": "3"})
    assert a.remove_duplicate_leadership is False and a.max_span == 8 and a.support_staff == 3
    assert a.support_saving == {"office_admin": 0.2, "finance_accounting": 0.5,
                                "transport": 0.0, "legal": 0.1}
    for bad in ({"max_span": "-1"}, {"support_saving": "office_admin:1.5"}, {"colour": "red"},
                {"remove_duplicate_leadership": "maybe"}):
        with pytest.raises(InvalidParameter):
            Assumptions.from_mapping(bad)


def test_diff(city):
    state, _ = apply(new_state(city, "2018-01-01"), [
        CONSOLIDATE, {"op": "move", "unit": "cb3", "parent": "tu"},
        {"op": "rename", "unit": "btg", "name": "Ban Tuyên giáo - Đào tạo"},
        {"op": "rename", "unit": "bdv", "name": "Ban Dân vận mới", "new_id": "bdv2"},
        {"op": "split", "unit": "vpub", "into": [
            {"id": "v1", "name": "V1", "functions": ["office_admin", "transport"]},
            {"id": "v2", "name": "V2", "functions": ["finance_accounting"]}]}])
    d = diff(city, state).to_dict()
    assert [a["id"] for a in d["added"]] == ["tcnv", "bdv2", "v1", "v2"]
    assert {r["id"]: r["successors"] for r in d["removed"]} == {
        "btc": ["tcnv"], "pnv": ["tcnv"], "bdv": ["bdv2"], "vpub": ["v1", "v2"]}
    assert d["moved"] == [{"id": "cb3", "name": "Chi bộ 3", "from": "dbcq", "to": "tu",
                           "operation": 2, "event": "scenario-02", "area_from": None,
                           "area_to": None}]
    assert [(r["id"], r["to"], r["new_id"]) for r in d["renamed"]] == [
        ("btg", "Ban Tuyên giáo - Đào tạo", None), ("bdv", "Ban Dân vận mới", "bdv2")]
    assert [(m["inputs"], m["into"], m["type"]) for m in d["merged"]] == [
        (["btc", "pnv"], "tcnv", "CONSOLIDATE")]
    assert d["split"][0]["into"] == ["v1", "v2"]


def test_nowhere_lists_only_functions_no_unit_holds_any_more(city):
    # training is ttbdct's alone
    _, r = run(city, {"op": "dissolve", "unit": "ttbdct", "drop_functions": True})
    assert [(d["function"], d["from"]) for d in r["functions"]["nowhere"]] == [
        ("training", "ttbdct")]


def test_unknown_headcount_is_unknown_not_zero(city):
    # the Party cells have no figure: moving one changes nothing known
    _, r = run(city, {"op": "move", "unit": "cb3", "parent": "tu"})
    h = r["headcount"]
    assert (h["before"], h["after"], h["change"]) == (None, None, None)
    assert h["known"] == {"before": False, "after": False}
    assert "unknown, not 0" in h["note"]
