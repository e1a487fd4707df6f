"""Direction words after a year-less value ("tháng 3 tới", "ngày 15/3 vừa qua"): they say on
which side of the publication date the value lies.

A year-less day, month or quarter takes the year nearest the publication date (SPEC), but a
written direction overrides the nearest year: "tháng 3 tới" published 2025-07-10 is 2026-03, not
2025-03; "ngày 15/3 vừa qua" published 2025-11-02 is 2025-03-15, not 2026-03-15. The words and
their sides are data (`rules/dates/directions.tsv`); the grammar compiles them
(`DateGrammar.direction_after`, `DateLexicon.directions`). "đến nay" after a value is one too:
"từ tháng 3 đến nay" lies before the publication, and "từ năm 2015 đến nay" is a period to it
(the words: fragments UNTIL_NOW and SINCE_BEFORE of `patterns.json`).
"""

from __future__ import annotations

from datetime import date

from .grammar import DateGrammar, fold_key
from .moments import Moment, is_valid_date
from .productions import CONTEXT_WINDOW, Candidate

# Grains whose year a direction word chooses.
DIRECTED_GRAINS = ("date", "datetime", "month", "quarter")


def _key(moment: Moment, year: int) -> tuple[int, int, int]:
    """(year, month or quarter, day) of a moment in `year`, comparable with `_reference_key`."""
    if moment.grain == "quarter":
        return (year, moment.quarter or 0, 0)
    day = (moment.day or 0) if moment.grain in ("date", "datetime") else 0
    return (year, moment.month or 0, day)


def _reference_key(moment: Moment, reference: date) -> tuple[int, int, int]:
    """The reference date at the moment's grain (a month's key has no day: "tháng 11 tới" published
    in November is this November)."""
    if moment.grain == "quarter":
        return (reference.year, (reference.month - 1) // 3 + 1, 0)
    return (reference.year, reference.month, reference.day if moment.grain in ("date", "datetime") else 0)


def directed_year(moment: Moment, reference: date, side: int) -> int | None:
    """The year that puts a year-less moment on `side` of the reference (1: on or after it, -1: on
    or before it), nearest first; None when no year near the reference does (29/2).

    >>> directed_year(Moment("month", month=3), date(2025, 7, 10), 1)
    2026
    >>> directed_year(Moment("date", month=3, day=15), date(2025, 11, 2), -1)
    2025
    >>> directed_year(Moment("quarter", quarter=4), date(2025, 11, 2), 1), directed_year(Moment("quarter", quarter=4), date(2025, 2, 2), -1)
    (2025, 2024)
    """
    mine = _reference_key(moment, reference)
    years = range(reference.year - 1, reference.year + 2)
    for year in (years if side > 0 else reversed(years)):
        if moment.grain in ("date", "datetime") and not is_valid_date(year, moment.month, moment.day):
            continue
        key = _key(moment, year)
        if (key >= mine) if side > 0 else (key <= mine):
            return year
    return None


def _side_after(c: Candidate, text: str, grammar: DateGrammar) -> int:
    """The side a direction word right after the candidate names, 0 when none follows."""
    found = grammar.direction_after.match(text, c.end)
    if found is None:
        return 0
    return grammar.lexicon.directions.get(fold_key(found.group("dir")), 0)


def apply_directions(chosen: list[Candidate], text: str, grammar: DateGrammar,
                     reference: date | None) -> list[Candidate]:
    """Give a year-less value followed by a direction word (and the year-less items of its list,
    "ngày 5, 6 và 7/3 vừa qua") the year on that side of the publication date; a year-less value
    written "từ X đến nay" lies before it. A year written so is a period to the publication year.
    The rest keep the nearest-year rule (`combine.complete`). Without a publication date nothing
    changes: the text's own reference (`combine.fallback_reference`, its latest date) may lie
    before or after the publication, so no side of it says anything ("hôm 17/1 vừa qua" in a text
    that also cites 30/11/2016)."""
    if not grammar.lexicon.directions or reference is None:
        return chosen
    for i in range(len(chosen) - 1, -1, -1):
        c = chosen[i]
        last = c.until if c.until is not None else c.moment
        if c.anchored or last.grain not in DIRECTED_GRAINS + ("year",):
            continue
        if last.year is not None:  # a year: "từ năm 2015 đến nay"
            if last.grain == "year" and c.until is None and last.year <= reference.year:
                _year_until_now(c, text, grammar, reference)
            continue
        side = _side_after(c, text, grammar) or (-1 if c.until is None and _since_until_now(c, text, grammar) else 0)
        year = directed_year(last, reference, side) if side else None
        if year is None:
            continue
        if c.until is not None:
            c.until = last.with_year(year)
        else:
            c.moment = last.with_year(year)
        _direct_list(chosen, i, text, grammar, year)
    return chosen


def _since_until_now(c: Candidate, text: str, grammar: DateGrammar) -> tuple[int, int] | None:
    """Where "từ X đến nay" (or "giai đoạn X đến nay") around the candidate X starts and ends."""
    after = grammar.until_now.match(text, c.end)
    if after is None:
        return None
    before = grammar.since_before.search(text, max(0, c.start - CONTEXT_WINDOW), c.start)
    return None if before is None else (before.start(), after.end())


def _year_until_now(c: Candidate, text: str, grammar: DateGrammar, reference: date) -> None:
    """A year written "từ năm 2015 đến nay", "giai đoạn 2011 đến nay": the period from it to the
    publication year, relative ("2015/2025" published in 2025). A day, month or quarter written
    so stays itself (the team's gold marks "từ ngày 7/9 đến nay" a date), only its year is the
    one before the publication."""
    span = _since_until_now(c, text, grammar)
    if span is not None:
        c.until, (c.start, c.end), c.deictic = Moment("year", reference.year), span, True


def _direct_list(chosen: list[Candidate], last: int, text: str, grammar: DateGrammar, year: int) -> None:
    """The year-less items of a list that ends at `chosen[last]` take its year, a year less for an
    item later in the year than the one after it ("ngày 30/12 và 2/1 vừa qua")."""
    for j in range(last - 1, -1, -1):
        item, after = chosen[j], chosen[j + 1]
        if item.until is not None or item.moment.year is not None or not grammar.list_gap.match(text[item.end:after.start]):
            return
        earlier = (item.moment.month or 0, item.moment.day or 0, item.moment.quarter or 0) > (
            after.moment.month or 0, after.moment.day or 0, after.moment.quarter or 0)
        year = year - 1 if earlier else year
        item.moment = item.moment.with_year(year)
