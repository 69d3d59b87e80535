"""Queries on events, documents and people: filtered event lists, a document with the
events it mandated, a person with every post over time and the periods of concurrent posts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.errors import InvalidParameter, NotFound
from graph.model import EVENT_TYPES, Post
from graph.queries.answers import document_dict, event_dict, require_unit, unit_ref
from graph.store import GraphReader


def events(reader: GraphReader, *, date_from: dt.date | None = None,
           date_to: dt.date | None = None, type: str | None = None, unit: str | None = None,
           basis: str | None = None) -> list[dict[str, Any]]:
    """Events in date order, filtered (dates inclusive; `unit` matches inputs or outputs;
    `basis` a document id)."""
    if type is not None and type not in EVENT_TYPES:
        raise InvalidParameter(f"type: unknown event type {type!r}",
                               errors=[{"field": "type", "value": type, "message":
                                        "expected one of " + ", ".join(sorted(EVENT_TYPES))}])
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidParameter("from must not be after to",
                               errors=[{"field": "from", "message": "after `to`",
                                        "value": date_from.isoformat()}])
    if unit is not None:
        require_unit(reader, unit, field="unit")
    if basis is not None and reader.get_document(basis) is None:
        raise NotFound(f"no document with id {basis!r}",
                       errors=[{"field": "basis", "message": "unknown document id",
                                "value": basis}])
    found = reader.events(unit_id=unit, type=type, basis=basis, date_from=date_from,
                          date_to=date_to)
    return [event_dict(e) for e in found]


def event_detail(reader: GraphReader, event_id: str) -> dict[str, Any]:
    """One event with its input and output units and its basis documents."""
    event = reader.get_event(event_id)
    if event is None:
        raise NotFound(f"no event with id {event_id!r}",
                       errors=[{"field": "event_id", "message": "unknown event id",
                                "value": event_id}])
    units = reader.get_units(event.inputs + event.outputs)
    docs = [reader.get_document(d) for d in event.basis]
    return event_dict(event) | {
        "input_units": [unit_ref(units.get(u), u) for u in event.inputs],
        "output_units": [unit_ref(units.get(u), u) for u in event.outputs],
        "documents": [document_dict(d) if d else {"id": i} for i, d in zip(event.basis, docs)]}


def document_detail(reader: GraphReader, document_id: str) -> dict[str, Any]:
    """A document and the events it is the basis of, in date order."""
    doc = reader.get_document(document_id)
    if doc is None:
        raise NotFound(f"no document with id {document_id!r}",
                       errors=[{"field": "document_id", "message": "unknown document id",
                                "value": document_id}])
    return document_dict(doc) | {"events": [event_dict(e)
                                            for e in reader.events(basis=document_id)]}


def _lo(p: Post) -> dt.date:
    return p.valid_from.first_day() if p.valid_from else dt.date.min


def _hi(p: Post) -> dt.date:
    return p.valid_to.first_day() if p.valid_to else dt.date.max


def _bound(d: dt.date) -> str | None:
    return None if d in (dt.date.min, dt.date.max) else d.isoformat()


def concurrent_periods(posts: list[Post]) -> list[tuple[dt.date, dt.date, list[int]]]:
    """The maximal periods in which two or more of `posts` are held at once, each with
    the indexes of the posts held (a sweep over the posts' bounds)."""
    bounds = sorted({_lo(p) for p in posts} | {_hi(p) for p in posts})
    periods: list[tuple[dt.date, dt.date, list[int]]] = []
    for lo, hi in zip(bounds, bounds[1:]):
        held = [i for i, p in enumerate(posts) if _lo(p) <= lo and hi <= _hi(p)]
        if len(held) < 2:
            continue
        if periods and periods[-1][1] == lo and periods[-1][2] == held:
            periods[-1] = (periods[-1][0], hi, held)
        else:
            periods.append((lo, hi, held))
    return periods


def person_detail(reader: GraphReader, person_id: str) -> dict[str, Any]:
    """A person with every post over time (oldest first, each with the unit) and the
    periods in which they held more than one post at once."""
    person = reader.get_person(person_id)
    if person is None:
        raise NotFound(f"no person with id {person_id!r}",
                       errors=[{"field": "person_id", "message": "unknown person id",
                                "value": person_id}])
    posts = sorted(reader.posts(person_id=person_id), key=lambda p: (_lo(p), p.unit_id, p.role))
    units = reader.get_units({p.unit_id for p in posts})
    items = [{"unit": unit_ref(units.get(p.unit_id), p.unit_id), "role": p.role,
              "valid_from": p.as_dict()["valid_from"], "valid_to": p.as_dict()["valid_to"],
              "source": p.source}
             for p in posts]
    periods = concurrent_periods(posts)
    for i, item in enumerate(items):
        item["concurrent_with"] = sorted({j for _, _, held in periods if i in held
                                          for j in held if j != i})
    return person.as_dict() | {
        "posts": items,
        "concurrent": [{"valid_from": _bound(lo), "valid_to": _bound(hi),
                        "posts": [{"unit_id": posts[i].unit_id, "role": posts[i].role}
                                  for i in held]}
                       for lo, hi, held in periods]}
