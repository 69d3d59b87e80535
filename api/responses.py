"""JSON responses serialised with orjson, with ETags for reads.

orjson refuses values nested deeper than its recursion limit (a subtree of ~126 levels);
such answers are written by an iterative encoder instead, so a hierarchy of 10,000 levels
answers like any other.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

_OPTIONS = orjson.OPT_NON_STR_KEYS


class OrjsonResponse(JSONResponse):
    """A JSONResponse (so that the OpenAPI shows each route's response model) rendered by
    orjson."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)


def _default(value: Any) -> Any:
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def dumps(content: Any) -> bytes:
    """`content` as JSON bytes, whatever its depth."""
    try:
        return orjson.dumps(content, option=_OPTIONS, default=_default)
    except orjson.JSONEncodeError as exc:
        if "recursion" not in str(exc).lower():
            raise
        return dumps_iteratively(content)


class _Token(bytes):
    """Literal JSON text on the encoder's stack (never a value of the data)."""


def dumps_iteratively(content: Any) -> bytes:
    """JSON of nested dicts and lists with an explicit stack (no recursion limit);
    leaves are encoded by orjson."""
    out: list[bytes] = []
    stack: list[Any] = [content]
    while stack:
        item = stack.pop()
        if type(item) is _Token:
            out.append(item)
            continue
        if hasattr(item, "as_dict") and not isinstance(item, (dict, list)):
            item = item.as_dict()
        if isinstance(item, dict):
            tokens: list[Any] = []
            for i, (key, value) in enumerate(item.items()):
                if not isinstance(key, str):
                    key = orjson.dumps({key: None}, option=_OPTIONS)[2:-7].decode()
                tokens.append(_Token((b"," if i else b"") + orjson.dumps(key) + b":"))
                tokens.append(value)
            stack.append(_Token(b"}"))
            stack.extend(reversed(tokens))
            stack.append(_Token(b"{"))
        elif isinstance(item, (list, tuple, set, frozenset)):
            tokens = []
            for i, value in enumerate(item):
                if i:
                    tokens.append(_Token(b","))
                tokens.append(value)
            stack.append(_Token(b"]"))
            stack.extend(reversed(tokens))
            stack.append(_Token(b"["))
        else:
            out.append(orjson.dumps(item, option=_OPTIONS, default=_default))
    return b"".join(out)


def json_read(request: Request, content: Any, revision: str) -> Response:
    """A read's response with a strong ETag over revision + body; 304 when it matches."""
    body = dumps(content)
    etag = '"' + hashlib.blake2b(revision.encode() + body, digest_size=10).hexdigest() + '"'
    if etag in (request.headers.get("if-none-match") or ""):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})
