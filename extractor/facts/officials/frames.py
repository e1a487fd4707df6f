"""Election, appointment and career frames, and the qualifiers that date a title.

Data in `rules/officials/appointment_frames.tsv` (phrase → meaning, where the post's owner is
written) and `rules/officials/title_qualifiers.tsv` ("(cũ)", "trước sáp nhập" → former/current).
A frame tells when the person holds the post it introduces: elected or appointed to it (new),
relieved of it or holding it before (former). The reader asks two questions, both over the
tokens right before a title: which frame ends there, and which frame the sentence opened with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...memo import Memo
from ...nlp import TOKEN_RE
from ...normalize import normalize_text
from ...rules_loader import Rules

# The record's `title_when` for each meaning of a frame.
WHEN_OF_MEANING = {
    "elected-to": "new",
    "appointed-to": "new",
    "nominated-for": "new",
    "relieved-of": "former",
    "held-before": "former",
}
OWNERS = frozenset({"before", "after", "none"})
# What may stand between a frame and the post it introduces: "bầu 3 Phó Chủ tịch",
# "miễn nhiệm chức vụ Phó Chủ tịch" (in the data), "từng giữ các chức vụ: Bí thư …".
_GAP_TEXTS = frozenset({":"})
# What a function or unit word does next to a post: the column "meaning" of
# rules/officials/title_words.tsv (the file explains each).
WORD_MEANINGS = frozenset({"former", "deputy", "and", "number", "of", "about", "within", "plural", "in-charge",
                           "concurrently", "holds", "sub-unit", "department", "compound", "listing",
                           "distributive"})
_AT_END = frozenset({"drop", "keep"})


@dataclass(frozen=True)
class TitleWords:
    """The words of `title_words.tsv` by meaning, and the phrases a title never ends with."""

    by_meaning: dict[str, frozenset[str]]
    dropped_at_end: tuple[tuple[str, ...], ...] = ()  # as lower-case token tuples, longest first

    def __getitem__(self, meaning: str) -> frozenset[str]:
        """The words (and phrases) that have `meaning`.

        >>> from extractor.rules_loader import load_rules
        >>> sorted(load_title_words(load_rules())["former"])
        ['cựu', 'nguyên']
        """
        return self.by_meaning.get(meaning, frozenset())


@dataclass(frozen=True)
class Frame:
    """One frame of `appointment_frames.tsv`."""

    meaning: str
    owner: str

    @property
    def when(self) -> str:
        return WHEN_OF_MEANING[self.meaning]


@dataclass(frozen=True)
class Frames:
    """The frames and title qualifiers of a rules set, keyed by their lower-case token tuples."""

    frames: dict[tuple[str, ...], Frame]
    qualifiers: dict[tuple[str, ...], tuple[str, str]]  # → (when, after)
    enders: frozenset[str]
    name_enders: frozenset[str] = frozenset()  # rules/officials/name_enders.txt: "Vì", "Nhưng"
    company_words: frozenset[str] = frozenset()  # rules/officials/company_words.txt: "Telecom", "Group"
    trade_name_bodies: frozenset[str] = frozenset()  # rules/officials/trade_name_bodies.txt: "công ty"
    name_styles: frozenset[str] = frozenset()  # rules/officials/name_styles.txt: "Sheikh", "Samdech"
    words: TitleWords = TitleWords({})  # rules/officials/title_words.tsv: "và" → and, "kiêm" → concurrently
    # The lengths of the frames ending in a word and of the qualifiers starting with one, longest
    # first: the readers ask at almost every title, and most words end no frame and start no
    # qualifier (one dictionary miss instead of a slice and a lookup per possible length).
    frame_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    qualifier_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    qualifier_end_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)  # by last word
    title_whens: dict[str, str] = field(default_factory=Memo, compare=False, repr=False)  # memo of officials.title_when

    def frame_ending_at(self, lowers: list[str], end: int, start: int = 0) -> tuple[int, Frame] | None:
        """The longest frame whose last token is right before token `end` (not before `start`).

        >>> f = load_frames(__import__("extractor.rules_loader").rules_loader.load_rules())
        >>> words = "ông A được bầu giữ chức".split()
        >>> f.frame_ending_at(words, 6)
        (2, Frame(meaning='elected-to', owner='before'))
        """
        if end <= start:
            return None
        for length in self.frame_lengths.get(lowers[end - 1], ()):
            if length <= end - start:
                frame = self.frames.get(tuple(lowers[end - length:end]))
                if frame is not None:
                    return end - length, frame
        return None

    def frame_before_post(self, lowers: list[str], post: int, start: int = 0,
                          count_before: bool = False) -> tuple[int, Frame] | None:
        """The frame introducing the post at token `post`: right before it, or before a count or a
        colon ("bầu 3 Phó Chủ tịch", "từng giữ các chức vụ: …"); `count_before` says that the token
        before the post is a number."""
        end = post
        if end - 1 >= start and (count_before or lowers[end - 1] in _GAP_TEXTS):
            end -= 1
        return self.frame_ending_at(lowers, end, start)

    def frame_in_sentence(self, lowers: list[str], start: int, end: int) -> Frame | None:
        """The last frame in tokens [start, end) that marks posts given later with a link word
        ("Trước khi được bầu, ông A là …", "điều động, chỉ định ông Y giữ chức …")."""
        for stop in range(end, start, -1):
            found = self.frame_ending_at(lowers, stop, start)
            if found is not None and found[1].owner != "before":
                # a frame about the subject's own post ("ứng cử viên …", "được bầu …") says
                # nothing of a post given later with "là"/"làm"
                return found[1]
        return None

    def qualifier_at(self, lowers: list[str], k: int) -> tuple[int, str, str] | None:
        """The longest qualifier starting at token `k`: (its end, when, after).

        >>> f = load_frames(__import__("extractor.rules_loader").rules_loader.load_rules())
        >>> f.qualifier_at(["tỉnh", "(", "cũ", ")", ","], 1)
        (4, 'former', 'any')
        """
        if k >= len(lowers):
            return None
        for length in self.qualifier_lengths.get(lowers[k], ()):
            if length <= len(lowers) - k:
                found = self.qualifiers.get(tuple(lowers[k:k + length]))
                if found is not None:
                    return (k + length,) + found
        return None

    def qualifier_when(self, title: str) -> str | None:
        """The when of a qualifier a title ends with ("Chủ tịch UBND tỉnh Bình Định (cũ)" → former).

        >>> f = load_frames(__import__("extractor.rules_loader").rules_loader.load_rules())
        >>> f.qualifier_when("Bí thư Tỉnh ủy Tuyên Quang mới"), f.qualifier_when("Bí thư Tỉnh ủy")
        ('current', None)
        """
        words = TOKEN_RE.findall(title.lower())  # the title is record text: normalized already
        if not words:
            return None
        for length in self.qualifier_end_lengths.get(words[-1], ()):
            if length <= len(words) - 1:
                found = self.qualifiers.get(tuple(words[-length:]))
                if found is not None:
                    return found[0]
        return None


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(TOKEN_RE.findall(normalize_text(phrase).lower()))


def load_frames(rules: Rules) -> Frames:
    """The frames of a rules set (built once, cached on the Rules); a bad row fails loudly.

    >>> from extractor.rules_loader import load_rules
    >>> load_frames(load_rules()).frames[("thôi", "giữ", "chức")].when
    'former'
    """
    return rules.cached("officials:frames", lambda: _build_frames(rules))


def _build_frames(rules: Rules) -> Frames:
    frames: dict[tuple[str, ...], Frame] = {}
    for row in rules.tsv("officials/appointment_frames.tsv"):
        if not row or not row[0].strip():
            continue
        if len(row) < 3 or row[1].strip() not in WHEN_OF_MEANING or row[2].strip() not in OWNERS:
            raise ValueError(f"rules/officials/appointment_frames.tsv: bad row {row!r} (phrase, meaning in "
                             f"{sorted(WHEN_OF_MEANING)}, owner in {sorted(OWNERS)})")
        frames[_words(row[0])] = Frame(row[1].strip(), row[2].strip())
    qualifiers: dict[tuple[str, ...], tuple[str, str]] = {}
    for row in rules.tsv("officials/title_qualifiers.tsv"):
        if not row or not row[0].strip():
            continue
        if len(row) < 3 or row[1].strip() not in ("former", "current") or row[2].strip() not in ("place", "any"):
            raise ValueError(f"rules/officials/title_qualifiers.tsv: bad row {row!r} "
                             "(phrase, when in former/current, after in place/any)")
        qualifiers[_words(row[0])] = (row[1].strip(), row[2].strip())
    return Frames(
        frames=frames, qualifiers=qualifiers,
        enders=frozenset(normalize_text(w).lower() for w in rules.lines("officials/title_enders.txt")),
        name_enders=frozenset(normalize_text(w).lower() for w in rules.lines("officials/name_enders.txt")),
        company_words=frozenset(normalize_text(w).lower() for w in rules.lines("officials/company_words.txt")),
        trade_name_bodies=frozenset(normalize_text(w).lower() for w in rules.lines("officials/trade_name_bodies.txt")),
        name_styles=frozenset(normalize_text(w).lower() for w in rules.lines("officials/name_styles.txt")),
        words=load_title_words(rules),
        frame_lengths=_lengths_by(frames, -1), qualifier_lengths=_lengths_by(qualifiers, 0),
        qualifier_end_lengths=_lengths_by(qualifiers, -1),
    )


def _lengths_by(phrases: dict[tuple[str, ...], object], which: int) -> dict[str, tuple[int, ...]]:
    """The lengths of the phrases by their first (`which` 0) or last (-1) word, longest first.

    >>> _lengths_by({("a", "b"): 1, ("b",): 2, ("c", "a", "b"): 3}, -1)
    {'b': (3, 2, 1)}
    """
    lengths: dict[str, set[int]] = {}
    for phrase in phrases:
        if phrase:
            lengths.setdefault(phrase[which], set()).add(len(phrase))
    return {word: tuple(sorted(found, reverse=True)) for word, found in lengths.items()}


def load_title_words(rules: Rules) -> TitleWords:
    """`rules/officials/title_words.tsv` by meaning (built once, cached on the Rules); a bad row fails loudly."""
    return rules.cached("officials:title_words", lambda: _build_title_words(rules))


def _build_title_words(rules: Rules) -> TitleWords:
    by_meaning: dict[str, set[str]] = {}
    dropped: set[tuple[str, ...]] = set()
    for row in rules.tsv("officials/title_words.tsv"):
        if not row or not row[0].strip():
            continue
        if len(row) < 3 or row[1].strip() not in WORD_MEANINGS or row[2].strip() not in _AT_END:
            raise ValueError(f"rules/officials/title_words.tsv: bad row {row!r} (word, meaning in "
                             f"{sorted(WORD_MEANINGS)}, at_end in {sorted(_AT_END)})")
        words = _words(row[0])
        by_meaning.setdefault(row[1].strip(), set()).add(" ".join(words))
        if row[2].strip() == "drop":
            dropped.add(words)
    return TitleWords(by_meaning={meaning: frozenset(words) for meaning, words in by_meaning.items()},
                      dropped_at_end=tuple(sorted(dropped, key=lambda words: (-len(words), words))))
