"""Popolo JSON (https://www.popoloproject.com/specs/): organizations, persons, posts,
memberships, and the events that changed the organizations.

- an organization per unit: `classification` its kind, `parent_id` its PART_OF parent (on
  `at`, or the most recent one for a whole-history export: Popolo has one parent per
  organization; the full history of parents is in the RDF and GraphML exports),
  `founding_date` / `dissolution_date` its interval (partial dates kept, as Popolo
  allows), `other_names` its English name and abbreviation, and `area_unit_id` its area
  (all as on `at` in an export of a day; the latest in a whole-history export);
- over the whole history, a renamed unit's former names are more `other_names` with their
  `start_date` / `end_date` (note `former name`, `former English name`, `former
  abbreviation`), and a moved unit's areas are bomay's `area_history`:
  `[{area_unit_id, start_date, end_date}]`, oldest first, the current one last;
- a post per (unit, role), from the first to the last day someone held it;
- a membership per row of posts.csv: the person, the organization, the post, its dates;
- an event per event (`classification` its type; `inputs`, `outputs` and `basis` beside).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

import orjson

from graph.formats.view import History, latest_parents, text
from graph.model import Dataset, Unit


def _dated(record: dict[str, Any], start: str, end: str, start_key: str = "start_date",
           end_key: str = "end_date") -> dict[str, Any]:
    # Popolo dates are optional: an unknown or open bound is left out, never "".
    if start:
        record[start_key] = start
    if end:
        record[end_key] = end
    return record


def post_id(unit_id: str, role: str) -> str:
    return f"{unit_id}/{role}"


#: The note of each former spelling in `other_names`.
_FORMER = (("name", "former name"), ("name_en", "former English name"),
           ("abbr", "former abbreviation"))


def _history(history: History, u: Unit, org: dict[str, Any]) -> None:
    """A whole-history export's dated names and areas of one organization."""
    former = []
    for n in history.names(u):
        if n.current:
            continue
        for key, note in _FORMER:
            value = getattr(n, key)
            if value and value != getattr(u, key):  # a spelling kept is no former one
                former.append(_dated({"name": value, "note": note}, text(n.valid_from),
                                     text(n.valid_to)))
    if former:
        org.setdefault("other_names", []).extend(former)
    areas = history.areas(u)
    if areas:
        org["area_history"] = [_dated({"area_unit_id": a.area or None}, text(a.valid_from),
                                      text(a.valid_to)) for a in areas]


def popolo_document(dataset: Dataset, *, at: dt.date | None = None) -> dict[str, Any]:
    """The dataset as one Popolo JSON document (a dict)."""
    parents = latest_parents(dataset)
    history = History(dataset) if at is None else None
    organizations = []
    for u in dataset.units:
        org: dict[str, Any] = {"id": u.id, "name": u.name, "classification": u.kind,
                               "identifiers": [{"scheme": "bomay", "identifier": u.id}]}
        other = [{"name": u.name_en, "note": "English name"}] if u.name_en else []
        if u.abbr:
            other.append({"name": u.abbr, "note": "abbreviation"})
        if other:
            org["other_names"] = other
        org["parent_id"] = parents.get(u.id)
        _dated(org, text(u.valid_from), text(u.valid_to), "founding_date", "dissolution_date")
        org["level"] = u.level
        if u.area:
            org["area_unit_id"] = u.area
        if history is not None:
            _history(history, u, org)
        organizations.append(org)

    spans: dict[str, list[str]] = {}
    memberships = []
    for p in dataset.posts:
        pid = post_id(p.unit_id, p.role)
        span = spans.setdefault(pid, [p.unit_id, p.role, "9999", "", False])  # type: ignore[list-item]
        start, end = text(p.valid_from), text(p.valid_to)
        # The post exists from its first holder's start to its last holder's end (open
        # when any holder's start or end is).
        span[2] = min(span[2], start) if start and span[2] != "" else ""
        span[3] = "open" if not end or span[3] == "open" else max(span[3], end)
        memberships.append(_dated({"id": f"{pid}/{p.person_id}/{start or '-'}",
                                   "person_id": p.person_id, "organization_id": p.unit_id,
                                   "post_id": pid, "role": p.role}, start, end))
    posts = [_dated({"id": pid, "label": role, "role": role, "organization_id": unit_id},
                    "" if start == "9999" else start, "" if end == "open" else end)
             for pid, (unit_id, role, start, end, _) in spans.items()]

    events = [{"id": e.id, "name": e.description[:200] or e.id, "classification": e.type,
               "start_date": e.date.iso, "inputs": list(e.inputs), "outputs": list(e.outputs),
               "basis": list(e.basis)} for e in dataset.events]
    document: dict[str, Any] = {
        "organizations": organizations,
        "persons": [{"id": p.id, "name": p.name} for p in dataset.people],
        "posts": posts, "memberships": memberships, "events": events,
    }
    if at is not None:
        document["as_of"] = at.isoformat()
    return document


def write_popolo(dataset: Dataset, out: BinaryIO, *, at: dt.date | None = None,
                 base: str = "") -> None:
    out.write(orjson.dumps(popolo_document(dataset, at=at), option=orjson.OPT_INDENT_2))
