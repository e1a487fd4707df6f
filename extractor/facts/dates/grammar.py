"""The date grammar compiled from `rules/dates/`: word lists, the named patterns of
`patterns.json`, and the phrases that are never dates. Built once per `Rules` object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...numbers import number_lexicon
from ...rules_loader import Rules, RulesError
from .scan import Anchor, Fence, Gate, Reach, anchored_finditer, fence, gated_finditer, reach, required_literals

PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_]+)\}")
SPLIT_PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_]+)\*\}")
FLAGS = re.IGNORECASE
FENCE_WIDTH = 20
# Fragments of patterns.json the combiner and the productions read, each a field of DateGrammar (lower case).
# The meanings of dates/directions.tsv that say a side of the publication date.
DIRECTION_SIDES = {"after": 1, "before": -1}
JOIN_FRAGMENTS = ("RANGE_GAP", "CLOCK_RANGE_END", "FROM_BEFORE", "LIST_GAP", "LIST_WORD", "LIST_END_AFTER", "NEXT_PAIR",
                  "UNTIL_NOW", "SINCE_BEFORE")


@dataclass(frozen=True)
class DateRule:
    """One named pattern and the production that turns its match into a value."""

    name: str
    production: str
    regex: re.Pattern
    # Regexes one of which matches inside every match, and the rule's reach: both set, the rule
    # is searched only around the gate's hits (see scan.py).
    gate: tuple[Gate, ...] | None = None
    reach: Reach | None = None
    # Characters no match can contain: they bound the search around a gate hit on both sides.
    fence: Fence | None = None


@dataclass(frozen=True)
class NotDate:
    """A phrase that is never a date, literals it cannot match without (checked first), and where
    its matches may start (see `Anchor`)."""

    regex: re.Pattern
    required: list[tuple[str, ...]]
    anchor: Anchor | None = None
    reach: Reach | None = None

    @classmethod
    def of(cls, regex: re.Pattern) -> "NotDate":
        """The not-a-date phrase of a compiled regex, with its literals and anchor."""
        return cls(regex, required_literals(regex), Anchor.of(regex), reach(regex))

    def finditer(self, text: str, short_spaces: bool = False):
        """The regex's matches, none when a required literal is absent from the text.
        `short_spaces`: the text has no whitespace run longer than `SPACE_RUN` (see scan.py).

        >>> [m.group() for m in NotDate.of(re.compile(r"\\w+ qua đời")).finditer("ông A qua đời")]
        ['A qua đời']
        """
        if not all(any(literal in text for literal in choices) for choices in self.required):
            return iter(())
        if self.anchor is None:
            return self.regex.finditer(text)
        if self.anchor.bounded:
            return anchored_finditer(self.regex, text, self.anchor.starts(text))
        if self.reach is not None and short_spaces:
            return gated_finditer(self.regex, text, self.anchor.hits(text), self.reach)
        return self.regex.finditer(text)


@dataclass
class DateLexicon:
    """The word lists of `rules/dates/`, keyed for the productions (all keys lower-case)."""

    months: dict[str, int] = field(default_factory=dict)
    parts_of_day: dict[str, str] = field(default_factory=dict)
    relative_days: dict[str, int] = field(default_factory=dict)
    relative_after_part: dict[str, int] = field(default_factory=dict)
    # "tháng trước" → ("month", -1): the unit's meaning (period_units.tsv) and the offset.
    relative_periods: dict[str, tuple[str, int]] = field(default_factory=dict)
    year_modifiers: dict[str, int] = field(default_factory=dict)  # "ngoái" → -1: what follows the year's word
    period_units: dict[str, str] = field(default_factory=dict)  # "tháng" → "month"
    list_connectors: tuple[str, ...] = ()  # ",", "và", "hoặc": between the items of a list
    range_connectors: tuple[str, ...] = ()  # the list's and "-", "đến": before the end of a range too
    time_leads: dict[str, str] = field(default_factory=dict)  # "lúc" → "strong", "từ" → "range"
    quarters: dict[str, int] = field(default_factory=dict)
    number_words: dict[str, int] = field(default_factory=dict)
    edges: dict[str, str] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    # "ngày đầu tiên" → ("day", "first"): a day or week by its place in a month.
    ordinal_in_month: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Month words as written that name a month only after a day number ("ngày 7 tháng một").
    months_after_day: frozenset[str] = frozenset()
    # "tới" → 1, "vừa qua" → -1: the side of the publication date a year-less value lies on (directions.tsv).
    directions: dict[str, int] = field(default_factory=dict)


@dataclass
class DateGrammar:
    """Everything the dates component matches with, compiled."""

    lexicon: DateLexicon
    rules: list[DateRule]
    not_dates: list[NotDate]
    trigger_before: re.Pattern
    not_deictic_before: re.Pattern
    ordinal_before: re.Pattern
    unit_after: re.Pattern
    # What opens a list that a bare number continues: "ngày 5, " / "tháng 4, 5, ".
    day_list_before: re.Pattern = re.compile("(?!)")
    month_list_before: re.Pattern = re.compile("(?!)")
    # The items after a list's opener: ", 6" of "ngày 5, 6 và 7/3"; " và II năm 2024" of "quý I và II năm 2024".
    list_item: re.Pattern = re.compile("(?!)")
    quarter_item: re.Pattern = re.compile("(?!)")
    # "từ 1-" before "5/3": the first day of a range written with a bare number.
    from_day_before: re.Pattern = re.compile("(?!)")
    # The month list before "năm 2024" whose last number is the year's month ("tháng 4, 5 và 6 ").
    month_list_end: re.Pattern = re.compile("(?!)")
    # A word after "N/M" that makes it a fraction of a count ("từ 1-2/3 số hộ"), not a day.
    fraction_after: re.Pattern = re.compile("(?!)")
    # Words before a bare year or month/year that make it calendar time ("so với cùng kỳ 2019").
    year_reference_before: re.Pattern = re.compile("(?!)")
    # A place's name before "hôm nay": "Đà Nẵng hôm nay" is today's Đà Nẵng, not a date.
    figurative_after_place: re.Pattern = re.compile("(?!)")
    # "đêm 30 " before "rạng sáng 31/12": the night before a dawn (fragments of patterns.json).
    dawn: re.Pattern = re.compile("(?!)")
    night_before_dawn: re.Pattern = re.compile("(?!)")
    # How neighbours join (combine.py), fragments of patterns.json: the text between a range's ends
    # ("21/5 - 25/5"), a clock time that ends a range ("đến 17h"), the "từ" before a range, the text
    # between a list's items and a list word in it, what may follow a list's last item.
    range_gap: re.Pattern = re.compile("(?!)")
    clock_range_end: re.Pattern = re.compile("(?!)")
    from_before: re.Pattern = re.compile("(?!)")
    list_gap: re.Pattern = re.compile("(?!)")
    list_word: re.Pattern = re.compile("(?!)")
    list_end_after: re.Pattern = re.compile("(?!)")
    # The date after a bare day number: "-5/3" of "từ 1-5/3".
    next_pair: re.Pattern = re.compile("(?!)")
    # A direction word right after a year-less value: " tới" of "tháng 3 tới" (group "dir").
    direction_after: re.Pattern = re.compile("(?!)")
    # " đến nay" after a value and "từ"/a period head before it: "từ năm 2015 đến nay" (directions.py).
    until_now: re.Pattern = re.compile("(?!)")
    since_before: re.Pattern = re.compile("(?!)")


def fold_key(phrase: str) -> str:
    """Lookup key of a matched phrase: lower case, single spaces.

    >>> fold_key("Chiều  Tối")
    'chiều tối'
    """
    return " ".join(phrase.lower().split())


def alternation(words: list[str], case_sensitive: bool = False) -> str:
    r"""A regex matching any of the phrases, spaces matching any whitespace run; where several
    match, the longest wins first (then, on backtracking, the shorter ones).

    The phrases are merged into a trie ("sáng" and "sáng sớm" share "sáng"): the regex engine
    then tests one branch per distinct first letter instead of every phrase at every word start.
    A continuation is tried before stopping, which is the longest-first order of a plain
    alternation: phrases that both match at one place are prefixes of each other.

    >>> alternation(["sáng", "sáng sớm", "Sao"])
    '(?:s(?:ao|áng(?:\\s+sớm)?))'
    """
    if not words:
        return "(?-i:(?!))" if case_sensitive else "(?:(?!))"
    trie: dict = {}
    for word in words:
        node = trie
        for i, token in enumerate(word.split()):
            if i:
                node = node.setdefault(" ", {})
            for char in token if case_sensitive else _fold_chars(token):
                node = node.setdefault(char, {})
        node[""] = {}
    body = _trie_regex(trie)
    return f"(?-i:{body})" if case_sensitive else f"(?:{body})"


def _fold_chars(token: str) -> str:
    """Lower-cased letter by letter, keeping a letter whose lower case is not one character."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in token)


def _trie_regex(node: dict) -> str:
    branches = [(r"\s+" if key == " " else re.escape(key)) + _trie_regex(child)
                for key, child in sorted(node.items()) if key]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    return f"{body}?" if len(branches) > 1 else f"(?:{body})?"


def _table(rules: Rules, name: str, convert=str) -> dict[str, object]:
    table = {}
    for row in rules.tsv(f"dates/{name}"):
        if len(row) < 2:
            raise RulesError(f"dates/{name}: expected two tab-separated columns in {row!r}")
        table[row[0].strip()] = convert(row[1].strip())
    return table


def counting_words(rules: Rules, most: int = 12) -> dict[str, int]:
    """Spelled numbers from 1 to `most` that count months ("sáu tháng đầu năm"), made from the one
    number-words table (`rules/quantities/number_words.tsv`) by role: a digit, ten, ten and a digit.

    >>> from extractor.rules_loader import load_rules
    >>> words = counting_words(load_rules())
    >>> words["sáu"], words["mười hai"], "mười ba" in words, "không" in words
    (6, 12, False, False)
    """
    entries = number_lexicon(rules).words.values()
    digits = {entry.word: int(entry.value) for entry in entries if entry.role == "digit"}
    found = dict(digits)
    for ten in (entry.word for entry in entries if entry.role == "ten"):
        found[ten] = 10
        found.update({f"{ten} {word}": 10 + value for word, value in digits.items()})
    return {word: value for word, value in found.items() if 1 <= value <= most}


def load_lexicon(rules: Rules) -> tuple[DateLexicon, dict[str, str], dict[str, list[str]]]:
    """The word lists, the regex alternation each one contributes to the patterns, and the
    phrases of the case-insensitive ones (for gates split by first word, see `gate_of`)."""
    months = _table(rules, "months.tsv", int)
    parts = _table(rules, "parts_of_day.tsv")
    relative_days = _table(rules, "relative_days.tsv", int)
    after_part = _table(rules, "relative_after_part.tsv", int)
    quarters = _table(rules, "quarters.tsv", int)
    number_words = counting_words(rules)
    edges = _table(rules, "edges.tsv")
    period_units = {fold_key(k): v for k, v in _table(rules, "period_units.tsv").items()}
    relative_periods: dict[str, tuple[str, int]] = {}
    for row in rules.tsv("dates/relative_periods.tsv"):
        word, modifier, offset = (cell.strip() for cell in row[:3])
        if fold_key(word) not in period_units:
            raise RulesError(f"dates/relative_periods.tsv: {word!r} is no unit of dates/period_units.tsv")
        relative_periods[f"{word} {modifier}"] = (period_units[fold_key(word)], int(offset))
    connectors = _table(rules, "connectors.tsv")
    weekdays = _table(rules, "weekdays.tsv", int)
    lexicon = DateLexicon(
        months={fold_key(k): v for k, v in months.items()},
        parts_of_day={fold_key(k): v for k, v in parts.items()},
        relative_days={fold_key(k): v for k, v in relative_days.items()},
        relative_after_part={fold_key(k): v for k, v in after_part.items()},
        relative_periods={fold_key(k): v for k, v in relative_periods.items()},
        year_modifiers={fold_key(k).split(" ", 1)[1]: offset for k, (unit, offset) in relative_periods.items()
                        if unit == "year"},
        period_units=period_units,
        list_connectors=tuple(word for word, joins in connectors.items() if joins == "list"),
        range_connectors=tuple(word for word, joins in connectors.items() if joins in ("list", "range")),
        time_leads={fold_key(k): v for k, v in _table(rules, "time_leads.tsv").items()},
        quarters={k: v for k, v in quarters.items()},
        number_words={fold_key(k): v for k, v in number_words.items()},
        edges={fold_key(k): v for k, v in edges.items()},
        weekdays={fold_key(k): v for k, v in weekdays.items()},
        ordinal_in_month={fold_key(row[0]): (row[1].strip(), row[2].strip())
                          for row in rules.tsv("dates/ordinal_in_month.tsv") if len(row) >= 3},
        months_after_day=frozenset(row[0].strip() for row in rules.tsv("dates/months.tsv")
                                   if len(row) > 2 and row[2].strip() == "after_day"),
        directions={fold_key(row[0]): DIRECTION_SIDES[row[1].strip()] for row in rules.tsv("dates/directions.tsv")
                    if len(row) > 1 and row[1].strip() in DIRECTION_SIDES},
    )
    upper_weekdays = [w for w in weekdays if w.isupper()]
    phrases = {
        "part": list(parts),
        "relative_day": list(relative_days),
        "relative_after_part": list(after_part),
        # Both deictic day lists in one trie: the gate of the relative_day rule.
        "relative_day_any": list(relative_days) + list(after_part),
        "relative_period": list(relative_periods),
        "relative_year": [k for k, (unit, _) in relative_periods.items() if unit == "year"],
        "relative_week": [k for k, (unit, _) in relative_periods.items() if unit == "week"],
        "relative_month": [k for k, (unit, _) in relative_periods.items() if unit == "month"],
        "number_word": list(number_words),
        "ordinal_in_month": [row[0].strip() for row in rules.tsv("dates/ordinal_in_month.tsv") if row],
        "edge": list(edges),
        "day_word": rules.lines("dates/day_words.txt"),
        "period_head": rules.lines("dates/period_heads.txt"),
        "year_word": rules.lines("dates/year_words.txt"),
    }
    words = {name: alternation(phrase_list) for name, phrase_list in phrases.items()}
    words.update({
        "month_word": alternation(list(months), case_sensitive=True),
        "quarter": alternation(list(quarters), case_sensitive=True),
        # All-capital abbreviations ("CN") only match as written.
        "weekday": "(?:{}|{})".format(alternation([w for w in weekdays if not w.isupper()]),
                                      alternation(upper_weekdays, case_sensitive=True)),
    })
    return lexicon, words, phrases


def expand(template: str, fragments: dict[str, str], words: dict[str, str], depth: int = 0) -> str:
    """Replace {NAME} by a fragment (recursively) or a word alternation.

    >>> expand("x{A}", {"A": "{w}!"}, {"w": "(?:a|b)"})
    'x(?:a|b)!'
    """
    if depth > 10:
        raise RulesError("dates/patterns.json: fragments nest too deep (a cycle?)")

    def substitute(match: re.Match) -> str:
        name = match.group(1)
        if name in fragments:
            return expand(fragments[name], fragments, words, depth + 1)
        if name in words:
            return words[name]
        raise RulesError(f"dates/patterns.json: unknown placeholder {{{name}}}")

    return PLACEHOLDER_RE.sub(substitute, template)


def build_grammar(rules: Rules) -> DateGrammar:
    """Compile the date grammar of a rules set (call through `grammar_for`, which caches it)."""
    lexicon, words, phrases = load_lexicon(rules)
    spec = rules.json("dates/patterns.json", {})
    fragments = spec.get("fragments", {})
    compiled = []
    gates: dict[tuple[str, ...], tuple[Gate, ...]] = {}
    for entry in spec.get("rules", []):
        pattern = entry["pattern"]
        source = "".join(pattern) if isinstance(pattern, list) else pattern
        try:
            regex = re.compile(expand(source, fragments, words), FLAGS)
            gate = gate_of(entry.get("gate"), fragments, words, phrases, gates)
        except re.error as exc:
            raise RulesError(f"dates/patterns.json: rule {entry.get('name')!r}: {exc}") from exc
        rule_reach = reach(regex) if gate is not None else None
        # Narrow windows are searched as fast as a fence would be found.
        rule_fence = fence(regex) if rule_reach is not None and rule_reach.width >= FENCE_WIDTH else None
        compiled.append(DateRule(entry["name"], entry.get("production", entry["name"]), regex,
                                 gate, rule_reach, rule_fence))
    not_dates = []
    for line in rules.lines("dates/not_dates.txt"):
        try:
            not_dates.append(NotDate.of(re.compile(line)))
        except re.error as exc:
            raise RulesError(f"dates/not_dates.txt: {line!r}: {exc}") from exc
    trigger_before = re.compile(r"(?<!\w)" + alternation(rules.lines("dates/triggers.txt")) + r"\s+$", FLAGS)
    generic_words = rules.lines("dates/not_deictic_before.txt") + list(lexicon.number_words)
    not_deictic = re.compile(r"(?<!\w)" + alternation(generic_words) + r"\s+$|\d\s+$", FLAGS)
    ordinal_before = re.compile(r"(?<!\w)" + alternation(rules.lines("dates/ordinal_heads.txt")) + r"\s+$", FLAGS)
    day_list, month_list, month_list_end = list_openers(words, lexicon)
    dawn = fragment_pattern("DAWN", fragments, words)
    night_before_dawn = fragment_pattern("NIGHT_BEFORE_DAWN", fragments, words)
    joins = {name.lower(): fragment_pattern(name, fragments, words) for name in JOIN_FRAGMENTS}
    return DateGrammar(lexicon, compiled, not_dates, trigger_before, not_deictic, ordinal_before,
                       unit_after_pattern(rules, fragment_source("YEAR_NOT_UNIT", fragments, words)), **joins,
                       day_list_before=day_list, month_list_before=month_list,
                       month_list_end=month_list_end, list_item=fragment_pattern("LIST_ITEM", fragments, words),
                       quarter_item=fragment_pattern("QUARTER_ITEM", fragments, words),
                       from_day_before=fragment_pattern("FROM_DAY_BEFORE", fragments, words),
                       fraction_after=re.compile(r"\s+" + alternation(rules.lines("dates/fraction_words.txt")) + r"(?!\w)",
                                                 FLAGS),
                       dawn=dawn, night_before_dawn=night_before_dawn,
                       year_reference_before=re.compile(
                           r"(?<!\w)" + alternation(rules.lines("dates/year_reference_before.txt")) + r"\s*\(?\s*$", FLAGS),
                       figurative_after_place=figurative_pattern(rules),
                       direction_after=direction_pattern(rules))


def figurative_pattern(rules: Rules) -> re.Pattern:
    """A place's name (provinces, districts, countries, as written) then a relative-day word of
    `figurative_after_place.txt`: "Đà Nẵng hôm nay" is the city as it is today, not a date.

    >>> from extractor.rules_loader import load_rules
    >>> bool(figurative_pattern(load_rules()).match("Đà Nẵng hôm nay"))
    True
    """
    places = [row[0].strip() for name in ("places/provinces.tsv", "places/places.tsv")
              for row in rules.tsv(name) if row and row[0].strip()]
    places += rules.lines("places/countries.txt")
    words = rules.lines("dates/figurative_after_place.txt")
    if not places or not words:
        return re.compile("(?!)")
    return re.compile(alternation(places, case_sensitive=True) + r"\s+" + alternation(words) + r"(?!\w)", FLAGS)


def direction_pattern(rules: Rules) -> re.Pattern:
    """A direction word of `directions.tsv` right after a value ("tháng 3 tới", "ngày 15/3 vừa
    qua"), unless a number or a bracketed date ("Thứ Năm tới (28/5)"), a day word, a period unit,
    an edge or a `not_after` word follows it ("tháng 3 tới tháng 5", "từ tháng 3 tới nay").

    >>> from extractor.rules_loader import load_rules
    >>> pattern = grammar_for(load_rules()).direction_after
    >>> [bool(pattern.match(t)) for t in (" tới,", " tới nay", " vừa qua", " tới 20/3", " tới (20/3)", " tới cuối năm")]
    [True, False, True, False, False, False]
    """
    rows = [(row[0].strip(), row[1].strip()) for row in rules.tsv("dates/directions.tsv") if len(row) > 1]
    sides = [word for word, meaning in rows if meaning in DIRECTION_SIDES]
    blockers = [word for word, meaning in rows if meaning == "not_after"] + rules.lines("dates/day_words.txt")
    blockers += [row[0].strip() for row in rules.tsv("dates/period_units.tsv") if row] + [
        row[0].strip() for row in rules.tsv("dates/edges.tsv") if row]
    return re.compile(r"[^\S\n]+(?P<dir>" + alternation(sides) + r")(?!\w)(?!\s*[,(]?\s*\d|\s*"
                      + alternation(blockers) + r"(?!\w))", FLAGS)


def fragment_source(name: str, fragments: dict[str, str], words: dict[str, str]) -> str:
    """A fragment of patterns.json expanded, or a regex that never matches when there is none.

    >>> fragment_source("A", {"A": "x{w}"}, {"w": "(?:y)"}), fragment_source("B", {}, {})
    ('x(?:y)', '(?!)')
    """
    return expand("{" + name + "}", fragments, words) if name in fragments else "(?!)"


def fragment_pattern(name: str, fragments: dict[str, str], words: dict[str, str]) -> re.Pattern:
    """A fragment of patterns.json compiled on its own (a pattern that never matches without it).

    >>> fragment_pattern("A", {"A": "x{w}"}, {"w": "(?:y)"}).pattern, fragment_pattern("B", {}, {}).pattern
    ('x(?:y)', '(?!)')
    """
    if name not in fragments:
        return re.compile("(?!)")
    try:
        return re.compile(expand("{" + name + "}", fragments, words), FLAGS)
    except re.error as exc:
        raise RulesError(f"dates/patterns.json: fragment {name}: {exc}") from exc


def list_openers(words: dict[str, str], lexicon: DateLexicon) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    r"""Patterns for the text before a bare list item: a day word or the month's word with the items
    so far and a connector ("ngày 5, 6 và " before "7/3"; "tháng 4, " before "5/2024").

    >>> lexicon = DateLexicon(period_units={"tháng": "month"}, list_connectors=(",", "và"),
    ...                       range_connectors=(",", "và", "-", "đến"))
    >>> day, month, month_end = list_openers({"day_word": "(?:ngày)"}, lexicon)
    >>> bool(day.search("các ngày 5, 6 và ")), bool(day.search("ngày 1 đến ")), bool(month.search("tháng 4, "))
    (True, True, True)
    >>> month_end.search("trong tháng 4, 5 và 6 ").group("n")
    '6'
    """
    items = "(?:" + "|".join(map(re.escape, lexicon.list_connectors)) + ")"
    ends = "(?:" + "|".join(map(re.escape, lexicon.range_connectors)) + ")"
    month = "(?:" + "|".join(re.escape(w) for w, unit in lexicon.period_units.items() if unit == "month") + ")"
    listed = r"\d{1,2}(?:\s*" + items + r"\s*\d{1,2})*\s*"
    return (re.compile(r"(?<!\w)" + words["day_word"] + r"\s+" + listed + ends + r"\s*$", FLAGS),
            re.compile(r"(?<!\w)" + month + r"\s+" + listed + items + r"\s*$", FLAGS),
            re.compile(r"(?<!\w)" + month + r"\s+" + listed + items + r"\s*(?P<n>\d{1,2})\s+$", FLAGS))


def gate_of(spec: str | list[str] | None, fragments: dict[str, str], words: dict[str, str],
            phrases: dict[str, list[str]], made: dict[tuple[str, ...], tuple[Gate, ...]]) -> tuple[Gate, ...] | None:
    """A rule's gate from `patterns.json`: one regex, or a list of them whose hits are merged (a
    few regexes that each open with a literal are found faster than one opening with a class).
    A regex with a `{NAME*}` becomes one regex per first word of the phrases of NAME, each with
    the alternation of that word's phrases in place of the placeholder.
    Rules with the same gate get the same object (`made`), so its hits are found once per text.

    >>> [g.regex.pattern for g in gate_of(["/(?<=[0-9]/)", "-(?<=[0-9]-)"], {}, {}, {}, {})]
    ['/(?<=[0-9]/)', '-(?<=[0-9]-)']
    >>> [g.regex.pattern for g in gate_of("{w*} qua", {}, {}, {"w": ["hôm", "chiều", "chiều tối"]}, {})]
    ['(?:chiều(?:\\\\s+tối)?) qua', '(?:hôm) qua']
    """
    if not spec:
        return None
    sources = []
    for source in [spec] if isinstance(spec, str) else spec:
        split = SPLIT_PLACEHOLDER_RE.search(source)
        if split is None:
            sources.append(expand(source, fragments, words))
            continue
        if split.group(1) not in phrases:
            raise RulesError(f"dates/patterns.json: {split.group()} in a gate names no word list")
        by_first_word: dict[str, list[str]] = {}
        for phrase in phrases[split.group(1)]:
            by_first_word.setdefault((fold_key(phrase).split() or [""])[0], []).append(phrase)
        for first_word in sorted(by_first_word) or [""]:  # an empty list: one regex that never matches
            sources.append(expand(source.replace(split.group(), alternation(by_first_word.get(first_word, []))),
                                  fragments, words))
    key = tuple(sources)
    if key not in made:
        made[key] = tuple(Gate.of(re.compile(source, FLAGS)) for source in sources)
    return made[key]


def unit_after_pattern(rules: Rules, year_not_unit: str = "(?!)") -> re.Pattern:
    """A counted unit or scale word right after a number pair ("từ 2-3 ngày", "từ 1.5%", "từ 1.5
    triệu"), from the quantities' own lists (one source of truth): such a pair is a range or a
    decimal, not a date.
    The year's word followed by a year or a deictic word (`year_not_unit`: "từ 1/7 năm nay") does
    not count as a unit."""
    words = [row[0].strip() for row in rules.tsv("quantities/scale_words.tsv") if row and row[0].strip()]
    symbols: list[str] = []
    for row in rules.tsv("quantities/units.tsv"):
        if len(row) >= 3 and row[0].strip():
            (symbols if row[2].strip() == "exact" else words).append(row[0].strip())
    # A unit on the next line ("từ 8/10⏎Ngày 30/9, …": a title, then the lead) counts nothing.
    return re.compile(r"(?:[^\S\n]+" + alternation(words) + r"(?!\w)(?!" + year_not_unit + ")"
                      r"|[^\S\n]*" + alternation(symbols, case_sensitive=True) + r"(?!\w))", FLAGS)


def grammar_for(rules: Rules) -> DateGrammar:
    """The compiled grammar of a rules set, built once and cached on it.

    >>> from extractor.rules_loader import load_rules
    >>> grammar_for(load_rules()) is grammar_for(load_rules())
    True
    """
    return rules.cached("dates.grammar", lambda: build_grammar(rules))
