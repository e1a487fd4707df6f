"""The calendar days a date value covers: `first_day` and `last_day` of every date fact.

A date value mixes grains ("2020", "2021-Q1", "2020-10", "2020-05-21", "2021-03-09T08:00",
periods "2016/2021" with each end in its own grain), which no date parser reads as one type.
Its span of days is what a table needs: two ISO dates, the first and the last day covered.
A month-day without a year ("--02-06") covers no known days: both are None.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_VALUE_RE = re.compile(
    r"(?P<year>\d{4})"
    r"(?:-Q(?P<quarter>[1-4])|-(?P<month>\d{2})(?:-(?P<day>\d{2})(?:T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?)?"
)


def end_days(value: str) -> tuple[date, date] | None:
    """The first and last day one end of a value covers, or None when it names no calendar day.

    >>> end_days("2021-Q1")
    (datetime.date(2021, 1, 1), datetime.date(2021, 3, 31))
    >>> end_days("--02-06") is None, end_days("2021-02-30") is None
    (True, True)
    """
    match = _VALUE_RE.fullmatch(value.strip())
    if match is None:
        return None
    year = int(match["year"])
    try:
        if match["quarter"]:
            first_month = 3 * (int(match["quarter"]) - 1) + 1
            return date(year, first_month, 1), _month_end(year, first_month + 2)
        if match["day"]:
            day = date(year, int(match["month"]), int(match["day"]))
            return day, day
        if match["month"]:
            month = int(match["month"])
            return date(year, month, 1), _month_end(year, month)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:  # month 13, day 30 of February: not a calendar day
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def day_span(value: str | None) -> tuple[date | None, date | None]:
    """(first day, last day) a date value covers; (None, None) when it names no calendar days.

    >>> [d.isoformat() for d in day_span("2016/2021")]
    ['2016-01-01', '2021-12-31']
    >>> [d.isoformat() for d in day_span("2020-10")], day_span("--05-21")
    (['2020-10-01', '2020-10-31'], (None, None))
    """
    if not isinstance(value, str) or not value:
        return None, None
    start, _, until = value.partition("/")
    first = end_days(start)
    last = end_days(until) if until else first
    if first is None or last is None:
        return None, None
    return first[0], last[1]


def iso_day_span(value: str | None) -> tuple[str | None, str | None]:
    """`day_span` as ISO strings, the record's `first_day` and `last_day`.

    >>> iso_day_span("2021-03-09T08:00")
    ('2021-03-09', '2021-03-09')
    """
    first, last = day_span(value)
    return (first.isoformat() if first else None), (last.isoformat() if last else None)
