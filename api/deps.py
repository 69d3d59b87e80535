"""Request dependencies: the store, the settings, and the as-of date of a request."""

from __future__ import annotations

import datetime as dt

from fastapi import Query, Request

from api.settings import Settings
from graph.dates import DateParseError, parse_at
from graph.rules import default_at
from graph.store import GraphStore


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


_YEAR = r"([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_LEAP = r"([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (r"((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)"
              r"|(0[13578]|1[02])-31)")
#: The dates `parse_at` accepts, as a regular expression for the OpenAPI document (YYYY,
#: YYYY-MM, a real YYYY-MM-DD, Feb 29 of leap years; empty: absent). Documented, not
#: enforced by FastAPI: the parser gives the precise message ("2019-02 has no day 29").
_DATE = rf"({_YEAR}(-(0[1-9]|1[0-2]))?|{_YEAR}-{_MONTH_DAY}|{_LEAP}-02-29)"
DATE_PATTERN = rf"^\s*{_DATE}?\s*$"
#: `Query(..., **DATE_SCHEMA)` documents an optional date parameter (blank: absent);
#: REQUIRED_DATE_SCHEMA a required one.
DATE_SCHEMA = {"json_schema_extra": {"pattern": DATE_PATTERN}}
REQUIRED_DATE_SCHEMA = {"json_schema_extra": {"pattern": rf"^\s*{_DATE}\s*$"}}


def parse_date_param(name: str, value: str | None) -> dt.date | None:
    # A bad text raises DateParseError, an InvalidParameter naming `name` (graph.dates).
    if value is not None and not value.strip():
        return None  # blank: absent, as an empty parameter is
    if value is not None and not value.isascii():
        # Python's \d would take other scripts' digits (٢٠١٨) for a year.
        message = "expected an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD"
        raise DateParseError(f"{name}: {message}",
                             errors=[{"field": name, "message": message, "value": value}])
    return parse_at(value, field=name)


def as_of(request: Request,
          at: str | None = Query(None, description="The date to read the structure at "
                                 "(YYYY-MM-DD, or a partial YYYY / YYYY-MM taken at its first "
                                 "day); default: today.", examples=["2018-08-07"],
                                 **DATE_SCHEMA)) -> dt.date:
    """The `at` of a read: the given date, the settings' default, or today."""
    parsed = parse_date_param("at", at)
    if parsed is not None:
        return parsed
    return default_at(request.app.state.settings.default_at)
