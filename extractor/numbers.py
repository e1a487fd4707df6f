"""Vietnamese numbers: digits written the Vietnamese way, scale words and number words.

In Vietnamese text "." groups thousands and "," is the decimal mark ("30.778" = 30778,
"1,5" = 1.5, "1.234,56" = 1234.56); scale words multiply ("2,3 triệu" = 2 300 000) and can be
chained into compounds ("5 tỷ 650 triệu" = 5 650 000 000, "1,2 nghìn tỷ" = 1.2e12); numbers may
also be spelled out ("hai mươi mốt" = 21, "mười lăm" = 15, "ba trăm linh năm" = 305).
The words themselves live in `rules/quantities/number_words.tsv` and `scale_words.tsv`.

Arithmetic is done in `Decimal` so that "6,891 tỉ" is exactly 6 891 000 000; results come back
as `int` when whole and `float` otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .rules_loader import Rules, load_rules

# Vietnamese digit groups: either plain digits or 1-3 digits then ".ddd" groups; then ",decimals".
DIGITS_RE = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


@dataclass(frozen=True)
class NumberWord:
    """One number word from number_words.tsv."""

    word: str
    value: Decimal
    role: str
    counts_alone: bool = True  # False: "năm" (year), "tư" (private), "không" (not) on their own


@dataclass(frozen=True)
class NumberLexicon:
    """Number and scale words of one rules set, keyed by lower-case word."""

    words: dict[str, NumberWord]
    scales: dict[str, Decimal]

    def is_number_word(self, word: str) -> bool:
        """True for a number word or a scale word.

        >>> number_lexicon().is_number_word("Mười")
        True
        """
        w = word.lower()
        return w in self.words or w in self.scales


def number_lexicon(rules: Rules | None = None) -> NumberLexicon:
    """The number/scale words of a rules set, built once per `Rules` object.

    >>> number_lexicon().scales["triệu"]
    Decimal('1000000')
    """
    rules = load_rules(rules)

    def build() -> NumberLexicon:
        words = {
            row[0].strip().lower(): NumberWord(row[0].strip().lower(), Decimal(row[1]), row[2].strip(),
                                               counts_alone=not (len(row) > 3 and row[3].strip() == "no"))
            for row in rules.tsv("quantities/number_words.tsv") if len(row) >= 3
        }
        scales = {row[0].strip().lower(): Decimal(row[1]) for row in rules.tsv("quantities/scale_words.tsv")
                  if len(row) >= 2}
        return NumberLexicon(words, scales)

    return rules.cached("numbers:lexicon", build)


@lru_cache(maxsize=8192)  # the same few hundred digit strings recur in every article
def parse_digits(text: str) -> Decimal | None:
    """Parse one Vietnamese-formatted digit string; None when the grouping is not Vietnamese.

    >>> parse_digits("30.778"), parse_digits("1,5"), parse_digits("1.234,56"), parse_digits("4.0"), parse_digits("0912")
    (Decimal('30778'), Decimal('1.5'), Decimal('1234.56'), None, None)
    """
    if not DIGITS_RE.fullmatch(text) or (len(text) > 1 and text[0] == "0" and text[1].isdigit()):
        return None  # "0225…" is a phone number or an id, not a count
    try:
        return Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        return None


class _Accumulator:
    """Reads number tokens left to right the way a Vietnamese reader does."""

    def __init__(self) -> None:
        self.total = Decimal(0)      # parts already closed by a scale word
        self.group = Decimal(0)      # the current group below the next scale word
        self.pending: Decimal | None = None  # a digit (or digit string) waiting for its multiplier
        self.previous = ""           # role of the previous token
        self.last_scale: Decimal | None = None
        self.seen = False

    def number(self, value: Decimal, role: str) -> bool:
        if self.pending is not None:
            return False
        if role == "after_tens" and self.previous not in ("tens", "ten"):
            return False
        self.pending = value
        self.previous = role
        self.seen = True
        return True

    def word(self, entry: NumberWord) -> bool:
        role = entry.role
        if role in ("digit", "after_tens", "zero"):
            return self.number(entry.value, role)
        if role == "ten":
            if self.pending is not None:
                return False
            self.group += entry.value
        elif role == "tens":
            if self.pending is None or self.previous not in ("digit", "zero"):
                return False
            self.group += self.pending * entry.value
            self.pending = None
        elif role == "hundred":
            if self.pending is None:
                return False
            self.group += self.pending * entry.value
            self.pending = None
        elif role == "link":
            if self.previous != "hundred" and self.previous != "scale":
                return False
        elif role == "half":
            return self.half()
        else:
            return False
        self.previous = role
        self.seen = True
        return True

    def half(self) -> bool:
        if self.pending is not None:
            return False
        if self.previous == "scale" and self.last_scale is not None:
            self.total += self.last_scale / 2
        elif self.previous == "hundred":
            self.group += 50
        else:
            return False
        self.previous = "half"
        return True

    def scale(self, multiplier: Decimal) -> bool:
        below = self.group + (self.pending if self.pending is not None else 0)
        if below == 0 and self.previous != "scale":
            return False
        if 0 < self.total < multiplier:
            # "1,2 nghìn tỷ", "hai nghìn năm trăm tỷ": the scale multiplies everything so far.
            self.total = (self.total + below) * multiplier
        else:
            if self.last_scale is not None and multiplier >= self.last_scale and below:
                return False  # "5 triệu 3 tỷ" is not one number
            self.total += below * multiplier
        self.group, self.pending = Decimal(0), None
        self.previous, self.last_scale, self.seen = "scale", multiplier, True
        return True

    def result(self) -> Decimal | None:
        if not self.seen or self.previous in ("link",):
            return None
        return self.total + self.group + (self.pending if self.pending is not None else 0)


def parse_number_decimal(text: str, rules: Rules | None = None) -> Decimal | None:
    """Like `parse_vietnamese_number`, but returns the exact `Decimal`.

    >>> parse_number_decimal("6,891 tỉ"), parse_number_decimal("126 tỷ 090 triệu")
    (Decimal('6891000000.000'), Decimal('126090000000'))
    """
    lexicon = number_lexicon(rules)
    acc = _Accumulator()
    tokens = text.split()
    if not tokens:
        return None
    for token in tokens:
        lower = token.lower()
        if token[0].isdigit():
            value = parse_digits(token)
            if value is None and acc.previous == "scale" and len(token) == 3 and token.isdigit():
                value = Decimal(token)  # "126 tỷ 090 triệu": a group after a scale word keeps its zeros
            if value is None or not acc.number(value, "digits"):
                return None
        elif lower in lexicon.scales:
            if not acc.scale(lexicon.scales[lower]):
                return None
        elif lower in lexicon.words:
            if not acc.word(lexicon.words[lower]):
                return None
        else:
            return None
    return acc.result()


def as_plain_number(value: Decimal) -> int | float:
    """An exact Decimal as `int` when whole, else `float`.

    >>> as_plain_number(Decimal("1500000000.0")), as_plain_number(Decimal("7.23"))
    (1500000000, 7.23)
    """
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def parse_vietnamese_number(text: str, rules: Rules | None = None) -> int | float | None:
    """Parse a Vietnamese number phrase: digits, scale words, number words or a mix; None if not a number.

    "hai mươi năm" is read as 25 here (a spoken variant of "hai mươi lăm"); the quantity scanner
    reads a trailing "năm" after mươi/mười as the unit "year" instead.

    >>> [parse_vietnamese_number(s) for s in ("30.778", "1,5 tỷ", "5 tỷ 650 triệu", "hai mươi mốt", "một số")]
    [30778, 1500000000, 5650000000, 21, None]
    """
    value = parse_number_decimal(text, rules)
    return None if value is None else as_plain_number(value)
