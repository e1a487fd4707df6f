"""The quantity lexicons of `rules/quantities/`, compiled once per `Rules` object.

Everything language-specific the scanner consults — units and their kinds, qualifier words, the
words before a number that make it an ordinal or an id, the words after it that are not units,
and the date/time look-alikes — is read here from data files and turned into regexes and dicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Pattern

from ...numbers import NumberLexicon, number_lexicon
from ...rules_loader import Rules

UNITS_FILE = "quantities/units.tsv"
QUALIFIERS_FILE = "quantities/qualifiers.tsv"
PREFIXES_FILE = "quantities/number_prefixes.tsv"
NOT_UNITS_FILE = "quantities/not_units.txt"
NOT_AFTER_FILE = "quantities/not_quantity_after.tsv"
IDIOMS_FILE = "quantities/not_quantity_phrases.txt"


@dataclass(frozen=True)
class Unit:
    """A lexicon unit: how it is written, the kind of quantity it makes, what to report."""

    written: str
    kind: str
    exact: bool
    report: str | None = None

    def reported(self, as_written: str) -> str:
        """The `unit` field for this match: fixed, or as written (nouns lower-cased).

        >>> Unit("đô la Mỹ", "money", False).reported("đô la Mỹ"), Unit("hồ sơ", "count", False).reported("Hồ sơ")
        ('đô la Mỹ', 'hồ sơ')
        """
        if self.report:
            return self.report
        if self.exact or self.kind in ("money", "measure"):
            return as_written
        return as_written.lower()


@dataclass(frozen=True)
class TimeGuard:
    """A unit that is a date or time part when the text around it matches (`before`/`after`)."""

    before: Pattern[str] | None
    after: Pattern[str] | None


@dataclass(frozen=True)
class QuantityLexicon:
    """Compiled quantity rules."""

    numbers: NumberLexicon
    units: dict[str, Unit]            # key: written form (exact) or its lower case (word)
    word_unit_re: Pattern[str]        # at the end of a number: " hồ sơ", " đô la Mỹ"
    exact_unit_re: Pattern[str]       # glued or one space: "%", "m2", " ha"
    qualifier_re: Pattern[str]        # searched in the text before a number, anchored at its end
    qualifiers: dict[str, str]
    prefix_re: Pattern[str]
    prefix_actions: dict[str, str]
    not_units: frozenset[str]
    guards: dict[str, tuple[TimeGuard, ...]]
    idiom_re: Pattern[str]
    number_words_re: Pattern[str]     # runs of spelled-out number and scale words
    scale_re: Pattern[str]            # " triệu", " tỷ" … after a number

    def unit(self, matched: str) -> Unit | None:
        """The lexicon entry for a unit match (exact symbols first, then case-folded words).

        >>> from extractor.rules_loader import load_rules
        >>> quantity_lexicon(load_rules()).unit("Ngày công").kind
        'count'
        """
        return self.units.get(matched) or self.units.get(matched.lower())


def _alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so the longest entry wins."""
    return "|".join(re.escape(w).replace(r"\ ", " ") for w in sorted(set(words), key=len, reverse=True))


def _build(rules: Rules) -> QuantityLexicon:
    numbers = number_lexicon(rules)
    units: dict[str, Unit] = {}
    word_units, exact_units = [], []
    for row in rules.tsv(UNITS_FILE):
        if len(row) < 2:
            continue
        written, kind = row[0].strip(), row[1].strip()
        exact = len(row) > 2 and row[2].strip() == "exact"
        report = row[3].strip() if len(row) > 3 and row[3].strip() else None
        unit = Unit(written, kind, exact, report)
        if exact:
            units[written] = unit
            exact_units.append(written)
        else:
            units.setdefault(written.lower(), unit)
            word_units.append(written.lower())

    qualifiers = {row[0].strip().lower(): row[1].strip() for row in rules.tsv(QUALIFIERS_FILE) if len(row) >= 2}
    prefix_actions = {row[0].strip().lower(): row[1].strip() for row in rules.tsv(PREFIXES_FILE) if len(row) >= 2}

    guards: dict[str, list[TimeGuard]] = {}
    for row in rules.tsv(NOT_AFTER_FILE):
        row = row + [""] * (3 - len(row))
        before = re.compile(row[1]) if row[1].strip() else None
        # The "after" regex is matched at the end of the unit; a leading "^" would never match there.
        after = re.compile(row[2].lstrip("^")) if row[2].strip() else None
        guards.setdefault(row[0].strip().lower(), []).append(TimeGuard(before, after))

    number_words = list(numbers.words) + list(numbers.scales)
    return QuantityLexicon(
        numbers=numbers,
        units=units,
        # One space, then the unit as whole syllables: "hộ" must not match inside "hội".
        word_unit_re=re.compile(rf" (?i:{_alternation(word_units)})(?!\w)"),
        exact_unit_re=re.compile(rf" ?(?:{_alternation(exact_units)})(?!\w)"),
        qualifier_re=re.compile(rf"(?:^|(?<=[^\w]))(?i:{_alternation(list(qualifiers))}) +$"),
        qualifiers=qualifiers,
        prefix_re=re.compile(rf"(?:^|(?<=[^\w]))(?i:{_alternation(list(prefix_actions))}) *$"),
        prefix_actions=prefix_actions,
        not_units=frozenset(w.lower() for w in rules.lines(NOT_UNITS_FILE)),
        guards={k: tuple(v) for k, v in guards.items()},
        idiom_re=re.compile(rf"(?i:{_alternation(rules.lines(IDIOMS_FILE))})(?!\w)"),
        number_words_re=re.compile(rf"(?<!\w)(?i:{_alternation(number_words)})(?: (?i:{_alternation(number_words)}))*(?!\w)"),
        scale_re=re.compile(rf"(?: (?:{_alternation(list(numbers.scales))})(?!\w))+"),
    )


def quantity_lexicon(rules: Rules) -> QuantityLexicon:
    """The compiled quantity lexicon of a rules set (built on first use, then cached on `rules`).

    >>> from extractor.rules_loader import load_rules
    >>> quantity_lexicon(load_rules()).qualifiers["hơn"]
    'more_than'
    """
    return rules.cached("quantities:lexicon", lambda: _build(rules))
