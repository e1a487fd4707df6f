"""The quantity lexicons of `rules/quantities/`, compiled once per `Rules` object.

Everything language-specific the scanner consults — units and their kinds, qualifier words, the
words before a number that make it an ordinal or an id, the words after it that are not units,
and the date/time look-alikes — is read here from data files and turned into regexes and dicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Pattern

from ...numbers import NumberLexicon, number_lexicon
from ...rules_loader import Rules, RulesError

UNITS_FILE = "quantities/units.tsv"
QUALIFIERS_FILE = "quantities/qualifiers.tsv"
PREFIXES_FILE = "quantities/number_prefixes.tsv"
NOT_UNITS_FILE = "quantities/not_units.txt"
NOT_AFTER_FILE = "quantities/not_quantity_after.tsv"
IDIOMS_FILE = "quantities/not_quantity_phrases.txt"
ONE_PER_FILE = "quantities/one_per_words.txt"
ONLY_FILE = "quantities/only_words.tsv"
AFTER_NAME_FILE = "quantities/after_name.tsv"
NOT_SCALE_FILE = "quantities/not_scale_words.txt"
HEAD_UNITS_FILE = "quantities/head_units.txt"
# The officials' position heads ("Phó Tổ trưởng", "Ủy viên Bộ Chính trị") count their holders:
# "3 Phó Tổ trưởng", "12 tân Bí thư". One list serves both families.
POSITION_HEADS_FILE = "officials/titles.txt"
POSITION_PREFIXES_FILE = "quantities/position_prefixes.txt"  # deputy, newly appointed: "Phó X", "tân X"
WORDS_FILE = "quantities/words.tsv"
# What a function word does around a number: the column "meaning" of rules/quantities/words.tsv
# (the file explains each). Every meaning needs a word; default_currency exactly one.
WORD_MEANINGS = frozenset({"range_from", "range_to", "at_least_after", "up_to_after", "per", "list",
                           "default_currency", "unit_number"})


@dataclass(frozen=True)
class Unit:
    """A lexicon unit: how it is written, the kind of quantity it makes, what to report."""

    written: str
    kind: str
    exact: bool
    report: str | None = None
    currency: str | None = None  # money: the currency it names ("USD" for "đô la Mỹ")

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
class QuantityWords:
    """The words of `words.tsv` by meaning, and what the scanner compiles from them.

    >>> from extractor.rules_loader import load_rules
    >>> words = quantity_lexicon(load_rules()).words
    >>> words.range_separator_re.match(" 10 - 15", 3).group(), words.bound_after
    (' - ', {'trở lên': 'at_least', 'trở xuống': 'up_to'})
    """

    by_meaning: dict[str, frozenset[str]]
    range_separator_re: Pattern[str]       # " - ", " đến " before the upper bound's digit
    bound_after_re: Pattern[str]           # " trở lên" after a quantity; group 1 is the phrase
    bound_after: dict[str, str]            # that phrase → the qualifier it makes (at_least, up_to)
    bound_after_starts: tuple[str, ...]    # literal starts of those phrases (" trở "): spare the regex
    half_re: Pattern[str]                  # " rưỡi" (and a half: number_words.tsv, role half)
    half_starts: tuple[str, ...]
    list_gap_re: Pattern[str]              # between two counts of one list: a comma or "và"
    default_currency: str                  # the unit of a bare scaled amount ("đồng")
    links: frozenset[str]                  # "linh", "lẻ" (number_words.tsv, role link)

    def __getitem__(self, meaning: str) -> frozenset[str]:
        """The words (lower case) that have `meaning`.

        >>> from extractor.rules_loader import load_rules
        >>> sorted(quantity_lexicon(load_rules()).words["range_to"])
        ['tới', 'đến']
        """
        return self.by_meaning.get(meaning, frozenset())


def _build_words(rules: Rules, numbers: NumberLexicon, units: dict[str, "Unit"]) -> QuantityWords:
    """`words.tsv` by meaning, checked: a row without a known meaning, a meaning without a word, or a
    default currency that is not one money unit of units.tsv fails naming the file."""
    by_meaning: dict[str, set[str]] = {}
    for row in rules.tsv(WORDS_FILE):
        if not row or not row[0].strip():
            continue
        if len(row) < 2 or row[1].strip() not in WORD_MEANINGS:
            raise RulesError(f"{WORDS_FILE}: bad row {row!r} (word, meaning in {sorted(WORD_MEANINGS)})")
        meaning, word = row[1].strip(), " ".join(row[0].split())
        by_meaning.setdefault(meaning, set()).add(word if meaning == "default_currency" else word.lower())
    missing = sorted(WORD_MEANINGS - set(by_meaning))
    if missing:
        raise RulesError(f"{WORDS_FILE}: no word for the meaning{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    currencies = sorted(by_meaning["default_currency"])
    unit = units.get(currencies[0]) or units.get(currencies[0].lower())
    if len(currencies) != 1 or unit is None or unit.kind != "money":
        raise RulesError(f"{WORDS_FILE}: default_currency must be one money unit of {UNITS_FILE}, not {currencies}")
    bounds = {phrase: meaning.removesuffix("_after") for meaning in ("at_least_after", "up_to_after")
              for phrase in by_meaning[meaning]}
    halves = [w for w, e in numbers.words.items() if e.role == "half"]
    return QuantityWords(
        by_meaning={meaning: frozenset(words) for meaning, words in by_meaning.items()},
        range_separator_re=re.compile(rf" ?[–-] ?(?=\d)| (?:{_alternation(list(by_meaning['range_to']))}) (?=\d)"),
        bound_after_re=re.compile(rf" ({_alternation(list(bounds))})(?!\w)"),
        bound_after=bounds,
        bound_after_starts=tuple(sorted({" " + p.split(" ")[0] + (" " if " " in p else "") for p in bounds})),
        half_re=re.compile(rf" (?:{_alternation(halves)})(?!\w)") if halves else re.compile("(?!)"),
        half_starts=tuple(sorted({" " + w[:2] for w in halves})),
        list_gap_re=re.compile(r"[^.;:!?()\n]{0,12}?(?:,|\s(?:" + _alternation(list(by_meaning["list"]))
                               + r")\s)[^.;:!?()\n]{0,12}"),
        default_currency=currencies[0],
        links=frozenset(w for w, e in numbers.words.items() if e.role == "link"),
    )


@dataclass(frozen=True)
class QuantityLexicon:
    """Compiled quantity rules."""

    numbers: NumberLexicon
    units: dict[str, Unit]            # key: written form (exact) or its lower case (word)
    word_units: tuple[str, ...]       # matched case-insensitively, one space after the number
    exact_units: tuple[str, ...]      # symbols, case-sensitive, glued or one space: "%", "m2"
    qualifiers: dict[str, str]
    prefix_actions: dict[str, str]
    not_units: frozenset[str]
    guards: dict[str, tuple[TimeGuard, ...]]
    idiom_re: Pattern[str]
    scale_re: Pattern[str]            # " triệu", " tỷ" … after a number
    one_per_re: Pattern[str] = re.compile("(?!)")  # "mỗi", "trung bình" before "một": one per, a count
    # "chỉ" before "một", "duy nhất" after its unit: only one, a count
    only_before_re: Pattern[str] = re.compile("(?!)")
    only_after_re: Pattern[str] = re.compile("(?!)")
    # units a number may carry right after a capitalized word → what must follow them (None: nothing)
    after_name: dict[str, tuple[Pattern[str] | None, ...]] = field(default_factory=dict)
    # words that start with a scale syllable and are no scale ("tỷ lệ"), as a lower-case lookahead guard
    not_scale_guard: str = ""
    not_scale_re: Pattern[str] = re.compile("(?!)")  # the same words, matched where they start
    # one-syllable units that head a longer noun with the next word ("nhà" + "lãnh đạo")
    head_units: frozenset[str] = frozenset()
    # words right before "một" that make it the article whatever the clause says ("là một nơi")
    article_before: frozenset[str] = frozenset()
    words: QuantityWords | None = None  # rules/quantities/words.tsv by meaning

    def allowed_after_name(self, text: str, unit: str, end: int) -> bool:
        """May a number right after a capitalized word carry `unit` (ending at `end`)?

        >>> from extractor.rules_loader import load_rules
        >>> lexicon = quantity_lexicon(load_rules())
        >>> text = "bị cáo Đức 5 năm tù, Quân khu 4 năm qua"
        >>> lexicon.allowed_after_name(text, "năm", 16), lexicon.allowed_after_name(text, "năm", 36)
        (True, False)
        """
        return any(after is None or after.match(text, end) for after in self.after_name.get(unit.lower(), ()))

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
        currency = row[4].strip() if len(row) > 4 and row[4].strip() else None
        unit = Unit(written, kind, exact, report, currency)
        if exact:
            units[written] = unit
            exact_units.append(written)
        else:
            units.setdefault(written.lower(), unit)
            word_units.append(written.lower())

    for written in _position_units(rules):
        if written not in units:
            units[written] = Unit(written, "count", False)
            word_units.append(written)

    qualifiers = {row[0].strip().lower(): row[1].strip() for row in rules.tsv(QUALIFIERS_FILE) if len(row) >= 2}
    prefix_actions = {row[0].strip().lower(): row[1].strip() for row in rules.tsv(PREFIXES_FILE) if len(row) >= 2}

    guards: dict[str, list[TimeGuard]] = {}
    for row in rules.tsv(NOT_AFTER_FILE):
        row = row + [""] * (3 - len(row))
        before = re.compile(row[1]) if row[1].strip() else None
        # The "after" regex is matched at the end of the unit; a leading "^" would never match there.
        after = re.compile(row[2].lstrip("^")) if row[2].strip() else None
        guards.setdefault(row[0].strip().lower(), []).append(TimeGuard(before, after))

    after_name: dict[str, list[Pattern[str] | None]] = {}
    for row in rules.tsv(AFTER_NAME_FILE):
        row = row + [""] * (2 - len(row))
        after_name.setdefault(row[0].strip().lower(), []).append(re.compile(row[1]) if row[1].strip() else None)

    not_scale = _not_scale_guard(rules.lines(NOT_SCALE_FILE))
    not_scale_words = [w.strip().lower() for w in rules.lines(NOT_SCALE_FILE) if w.strip()]
    return QuantityLexicon(
        one_per_re=re.compile(rf"(?<!\w)(?i:{_alternation(rules.lines(ONE_PER_FILE))})(?!\w)"),
        only_before_re=_only_words(rules, "before"),
        only_after_re=_only_words(rules, "after"),
        article_before=frozenset(row[0].strip().lower() for row in rules.tsv(ONLY_FILE)
                                 if len(row) > 1 and row[1].strip() == "article"),
        after_name={unit: tuple(afters) for unit, afters in after_name.items()},
        numbers=numbers,
        units=units,
        word_units=tuple(dict.fromkeys(word_units)),
        exact_units=tuple(dict.fromkeys(exact_units)),
        qualifiers=qualifiers,
        prefix_actions=prefix_actions,
        not_units=frozenset(w.lower() for w in rules.lines(NOT_UNITS_FILE)),
        guards={k: tuple(v) for k, v in guards.items()},
        idiom_re=re.compile(rf"(?i:{_alternation(rules.lines(IDIOMS_FILE))})(?!\w)"),
        scale_re=re.compile(rf"(?: {not_scale}(?:{_alternation(list(numbers.scales))})(?!\w))+"),
        not_scale_guard=not_scale,
        not_scale_re=re.compile(rf"(?i:{_alternation(not_scale_words)})(?!\w)") if not_scale_words else re.compile("(?!)"),
        head_units=frozenset(w.strip().lower() for w in rules.lines(HEAD_UNITS_FILE) if w.strip()),
        words=_build_words(rules, numbers, units),
    )


def _position_units(rules: Rules) -> list[str]:
    """The holders of a post as count units, lower-cased: every position head of two syllables, and
    the same with "phó"/"tân" before it. One-word heads ("Trưởng", "PCT") are too ambiguous after a
    number; longer ones name the body too ("Chủ tịch UBND"), and the count is of the post alone.

    >>> from extractor.rules_loader import load_rules
    >>> units = _position_units(load_rules())
    >>> "phó tổ trưởng" in units, "tân phó giám đốc" in units, "trưởng" in units
    (True, True, False)
    """
    heads = [line.strip().lower() for line in rules.lines(POSITION_HEADS_FILE) if line.strip().count(" ") == 1]
    units = list(heads)
    prefixes = [w.strip().lower() for w in rules.lines(POSITION_PREFIXES_FILE) if w.strip()]
    for prefix in prefixes:  # "phó X", then "tân X" and "tân phó X"
        units += [f"{prefix} {unit}" for unit in units if unit.split(" ", 1)[0] != prefix]
    return list(dict.fromkeys(units))


def _not_scale_guard(words: list[str]) -> str:
    """A lookahead that fails where a word of not_scale_words.txt starts ("tỷ lệ", "triệu chứng").

    >>> re.match(_not_scale_guard(["tỷ lệ"]) + "tỷ", "tỷ lệ") is None, bool(re.match(_not_scale_guard(["tỷ lệ"]) + "tỷ", "tỷ đồng"))
    (True, True)
    """
    words = [w.strip().lower() for w in words if w.strip()]
    return rf"(?!(?i:{_alternation(words)})(?!\w))" if words else ""


def _only_words(rules: Rules, side: str) -> Pattern[str]:
    """The words of only_words.tsv that stand on `side` (before | after) of "một" and its unit; before,
    not where a phrase of side `just` starts ("chỉ là một ví dụ" is "just an example").

    >>> from extractor.rules_loader import load_rules
    >>> before = _only_words(load_rules(), "before")
    >>> [bool(before.search(text)) for text in ("chỉ còn một hộ", "chỉ là một ví dụ")]
    [True, False]
    """
    rows = [(row[0].strip(), row[1].strip()) for row in rules.tsv(ONLY_FILE) if len(row) > 1]
    words = [word for word, where in rows if where == side]
    just = [word for word, where in rows if where == "just"] if side == "before" else []
    guard = rf"(?!(?i:{_alternation(just)})(?!\w))" if just else ""
    return re.compile(rf"(?<!\w){guard}(?i:{_alternation(words)})(?!\w)") if words else re.compile("(?!)")


@dataclass(slots=True)  # one per number with a unit: ~100 ns to build, a NamedTuple ~300 ns
class UnitAt:
    """A lexicon unit found in a document: where it ends, how it is written, its entry."""

    end: int
    written: str
    unit: Unit


@dataclass(frozen=True)
class DocIndex:
    """What the unit matcher found in one document."""

    units: "UnitsAt"                         # start character → the longest unit starting there
    number_words: list[tuple[int, int]]      # character spans of runs of spelled-out number words


# A syllable token (as `extractor.nlp.SyllableTokenizer` cuts them) ends where the next character
# cannot continue it: a letter run before a non-letter, a digit run before anything but more digits
# or "[.,]digit"; any other character is a token of its own.
_LETTER_RE = re.compile(r"[^\W\d_]")
_TOKEN_END = {"letter": r"(?![^\W\d_])", "digit": r"(?!\d|[.,]\d)", "other": ""}


def _token_alternation(words: Iterable[str]) -> str:
    """Literal words, each ending at a token boundary, as a trie-shaped alternation: the longest
    word written at a position matches.

    A flat "longest first" alternation makes `re` try every entry at every candidate position;
    nested by shared prefix it tries only the entries that start like the text, and only one
    branch of each node can match the next character, so backtracking to a shorter word along
    that path still finds the longest one (number words ~70 → ~45 µs per article).

    >>> units = re.compile(_token_alternation(["ha", "hai", "m2"]))
    >>> [units.match(text) and units.match(text).group() for text in ("hai xã", "ha đất", "hai1", "hay", "m2,")]
    ['hai', 'ha', 'hai', None, 'm2']
    """
    def ending(word: str) -> str:
        last = word[-1]
        return _TOKEN_END["letter" if _LETTER_RE.match(last) else "digit" if re.match(r"\d", last) else "other"]

    trie: dict = {}
    for word in set(w for w in words if w):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = ending(word)  # "" marks a word's end, with its token-boundary assertion

    def branches(node: dict) -> str:
        # Longer words (the continuations) first, then the word ending here.
        parts = [re.escape(char) + branches(node[char]) for char in sorted(k for k in node if k)]
        if "" in node:
            parts.append(node[""])
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    return branches(trie) if trie else "(?!)"


def _lowered(text: str) -> str:
    """`text` lower-cased character by character, so offsets stay those of `text` (a character
    whose lower case is longer, as "İ", is left as it is and matches no lexicon word)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class UnitsAt(dict):
    """The lexicon units of one text, looked up on demand at the positions the scanner asks about
    (right after a number), each position matched once.

    `units[start]` is the longest `UnitAt` starting there, or None (a dict that fills itself:
    a repeated lookup costs one dict access); `in` and `get` read the same way.

    >>> from extractor.rules_loader import load_rules
    >>> units = unit_matcher(load_rules()).index("30 hộ gia đình").units
    >>> units[3].written, units[2], 3 in units, units.get(2, "none")
    ('hộ gia đình', None, True, 'none')
    """

    def __init__(self, matcher: "UnitMatcher", text: str, lowered: str):
        super().__init__()
        self._unit_at = matcher.unit_at
        self._text = text
        self._lowered = lowered

    def __missing__(self, start: int) -> UnitAt | None:
        found = self[start] = self._unit_at(self._text, self._lowered, start)
        return found

    def get(self, start: int, default: UnitAt | None = None) -> UnitAt | None:  # type: ignore[override]
        found = self[start]
        return default if found is None else found

    def __contains__(self, start: object) -> bool:
        return self[start] is not None  # type: ignore[index]


class UnitMatcher:
    """The unit lexicon as two token-bounded regexes (words on the lower-cased text, symbols on the
    exact text), plus one regex for the number words.

    It matches what spaCy's `PhraseMatcher` over the syllable tokens of `Document.spacy_doc` would,
    without the Doc: token boundaries keep "hộ" out of "hội" and "m" out of "mẫu". The scanner only
    asks right after a number token, so units are looked up there instead of over the whole text.
    """

    def __init__(self, lexicon: QuantityLexicon):
        self.lexicon = lexicon
        self.word_re = re.compile(_token_alternation(lexicon.word_units))
        self.exact_re = re.compile(_token_alternation(lexicon.exact_units))
        self.longest_exact = max(map(len, lexicon.exact_units), default=0)
        number_words = [*lexicon.numbers.words, *lexicon.numbers.scales]
        # No look-behind: a match inside a longer word is dropped after (it cannot hide a real one,
        # which would have to start inside the same letter run). No not-scale guard in front
        # either: `re` then skips in C to the next character a number word can start with, where a
        # leading lookahead would be tried at every character (15 times slower); a match where a
        # not-scale word starts ("tỷ lệ") is dropped after, and the same letter run holds no other.
        self.number_word_re = re.compile(_token_alternation(number_words))

    def unit_at(self, text: str, lowered: str, start: int) -> UnitAt | None:
        """The longest lexicon unit starting at `start` (a token start right after a number).

        >>> from extractor.rules_loader import load_rules
        >>> unit_matcher(load_rules()).unit_at("50m2 đất", "50m2 đất", 2).written
        'm2'
        """
        best = None
        word = self.word_re.match(lowered, start)
        if word is not None:
            unit = self.lexicon.units.get(word.group())
            if unit is not None:
                best = UnitAt(word.end(), text[start:word.end()], unit)
        if best is not None and best.end - start >= self.longest_exact:
            return best  # no symbol is longer ("người", "hồ sơ"): spare the second regex
        exact = self.exact_re.match(text, start)
        if exact is not None and (best is None or exact.end() > best.end):
            unit = self.lexicon.units.get(exact.group())
            if unit is not None and unit.written == exact.group():
                best = UnitAt(exact.end(), exact.group(), unit)
        return best

    def index(self, text: str) -> DocIndex:
        """Units by start character (looked up on demand), and the runs of number words, of one text.

        >>> from extractor.rules_loader import load_rules
        >>> found = unit_matcher(load_rules()).index("Hai mươi hộ gia đình, 50m2")
        >>> [(k, found.units[k].written) for k in (9, 24)], found.number_words, 10 in found.units
        ([(9, 'hộ gia đình'), (24, 'm2')], [(0, 8)], False)
        """
        lowered = _lowered(text)
        not_scale = self.lexicon.not_scale_re
        runs: list[tuple[int, int]] = []
        for match in self.number_word_re.finditer(lowered):
            start, end = match.span()
            if start and _LETTER_RE.match(lowered, start - 1):
                continue  # inside a longer word ("thai")
            if not_scale.match(lowered, start):
                continue  # "tỷ lệ", "triệu tập": no scale word
            if runs and runs[-1][1] + 1 == start and text[start - 1] == " ":
                runs[-1] = (runs[-1][0], end)  # one space between number words: the same number
            else:
                runs.append((start, end))
        return DocIndex(UnitsAt(self, text, lowered), runs)


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
