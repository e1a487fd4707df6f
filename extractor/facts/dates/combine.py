"""From candidates to facts: join neighbours, pick non-overlapping spans, complete the values.

Order of work, each step a small function:
1. `join_neighbours` adds joined candidates: a clock time with its day ("14h30 ngày 21/5",
   "từ 7h30 đến 11h30 ngày 21/5"), two such moments ("từ 8h ngày 12/7 đến 17h ngày 13/7"),
   a range ("từ ngày 1/1 đến 30/6/2020", "ngày 10-12/5"), an open range up to now.
2. `select` keeps the longest strong candidates, then weak ones in the gaps.
3. `link_lists` lets a year-less item borrow the year of the next one in a list
   ("cuối tháng 10, đầu tháng 11/2025") and keeps weak items that continue a list.
4. `complete` gives clock times their day and year-less values their year.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ...intervals import DisjointSpans
from .moments import Moment, is_valid_date, nearest_year
from .grammar import DateGrammar
from .productions import Candidate, clock_hour

MAX_GAP = 30
TIME_THEN_DAY_GAP = re.compile(r"^(?:\s*,)?\s*$|^\s+-\s+$")
DAY_THEN_TIME_GAP = re.compile(r"^\s*(?:,\s*)?$|^\s+[-|]\s+$")
RANGE_GRAINS = {("date", "date"), ("day", "date"), ("month", "month"), ("year", "year"), ("quarter", "quarter")}
# Ends of different grains ("từ năm 2019 đến tháng 9/2022") need the opening "từ".
MIXED_GRAINS = {"year", "quarter", "month", "date"}


def _is_time(c: Candidate) -> bool:
    return c.anchored and c.until is None


def _is_day(c: Candidate) -> bool:
    return c.until is None and c.moment.grain == "date"


def _neighbours(candidates: list[Candidate]):
    """Pairs (a, b) with b starting inside or shortly after a, in text order."""
    ordered = sorted(candidates, key=lambda c: (c.start, -c.end))
    for i, a in enumerate(ordered):
        for k in range(i + 1, len(ordered)):  # not ordered[i + 1:]: copying the tail per item is quadratic
            b = ordered[k]
            if b.start > a.end + MAX_GAP:
                break
            if b.start > a.start and b.end > a.end:
                yield a, b


def _on_day(day: Moment, clock: Moment, part: str | None) -> Moment:
    return replace(day, grain="datetime", hour=clock_hour(clock.hour, part), minute=clock.minute)


def _with_time(day: Candidate, time: Candidate, start: int, end: int) -> Candidate:
    part = time.part or day.part
    until = None
    if time.until is not None:  # "từ 7h30 đến 11h30 ngày 21/5": both ends on that day
        until = _on_day(day.moment, time.until, time.until_part or part)
    return Candidate(start, end, f"{time.rule}+{day.rule}", _on_day(day.moment, time.moment, part),
                     until=until, part=part, strong=time.strong or day.strong, deictic=day.deictic)


def _join_clock_range(a: Candidate, b: Candidate, text: str, grammar: DateGrammar) -> Candidate | None:
    """ "từ 7h30 đến 11h30": two clock times waiting together for their day."""
    if not (_is_time(a) and _is_time(b)) or b.start < a.end:
        return None
    if not _range_gap(text, a, b, grammar):
        return None
    return Candidate(a.start, b.end, f"{a.rule}..{b.rule}", a.moment, until=b.moment, part=a.part,
                     until_part=b.part, strong=False, anchored=True)


def _range_gap(text: str, a: Candidate, b: Candidate, grammar: DateGrammar) -> bool:
    """Does the text between `a` and `b` make them the two ends of a range ("7h30 - 11h30")? The
    end's own lead may carry the connector: "từ 7h30 | đến 11h30"."""
    gap = text[a.end:b.start]
    return bool(grammar.range_gap.match(gap) or (gap.isspace() and grammar.clock_range_end.match(text, b.start)))


def _is_clock_range(c: Candidate) -> bool:
    return c.anchored and c.until is not None


def _join_time(a: Candidate, b: Candidate, text: str, grammar: DateGrammar) -> Candidate | None:
    if (_is_time(a) or _is_clock_range(a)) and _is_day(b):
        # "8 giờ sáng 9-3": the part of day may be shared by both matches.
        if b.start <= a.end or TIME_THEN_DAY_GAP.match(text[a.end:b.start]):
            return _with_time(b, a, a.start, b.end)
    # A clock time or range ("ngày 21/5 từ 7h đến 11h30") after its day: anchored is either.
    # "đến 17h" after a day ends a range and belongs to the day after it ("… ngày 12/7 đến 17h ngày 13/7").
    if b.anchored and _is_day(a) and b.start >= a.end and DAY_THEN_TIME_GAP.match(text[a.end:b.start]) \
            and not grammar.clock_range_end.match(text, b.start):
        return _with_time(a, b, a.start, b.end)
    return None


def _join_moments(joined: list[Candidate], text: str, grammar: DateGrammar) -> list[Candidate]:
    """ "từ 8h ngày 12/7 đến 17h ngày 13/7": two moments, each a time joined to its day, make a
    period; the second one's span opens with "đến"."""
    moments = [c for c in joined if c.until is None and c.moment.grain == "datetime"]
    periods = []
    for i, a in enumerate(moments):
        # The nearest moment after this one (overlapping ones, "ngày 12/7 - 17h", are skipped).
        b = next((b for b in moments[i + 1:] if b.start >= a.end), None)
        if b is None:
            continue
        if not _range_gap(text, a, b, grammar):
            continue
        periods.append(Candidate(a.start, b.end, f"{a.rule}..{b.rule}", a.moment, until=b.moment, part=a.part,
                                 strong=True, deictic=a.deictic or b.deictic))
    return periods


def _join_range(a: Candidate, b: Candidate, text: str, grammar: DateGrammar) -> Candidate | None:
    if a.until is not None or b.until is not None or _is_time(a) or _is_time(b) or b.start < a.end:
        return None
    gap = text[a.end:b.start]
    if not grammar.range_gap.match(gap):
        return None
    if gap in ("-", "–") and (grammar.unit_after.match(text, b.end) or grammar.fraction_after.match(text, b.end)):
        return None  # "từ 8/10-9/10 tiêu chí", "từ 1/2-2/3 số hộ": ratios or fractions of a count
    opener = grammar.from_before.search(text[max(0, a.start - 12):a.start])
    grains = (a.moment.grain, b.moment.grain)
    if grains not in RANGE_GRAINS and not (opener and set(grains) <= MIXED_GRAINS):
        return None
    first = a.moment
    if first.grain == "day":
        first = replace(first, grain="date", month=b.moment.month)
        if not is_valid_date(None, first.month, first.day):
            return None
    start = a.start
    if opener:
        start = a.start - len(opener.group())
    strong = a.strong or b.strong or a.moment.grain == "day" or opener is not None
    return Candidate(start, b.end, f"{a.rule}..{b.rule}", first, until=b.moment, strong=strong,
                     deictic=a.deictic or b.deictic)


def join_neighbours(candidates: list[Candidate], text: str, reference: date | None, grammar: DateGrammar
                    ) -> list[Candidate]:
    """The candidates plus every joined candidate their neighbours form.

    >>> from extractor.facts.dates.grammar import grammar_for
    >>> from extractor.rules_loader import load_rules
    >>> day = Candidate(6, 15, "day_month_numeric", Moment("date", None, 5, 21))
    >>> time = Candidate(0, 5, "clock_time", Moment("datetime", hour=14, minute=30), anchored=True)
    >>> [c.rule for c in join_neighbours([time, day], "14h30 ngày 21/5", None, grammar_for(load_rules()))][-1]
    'clock_time+day_month_numeric'
    """
    pairs = list(_neighbours(candidates))
    clock_ranges = [made for a, b in pairs if (made := _join_clock_range(a, b, text, grammar))]
    if clock_ranges:
        pairs = list(_neighbours(candidates + clock_ranges))
    joined = []
    for a, b in pairs:
        for join in (_join_time, _join_range):
            made = join(a, b, text, grammar)
            if made is not None:
                joined.append(made)
    if len(joined) > 1:
        joined += _join_moments(sorted(joined, key=lambda c: (c.start, -c.end)), text, grammar)
    # A clock range left without its day says nothing ("từ 7h30 đến 11h30 hằng ngày").
    return candidates + joined


def select(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: strong ones longest first, then weak ones where room is left.

    >>> long = Candidate(0, 10, "day_month_numeric", Moment("date", None, 5, 21))
    >>> short = Candidate(6, 10, "day_month_numeric", Moment("date", None, 5, 21), strong=False)
    >>> [c.start for c in select([short, long])]
    [0]
    """
    chosen: list[Candidate] = []
    kept = DisjointSpans()
    for strong in (True, False):
        for c in sorted((c for c in candidates if c.strong is strong), key=lambda c: (-c.length, c.start)):
            if kept.add_if_free(c.start, c.end):
                chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def _same_family(a: Candidate, b: Candidate) -> bool:
    if a.until is not None or b.until is not None or _is_time(a) or _is_time(b):
        return False
    grains = (a.moment.grain, b.moment.grain)
    return grains[0] == grains[1] or grains in (("day", "date"), ("date", "datetime"), ("datetime", "date"))


def _borrow(item: Moment, later: Moment) -> Moment:
    """Fill a list item's missing month/year from the next item ("ngày 10 và 11/5/2020")."""
    if item.grain == "day":
        item = replace(item, grain="date", month=later.month)
    if item.year is None and later.year is not None:
        item_key = (item.month or 0, item.day or 0, item.quarter or 0)
        later_key = (later.month or 0, later.day or 0, later.quarter or 0)
        item = item.with_year(later.year - 1 if item_key > later_key else later.year)
    return item


def link_lists(chosen: list[Candidate], text: str, grammar: DateGrammar) -> list[Candidate]:
    """Complete list items from their right neighbour; keep weak items only when they continue a list.

    A weak item after a date joins the list when the gap is "và"/"hoặc" or it ends like a date
    ("ngày 21/5, 7/7 phường" stays a ratio); a day number before a date always takes its month.

    >>> from extractor.facts.dates.grammar import grammar_for
    >>> from extractor.rules_loader import load_rules
    >>> text = "tháng 10 và 11/2025"
    >>> first = Candidate(0, 8, "month", Moment("month", None, 10))
    >>> second = Candidate(12, 19, "month_year_bare", Moment("month", 2025, 11), strong=False)
    >>> [c.moment.iso() for c in link_lists([first, second], text, grammar_for(load_rules()))]
    ['2025-10', '2025-11']
    """
    linked = [False] * len(chosen)
    for i in range(len(chosen) - 1):
        a, b = chosen[i], chosen[i + 1]
        gap = text[a.end:b.start]
        if not _same_family(a, b) or not grammar.list_gap.match(gap):
            continue
        if not a.strong and a.moment.grain != "day":
            continue
        if not b.strong:
            if not a.strong and a.moment.grain != "day":
                continue
            if not (grammar.list_word.search(gap) or grammar.list_end_after.match(text[b.end:b.end + 8])):
                continue
            b.strong = True
        linked[i] = True
    for i in range(len(chosen) - 2, -1, -1):
        if linked[i]:
            a, b = chosen[i], chosen[i + 1]
            year_missing = a.moment.year is None
            a.moment = _borrow(a.moment, b.moment)
            a.strong = True
            a.deictic = a.deictic or (year_missing and b.deictic)  # "tháng 4, 5 và 6 năm nay"
    return [c for c in chosen if c.strong and c.moment.grain != "day"]


def fallback_reference(facts: list[Candidate]) -> date | None:
    """Without a publication date: the latest explicit full date, else month, else year, in the text.

    >>> fallback_reference([Candidate(0, 4, "month", Moment("month", 2022, 7))])
    datetime.date(2022, 7, 15)
    """
    for grains in (("date", "datetime"), ("month",), ("year",)):
        found = [c.moment.anchor() for c in facts if c.until is None and c.moment.grain in grains and c.moment.complete]
        if found:
            return max(found)
    return None


def _resolve(moment: Moment, reference: date | None, reference_year: bool) -> Moment:
    if moment.year is not None or reference is None:
        return moment
    if reference_year:
        return moment.with_year(reference.year)
    return nearest_year(moment, reference)


def _resolve_period(c: Candidate, reference: date | None) -> None:
    first, last = c.moment, c.until
    if last.year is None and first.year is not None:
        last = last.with_year(first.year)
        if last.order_key() < first.order_key() or (last.order_key() == first.order_key() and (last.day or 0) < (first.day or 0)):
            last = last.with_year(first.year + 1)
    last = _resolve(last, reference, c.year_from_reference)
    if first.year is None and last.year is not None:
        first = _borrow(first, last)
    c.moment, c.until = first, last


def complete(chosen: list[Candidate], reference: date | None, anchor_lone_times: bool = False) -> list[Candidate]:
    """Give each candidate a full value; drop those that cannot get one.

    A clock time with no date beside it ("Lúc 9 giờ, …") is dropped unless `anchor_lone_times`,
    then it takes the preceding date of the text, else the reference date. Without any reference,
    a day keeps no year ("--12-28").

    >>> [c.moment.iso() for c in complete([Candidate(0, 9, "day_month_numeric", Moment("date", None, 12, 28))],
    ...                                   date(2021, 1, 3))]
    ['2020-12-28']
    >>> [c.moment.iso() for c in complete([Candidate(0, 9, "day_month_numeric", Moment("date", None, 12, 28))], None)]
    ['--12-28']
    """
    reference = reference or fallback_reference(chosen)
    # Nothing gives a year: a day keeps its month-day value "--MM-DD" (SPEC), it is not dropped.
    yearless = reference is None
    previous_day: Moment | None = None
    done = []
    for c in chosen:
        if _is_time(c):
            day = previous_day or (Moment("date", reference.year, reference.month, reference.day) if reference else None)
            if day is None or not anchor_lone_times:
                continue
            c.moment = replace(day, grain="datetime", hour=clock_hour(c.moment.hour, c.part),
                               minute=c.moment.minute)
        elif c.until is not None:
            _resolve_period(c, reference)
        else:
            c.moment = _resolve(c.moment, reference, c.year_from_reference)
        if not (c.moment.complete or yearless and c.moment.month_day) or (
                c.until is not None and not (c.until.complete or yearless and c.until.month_day)):
            continue
        if c.until is None and c.moment.grain in ("date", "datetime"):
            previous_day = c.moment
        done.append(c)
    return done
