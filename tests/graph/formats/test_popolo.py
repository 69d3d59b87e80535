"""Popolo JSON out, checked against Popolo's required fields and the dataset's counts."""

from __future__ import annotations

import datetime as dt
import json
import re

#: Popolo's date pattern (a year, year-month or full date).
POPOLO_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}){0,2}$")


def test_required_fields_and_counts(exported, seed_dataset):
    doc = json.loads(exported("popolo"))
    orgs = doc["organizations"]
    assert len(orgs) == len(seed_dataset.units)
    assert all(o["id"] and o["name"] and o["classification"] for o in orgs)
    assert len(doc["persons"]) == len(seed_dataset.people)
    assert all(p["id"] and p["name"] for p in doc["persons"])
    assert len(doc["memberships"]) == len(seed_dataset.posts)
    ids = {o["id"] for o in orgs}
    persons = {p["id"] for p in doc["persons"]}
    posts = {p["id"]: p for p in doc["posts"]}
    for m in doc["memberships"]:
        assert m["person_id"] in persons and m["organization_id"] in ids
        assert posts[m["post_id"]]["organization_id"] == m["organization_id"]
    assert all(p["label"] and p["organization_id"] in ids for p in posts.values())
    assert len(doc["events"]) == len(seed_dataset.events)


def test_dates_and_parents(exported, seed_dataset):
    doc = json.loads(exported("popolo"))
    orgs = {o["id"]: o for o in doc["organizations"]}
    ended = [u for u in seed_dataset.units if u.valid_to is not None]
    assert ended
    assert sum("dissolution_date" in o for o in orgs.values()) == len(ended)
    assert sum("founding_date" in o for o in orgs.values()) == sum(
        u.valid_from is not None for u in seed_dataset.units)
    dates = [o[k] for o in orgs.values() for k in ("founding_date", "dissolution_date") if k in o]
    dates += [m[k] for m in doc["memberships"] for k in ("start_date", "end_date") if k in m]
    assert dates and all(POPOLO_DATE.match(d) for d in dates)
    assert orgs["mc-ban-to-chuc"]["dissolution_date"] == "2018-08-07"
    assert all(o["parent_id"] is None or o["parent_id"] in orgs for o in orgs.values())
    assert orgs["mc-to-chuc-noi-vu"]["parent_id"] == "mc-tu"
    english = {n["name"] for n in orgs["mc-to-chuc-noi-vu"].get("other_names", [])}
    assert english


def test_at_a_date(exported, seed_dataset):
    day = dt.date(2020, 6, 1)
    doc = json.loads(exported("popolo", at=day))
    assert doc["as_of"] == "2020-06-01"
    assert len(doc["organizations"]) == sum(u.valid_at(day) for u in seed_dataset.units)
    assert len(doc["memberships"]) == sum(p.valid_at(day) for p in seed_dataset.posts)


def _orgs(data: bytes) -> dict:
    return {o["id"]: o for o in json.loads(data)["organizations"]}


def test_the_whole_history_has_former_names_and_dated_areas(exported, moved_dataset):
    orgs = _orgs(exported("popolo", moved_dataset))
    cell = orgs["pa-cb"]
    assert cell["name"] == "Chi bộ Văn phòng"
    assert {"name": "Chi bộ Sở Ngoại vụ", "note": "former name", "start_date": "2010",
            "end_date": "2015-01-01"} in cell["other_names"]
    assert {"name": "Party cell of the Office", "note": "English name"} in cell["other_names"]
    for unit_id, start in (("pa-cb", "2010"), ("pa-sngv", "1990")):
        assert orgs[unit_id]["area_unit_id"] == "pb"
        assert orgs[unit_id]["area_history"] == [
            {"area_unit_id": "pa", "start_date": start, "end_date": "2025-07-01"},
            {"area_unit_id": "pb", "start_date": "2025-07-01"}]
    # A row dating only the area is no former name; a unit that never moved has no history.
    assert all(n["note"] != "former name" for n in orgs["pa-sngv"]["other_names"])
    assert "area_history" not in orgs["pb-syt"]
    assert all(POPOLO_DATE.match(d) for o in orgs.values()
               for item in o.get("other_names", []) + o.get("area_history", [])
               for k, d in item.items() if k.endswith("_date"))


def test_a_day_gives_the_name_and_area_of_that_day(exported, moved_dataset):
    before = _orgs(exported("popolo", moved_dataset, at=dt.date(2012, 6, 1)))
    assert before["pa-cb"]["name"] == "Chi bộ Sở Ngoại vụ"
    assert before["pa-cb"]["area_unit_id"] == before["pa-sngv"]["area_unit_id"] == "pa"
    assert all("area_history" not in o and
               all(n["note"] != "former name" for n in o.get("other_names", []))
               for o in before.values())
    after = _orgs(exported("popolo", moved_dataset, at=dt.date(2026, 1, 1)))
    assert after["pa-cb"]["name"] == "Chi bộ Văn phòng"
    assert after["pa-cb"]["area_unit_id"] == after["pa-sngv"]["area_unit_id"] == "pb"
