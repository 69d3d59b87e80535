"""Request dependencies: the store, the settings, and the as-of date of a request."""

from __future__ import annotations

import datetime as dt

from fastapi import Query, Request

from api.settings import Settings
from graph.dates import DateParseError, parse_at
from graph.errors import InvalidParameter
from graph.store import GraphStore


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def parse_date_param(name: str, value: str | None) -> dt.date | None:
    try:
        return parse_at(value)
    except DateParseError as exc:
        raise InvalidParameter(f"{name}: {exc}",
                               errors=[{"field": name, "message": str(exc), "value": value}]) from None


def as_of(request: Request,
          at: str | None = Query(None, description="The date to read the structure at "
                                 "(YYYY-MM-DD, or a partial YYYY / YYYY-MM taken at its first "
                                 "day); default: today.", examples=["2018-08-07"])) -> dt.date:
    """The `at` of a read: the given date, the settings' default, or today."""
    parsed = parse_date_param("at", at)
    if parsed is not None:
        return parsed
    default = request.app.state.settings.default_at
    return parse_at(default) if default else dt.date.today()
