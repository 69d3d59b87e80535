"""The edge of the app: one pure ASGI middleware in front of every route.

- Writes (POST, PUT, PATCH, DELETE) need `Authorization: Bearer <secret>` of a write
  token (401 with `WWW-Authenticate: Bearer` without one or with a wrong one), are refused
  by a read-only server (403), accept only JSON bodies (415: a cross-site form post never
  reaches a route) and bodies up to `max_body_bytes` (413, by Content-Length or counted
  while the body streams in). A JSON body holding a lone UTF-16 surrogate (`"\\ud800"`,
  no text) is a 422 naming the field (api/surrogates.py). No cookie is ever looked at.
- Reads are open unless read tokens are configured; then they need a read or write token.
- The name of the token that authorised a request is `request.state.token_name`
  (`scope["state"]["token_name"]`), for the change log.
- Empty (or blank) text query parameters (`kind=&level=`) are dropped: an empty optional
  parameter is absent, as a form with empty fields means (an empty number stays an error).
- HEAD is answered as GET without the body (FastAPI routes declare GET only); a 405
  lists in `Allow` every method of every route on that path.
- Every HTML answer (the pages and /docs) gets a CSP header with `frame-ancestors 'none'`
  and `X-Frame-Options: DENY`; every answer gets `nosniff` and a Referrer-Policy.
"""

from __future__ import annotations

import hmac
import typing
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode

from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem_response
from api.settings import Settings
from api.surrogates import lone_surrogate_field

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: The policy of the pages. Their own meta CSP (viz/render.py) is stricter; both apply.
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
#: Swagger UI (/docs) starts from one inline script FastAPI writes (no request data in it)
#: and styles its elements inline.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")
DOCS_PATHS = ("/docs", "/docs/oauth2-redirect")
COMMON_HEADERS = [(b"x-content-type-options", b"nosniff"),
                  (b"referrer-policy", b"no-referrer")]


def token_name(secrets: Mapping[str, str], presented: str | None) -> str | None:
    """The name of the token whose secret is `presented`, compared in constant time
    against every secret (no early exit that would tell which one came close)."""
    if not presented:
        return None
    given = presented.encode()
    found = None
    for name, secret in secrets.items():
        if hmac.compare_digest(given, secret.encode()):
            found = name
    return found


def bearer(headers: Mapping[str, str]) -> str | None:
    value = headers.get("authorization", "")
    scheme, _, credential = value.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credential.strip() or None


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                            and media.endswith("+json"))


class EdgeMiddleware:
    """See the module docstring; `settings` gives the tokens and bounds."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.settings = settings
        self._texts: frozenset[str] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._with_headers(scope, send)
        scope = self._without_empty_parameters(scope)
        send = _with_allow(scope, send)
        method = scope["method"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", ())}
        if method in WRITES:
            refused, name = self._refuse_write(headers)
            if refused is not None:
                await refused(scope, receive, send)
                return
            scope.setdefault("state", {})["token_name"] = name
            body = await self._read_body(receive)
            if body is None:
                await _too_large(self.settings)(scope, receive, send)
                return
            if body and not _is_json(headers.get("content-type", "")):
                await problem_response(
                    415, "Unsupported media type",
                    "writes accept only application/json bodies (got "
                    f"{headers.get('content-type') or 'no content-type'})")(scope, receive, send)
                return
            field = lone_surrogate_field(body) if body else None
            if field is not None:
                await problem_response(
                    422, "Invalid parameter",
                    f"invalid value for {field or 'body'}: a lone UTF-16 surrogate "
                    "(\\ud800-\\udfff without its pair) is not a character",
                    [{"field": field, "location": "body",
                      "message": "a lone UTF-16 surrogate is not a character: send the "
                                 "text as UTF-8 or as a surrogate pair"}])(scope, receive, send)
                return
            receive = _replay(body, receive)
        elif self.settings.read_tokens:
            name = token_name({**self.settings.read_tokens, **self.settings.tokens},
                              bearer(headers))
            if name is None:
                await _unauthorised("reads on this server need a read token "
                                    "(Authorization: Bearer <token>)",
                                    bearer(headers) is not None)(scope, receive, send)
                return
            scope.setdefault("state", {})["token_name"] = name
        if method == "HEAD":
            scope = dict(scope, method="GET")
            send = _without_body(send)
        await self.app(scope, receive, send)

    def _refuse_write(self, headers: Mapping[str, str]) -> tuple[Any, str | None]:
        """(the problem answer that refuses a write, None) or (None, the token's name)."""
        if self.settings.read_only:
            return problem_response(403, "Read-only", "this server is read-only "
                                    "(started with --read-only): it refuses every write"), None
        presented = bearer(headers)
        name = token_name(self.settings.tokens, presented)
        if name is None:
            if not self.settings.tokens:
                detail = ("this server has no write token configured (BOMAY_TOKEN or "
                          "--tokens FILE), so it refuses every write")
            elif presented is None:
                detail = "writes need a token: send Authorization: Bearer <token>"
            else:
                detail = "the token is not valid for writes"
            return _unauthorised(detail, presented is not None), None
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return problem_response(400, "Bad request",
                                        "Content-Length is not a number"), None
            if int(length) > self.settings.max_body_bytes:
                return _too_large(self.settings), None
        return None, name

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None once it passes the limit (counted as it streams in)."""
        limit = self.settings.max_body_bytes
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _without_empty_parameters(self, scope: Scope) -> Scope:
        raw = scope.get("query_string", b"")
        if not raw:
            return scope
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
        if self._texts is None:
            self._texts = text_parameters(scope.get("app"))
        kept = [(k, v) for k, v in pairs if v.strip() != "" or k not in self._texts]
        if len(kept) == len(pairs):
            return scope
        return dict(scope, query_string=urlencode(kept).encode("latin-1"))

    def _with_headers(self, scope: Scope, send: Send) -> Send:
        path = scope.get("path", "")
        csp = (DOCS_CSP if path in DOCS_PATHS else PAGE_CSP).encode()

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                names = {k.lower() for k, _ in headers}
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                extra = [h for h in COMMON_HEADERS if h[0] not in names]
                if content_type.startswith(b"text/html"):
                    extra += [(b"content-security-policy", csp), (b"x-frame-options", b"DENY")]
                message = dict(message, headers=headers + extra)
            await send(message)
        return sending


def text_parameters(app: Any) -> frozenset[str]:
    """Names of the query parameters that are texts in every route that has them (an
    empty one is absent); a name that is a number anywhere is left alone."""
    from fastapi.routing import APIRoute

    texts: set[str] = set()
    others: set[str] = set()
    for context in _routes(app):
        route = getattr(context, "original_route", context)
        if not isinstance(route, APIRoute):
            continue
        dependants = [route.dependant]
        while dependants:  # the route's own parameters and its dependencies' (as_of...)
            dependant = dependants.pop()
            dependants.extend(dependant.dependencies)
            for field in dependant.query_params:
                annotation = field.field_info.annotation
                kinds = set(typing.get_args(annotation)) - {type(None)} or {annotation}
                (texts if kinds == {str} else others).add(field.alias)
    return frozenset(texts - others)


def _routes(app: Any) -> list[Any]:
    """The app's routes with their full paths (FastAPI >= 0.16x wraps included routers)."""
    routes = list(getattr(app, "routes", ()))
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return routes
    return list(iter_route_contexts(routes))


def _with_allow(scope: Scope, send: Send) -> Send:
    """On a 405, `Allow` names the methods of every route on the path (Starlette names
    those of the first route only: GET /scenarios hid POST /scenarios)."""
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start" and message.get("status") == 405:
            allowed: set[str] = set()
            for route in _routes(scope.get("app")):
                methods, path = getattr(route, "methods", None), getattr(route, "path", None)
                if methods and path and compile_path(path)[0].match(scope["path"]):
                    allowed |= set(methods)
            if "GET" in allowed:
                allowed.add("HEAD")
            headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"allow"]
            headers.append((b"allow", ", ".join(sorted(allowed)).encode()))
            message = dict(message, headers=headers)
        await send(message)
    return sending


def _unauthorised(detail: str, presented: bool):
    challenge = 'Bearer realm="bomay"' + (', error="invalid_token"' if presented else "")
    return problem_response(401, "Unauthorized", detail,
                            headers={"WWW-Authenticate": challenge})


def _too_large(settings: Settings):
    return problem_response(413, "Content too large",
                            f"request bodies are limited to {settings.max_body_bytes} bytes")


def _replay(body: bytes, upstream: Receive) -> Receive:
    """A `receive` that hands the buffered body to the app, then the server's own
    messages (a disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await upstream()
    return receive


def _without_body(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {"type": "http.response.body", "body": b"",
                       "more_body": message.get("more_body", False)}
        await send(message)
    return sending
