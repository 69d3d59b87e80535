"""Partial dates keep their precision; as-of tests use half-open intervals."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.dates import DateParseError, PartialDate, in_interval


@pytest.mark.parametrize("text,precision,first,last", [
    ("2018", "year", dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
    ("2018-02", "month", dt.date(2018, 2, 1), dt.date(2018, 2, 28)),
    ("2020-02", "month", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
    ("2018-08-07", "day", dt.date(2018, 8, 7), dt.date(2018, 8, 7)),
])
def test_partial_dates_keep_their_precision(text, precision, first, last):
    d = PartialDate.parse(text)
    assert (str(d), d.precision, d.first_day(), d.last_day()) == (text, precision, first, last)


@pytest.mark.parametrize("text", ["2018-13", "2018-02-30", "18", "2018/08/07", "7/8", "2018-8-7", ""])
def test_bad_dates_are_refused(text):
    with pytest.raises(DateParseError):
        PartialDate.parse(text)


@given(st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(["year", "month", "day"]))
def test_text_round_trip(day, precision):
    text = {"year": f"{day.year:04d}", "month": f"{day.year:04d}-{day.month:02d}",
            "day": day.isoformat()}[precision]
    assert str(PartialDate.parse(text)) == text


def test_valid_to_is_exclusive():
    start, end = PartialDate.parse("2018"), PartialDate.parse("2025-07-01")
    assert in_interval(dt.date(2025, 6, 30), start, end)
    assert not in_interval(dt.date(2025, 7, 1), start, end)
    assert in_interval(dt.date(2018, 1, 1), start, end)
    assert not in_interval(dt.date(2017, 12, 31), start, end)
    assert in_interval(None, start, end)


def test_ordering_by_first_day_then_precision():
    dates = [PartialDate.parse(t) for t in ["2018-08-07", "2018", "2018-08", "2017-12-31"]]
    assert [str(d) for d in sorted(dates)] == ["2017-12-31", "2018", "2018-08", "2018-08-07"]


@pytest.mark.parametrize("text", ["٢٠١٨", "２０１８-08", "2018-0８-07"])
def test_only_ascii_digits_make_a_date(text):
    with pytest.raises(DateParseError, match="expected an ISO 8601 date"):
        PartialDate.parse(text)


def test_a_date_parse_error_is_an_invalid_parameter():
    from graph.errors import BomayError, InvalidParameter
    assert issubclass(DateParseError, InvalidParameter) and issubclass(DateParseError, BomayError)
    assert issubclass(DateParseError, ValueError)  # the loaders still catch it as one
    assert DateParseError("x").status == 422
