"""Productions: one small function per rule of `patterns.json`, turning a match into a candidate.

Duckling-style: the rule's regex says where an expression is, its production says what it means.
A production returns None when the match is not a date after all (31/2, "2021 – 2019"). A
candidate is *weak* when its text alone is not enough to call it a date ("7/7" may be a ratio,
"2021" a number): the combiner keeps a weak candidate only when it joins a neighbour
("ngày 10 và 11/5", "8 giờ sáng 9-3").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from ...progress import advanced
from .grammar import DateGrammar, fold_key
from .moments import Moment, clamp_year, days_in_month, is_valid_date, shift_days, shift_months, week_of

CONTEXT_WINDOW = 40


@dataclass
class Candidate:
    """A possible date fact: where it is, what it means, and how sure the text alone makes it."""

    start: int
    end: int
    rule: str
    moment: Moment
    until: Moment | None = None  # the end of a period
    part: str | None = None  # part of day, as written
    until_part: str | None = None  # part of day of a clock range's end ("7 giờ sáng đến 5 giờ chiều")
    strong: bool = True
    deictic: bool = False  # relative to the publication date ("hôm qua"): not inside quotations
    year_from_reference: bool = False  # "6 tháng đầu năm": the publication year, not the nearest one
    anchored: bool = False  # a clock time that takes its day from the preceding date

    @property
    def kind(self) -> str:
        return "period" if self.until is not None else self.moment.grain

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass
class MatchContext:
    """What a production may look at besides its match."""

    text: str
    grammar: DateGrammar
    reference: date | None

    def before(self, position: int) -> str:
        return self.text[max(0, position - CONTEXT_WINDOW):position]

    def triggered(self, position: int) -> bool:
        """A preposition such as "từ", "vào", "trước" right before `position`."""
        return self.grammar.trigger_before.search(self.before(position)) is not None

    def generic_before(self, position: int, numbers: bool = True) -> bool:
        """A word before a deictic phrase that makes it generic ("những năm tới", "so với năm trước"),
        or a number ("5 năm trước") unless `numbers` is False ("9h30 sáng nay" is not generic)."""
        found = self.grammar.not_deictic_before.search(self.before(position))
        return found is not None and (numbers or not found.group().strip().isdigit())


Production = Callable[[re.Match, MatchContext], "Candidate | list[Candidate] | None"]
PRODUCTIONS: dict[str, Production] = {}
# The named groups each production reads and cannot do without ("m|mw": one of them); a rule's
# pattern must have them (checked when the grammar is built: `check_rule_groups`).
NEEDED_GROUPS: dict[str, tuple[str, ...]] = {}


def production(*groups: str) -> Callable[[Production], Production]:
    """Register a production under its function name (the name rules refer to), with the named
    groups its rule's pattern must have."""
    def register(function: Production) -> Production:
        PRODUCTIONS[function.__name__] = function
        NEEDED_GROUPS[function.__name__] = groups
        return function

    return register


def missing_groups(production_name: str, regex: re.Pattern) -> list[str]:
    """The groups a production needs that the regex lacks.

    >>> missing_groups("month_span", re.compile(r"tháng (?P<m1>\\d+)-(?P<m2>\\d+)")), missing_groups("month", re.compile("x"))
    ([], ['m|mw'])
    """
    return [group for group in NEEDED_GROUPS[production_name]
            if not any(name in regex.groupindex for name in group.split("|"))]


def _group(match: re.Match, name: str) -> str | None:
    """A named group's text; None when the group did not match or the rule has no such group
    (a user rule may reuse a production without every group)."""
    return match.group(name) if name in match.re.groupindex else None


def _int(match: re.Match, group: str) -> int | None:
    value = _group(match, group)
    return int(value) if value else None


def _part(match: re.Match, ctx: MatchContext, *groups: str) -> str | None:
    for group in groups:
        word = _group(match, group)
        if word:
            return ctx.grammar.lexicon.parts_of_day.get(fold_key(word))
    return None


def _has_lead(match: re.Match, start: int = 0) -> bool:
    groups = ("reld", "part1", "part2", "wd", "dw", "open")
    return any(_group(match, g) and match.start(g) >= start for g in groups)


def _month(match: re.Match, ctx: MatchContext) -> int | None:
    if _group(match, "mw"):
        return ctx.grammar.lexicon.months.get(fold_key(match.group("mw")))
    return _int(match, "m")


def _relative_year(match: re.Match, ctx: MatchContext) -> tuple[int | None, bool]:
    """(year, deictic) from an explicit year or a "năm nay"-like tail."""
    year = _int(match, "y")
    tail = _group(match, "relyear")
    if year is None and tail:
        if ctx.reference is None:
            return None, True
        _, offset = ctx.grammar.lexicon.relative_periods[fold_key(tail)]
        return clamp_year(ctx.reference.year + offset), True
    return year, False


def _calendar_day(match: re.Match, ctx: MatchContext, month: int | None) -> Candidate | list[Candidate] | None:
    day = _int(match, "d")
    year, deictic = _relative_year(match, ctx)
    if year is None and _group(match, "yy"):
        # "ngày 21/5/24", "ký 5/4/24": a two-digit year only after a lead or a trigger ("21/5/24" alone may be a code).
        if not (_has_lead(match) or ctx.triggered(match.start())):
            return None
        year = _two_digit_year(int(match.group("yy")), ctx.reference)
    if month is None or (deictic and year is None) or not is_valid_date(year, month, day):
        return None
    start = match.start()
    if match.group("wd") and ctx.grammar.ordinal_before.search(ctx.before(match.start("wd"))):
        # "kỳ họp thứ 7 ngày 21/5": "thứ 7" is the session's number, not Saturday.
        if match.group("part1") or match.group("reld"):
            return None
        start = _next_lead_start(match)
    moment = Moment("date", year, month, day)
    part = _part(match, ctx, "part1", "part2")
    night = _night_before(match, ctx, start, moment) if part == "morning" else None
    after = _after_unspaced_next_day(match, ctx)
    strong = year is not None or _has_lead(match, start) or (
        (ctx.triggered(start) or _zero_padded(match)) and not ctx.grammar.unit_after.match(ctx.text, after)
        and not ctx.grammar.fraction_after.match(ctx.text, after)) or (
        # "ngày 1 và 2 tháng 6": the last day of a list of days.
        _after_connector(ctx.text, start, ctx.grammar.lexicon.range_connectors) and ctx.grammar.day_list_before.search(ctx.before(start)) is not None)
    candidate = Candidate(start, match.end(), "", moment, part=part, strong=strong, deictic=deictic)
    if night is not None:
        return [night, candidate]
    if _after_connector(ctx.text, start, ctx.grammar.lexicon.range_connectors) and (
            start == match.start("d") or not (match.group("wd") or match.group("reld") or match.group("open"))):
        # "từ 1-5/3", "từ đêm 16 đến sáng 19/10": a part of day or "ngày" may lead either side
        first = _from_day_before(ctx, start, match.end())
        if first is not None:
            return [first, candidate]
    return candidate


def _after_unspaced_next_day(match: re.Match, ctx: MatchContext) -> int:
    """Where the words that may make a day/month a count's fraction start: after the day/month
    that follows it unspaced ("từ 1/2-2/3 số hộ" is no range of days), else right after it."""
    end = match.end()
    if ctx.text[end:end + 1] in ("-", "–"):
        pair = ctx.grammar.next_pair.match(ctx.text, end)
        if pair is not None:
            return pair.end()
    return end


def _zero_padded(match: re.Match) -> bool:
    """ "07/03": a day or month written with a leading zero is a date, never a ratio's count."""
    return match.group("d").startswith("0") or (_group(match, "m") or "").startswith("0")


def _from_day_before(ctx: MatchContext, start: int, end: int) -> Candidate | None:
    """The "1" of "từ 1-5/3" or "đêm 16" of "từ đêm 16 đến sáng 19/10" (a day number, with its
    lead, that the date from `start` to `end` completes), unless a unit or "số" follows the date
    ("từ 8-9/10 tiêu chí", "từ 1-2/3 số hộ")."""
    before = ctx.before(start)
    found = ctx.grammar.from_day_before.search(before)
    if found is None or ctx.grammar.unit_after.match(ctx.text, end) or ctx.grammar.fraction_after.match(ctx.text, end):
        return None
    offset = start - len(before)
    return Candidate(offset + found.start("lead"), offset + found.end("d"), "", Moment("day", day=int(found.group("d"))),
                     strong=False)


def _night_before(match: re.Match, ctx: MatchContext, start: int, dawn: Moment) -> Candidate | None:
    """The "đêm 30" of "đêm 30 rạng sáng 31/12": the day before the dawn, when its number fits."""
    word = _group(match, "part1") or _group(match, "part2")
    if not ctx.grammar.dawn.fullmatch(word):
        return None
    before = ctx.before(start)
    found = ctx.grammar.night_before_dawn.search(before)
    if found is None:
        return None
    night = shift_days(date(dawn.year or 2020, dawn.month, dawn.day), -1)  # 2020: a year-less 1/3 follows 29/2
    if night.day != int(found.group("d")):
        return None
    if dawn.year is None:
        night = Moment("date", None, night.month, night.day)
    offset = start - len(before)
    return Candidate(offset + found.start(), offset + found.end("d"), "", night,
                     part=ctx.grammar.lexicon.parts_of_day.get(fold_key(found.group("part"))))


def _two_digit_year(short: int, reference: date | None) -> int:
    """ "24" → 2024; a year more than one past the reference is of the last century.

    >>> _two_digit_year(24, date(2024, 5, 22)), _two_digit_year(98, date(2024, 5, 22))
    (2024, 1998)
    """
    year = 2000 + short
    if year > (reference.year if reference else date.today().year) + 1:
        year -= 100
    return year


def _next_lead_start(match: re.Match) -> int:
    for group in ("part2", "dw", "open", "d"):
        if match.group(group):
            return match.start(group)
    return match.start("d")


@production("d", "m", "dw", "wd", "reld", "open", "part1", "part2")
def day_month_numeric(match: re.Match, ctx: MatchContext) -> Candidate | list[Candidate] | None:
    """ "Chiều 21/5" → date 05-21 (year later), afternoon; bare "7/7" is only a weak candidate."""
    return _calendar_day(match, ctx, _int(match, "m"))


@production("d", "m|mw", "dw", "wd", "reld", "open", "part1", "part2")
def day_month_words(match: re.Match, ctx: MatchContext) -> Candidate | list[Candidate] | None:
    """ "ngày 21 tháng 5 năm 2020" → date 2020-05-21."""
    return _calendar_day(match, ctx, _month(match, ctx))


@production("d")
def day_only_before_connector(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """The "ngày 10" of "ngày 10 và 11/5": a day number that the following date completes.
    Without a day word, a counted unit or "số" after the pair makes it a range of ratios or
    fractions ("từ 8-9/10 tiêu chí", "từ 1-2/3 số hộ")."""
    if not _group(match, "dw"):
        pair = ctx.grammar.next_pair.match(ctx.text, match.end())
        if pair is not None and (ctx.grammar.unit_after.match(ctx.text, pair.end())
                                 or ctx.grammar.fraction_after.match(ctx.text, pair.end())):
            return None
        return Candidate(match.start(), match.end(), "", Moment("day", day=_int(match, "d")), strong=False)
    first = Candidate(match.start(), match.end(), "", Moment("day", day=_int(match, "d")), strong=False)
    return _with_list_items(first, ctx, lambda number: Moment("day", day=number))


def _with_list_items(first: Candidate, ctx: MatchContext, moment: Callable[[int], Moment | None]) -> Candidate | list[Candidate]:
    """A list's opener and the bare numbers after it, each weak until the list's last item completes
    it: "ngày 5, 6 và 7/3" → "ngày 5" and "6" (the "7/3" is a rule's own match)."""
    found = ctx.grammar.list_item.match(ctx.text, first.end)
    if found is None:
        return first
    candidates = [first]
    while found is not None:
        value = moment(int(found.group("n")))
        if value is None:
            break
        candidates.append(Candidate(found.start("n"), found.end("n"), "", value, strong=False))
        found = ctx.grammar.list_item.match(ctx.text, advanced(found.start(), found.end(), "date list reader"))
    return candidates


def _after_connector(text: str, position: int, connectors: tuple[str, ...]) -> bool:
    """Whether a connector of a list (",", "và", "hoặc": `connectors.tsv`) or of a range ends the text
    before `position` ("ngày 5, 6 và 7/3", "ngày 1 đến 5 tháng 6"): the cheap test before the list
    patterns are searched.

    >>> _after_connector("tháng 3, 4/2024", 9, (",", "và")), _after_connector("tháng 4/2024", 6, (",", "và"))
    (True, False)
    """
    return text[max(0, position - 6):position].rstrip().lower().endswith(connectors)


def _last_listed_month(match: re.Match, ctx: MatchContext, year: int | None, deictic: bool = False) -> Candidate | None:
    """The "6 năm 2024" of "tháng 4, 5 và 6 năm 2024": the year's match reaches back to the month
    number that ends a list of months."""
    start = match.start()
    if start < 2 or not ctx.text[start - 2].isdigit():  # most years follow no number: skip the search
        return None
    before = ctx.before(start)
    listed = ctx.grammar.month_list_end.search(before)
    if listed is None or not 1 <= int(listed.group("n")) <= 12:
        return None
    return Candidate(start - len(before) + listed.start("n"), match.end(), "",
                     Moment("month", year, int(listed.group("n"))), deictic=deictic)


@production("m|mw")
def month(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "tháng 10/2020" → month 2020-10; "cuối tháng 10" → month 10 (year later); "tháng mười"
    → month 10, but not "mỗi tháng một lần" (a lower-case month word before a unit counts)."""
    number = _month(match, ctx)
    if number is None:
        return None
    word = _group(match, "mw")
    if word and (word in ctx.grammar.lexicon.months_after_day
                 or word.islower() and ctx.grammar.unit_after.match(ctx.text, match.end())):
        return None
    year, deictic = _relative_year(match, ctx)
    if deictic and year is None:
        return None
    found = Candidate(match.start(), match.end(), "", Moment("month", year, number), deictic=deictic)
    if year is not None or _group(match, "edge"):
        return found
    # "tháng 4, 5 và 6/2024": the bare months after it.
    return _with_list_items(found, ctx, lambda n: Moment("month", None, n) if n <= 12 else None)


@production("m|mw", "place")
def ordinal_in_month(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "ngày đầu tiên của tháng ba" → date 03-01 (year later); "tuần đầu tiên của tháng 9 năm 2017"
    → the Monday–Sunday period from the month's first Monday (a week needs its year: written, or
    the publication's)."""
    number = _month(match, ctx)
    found = ctx.grammar.lexicon.ordinal_in_month.get(fold_key(match.group("place")))
    if number is None or found is None:
        return None
    unit, which = found
    year, deictic = _relative_year(match, ctx)
    if deictic and year is None:
        return None
    if unit == "day":
        day = 1 if which == "first" else days_in_month(year if year is not None else 2021, number)
        return Candidate(match.start(), match.end(), "", Moment("date", year, number, day), deictic=deictic)
    if year is None:
        if ctx.reference is None:
            return None
        year, deictic = ctx.reference.year, True
    if which == "first":
        first = date(year, number, 1)
        monday = first + timedelta(days=(7 - first.weekday()) % 7)
    else:
        last = date(year, number, days_in_month(year, number))
        monday = last - timedelta(days=last.weekday() + (7 if last.weekday() < 6 else 0))
    sunday = monday + timedelta(days=6)
    return Candidate(match.start(), match.end(), "", Moment("date", year, number, monday.day),
                     until=Moment("date", sunday.year, sunday.month, sunday.day), deictic=deictic)


@production("m1", "m2")
def month_span(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "tháng 10-11/2021" → period 2021-10/2021-11."""
    first, last = _int(match, "m1"), _int(match, "m2")
    if not first < last:
        return None
    year, deictic = _relative_year(match, ctx)
    if deictic and year is None:
        return None
    return Candidate(match.start(), match.end(), "", Moment("month", year, first), until=Moment("month", year, last),
                     deictic=deictic)


@production("m", "y")
def month_year_bare(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """The "11/2025" of "tháng 10 và 11/2025": weak, kept only after another month; strong after
    "tháng 3, " ("tháng 3, 4/2024")."""
    listed = _after_connector(ctx.text, match.start(), ctx.grammar.lexicon.list_connectors) and ctx.grammar.month_list_before.search(
        ctx.before(match.start())) is not None
    return Candidate(match.start(), match.end(), "", Moment("month", _int(match, "y"), _int(match, "m")),
                     strong=listed or _calendar_reference(match, ctx, bracketed=True))


def _calendar_reference(match: re.Match, ctx: MatchContext, bracketed: bool = False) -> bool:
    """A bare year or month/year that names calendar time: after a word of
    `year_reference_before.txt` ("so với cùng kỳ 2019", "tầm nhìn đến 2045") or, when `bracketed`
    may, alone in brackets ("thành lập (3/1975)", "(1997)"); never before a counted unit ("đến 2030 ha")."""
    if ctx.grammar.unit_after.match(ctx.text, match.end()):
        return False
    if bracketed and ctx.text[max(0, match.start() - 1):match.start()] == "(" and ctx.text[match.end():match.end() + 1] == ")":
        return not ctx.grammar.unit_after.match(ctx.text, match.end() + 1)  # not "(2000) USD"
    return ctx.grammar.year_reference_before.search(ctx.before(match.start())) is not None


@production("y")
def year(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "năm 2020", "cuối năm 2023" → year; the "6 năm 2024" of "tháng 4, 5 và 6 năm 2024" → month."""
    start = match.start()
    if start >= 2 and ctx.text[start - 2].isdigit() and not _group(match, "edge"):
        month = _last_listed_month(match, ctx, _int(match, "y"))
        if month is not None:
            return month
    return Candidate(start, match.end(), "", Moment("year", _int(match, "y")))


@production("y")
def year_bare(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """The "2021" of "năm 2019 và 2021": weak, kept only after another year; strong as a calendar
    reference ("so với cùng kỳ 2019", "tầm nhìn đến 2045") or alone in brackets ("tái lập tỉnh
    (1997)", "Thượng tá Nguyễn Văn A (1970)": a birth year)."""
    return Candidate(match.start(), match.end(), "", Moment("year", _int(match, "y")),
                     strong=_calendar_reference(match, ctx, bracketed=True))


@production("d", "m", "y1", "y2")
def anniversary_day_of_years(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "2/9 (1945 - 2025)" → period 1945-09-02/2025-09-02: the day in the first and the last year."""
    day, number, first, last = _int(match, "d"), _int(match, "m"), _int(match, "y1"), _int(match, "y2")
    if not first < last <= first + 200 or not (is_valid_date(first, number, day) and is_valid_date(last, number, day)):
        return None
    return Candidate(match.start(), match.end(), "", Moment("date", first, number, day),
                     until=Moment("date", last, number, day))


@production("y1", "y2", "rsep", "head")
def year_span(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "giai đoạn 2016 – 2021" → period 2016/2021 (a slash only after a head word)."""
    first, last = _int(match, "y1"), _int(match, "y2")
    if not first < last <= first + 100:
        return None
    if match.group("rsep") == "/" and not match.group("head"):
        return None
    return Candidate(match.start(), match.end(), "", Moment("year", first), until=Moment("year", last))


@production("q")
def quarter(match: re.Match, ctx: MatchContext) -> Candidate | list[Candidate] | None:
    """ "quý I/2021" → quarter 2021-Q1; "quý IV" → quarter 4 (year later); "quý I và II năm 2024" →
    the quarter and the ones listed after it (a roman numeral after "quý I và" is a quarter)."""
    first = _quarter_candidate(match, ctx)
    if first is None or first.moment.year is not None:
        return first
    candidates = [first]
    item = ctx.grammar.quarter_item.match(ctx.text, match.end())
    while item is not None and (found := _quarter_candidate(item, ctx, item.start("q"))) is not None:
        candidates.append(found)
        item = None if found.moment.year is not None else ctx.grammar.quarter_item.match(
            ctx.text, advanced(item.start(), item.end(), "quarter list reader"))
    return candidates if len(candidates) > 1 else first


def _quarter_candidate(match: re.Match, ctx: MatchContext, start: int | None = None) -> Candidate | None:
    number = ctx.grammar.lexicon.quarters.get(match.group("q"))
    if number is None:
        return None
    year, deictic = _relative_year(match, ctx)
    if deictic and year is None:
        return None
    return Candidate(match.start() if start is None else start, match.end(), "", Moment("quarter", year, quarter=number),
                     deictic=deictic)


def _edge(ctx: MatchContext, word: str) -> str | None:
    """What an edge word means (edges.tsv): "cuối" → "end"."""
    return ctx.grammar.lexicon.edges.get(fold_key(word))


def _months_within_year(match: re.Match, ctx: MatchContext, count: int, from_end: bool) -> Candidate | None:
    if not 1 <= count <= 12:
        return None
    year = _int(match, "y")
    deictic = False
    modifier = _group(match, "relmod")
    if year is None and modifier:
        if ctx.reference is None:
            return None
        offset = ctx.grammar.lexicon.year_modifiers[fold_key(modifier)]
        year, deictic = clamp_year(ctx.reference.year + offset), True
    first, last = (13 - count, 12) if from_end else (1, count)
    return Candidate(match.start(), match.end(), "", Moment("month", year, first),
                     until=Moment("month", year, last), deictic=deictic, year_from_reference=year is None)


@production("nw", "y", "relmod")
def months_of_year(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "6 tháng đầu năm 2020" → period 2020-01/2020-06; "9 tháng năm 2023" → 2023-01/2023-09.
    A bare "8 tháng" is a duration and is not matched."""
    edge = _group(match, "edge")
    if not (edge or match.group("y") or match.group("relmod")):
        return None
    count = _int(match, "n") or ctx.grammar.lexicon.number_words.get(fold_key(match.group("nw") or ""), 0)
    return _months_within_year(match, ctx, count, from_end=bool(edge) and _edge(ctx, edge) == "end")


@production("edge")
def half_year(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "nửa đầu năm 2020" → period 2020-01/2020-06."""
    return _months_within_year(match, ctx, 6, from_end=_edge(ctx, match.group("edge")) == "end")


@production("unit")
def since_start_until_now(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "từ đầu năm đến nay" (published 2020-05-22) → period 2020-01/2020-05."""
    ref = ctx.reference
    if ref is None:
        return None
    if ctx.grammar.lexicon.period_units.get(fold_key(match.group("unit"))) == "month":
        first, last = Moment("date", ref.year, ref.month, 1), Moment("date", ref.year, ref.month, ref.day)
    else:
        first, last = Moment("month", _int(match, "y") or ref.year, 1), Moment("month", ref.year, ref.month)
    return Candidate(match.start(), match.end(), "", first, until=last, deictic=True)


@production("rel1", "reld")
def relative_day(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "chiều qua" (published 2020-05-22) → date 2020-05-21, afternoon."""
    if ctx.reference is None or ctx.generic_before(match.start(), numbers=False):
        return None
    figurative = ctx.grammar.figurative_after_place.search(ctx.text, max(0, match.start() - CONTEXT_WINDOW), match.end())
    if figurative is not None and figurative.end() == match.end():  # "Đà Nẵng hôm nay": today's Đà Nẵng
        return None
    lexicon = ctx.grammar.lexicon
    if match.group("rel1"):
        offset = lexicon.relative_after_part[fold_key(match.group("rel1"))]
    else:
        offset = lexicon.relative_days[fold_key(match.group("reld"))]
    return Candidate(match.start(), match.end(), "", shift_days(ctx.reference, offset),
                     part=_part(match, ctx, "part1", "part2"), deictic=True)


@production("relp")
def relative_period(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "tuần trước" → the Monday–Sunday period; "tháng trước" → month; "năm ngoái" → year."""
    if ctx.reference is None:
        return None
    unit, offset = ctx.grammar.lexicon.relative_periods[fold_key(match.group("relp"))]
    ref = ctx.reference
    if unit == "year" and not _group(match, "edge"):  # "tháng 4 và 5 năm nay": the list's last month
        month = _last_listed_month(match, ctx, clamp_year(ref.year + offset), deictic=True)
        if month is not None:
            return month
    if ctx.generic_before(match.start()) or ctx.before(match.start()).rstrip().endswith("/"):
        return None  # generic ("những năm tới"), or a rate per unit ("12 triệu đồng/tháng sau khi …")
    if unit == "week":
        monday, sunday = week_of(ref, offset)
        return Candidate(match.start(), match.end(), "", monday, until=sunday, deictic=True)
    if unit == "month":
        return Candidate(match.start(), match.end(), "", shift_months(ref, offset), deictic=True)
    if unit == "quarter":
        month = shift_months(ref, 3 * offset)
        return Candidate(match.start(), match.end(), "", Moment("quarter", month.year, quarter=(month.month - 1) // 3 + 1),
                         deictic=True)
    return Candidate(match.start(), match.end(), "", Moment("year", clamp_year(ref.year + offset)), deictic=True)


@production("relp", "wd")
def weekday_of_relative_week(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "thứ Hai tuần tới" (published Friday 2020-05-22) → date 2020-05-25."""
    if ctx.reference is None or ctx.generic_before(match.start()):
        return None
    weekday = ctx.grammar.lexicon.weekdays.get(fold_key(match.group("wd")))
    _, offset = ctx.grammar.lexicon.relative_periods[fold_key(match.group("relp"))]
    if weekday is None:
        return None
    monday, _ = week_of(ctx.reference, offset)
    day = shift_days(monday.anchor(), weekday - 1)
    return Candidate(match.start(), match.end(), "", day, part=_part(match, ctx, "part1"), deictic=True)


@production("h", "colon", "half", "lead")
def clock_time(match: re.Match, ctx: MatchContext) -> Candidate | None:
    """ "lúc 8 giờ 30 phút", "11 giờ kém 15" (10:45) → a time of day waiting for its date (the adjacent or preceding one).
    Without "lúc"/"vào" or a part of day it is weak ("trong 8 giờ" is a duration)."""
    hour = _int(match, "h")
    minute = _int(match, "min") if match.group("colon") else (30 if match.group("half") else _int(match, "min2"))
    less = _int(match, "less")
    if less is not None:  # "11 giờ kém 15": a quarter to eleven
        if not 0 < less < 60 or hour == 0:  # "0 giờ kém 10" would fall on the day before
            return None
        hour, minute = hour - 1, 60 - less
    # "từ 7 giờ sáng đến 5 giờ chiều" alone is a schedule, not an event: a range's lead needs a date next to it.
    lead = ctx.grammar.lexicon.time_leads.get(fold_key(match.group("lead") or ""))
    part = _part(match, ctx, "part")
    strong = lead == "strong" or (part is not None and lead != "range")
    return Candidate(match.start(), match.end(), "", Moment("datetime", hour=hour, minute=minute or 0),
                     part=part, strong=strong, anchored=True)


def clock_hour(hour: int, part: str | None) -> int:
    """The 24-hour clock hour of "3 giờ chiều", "11 giờ đêm", "1 giờ trưa".

    >>> clock_hour(3, "afternoon"), clock_hour(11, "night"), clock_hour(2, "night"), clock_hour(8, "morning")
    (15, 23, 2, 8)
    """
    if part in ("afternoon", "evening") and hour < 12:
        return hour + 12
    if part == "night" and 6 <= hour < 12:
        return hour + 12
    if part == "noon" and hour < 3:
        return hour + 12
    return hour
