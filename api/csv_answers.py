"""Listings for people: CSV answers and `next` links, as one ASGI hook over the listing routes.

Every listing (`/units`, `/units/{id}/children|subtree|posts|ancestors|history`, `/search`,
`/events`, `/documents`, `/people`, `/posts`, `/relations`, `/diff`, and the same under
`/scenarios/{id}`) answers:
- with `?format=csv` or `Accept: text/csv` (preferred over JSON), CSV: a header row, UTF-8
  with a BOM (so that spreadsheets read Vietnamese), one row per item (nested values as
  `a.b` columns, lists joined by `;`), every page of the listing unless the request gives
  `limit` / `offset`, and text cells starting with `=`, `+`, `-`, `@` (or a tab / carriage
  return) prefixed with `'` so that a spreadsheet never evaluates them;
- as JSON, a `next` field (the URL of the next page, or null) and a `Link: <...>; rel="next"`
  header when there is one.

A hook rather than an edit per route: the routes stay thin and answer JSON; this module
turns their answer into the other representation.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from typing import Any, Callable, Iterable
from urllib.parse import parse_qsl, urlencode

import orjson
from starlette.datastructures import URL
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem_response

_SCENARIO = r"(?:/scenarios/[^/]+)?"
LISTING = re.compile(rf"^{_SCENARIO}(?:/(?:units|search|events|documents|people|posts|relations|diff)"
                     rf"|/units/[^/]+/(?:children|subtree|posts|ancestors|history))/?$")
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
#: What a spreadsheet reads as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The page sizes tried when a CSV gathers a whole listing (routes cap `limit` differently).
_PAGE_SIZES = (1000, 200)
_MAX_PAGES = 10_000
#: Set in the scope of the requests this hook makes to gather a CSV's pages: the `limit` and
#: `offset` it adds are its own, not the client's (`api.known_query` lets them through on a
#: listing that is not paged, such as /ancestors, which ignores them).
PAGING_SCOPE_KEY = "bomay.csv_pages"


# -- rendering (pure) ---------------------------------------------------------------------------
def neutralise(value: str) -> str:
    """A text cell that a spreadsheet will show, never evaluate."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value  # a number is never a formula, "-3" included
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return neutralise(";".join("" if v is None else str(v) for v in value))
        return neutralise(orjson.dumps(value).decode())
    return neutralise(str(value))


def flatten(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"unit": {"id": 1}}` -> `{"unit.id": 1}`; lists stay whole (one cell)."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _tree_rows(node: dict[str, Any], depth: int = 0) -> Iterable[dict[str, Any]]:
    stack = [(node, depth)]
    while stack:  # iterative: hierarchies may be deeper than Python's recursion limit
        current, level = stack.pop()
        yield {"depth": level, **flatten({k: v for k, v in current.items() if k != "children"})}
        stack.extend((child, level + 1) for child in reversed(current.get("children") or []))


def rows_of(body: Any) -> list[dict[str, Any]]:
    """The rows of a listing's JSON answer: its `items`; a tree's nodes (with `depth`);
    or, for a diff, one row per change (with `change`: added, removed, moved...)."""
    if isinstance(body, list):
        return [flatten(i) if isinstance(i, dict) else {"value": i} for i in body]
    if not isinstance(body, dict):
        return [{"value": body}]
    if isinstance(body.get("items"), list):
        return rows_of(body["items"])
    if "children" in body and ("unit" in body or "id" in body):
        return list(_tree_rows(body))
    changes = [{"change": key, **flatten(item)} for key, value in body.items()
               if isinstance(value, list) for item in value if isinstance(item, dict)]
    return changes if changes else [flatten(body)]


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    """Rows as CSV: a header of every column in first-seen order, UTF-8 with a BOM, CRLF."""
    header: dict[str, None] = {}
    for row in rows:
        header.update(dict.fromkeys(row))
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    writer.writerows([_cell(row.get(h)) for h in header] for row in rows)
    return buffer.getvalue().encode("utf-8")


# -- which representation -----------------------------------------------------------------------
def _accept_q(accept: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media:
            found[media.lower()] = q
    return found


def wants_csv(query: dict[str, str], accept: str) -> bool | None:
    """True for CSV, False for JSON, None for an unknown `format`."""
    fmt = query.get("format")
    if fmt is not None:
        return {"csv": True, "json": False}.get(fmt.lower())
    q = _accept_q(accept)
    csv_q = q.get("text/csv", 0.0)
    return csv_q > 0 and csv_q >= max(q.get("application/json", 0.0), q.get("*/*", 0.0) - 0.001)


# -- the hook -----------------------------------------------------------------------------------
#: Answers that are never paged (a tree, a diff): their JSON passes through untouched.
_UNPAGED = re.compile(r"/(?:subtree|diff)/?$")


def _loads(body: bytes) -> Any:
    """The JSON of an answer, or None when it cannot be parsed (nested too deeply)."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


class _Captured:
    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = bytearray()

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    def header(self, name: bytes) -> str:
        return next((v.decode("latin-1") for k, v in self.headers if k.lower() == name), "")


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    vary = [v.decode("latin-1") for k, v in headers if k.lower() == b"vary"]
    rest = [(k, v) for k, v in headers if k.lower() != b"vary"]
    values = ", ".join(vary + (["Accept"] if not any("accept" == x.strip().lower()
                                                     for v in vary for x in v.split(",")) else []))
    return rest + [(b"vary", values.encode("latin-1"))]


def next_url(scope: Scope, body: dict[str, Any]) -> str | None:
    """The address (path and query) of the page after this one, or None on the last page."""
    try:
        total, limit, offset = int(body["total"]), int(body["limit"]), int(body["offset"])
    except (KeyError, TypeError, ValueError):
        return None
    if offset + limit >= total:
        return None
    # A relative reference (RFC 8288 allows it): right behind any proxy or host name.
    url = URL(scope=scope).include_query_params(offset=offset + limit)
    return f"{url.path}?{url.query}"


class ListingAnswers:
    """ASGI middleware: CSV and `next` links on the listing routes (see the module doc)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not LISTING.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                               keep_blank_values=True))
        accept = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"accept"), "")
        choice = wants_csv(query, accept)
        if choice is None:
            response = problem_response(422, "Invalid parameter",
                                        f"format: unknown value {query['format']!r}",
                                        [{"field": "format", "value": query["format"],
                                          "message": "expected one of csv, json"}])
            await response(scope, receive, send)
        elif choice:
            await self._csv(scope, receive, send, query)
        else:
            await self._json(scope, receive, send)

    async def _call(self, scope: Scope, receive: Receive) -> _Captured:
        captured = _Captured()
        await self.app(scope, receive, captured)
        return captured

    async def _json(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = await self._call(scope, receive)
        body = bytes(answer.body)
        headers = answer.headers
        if (answer.status == 200 and not _UNPAGED.search(scope["path"])
                and answer.header(b"content-type").startswith("application/json")):
            content = _loads(body)
            if isinstance(content, dict) and {"items", "total", "limit", "offset"} <= content.keys():
                link = next_url(scope, content)
                content["next"] = link
                body = orjson.dumps(content)
                if link:
                    headers = headers + [(b"link", f'<{link}>; rel="next"'.encode("latin-1"))]
        await _send(send, answer.status, headers, body)

    async def _csv(self, scope: Scope, receive: Receive, send: Send,
                   query: dict[str, str]) -> None:
        # The representation differs from JSON's: the route's validators do not apply to it.
        client_etag = next((v.decode("latin-1") for k, v in scope["headers"]
                            if k == b"if-none-match"), "")
        headers = [(k, v) for k, v in scope["headers"] if k not in (b"if-none-match", b"accept")]
        paged_by_client = "limit" in query or "offset" in query

        def page_scope(params: dict[str, str]) -> Scope:
            return {**scope, "headers": headers + [(b"accept", b"application/json")],
                    "query_string": urlencode(params).encode("latin-1"),
                    PAGING_SCOPE_KEY: not paged_by_client}

        first: _Captured | None = None
        params = dict(query)
        for size in (() if paged_by_client else _PAGE_SIZES):
            params = {**query, "limit": str(size), "offset": "0"}
            first = await self._call(page_scope(params), receive)
            if not (first.status == 422 and b'"limit"' in first.body):
                break
        if first is None or first.status == 422 and b'"limit"' in first.body:
            params = dict(query)
            first = await self._call(page_scope(params), receive)
        if first.status != 200 or not first.header(b"content-type").startswith("application/json"):
            await _send(send, first.status, first.headers, bytes(first.body))
            return
        content = _loads(bytes(first.body))
        if content is None:
            # orjson (like json) stops at a nesting depth; such a tree is no table anyway.
            response = problem_response(422, "Invalid parameter", "the answer is nested too "
                                        "deeply to be a CSV table: ask for fewer levels "
                                        "(depth=N) or for JSON",
                                        [{"field": "depth", "message": "too deep for CSV"}])
            await response(scope, receive, send)
            return
        rows = rows_of(content)
        if not paged_by_client and isinstance(content, dict) and isinstance(content.get("items"), list):
            rows = await self._rest(page_scope, receive, params, content, rows)
        body = to_csv(rows)
        etag = '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '-csv"'
        if etag in client_etag:
            await _send(send, 304, [(b"etag", etag.encode())], b"")
            return
        name = scope["path"].rstrip("/").rsplit("/", 1)[-1] or "listing"
        await _send(send, 200, _vary([(b"content-type", CSV_MEDIA_TYPE.encode()),
                                      (b"etag", etag.encode()),
                                      (b"content-disposition",
                                       f'inline; filename="{name}.csv"'.encode())]), body)

    async def _rest(self, page_scope: Callable[[dict[str, str]], Scope], receive: Receive,
                    params: dict[str, str], content: dict[str, Any],
                    rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The pages after the first, until `total` rows (or an empty or refused page)."""
        total = int(content.get("total") or 0)
        offset, got = int(params.get("offset") or 0), len(content["items"])
        for _ in range(_MAX_PAGES):
            offset += got
            if got == 0 or offset >= total:
                break
            answer = await self._call(page_scope({**params, "offset": str(offset)}), receive)
            if answer.status != 200:
                break
            items = orjson.loads(bytes(answer.body)).get("items") or []
            rows.extend(rows_of(items))
            got = len(items)
        return rows


def install_listing_answers(app: Any) -> None:
    """Put the hook in front of the routes (inside compression and the edge middleware)."""
    app.add_middleware(ListingAnswers)


__all__ = ["LISTING", "ListingAnswers", "flatten", "install_listing_answers", "neutralise",
           "next_url", "rows_of", "to_csv", "wants_csv"]
