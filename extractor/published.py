"""Publication date-times as portals print them, parsed by one function shared by the scraper
(page → `published_at`) and the dates component.

Formats seen on portals: "Thứ Sáu, 22/05/2020 08:33", "Đăng ngày 09-03-2021 03:04",
"16:43 | 10/07/2026", "03/04/2020 | 10:36 PM", "Thời gian: 11/05/2022 12:15", ISO strings.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

VIETNAM_TZ = timezone(timedelta(hours=7))

_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_TIME_RE = re.compile(
    r"(?<![\d/.-])(\d{1,2})[:hg](\d{2})(?::(\d{2}))?(?:\s*(SA|CH|AM|PM|sa|ch|am|pm))?(?![\d/])"
)
_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def parse_publication_datetime(line: str) -> str | None:
    """Parse a portal's date line into ISO 8601 (with +07:00 when a time is given), else None.

    >>> parse_publication_datetime("Thứ Sáu, 22/05/2020 08:33")
    '2020-05-22T08:33:00+07:00'
    >>> parse_publication_datetime("03/04/2020 | 10:36 PM")
    '2020-04-03T22:36:00+07:00'
    >>> parse_publication_datetime("Tin khác") is None
    True
    """
    if not line:
        return None
    iso = _ISO_RE.search(line)
    if iso:
        parsed = parse_iso(iso.group())
        if parsed is not None:
            return iso_string(parsed)
    found = _DATE_RE.search(line)
    if not found:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        day_value = date(year, month, day)
    except ValueError:
        return None
    rest = line[: found.start()] + " " + line[found.end():]
    clock = _TIME_RE.search(rest)
    if not clock:
        return day_value.isoformat()
    hour, minute = int(clock.group(1)), int(clock.group(2))
    second = int(clock.group(3) or 0)
    marker = (clock.group(4) or "").upper()
    if marker in ("PM", "CH") and hour < 12:
        hour += 12
    elif marker in ("AM", "SA") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return day_value.isoformat()
    return datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM_TZ).isoformat()


def parse_iso(value: str | None) -> datetime | date | None:
    """An ISO 8601 date or date-time (as in `published_at`), or None when it is not one.

    >>> parse_iso("2020-05-22T08:33")
    datetime.datetime(2020, 5, 22, 8, 33)
    >>> parse_iso("2020-05-22")
    datetime.date(2020, 5, 22)
    """
    if not value:
        return None
    value = value.strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def iso_string(value: datetime | date) -> str:
    """The record's form of a publication time: date only, or seconds with the zone."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=VIETNAM_TZ)
        return value.isoformat()
    return value.isoformat()
