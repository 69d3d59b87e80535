"""The listings that had no route: people, documents, posts, relations.

`make_listings_router(get_reader, prefix)` builds them over any `GraphReader` dependency
(the baseline here). Same list shape as every listing (`items`, `total`, `limit`,
`offset`); CSV and `next` links come from `api.csv_answers`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from fastapi import APIRouter, Depends, Query, Request

from api import schemas
from api.deps import _DATE, as_of, get_store
from api.responses import json_read
from api.routes.units import LIMIT, OFFSET, check_choice, page
from graph.model import RELATION_TYPES
from graph.queries.answers import document_dict
from graph.store import GraphReader
from graph.text import fold


#: A date as api.deps documents it, or `all` (every fact ever recorded); blank: absent.
_ALL_OR_DATE = {"json_schema_extra": {"pattern": rf"^\s*(all|{_DATE})?\s*$"}}


def people_list(reader: GraphReader, q: str | None, limit: int, offset: int) -> dict[str, Any]:
    """The body of GET /people (for the route and `bomay people`): by id, `q` a part of
    the name (diacritics optional)."""
    found = reader.people()
    if q and q.strip():
        needle = fold(q)
        found = [p for p in found if needle in fold(p.name)]
    return page([p.as_dict() for p in found], limit, offset)


def relation_list(reader: GraphReader, day: dt.date | None, type: str | None,
                  unit: str | None, limit: int, offset: int) -> dict[str, Any]:
    """The body of GET /relations (for the route and `bomay relations`): on `day`, or
    every one ever recorded (None)."""
    check_choice("type", type, RELATION_TYPES)
    types = [type] if type else None
    found = (reader.relations(unit, day, types=types, direction="both") if unit
             else reader.all_relations(day, types=types))
    return page([r.as_dict() for r in found], limit, offset,
                at=day.isoformat() if day else None)


def post_list(reader: GraphReader, day: dt.date | None, unit: str | None, person: str | None,
              role: str | None, limit: int, offset: int) -> dict[str, Any]:
    """The body of GET /posts (for the route and `bomay holders`): posts held on `day`, or
    every one ever held (None), with the person's and the unit's names."""
    found = [p for p in reader.posts(unit_id=unit, person_id=person, at=day)
             if role is None or p.role == role]
    units = reader.get_units({p.unit_id for p in found})
    names = {p.id: p.name for p in reader.people()} if found else {}
    items = [p.as_dict() | {"person": names.get(p.person_id),
                            "unit": units[p.unit_id].name if p.unit_id in units else None}
             for p in found]
    return page(items, limit, offset, at=day.isoformat() if day else None)


def document_list(reader: GraphReader, issuer: str | None, limit: int,
                  offset: int) -> dict[str, Any]:
    """The body of GET /documents (for the route and `bomay documents`): by id."""
    found = [d for d in reader.documents() if issuer is None or d.issuer == issuer]
    return page([document_dict(d) for d in found], limit, offset)


def make_listings_router(get_reader: Callable[..., GraphReader], prefix: str = "") -> APIRouter:
    router = APIRouter(prefix=prefix, tags=["queries"])
    Reader = Depends(get_reader)

    @router.get("/people", summary="People, by id; `q` filters by name (diacritics optional)")
    def people(request: Request,
               q: str | None = Query(None, max_length=200, description="Part of a name.",
                                     examples=["nguyen van"]),
               limit: int = LIMIT, offset: int = OFFSET, reader: GraphReader = Reader):
        return json_read(request, people_list(reader, q, limit, offset), reader.revision)

    @router.get("/documents", summary="Documents (resolutions, decisions, plans), by id",
                response_model=schemas.DocumentList)
    def documents(request: Request,
                  issuer: str | None = Query(None, description="Only those issued by this "
                                             "unit.", examples=["vn-bch-tw"]),
                  limit: int = LIMIT, offset: int = OFFSET, reader: GraphReader = Reader):
        return json_read(request, document_list(reader, issuer, limit, offset),
                         reader.revision)

    @router.get("/posts", summary="Posts held on a date (or ever, with at=all), with the "
                "person's and the unit's names")
    def posts(request: Request,
              at: str | None = Query(None, description="A date (YYYY-MM-DD; default: today), "
                                     "or `all` for every post ever held.",
                                     examples=["2018-08-07"], **_ALL_OR_DATE),
              unit: str | None = Query(None, description="Only posts in this unit."),
              person: str | None = Query(None, description="Only posts of this person."),
              role: str | None = Query(None, description="Only this role.",
                                       examples=["secretary"]),
              limit: int = LIMIT, offset: int = OFFSET, reader: GraphReader = Reader):
        body = post_list(reader, _day(request, at), unit, person, role, limit, offset)
        return json_read(request, body, reader.revision)

    @router.get("/relations", summary="Relations (PART_OF, SERVES, GUIDED_BY) on a date "
                "(or ever, with at=all)")
    def relations(request: Request,
                  at: str | None = Query(None, description="A date (YYYY-MM-DD; default: "
                                         "today), or `all` for every relation ever recorded.",
                                         examples=["2018-08-07"], **_ALL_OR_DATE),
                  type: str | None = Query(None, description="A relation type.",
                                           examples=["SERVES"],
                                           json_schema_extra={"enum": sorted(RELATION_TYPES)}),
                  unit: str | None = Query(None, description="Only relations from or to this "
                                           "unit."),
                  limit: int = LIMIT, offset: int = OFFSET, reader: GraphReader = Reader):
        check_choice("type", type, RELATION_TYPES)  # before the date, as it always was
        body = relation_list(reader, _day(request, at), type, unit, limit, offset)
        return json_read(request, body, reader.revision)

    return router


def _day(request: Request, at: str | None) -> dt.date | None:
    """`at=all`: None (every fact); otherwise the as-of date (default: today)."""
    if at is not None and at.strip().lower() == "all":
        return None
    return as_of(request, at)


router = make_listings_router(get_store)
