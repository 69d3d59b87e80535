"""Graph-wide reads: snapshot, search, diff, stats, path, events, documents, people.

`make_queries_router(get_reader, prefix)` builds them over any `GraphReader`
dependency; it is mounted once, over the baseline (a scenario's units are read through
`api/routes/scenarios.py`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import Field

from api import schemas
from api.bounds import check_diff, check_tree
from api.deps import DATE_SCHEMA, REQUIRED_DATE_SCHEMA, as_of, get_store, parse_date_param
from api.responses import json_read
from api.routes.units import LIMIT, OFFSET, check_choice, choice, page
from graph.queries import history as history_q
from graph.queries import records as q_records, structure as queries
from graph.model import EVENT_TYPES, KINDS, LEVELS
from graph.store import GraphReader


def _date(name: str, value: str | None) -> dt.date | None:
    return parse_date_param(name, value)


def required_date(name: str, value: str | None) -> dt.date:
    """A date parameter that must be given (`from`, `to` of GET /diff; `bomay diff`)."""
    parsed = parse_date_param(name, value)
    if parsed is None:
        from graph.errors import InvalidParameter
        raise InvalidParameter(f"{name} is required",
                               errors=[{"field": name, "message": "a date is required",
                                        "value": value}])
    return parsed


class EventDetail(schemas.Event):
    """An event with its input and output units and its documents."""

    input_units: list[schemas.UnitRef]
    output_units: list[schemas.UnitRef]
    documents: list[dict[str, Any]] = Field(description="Each basis document as `Document` "
                                            "gives it (`url` null and `url_problem` set when "
                                            "the stored url is not a web address), or only "
                                            "its `id` when the store has no such document.")


#: The most matches a search counts for its `total` (and can page through).
SEARCH_COUNT_CAP = 1200


# -- the answers of the endpoints, for the routes and the CLI (`api.cli_browse`) alike -------
def snapshot_answer(reader: GraphReader, at: dt.date, root: str | None, depth: int | None,
                    limit: int, offset: int, cap: int) -> dict[str, Any]:
    """The body of GET /snapshot: one page of the trees of the roots on `at` (or the one
    tree under `root`), refused above `cap` units (`api.bounds`)."""
    if root is None:
        tops = queries.roots(reader, at)
        window = tops[offset:offset + limit]
        check_tree(reader, [u.id for u in window], at, depth, cap,
                   f"the snapshot of {at.isoformat()} (roots {offset + 1} to "
                   f"{offset + len(window)})")
        trees = [queries.subtree(reader, u.id, at, depth) for u in window]
        body = {"items": trees, "total": len(tops), "limit": limit, "offset": offset}
    else:
        if reader.get_unit(root) is not None:
            check_tree(reader, [root], at, depth, cap,
                       f"the snapshot under {root} on {at.isoformat()}")
        body = page(queries.snapshot(reader, at, root=root, depth=depth), limit, offset)
    return body | {"at": at.isoformat(), "root": root}


def diff_answer(reader: GraphReader, start: dt.date, end: dt.date, root: str | None,
                cap: int) -> dict[str, Any]:
    """The body of GET /diff: refused above `cap` units on either date (`api.bounds`)."""
    check_diff(reader, root, (start, end), cap)
    return history_q.diff(reader, start, end, root)


def event_list(reader: GraphReader, *, date_from: dt.date | None = None,
               date_to: dt.date | None = None, type: str | None = None,
               unit: str | None = None, basis: str | None = None, limit: int = 50,
               offset: int = 0) -> dict[str, Any]:
    """The body of GET /events: one page of the events in date order, and the total."""
    items = q_records.events(reader, date_from=date_from, date_to=date_to, type=type,
                             unit=unit, basis=basis)
    return page(items, limit, offset)


def make_queries_router(get_reader: Callable[..., GraphReader], prefix: str = "") -> APIRouter:
    """The graph-wide read endpoints under `prefix`, reading through `get_reader`."""
    router = APIRouter(prefix=prefix, tags=["queries"])
    Reader = Depends(get_reader)

    @router.get("/snapshot", summary="The structure on a date: a tree, or the forest of roots",
                response_model=schemas.Snapshot, responses=schemas.example_responses("snapshot"))
    def snapshot(request: Request, at: dt.date = Depends(as_of),
                 root: str | None = Query(None, description="Only the tree under this unit.",
                                          examples=["mc-tu"]),
                 depth: int | None = Query(None, ge=0, le=100,
                                           description="Levels below each root (default: all)."),
                 limit: int = LIMIT, offset: int = OFFSET, reader: GraphReader = Reader):
        body = snapshot_answer(reader, at, root, depth, limit, offset,
                               request.app.state.settings.max_units)
        return json_read(request, body, reader.revision)

    @router.get("/search", summary="Units by name, English name or abbreviation, ranked; "
                "diacritics optional", response_model=schemas.SearchResults,
                responses=schemas.example_responses("search"))
    def search(request: Request,
               q: str = Query(..., min_length=1, max_length=200, description="Search text.",
                              examples=["ban to chuc mong cai"]),
               at: str | None = Query(None, description="The date the units must exist on "
                                      "(YYYY-MM-DD, YYYY-MM, YYYY), or `any`: every unit "
                                      "whatever its lifetime; default: today.",
                                      examples=["any"], pattern=r"^(any|\d{4}(-\d{2}(-\d{2})?)?)$"),
               kind: str | None = choice(KINDS, "Only units of this kind."),
               level: str | None = choice(LEVELS, "Only units of this level."),
               limit: int = Query(20, ge=1, le=200), offset: int = Query(0, ge=0, le=1000),
               reader: GraphReader = Reader):
        check_choice("kind", kind, KINDS)
        check_choice("level", level, LEVELS)
        day = None if at == "any" else as_of(request, at)
        # `total` counts every match (up to SEARCH_COUNT_CAP), not only the page asked for.
        hits = queries.search(reader, q, day, limit=SEARCH_COUNT_CAP, kind=kind, level=level)
        return json_read(request, page(hits, limit, offset, q=q,
                                       at="any" if day is None else day.isoformat()),
                         reader.revision)

    @router.get("/diff", summary="What changed between two dates under a root",
                response_model=schemas.Diff, responses=schemas.example_responses("diff",
                                                                                not_found=True))
    def diff(request: Request,
             date_from: str = Query(..., alias="from", description="The earlier date.",
                                    examples=["2018-08-06"], **REQUIRED_DATE_SCHEMA),
             date_to: str = Query(..., alias="to", description="The later date.",
                                  examples=["2018-08-07"], **REQUIRED_DATE_SCHEMA),
             root: str | None = Query(None, description="Only under this unit.",
                                      examples=["mc"]),
             reader: GraphReader = Reader):
        start, end = required_date("from", date_from), required_date("to", date_to)
        body = diff_answer(reader, start, end, root, request.app.state.settings.max_units)
        return json_read(request, body, reader.revision)

    @router.get("/stats", summary="Counts by kind and level, headcount, concurrent posts",
                response_model=schemas.Stats, responses=schemas.example_responses(
                    "stats", not_found=True))
    def stats(request: Request, at: dt.date = Depends(as_of),
              root: str | None = Query(None, description="Only under this unit (its "
                                       "PART_OF subtree and, for a place, the bodies of "
                                       "the places under it too).", examples=["mc"]),
              area: str | None = Query(None, description=(
                  "Only the units of this area (the id of a province, district or commune "
                  "existing on `at`): those `GET /units?area=` lists on `at`, naming it "
                  "in their own `area` or, for a body that names none, inferred from its "
                  "PART_OF chain (not the units of the places under it: `root` covers "
                  "those). With `root`: the area's units within the root's scope (the "
                  "intersection). 404 for an unknown area, 422 for a unit that is no "
                  "area."), examples=["mc"]),
              reader: GraphReader = Reader):
        return json_read(request, queries.stats(reader, at, root, area or None),
                         reader.revision)

    @router.get("/path", summary="The structural path between two units on a date",
                response_model=schemas.Path, responses=schemas.example_responses(
                    "path", not_found=True))
    def path(request: Request,
             from_id: str = Query(..., alias="from", description="A unit id.",
                                  examples=["mc-to-chuc-noi-vu"]),
             to_id: str = Query(..., alias="to", description="A unit id.",
                                examples=["qn-ban-to-chuc"]),
             at: dt.date = Depends(as_of), reader: GraphReader = Reader):
        return json_read(request, queries.path(reader, from_id, to_id, at), reader.revision)

    @router.get("/events", summary="Events, filtered by dates, type, unit and basis document",
                response_model=schemas.EventList, responses=schemas.example_responses(
                    "events", not_found=True))
    def events(request: Request,
               date_from: str | None = Query(None, alias="from", description="On or after.",
                                             examples=["2018"], **DATE_SCHEMA),
               date_to: str | None = Query(None, alias="to", description="On or before.",
                                           examples=["2018-12-31"], **DATE_SCHEMA),
               type: str | None = choice(EVENT_TYPES, "An event type.", "CONSOLIDATE"),
               unit: str | None = Query(None, description="Events with this unit as an input "
                                        "or output."),
               basis: str | None = Query(None, description="Events based on this document."),
               limit: int = LIMIT, offset: int = OFFSET, reader: GraphReader = Reader):
        body = event_list(reader, date_from=_date("from", date_from),
                          date_to=_date("to", date_to), type=type, unit=unit, basis=basis,
                          limit=limit, offset=offset)
        return json_read(request, body, reader.revision)

    @router.get("/events/{event_id}", summary="One event with its units and documents",
                response_model=EventDetail, responses=schemas.example_responses("event", not_found=True))
    def event(request: Request, event_id: str = Path(examples=["mc-2018-hop-nhat-to-chuc-noi-vu"]),
              reader: GraphReader = Reader):
        return json_read(request, q_records.event_detail(reader, event_id), reader.revision)

    @router.get("/documents/{document_id}", summary="A document with the events it mandated",
                response_model=schemas.Document, responses=schemas.example_responses(
                    "document", not_found=True))
    def document(request: Request, document_id: str = Path(examples=["doc-18-nq-tw"]),
                 reader: GraphReader = Reader):
        return json_read(request, q_records.document_detail(reader, document_id),
                         reader.revision)

    @router.get("/people/{person_id}", summary="A person's posts over time, concurrent "
                "posts visible", response_model=schemas.Person,
                responses=schemas.example_responses("person", not_found=True))
    def person(request: Request, person_id: str = Path(examples=["nguyen-van-doc"]),
               reader: GraphReader = Reader):
        return json_read(request, q_records.person_detail(reader, person_id), reader.revision)

    return router


router = make_queries_router(get_store)
