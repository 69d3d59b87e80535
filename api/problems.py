"""The one JSON error shape (RFC 9457 problem+json) and the one handler that produces it."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from graph.errors import BomayError

PROBLEM_TYPE = "https://bomay.example/problems/"


def problem_response(status: int, title: str, detail: str,
                     errors: list[dict[str, Any]] | None = None) -> Response:
    body: dict[str, Any] = {"type": PROBLEM_TYPE + title.lower().replace(" ", "-"),
                            "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return Response(orjson.dumps(body), status_code=status,
                    media_type="application/problem+json")


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(BomayError)
    async def _bomay(_: Request, exc: BomayError) -> Response:
        return problem_response(exc.status, exc.title, exc.detail, exc.errors)

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
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "Error")
        return problem_response(exc.status_code, title, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> Response:
        return problem_response(500, "Internal error",
                                f"an unexpected error occurred ({type(exc).__name__})")


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
