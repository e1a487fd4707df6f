"""The calendar days a date value covers: `first_day` and `last_day` of every date fact.

A date value mixes grains ("2020", "2021-Q1", "2020-10", "2020-05-21", "2021-03-09T08:00",
periods "2016/2021" with each end in its own grain), which no date parser reads as one type.
Its span of days is what a table needs: two ISO dates, the first and the last day covered.
A month-day without a year ("--02-06") covers no known days: both are None.
"""

from __future__ import annotations

import calendar
import re
from datetime import MINYEAR, date

_VALUE_RE = re.compile(
    r"(?P<year>\d{4})"
    r"(?:-Q(?P<quarter>[1-4])|-(?P<month>\d{2})(?:-(?P<day>\d{2})(?:T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?)?"
)


Day = tuple[int, int, int]  # (year, month, day) of a valid calendar day


def end_days(value: str) -> tuple[date, date] | None:
    """The first and last day one end of a value covers, or None when it names no calendar day.

    >>> end_days("2021-Q1")
    (datetime.date(2021, 1, 1), datetime.date(2021, 3, 31))
    >>> end_days("--02-06") is None, end_days("2021-02-30") is None
    (True, True)
    """
    ends = _end_fields(value)
    return None if ends is None else (date(*ends[0]), date(*ends[1]))


def _end_fields(value: str) -> tuple[Day, Day] | None:
    """`end_days` as (year, month, day) triples: integer arithmetic, no date objects (the record
    writes these for every date fact)."""
    match = _VALUE_RE.fullmatch(value.strip())
    if match is None:
        return None
    year = int(match["year"])
    if year < MINYEAR:  # "0000": no calendar year
        return None
    if match["quarter"]:
        first_month = 3 * (int(match["quarter"]) - 1) + 1
        return (year, first_month, 1), (year, first_month + 2, _month_length(year, first_month + 2))
    if match["month"] is None:
        return (year, 1, 1), (year, 12, 31)
    month = int(match["month"])
    if not 1 <= month <= 12:  # month 13: not a calendar day
        return None
    if match["day"] is None:
        return (year, month, 1), (year, month, _month_length(year, month))
    day = int(match["day"])
    if not 1 <= day <= _month_length(year, month):  # day 30 of February
        return None
    return (year, month, day), (year, month, day)


def _month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if calendar.isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def day_span(value: str | None) -> tuple[date | None, date | None]:
    """(first day, last day) a date value covers; (None, None) when it names no calendar days.

    >>> [d.isoformat() for d in day_span("2016/2021")]
    ['2016-01-01', '2021-12-31']
    >>> [d.isoformat() for d in day_span("2020-10")], day_span("--05-21")
    (['2020-10-01', '2020-10-31'], (None, None))
    """
    span = _span_fields(value)
    return (None, None) if span is None else (date(*span[0]), date(*span[1]))


def iso_day_span(value: str | None) -> tuple[str | None, str | None]:
    """`day_span` as ISO strings, the record's `first_day` and `last_day`.

    >>> iso_day_span("2021-03-09T08:00"), iso_day_span("0099-02")
    (('2021-03-09', '2021-03-09'), ('0099-02-01', '0099-02-28'))
    """
    span = _span_fields(value)
    return (None, None) if span is None else ("%04d-%02d-%02d" % span[0], "%04d-%02d-%02d" % span[1])


def _span_fields(value: str | None) -> tuple[Day, Day] | None:
    """The first day of a value's start and the last of its end, as triples."""
    if not isinstance(value, str) or not value:
        return None
    start, _, until = value.partition("/")
    first = _end_fields(start)
    last = _end_fields(until) if until else first
    if first is None or last is None:
        return None
    return first[0], last[1]
