"""The OpenAPI document, completed so that it tells the truth about every answer.

FastAPI documents the 200 of each route (its response model) and a 422 of its own shape.
This adds what the edge and the one error handler really answer: every error is
`application/problem+json` of the `Problem` schema; writes can answer 401/403/413/415
(and 404/409 on an id); every route can answer 400 and 503 (a busy store); reads on a
server with read tokens can answer 401. Writes declare the bearer scheme.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.deps import DATE_PATTERN
from api.schemas import Problem
from api.settings import Settings

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
WRITES = {"post", "put", "patch", "delete"}
_WHY = {
    400: "A malformed request",
    401: "No token, or a token that is not valid here (`WWW-Authenticate: Bearer`)",
    403: "The server is read-only",
    404: "Unknown id, or not existing on `at`",
    409: "The request conflicts with the current state (a changed baseline, a version)",
    413: "The request body is larger than the server accepts",
    415: "The body is not `application/json`",
    422: "A bad date, parameter or body",
    503: "The store is busy or unavailable: retry after `Retry-After` seconds",
}


def _statuses(method: str, path: str, settings: Settings) -> list[int]:
    # 404 everywhere: a path id, and query ids too (root=, scenario=, scenarios=).
    out = [400, 404, 422, 503]
    if method in WRITES:
        out += [401, 403, 409, 413, 415]
    elif settings.read_tokens:
        out.append(401)
    return out


def _required_texts_not_empty(operation: dict[str, Any]) -> None:
    """A required text parameter sent empty is absent (api/security.py), so refused: the
    document says it needs one character at least."""
    for parameter in operation.get("parameters", ()):
        schema = parameter.get("schema", {})
        if parameter.get("required") and parameter.get("in") == "query" \
                and schema.get("type") == "string":
            schema.setdefault("minLength", 1)
        if parameter.get("name") == "at" and parameter.get("in") == "query":
            # `at` is a date wherever it appears (every route parses it with parse_at).
            schema.setdefault("pattern", DATE_PATTERN)


def complete(spec: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """`spec` with problem+json errors, every status documented and the bearer scheme."""
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    components.setdefault("securitySchemes", {})["bearer"] = {
        "type": "http", "scheme": "bearer",
        "description": "A write token (BOMAY_TOKEN, a tokens file, or the one `bomay serve` "
                       "prints)."}
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            _required_texts_not_empty(operation)
            html = "text/html" in responses.get("200", {}).get("content", {})
            for status in _statuses(method, path, settings):
                responses.setdefault(str(status), {"description": _WHY[status]})
            for status, response in responses.items():
                if not status.isdigit() or int(status) < 400:
                    continue
                content = response.get("content", {})
                example = next((c.get("example") for c in content.values() if "example" in c),
                               None)
                problem: dict[str, Any] = {"schema": PROBLEM_REF}
                if example is not None:
                    problem["example"] = example
                response["content"] = {"application/problem+json": problem}
                if html:
                    # A page's errors are pages too (for a browser), problem+json otherwise.
                    response["content"]["text/html"] = {"schema": {"type": "string"}}
                if response.get("description") in (None, "", "Validation Error"):
                    response["description"] = _WHY.get(int(status), "An error")
            if method in WRITES or settings.read_tokens:
                operation["security"] = [{"bearer": []}]
    return spec


def install_openapi(app: FastAPI, settings: Settings) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version,
                               description=app.description, routes=app.routes)
            app.openapi_schema = complete(spec, settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
