"""Partial ISO dates (`2018`, `2018-08`, `2018-08-07`) that keep their precision.

A partial date stands for a period; for ordering and as-of tests it is taken at
its first day (`2018` -> 2018-01-01), which is documented in docs/data-format.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import total_ordering

from graph.errors import InvalidParameter

# ASCII digits only: `\d` would also take other scripts' digits (٢٠١٨) for a year.
_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


class DateParseError(InvalidParameter, ValueError):
    """A text that is not an ISO 8601 (possibly partial) calendar date.

    A `BomayError` (422, Invalid parameter), so that a bad date anywhere reaches the user
    as one problem without a conversion at each call site; still a `ValueError` for the
    parsers that treat it as one. `parse_at(text, field=...)` names the field."""


@total_ordering
@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    # Computed once: as-of tests compare first days constantly, and stores write the text
    # of the same few thousand dates millions of times.
    _first: dt.date = field(init=False, repr=False, compare=False, hash=False)
    #: The date as written, with its precision (`2018`, `2018-08`, `2018-08-07`).
    iso: str = field(init=False, repr=False, compare=False, hash=False)
    #: The hash, the generated one's value computed once: every record holding the date is
    #: hashed into sets by the scenario overlay (millions of times in a national plan).
    _hash: int = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_first", dt.date(self.year, self.month or 1, self.day or 1))
        object.__setattr__(self, "iso", self._format())
        object.__setattr__(self, "_hash", hash((self.year, self.month, self.day)))

    def __hash__(self) -> int:
        return self._hash

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        m = _PATTERN.match(text.strip())
        if not m:
            raise DateParseError("expected an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(m[1])
        month = int(m[2]) if m[2] else None
        day = int(m[3]) if m[3] else None
        if month is not None and not 1 <= month <= 12:
            raise DateParseError(f"impossible date: there is no month {month}")
        if day is not None:
            assert month is not None  # the pattern has no day without a month
            try:
                dt.date(year, month, day)
            except ValueError:
                raise DateParseError(f"impossible date: {year:04d}-{month:02d} has no day {day}") from None
        if year < 1:
            raise DateParseError("impossible date: there is no year 0")
        return cls(year, month or None, day or None)

    @classmethod
    def of(cls, value: "dt.date") -> "PartialDate":
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> dt.date:
        return self._first

    def last_day(self) -> dt.date:
        """The last day of the period the date stands for (`2018-02` -> 2018-02-28)."""
        if self.day:
            return self.first_day()
        if self.month:
            nxt = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def __str__(self) -> str:
        return self.iso

    def _format(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def _key(self) -> tuple:
        return (self._first, (self.month is not None) + (self.day is not None))

    def __lt__(self, other: "PartialDate") -> bool:
        return self._key() < other._key()


def parse_optional(text: str | None) -> PartialDate | None:
    return PartialDate.parse(text) if text not in (None, "") else None


def parse_at(text: str | None, *, field: str | None = None) -> dt.date | None:
    """Parse an as-of date (a full day); a partial date is taken at its first day.

    With `field`, a bad text raises DateParseError whose detail is `"<field>: <why>"` and
    whose `errors` name the field and the value (the shape of every invalid parameter)."""
    if text is None or text == "":
        return None
    if field is None:
        return PartialDate.parse(text).first_day()
    try:
        return PartialDate.parse(text).first_day()
    except DateParseError as exc:
        raise DateParseError(f"{field}: {exc.detail}", errors=[
            {"field": field, "message": exc.detail, "value": text}]) from None


def start_day(start: PartialDate | None) -> dt.date:
    """The first day of an interval's start; an open start is the earliest day."""
    return start.first_day() if start is not None else dt.date.min


def in_interval(at: dt.date | None, start: PartialDate | None, end: PartialDate | None) -> bool:
    """Whether `at` falls in [start, end): `end` exclusive, None meaning open; at=None matches all."""
    if at is None:
        return True
    if start is not None and at < start._first:
        return False
    if end is not None and at >= end._first:
        return False
    return True


def intervals_overlap(a_start: PartialDate | None, a_end: PartialDate | None,
                      b_start: PartialDate | None, b_end: PartialDate | None) -> bool:
    """Whether two half-open intervals share at least one day."""
    lo_a = a_start.first_day() if a_start else dt.date.min
    hi_a = a_end.first_day() if a_end else dt.date.max
    lo_b = b_start.first_day() if b_start else dt.date.min
    hi_b = b_end.first_day() if b_end else dt.date.max
    return max(lo_a, lo_b) < min(hi_a, hi_b)
