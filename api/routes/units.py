"""Unit reads: list, detail, children, subtree, ancestors, lineage, history, posts.

`make_units_router(get_reader, prefix)` builds the endpoints over any `GraphReader`
dependency, so that the same endpoints serve the baseline (`router`, at `/units/...`)
and a scenario's state (mounted at `/scenarios/{scenario_id}/units/...` with a
dependency that takes `scenario_id`: the handlers never see the prefix's parameters).
Handlers are thin: parse, call a pure function of `graph/`, answer with `json_read`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from fastapi import APIRouter, Depends, Path, Query, Request

from api import schemas
from api.bounds import bounded_subtree
from api.deps import DATE_SCHEMA, as_of, get_store, parse_date_param
from api.responses import json_read
from graph.queries import history as history_q
from graph.queries import structure as queries
from graph.areas import TERRITORIAL_KINDS
from graph.errors import InvalidParameter
from graph.queries.lineage import lineage as lineage_q
from graph.model import KINDS, LEVELS
from graph.queries.answers import lifetime_day, require_unit, unit_dict
from graph.store import GraphReader

UNIT_ID = Path(description="A unit id.", examples=["mc-to-chuc-noi-vu"])
LIMIT = Query(50, ge=1, le=1000, description="At most this many items.")
OFFSET = Query(0, ge=0, le=100_000_000, description="Skip this many items first.")
DEPTH = Query(None, ge=0, le=100, description="Levels below the unit (default: all).")


def choice(values, description: str, example: str | None = None):
    """A query parameter taking one of `values` (documented as an enum; empty: absent)."""
    return Query(None, description=description, examples=[example] if example else None,
                 json_schema_extra={"enum": ["", *sorted(values)]})


def default_at(request: Request) -> dt.date:
    """The date a request without `at` reads at: the settings' default, or today."""
    default = request.app.state.settings.default_at
    return parse_date_param("at", default) or dt.date.today()


def optional_at(at: str | None = Query(None, description="The date to read at (YYYY-MM-DD, "
                                        "or YYYY / YYYY-MM taken at the first day); default: "
                                        "whatever the unit's lifetime.",
                                        examples=["2018-08-07"], **DATE_SCHEMA)
                ) -> dt.date | None:
    return parse_date_param("at", at)


def page(items: list[Any], limit: int, offset: int, **extra: Any) -> dict[str, Any]:
    """The list shape of every endpoint: `{"items", "total", "limit", "offset", ...}`."""
    return {"items": items[offset:offset + limit], "total": len(items), "limit": limit,
            "offset": offset, **extra}


def check_choice(field: str, value: str | None, allowed) -> None:
    if value is not None and value not in allowed:
        raise InvalidParameter(f"{field}: unknown value {value!r}",
                               errors=[{"field": field, "message": "expected one of "
                                        + ", ".join(sorted(allowed)), "value": value}])


# -- the answers of the endpoints, for the routes and the CLI (`api.cli_browse`) alike -------
def unit_list(reader: GraphReader, at: dt.date, *, kind: str | None = None,
              level: str | None = None, area: str | None = None, q: str | None = None,
              limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """The body of GET /units: the units on `at`, filtered, one page and the total. With
    `area`, the units whose area on `at` is that one: named by themselves, or inferred
    from the PART_OF chain of a body that names none (`GraphReader.area_page`, the rule
    of the scenario engine); each item then says which (`area_inferred`), an inferred
    one with that `area`."""
    check_choice("kind", kind, KINDS)
    check_choice("level", level, LEVELS)
    if q is not None and q.strip():
        # Ranked by the search; `total` counts the matches among the first 1000.
        hits = queries.search(reader, q, at, limit=1000, kind=kind, level=level)
        if not area:
            items = [h["unit"] | {"score": h["score"]} for h in hits
                     if area is None or h["unit"]["area"] == area]
        else:  # the area's units as the listing gives them (every one: a set to test)
            members = reader.area_page(area, at, kind=kind, level=level, limit=_EVERY)
            mine = {u.id for u in members.items}
            items = [_in_area(h["unit"], area, h["unit"]["id"] in members.inferred)
                     | {"score": h["score"]} for h in hits if h["unit"]["id"] in mine]
        return page(items, limit, offset, at=at.isoformat())
    # the page and its total (not every unit), the page's parents in one batch
    if area:
        found = reader.area_page(area, at, kind=kind, level=level, offset=offset, limit=limit)
    else:
        found = reader.unit_page(at, kind=kind, level=level, area=area, offset=offset,
                                 limit=limit)
    parents = reader.parents([u.id for u in found.items], at)
    items = [unit_dict(u, parents[u.id]) for u in found.items]
    if area:
        items = [_in_area(i, area, i["id"] in found.inferred) for i in items]
    return {"items": items, "total": found.total, "limit": limit, "offset": offset,
            "at": at.isoformat()}


#: The `limit` that reads an area's every unit (a search within an area tests its hits).
_EVERY = 10**9


def _in_area(item: dict[str, Any], area: str, inferred: bool) -> dict[str, Any]:
    """An item of an area listing: `area_inferred` says whether its area is its own or
    inferred from its PART_OF chain (then `area` is the inferred one: the unit names none)."""
    return item | {"area": area, "area_inferred": True} if inferred else \
        item | {"area_inferred": False}


def unit_answer(reader: GraphReader, unit_id: str, at: dt.date | None,
                default: dt.date) -> dict[str, Any]:
    """The body of GET /units/{id} (and `bomay show`): the unit on `at` with its facts
    (`graph.queries.structure.unit_detail`); at=None: found whatever its lifetime, its
    facts on `default` if it existed then, else on its last (first) day. Its `area` is
    the one it names on that day, else, for a body naming none, the one an area listing
    gives it (`GraphReader.inferred_area`: its PART_OF chain, by the scenario engine's
    rule), and `area_inferred` says which, as in an area listing."""
    if at is None:
        at = lifetime_day(require_unit(reader, unit_id), default)
    body = queries.unit_detail(reader, unit_id, at)
    unit = body["unit"]
    # an area itself or a central body is inferred none: not asked (no query on Neo4j)
    inferred = "" if unit["area"] or unit["kind"] in TERRITORIAL_KINDS or (
        unit["level"] and unit["level"] not in TERRITORIAL_KINDS) \
        else reader.inferred_area(unit_id, at)
    return body | {"unit": _in_area(unit, inferred, bool(inferred))}


def children_page(reader: GraphReader, unit_id: str, at: dt.date, limit: int,
                  offset: int) -> dict[str, Any]:
    """The body of GET /units/{id}/children."""
    return page(queries.children(reader, unit_id, at), limit, offset, at=at.isoformat())


def subtree_answer(reader: GraphReader, unit_id: str, at: dt.date, depth: int | None,
                   cap: int) -> dict[str, Any]:
    """The body of GET /units/{id}/subtree: refused above `cap` units (`api.bounds`)."""
    require_unit(reader, unit_id, at)
    tree = bounded_subtree(reader, unit_id, at, depth, cap,
                           f"the subtree of {unit_id} on {at.isoformat()}")
    return tree | {"at": at.isoformat()}


def ancestor_list(reader: GraphReader, unit_id: str, at: dt.date) -> dict[str, Any]:
    """The body of GET /units/{id}/ancestors: the parent first, the root last."""
    chain = queries.ancestors(reader, unit_id, at)
    items = [unit_dict(u, chain[i + 1].id if i + 1 < len(chain) else None)
             for i, u in enumerate(chain)]
    return {"items": items, "total": len(items), "at": at.isoformat()}


def history_page(reader: GraphReader, unit_id: str, limit: int, offset: int) -> dict[str, Any]:
    """The body of GET /units/{id}/history: one page of the entries, the unit, its names."""
    body = history_q.history(reader, unit_id)
    items = body.pop("items")
    return page(items, limit, offset, **body)


def unit_posts(reader: GraphReader, unit_id: str, at: dt.date, limit: int,
               offset: int) -> dict[str, Any]:
    """The body of GET /units/{id}/posts: by role, then person."""
    require_unit(reader, unit_id, at)
    posts = sorted(reader.posts(unit_id=unit_id, at=at), key=lambda p: (p.role, p.person_id))
    return page(queries.post_dicts(reader, posts), limit, offset, at=at.isoformat())


def make_units_router(get_reader: Callable[..., GraphReader], prefix: str = "") -> APIRouter:
    """The unit endpoints under `{prefix}/units`, reading through the `get_reader` dependency."""
    router = APIRouter(prefix=prefix, tags=["units"])
    Reader = Depends(get_reader)

    @router.get("/units", summary="Units that exist on a date, filtered",
                response_model=schemas.UnitList,
                responses=schemas.example_responses("units"))
    def list_units(request: Request, at: dt.date = Depends(as_of),
                   kind: str | None = choice(KINDS, "A unit kind.", "party_board"),
                   level: str | None = choice(LEVELS, "central, province, district or "
                                              "commune.", "district"),
                   area: str | None = Query(None, description=(
                       "The id of the area unit: the units whose area on `at` is that one, "
                       "named in their own `area` or, for a body that names none, inferred "
                       "from its PART_OF chain as the scenario engine infers it (a "
                       "department under the province's People's Committee, a Party board "
                       "under its Party Committee); each item then has `area_inferred`, "
                       "true for those (their `area` is then the inferred one)."),
                       examples=["mc"]),
                   q: str | None = Query(None, max_length=200,
                                         description="Search text (ranked; diacritics optional)."),
                   limit: int = LIMIT, offset: int = OFFSET, reader: GraphReader = Reader):
        body = unit_list(reader, at, kind=kind, level=level, area=area, q=q, limit=limit,
                         offset=offset)
        return json_read(request, body, reader.revision)

    @router.get("/units/{unit_id}", summary="One unit with its parent, children count, "
                "headcount, functions, posts and links",
                response_model=schemas.UnitDetail,
                responses=schemas.example_responses("unit", not_found=True))
    def get_unit(request: Request, unit_id: str = UNIT_ID,
                 at: dt.date | None = Depends(optional_at), reader: GraphReader = Reader):
        # without `at`: found whatever its lifetime; its facts as of the default day, or
        # its last (first) day
        body = unit_answer(reader, unit_id, at, default_at(request))
        return json_read(request, body, reader.revision)

    @router.get("/units/{unit_id}/children", summary="The units directly under a unit on a date",
                response_model=schemas.UnitList,
                responses=schemas.example_responses("children", not_found=True))
    def get_children(request: Request, unit_id: str = UNIT_ID, at: dt.date = Depends(as_of),
                     limit: int = LIMIT, offset: int = OFFSET, reader: GraphReader = Reader):
        return json_read(request, children_page(reader, unit_id, at, limit, offset),
                         reader.revision)

    @router.get("/units/{unit_id}/subtree", summary="The nested structure under a unit on a date",
                response_model=schemas.TreeNode,
                responses=schemas.example_responses("subtree", not_found=True))
    def get_subtree(request: Request, unit_id: str = UNIT_ID, at: dt.date = Depends(as_of),
                    depth: int | None = DEPTH, reader: GraphReader = Reader):
        body = subtree_answer(reader, unit_id, at, depth, request.app.state.settings.max_units)
        return json_read(request, body, reader.revision)

    @router.get("/units/{unit_id}/ancestors", summary="The parent chain of a unit up to the root",
                response_model=schemas.UnitList,
                responses=schemas.example_responses("ancestors", not_found=True))
    def get_ancestors(request: Request, unit_id: str = UNIT_ID, at: dt.date = Depends(as_of),
                      reader: GraphReader = Reader):
        return json_read(request, ancestor_list(reader, unit_id, at), reader.revision)

    @router.get("/units/{unit_id}/lineage", summary="Predecessors and successors through "
                "MERGE, CONSOLIDATE, SPLIT and RENAME events",
                response_model=schemas.Lineage,
                responses=schemas.example_responses("lineage", not_found=True))
    def get_lineage(request: Request, unit_id: str = UNIT_ID, reader: GraphReader = Reader):
        return json_read(request, lineage_q(reader, unit_id), reader.revision)

    @router.get("/units/{unit_id}/history", summary="Everything that changed for a unit, "
                "in date order", response_model=schemas.History,
                responses=schemas.example_responses("history", not_found=True))
    def get_history(request: Request, unit_id: str = UNIT_ID, limit: int = Query(200, ge=1, le=5000),
                    offset: int = OFFSET, reader: GraphReader = Reader):
        return json_read(request, history_page(reader, unit_id, limit, offset),
                         reader.revision)

    @router.get("/units/{unit_id}/posts", summary="Posts in a unit on a date and who holds them",
                response_model=schemas.PostList,
                responses=schemas.example_responses("posts", not_found=True))
    def get_posts(request: Request, unit_id: str = UNIT_ID, at: dt.date = Depends(as_of),
                  limit: int = LIMIT, offset: int = OFFSET, reader: GraphReader = Reader):
        return json_read(request, unit_posts(reader, unit_id, at, limit, offset),
                         reader.revision)

    return router


router = make_units_router(get_store)
