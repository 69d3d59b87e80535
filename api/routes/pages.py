"""Routes: the visualiser's HTML pages and their assets (served from the package, offline).

`/` the start page, `/viz/units/{id}` an org chart, `/viz/units/{id}/lineage`, and
`/viz/scenarios/{id}`; `/static/{name}` serves the vendored vis-network and the page
script. A user error on a page answers an HTML page with the same status (the JSON
API keeps problem+json).
"""

from __future__ import annotations

import datetime as dt
import gzip
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import lru_cache
from pathlib import Path as PathType
from typing import Any, Callable

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_store
from graph.dates import DateParseError, parse_at
from graph.errors import BomayError
from graph.store import GraphStore

router = APIRouter(tags=["pages"])

_GZIP_OVER = 1024
_PAGE_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                 "Cache-Control": "no-cache"}


def _prefix(request: Request) -> str:
    return request.scope.get("root_path", "") or ""


def _lang(request: Request) -> str:
    from viz.i18n import pick_lang
    return pick_lang(request.query_params.get("lang"))


def _lang_href(request: Request) -> str:
    """The same page in the other language (`?lang=en` added or removed)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if _lang(request) != "en":
        params.append(("lang", "en"))
    from urllib.parse import urlencode
    query = urlencode(params)
    return _prefix(request) + request.url.path + ("?" + query if query else "")


def _default_at(request: Request) -> dt.date:
    default = request.app.state.settings.default_at
    return parse_at(default) if default else dt.date.today()


def _page(request: Request, build: Callable[[], str],
          headers_out: dict[str, str] | None = None) -> Response:
    """Render a page; a BomayError (unknown unit, bad date) becomes an HTML error page.
    Big pages (a chart of thousands of units) are sent gzip-compressed when accepted.
    `headers_out`: headers `build` may fill in while it runs (e.g. Refresh)."""
    from viz.pages import error_page
    status = 200
    try:
        html = build()
    except BomayError as exc:
        html = error_page(exc.status, exc.title, exc.detail, prefix=_prefix(request),
                          lang=_lang(request))
        status = exc.status
    body = html.encode("utf-8")
    headers = dict(_PAGE_HEADERS, Vary="Accept-Encoding", **(headers_out or {}))
    if len(body) > _GZIP_OVER and "gzip" in request.headers.get("accept-encoding", ""):
        body = gzip.compress(body, compresslevel=5)
        headers["Content-Encoding"] = "gzip"
    return Response(body, status_code=status, media_type="text/html; charset=utf-8",
                    headers=headers)


def _parse_at(request: Request, value: str | None) -> dt.date:
    """ISO (YYYY-MM-DD, YYYY-MM, YYYY) or dd/mm/yyyy, as typed in the pages' date box."""
    from graph.errors import InvalidParameter
    from viz.i18n import parse_dmy
    if value and "/" in value:
        value = parse_dmy(value) or value
    try:
        parsed = parse_at(value)
    except DateParseError as exc:
        raise InvalidParameter(f"at: {exc} (got {value!r})") from None
    return parsed or _default_at(request)


def _parse_depth(value: str | None) -> int | None:
    from graph.errors import InvalidParameter
    if value is None or not value.strip():
        return None
    try:
        depth = int(value)
    except ValueError:
        depth = 0
    if not 1 <= depth <= 99:
        raise InvalidParameter(f"depth: expected a whole number from 1 to 99 (got {value!r})")
    return depth


@router.get("/static/{name}", include_in_schema=False)
def static_asset(request: Request, name: str) -> Response:
    from viz.render import STATIC_TYPES, static_files
    path = static_files().get(name)
    if path is None:
        return Response("not found", status_code=404, media_type="text/plain")
    headers = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff",
               "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(_gzipped(path, path.stat().st_mtime), media_type=STATIC_TYPES[path.suffix], headers=headers)
    return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix], headers=headers)


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    from viz.render import STATIC
    return Response((STATIC / "favicon.svg").read_bytes(), media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


@lru_cache(maxsize=16)
def _gzipped(path: PathType, mtime: float) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=9)


#: How long a page waits for an index that is being built after a start (the server
#: warms them in the background once it listens) before it answers without it.
WARM_WAIT = 0.8
_WARMING = ThreadPoolExecutor(max_workers=2, thread_name_prefix="bomay-page-warm")
_PENDING: dict[tuple, Future] = {}
_PENDING_LOCK = threading.Lock()
_MISSING = object()


def within(key: tuple, compute: Callable[[], Any], wait: float | None = None) -> Any:
    """`compute()` if it answers within `wait` seconds (default WARM_WAIT), else
    `_MISSING`: the work goes on in the background (one per key) and a later request gets
    its answer. Errors are raised as `compute` raised them."""
    with _PENDING_LOCK:
        future = _PENDING.get(key)
        if future is None:
            future = _PENDING[key] = _WARMING.submit(compute)
    try:
        result = future.result(timeout=WARM_WAIT if wait is None else wait)
    except FutureTimeout:
        return _MISSING
    finally:
        if future.done():
            with _PENDING_LOCK:
                if _PENDING.get(key) is future:
                    del _PENDING[key]
    return result


@router.get("/", response_class=HTMLResponse, summary="Start page (HTML)")
def landing(request: Request, q: str = Query("", max_length=200, description="Search text"),
            at: str | None = None, store: GraphStore = Depends(get_store)) -> Response:
    """The start page. After a start, the top-level units, the slider's dates and the
    search wait on indexes the server builds in the background: the page waits for them
    at most WARM_WAIT seconds, then says they are being prepared and reloads itself."""
    from viz.pages import landing_page, structure_dates, top_level_units
    headers: dict[str, str] = {}

    def build() -> str:
        when = _parse_at(request, at)
        revision = store.revision
        deadline = time.monotonic() + WARM_WAIT
        search_key = ("search", id(store), revision, when, q.strip())

        def search() -> list[Any]:
            return [u for u, _ in store.search_units(q, when, limit=30)]
        if q.strip():
            within(search_key, search, wait=0)  # started beside the other one
        ready = within(("landing", id(store), revision, when),
                       lambda: (top_level_units(store, when), structure_dates(store)))
        results: Any = []
        if q.strip():
            results = within(search_key, search, wait=max(0.0, deadline - time.monotonic()))
        warming, search_warming = ready is _MISSING, results is _MISSING
        if warming or search_warming:
            headers["Refresh"] = "3"
        return landing_page(store, when, scenarios=store.list_scenarios(), query=q,
                            results=[] if search_warming else results,
                            prefix=_prefix(request), lang=_lang(request),
                            lang_href=_lang_href(request), warming=warming,
                            search_warming=search_warming)
    return _page(request, build, headers)


@router.get("/viz/units/{unit_id}", response_class=HTMLResponse,
            summary="Org chart under a unit as of a date (HTML)")
def org_chart(request: Request, unit_id: str = Path(examples=["mc-thanh-uy"]),
              at: str | None = Query(None, description="As-of date (default: today)"),
              # text, not int, so that an empty `depth=` (a cleared form field) means "all";
              # the pattern documents exactly what _parse_depth accepts
              depth: str | None = Query(None, pattern=r"^\s*([1-9][0-9]?)?\s*$",
                                        description="Levels below the unit (1-99; empty: all)",
                                        examples=["2"]),
              store: GraphStore = Depends(get_store)) -> Response:
    from viz.pages import org_chart_page
    return _page(request, lambda: org_chart_page(store, unit_id, _parse_at(request, at),
                                                 _parse_depth(depth), standalone=False,
                                                 prefix=_prefix(request), lang=_lang(request),
                                                 lang_href=_lang_href(request)))


@router.get("/viz/units/{unit_id}/children", summary="The boxes a chart adds when a unit "
            "is expanded in place (JSON)")
def chart_children(request: Request, unit_id: str = Path(examples=["mc-tu"]),
                   at: str | None = Query(None, description="As-of date (default: today)"),
                   store: GraphStore = Depends(get_store)) -> Response:
    """The unit's children on `at` as the chart draws them (`viz.orgchart.child_nodes`):
    the same tooltip (English name, post holders, links) as the units the page was sent
    with, in reading order. A BomayError answers problem+json, as every API read."""
    import orjson

    from viz.orgchart import child_nodes
    nodes = child_nodes(store, unit_id, _parse_at(request, at), prefix=_prefix(request),
                        lang=_lang(request))
    return Response(orjson.dumps({"children": nodes}), media_type="application/json",
                    headers={"Cache-Control": "no-cache"})


@router.get("/viz/units/{unit_id}/lineage", response_class=HTMLResponse,
            summary="Predecessors and successors of a unit in time (HTML)")
def lineage(request: Request, unit_id: str = Path(examples=["mc-to-chuc-noi-vu"]),
            store: GraphStore = Depends(get_store)) -> Response:
    from viz.pages import lineage_page
    return _page(request, lambda: lineage_page(store, unit_id, standalone=False,
                                               prefix=_prefix(request), lang=_lang(request),
                                               lang_href=_lang_href(request)))


@router.get("/viz/units/{unit_id}/timeline", response_class=HTMLResponse,
            summary="A unit's names, parents, events, headcount and post holders in time (HTML)")
def timeline(request: Request, unit_id: str = Path(examples=["mc-to-chuc-noi-vu"]),
             store: GraphStore = Depends(get_store)) -> Response:
    from viz.pages import timeline_page
    return _page(request, lambda: timeline_page(store, unit_id, prefix=_prefix(request),
                                                lang=_lang(request),
                                                lang_href=_lang_href(request)))


@router.get("/viz/scenarios/{scenario_id}", response_class=HTMLResponse,
            summary="A saved scenario before and after, with its impact (HTML)")
def scenario(request: Request, scenario_id: str = Path(examples=["merge-boards-1a2b3c"]),
             store: GraphStore = Depends(get_store)) -> Response:
    from viz.pages import scenario_page

    def build() -> str:
        from graph.scenarios.service import ScenarioService
        service = ScenarioService(store)
        stored = service.get(scenario_id)
        common = dict(name=stored.name, description=stored.description, standalone=False,
                      scenario_id=stored.id,
                      prefix=_prefix(request), lang=_lang(request), lang_href=_lang_href(request))
        if not stored.committed:
            return scenario_page(store, service.state(stored), None,
                                 service.effective_at(stored), service.scenario_diff(stored),
                                 service.impact_report(stored), **common)
        # Committed: its operations are the baseline's events now, and the service keeps
        # the report and diff of the commit (as JSON; read back into the typed results).
        # Both sides are the baseline: the day before its first event, and its date.
        from viz.scenario_record import diff_from_dict, impact_from_dict
        changes = diff_from_dict(service.diff(stored))
        report = impact_from_dict(service.impact(stored))
        at = service.effective_at(stored)
        first = min((ev.date.first_day() for ev in changes.events), default=at)
        return scenario_page(store, store, None, at, changes, report,
                             at_before=first - dt.timedelta(days=1),
                             committed={"date": stored.committed,
                                        "revision": str(stored.extra.get("committed_revision")
                                                        or "")}, **common)
    return _page(request, build)
