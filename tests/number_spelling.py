"""Writing numbers the Vietnamese way, for the parser's round-trip tests only (the extractor
reads numbers, it never writes them). The words come from the one number-words table,
`rules/quantities/number_words.tsv`, by their meaning columns (value, role)."""

from __future__ import annotations

from decimal import Decimal

from extractor.numbers import number_lexicon


def format_digits(value: int | float | Decimal, grouped: bool = True, decimals: int | None = None) -> str:
    """Write a number the Vietnamese way ("." between thousands when `grouped`, "," before decimals).

    >>> format_digits(30778), format_digits(1234.56), format_digits(1500, grouped=False)
    ('30.778', '1.234,56', '1500')
    """
    number = Decimal(str(value))
    if decimals is not None:
        number = round(number, decimals)
    sign = "-" if number < 0 else ""
    number = abs(number)
    whole = int(number)
    fraction = number - whole
    whole_text = f"{whole:,}".replace(",", ".") if grouped else str(whole)
    if fraction == 0:
        return sign + whole_text
    fraction_text = format(fraction.normalize(), "f").split(".")[1]
    return f"{sign}{whole_text},{fraction_text}"


class Speller:
    """The first word the table lists for each (role, value): "bảy" before "bẩy", "tỷ" before "tỉ"."""

    def __init__(self) -> None:
        lexicon = number_lexicon()
        self.words: dict[tuple[str, int], str] = {}
        for entry in lexicon.words.values():  # in the table's order
            self.words.setdefault((entry.role, int(entry.value)), entry.word)
        self.scales: dict[int, str] = {}
        for word, multiplier in lexicon.scales.items():
            self.scales.setdefault(int(multiplier), word)

    def digit(self, n: int) -> str:
        return self.words[("zero", 0)] if n == 0 else self.words[("digit", n)]

    def unit_after(self, n: int, after_ten: bool) -> str:
        """A unit after "mươi" takes its own form for 1, 4, 5 ("mốt", "tư", "lăm"); after "mười" only 5 does."""
        if n == 5 or (not after_ten and n in (1, 4)):
            return self.words[("after_tens", n)]
        return self.digit(n)

    def three_digits(self, n: int, full: bool) -> list[str]:
        hundreds, tens, units = n // 100, n // 10 % 10, n % 10
        words: list[str] = []
        if hundreds or full:
            words += [self.digit(hundreds), self.words[("hundred", 100)]]
        if tens == 0:
            if units:
                if hundreds or full:
                    words.append(self.words[("link", 0)])
                words.append(self.digit(units))
        elif tens == 1:
            words.append(self.words[("ten", 10)])
            if units:
                words.append(self.unit_after(units, after_ten=True))
        else:
            words += [self.digit(tens), self.words[("tens", 10)]]
            if units:
                words.append(self.unit_after(units, after_ten=False))
        return words

    def below_billion(self, n: int, preceded: bool) -> list[str]:
        """Words for 0 < n < 10^9; once anything was said, a group is read in full ("không trăm linh")."""
        words: list[str] = []
        for scale in (2, 1, 0):
            value = n // 1000**scale % 1000
            if value == 0:
                continue
            words += self.three_digits(value, full=preceded or bool(words))
            if scale:
                words.append(self.scales[1000**scale])
        return words


def number_to_words(n: int) -> str:
    """Spell a whole number 0 ≤ n < 10^15 in Vietnamese words (the inverse of the word parser).

    >>> number_to_words(21), number_to_words(305), number_to_words(1_000_005), number_to_words(2_500_000_000_000)
    ('hai mươi mốt', 'ba trăm linh năm', 'một triệu không trăm linh năm', 'hai nghìn năm trăm tỷ')
    """
    if n < 0 or n >= 10**15:
        raise ValueError("number_to_words supports 0 ≤ n < 10^15")
    speller = Speller()
    if n == 0:
        return speller.digit(0)
    billions, rest = divmod(n, 10**9)
    words: list[str] = []
    if billions:
        # Above a billion Vietnamese keeps counting billions: 2.5e12 is "hai nghìn năm trăm tỷ".
        words += speller.below_billion(billions, preceded=False) + [speller.scales[10**9]]
    if rest:
        words += speller.below_billion(rest, preceded=bool(billions))
    return " ".join(words)
