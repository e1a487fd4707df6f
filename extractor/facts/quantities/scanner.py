"""The quantity rules: a number, what stands before it, and the counted noun after it.

Each rule is a small named function over the normalized text:
- `read_amount`: digits with scale words and compounds ("1,5 tỷ", "5 tỷ 650 triệu");
- `read_spelled_amount`: number words ("hai mươi mốt", "ba trăm linh năm");
- `read_left`: qualifier ("hơn"), "từ", and what blocks a number (ordinals, ids, dates, names);
- `read_unit`: the counted noun — lexicon first, word segmentation of a short window second;
- ranges ("từ 10 đến 15 triệu đồng": at_least 10 000 000 đồng, up_to 15 000 000 đồng),
  ratios ("15/15 lĩnh vực") and "từ 81% trở lên" (at_least).
A number with no unit is not a quantity, except an amount with a scale word, which is money: in
đồng ("trao 10 triệu cho …"), or in the currency written beside it in its sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from ...budget import check as check_budget
from ...numbers import as_plain_number, parse_digits, parse_number_decimal
from ...progress import advanced
from ...record import Quantity
from ...rules_loader import Rules
from .lexicon import QuantityLexicon, UnitAt, UnitsAt, unit_matcher
from .segment import dictionary_pairs, first_word, next_word

# "\d\d*" is "\d+" spelled so that the pattern starts with a character class: `re` then skips
# ahead to the next digit in C instead of trying the whole pattern at every character.
NUMBER_RE = re.compile(r"\d\d*(?:[.,]\d+)*")
# Glued to a word or another number on the left: "QH15", "Covid-19", "170/2024", "10:30".
GLUED_LEFT = set("/.,-–:_+#")
# After the number: a second date separator ("21/5/2020", "10-3-2026") or a document code ("123/QĐ").
DATE_TAIL_RE = re.compile(r"([/.-])\d{1,2}\1\d|/[^\W\d_]")
RATIO_RE = re.compile(r"/(\d{1,3}(?:\.\d{3})+|\d+)(?![\w/]|[.,-]\d)")
COMPOUND_RE = re.compile(r" (\d+(?:,\d+)?)(?= )")
# Right after another number: phone/id digit groups ("0225 3842"), a range's upper bound ("2016 –
# 2021"), or a list of levels ("mức độ 3, 4" — short numbers, not part of a date like "5/9, ").
AFTER_NUMBER_RE = re.compile(r"(?:\d |\d ?[–-] ?)$")
AFTER_LEVEL_RE = re.compile(r"(?<![\w.,/-])\d{1,2}, ?$")  # not after a glued unit: "270m3, 3 tấn"
NEXT_SYLLABLE_RE = re.compile(r" ([^\W\d_]+)")
SENTENCE_START_CHARS = set(".!?…:;\n\"“”(–-•*|[")
MONEY_SCALE_MIN = 1_000_000  # the smallest scale word that makes a bare amount money
SENTENCE_BREAK_RE = re.compile(r"[.!?;…](?:\s|$)|\n")  # a bare amount borrows a currency within its sentence
AFTER_SHORT_UNIT_RE = re.compile(r"\d [^\W\d_]{1,3} $")  # "1.500 m 3": a number right after "number unit"
MAP_SCALE_MIN = 100  # "1/N" after "tỷ lệ" is a drawing scale from 1/100 on ("1/500", "1/2000")
ENGLISH_PERCENT_RE = re.compile(r"\d{1,3}\.\d{1,2}")  # "98.5%", "85.5 tỷ": a decimal point, not a group
LEADING_ZERO_RE = re.compile(r"0[1-9]")  # "04 tỉnh": a small count written with a leading zero
PERCENT_AFTER_RE = re.compile(r" ?%")


@dataclass(slots=True)  # one or more per number: slots make them cheaper to build
class Amount:
    """A number phrase: where it is, its exact value, and whether a scale word made it big."""

    start: int
    end: int
    value: Decimal
    scale_text: str = ""   # the scale words as written (" triệu"), shared by a range's lower bound
    spelled: bool = False


@dataclass
class Page:
    """One text being scanned: where lexicon units start, and bounds forced by a range."""

    text: str
    units: UnitsAt
    forced: dict[int, str] = field(default_factory=dict)  # number start → qualifier ("đến 15" → up_to)
    number_words: list[tuple[int, int]] = field(default_factory=list)  # runs of spelled-out numbers
    reversed_text: str = ""  # the text backwards, for reading the words before a number
    ones: dict[int, bool] = field(default_factory=dict)  # `one_before` by start: asked twice for a lone "một"

    def __post_init__(self) -> None:
        self.reversed_text = self.text[::-1]


@dataclass(slots=True)
class Left:
    """What stands before a number."""

    start: int                  # where the fact text starts (qualifier or "từ" included)
    qualifier: str | None = None
    from_word: int | None = None   # start of a "từ" right before the number (or its qualifier)
    blocked: bool = False
    after_name: bool = False     # right after a capitalized word ("Quân khu 4", "Ảnh 1")
    after_abbreviation: bool = False  # that word in capitals ("UBND 10 phường"): a body, then its count
    in_name: bool = False        # a capitalized word among the two before ("Ban Chỉ đạo 751")
    map_scale: bool = False      # after "tỷ lệ", "quy hoạch": "1/500" is a drawing scale


@dataclass(slots=True)
class UnitMatch:
    """The unit found after an amount."""

    unit: str
    kind: str
    end: int
    from_lexicon: bool = True


class QuantityScanner:
    """Finds quantities in normalized text, skipping spans taken by dates.

    >>> from extractor.rules_loader import load_rules
    >>> from extractor.facts.quantities.lexicon import quantity_lexicon
    >>> rules = load_rules()
    >>> [q.text for q in QuantityScanner(quantity_lexicon(rules), rules).scan("Có 7/7 phường, hơn 1.410 ha.")]
    ['7/7 phường', 'hơn 1.410 ha']
    """

    def __init__(self, lexicon: QuantityLexicon, rules: Rules):
        self.lexicon = lexicon
        self._rules = rules
        self.units = unit_matcher(rules)
        # The phrase sizes each last word of a qualifier/prefix phrase can end: most numbers follow
        # no such word, and for the others only the phrases that can match are built ("hơn" ends
        # one one-word qualifier, so neither a two- nor a three-word phrase is tried).
        self._qualifier_sizes = _phrase_sizes(lexicon.qualifiers)
        self._prefix_sizes = _phrase_sizes(lexicon.prefix_actions)
        self._phrase_ends = frozenset(self._qualifier_sizes) | frozenset(self._prefix_sizes)
        # How many words before the number such a last word makes worth reading: a qualifier and
        # the "từ" before it, a prefix phrase, and two words for a name.
        self._context_words = {
            last: min(4, max(2, (self._qualifier_sizes.get(last) or (0,))[0] + 1,
                             (self._prefix_sizes.get(last) or (0,))[0]))
            for last in self._phrase_ends}
        # One-word qualifiers that end no longer qualifier and no prefix: "hơn", "khoảng".
        self._lone_qualifiers = frozenset(
            last for last, sizes in self._qualifier_sizes.items() if sizes == (1,) and last not in self._prefix_sizes)
        self._scale_initials = frozenset(word[0] for word in lexicon.numbers.scales if word)
        # Number words that on their own never count (what `read_spelled_amount` rejects first):
        # most runs of number words are one of these ("đầu tư", "năm nay", "không có", "tỷ lệ").
        numbers = lexicon.numbers
        self._never_alone = frozenset(w for w, e in numbers.words.items() if not e.counts_alone)
        lone = [*numbers.scales, *(w for w, e in numbers.words.items() if e.role not in ("digit", "ten")),
                *self._never_alone]
        self._lone_non_numbers = frozenset(w for w in lone if " " not in w)
        # rules/quantities/words.tsv by meaning: "từ" opens a range, "đến" joins one, "đồng" …
        self.words = words = lexicon.words
        self._from_words = words["range_from"]
        self._per_words = words["per"]
        self._unit_numbers = words["unit_number"]

    @classmethod
    def for_rules(cls, rules: Rules | None = None) -> "QuantityScanner":
        """The scanner of a rules set (shipped rules by default), built once per `Rules`.

        >>> QuantityScanner.for_rules() is QuantityScanner.for_rules()
        True
        """
        from ...rules_loader import load_rules
        from .lexicon import quantity_lexicon

        rules = load_rules(rules)
        return rules.cached("quantities:scanner", lambda: cls(quantity_lexicon(rules), rules))

    def page(self, text: str) -> Page:
        """A text ready for scanning: its number-word runs found, its units looked up on demand.

        >>> QuantityScanner.for_rules().page("30 hồ sơ").units[3].written
        'hồ sơ'
        """
        index = self.units.index(text)
        return Page(text, index.units, number_words=index.number_words)

    # -- the document loop -------------------------------------------------------------------

    def scan(self, text: str, taken: list[tuple[int, int]] = ()) -> list[Quantity]:
        """All quantities of `text`; `taken` are (start, end) spans other families already claimed."""
        page = self.page(text)
        spans = sorted(taken)
        starts = [s for s, _ in spans]
        facts: list[Quantity] = []
        resume = 0
        for match in NUMBER_RE.finditer(text):
            start, end = match.span()
            if start < resume:
                continue
            # `_overlapping`, inlined: this runs for every number of the document.
            i = bisect.bisect_right(starts, end - 1)
            if i and spans[i - 1][1] > start:
                resume = spans[i - 1][1]
                continue
            check_budget()
            found, resume = self.from_digits(page, match)
            facts.extend(found)
        lonely: list[Quantity] = []
        claimed = sorted((f.start, f.end) for f in facts)
        claimed_starts = [s for s, _ in claimed]
        for run_start, run_end in page.number_words:
            if (_overlapping(spans, starts, run_start, run_end) is not None
                    or _overlapping(claimed, claimed_starts, run_start, run_end) is not None):
                continue
            if _right_after(claimed, claimed_starts, run_start, text):
                continue  # "100 người một buổi": "one" is distributive ("per session"), not a count
            pair = self.word_pair_range(page, run_start, run_end)
            if pair:
                facts.extend(pair)
                continue
            fact = self.from_words(page, run_start, run_end)
            if fact is None:
                continue
            if fact.value == 1 and fact.start == run_start and not self.one_counts(page, fact):
                lonely.append(fact)  # "một cuộc họp": the article "a", unless a count stands beside it
                continue
            facts.append(fact)
        if lonely:
            facts.extend(fact for fact in lonely if _beside_a_count(text, fact, facts, self.words.list_gap_re))
        self.borrow_currencies(text, facts)
        return sorted(facts, key=_SPAN_KEY)

    def word_pair_range(self, page: Page, start: int, end: int) -> list[Quantity]:
        """ "ba bốn làng" (three or four villages): two number words in a row, the second one more,
        are an approximate range — SPEC's two facts, at_least the first and up_to the second with its unit.

        >>> scanner = QuantityScanner.for_rules()
        >>> [(f.text, f.value, f.qualifier) for f in scanner.word_pair_range(scanner.page("có ba bốn hộ"), 3, 9)]
        [('ba', 3, 'at_least'), ('bốn hộ', 4, 'up_to')]
        """
        text = page.text
        tokens = text[start:end].split(" ")
        if len(tokens) < 2:
            return []
        words = self.lexicon.numbers.words
        first, second = (words.get(t.lower()) for t in tokens[:2])
        if (first is None or second is None or first.role != "digit" or second.role != "digit"
                or second.value != first.value + 1 or tokens[1].lower() in self._never_alone):
            return []
        upper_start = start + len(tokens[0]) + 1
        upper = self.from_words(page, upper_start, end)
        if upper is None or upper.start != upper_start or upper.qualifier or upper.kind != "count":
            return []
        upper.qualifier = "up_to"
        lower = Quantity(text=tokens[0], start=start, end=start + len(tokens[0]), kind=upper.kind,
                         value=as_plain_number(first.value), unit=upper.unit, qualifier="at_least")
        return [lower, upper]

    def one_counts(self, page: Page, fact: Quantity) -> bool:
        """Does a spelled "một" count on its own? As "one per" ("mỗi hộ một con bò", "trung bình một
        hồ sơ") or "only one" ("chỉ còn một hộ", "một trường duy nhất"), SPEC says; else it is the
        article "a" ("một cuộc họp", "Một ngày rất đặc biệt") unless another count stands beside it.

        >>> scanner = QuantityScanner.for_rules()
        >>> page = scanner.page("Xã chỉ còn một hộ nghèo.")
        >>> scanner.one_counts(page, scanner.from_words(page, 11, 14))
        True
        """
        if self.one_before(page, fact.start):
            return True
        text = page.text
        return self.lexicon.only_after_re.match(text, fact.end + 1) is not None and text[fact.end:fact.end + 1] == " "

    def one_before(self, page: Page, start: int) -> bool:
        """Do the words before a spelled "một" at `start` make it a count: "mỗi", "trung bình" earlier
        in its clause (one per), or "chỉ" among the three words before (only one)?

        >>> scanner = QuantityScanner.for_rules()
        >>> [scanner.one_before(scanner.page(text), text.index("một")) for text in
        ...  ("mỗi trung tâm một bếp ăn", "HTX chỉ có một máy sấy", "mỗi xã là một điểm")]
        [True, True, False]
        """
        known = page.ones.get(start)
        if known is None:
            known = page.ones[start] = self._one_before(page, start)
        return known

    def _one_before(self, page: Page, start: int) -> bool:
        text = page.text
        nearest = _word_before(text, start, page.reversed_text)
        if nearest is not None and nearest[0].lower() in self.lexicon.article_before:
            return False  # "mỗi trường sẽ là một nơi giao lưu": "is a", SPEC's article
        clause = CLAUSE_START.search(text, max(0, start - CLAUSE_REACH), start)
        if self.lexicon.one_per_re.search(text, clause.end() if clause else max(0, start - CLAUSE_REACH), start):
            return True
        words = _words_before(text, start, 3, page.reversed_text)
        return bool(words and self.lexicon.only_before_re.search(text, words[-1][1], start))

    # -- digits --------------------------------------------------------------------------------

    def from_digits(self, page: Page, match: re.Match, upper_bound: bool = False) -> tuple[list[Quantity], int]:
        """Quantities starting at a digit run, and where scanning resumes.

        `upper_bound`: the number is the second half of a range ("10-15%"), so what stands before
        it is the lower bound, not a context to judge.

        >>> scanner = QuantityScanner.for_rules()
        >>> page = scanner.page("giải quyết 30.778 hồ sơ")
        >>> [f.text for f in scanner.from_digits(page, NUMBER_RE.search(page.text))[0]]
        ['30.778 hồ sơ']
        """
        text, forced = page.text, page.forced
        start, end = match.span()
        if _glued_left(text, start) and not upper_bound:
            return [], end
        value = parse_digits(match.group())
        digits = None
        if value is None:
            if ENGLISH_PERCENT_RE.fullmatch(match.group()) and PERCENT_AFTER_RE.match(text, end):
                return self.english_percent(page, match, upper_bound), end + 1
            value, digits = self.unusual_digits(page, match.group(), end)
            if value is None:
                return [], end
        # The character after the digits rules out most of the checks below without a regex.
        following = text[end:end + 1]
        if following in "/.-" and DATE_TAIL_RE.match(text, end):
            return [], _skip_token(text, end)
        if following.isalpha() and not _exact_unit(page.units[end]):
            return [], end  # "8h30", "5G", "F0": glued letters that are no unit
        left = Left(start=start) if upper_bound else self.read_left(text, start, page.reversed_text)
        if left.blocked:
            return [], end
        ratio = RATIO_RE.match(text, end) if following == "/" else None
        if ratio:
            return self.ratio(page, match, ratio, left), ratio.end()
        amount = self.read_amount(text, start, end, value, digits)
        unit = self.read_unit(page, amount)
        if unit is None:
            separator = None if upper_bound else self.words.range_separator_re.match(text, amount.end)
            # "từ 10 đến 15 triệu", "10-15%", "gấp 2 đến 4 lần", "4 đến 6 triệu khách"; not the
            # exponent of a unit written apart ("1.500 m 3 đến 2.000 m 3")
            if separator and (left.from_word is not None or separator.group().strip() in "–-"
                              or not AFTER_SHORT_UNIT_RE.search(text, max(0, start - 12), start)):
                return self.range(page, amount, left, separator.end())
            if not amount.scale_text:
                return [], amount.end
            unit = UnitMatch(self.words.default_currency, "money", amount.end)
        fact = self.finish(text, amount, left, unit, forced.pop(start, None))
        if fact is None:
            return [], amount.end
        if left.from_word is not None and fact.qualifier is None:
            separator = self.words.range_separator_re.match(text, fact.end)
            if separator:
                # "từ 5 triệu đồng đến 10 triệu đồng": both bounds carry their unit.
                fact = _widen(text, fact, left.from_word, "at_least")
                forced[separator.end()] = "up_to"
        return [fact], fact.end

    def unusual_digits(self, page: Page, written: str, end: int) -> tuple[Decimal | None, str | None]:
        """Digits the Vietnamese grouping rejects that still make a quantity, with their value and
        the Vietnamese form to read them by: a decimal point before a scale word, where it cannot
        group thousands ("85.5 tỷ USD"), and a leading zero before a listed unit, as administrative
        texts write small counts ("04 tỉnh", "02 người"); else (None, None).

        >>> scanner = QuantityScanner.for_rules()
        >>> [scanner.unusual_digits(scanner.page(text), text.split()[0], len(text.split()[0]))
        ...  for text in ("85.5 tỷ USD", "04 tỉnh biên giới", "0225 3842", "4.0 là")]
        [(Decimal('85.5'), '85,5'), (Decimal('4'), None), (None, None), (None, None)]
        """
        text = page.text
        if ENGLISH_PERCENT_RE.fullmatch(written) and text[end + 1:end + 2] in self._scale_initials \
                and self.lexicon.scale_re.match(text, end):
            digits = written.replace(".", ",")
            return parse_digits(digits), digits
        if LEADING_ZERO_RE.fullmatch(written) and text[end:end + 1] == " " and page.units[end + 1] is not None:
            return Decimal(written), None
        return None, None

    def english_percent(self, page: Page, match: re.Match, upper_bound: bool) -> list[Quantity]:
        """"98.5%": some portals write a decimal point; before "%" it cannot be a thousands dot.

        >>> scanner = QuantityScanner.for_rules()
        >>> page = scanner.page("đạt 98.5%")
        >>> [f.value for f in scanner.english_percent(page, NUMBER_RE.search(page.text), False)]
        [98.5]
        """
        text = page.text
        left = Left(start=match.start()) if upper_bound else self.read_left(text, match.start(), page.reversed_text)
        if left.blocked:
            return []
        amount = Amount(match.start(), match.end(), Decimal(match.group()))
        unit = self.read_unit(page, amount)
        if unit is None or unit.kind != "percent":
            return []
        fact = self.finish(text, amount, left, unit, page.forced.pop(match.start(), None))
        return [fact] if fact else []

    def read_amount(self, text: str, start: int, end: int, value: Decimal | None = None,
                    digits: str | None = None) -> Amount:
        """The number at [start, end) with its scale words and compound parts ("5 tỷ 650 triệu");
        `value` is the digits' value when the caller has parsed them already, `digits` their
        Vietnamese form when written otherwise ("85,5" for "85.5 tỷ").

        >>> QuantityScanner.for_rules().read_amount("vốn 5 tỷ 650 triệu đô la", 4, 5).value
        Decimal('5650000000')
        """
        if value is None:
            value = parse_digits(text[start:end])
        best = Amount(start, end, value or Decimal(0))
        if text[end + 1:end + 2] not in self._scale_initials:
            return best  # no scale word follows (" triệu", " tỷ"): spare the regex
        scales = self.lexicon.scale_re.match(text, end)
        if not scales:
            return best
        position = scales.end()
        half = self.words.half_re.match(text, position) if text.startswith(self.words.half_starts, position) else None
        if half:
            position = half.end()
        candidate_ends = [position]
        while True:
            # A compound part starts with a digit after one space ("5 tỷ 650 triệu"): most amounts
            # are followed by their unit, so the digit is checked before the regex runs.
            part = COMPOUND_RE.match(text, position) if text[position + 1:position + 2].isdecimal() else None
            more = part and self.lexicon.scale_re.match(text, part.end())
            if not more:
                break
            position = advanced(position, more.end(), "compound amount reader")
            candidate_ends.append(position)
        for candidate_end in reversed(candidate_ends):
            written = digits + text[end:candidate_end] if digits else text[start:candidate_end]
            value = parse_number_decimal(written, self._rules)
            if value is not None:
                return Amount(start, candidate_end, value, scale_text=scales.group())
        return best

    def ratio(self, page: Page, match: re.Match, ratio: re.Match, left: Left) -> list[Quantity]:
        """"15/15 lĩnh vực": a part of a whole, with a counted noun (else it is a date like "21/5").

        >>> scanner = QuantityScanner.for_rules()
        >>> page = scanner.page("7/7 phường")
        >>> number = NUMBER_RE.match(page.text)
        >>> [(f.value, f.total) for f in scanner.ratio(page, number, RATIO_RE.match(page.text, 1), Left(0))]
        [(7, 7)]
        """
        value = parse_digits(match.group())
        total = parse_digits(ratio.group(1))
        if value is None or total is None or total == 0 or value > total or "," in match.group():
            return []
        if left.map_scale and value == 1 and total >= MAP_SCALE_MIN:
            return []  # "quy hoạch chi tiết tỷ lệ 1/500": a drawing scale, not a part of a whole
        amount = Amount(match.start(), ratio.end(), value)
        unit = self.read_unit(page, amount)
        if unit is None or unit.kind != "count":
            return []  # "2/9 năm nay" is a date, "24/24 giờ" a phrase: ratios count things
        fact = self.finish(page.text, amount, left, unit, None)
        if fact is None:
            return []
        fact.kind, fact.total = "ratio", as_plain_number(total)
        return [fact]

    def range(self, page: Page, lower: Amount, left: Left, upper_start: int) -> tuple[list[Quantity], int]:
        """"từ 10 đến 15 triệu đồng", "10-15%": the lower bound borrows the upper's scale and unit.

        >>> scanner = QuantityScanner.for_rules()
        >>> page = scanner.page("giảm 10-15%")
        >>> lower = scanner.read_amount(page.text, 5, 7)
        >>> [(f.text, f.qualifier) for f in scanner.range(page, lower, Left(5), 8)[0]]
        [('10', 'at_least'), ('15%', 'up_to')]
        """
        text = page.text
        upper_match = NUMBER_RE.match(text, upper_start)
        if not upper_match or DATE_TAIL_RE.match(text, upper_match.end()):
            return [], upper_start
        page.forced[upper_start] = "up_to"
        uppers, resume = self.from_digits(page, upper_match, upper_bound=True)
        if not uppers:
            return [], resume
        upper = uppers[0]
        value = lower.value
        upper_amount = self.read_amount(text, upper_match.start(), upper_match.end())
        if not lower.scale_text and upper_amount.scale_text:
            scaled = parse_number_decimal(text[lower.start:lower.end] + upper_amount.scale_text, self._rules)
            value = scaled if scaled is not None else value
        start = left.from_word if left.from_word is not None else left.start
        lower_fact = Quantity(text=text[start:lower.end], start=start, end=lower.end, kind=upper.kind,
                              value=as_plain_number(value), unit=upper.unit, qualifier="at_least")
        return [lower_fact, *uppers], resume

    # -- spelled-out numbers ---------------------------------------------------------------

    def from_words(self, page: Page, start: int, end: int) -> Quantity | None:
        """"hai đơn vị", "ba trăm hộ": number words count before a lexicon unit (after "một" only there).

        >>> scanner = QuantityScanner.for_rules()
        >>> scanner.from_words(scanner.page("có hai đơn vị"), 3, 6).text
        'hai đơn vị'
        """
        text = page.text
        if text[start:end].lower() in self._lone_non_numbers:
            return None  # one word, and not one that counts alone
        if self.lexicon.idiom_re.match(text, start):
            return None
        amount = self.read_spelled_amount(text, start, end)
        if amount is None:
            return None
        if text[start].isupper() and not _at_sentence_start(text, start):
            return None  # "Hai Bà Trưng", "Lò Văn Mười": names, not numbers
        left = self.read_left(text, start, page.reversed_text)
        if left.blocked or left.after_name:
            return None
        unit = self.read_unit(page, amount)
        if unit is None and amount.value == 1 and not amount.scale_text and self.one_before(page, start):
            unit = self.read_unit(page, amount, any_noun=True)  # "chỉ có một máy sấy": only one, a count
        if unit is None:
            if not amount.scale_text:
                return None
            unit = UnitMatch(self.words.default_currency, "money", amount.end)
        return self.finish(text, amount, left, unit, None)

    def read_spelled_amount(self, text: str, start: int, end: int) -> Amount | None:
        """The longest run of number words that reads as one number, leaving a trailing "năm" as a unit.

        >>> QuantityScanner.for_rules().read_spelled_amount("hai mươi năm", 0, 12).value
        Decimal('20')
        """
        words = self.lexicon.numbers.words
        scales = self.lexicon.numbers.scales
        tokens = text[start:end].split(" ")
        first = tokens[0].lower()
        if first in scales or (first in words and words[first].role not in ("digit", "ten")):
            return None
        for count in range(len(tokens), 0, -1):
            phrase = tokens[:count]
            lowered = [t.lower() for t in phrase]
            # "năm năm" is five years: a number word that is also a unit (words.tsv unit_number), twice
            five_years = lowered[0] in self._unit_numbers and len(tokens) > 1 and tokens[1].lower() == lowered[0]
            if count == 1 and lowered[0] in self._never_alone and not five_years:
                return None  # "năm" is "year", "tư" "private", "không" "not" on their own; "năm năm" is 5 years
            if count > 1 and lowered[-1] in self._unit_numbers and lowered[-2] not in self.words.links:
                continue  # "mười năm" is ten years, not fifteen
            value = parse_number_decimal(" ".join(phrase), self._rules)
            if value is None or value == 0:
                continue
            phrase_end = start + len(" ".join(phrase))
            scale_words = [t for t in lowered if t in scales]
            return Amount(start, phrase_end, value, scale_text=" " + scale_words[-1] if scale_words else "",
                          spelled=True)
        return None

    # -- context ---------------------------------------------------------------------------

    def read_left(self, text: str, start: int, reversed_text: str | None = None) -> Left:
        """Qualifier, "từ", and whether the words before the number make it an ordinal/id/date/name.

        >>> scanner = QuantityScanner.for_rules()
        >>> scanner.read_left("gần 250 cử tri", 4).qualifier, scanner.read_left("lần thứ 8", 8).blocked
        ('nearly', True)
        >>> [(left.in_name, left.after_name) for left in (scanner.read_left("Ban Chỉ đạo 751", 12),
        ...                                               scanner.read_left("Đội Ong 3", 8))]
        [(True, False), (True, True)]
        >>> scanner.read_left("mức 12, 13", 8).blocked, scanner.read_left("Hà Nội có 30 xã", 10).in_name
        (True, False)
        """
        if reversed_text is None:
            reversed_text = text[::-1]
        # Most numbers follow a plain word that ends no qualifier or prefix phrase: for them only
        # the nearest word (and sometimes the one before it) is read, not a four-word context.
        nearest = _word_before(text, start, reversed_text)
        if nearest is None:
            return Left(start, blocked=_after_number(text, start))
        word, word_start = nearest
        lowered = word.lower()
        count = self._context_words.get(lowered)
        if count is not None:
            if lowered in self._lone_qualifiers:
                return self.after_qualifier(text, word_start, self.lexicon.qualifiers[lowered], reversed_text)
            return self.read_left_phrases(text, start, reversed_text, count)
        left = Left(start)
        if lowered in self._from_words:
            left.from_word = word_start
        # After a word ending in a letter neither window pattern can match.
        if not word[-1].isalpha() and _after_number(text, start):
            left.blocked = True
            return left
        if word[0].isupper() and not _at_sentence_start(text, word_start):
            left.in_name = left.after_name = True  # "Quân khu 4", "Ảnh 1"
            left.after_abbreviation = len(word) > 1 and word.isupper()
        elif word not in self.lexicon.not_units:  # "Hà Nội có 30 xã": a function word ends the name
            before = _word_before(text, word_start, reversed_text)
            if before is not None and before[0][0].isupper() and not _at_sentence_start(text, before[1]):
                left.in_name = True  # "Ban Chỉ đạo 751"
        return left

    def after_qualifier(self, text: str, start: int, qualifier: str, reversed_text: str | None = None) -> Left:
        """`read_left` for a one-word qualifier at `start` that ends no longer qualifier or prefix
        ("hơn", "khoảng"): only the word before it ("từ"?) is read.

        >>> scanner = QuantityScanner.for_rules()
        >>> left = scanner.after_qualifier("từ hơn 5 ha", 3, "more_than")
        >>> left.start, left.qualifier, left.from_word, left.blocked
        (3, 'more_than', 0, False)
        """
        left = Left(start, qualifier=qualifier)
        before = _word_before(text, start, text[::-1] if reversed_text is None else reversed_text)
        if before is not None and before[0].lower() in self._from_words:
            left.from_word = before[1]
        if before is None or not before[0][-1].isalpha():  # after a letter the pattern cannot match
            window = start - 5 if start > 5 else 0
            left.blocked = bool(AFTER_NUMBER_RE.search(text, window, start))
        return left

    def read_left_phrases(self, text: str, start: int, reversed_text: str | None = None, count: int = 4) -> Left:
        """`read_left` when the nearest word may end a qualifier ("trên dưới") or prefix ("tổng số");
        `count` words before the number are read.

        >>> scanner = QuantityScanner.for_rules()
        >>> scanner.read_left_phrases("trên dưới 250 cử tri", 10).qualifier
        'about'
        """
        lexicon = self.lexicon
        left = Left(start=start)
        words = _words_before(text, start, count, reversed_text)
        nearest = words[0][0].lower() if words else ""
        qualifier_sizes = self._qualifier_sizes.get(nearest)
        qualifier = _phrase_at_end(words, lexicon.qualifiers, qualifier_sizes) if qualifier_sizes else None
        core = start
        if qualifier:
            left.qualifier = lexicon.qualifiers[qualifier[0]]
            core = left.start = words[qualifier[1] - 1][1]
            words = words[qualifier[1]:]
        if words and words[0][0].lower() in self._from_words:
            left.from_word = words[0][1]
        window = core - 5 if core > 5 else 0
        if (not (words and words[0][0][-1].isalpha())  # after a word ending in a letter neither matches
                and (AFTER_NUMBER_RE.search(text, window, core)
                     or (not qualifier and AFTER_LEVEL_RE.search(text, window, core)))):
            left.blocked = True  # "mức độ 3, 4", phone numbers "0225 3842 …", a range's upper bound
            return left
        if qualifier:
            return left
        prefix_sizes = self._prefix_sizes.get(nearest)
        prefix = _phrase_at_end(words, lexicon.prefix_actions, prefix_sizes) if prefix_sizes else None
        action = lexicon.prefix_actions[prefix[0]] if prefix else None
        if action == "block":
            left.blocked = True
            return left
        left.map_scale = action == "map_scale"
        for distance, (word, word_start) in enumerate(words[:2], start=1):
            if word[0].isupper() and not _at_sentence_start(text, word_start):
                left.in_name = True  # "Ban Chỉ đạo 751", "Quân khu 4", "Ảnh 1"
                left.after_name = distance == 1
                left.after_abbreviation = left.after_name and len(word) > 1 and word.isupper()
                break
            if word in lexicon.not_units:
                break  # "Hà Nội có 30 xã": a function word ends the name
        return left

    def read_unit(self, page: Page, amount: Amount, any_noun: bool = False) -> UnitMatch | None:
        """The counted noun after an amount: the longest lexicon unit, else the first segmented word.
        After a spelled "một" only a lexicon unit counts ("một cuộc họp" is "a meeting"), unless
        `any_noun` (its context made it a count: "chỉ có một máy sấy").

        >>> scanner = QuantityScanner.for_rules()
        >>> scanner.read_unit(scanner.page("350 hộ gia đình"), Amount(0, 3, Decimal(350))).unit
        'hộ gia đình'
        """
        text, end = page.text, amount.end
        units = page.units
        if text[end:end + 1] == " ":  # no unit starts with a space: only the one after it counts
            best = units[end + 1]  # words need the space; symbols may take one
        else:
            best = units[end]
            if best is not None and not best.unit.exact:
                best = None
        if best is not None:
            longer = self.longer_word(text, best)  # "nhà" in "nhà đầu tư"
            if longer is not None:
                if amount.spelled and amount.value < 2 and not any_noun:
                    return None  # "một bộ phận" ("a part"), "một nhà đầu tư": not the listed noun
                # headed by a lexicon unit, so no name's number ("Việt Nam mua 6 tàu ngầm")
                return UnitMatch(longer.lower(), "count", best.end - len(best.written) + len(longer))
            return UnitMatch(best.unit.reported(best.written), best.unit.kind, best.end)
        if amount.spelled and amount.value < 2 and not any_noun:
            return None  # after "một" (also "a/an") only lexicon units count
        syllable = NEXT_SYLLABLE_RE.match(text, end)
        if not syllable or not syllable.group(1)[0].islower():
            return None
        if syllable.group(1).lower() in self.lexicon.not_units:
            return None
        word = first_word(text, syllable.start(1))
        if not word or word.lower() in self.lexicon.not_units or not word.replace(" ", "").isalpha():
            return None
        word = self.dictionary_word(text, syllable.start(1), word) or word  # "2 hệ lụy", not "2 hệ"
        return UnitMatch(word.lower(), "count", syllable.start(1) + len(word), from_lexicon=False)

    def dictionary_word(self, text: str, start: int, syllable: str) -> str | None:
        """One syllable at `start` with the next, when the two make one word of underthesea's
        dictionary ("hệ lụy", "xe máy") though the tagger split them; else None.

        >>> QuantityScanner.for_rules().dictionary_word("2 hệ lụy lớn", 2, "hệ")
        'hệ lụy'
        """
        if " " in syllable:
            return None
        following = NEXT_SYLLABLE_RE.match(text, start + len(syllable))
        if not following or not following.group(1)[0].islower():
            return None
        second = following.group(1).lower()
        if second in self.lexicon.not_units or f"{syllable.lower()} {second}" not in dictionary_pairs():
            return None
        alone = next_word(text, following.start(1))
        if alone is None or alone[0] != following.group(1) or alone[1] == "V":
            return None  # "25 người hầu hết …", "70 nước đứng đầu": the second syllable is a word of its own
        return text[start:following.end()]

    def borrow_currencies(self, text: str, facts: list[Quantity]) -> None:
        """An amount with a bare scale word ("khoảng 12,1 triệu") is money in the currency of the
        same amount written with one elsewhere in the text, else of the nearest amount written with
        one in its sentence ("10,9 triệu USD/km"), else in đồng.

        >>> scanner = QuantityScanner.for_rules()
        >>> text = "Ở Đức là 10,9 triệu USD/km, Bồ Đào Nha khoảng 12,1 triệu."
        >>> facts = scanner.scan(text)
        >>> [(f.text, f.unit) for f in facts]
        [('10,9 triệu USD', 'USD'), ('khoảng 12,1 triệu', 'USD')]
        """
        default_currency = self.words.default_currency
        implied_unit = self.lexicon.unit(default_currency)
        home = implied_unit.currency if implied_unit else None
        money = [f for f in facts if f.kind == "money"]
        if len(money) < 2:
            return
        bare = [f for f in money if f.unit == default_currency and self._ends_in_scale(f.text)]
        bare_ids = {id(f) for f in bare}
        written = [f for f in money if id(f) not in bare_ids]
        for fact in bare:
            same = next((f for f in written if f.value == fact.value), None)  # "60 ngàn tỷ" … "60.000 tỉ đồng"
            if same is not None:
                fact.unit = same.unit
                continue
            nearest = min((f for f in written if not SENTENCE_BREAK_RE.search(text, min(f.end, fact.end),
                                                                               max(f.start, fact.start))),
                          key=lambda f: f.start - fact.end if f.start >= fact.end else fact.start - f.end,
                          default=None)
            unit = self.lexicon.unit(nearest.unit) if nearest is not None else None
            if unit is not None and unit.currency and unit.currency != home:
                fact.unit = nearest.unit

    def _ends_in_scale(self, fact_text: str) -> bool:
        """Does a money fact's text end in its scale word ("12,1 triệu"), no currency written?"""
        return any(m.end() == len(fact_text) for m in self.lexicon.scale_re.finditer(fact_text))

    def longer_word(self, text: str, found: UnitAt) -> str | None:
        """A one-syllable count unit that begins a longer word ("nhà" in "nhà đầu tư", "bộ" in
        "bộ phận"): the longer word, as word segmentation reads it; else None.

        >>> scanner = QuantityScanner.for_rules()
        >>> scanner.longer_word("3 bộ phận", scanner.page("3 bộ phận").units[2])
        'bộ phận'
        """
        unit = found.unit
        if unit.kind != "count" or " " in found.written:
            return None
        syllable = NEXT_SYLLABLE_RE.match(text, found.end)
        if not syllable or not syllable.group(1)[0].islower() or syllable.group(1).lower() in self.lexicon.not_units:
            return None
        start = found.end - len(found.written)
        word = first_word(text, start)
        if word and word.startswith(found.written + " ") and word.replace(" ", "").isalpha():
            return word
        pair = self.dictionary_word(text, start, found.written)
        if pair is not None or found.written.lower() not in self.lexicon.head_units:
            return pair
        head = next_word(text, syllable.start(1))  # "nhà" + "lãnh đạo", whatever its tag
        if head is None or " " not in head[0] or not head[0].replace(" ", "").isalpha() \
                or head[0].lower() in self.lexicon.not_units or head[1] in ("Np", "CH"):
            return None
        return text[start:syllable.start(1) + len(head[0])]

    def finish(self, text: str, amount: Amount, left: Left, unit: UnitMatch, forced: str | None) -> Quantity | None:
        """Apply the look-alike guards and build the fact (qualifier and "trở lên" included).

        >>> scanner = QuantityScanner.for_rules()
        >>> text = "từ 81% trở lên"
        >>> left = scanner.read_left(text, 3)
        >>> scanner.finish(text, Amount(3, 5, Decimal(81)), left, UnitMatch("%", "percent", 6), None).text
        'từ 81% trở lên'
        """
        if (left.after_name and unit.kind not in ("percent", "money", "measure")
                and not self.lexicon.allowed_after_name(text, unit.unit, unit.end)
                and not (left.after_abbreviation and unit.from_lexicon and not _capitalised_after(text, unit.end))):
            return None  # "Quân khu 4", "Ảnh 1": a name's number
        if left.in_name and not unit.from_lexicon and not amount.scale_text:
            return None  # "Ban Chỉ đạo 751 chủ trì …": a name's number, then a verb (names have no "triệu")
        if _looks_like_year(text[amount.start:amount.end]) and (not unit.from_lexicon or _capitalised_after(text, amount.end)):
            return None  # "doanh nghiệp 2017 Thủ tướng …": a year, then a new phrase (a count writes "2.017")
        for guard in self.lexicon.guards.get(unit.unit.lower(), ()):
            if guard.before is not None and guard.before.search(text, max(0, amount.start - 20), amount.start):
                return None
            if guard.after is not None and guard.after.match(text, unit.end):
                return None
        if left.qualifier and amount.value == 1 and text[left.start:amount.start].strip().lower() in self._per_words:
            return None  # "trên một ha" / "trên 1 ha" is "per hectare", not "more than one"
        start, end, qualifier = left.start, unit.end, forced or left.qualifier
        value = amount.value
        # Literal prefixes first: a regex call per fact costs more than the rare match.
        words = self.words
        half = (words.half_re.match(text, end) if text.startswith(words.half_starts, end) and not amount.scale_text
                and unit.kind != "percent" else None)
        if half:
            value, end = value + Decimal("0.5"), half.end()  # "hai năm rưỡi": two and a half years
        suffix = words.bound_after_re.match(text, end) if text.startswith(words.bound_after_starts, end) else None
        if suffix:
            end = suffix.end()
            qualifier = words.bound_after[suffix.group(1)]
            if left.from_word is not None:
                start = left.from_word
        return Quantity(text=text[start:end], start=start, end=end, kind=unit.kind,
                        value=as_plain_number(value), unit=unit.unit, qualifier=qualifier)


_SPAN_KEY = attrgetter("start", "end")  # a C-level sort key: facts are sorted once per document


# "mỗi" anywhere earlier in the clause makes a spelled "một" one per ("Mỗi hộ được hỗ trợ một con bò").
CLAUSE_REACH = 60
CLAUSE_START = re.compile(r"[.,;:!?()\n](?=[^.,;:!?()\n]*$)")
# Between two counts of one list: a comma or "và" and at most a few words ("một người chết, hai người").
SAME_THING_REACH = 80  # characters between "một X" and another count of X that make it a count too


def _beside_a_count(text: str, fact: Quantity, facts: list[Quantity], list_gap: re.Pattern[str]) -> bool:
    """Is another count next to `fact` in one list ("một người chết, hai người bị thương",
    "mười hai huyện và một thành phố"), or a count of the same unit nearby ("10 dự án … một dự án")?

    >>> text = "Tỉnh có mười hai huyện và một thành phố."
    >>> one = Quantity("một thành phố", 26, 39, unit="thành phố", value=1)
    >>> gap = QuantityScanner.for_rules().words.list_gap_re
    >>> _beside_a_count(text, one, [Quantity("mười hai huyện", 8, 22, unit="huyện", value=12)], gap)
    True
    """
    unit = (fact.unit or "").lower()
    before = max((f for f in facts if f.end <= fact.start), key=attrgetter("end"), default=None)
    after = min((f for f in facts if f.start >= fact.end), key=attrgetter("start"), default=None)
    for other in facts:
        if other is fact or other.kind != "count":
            continue
        first, second = (other, fact) if other.end <= fact.start else (fact, other)
        if first.end > second.start:
            continue
        if (other is before or other is after) and list_gap.fullmatch(text, first.end, second.start):
            return True
        # "… là 10 dự án. Nhóm các dự án PPP là một dự án.": a count of the same thing just before.
        if other is first and second.start - first.end <= SAME_THING_REACH and (other.unit or "").lower() == unit:
            return True
    return False


def _after_number(text: str, start: int) -> bool:
    """True when the number at `start` is the next of a list ("mức độ 3, 4"), a phone number's
    next group ("0225 3842") or a range's upper bound ("2016 – 2021")."""
    window = start - 5 if start > 5 else 0
    return bool(AFTER_NUMBER_RE.search(text, window, start) or AFTER_LEVEL_RE.search(text, window, start))


def _overlapping(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> int | None:
    """The end of the span overlapping [start, end), if any (spans sorted and not nested)."""
    i = bisect.bisect_right(starts, end - 1)
    if i and spans[i - 1][1] > start:
        return spans[i - 1][1]
    return None


def _right_after(spans: list[tuple[int, int]], starts: list[int], start: int, text: str) -> bool:
    """True when a claimed span ends one space before `start`."""
    i = bisect.bisect_right(starts, start)
    return bool(i) and spans[i - 1][1] == start - 1 and text[start - 1] == " "


def _word_before(text: str, position: int, reversed_text: str) -> tuple[str, int] | None:
    """The nearest word before `position` with its start, as `_words_before(…, 1)` reads it.

    >>> _word_before("theo Ban Chỉ đạo 751", 17, "theo Ban Chỉ đạo 751"[::-1])
    ('đạo', 13)
    """
    length = len(text)
    match = _REVERSED_WORD_RE.match(reversed_text, length - position)
    if match is None:
        return None
    reversed_word = match.group(1)
    if not reversed_word[-1].isalpha():
        return None
    return reversed_word[::-1], length - match.end()


def _words_before(text: str, position: int, count: int, reversed_text: str | None = None) -> list[tuple[str, int]]:
    """Up to `count` (≤ 4) words before `position`, nearest first, each with its start; only spaces
    may separate them (punctuation ends the context). Matching the reversed text at one anchored
    position avoids scanning a window for each number.

    >>> _words_before("theo Ban Chỉ đạo 751", 17, 3)
    [('đạo', 13), ('Chỉ', 9), ('Ban', 5)]
    """
    if reversed_text is None:
        reversed_text = text[::-1]
    length = len(text)
    match = _REVERSED_WORDS_RES[count].match(reversed_text, length - position)
    words: list[tuple[str, int]] = []
    if not match:
        return words
    spans = match.regs  # every group's span in one call
    for group, reversed_word in enumerate(match.groups()[:count], start=1):
        if reversed_word is None or not reversed_word[-1].isalpha():
            break
        words.append((reversed_word[::-1], length - spans[group][1]))
    return words


# By word count: reading no more words than asked spares the regex and the loop the rest.
_REVERSED_WORDS_RES = {count: re.compile(r" +([^\W_]+)" + r"(?: +([^\W_]+))?" * (count - 1)) for count in (1, 2, 3, 4)}
_REVERSED_WORD_RE = _REVERSED_WORDS_RES[1]


def _phrase_sizes(lexicon: dict[str, str]) -> dict[str, tuple[int, ...]]:
    """For the last word of every phrase of a lexicon keyed by lower-case phrase, the word counts
    (up to 3, longest first) of the phrases it ends.

    >>> _phrase_sizes({"trên dưới": "about", "dưới": "up_to", "hơn": "more_than"})
    {'dưới': (2, 1), 'hơn': (1,)}
    """
    sizes: dict[str, set[int]] = {}
    for phrase in lexicon:
        words = phrase.split(" ")
        sizes.setdefault(words[-1], set()).add(len(words))
    return {last: tuple(sorted((n for n in counts if n <= 3), reverse=True)) for last, counts in sizes.items()}


def _phrase_at_end(words: list[tuple[str, int]], lexicon: dict[str, str],
                   sizes: tuple[int, ...] = (3, 2, 1)) -> tuple[str, int] | None:
    """The longest lexicon phrase made of the last words (nearest first), with its word count;
    `sizes` are the word counts worth trying."""
    for size in sizes:
        if len(words) >= size:
            phrase = words[0][0] if size == 1 else " ".join(w for w, _ in reversed(words[:size]))
            phrase = phrase.lower()
            if phrase in lexicon:
                return phrase, size
    return None


def _exact_unit(found: UnitAt | None) -> bool:
    return found is not None and found.unit.exact


def _glued_left(text: str, start: int) -> bool:
    if start == 0:
        return False
    before = text[start - 1]
    if before.isalnum():
        return True
    return before in GLUED_LEFT and start >= 2 and text[start - 2].isalnum()


def _skip_token(text: str, position: int) -> int:
    while position < len(text) and not text[position].isspace():
        position += 1
    return position


def _at_sentence_start(text: str, position: int) -> bool:
    i = position - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    return i < 0 or text[i] in SENTENCE_START_CHARS


def _looks_like_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2099


def _capitalised_after(text: str, end: int) -> bool:
    """The next word after `end` starts with a capital letter.

    >>> _capitalised_after("2017 Thủ tướng", 4), _capitalised_after("3 hồ sơ", 1)
    (True, False)
    """
    rest = text[end:end + 8].lstrip()
    return rest[:1].isupper()


def _widen(text: str, fact: Quantity, start: int, qualifier: str) -> Quantity:
    return Quantity(text=text[start:fact.end], start=start, end=fact.end, kind=fact.kind, value=fact.value,
                    total=fact.total, unit=fact.unit, qualifier=qualifier)
