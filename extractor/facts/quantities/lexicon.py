"""The quantity lexicons of `rules/quantities/`, compiled once per `Rules` object.

Everything language-specific the scanner consults — units and their kinds, qualifier words, the
words before a number that make it an ordinal or an id, the words after it that are not units,
and the date/time look-alikes — is read here from data files and turned into regexes and dicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Pattern

from ...numbers import NumberLexicon, number_lexicon
from ...rules_loader import Rules

if TYPE_CHECKING:
    from spacy.tokens import Doc

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
    word_units: tuple[str, ...]       # matched case-insensitively, one space after the number
    exact_units: tuple[str, ...]      # symbols, case-sensitive, glued or one space: "%", "m2"
    qualifier_re: Pattern[str]        # searched in the text before a number, anchored at its end
    qualifiers: dict[str, str]
    prefix_re: Pattern[str]
    prefix_actions: dict[str, str]
    not_units: frozenset[str]
    guards: dict[str, tuple[TimeGuard, ...]]
    idiom_re: Pattern[str]
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

    return QuantityLexicon(
        numbers=numbers,
        units=units,
        word_units=tuple(dict.fromkeys(word_units)),
        exact_units=tuple(dict.fromkeys(exact_units)),
        qualifier_re=re.compile(rf"(?:^|(?<=[^\w]))(?i:{_alternation(list(qualifiers))}) +$"),
        qualifiers=qualifiers,
        prefix_re=re.compile(rf"(?:^|(?<=[^\w]))(?i:{_alternation(list(prefix_actions))}) *$"),
        prefix_actions=prefix_actions,
        not_units=frozenset(w.lower() for w in rules.lines(NOT_UNITS_FILE)),
        guards={k: tuple(v) for k, v in guards.items()},
        idiom_re=re.compile(rf"(?i:{_alternation(rules.lines(IDIOMS_FILE))})(?!\w)"),
        scale_re=re.compile(rf"(?: (?:{_alternation(list(numbers.scales))})(?!\w))+"),
    )


@dataclass(frozen=True)
class UnitAt:
    """A lexicon unit found in a document: where it ends, how it is written, its entry."""

    end: int
    written: str
    unit: Unit


@dataclass(frozen=True)
class DocIndex:
    """What the token matchers found in one document."""

    units: dict[int, UnitAt]                 # start character → the longest unit starting there
    number_words: list[tuple[int, int]]      # character spans of runs of spelled-out number words


class UnitMatcher:
    """The unit lexicon as spaCy `PhraseMatcher`s over the syllable tokens of `Document.spacy_doc`,
    plus the number words as a set of lower-case token ids.

    Word units match on lower case, symbols on the exact form; token matching keeps "hộ" out of
    "hội" and "m" out of "mẫu".
    """

    def __init__(self, lexicon: QuantityLexicon):
        import numpy
        from spacy.matcher import PhraseMatcher

        from ...nlp import blank_nlp

        nlp = blank_nlp()
        self.lexicon = lexicon
        self.words = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.words.add("UNIT", [nlp.make_doc(w) for w in lexicon.word_units])
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.exact.add("UNIT", [nlp.make_doc(w) for w in lexicon.exact_units])
        number_words = [*lexicon.numbers.words, *lexicon.numbers.scales]
        self.number_word_ids = numpy.array([nlp.vocab.strings.add(w) for w in number_words], dtype="uint64")

    def index(self, doc: "Doc", text: str | None = None) -> DocIndex:
        """Units by start character, and the runs of number words, of one document.

        >>> from extractor.rules_loader import load_rules
        >>> from extractor.nlp import blank_nlp
        >>> found = unit_matcher(load_rules()).index(blank_nlp()("Hai mươi hộ gia đình, 50m2"))
        >>> sorted((k, v.written) for k, v in found.units.items()), found.number_words
        ([(9, 'hộ gia đình'), (24, 'm2')], [(0, 8)])
        """
        import numpy

        if text is None:
            text = doc.text
        # Character offsets from arrays: building a Span or Token per match costs more than matching.
        arrays = doc.to_array(["IDX", "LENGTH", "LOWER", "LIKE_NUM"])
        starts = arrays[:, 0].tolist()
        lengths = arrays[:, 1].tolist()
        is_number_word = numpy.isin(arrays[:, 2], self.number_word_ids)
        # Only a unit right after a number token matters; most unit words in a text follow none.
        after_number = (is_number_word | (arrays[:, 3] != 0)).tolist()
        units: dict[int, UnitAt] = {}
        matches = [(first, last, False) for _, first, last in self.words(doc) if first and after_number[first - 1]]
        matches += [(first, last, True) for _, first, last in self.exact(doc) if first and after_number[first - 1]]
        for first, last, exact in matches:
            start, end = starts[first], starts[last - 1] + lengths[last - 1]
            written = text[start:end]
            unit = self.lexicon.units.get(written if exact else written.lower())
            if unit is None or (exact and unit.written != written):
                continue  # tokens matched across other spacing ("m 2" is not "m2")
            previous = units.get(start)
            if previous is None or end > previous.end:
                units[start] = UnitAt(end, written, unit)
        runs: list[tuple[int, int]] = []
        for token in numpy.flatnonzero(is_number_word).tolist():
            start, end = starts[token], starts[token] + lengths[token]
            if runs and runs[-1][1] + 1 == start and text[start - 1] == " ":
                runs[-1] = (runs[-1][0], end)  # one space between number words: the same number
            else:
                runs.append((start, end))
        return DocIndex(units, runs)


def unit_matcher(rules: Rules) -> UnitMatcher:
    """The unit PhraseMatchers of a rules set (built once per `Rules`).

    >>> from extractor.rules_loader import load_rules
    >>> unit_matcher(load_rules()) is unit_matcher(load_rules())
    True
    """
    return rules.cached("quantities:unit_matcher", lambda: UnitMatcher(quantity_lexicon(rules)))


def quantity_lexicon(rules: Rules) -> QuantityLexicon:
    """The compiled quantity lexicon of a rules set (built on first use, then cached on `rules`).

    >>> from extractor.rules_loader import load_rules
    >>> quantity_lexicon(load_rules()).qualifiers["hơn"]
    'more_than'
    """
    return rules.cached("quantities:lexicon", lambda: _build(rules))
