"""JSON responses serialised with orjson, with ETags for reads."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

_OPTIONS = orjson.OPT_NON_STR_KEYS


class OrjsonResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=_OPTIONS, default=_default)


def _default(value: Any) -> Any:
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def json_read(request: Request, content: Any, revision: str) -> Response:
    """A read's response with a strong ETag over revision + body; 304 when it matches."""
    body = orjson.dumps(content, option=_OPTIONS, default=_default)
    etag = '"' + hashlib.blake2b(revision.encode() + body, digest_size=10).hexdigest() + '"'
    if etag in (request.headers.get("if-none-match") or ""):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})
