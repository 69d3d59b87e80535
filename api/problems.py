"""The one JSON error shape (RFC 9457 problem+json) and the one handler that produces it.

A store that is busy or unavailable (locked by another process, a server down) answers
503 with `Retry-After`; nothing a user can cause answers 500 with a traceback.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Mapping

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from graph.errors import BomayError

#: Served by bomay itself: api/routes/problem_docs.py describes each type.
PROBLEM_TYPE = "/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
#: Seconds a client is asked to wait before retrying a busy store.
RETRY_AFTER = 1
_TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 409: "Conflict", 413: "Content too large",
           415: "Unsupported media type", 422: "Invalid parameter",
           503: "Service unavailable"}


def problem_response(status: int, title: str, detail: str,
                     errors: list[dict[str, Any]] | None = None,
                     headers: Mapping[str, str] | None = None,
                     extensions: Mapping[str, Any] | None = None) -> Response:
    """A problem+json answer; `extensions` are added as members (RFC 9457 §3.2: a unit's
    lifetime and successors on a 404), never replacing the standard ones."""
    body: dict[str, Any] = {"type": PROBLEM_TYPE + title.lower().replace(" ", "-"),
                            "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    for key, value in (extensions or {}).items():
        body.setdefault(key, value)
    headers = dict(headers or {})
    if status == 503:
        headers.setdefault("Retry-After", str(RETRY_AFTER))
    return Response(orjson.dumps(body, default=str), status_code=status,
                    media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _busy(exc: BaseException) -> bool:
    """A store error that a retry can cure: SQLite's locked/busy database."""
    return isinstance(exc, sqlite3.OperationalError) and any(
        word in str(exc).lower() for word in ("locked", "busy"))


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(BomayError)
    async def _bomay(_: Request, exc: BomayError) -> Response:
        # A store error (busy, unavailable) reaches a user as "try again", never as 500.
        status = 503 if exc.status >= 500 else exc.status
        title = exc.title if exc.status == status else _TITLES[503]
        headers = {}
        if status == 503:
            headers["Retry-After"] = str(getattr(exc, "retry_after", None) or RETRY_AFTER)
        return problem_response(status, title, exc.detail, exc.errors, headers,
                                getattr(exc, "extensions", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> Response:
        errors = [{"field": ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "path", "body")),
                   "location": (e.get("loc") or ("",))[0],
                   "message": e.get("msg", ""), "value": _plain(e.get("input"))}
                  for e in exc.errors()]
        fields = ", ".join(e["field"] for e in errors) or "request"
        return problem_response(422, "Invalid parameter", f"invalid value for {fields}", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> Response:
        title = _TITLES.get(exc.status_code, "Error")
        # 405 keeps the `Allow` header the router computed.
        return problem_response(exc.status_code, title, str(exc.detail),
                                headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> Response:
        if _busy(exc):
            return problem_response(503, "Service unavailable",
                                    "the store is busy (another process is writing): retry")
        return problem_response(500, "Internal error",
                                f"an unexpected error occurred ({type(exc).__name__})")


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
