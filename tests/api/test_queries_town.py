"""Graph-wide reads over HTTP on tests/data/q_town: diff, snapshot, stats, path, events,
documents, people, search (with and without diacritics, đ, abbreviations, English)."""

from __future__ import annotations

import pytest


def ids(items):
    return [i["id"] if "id" in i else i["unit"]["id"] for i in items]


# -- diff ------------------------------------------------------------------------------------------
def test_diff_across_a_merge_and_a_move(town):
    body = town.get("/diff", params={"from": "2018-12-31", "to": "2019-01-01",
                                     "root": "town"}).json()
    assert body["summary"] == {"units_before": 14, "units_after": 13, "added": 0, "removed": 1,
                               "moved": 1, "moved_in": 0, "moved_out": 0, "renamed": 0, "headcount_before": 21,
                               "headcount_after": 21, "headcount_change": 0, "events": 2}
    assert ids(body["removed"]) == ["thanhtra"] and body["removed"][0]["events"] == [
        "ev-merge-thanhtra"]
    assert [(m["unit"]["id"], m["from_parent"], m["to_parent"], m["events"])
            for m in body["moved"]] == [("hcc", "ubnd", "hu", ["ev-move-hcc"])]
    assert [(h["unit"]["id"], h["before"], h["after"], h["change"]) for h in body["headcount"]] == [
        ("thanhtra", 4, None, -4), ("ubkt", 5, 9, 4)]
    assert ids(body["events"]) == ["ev-merge-thanhtra", "ev-move-hcc"]


def test_diff_reports_renames_and_only_events_after_from(town):
    body = town.get("/diff", params={"from": "2015-12-31", "to": "2016-01-01"}).json()
    assert [(r["from"]["id"], r["to"]["id"], r["event"]) for r in body["renamed"]] == [
        ("thanhtra-cu", "thanhtra", "ev-rename-thanhtra")]
    assert ids(body["added"]) == ["thanhtra"] and ids(body["removed"]) == ["thanhtra-cu"]
    # an event dated on `from` is already in force on `from`: it explains nothing in between
    same = town.get("/diff", params={"from": "2016-01-01", "to": "2016-12-31"}).json()
    assert same["events"] == [] and same["summary"]["added"] == same["summary"]["removed"] == 0


def test_diff_under_a_root_that_did_not_exist_yet(town):
    body = town.get("/diff", params={"from": "2018-04-30", "to": "2018-05-01", "root": "cqk"}).json()
    assert ids(body["added"]) == ["cqk"] and body["added"][0]["events"] == ["ev-establish-cqk"]
    assert body["summary"]["headcount_after"] == 12


def test_diff_under_a_root_uses_its_predecessors_before_it_existed(town):
    # thanhtra did not exist on 2015-06-01: its predecessor thanhtra-cu stands in for it
    body = town.get("/diff", params={"from": "2015-06-01", "to": "2016-06-01",
                                     "root": "thanhtra"}).json()
    assert ids(body["removed"]) == ["thanhtra-cu"] and ids(body["added"]) == ["thanhtra"]


@pytest.mark.parametrize("params,field", [
    ({"from": "2019-01-02", "to": "2019-01-01"}, "from"),
    ({"from": "2019-02-29", "to": "2019-03-01"}, "from"),
    ({"from": "2019-01-01"}, "to"),
])
def test_diff_refuses_bad_dates(town, params, field):
    r = town.get("/diff", params=params)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == field


def test_diff_of_an_unknown_root_is_a_404(town):
    r = town.get("/diff", params={"from": "2018", "to": "2019", "root": "nope"})
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "root"


# -- snapshot, stats, path -------------------------------------------------------------------------
def test_snapshot_is_the_forest_of_roots_or_one_tree(town):
    forest = town.get("/snapshot", params={"at": "2019-01-01", "depth": 1}).json()
    assert (forest["total"], ids(forest["items"])) == (1, ["town"])
    assert [c["unit"]["id"] for c in forest["items"][0]["children"]] == [
        "hdnd", "hoi-nd", "hu", "mttq", "ubnd"]
    one = town.get("/snapshot", params={"at": "2019-01-01", "root": "mttq"}).json()
    assert ids(one["items"]) == ["mttq"] and ids(one["items"][0]["children"]) == ["cqk"]
    assert town.get("/snapshot", params={"at": "1999-12-31"}).json()["items"] == []


def test_stats_by_kind_level_headcount_and_concurrent_posts(town):
    body = town.get("/stats", params={"at": "2019-01-01"}).json()
    assert body["units"] == 13 and body["by_level"] == {"district": 13}
    assert body["by_kind"]["centre"] == 2 and "inspectorate" not in body["by_kind"]
    assert body["headcount"] == {"total": 21, "units_with_figure": 2}
    assert (body["people_with_posts"], body["people_with_concurrent_posts"]) == (2, 1)
    assert body["concurrent_sample"] == [{"id": "p-an", "name": "Nguyễn Văn An", "posts": 2}]
    later = town.get("/stats", params={"at": "2021-06-01"}).json()
    assert later["people_with_concurrent_posts"] == 0  # the council chair ended that day
    under = town.get("/stats", params={"at": "2019-01-01", "root": "hu"}).json()
    assert under["units"] == 6 and under["headcount"]["total"] == 9
    assert under["people_with_concurrent_posts"] == 1  # p-an's other post is outside hu


def test_path_up_to_the_common_ancestor_and_down(town):
    body = town.get("/path", params={"from": "cqk", "to": "hcc", "at": "2019-06-01"}).json()
    assert body["found"] and body["via"] == "PART_OF" and body["common_ancestor"] == "town"
    assert [(s["id"], s["direction"]) for s in body["steps"]] == [
        ("mttq", "up"), ("town", "up"), ("hu", "down"), ("hcc", "down")]
    before = town.get("/path", params={"from": "cqk", "to": "hcc", "at": "2018-06-01"}).json()
    assert [s["id"] for s in before["steps"]] == ["mttq", "town", "ubnd", "hcc"]
    self = town.get("/path", params={"from": "hu", "to": "hu", "at": "2019-06-01"}).json()
    assert self["found"] and self["length"] == 0


def test_path_needs_both_units_on_that_date(town):
    r = town.get("/path", params={"from": "cqk", "to": "ttct", "at": "2019-06-01"})
    assert r.status_code == 404 and r.json()["errors"][0]["unit"] == "ttct"
    assert town.get("/path", params={"from": "cqk"}).status_code == 422


# -- events, documents, people ---------------------------------------------------------------------
@pytest.mark.parametrize("params,expected", [
    ({}, ["ev-rename-thanhtra", "ev-rename-ttct", "ev-establish-cqk", "ev-merge-thanhtra",
          "ev-move-hcc", "ev-training"]),
    ({"from": "2018", "to": "2019-01-01"}, ["ev-establish-cqk", "ev-merge-thanhtra",
                                            "ev-move-hcc"]),
    ({"type": "RENAME"}, ["ev-rename-thanhtra", "ev-rename-ttct"]),
    ({"unit": "ubkt"}, ["ev-merge-thanhtra"]),
    ({"basis": "doc-qd"}, ["ev-rename-thanhtra", "ev-rename-ttct"]),
    ({"basis": "doc-kh", "type": "MOVE"}, ["ev-move-hcc"]),
])
def test_events_are_filtered(town, params, expected):
    body = town.get("/events", params=params).json()
    assert ids(body["items"]) == expected and body["total"] == len(expected)


@pytest.mark.parametrize("params,status,field", [
    ({"type": "EXPLODE"}, 422, "type"), ({"from": "2019-13"}, 422, "from"),
    ({"from": "2020", "to": "2019"}, 422, "from"), ({"unit": "nope"}, 404, "unit"),
    ({"basis": "nope"}, 404, "basis"),
])
def test_bad_event_filters(town, params, status, field):
    r = town.get("/events", params=params)
    assert r.status_code == status and r.json()["errors"][0]["field"] == field


def test_one_event_with_its_units_and_documents(town):
    body = town.get("/events/ev-merge-thanhtra").json()
    assert [u["id"] for u in body["input_units"]] == ["thanhtra"]
    assert [u["id"] for u in body["output_units"]] == ["ubkt"]
    assert body["documents"][0]["code"] == "10-KH/HU"
    assert town.get("/events/nope").status_code == 404


def test_a_document_with_the_events_it_mandated(town):
    body = town.get("/documents/doc-qd").json()
    assert (body["code"], body["date"]) == ("05-QĐ/UBND", "2016")
    assert ids(body["events"]) == ["ev-rename-thanhtra", "ev-rename-ttct"]
    r = town.get("/documents/nope")
    assert r.status_code == 404 and r.json()["detail"] == "no document with id 'nope'"


def test_a_person_with_posts_over_time_and_concurrent_periods(town):
    body = town.get("/people/p-an").json()
    assert [(p["unit"]["id"], p["role"], p["valid_from"], p["valid_to"], p["concurrent_with"])
            for p in body["posts"]] == [("hu", "secretary", "2015", None, [1]),
                                        ("hdnd", "chair", "2016-06-01", "2021-06-01", [0])]
    assert body["concurrent"] == [{"valid_from": "2016-06-01", "valid_to": "2021-06-01",
                                   "posts": [{"unit_id": "hu", "role": "secretary"},
                                             {"unit_id": "hdnd", "role": "chair"}]}]
    binh = town.get("/people/p-binh").json()  # one post after the other: never concurrent
    assert binh["concurrent"] == [] and len(binh["posts"]) == 2
    assert town.get("/people/nope").status_code == 404


# -- search ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("q,first", [
    ("ban dan van", "bdv"),                 # without diacritics
    ("Ban Dân vận", "bdv"),                 # with them
    ("BAN DÂN VẬN", "bdv"),
    ("doi quan ly do thi", "doi"),          # d for đ
    ("Đội quản lý đô thị", "doi"),
    ("dội quan lý đo thị", "doi"),          # marks in the wrong places
    ("UBKT", "ubkt"), ("ubkt", "ubkt"),     # abbreviations
    ("MTTQ", "mttq"), ("HĐND", "hdnd"), ("hdnd", "hdnd"),
    ("farmers union", "hoi-nd"),            # English names
    ("Party Inspection Committee", "ubkt"),
    ("shared advisory", "cqk"),
    ("trung tam hanh chinh cong", "hcc"),
    ("trung tam hanh ch", "hcc"),           # the last word typed half-way
])
def test_search_finds_with_or_without_diacritics(town, q, first):
    items = town.get("/search", params={"q": q, "at": "2019-06-01"}).json()["items"]
    assert items and items[0]["unit"]["id"] == first, [i["unit"]["id"] for i in items]


def test_search_ranks_the_exact_name_first_and_filters_by_date_and_kind(town):
    items = town.get("/search", params={"q": "thanh tra huyen mau", "at": "2018-06-01"}).json()
    assert ids(items["items"])[0] == "thanhtra" and items["items"][0]["score"] > 1
    assert "thanhtra" not in ids(town.get("/search", params={"q": "thanh tra huyen mau",
                                                             "at": "2019-06-01"}).json()["items"])
    old = town.get("/search", params={"q": "thanh tra", "at": "2015-06-01"}).json()
    assert ids(old["items"]) == ["thanhtra-cu"]
    boards = town.get("/search", params={"q": "huyen uy", "kind": "party_board",
                                         "at": "2019-06-01"}).json()
    assert set(ids(boards["items"])) == {"bdv", "btg"}
    page = town.get("/search", params={"q": "huyen mau", "at": "2019-06-01", "limit": 2,
                                       "offset": 2}).json()
    everything = town.get("/search", params={"q": "huyen mau", "at": "2019-06-01"}).json()
    assert page["items"] == everything["items"][2:4]


@pytest.mark.parametrize("params,field", [
    ({"q": ""}, "q"), ({"q": "a", "limit": 0}, "limit"), ({"q": "a", "kind": "planet"}, "kind"),
    ({"q": "x" * 201}, "q"), ({}, "q"),
])
def test_bad_search_parameters(town, params, field):
    r = town.get("/search", params=params)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == field


def test_units_list_with_q_level_kind_and_area(town):
    body = town.get("/units", params={"at": "2019-06-01", "q": "huyen uy mau",
                                      "kind": "party_board"}).json()
    assert set(ids(body["items"])) == {"bdv", "btg"} and all("score" in i for i in body["items"])
    centres = town.get("/units", params={"at": "2019-06-01", "kind": "centre", "area": "town",
                                         "level": "district"}).json()
    assert ids(centres["items"]) == ["hcc", "ttbd"]
    assert town.get("/units", params={"level": "galaxy"}).status_code == 422
