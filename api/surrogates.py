"""Lone UTF-16 surrogates in a JSON body (`"\\ud800"`): valid JSON, but not text.

Python's `json` (what the routes' body parsing uses) turns such an escape into a string no
store can encode (UTF-8, orjson and the Neo4j driver all refuse it), so a scenario named
with one failed at save time with a 500. The edge refuses the body first, with a 422 that
names the field. A proper surrogate pair (`"\\ud83d\\ude00"`, one emoji) is text and passes.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

#: A `\u` escape of a surrogate code point: the only way JSON can carry a lone one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _has_lone(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _first_field(value: Any, path: tuple[str, ...]) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return path if _has_lone(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _has_lone(key):
                return (*path, key.encode("utf-8", "backslashreplace").decode())
            found = _first_field(item, (*path, str(key)))
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _first_field(item, (*path, str(i)))
            if found is not None:
                return found
    return None


def lone_surrogate_field(body: bytes) -> str | None:
    """The dotted path of the first field of `body` holding a lone surrogate ("" for the
    body itself), or None when it holds none (or is not JSON: the route says so)."""
    if not _SURROGATE_ESCAPE.search(body):
        return None
    try:
        orjson.loads(body)  # orjson refuses lone surrogates and accepts pairs
        return None
    except orjson.JSONDecodeError:
        pass
    try:
        value = json.loads(body)
    except ValueError:
        return None  # not JSON at all: the route's own validation answers
    found = _first_field(value, ())
    return None if found is None else ".".join(found)
