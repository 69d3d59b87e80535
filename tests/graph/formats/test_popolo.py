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
