"""Unit reads over HTTP on tests/data/q_town: RENAME chains, a MERGE into a unit that goes
on, a MOVE, a function transfer, both headcount bases, concurrent posts and links."""

from __future__ import annotations

import pytest


def ids(items):
    return [i["id"] if "id" in i else i["unit"]["id"] for i in items]


def flatten(tree):
    out, stack = [], [tree]
    while stack:
        node = stack.pop()
        out.append(node["unit"]["id"])
        stack.extend(reversed(node["children"]))
    return out


# -- detail --------------------------------------------------------------------------------------
def test_detail_has_parent_children_headcount_functions_posts_and_links(town):
    body = town.get("/units/cqk", params={"at": "2019-06-01"}).json()
    assert body["unit"]["id"] == "cqk" and body["unit"]["parent"] == "mttq"
    assert body["unit"]["valid_from"] == "2018-05-01"  # implied by its ESTABLISH event
    assert body["parent"]["id"] == "mttq" and body["parent"]["name"].startswith("Ủy ban Mặt trận")
    assert body["headcount"] == {"headcount": 12, "date": "2018-05-01", "basis": "approved",
                                 "source": "test"}
    assert ids(body["serves"]) == ["hoi-nd", "mttq"]
    assert ids(body["guided_by"]) == ["bdv"] and body["served_by"] == []
    guides = town.get("/units/bdv", params={"at": "2019-06-01"}).json()["guides"]
    assert ids(guides) == ["cqk"]
    hu = town.get("/units/hu", params={"at": "2019-06-01"}).json()
    assert hu["children_count"] == 5  # ubkt, bdv, btg, ttbd and hcc (moved in) ...
    assert [(p["person_id"], p["role"]) for p in hu["posts"]] == [("p-an", "secretary")]
    # ... and the secretary's other post that day is visible: the concurrent People's Council chair
    assert [(c["unit"]["id"], c["role"]) for c in hu["posts"][0]["concurrent"]] == [("hdnd", "chair")]


def test_the_approved_figure_wins_over_the_actual_one_of_the_same_day(town):
    assert town.get("/units/ubkt", params={"at": "2018-12-31"}).json()["headcount"]["headcount"] == 5
    day_of = town.get("/units/ubkt", params={"at": "2019-01-01"}).json()["headcount"]
    assert (day_of["headcount"], day_of["basis"]) == (9, "approved")
    # a month-precision figure counts from its first day
    assert town.get("/units/ubkt", params={"at": "2020-05-31"}).json()["headcount"]["headcount"] == 9
    assert town.get("/units/ubkt", params={"at": "2020-06-01"}).json()["headcount"]["headcount"] == 7


def test_functions_follow_a_transfer_on_its_date(town):
    def functions(unit, at):
        return [f["function"] for f in town.get(f"/units/{unit}", params={"at": at}).json()["functions"]]
    assert functions("ttbd", "2019-05-31") == ["training"]
    assert functions("ttbd", "2019-06-01") == []
    assert sorted(functions("btg", "2019-06-01")) == ["propaganda", "training"]


def test_without_at_an_ended_unit_shows_its_last_day(town):
    body = town.get("/units/thanhtra").json()
    assert body["at"] == "2018-12-31" and body["exists"] is True
    assert body["headcount"]["headcount"] == 4 and body["parent"]["id"] == "ubnd"
    assert [p["person_id"] for p in body["posts"]] == ["p-binh"]


@pytest.mark.parametrize("at,status", [
    ("2015-12-31", 404),  # the day before the RENAME that started it
    ("2016-01-01", 200),  # the day of it
    ("2018-12-31", 200),  # the day before the MERGE
    ("2019-01-01", 404),  # the day of the MERGE: valid_to is exclusive
])
def test_as_of_boundaries_of_a_renamed_then_merged_unit(town, at, status):
    assert town.get("/units/thanhtra", params={"at": at}).status_code == status
    assert town.get("/units/thanhtra/children", params={"at": at}).status_code == status


def test_the_404_says_when_the_unit_existed(town):
    r = town.get("/units/ttct", params={"at": "2017-03-01"})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["detail"] == ("unit 'ttct' (Trung tâm Chính trị huyện Mẫu) did not exist on "
                              "2017-03-01: it existed from 2000 until 2017-03-01 (exclusive); "
                              "it was renamed on 2017-03-01 into ttbd (Trung tâm Bồi dưỡng "
                              "Chính trị huyện Mẫu) (event ev-rename-ttct)")
    assert body["errors"] == [{"field": "at", "message": "outside the unit's lifetime",
                               "value": "2017-03-01", "unit": "ttct", "valid_from": "2000",
                               "valid_to": "2017-03-01", "superseded_by": ["ttbd"]}]
    assert body["superseded_by"] == [{"id": "ttbd", "date": "2017-03-01", "type": "RENAME",
                                      "event": "ev-rename-ttct",
                                      "name": "Trung tâm Bồi dưỡng Chính trị huyện Mẫu"}]


# -- structure -------------------------------------------------------------------------------------
@pytest.mark.parametrize("at,under_ubnd,under_hu", [
    ("2018-12-31", ["doi", "hcc", "thanhtra"], ["bdv", "btg", "ttbd", "ubkt"]),
    ("2019-01-01", ["doi"], ["bdv", "btg", "hcc", "ttbd", "ubkt"]),  # moved, merged
])
def test_children_around_a_move_and_a_merge(town, at, under_ubnd, under_hu):
    assert ids(town.get("/units/ubnd/children", params={"at": at}).json()["items"]) == under_ubnd
    assert ids(town.get("/units/hu/children", params={"at": at}).json()["items"]) == under_hu


def test_children_are_paginated_and_carry_headcount(town):
    page = town.get("/units/hu/children", params={"at": "2019-01-01", "limit": 2,
                                                   "offset": 3}).json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 3)
    assert ids(page["items"]) == ["ttbd", "ubkt"]
    assert page["items"][1]["headcount"] == 9 and page["items"][1]["parent"] == "hu"


def test_ancestors_follow_the_parent_of_that_date(town):
    before = town.get("/units/hcc/ancestors", params={"at": "2018-12-31"}).json()
    after = town.get("/units/hcc/ancestors", params={"at": "2019-01-01"}).json()
    assert ids(before["items"]) == ["ubnd", "town"] and ids(after["items"]) == ["hu", "town"]
    assert before["items"][0]["parent"] == "town" and before["items"][-1]["parent"] is None
    assert town.get("/units/town/ancestors").json() == {"items": [], "total": 0,
                                                         "at": town.get("/units/town/ancestors")
                                                         .json()["at"]}


def test_subtree_nesting_depth_and_child_count(town):
    tree = town.get("/units/town/subtree", params={"at": "2017-03-01"}).json()
    assert tree["at"] == "2017-03-01" and tree["unit"]["parent"] is None
    assert [c["unit"]["id"] for c in tree["children"]] == ["hdnd", "hoi-nd", "hu", "mttq", "ubnd"]
    flat = flatten(tree)
    assert "ttbd" in flat and "ttct" not in flat and "cqk" not in flat  # renamed; not yet set up
    shallow = town.get("/units/town/subtree", params={"at": "2017-03-01", "depth": 1}).json()
    hu = next(c for c in shallow["children"] if c["unit"]["id"] == "hu")
    assert hu["children"] == [] and hu["child_count"] == 4
    only = town.get("/units/hu/subtree", params={"at": "2017-03-01", "depth": 0}).json()
    assert only["children"] == [] and only["child_count"] == 4
    assert only["unit"]["parent"] == "town"


def test_posts_of_a_unit_on_a_date(town):
    assert town.get("/units/ubkt/posts", params={"at": "2018-12-31"}).json()["items"] == []
    items = town.get("/units/ubkt/posts", params={"at": "2019-01-01"}).json()["items"]
    assert [(p["person_id"], p["person"], p["role"]) for p in items] == [
        ("p-binh", "Trần Thị Bình", "head")]


# -- lineage and history ---------------------------------------------------------------------------
def test_lineage_through_a_merge_and_a_rename(town):
    body = town.get("/units/ubkt/lineage").json()
    assert [(i["unit"]["id"], i["depth"], i["event"]["type"], i["via"])
            for i in body["predecessors"]] == [("thanhtra", 1, "MERGE", "ubkt"),
                                              ("thanhtra-cu", 2, "RENAME", "thanhtra")]
    assert body["successors"] == []
    first = body["predecessors"][0]["event"]
    assert first["documents"] == [{"id": "doc-kh", "code": "10-KH/HU",
                                   "title": "Kế hoạch sắp xếp tổ chức bộ máy"}]
    forward = town.get("/units/thanhtra-cu/lineage").json()["successors"]
    assert [(i["unit"]["id"], i["depth"]) for i in forward] == [("thanhtra", 1), ("ubkt", 2)]


def test_a_move_or_a_transfer_is_not_lineage(town):
    assert town.get("/units/hcc/lineage").json()["predecessors"] == []
    body = town.get("/units/btg/lineage").json()
    assert body["predecessors"] == [] and body["successors"] == []


def test_history_lists_every_kind_of_change_in_date_order(town):
    items = town.get("/units/ubkt/history").json()["items"]
    kinds = [(i["date"], i["type"]) for i in items]
    assert kinds == [
        ("2000", "start"), ("2000", "parent"), ("2000", "function_added"),
        ("2018", "headcount"),
        ("2019-01-01", "event"), ("2019-01-01", "post_start"),
        ("2019-01-01", "headcount"), ("2019-01-01", "headcount"),
        ("2020-06", "headcount")]
    approved = [i for i in items if i["type"] == "headcount" and i["basis"] == "approved"]
    assert [(i["headcount"], i["previous"], i["change"]) for i in approved] == [
        (5, None, None), (9, 5, 4), (7, 9, -2)]


def test_history_shows_a_move_and_an_end_explained_by_its_event(town):
    moved = town.get("/units/hcc/history").json()["items"]
    change = next(i for i in moved if i["type"] == "parent" and i["from"])
    assert (change["date"], change["from"]["id"], change["to"]["id"]) == ("2019-01-01", "ubnd", "hu")
    ended = town.get("/units/thanhtra/history").json()["items"]
    end = next(i for i in ended if i["type"] == "end")
    assert (end["date"], end["events"]) == ("2019-01-01", ["ev-merge-thanhtra"])
    start = next(i for i in ended if i["type"] == "start")
    assert start["events"] == ["ev-rename-thanhtra"]
    hu = town.get("/units/hu/history").json()["items"]
    assert ("2019-01-01", "child_added", "hcc") in [(i["date"], i["type"], i.get("unit", {}).get("id"))
                                                     for i in hu]


def test_history_is_paginated(town):
    full = town.get("/units/hu/history").json()
    page = town.get("/units/hu/history", params={"limit": 3, "offset": 2}).json()
    assert page["total"] == full["total"] > 5 and page["items"] == full["items"][2:5]
