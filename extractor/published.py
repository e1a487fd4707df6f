"""Publication date-times as portals print them, parsed by one function shared by the scraper
(page → `published_at`) and the pipeline (a `published_at` that is not ISO).

Formats seen on portals and newspapers: "Thứ Sáu, 22/05/2020 08:33", "Đăng ngày 09-03-2021 03:04",
"16:43 | 10/07/2026", "16:43 CH | 10/07/2026", "03/04/2020 | 10:36 PM", "Thời gian: 11/05/2022 12:15",
"Ngày xuất bản: 09/11/2017 2:58:00 CH", "(20:08 19/12/2018)", "Cập nhật: Thứ tư, 31/8/2016 | 4:03:24 PM",
"07/12/2021 13:07 GMT+7", "Thứ Hai, ngày 22 tháng 5 năm 2020", ISO 8601 and RFC 2822 (feeds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from .normalize import normalize_text
from .rules_loader import load_rules

VIETNAM_TZ = timezone(timedelta(hours=7))

_DAY_FIRST_RE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.-]?\d)")
_YEAR_FIRST_RE = re.compile(r"(?<![\d/.-])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\d/.-]?\d)")
_OFFSET_RE = re.compile(r"(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_RFC_2822_RE = re.compile(r"^\s*(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{2}:\d{2}")
DATE_LINES_FILE = "dates/date_lines.json"  # the words of a date line: "tháng", "giờ", "CH" (afternoon) …


@dataclass(frozen=True)
class _DateLineWords:
    """The regexes of a date line's words, built from `rules/dates/date_lines.json`."""

    day_in_words: re.Pattern[str]  # "31 tháng 8 năm 2016"
    clock: re.Pattern[str]         # "08:33", "2:58:00 CH", "10 giờ 30 phút sáng"
    morning: frozenset[str]        # markers, upper case
    afternoon: frozenset[str]


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _date_line_words() -> _DateLineWords:
    """The shipped rules' date-line words (a page's metadata line is read the same whatever rules a user adds)."""
    rules = load_rules()
    return rules.cached(DATE_LINES_FILE, lambda: _build_date_line_words(rules.json(DATE_LINES_FILE, {})))


def _build_date_line_words(table: dict) -> _DateLineWords:
    clock = (rf"(?<![\d/.-])([01]?\d|2[0-3])\s*(?:{_alternatives(table['hour_marks'])})\s*([0-5]\d)"
             rf"(?:\s*(?:{_alternatives(table['minute_marks'])})\s*([0-5]\d))?"
             rf"(?:\s*({_alternatives(table['morning'] + table['afternoon'])})(?!\w))?(?![\d/])")
    return _DateLineWords(
        day_in_words=re.compile(table["day_in_words"], re.IGNORECASE),
        clock=re.compile(clock, re.IGNORECASE),
        morning=frozenset(w.upper() for w in table["morning"]),
        afternoon=frozenset(w.upper() for w in table["afternoon"]),
    )


def parse_publication_datetime(line: str) -> str | None:
    """Parse a portal's date line into ISO 8601 (with +07:00 when a time is given), else None.

    >>> parse_publication_datetime("Thứ Sáu, 22/05/2020 08:33")
    '2020-05-22T08:33:00+07:00'
    >>> parse_publication_datetime("03/04/2020 | 10:36 PM")
    '2020-04-03T22:36:00+07:00'
    >>> parse_publication_datetime("Ngày xuất bản: 09/11/2017 2:58:00 CH")
    '2017-11-09T14:58:00+07:00'
    >>> parse_publication_datetime("Cập nhật ngày 31/8/2016")
    '2016-08-31'
    >>> parse_publication_datetime("Tin khác") is None
    True
    """
    if not line or not isinstance(line, str):
        return None
    line = normalize_text(line)
    if _RFC_2822_RE.match(line):
        try:
            return iso_string(parsedate_to_datetime(line))
        except (TypeError, ValueError):
            pass
    iso = _ISO_RE.search(line)
    if iso:
        parsed = parse_iso(iso.group())
        if parsed is not None:
            return iso_string(parsed)
    found = _find_day(line)
    if found is None:
        return None
    day_value, (start, end) = found
    clock = _find_clock(line[:start] + " " + line[end:])
    if clock is None:
        return day_value.isoformat()
    hour, minute, second = clock
    moment = datetime(day_value.year, day_value.month, day_value.day, hour, minute, second,
                      tzinfo=_zone(line))
    return moment.isoformat()


def _find_day(line: str) -> tuple[date, tuple[int, int]] | None:
    """The first valid calendar day in the line, with its span."""
    in_words = _date_line_words().day_in_words
    for regex, order in ((_DAY_FIRST_RE, (1, 3, 4)), (_YEAR_FIRST_RE, (4, 3, 1)), (in_words, (1, 2, 3))):
        for match in regex.finditer(line):
            day, month, year = (int(match.group(i)) for i in order)
            if year < 100:
                year += 2000
            try:
                return date(year, month, day), match.span()
            except ValueError:
                continue
    return None


def _find_clock(rest: str) -> tuple[int, int, int] | None:
    """(hour, minute, second) of the first clock time, on the 24-hour clock."""
    words = _date_line_words()
    clock = words.clock.search(rest)
    if not clock:
        return None
    hour, minute = int(clock.group(1)), int(clock.group(2))
    second = int(clock.group(3) or 0)
    marker = (clock.group(4) or "").upper()
    if marker in words.afternoon and hour < 12:
        hour += 12
    elif marker in words.morning and hour == 12:
        hour = 0
    return hour, minute, second


def _zone(line: str) -> timezone:
    """The zone a line states ("GMT+7"), else Vietnam time."""
    offset = _OFFSET_RE.search(line)
    if not offset:
        return VIETNAM_TZ
    sign = -1 if offset.group(1) == "-" else 1
    hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
    if hours > 14 or minutes > 59:
        return VIETNAM_TZ
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


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
    """The record's form of a publication time: date only, or seconds with the zone.

    >>> iso_string(datetime(2020, 5, 22, 8, 33))
    '2020-05-22T08:33:00+07:00'
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=VIETNAM_TZ)
        return value.isoformat()
    return value.isoformat()
