"""Calendar values at their own grain, and how a partial one is completed.

A `Moment` is what one expression says: "21/5" knows day and month, "quý II" only a quarter.
The missing year is filled from a neighbour in a list ("ngày 10 và 11/5/2020") or, failing that,
chosen to put the value nearest the reference date, before or after (SPEC: "ngày 28/12"
published 03/01/2021 → 2020-12-28).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# Output grains, coarse to fine; "day" (a day number waiting for its month) is never output.
GRAINS = ("year", "quarter", "month", "date", "datetime")


@dataclass(frozen=True)
class Moment:
    """A point on the calendar at a grain; fields finer than the grain are unused.

    >>> Moment("date", year=2020, month=5, day=21).iso()
    '2020-05-21'
    """

    grain: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    hour: int | None = None
    minute: int | None = None

    @property
    def complete(self) -> bool:
        """True when the value can be written (the year and everything its grain needs are known)."""
        if self.year is None or self.grain == "day":
            return False
        return self.grain != "date" or is_valid_date(self.year, self.month, self.day)

    @property
    def month_day(self) -> bool:
        """True for a day of a known month and no year ("ngày 6/2" with nothing to give it one):
        written as ISO 8601's "--MM-DD" rather than dropped."""
        return (self.year is None and self.grain in ("date", "datetime")
                and is_valid_date(None, self.month, self.day))

    def iso(self) -> str:
        """ISO 8601 at the moment's own grain; a day without a year is "--MM-DD".

        >>> Moment("quarter", year=2021, quarter=1).iso(), Moment("datetime", 2021, 3, 9, hour=8, minute=0).iso()
        ('2021-Q1', '2021-03-09T08:00')
        >>> Moment("date", None, 2, 6).iso()
        '--02-06'
        """
        if self.grain == "year":
            return f"{self.year:04d}"
        if self.grain == "quarter":
            return f"{self.year:04d}-Q{self.quarter}"
        if self.grain == "month":
            return f"{self.year:04d}-{self.month:02d}"
        day = f"{self.year:04d}-{self.month:02d}-{self.day:02d}" if self.year is not None else f"--{self.month:02d}-{self.day:02d}"
        if self.grain == "datetime":
            return f"{day}T{self.hour:02d}:{self.minute or 0:02d}"
        return day

    def with_year(self, year: int) -> "Moment":
        """The same moment in another year."""
        return Moment(self.grain, year, self.month, self.day, self.quarter, self.hour, self.minute)

    def anchor(self, year: int | None = None) -> date:
        """A representative day, used to measure distance to the reference date (in `year`
        instead of the moment's own when given)."""
        if year is None:
            year = self.year
        month = self.month or (3 * (self.quarter - 1) + 2 if self.quarter else 7)
        day = self.day or 15
        if not is_valid_date(year, month, day):
            day = days_in_month(year, month)
        return date(year, month, day)

    def order_key(self) -> tuple[int, int]:
        """(year, month) for ordering the ends of a period; quarters count by their first month."""
        month = self.month or (3 * (self.quarter - 1) + 1 if self.quarter else 1)
        return (self.year or 0, month)


def is_valid_date(year: int | None, month: int | None, day: int | None) -> bool:
    """True for a real calendar day; a year-less 29/2 is allowed.

    >>> is_valid_date(2021, 2, 29), is_valid_date(None, 2, 29), is_valid_date(2020, 4, 31)
    (False, True, False)
    """
    if month is None or day is None or not 1 <= month <= 12 or day < 1:
        return False
    return day <= days_in_month(year if year is not None else 2020, month)


# Days of each month in a common year (`calendar.monthrange` also works out the weekday: slower).
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """The number of days of a month (1-12).

    >>> days_in_month(2020, 2), days_in_month(2021, 2), days_in_month(2021, 12)
    (29, 28, 31)
    """
    if month == 2 and calendar.isleap(year):
        return 29
    return MONTH_DAYS[month - 1]


def nearest_year(moment: Moment, reference: date) -> Moment:
    """Give a year-less moment the year that puts it nearest the reference date.

    >>> nearest_year(Moment("date", month=12, day=28), date(2021, 1, 3)).iso()
    '2020-12-28'
    >>> nearest_year(Moment("date", month=12, day=19), date(2025, 11, 24)).iso()
    '2025-12-19'
    """
    best: tuple[tuple[int, int], int] | None = None  # (distance, -year) and the year
    for year in (reference.year - 1, reference.year, reference.year + 1):
        if moment.grain in ("date", "datetime") and not is_valid_date(year, moment.month, moment.day):
            continue
        key = (abs((moment.anchor(year) - reference).days), -year)
        if best is None or key < best[0]:
            best = (key, year)
    return moment if best is None else moment.with_year(best[1])


def shift_days(day: date, offset: int) -> Moment:
    """The date `offset` days from `day`, as a Moment.

    >>> shift_days(date(2020, 3, 1), -1).iso()
    '2020-02-29'
    """
    moved = day + timedelta(days=offset)
    return Moment("date", moved.year, moved.month, moved.day)


def shift_months(day: date, offset: int) -> Moment:
    """The month `offset` months from the month of `day`.

    >>> shift_months(date(2021, 1, 15), -1).iso()
    '2020-12'
    """
    index = day.year * 12 + day.month - 1 + offset
    return Moment("month", index // 12, index % 12 + 1)


def week_of(day: date, offset: int) -> tuple[Moment, Moment]:
    """Monday and Sunday of the week `offset` weeks from the week of `day`.

    >>> [m.iso() for m in week_of(date(2020, 5, 22), -1)]
    ['2020-05-11', '2020-05-17']
    """
    monday = day - timedelta(days=day.weekday()) + timedelta(weeks=offset)
    sunday = monday + timedelta(days=6)
    return (Moment("date", monday.year, monday.month, monday.day),
            Moment("date", sunday.year, sunday.month, sunday.day))
