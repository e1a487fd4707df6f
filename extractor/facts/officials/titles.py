"""Reading one position ("Chủ tịch UBND TP Cần Thơ") and the name that may follow it.

A title is a position head from `rules/officials/titles.txt`, optionally "nguyên" before it,
then an organization part built from organization words, administrative units with their
place, abbreviations, capitalized names, continuation words ("thường trực", "nhân dân") and a
few connectors ("và", "thuộc", "tại", a parenthesized abbreviation). It ends at punctuation, a
verb or another position — or where a person's name starts. That last boundary is the hard
one ("… TP Vĩnh Long Hồ Quang Thái"): a run of capitalized syllables is split into a place
or organization name and a personal name that starts with a family name, using the place
gazetteer first and the usual lengths of Vietnamese place names (2 syllables) and personal names
(3, else 2 or 4) after that. A foreign name has no family name we know: two capitalized words
that no Vietnamese syllable spells ("Hoa Kỳ Susan Burns") count as a name right after the post or
a known country. A body named by a verb ("Cục Quản lý", "Chi cục Kiểm lâm") takes its lower-case
object ("chất lượng", "vùng II") by underthesea's word classes, asked only there. After a comma,
the unit one level above the post's last one stays in it ("Trưởng ấp Phú Lợi, xã Tân Phú").
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from ...nlp import segment_words, tag_words
from ...progress import advanced
from ..quantities.segment import dictionary_pairs

from .frames import Frames, load_frames
from .lexicon import (ADMIN, CONTINUATION, END, HEAD, HONORIFIC, IS_ABBREVIATION, IS_LOWER, IS_NEWLINE, IS_WORD,
                      IS_NUMBER, IS_TITLECASE, LINK, LOWER, ORG_DESCRIBED, ORG_FULL, ORG_LABELS, ORG_NAMED,
                      ORG_NAMESAKE, ORG_PLACE, PLACE, RANK, ROLE, START, TEXT, Lexicon, TokenView, load_lexicon,
                      role_end)



class Part(enum.Enum):
    """The state of the walk over a title's organization part: what it read last."""

    NONE = "none"            # nothing yet (an organization read on its own)
    HEAD = "head"            # the position head ("Giám đốc")
    ORG = "org"              # an organization word ("Sở", "Công ty")
    ORG_PLACE = "org_place"  # an organization word its place follows ("UBND", "Tỉnh ủy")
    ADMIN = "admin"          # an administrative unit word ("tỉnh", "huyện", "TP")
    CONT = "cont"            # a continuation word ("thường trực", "nhân dân")
    ABBREV = "abbrev"        # an abbreviation ("CP", "NN&PTNT")
    ORGNAME = "orgname"      # an organization's own name ("Du lịch", "Quản lý chất lượng")
    PLACE = "place"          # a place's name or number ("Vĩnh Long", "quận 1")


class Context(str, enum.Enum):
    """How a name may follow the last organization or unit word (how long its place part runs)."""

    OPEN = "open"            # a personal name may follow at once: "Bộ Công an Vũ Đình Khang"
    ADMIN = "admin"          # a place comes first: "quận Đồ Sơn", "TP Huế"
    NAMED = "named"          # the body's own name comes first: "Sở Nội vụ …"
    NAMESAKE = "namesake"    # the body is named after a person: "Trường THPT Lê Quý Đôn"


class Kind(enum.IntEnum):
    """What the token at the walk's position is, for the walk (each kind has one handler)."""

    END = 0            # punctuation, a verb, a new post, a rank, an honorific, a photo credit
    UNIT = 1           # an administrative unit word
    BODY = 2           # an organization word
    FOREIGN_NAME = 3   # a one-word country, then a foreign name ("Anh Theresa May")
    CONTINUATION = 4   # a continuation word
    ABBREVIATION = 5
    CAPITALIZED = 6    # a run of capitalized syllables: a place, a name, or both
    NUMBER = 7
    LOWER = 8          # a lower-case word: a joining word or the end
    BRACKET = 9        # "("
    DASH = 10          # "-", "–"
    COMMA = 11
    STYLE = 12         # a style written before a foreign name ("Datuk Seri", "Sheikh")


# The members as module names for the walk, which reads them at every token: CPython 3.11 reads an
# enum's member through its metaclass's __getattr__ hook, at about five times a global's cost.
_S_NONE, _S_HEAD, _S_ORG, _S_ORG_PLACE, _S_ADMIN, _S_CONT, _S_ABBREV, _S_ORGNAME, _S_PLACE = Part
_C_OPEN, _C_ADMIN, _C_NAMED, _C_NAMESAKE = Context
(_K_END, _K_UNIT, _K_BODY, _K_FOREIGN_NAME, _K_CONTINUATION, _K_ABBREVIATION, _K_CAPITALIZED, _K_NUMBER, _K_LOWER,
 _K_BRACKET, _K_DASH, _K_COMMA, _K_STYLE) = Kind
_NUMBERED = (_S_ORG, _S_ORG_PLACE, _S_ORGNAME, _S_ADMIN)  # states a number goes on after: "Ban Chỉ đạo 751", "quận 1"
_OWNED = (_S_ORG, _S_ORGNAME, _S_CONT, _S_HEAD)  # states "của" + the owning body goes on after
_NAMING = (_S_ORGNAME, _S_CONT, _S_HEAD)  # states a body's own name may follow
# "&" joins two halves of one name like a spaced dash ("Sở Văn hóa, Thể thao & Du lịch")
_MARK_KINDS = {"(": Kind.BRACKET, "-": Kind.DASH, "–": Kind.DASH, "&": Kind.DASH, ",": Kind.COMMA}
_TRAILING_MARKS = frozenset({",", "-", "–"})  # a title never ends with these (nor with title_words.tsv's "drop")
# How many syllables a place part takes, in order of preference, after each kind of word.
_PLACE_LENGTHS = {
    Context.ADMIN: (2, 1, 0, 3, 4, 5),     # "quận Đồ Sơn", "TP Huế", "UBND huyện Phạm Minh Hà" (no place)
    Context.NAMED: (2, 1, 0, 3, 4, 5),     # an organization's own name comes first: "Sở Nội vụ …"
    Context.NAMESAKE: (2, 3, 1, 4, 5),     # "Trường THPT Lê Quý Đôn": a person's name IS its name
    Context.OPEN: (0, 1, 2, 3, 4, 5),      # "Bộ Công an Vũ Đình Khang", "Thành ủy Huế Đoàn Thế Lộc"
}
MAX_NAME = 4
_UNSET = object()  # a memo's "not asked yet" (None is a real answer)
_NO_ORG: tuple[None, None] = (None, None)
_CONTEXT_OF = {ORG_NAMED: Context.NAMED, ORG_DESCRIBED: Context.NAMED, ORG_NAMESAKE: Context.NAMESAKE}
# The meanings (rules/officials/title_words.tsv) of the function words allowed inside a described
# body's task when more of the task follows ("phòng, chống … và …", "về", "các").
_JOINER_MEANINGS = ("and", "about", "plural")
# underthesea's word classes an object of a body's name is made of: nouns, adjectives, numerals,
# with "và" (C) and "các" (L) between them.
_OBJECT_TAGS = frozenset({"N", "Np", "Nc", "Nu", "A", "M", "C", "L"})
_APOSTROPHES = frozenset({"'", "’"})
_MAX_LOWER_NAME = 8  # lower-case words a body's name may start with before its capitalized part
_ROMAN_RE = re.compile(r"[IVX]{1,4}")


# A Vietnamese syllable without its tone and vowel marks: onset, one to three vowels, a coda.
_VIETNAMESE_SYLLABLE_RE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
                                     r"[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")


@lru_cache(maxsize=4096)
def is_foreign_word(word: str) -> bool:
    """True when a capitalized word cannot be one Vietnamese syllable ("Takio", "Burns", "John").

    >>> is_foreign_word("Yamada"), is_foreign_word("Susan"), is_foreign_word("Nguyễn"), is_foreign_word("Kim")
    (True, True, False, False)
    """
    bare = "".join(c for c in unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
                   if not unicodedata.combining(c))
    return bare.isalpha() and bare.isascii() and _VIETNAMESE_SYLLABLE_RE.fullmatch(bare) is None


# Letters only Vietnamese writes (ă â ê ô ơ ư đ ĩ ũ and the Latin Extended Additional block): a word
# without them may be a foreign name part written with its own marks ("António", "Hernández").
_VIETNAMESE_ONLY_RE = re.compile("[ăâêôơưđĩũ\u1ea0-\u1ef9]")


def foreign_letters(word: str) -> bool:
    """Plain letters, or a foreign spelling with marks Vietnamese does not use alone ("António").

    >>> foreign_letters("Guterres"), foreign_letters("António"), foreign_letters("Krông"), foreign_letters("Thái")
    (True, True, False, False)
    """
    return word.isascii() or (is_foreign_word(word) and not _VIETNAMESE_ONLY_RE.search(word.lower()))


@dataclass(slots=True)
class _Walk:
    """Where the walk over an organization part is and what it knows (see `read_complement`)."""

    j: int                  # the token the walk is at
    title_start: int
    name_min: int           # the fewest syllables a personal name after the title may have
    context: Context
    last: Part              # the state
    segment: bool           # may cut a capitalized run by underthesea's word segmentation
    foreign: bool           # a foreign name may end the run
    described: bool         # the last body is named by its task ("Ban Chỉ đạo …")
    purposeful: bool        # a steering committee or council: its "về …" purpose stays
    has_part: bool          # the walk read an organization part
    lower_name: bool = False  # the last body's name started in lower case ("Cục quản lý Khám, chữa bệnh")
    name_from: int = -1     # where its capitalized part starts
    end: int = 0            # the end of the unit, body, continuation or name `_kind` found at `j`
    label: str | None = None  # the kind of that body
    found: tuple[int, tuple[int, int]] | None = None  # (end, name) when a personal name ends the walk


class Lowers(Sequence):
    """The lower case of each token, as a read-only list: the frames ask a few positions of a
    document (the words right before a post, after a body), so none is copied out ahead.

    >>> lowers = Lowers([(0, 2, "Bí", "bí"), (3, 6, "Thư", "thư")])
    >>> len(lowers), lowers[1], lowers[-1], lowers[0:2], list(lowers)
    (2, 'thư', 'thư', ['bí', 'thư'], ['bí', 'thư'])
    """

    __slots__ = ("_tokens",)

    def __init__(self, tokens: list[tuple]):
        self._tokens = tokens

    def __len__(self) -> int:
        return len(self._tokens)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return list(map(itemgetter(LOWER), self._tokens[k]))
        return self._tokens[k][LOWER]


@dataclass
class TitleRead:
    """A title read at token `start` (inclusive) to `end` (exclusive); `name` = the name after it."""

    start: int
    end: int
    name: tuple[int, int] | None = None


class TitleReader:
    """Reads titles and organization parts over one document's `TokenView`."""

    def __init__(self, view: TokenView, lexicon: Lexicon, frames: Frames | None = None):
        self.view = view
        self.tokens = view.tokens
        self.lexicon = lexicon
        if frames is None:
            from ...rules_loader import load_rules

            frames = load_frames(load_rules())
        self.frames = frames  # rules/officials/appointment_frames.tsv, title_qualifiers.tsv, title_words.tsv
        words = frames.words
        self.former = words["former"]  # "nguyên", "cựu": kept in the title
        self._deputy, self._compounds = words["deputy"], words["compound"]
        # what depends on the rules alone is built once per rules set (`_word_tables`)
        self._joiners, self._and_words, self._dropped_last, self._joining = _word_tables(frames)
        self._lowers: Lowers | None = None
        self._joining_end = 0  # where the joining phrase `_joining_at` found last ends
        # Officials, organizations and locations ask the same questions about the same tokens.
        self._heads: dict[int, int | None] = {}
        self._orgs: dict[int, tuple[int | None, str | None]] = {}
        self._runs: dict[int, int] = {}
        self._complements: dict[int, tuple[int, tuple[int, int] | None]] = {}
        # Most tokens start no head and no organization: a set lookup answers for them before
        # any memo or method call (the sets may hold more, the full check decides those).
        heads, tokens, former, positions = view.positions.get(HEAD, ()), self.tokens, self.former, view.positions
        self._may_head = {*heads, *[k - 1 for k in heads if k and tokens[k - 1][LOWER] in former]}
        self.may_org = {k for label in ORG_LABELS for k in positions.get(label, ())
                        if tokens[k][TEXT][:1].isupper()}  # the only tokens `org_at` may answer

    @classmethod
    def from_text(cls, text: str) -> "TitleReader":
        """A reader over a bare text with the shipped rules (for examples and experiments).

        >>> TitleReader.from_text("Chủ tịch UBND tỉnh").tokens[2][TEXT]
        'UBND'
        """
        from ...document import Document
        from ...rules_loader import load_rules

        rules = load_rules()
        return cls.for_document(Document(text=text, rules=rules), load_lexicon(rules))

    @classmethod
    def for_document(cls, document, lexicon: Lexicon) -> "TitleReader":
        """The reader of a document, shared by the three components (built once per document)."""
        reader = document.title_reader
        if reader is None:
            reader = document.title_reader = cls(document.token_view, lexicon, load_frames(document.rules))
        return reader

    @property
    def lowers(self) -> "Lowers":
        """The tokens in lower case (for the frames and qualifiers), read where asked."""
        if self._lowers is None:
            self._lowers = Lowers(self.tokens)
        return self._lowers

    # -- heads -----------------------------------------------------------------------------------
    def head_end(self, i: int) -> int | None:
        """End of the position head at `i` ("nguyên" included), or None when none starts there.

        >>> r = TitleReader.from_text("nguyên Phó Giám đốc Sở Y tế; tăng trưởng")
        >>> r.head_end(0), r.head_end(9)
        (4, None)
        """
        if i not in self._may_head:
            return None
        end = self._heads.get(i, _UNSET)  # a miss is the common case: no KeyError to raise
        if end is _UNSET:
            end = self._heads[i] = self._head_end(i)
        return end

    def _head_end(self, i: int) -> int | None:
        j = i + 1 if i < len(self.tokens) and self.tokens[i][LOWER] in self.former else i
        hits = self.view.hits
        if not 0 <= j < len(hits):
            return None
        end = hits[j].get(HEAD)
        if end is None:
            return None
        if j > 0 and self.tokens[j][IS_LOWER] and self.tokens[j][LOWER] in self._deputy \
                and f"{self.tokens[j - 1][LOWER]} {self.tokens[j][LOWER]}" in self._compounds:
            return None  # "chính quyền Tổng thống …": "quyền" ends a word here, it is no "acting" post
        for k in range(j + 1, end):  # "Giám đốc Sở" + "Sở Văn hóa, Thể thao và Du lịch": the longer
            if k not in self.may_org:  # organization wins, the head stops before it
                continue
            org_end = self.org_at(k)[0]
            if org_end is not None and org_end > end:
                end = k
                break
        first = self.tokens[j]
        # A lower-case one-syllable head is an ordinary word ("tăng trưởng", "thủ trưởng đơn vị")
        # unless an organization follows ("trưởng Ban pháp chế").
        if end - j == 1 and not (first[IS_TITLECASE] or first[IS_ABBREVIATION]) and self.org_at(end)[0] is None:
            return None
        return end

    def read(self, i: int, name_min: int = 2) -> TitleRead | None:
        """Read a title at token `i`; also find a personal name right after it (≥ name_min syllables).

        >>> from extractor.document import Document
        >>> from extractor.rules_loader import load_rules
        >>> from extractor.facts.officials.lexicon import load_lexicon, token_view
        >>> d = Document(text="Chủ tịch UBND TP Vĩnh Long Hồ Quang Thái phát biểu", rules=load_rules())
        >>> view = token_view(d)
        >>> r = TitleReader(view, load_lexicon(d.rules)).read(0)
        >>> view.span_text(r.start, r.end), view.span_text(*r.name)
        ('Chủ tịch UBND TP Vĩnh Long', 'Hồ Quang Thái')
        """
        head = self.head_end(i)
        if head is None:
            return None
        context, last, described = _C_OPEN, _S_HEAD, False
        hits = self.view.hits
        for k in range(i, head):  # a head that ends in an organization word: "Giám đốc Sở"
            org_end, org_label = self.org_at(k) if k in self.may_org else _NO_ORG
            if org_end == head:
                context = _CONTEXT_OF.get(org_label, _C_OPEN)
                last = _S_ORG_PLACE if org_label == ORG_PLACE else _S_ORG
                described = org_label == ORG_DESCRIBED
                if described:
                    head = self._description_end(head)
                break
            if k > i and hits[k].get(ORG_DESCRIBED) == head:
                head = self._description_end(head)  # "Trưởng ban Quản lý các khu công nghiệp tỉnh"
                break
        end, name = self.read_complement(head, name_min=name_min, context=context, last=last,
                                         segment=name_min <= 2, described=described,
                                         foreign=name_min <= 3)  # "…, Thủ tướng Anh Theresa May"
        return TitleRead(i, self.trim(i, end), name)

    # -- organization part -----------------------------------------------------------------------
    def organization_at(self, j: int) -> tuple[int, tuple[int, int] | None]:
        """`read_complement(j)` of an organization at `j`, read once: officials and organizations
        both ask it of the same bodies.

        >>> TitleReader.from_text("UBND tỉnh Lò Văn Hùng").organization_at(0)
        (2, (2, 5))
        """
        found = self._complements.get(j)
        if found is None:
            found = self._complements[j] = self.read_complement(j)
        return found

    def read_complement(self, j: int, name_min: int = 2, context: "Context | str" = Context.OPEN,
                        last: "Part | str" = Part.NONE,
                        segment: bool = False, described: bool = False,
                        foreign: bool | None = None) -> tuple[int, tuple[int, int] | None]:
        """Walk an organization part from token `j`; return its end and a name found after it.

        A state machine: the state is what the walk read last (`Part`), the token at the walk's
        position is classified (`Kind`, by `_kind`) and its kind's handler moves the walk on or
        ends it. With `segment`, a capitalized run the lexicons cannot split (a foreign name after a
        country: "Đại sứ Pháp Olivier Brochet dự") is cut by underthesea's word segmentation.
        With `foreign` (default: `segment`), a foreign name may end the run ("Thủ tướng Anh
        Theresa May", "Ursula von der Leyen").

        >>> TitleReader.from_text("Sở Văn hóa, Thể thao và Du lịch Đặng Thu Trang").read_complement(0)
        (9, (9, 12))
        """
        if not isinstance(last, Part):
            last = Part(last)
        if not isinstance(context, Context):
            context = Context(context)
        # j, title_start, name_min, context, last, segment, foreign, described, purposeful (a steering
        # committee or council: "… về phòng, chống tham nhũng"), has_part
        walk = _Walk(j, j, name_min, context, last, segment, segment if foreign is None else foreign, described,
                     described, last is _S_ORG or last is _S_ORG_PLACE)
        n = len(self.tokens)
        previous = j - 1
        handlers = self._HANDLERS
        while walk.j < n:
            if walk.j <= previous:  # every turn moves the walk forward (`progress.advanced`; the budget
                advanced(previous, walk.j, "title reader")  # is checked by the reader that asks)
            previous = walk.j
            if not handlers[self._kind(walk)](self, walk):
                break
        if walk.found is not None:
            return walk.found
        if walk.has_part and walk.j < n:
            return self._qualified(walk.j, walk.last, name_min)
        return walk.j, None

    def _kind(self, walk: "_Walk") -> "Kind":
        """What the token at the walk's position is, for the walk; the end of the unit, body,
        continuation or foreign name it starts goes to `walk.end`. The order of the questions is
        the order of precedence (a unit word over a body word, a body word over a name, …)."""
        tokens, n, j = self.tokens, len(self.tokens), walk.j
        tok, hits = tokens[j], self.view.hits[j]  # 0 <= j < n: the hits of token j, read directly
        if tok[IS_NEWLINE]:
            return _K_END
        if tok[LOWER] in self.frames.enders and not tok[IS_LOWER] and j + 1 < n and tokens[j + 1][TEXT] == ":":
            return _K_END  # "… UBND TP.HCM ẢNH: …": a photo credit, not the body's name
        if hits:  # a unit or body word needs a lexicon hit (most tokens here have none)
            admin = hits.get(ADMIN)  # `admin_end`, the index being a token's
            if admin is not None:
                admin = self._unit_end(admin)
            if admin is not None and (hits.get(CONTINUATION) or 0) > admin and admin < n and tokens[admin][IS_LOWER]:
                admin = None  # "Thương binh và Xã hội": a name's word, not the commune "xã"
            org_end, org_label = self.org_at(j) if j in self.may_org else _NO_ORG
            if org_end == j + 1 and org_label in (ORG_NAMED, ORG_NAMESAKE) and self.looks_like_person(j):
                org_end = org_label = None  # "Đoàn Ngọc Hòa": a family name, not "Đoàn" the body
            if org_label == ORG_NAMED and walk.context is _C_NAMED and (hits.get(CONTINUATION) or 0) > org_end:
                org_end = org_label = None  # "Tổng cục" + "Phòng, chống thiên tai": its name, not "Phòng"
            if admin is not None and (org_end is None or admin > org_end):
                walk.end = admin
                return _K_UNIT
            if org_end is not None:
                walk.end, walk.label = org_end, org_label
                return _K_BODY
        if walk.foreign and walk.last is _S_HEAD and tok[IS_TITLECASE] and j + 1 < n and hits.get(PLACE) is None:
            name_end = self.foreign_run_end(j + 1, self.name_run_end(j + 1))
            if 2 <= name_end - j - 1 <= MAX_NAME and self.is_foreign_name(j + 1, name_end) \
                    and not is_foreign_word(tok[TEXT]):
                walk.end = name_end
                return _K_FOREIGN_NAME  # "Thủ tướng Anh Theresa May": one word of country, then the name
        if tok[LOWER] in self.frames.name_styles and walk.has_part:
            return _K_STYLE  # "Thủ tướng Malaysia Datuk Seri …": a style opens the name (name_styles.txt)
        if hits and (hits.get(RANK) or (hits.get(HONORIFIC) and hits.get(PLACE) is None)) \
                or (walk.has_part and self.head_end(j)):
            return _K_END
        cont = hits.get(CONTINUATION) if hits else None
        if cont is not None:
            walk.end = cont
            return _K_CONTINUATION
        if tok[IS_ABBREVIATION]:
            return _K_ABBREVIATION
        if tok[IS_TITLECASE]:
            return _K_CAPITALIZED
        if tok[IS_NUMBER]:
            return _K_NUMBER
        if tok[IS_LOWER]:
            return _K_LOWER
        return _MARK_KINDS.get(tok[TEXT], _K_END)

    # -- one handler per kind of token: move the walk on (True) or end it (False) ------------------
    def _on_end(self, walk: "_Walk") -> bool:
        """Punctuation, a verb, a new post, a rank or an honorific: the title ends before it."""
        return False

    def _on_unit(self, walk: "_Walk") -> bool:
        """An administrative unit word ("tỉnh", "huyện", "TP"): its place may follow."""
        walk.j, walk.context, walk.last, walk.has_part = walk.end, _C_ADMIN, _S_ADMIN, True
        return True

    def _on_body(self, walk: "_Walk") -> bool:
        """An organization word ("Sở", "UBND", "Ban Chỉ đạo"): its name, place or task may follow."""
        label = walk.label
        walk.j, walk.has_part = walk.end, True
        walk.described = label == ORG_DESCRIBED
        if walk.described:
            walk.purposeful = True
            walk.j = self._description_end(walk.j)
        walk.context = _CONTEXT_OF.get(label, _C_OPEN)
        walk.last = _S_ORG_PLACE if label == ORG_PLACE else _S_ORG
        return True

    def _on_foreign_name(self, walk: "_Walk") -> bool:
        """A one-word country, then a foreign name: the name is the title's person."""
        walk.found = walk.j + 1, (walk.j + 1, walk.end)
        return False

    def _on_style(self, walk: "_Walk") -> bool:
        """Styles, then a foreign name: the title ends before the styles, the name is its person's."""
        tokens, n = self.tokens, len(self.tokens)
        k = walk.j
        while k < n and k - walk.j < 3 and tokens[k][LOWER] in self.frames.name_styles and tokens[k][IS_TITLECASE]:
            k += 1
        end = self.foreign_run_end(k, self.name_run_end(k))
        if walk.name_min <= end - k <= MAX_NAME and all(tokens[m][IS_TITLECASE] or tokens[m][IS_LOWER]
                                                         for m in range(k, end)):
            walk.found = walk.j, (k, end)
        return False

    def _on_continuation(self, walk: "_Walk") -> bool:
        """A lower-case word that goes on inside a title ("thường trực", "nhân dân"); written with a
        capital right after a body's word, it is the body's own name ("Bộ Giao thông"), as a run of
        capitals would be: a country and a foreign name may follow ("… Singapore Khaw Boon Wan")."""
        if walk.context is _C_NAMED and self.tokens[walk.j][IS_TITLECASE]:
            walk.context = _C_OPEN
        walk.j, walk.last, walk.has_part = walk.end, _S_CONT, True
        return True

    def _on_abbreviation(self, walk: "_Walk") -> bool:
        """"Công ty CP Xây dựng": an abbreviation inside a name keeps the name going."""
        tokens, n = self.tokens, len(self.tokens)
        j = walk.j + 1
        while j + 1 < n and tokens[j][TEXT] in ("&", "-") and tokens[j - 1][END] == tokens[j][START] \
                and tokens[j][END] == tokens[j + 1][START] and tokens[j + 1][IS_ABBREVIATION]:
            j += 2  # "Bộ NN&PTNT", "Bộ VH-TT&DL": one abbreviated name
        walk.j, walk.last, walk.has_part = j, _S_ABBREV, True
        if walk.context is _C_ADMIN:
            walk.context = _C_OPEN
        return True

    def _on_capitalized(self, walk: "_Walk") -> bool:
        """A run of capitalized syllables: a place or a body's own name, a person's name after it,
        or both ("TP Vĩnh Long Hồ Quang Thái")."""
        tokens, n, j = self.tokens, len(self.tokens), walk.j
        hits = self.view.hits[j]
        run_end = self.name_run_end(j)
        if walk.foreign:
            if run_end < n and tokens[run_end][TEXT] == "-":  # the run's last word may be hyphenated
                name = self._transcribed_name(walk, run_end - 1)
                if name is not None:
                    walk.found = name[0], name
                    return False
            run_end = self.foreign_run_end(j, run_end)
        if walk.segment and walk.last is _S_HEAD and run_end == j + 1 and not hits \
                and not (j + 1 < n and (tokens[j + 1][IS_TITLECASE] or tokens[j + 1][IS_ABBREVIATION])) \
                and self.view.hit(j - 1, ORG_NAMED) != j \
                and not self._field_word(j):  # "Trưởng ban Quản lý …" names its board
            return False  # "Thứ trưởng Hùng …": a bare post, then a given name
        if walk.last is _S_HEAD and run_end == j + 1 and any(hits.get(label) == run_end for label in ORG_LABELS):
            k = self._lower_name_end(run_end)  # "Cục trưởng Cục quản lý Khám …": the post's body, its
            if k is not None:                  # name written from a lower-case word
                walk.j, walk.last, walk.context, walk.has_part = k, _S_ORGNAME, _C_NAMED, True
                walk.lower_name, walk.name_from = True, k
                return True
        if walk.lower_name and walk.name_from == j:
            name = self._name_after_lower_name(walk, run_end)
        else:
            name = self.split_name(j, run_end, walk.context, walk.name_min,
                                   foreign=walk.foreign and not (walk.last is _S_ORGNAME and self._trade_name_goes_on(walk)))
        if name is None and walk.segment:
            name = self.segmented_name(j, run_end)
        if name is not None:
            walk.found = name[0], name
            return False
        # The run is an organization's own name ("Du lịch", "Pháp chế"), whose lower-case
        # second syllable follows, unless it is a place (after "tỉnh", "Thành ủy", known).
        # Only a one-syllable run takes a lower-case second syllable: "Tân Tiến ký …" is a
        # full name followed by a verb.
        last = walk.last
        is_place = hits.get(PLACE) is not None or walk.context is _C_ADMIN or last is _S_ORG_PLACE \
            or run_end - j > 1
        walk.j, walk.has_part = run_end, True
        if not is_place and ((walk.context is _C_NAMED or walk.context is _C_NAMESAKE)
                             or last in _NAMING
                             or self.tokens[j - 1][LOWER] in self._and_words and self._field_word(j)):
            # the second field of a body after "và": "Bộ Ngoại giao và Thương mại Australia …"
            walk.j = self._compound(run_end)
            if walk.described:
                walk.j = self._description_end(walk.j)  # "Trung tâm Phát triển quỹ đất thành phố"
            elif walk.j > j + 1:
                walk.j = self._object_end(j, walk.j)  # "Cục Quản lý chất lượng"
            walk.last = _S_ORGNAME
        else:
            walk.last = _S_PLACE
        walk.context = _C_OPEN
        return True

    def _transcribed_name(self, walk: "_Walk", start: int) -> tuple[int, int] | None:
        """A name written in hyphen-joined syllables ("Thoong-lun Xi-xu-lít", "Ô-đay Su-đạ-phon": Lao
        and Khmer names, foreign names transcribed) from `start`, the first hyphenated word of the
        capitalized run at the walk: right after the post, or after the body or place the title
        names. Vietnamese names have no hyphens."""
        j = walk.j
        if start - j > 4 or not self._hyphenated_word(start) or (
                start > j and not walk.has_part and self.view.hit(j, PLACE) != start):
            return None  # after the post, a body or a known place ("Thủ tướng Lào Thoong-lun …")
        if start == j and walk.context is _C_ADMIN:
            start = self._hyphenated_word_end(j)  # "tỉnh Xa-van-na-khệt …": the unit's place comes first
        end = self.hyphenated_name_end(start)
        return (start, end) if end > start else None

    def _hyphenated_word(self, k: int) -> bool:
        """A capitalized syllable at `k` with a lower-case one glued to it by a hyphen ("Xi-xu-lít")."""
        tokens = self.tokens
        return k + 2 < len(tokens) and tokens[k][IS_TITLECASE] and tokens[k + 1][TEXT] == "-" \
            and self._glued_hyphen(k + 1) and tokens[k + 2][IS_LOWER]

    def hyphenated_name_end(self, k: int) -> int:
        """End of two to four hyphenated words from `k` that no lexicon claims (a name), else `k`.

        >>> TitleReader.from_text("Ô-đay Su-đạ-phon tiếp đoàn; Cam-pu-chia").hyphenated_name_end(0)
        8
        """
        hits = self.view.hits
        end, words = k, 0
        while words < MAX_NAME and self._hyphenated_word(end) and not hits[end]:
            end, words = self._hyphenated_word_end(end), words + 1
        return end if words >= 2 else k

    def _hyphenated_word_end(self, k: int) -> int:
        """End of the word at `k` with the lower-case syllables glued to it by hyphens."""
        tokens, n = self.tokens, len(self.tokens)
        end = k + 1
        while end + 1 < n and tokens[end][TEXT] == "-" and self._glued_hyphen(end) and tokens[end + 1][IS_LOWER]:
            end += 2
        return end

    def _field_word(self, j: int) -> bool:
        """Does the capitalized syllable at `j` make one word of underthesea's word list with the
        lower-case one after it ("Thương mại", "Năng lượng": a minister's field, "Bộ trưởng Thương
        mại Mỹ …"), which the word after that does not take over ("Dũng cảm ơn": a name, then a verb)?"""
        tokens, n = self.tokens, len(self.tokens)
        if j + 1 >= n or not tokens[j + 1][IS_LOWER]:
            return False
        words = dictionary_pairs()  # read once, from disk
        return f"{tokens[j][LOWER]} {tokens[j + 1][LOWER]}" in words and not (
            j + 2 < n and f"{tokens[j + 1][LOWER]} {tokens[j + 2][LOWER]}" in words)

    def _trade_name_goes_on(self, walk: "_Walk") -> bool:
        """A capitalized run right after a lower-case word of a company's own name goes on naming the
        company ("Tổng giám đốc Công ty TNHH Khí đốt Teluk Intan": rules/officials/trade_name_bodies.txt),
        so a foreign-looking run there is no person."""
        j = walk.j
        if not self.tokens[j - 1][IS_LOWER]:
            return False
        return self._names_trade_body(walk.title_start, j)

    def _names_trade_body(self, start: int, j: int) -> bool:
        """Is a body whose own name may be anything ("Công ty", "Ngân hàng": trade_name_bodies.txt)
        written within tokens [start, j)?"""
        view, bodies = self.view, self.frames.trade_name_bodies
        for k in range(start, j):
            end = view.hit(k, ORG_NAMED)
            if end is not None and view.span_text(k, end).lower() in bodies:
                return True
        return False

    def _name_after_lower_name(self, walk: "_Walk", run_end: int) -> tuple[int, int] | None:
        """A person's name in the capitalized run after a body's name begun in lower case: not from
        its first word when that is a place the body's name ran into ("Hội đồng châu Âu Donald Tusk"), none
        after a person named before the post ("Nguyễn Công Sơn, Tổng giám đốc Công ty cổ phần Tuần
        Châu Hà Nội cho biết": the run is the body's own name)."""
        j = walk.j
        if walk.name_min > 2:
            return None
        name = self.split_name(j, run_end, walk.context, walk.name_min)
        hit = self.view.hit
        place = next((end for end in (hit(j - 1, PLACE), hit(j, PLACE)) if end is not None and end > j), None)
        if name is not None and (name[0] > j or place is None):
            return name
        if place is not None and 2 <= run_end - place <= MAX_NAME and self.is_foreign_name(place, run_end):
            return place, run_end  # "châu Âu" + "Donald Tusk"
        return None

    def _on_number(self, walk: "_Walk") -> bool:
        """A number after a body or a unit: "Ban Chỉ đạo 751", "quận 1", "Trưởng thôn 2"."""
        last = walk.last
        if not (last in _NUMBERED
                or (last is _S_HEAD and self._admin_ends_at(walk.j))):  # "Tổ trưởng tổ dân phố 5"
            return False
        walk.j += 1
        walk.last = _S_PLACE if last is _S_ADMIN else last
        walk.context = _C_OPEN
        return True

    def _on_lower(self, walk: "_Walk") -> bool:
        """A lower-case word no lexicon claims: a joining word that the title goes on after (by its
        meaning in rules/officials/title_words.tsv), else the title's end."""
        entries = self._joining.get(self.tokens[walk.j][TEXT])  # by its meaning: `_JOINING`
        if entries is not None:
            rest, joining = entries[0]
            if rest:  # a phrase starts with the word ("một số")
                joining = self._joining_at(walk.j, entries)
            else:
                self._joining_end = walk.j + 1
            if joining is not None:
                return joining(self, walk)
        return self._lower_unjoined(walk)

    def _lower_unjoined(self, walk: "_Walk") -> bool:
        """A lower-case word that joins nothing: a body's word or name in lower case, else the end."""
        last = walk.last
        if last is _S_HEAD or last is _S_CONT:
            return self._lower_body_word(walk)
        if (last is _S_ORG and walk.label != ORG_FULL) or last is _S_ORG_PLACE or last is _S_ABBREV:
            return self._lower_body_name(walk)  # not after a body complete as written ("Bộ Công an tham mưu …")
        return False

    def _joining_at(self, j: int, entries: list):
        """The handler of the joining phrase or word at `j` among `entries` (rules/officials/
        title_words.tsv, by its meaning), None when none is written there; its end goes to `_joining_end`."""
        tokens, n = self.tokens, len(self.tokens)
        for rest, handler in entries:
            if rest:  # "một số": the phrase's other words follow
                end = j + 1 + len(rest)
                if end > n or any(tokens[j + 1 + m][LOWER] != word for m, word in enumerate(rest)):
                    continue
            else:
                end = j + 1
            self._joining_end = end
            return handler
        return None

    def _lower_body_word(self, walk: "_Walk") -> bool:
        """A body's word written in lower case right after the post, its name after it ("Giám đốc
        điều hành trường THPT …", "Giám đốc sở Tài chính"): the body stays in the title."""
        hits, j = self.view.hits[walk.j], walk.j
        end, label = next(((hits[label], label) for label in ORG_LABELS if label in hits), _NO_ORG)
        if end is None or not self._body_name_starts(end):
            return False
        walk.end, walk.label = end, label
        return self._on_body(walk)

    def _lower_body_name(self, walk: "_Walk") -> bool:
        """A body's own name that starts in lower case ("Cục quản lý Khám …", "Công ty TNHH xây
        dựng … Tài Nguyên", "Đảng ủy cơ quan LĐLĐ …"): kept when the lower-case words run into a
        capitalized or abbreviated part of the name or a unit word within a few words, never past
        a verb, a function word or the end of the clause."""
        k = self._lower_name_end(walk.j)
        if k is None:
            return False
        walk.j, walk.last, walk.context, walk.lower_name, walk.name_from = k, _S_ORGNAME, _C_NAMED, True, k
        return True

    def _lower_name_end(self, j: int) -> int | None:
        """End of the lower-case words from `j` that open a body's name, when its capitalized or
        abbreviated part, a body or a unit word follows them; else None."""
        n = len(self.tokens)
        k = j
        while k < n and k - j < _MAX_LOWER_NAME and (
                self._may_take_object(k) and self.tokens[k][LOWER] not in self._joiners  # "UBND các quận"
                or k > j and self.tokens[k][LOWER] in self._and_words and self._may_take_object(k + 1)):
            cont = self.view.hits[k].get(CONTINUATION)
            k = cont if cont is not None and cont > k else k + 1
        if k == j or k >= n or not (self._body_name_starts(k) or self.admin_end(k) is not None):
            return None
        return k

    def _body_name_starts(self, k: int) -> bool:
        """An abbreviation, or a capitalized word that starts no post and is no honorific, at `k`;
        not a capitalized common word with its lower-case second syllable ("ký Quyết định …")."""
        tokens = self.tokens
        if k >= len(tokens):
            return False
        tok = tokens[k]
        if _ROMAN_RE.fullmatch(tok[TEXT]) or len(tok[TEXT]) < 2:
            return False  # "Quốc hội khóa XV": a term, not a name; "Q.12": a unit written short
        if tok[IS_ABBREVIATION]:
            return True
        return tok[IS_TITLECASE] and self.head_end(k) is None and not self.view.hits[k].get(HONORIFIC) \
            and not (k + 1 < len(tokens) and tokens[k + 1][IS_LOWER])

    def _after_and(self, walk: "_Walk") -> bool:
        """"và" inside a name ("Dân tộc và Tôn giáo"), not between two posts or people; in a
        company's name, lower-case words after it that run into the name's capitalized part ("Công ty
        CP Đầu tư và khai thác nhà ga quốc tế Đà Nẵng")."""
        if self._and_continues(walk.j + 1):
            walk.j += 1
            return True
        if (walk.last is _S_ORGNAME or walk.last is _S_CONT) and self._names_trade_body(walk.title_start, walk.j):
            k = self._lower_name_end(walk.j + 1)
            if k is not None:
                walk.j = k
                return True
        return False

    def _after_number_word(self, walk: "_Walk") -> bool:
        """"khu dân cư số 4": the number follows a unit word. With no number after it, the word
        ends a body's own name written with capitals ("Cục Thương mại điện tử và Kinh tế số",
        "Trung tâm Chuyển đổi số"): it stays in the name."""
        j, tokens = walk.j, self.tokens
        if j + 1 < len(tokens) and tokens[j + 1][IS_NUMBER] and self._admin_ends_at(j):
            walk.j += 1
            return True
        if (walk.last is _S_ORGNAME or walk.last is _S_CONT) and self._ends_capitalized_name(j) \
                and not (j + 1 < len(tokens) and tokens[j + 1][IS_NUMBER]):
            walk.j += 1
            return True
        return False

    def _ends_capitalized_name(self, j: int) -> bool:
        """Whether token `j` follows a name of at most three words that starts with a capital ("Kinh tế")."""
        tokens = self.tokens
        for k in range(j - 1, max(j - 4, -1), -1):
            if not tokens[k][IS_WORD]:
                return False
            if tokens[k][IS_TITLECASE]:
                return True
        return False

    def _after_of(self, walk: "_Walk") -> bool:
        """"Ủy ban Tài chính - Ngân sách của Quốc hội": the body it belongs to."""
        j, tokens, last = walk.j, self.tokens, walk.last
        if last in _OWNED and j + 1 < len(tokens) and (
                self.org_at(j + 1)[1] == ORG_FULL or (last is _S_HEAD and tokens[j + 1][IS_ABBREVIATION])
                or (walk.purposeful and self.org_at(j + 1)[1] == ORG_PLACE)):
            walk.j += 1
            return True
        return False

    def _after_about(self, walk: "_Walk") -> bool:
        """"Ban Chỉ đạo của Tỉnh ủy về phòng, chống tham nhũng": a committee's purpose."""
        j = walk.j
        k = self._description_end(j + 1) if walk.purposeful and walk.has_part else j + 1
        if k > j + 1:
            walk.j = k
            return True
        return False

    def _after_plural(self, walk: "_Walk") -> bool:
        """"Tổng Tư lệnh các Lực lượng vũ trang …": a post over several bodies of one kind. Right
        after the head, the bodies it names go on whether written with a capital or not ("Trạm
        trưởng một số Trạm Y tế", "Hiệu trưởng các trường THPT"): the post names them."""
        k, last = self._joining_end, walk.last
        if last in _OWNED and (self.org_at(k)[0] is not None or (last is _S_HEAD and self._body_name_starts(k))):
            walk.j = k
            return True
        if last is _S_HEAD and k < len(self.tokens):
            hits = self.view.hits[k]
            end, label = next(((hits[label], label) for label in ORG_LABELS if label in hits), _NO_ORG)
            if end is not None and (self.tokens[end - 1][IS_ABBREVIATION] or self._body_name_starts(end)):
                walk.j, walk.end, walk.label = k, end, label  # "các trường THPT": the body, in lower case
                return self._on_body(walk)
        # a phrase ("một số") that names no bodies here: its words are read as any lower-case words
        return k > walk.j + 1 and self._lower_unjoined(walk)

    def _after_within(self, walk: "_Walk") -> bool:
        """"… thuộc Sở Y tế", "… tại TP Huế": the organization or place the body sits in. A bare
        word that names no body by itself ends the title before the relation: "… thuộc Vụ." (the
        department named before), "đại biểu HĐND tỉnh thuộc Tổ đại biểu xã …" (a group the
        delegate belongs to, not part of the post)."""
        k = walk.j + 1
        if walk.has_part and self._starts_org_or_place(k) and not self._bare_body_word(k):
            walk.j += 1
            return True
        return False

    def _bare_body_word(self, k: int) -> bool:
        """Does the organization walk from token `k` take that one word alone — a body word with no
        name ("Vụ.", "Hội nghị", "Lễ kỷ niệm") or a word no lexicon knows before a lower-case one
        ("Tổ đại biểu")? A lone name before a mark ("Seoul,") is a place, not bare."""
        tokens = self.tokens
        if tokens[k][IS_ABBREVIATION] or self.admin_end(k) is not None or self.view.hit(k, PLACE) is not None:
            return False
        if self.organization_at(k)[0] > k + 1:
            return False
        return self.org_at(k)[0] is not None or (k + 1 < len(tokens) and tokens[k + 1][IS_LOWER])

    def _on_bracket(self, walk: "_Walk") -> bool:
        """"(MTTQ)", "(Bộ Công an)" after a body: a bracketed name stays in the title."""
        if not walk.has_part:
            return False
        close = self._parenthetical_org_end(walk.j)
        if close is None:
            return False
        if self._place_gloss(walk.j, close):
            # "Sở Y tế (Ninh Bình)", "Thị trưởng thành phố Sakai (Nhật Bản) Takahashi Kenji": a place
            # glossed in brackets is not the body's name; the title ends before it, a name may follow
            run_end = self.name_run_end(close) if close < len(self.tokens) else close
            name = self.split_name(close, run_end, walk.context, walk.name_min, foreign=walk.foreign) \
                if run_end > close else None
            if name is not None and name[0] == close:
                walk.found = walk.j, name
            return False
        walk.j = close
        return True

    def _place_gloss(self, j: int, close: int) -> bool:
        """Do the brackets [j, close) hold only a place's name ("(Nhật Bản)", "(Ninh Bình)")?"""
        return self.view.hit(j + 1, PLACE) == close - 1 and self.org_at(j + 1)[0] is None

    def _on_dash(self, walk: "_Walk") -> bool:
        """A dash inside one name ("Văn hóa - Thông tin", "Sơn Trà - Ngũ Hành Sơn"), else the end."""
        tokens, view, n, j, last = self.tokens, self.view, len(self.tokens), walk.j, walk.last
        if last is _S_PLACE and j + 1 < n and view.hit(j + 1, PLACE) is not None \
                and tokens[j - 1][END] < tokens[j][START] and not self.looks_like_person(j + 1):
            walk.j += 1  # "Chi cục Thuế khu vực Sơn Trà - Ngũ Hành Sơn": a body over two places
            return True
        if last not in (_S_ORGNAME, _S_CONT):
            return False
        if self._name_part_follows(j):
            walk.j += 1  # "Phòng Văn hóa - Thông tin", "Ban Kinh tế - Ngân sách": one name
            return True
        if j + 1 < n and tokens[j + 1][IS_LOWER]:
            k = self._description_end(j + 1)
            if k > j + 1 and k < n and (self.admin_end(k) is not None or (
                    tokens[k][TEXT] == "," and self._unit_follows(k + 1, last, walk.title_start))):
                walk.j = k  # "Trưởng phòng Quản lý lao động - việc làm, Sở …": a lower-case second half
                return True
        return False

    def _on_comma(self, walk: "_Walk") -> bool:
        """A comma inside one body's name or between a post and the unit above it, else the end."""
        tokens, view, n, j, last = self.tokens, self.view, len(self.tokens), walk.j, walk.last
        if last is _S_ORGNAME or last is _S_CONT:
            if tokens[j - 1][IS_LOWER] and self._name_part_after_comma(j + 1):
                walk.j += 1  # "Bộ Bưu chính, Viễn thông", "Ủy ban Văn hóa, Giáo dục …": one body's name
                return True
            if j + 1 < n and tokens[j + 1][IS_LOWER]:
                k = j + 1
                while k < n and k - j <= 6 and self._may_take_object(k):
                    k += 1
                if j + 1 < k < n - 1 and tokens[k][LOWER] in self.frames.words["of"] \
                        and self.org_at(k + 1)[1] == ORG_FULL:
                    walk.j = k  # "Ủy ban Văn hóa, giáo dục của Quốc hội": a lower-case second part
                    return True
        if walk.lower_name and last is _S_ORGNAME and self._lower_pair_end(j + 1):
            walk.j = self._lower_pair_end(j + 1)  # "Cục quản lý Khám, chữa bệnh cho biết": one name
            return True
        if last is _S_CONT and tokens[j - 1][IS_LOWER] and j + 1 < n \
                and tokens[j + 1][IS_LOWER] and view.hit(j + 1, CONTINUATION) is not None:
            walk.j += 1  # "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ": a lower-case list
            return True
        if (last is _S_PLACE or last is _S_HEAD) and self._commune_follows(j + 1, walk.title_start):
            walk.j += 1  # "Trưởng ấp Phú Lợi, xã Tân Phú": a hamlet's post, then its commune
            return True
        if self._unit_follows(j + 1, last, walk.title_start):
            walk.j += 1  # "Phó Vụ trưởng, Vụ Tổ chức cán bộ …", "Trưởng phòng …, Sở …": post, then unit
            return True
        return False

    _HANDLERS = {Kind.END: _on_end, Kind.UNIT: _on_unit, Kind.BODY: _on_body, Kind.FOREIGN_NAME: _on_foreign_name,
                 Kind.CONTINUATION: _on_continuation, Kind.ABBREVIATION: _on_abbreviation,
                 Kind.CAPITALIZED: _on_capitalized, Kind.NUMBER: _on_number, Kind.LOWER: _on_lower,
                 Kind.BRACKET: _on_bracket, Kind.DASH: _on_dash, Kind.COMMA: _on_comma, Kind.STYLE: _on_style}
    # The joining words' handlers by the meaning of the word (rules/officials/title_words.tsv).
    _JOINING = {"and": _after_and, "number": _after_number_word, "of": _after_of, "about": _after_about,
                "within": _after_within, "plural": _after_plural}

    def _qualified(self, j: int, last: Part, name_min: int) -> tuple[int, tuple[int, int] | None]:
        """A qualifier that says which unit the title names ("… Hà Giang cũ", "… (mới)", "…
        trước sáp nhập": rules/officials/title_qualifiers.tsv) stays in it; a name may follow.

        >>> r = TitleReader.from_text("Chủ tịch UBND tỉnh Bình Định (cũ) Hồ Quốc Dũng; Bí thư Tỉnh ủy mới ký")
        >>> r.read(0), r.read(13).end
        (TitleRead(start=0, end=9, name=(9, 12)), 17)
        """
        tokens, n = self.tokens, len(self.tokens)
        if tokens[j][LOWER] not in self.frames.qualifier_lengths:
            return j, None  # the common case: no qualifier starts with the word
        found = self.frames.qualifier_at(self.lowers, j)
        if found is None:
            return j, None
        end, _, after = found
        if after == "place" and (last is not Part.PLACE or (end < n and tokens[end][IS_WORD] and not tokens[end][IS_TITLECASE])):
            return j, None  # "Chủ tịch UBND tỉnh mới ký": "mới" is "just"
        if end < n and tokens[end][IS_TITLECASE] and self.looks_like_person(end) \
                and name_min <= self.name_run_end(end) - end <= MAX_NAME:
            return end, (end, self.name_run_end(end))
        return end, None

    # -- name boundary ---------------------------------------------------------------------------
    def name_run_end(self, j: int) -> int:
        """End of the run of capitalized syllables from `j` that no organization/head word breaks.

        >>> TitleReader.from_text("Huế Nguyễn Chí Tài Công an tỉnh").name_run_end(0)
        4
        """
        end = self._runs.get(j)
        if end is None:
            end = self._name_run_end(j)
        return end

    def _name_run_end(self, j: int) -> int:
        # A run from `j` takes its first syllable unconditionally, then goes on exactly as a run
        # from the next syllable would, unless that syllable breaks it: so every start the walk
        # passes shares one end, remembered for all of them (linear over a long capitalized run,
        # "Nguyễn Văn Nguyễn Văn …", where a walk per start would be quadratic).
        tokens, n = self.tokens, len(self.tokens)
        if j >= n or not tokens[j][IS_TITLECASE]:
            return j
        passed = [j]
        k = self._name_step(j)
        while k < n and tokens[k][IS_TITLECASE] and not self._breaks_run(k):
            known = self._runs.get(k)
            if known is not None:
                k = known
                break
            passed.append(k)
            k = advanced(k, self._name_step(k), "name run")
        for start in passed:
            self._runs[start] = k
        return k

    def _name_step(self, k: int) -> int:
        """Where a name run goes on after the syllable at `k` (a known place is taken whole)."""
        place = self.view.hits[k].get(PLACE)
        if place is not None and place > k + 1:  # keep "Bà Rịa - Vũng Tàu" whole
            return place
        k += 1
        if k < len(self.tokens) and self.tokens[k][TEXT] in _APOSTROPHES and self.glued_apostrophe(k):
            k += 2  # "H'Hoa Niê", "Cư M'gar": one syllable written with an apostrophe
        return k

    def _breaks_run(self, k: int) -> bool:
        """Does the syllable at `k`, inside a run, end it (a unit, head, rank or continuation word, a body)?"""
        hits = self.view.hits[k]
        styles = self.frames.name_styles  # "… Malaysia Datuk Seri …": a style opens the name after a place
        return bool(hits.get(ADMIN) or self._breaks_name(k) or hits.get(HEAD) or hits.get(RANK)
                    or hits.get(CONTINUATION)
                    or self._honorific_opens(k)
                    or self.tokens[k][LOWER] in styles and self.tokens[k - 1][LOWER] not in styles)

    def _honorific_opens(self, k: int) -> bool:
        """"… Trương Gia Bình Ông Vũ Văn Tiền" (a caption run together): an honorific that opens a
        clause (rules/officials/name_enders.txt), then a family name — not "Cát Bà", "Hai Bà Trưng"."""
        return self.view.hits[k].get(HONORIFIC) is not None and self.tokens[k][LOWER] in self.frames.name_enders \
            and k + 1 < len(self.tokens) and self.tokens[k + 1][IS_TITLECASE] and self.starts_with_surname(k + 1)

    def _commune_follows(self, k: int, title_start: int) -> bool:
        """After a comma: the unit one level above the last one the title names — a hamlet's
        commune ("Trưởng ấp Phú Lợi, xã Tân Phú"), a commune's district ("UBND Phường 5, Quận 8"),
        a district's province — which belongs to the post, not a new place.

        >>> r = TitleReader.from_text("Chủ tịch UBND Phường 5, Quận 8; Chủ tịch UBND huyện Hòa Vang, xã Hòa Phong")
        >>> r.read(0).end, r.read(9).end
        (8, 15)
        """
        tokens, view, levels = self.tokens, self.view, self.lexicon.admin_levels  # rules/places/admin_units.tsv
        unit_end = self.admin_end(k)
        if unit_end is None or unit_end >= len(tokens) or not (tokens[unit_end][IS_TITLECASE] or tokens[unit_end][IS_NUMBER]):
            return False
        above = levels.get(view.span_text(k, unit_end).lower(), ())
        last = next((m for m in range(k - 1, max(-1, title_start - 3), -1) if view.hit(m, ADMIN) is not None), None)
        if last is None:
            return False
        level = levels.get(view.span_text(last, view.hit(last, ADMIN)).lower(), (0,))
        return any(a == b + 1 for a in above for b in level)

    def _admin_ends_at(self, j: int) -> bool:
        """Does an administrative unit word ("thôn", "tổ dân phố") end right before token `j`?"""
        hit = self.view.hit
        return any(hit(k, ADMIN) == j for k in range(max(0, j - 3), j))

    def glued_apostrophe(self, k: int) -> bool:
        """An apostrophe inside a word ("H'Hen", "M'gar"), glued to the letters on both sides.

        >>> r = TitleReader.from_text("Bà H'Hen Niê, ông A' Bình")
        >>> r.glued_apostrophe(2), r.glued_apostrophe(8)
        (True, False)
        """
        tokens = self.tokens
        return 0 < k < len(tokens) - 1 and tokens[k][TEXT] in _APOSTROPHES \
            and tokens[k - 1][END] == tokens[k][START] and tokens[k][END] == tokens[k + 1][START] \
            and tokens[k - 1][IS_WORD] and tokens[k + 1][IS_WORD]

    def _breaks_name(self, k: int) -> bool:
        """An organization word inside a capitalized run ends a name — except one-syllable words
        that are also name syllables ("Trường", "Đoàn", "Hội")."""
        org_end, org_label = self.org_at(k)
        return org_end is not None and (org_end - k > 1 or org_label not in (ORG_NAMED, ORG_NAMESAKE))

    def split_name(self, j: int, run_end: int, context: str, name_min: int,
                   foreign: bool = False) -> tuple[int, int] | None:
        """Where a personal name starts inside the capitalized run [j, run_end), if it holds one.

        The run is [place or organization name][personal name]; the place gazetteer fixes the
        first part when it knows it, else the usual lengths decide. With `foreign`, a two-word
        name that no Vietnamese syllable spells ("Hoa Kỳ Susan Burns") counts too, except after
        a body that takes its own name (a foreign company's name is no person).

        >>> r = TitleReader.from_text("huyện Kiến Thụy Phạm Minh Hà; huyện Lâm Hà; Hoa Kỳ Susan Burns")
        >>> r.split_name(1, 6, "admin", 2), r.split_name(8, 10, "admin", 2), r.split_name(11, 15, "open", 2, True)
        ((3, 6), None, (13, 15))
        """
        foreign = foreign and context not in (Context.NAMED, Context.NAMESAKE)
        tokens = self.tokens
        if run_end - j > 2 and run_end < len(tokens) and (
                tokens[run_end][IS_LOWER] and tokens[run_end - 1][LOWER] in self.frames.name_enders
                or tokens[run_end][TEXT] == ":" and tokens[run_end - 1][LOWER] in self.frames.enders):
            run_end -= 1  # "Đỗ Văn Sinh Vì vậy", "… Lý Khắc Cường Ảnh: Reuters": no syllable of the name
        length = run_end - j
        gazetteer = self.view.hits[j].get(PLACE)  # j is a token of the run
        if gazetteer is not None and gazetteer <= run_end:
            known = gazetteer - j
            orders = tuple(range(known, length + 1))
        else:
            orders = _PLACE_LENGTHS[context]
            for m in range(j + 1, run_end):  # "… Lê Thị Hoàng Yến": the name starts before "Thị"
                if self.tokens[m][TEXT] in self.lexicon.middle_names:
                    if name_min <= run_end - (m - 1) <= MAX_NAME:
                        orders = (m - 1 - j,) + orders
                    break
        for place_len in orders:
            if place_len > length:
                continue
            name_len = length - place_len
            if name_len == 0:
                return None
            if name_min <= name_len <= MAX_NAME and self.starts_with_surname(j + place_len):
                return j + place_len, run_end
            if place_len == 0 and name_len == 2 == name_min - 1 and context == Context.OPEN \
                    and self._short_name_closes(j, run_end):
                return j, run_end  # "…, Bộ trưởng Bộ Công an Tô Lâm.": the post introduces the next person
            if foreign and 2 <= name_len <= MAX_NAME and name_min <= 3 and self.is_foreign_name(j + place_len, run_end) \
                    and (place_len == 0 and context != Context.ADMIN or self._place_ends_at(j, j + place_len)):
                # right after the post ("…, Bộ trưởng Quốc phòng Lloyd Austin") or a country
                return j + place_len, run_end  # after the post itself or a known country, not "Intel Products …"
        return None

    def _short_name_closes(self, j: int, end: int) -> bool:
        """A two-syllable personal name [j, end) right after a body written whole, that needs no place
        ("Bộ Công an", not "Công an xã"): a family name, no known place in it, and the sentence's
        punctuation or a lower-case word after it."""
        tokens, hit = self.tokens, self.view.hit
        if hit(j - 1, ADMIN) is not None or not any(hit(k, ORG_FULL) == j for k in range(max(0, j - 6), j)):
            return False
        return self.starts_with_surname(j) and hit(j + 1, PLACE) is None and self.org_at(j + 1)[0] is None \
            and end < len(tokens) and (tokens[end][IS_LOWER] or not tokens[end][IS_WORD]) \
            and not tokens[end][IS_NUMBER] and tokens[end][TEXT] not in ("(", "-", "–")

    def _place_ends_at(self, start: int, end: int) -> bool:
        """Does a gazetteer place within [start, end) end exactly at `end` ("… Hoa Kỳ" + a name)?"""
        hit = self.view.hit
        return any(hit(k, PLACE) == end for k in range(start, end))

    def is_foreign_name(self, start: int, end: int) -> bool:
        """Capitalized words [start, end) no lexicon knows, the first spelled as no Vietnamese
        syllable is ("Theresa May", "John McCain"); particles ("von der") may stand inside.

        >>> r = TitleReader.from_text("Takio Yamada, Hoa Kỳ, Ursula von der Leyen, Lê Văn")
        >>> r.is_foreign_name(0, 2), r.is_foreign_name(6, 10), r.is_foreign_name(11, 13)
        (True, True, False)
        """
        tokens, hits, particles = self.tokens, self.view.hits, self.lexicon.name_particles
        if all(tokens[k][START] == tokens[k - 1][END] for k in range(start + 1, end)):
            return False  # one word written in pieces ("NutiFood"), a brand rather than a person
        if any(tokens[k][LOWER] in self.frames.company_words for k in range(start, end)):
            return False  # "Viettel Telecom", "Real Madrid": rules/officials/company_words.txt
        # written without Vietnamese marks: "Đăk Rơ Wa" is a village, not a foreign person
        korean = any(tokens[k][IS_LOWER] and self._glued_hyphen(k) for k in range(start + 1, end))  # "Moon Jae-in"
        return (is_foreign_word(tokens[start][TEXT]) or korean) and tokens[end - 1][IS_WORD] and all(
            not hits[k] and foreign_letters(tokens[k][TEXT]) and (tokens[k][IS_TITLECASE] or tokens[k][LOWER] in particles
                                                           or self._glued_hyphen(k))
            for k in range(start, end))

    def _glued_hyphen(self, k: int) -> bool:
        """"-jin" of "Tae-jin": a hyphen or a lower-case syllable glued into one foreign name part."""
        tokens = self.tokens
        if tokens[k][TEXT] == "-":
            return 0 < k < len(tokens) - 1 and tokens[k - 1][END] == tokens[k][START] == tokens[k][START] \
                and tokens[k][END] == tokens[k + 1][START]
        return k > 1 and tokens[k - 1][TEXT] == "-" and tokens[k - 1][START] == tokens[k - 2][END] \
            and tokens[k - 1][END] == tokens[k][START] and tokens[k][IS_LOWER]

    def foreign_run_end(self, j: int, run_end: int) -> int:
        """A capitalized run that a foreign name's particles continue: "Ursula" + "von der Leyen"
        (rules/officials/name_particles.txt), ended by a capitalized word after the particles.

        >>> TitleReader.from_text("Ursula von der Leyen phát biểu").foreign_run_end(0, 1)
        4
        """
        tokens, particles, n = self.tokens, self.lexicon.name_particles, len(self.tokens)
        if not any(map(is_foreign_word, map(itemgetter(TEXT), tokens[j:run_end]))) and not (
                run_end + 1 < n and tokens[run_end][TEXT] == "-" and self._glued_hyphen(run_end)
                and tokens[run_end + 1][IS_LOWER]):  # "Yoon Tae-kyung": Korean syllables Vietnamese spells too
            return run_end
        end = run_end
        while end + 1 < n and tokens[end][TEXT] == "-" and tokens[end - 1][END] == tokens[end][START] \
                and tokens[end][END] == tokens[end + 1][START] and tokens[end + 1][IS_LOWER]:
            end += 2  # "Kwon Tae-jin"
        k = end
        while k < n and tokens[k][LOWER] in particles and tokens[k][IS_LOWER]:
            k += 1
        if (end == j + 1 or self.view.hit(j, PLACE) == end - 1) and k > end and k + 1 < n \
                and tokens[k][TEXT] == "-" and self._glued_hyphen(k) and tokens[k + 1][IS_TITLECASE]:
            k += 1  # "Bashar al-Assad" (a longer run goes on in people.py: names.foreign_tail_end)
        if k == end or k >= n or not tokens[k][IS_TITLECASE] or self.view.hits[k]:
            return end
        return k + 1

    def segmented_name(self, j: int, run_end: int) -> tuple[int, int] | None:
        """A name at the end of the run [j, run_end) by underthesea's word segmentation — asked
        only when the run is followed by a verb and no lexicon explains its last words.

        >>> TitleReader.from_text("Pháp Olivier Brochet dự lễ").segmented_name(0, 3)
        (1, 3)
        """
        tokens, view = self.tokens, self.view
        end = run_end
        while end + 1 < len(tokens) and tokens[end][TEXT] == "-" and tokens[end - 1][END] == tokens[end][START] \
                and tokens[end][END] == tokens[end + 1][START] and tokens[end + 1][IS_LOWER]:
            end += 2  # "Kwon Tae-jin"
        if end - j < 3 or end >= len(tokens) or not tokens[end][IS_LOWER] or view.hit(end, CONTINUATION) \
                or view.hit(end, ADMIN) or tokens[end][LOWER] in self.lexicon.stopwords and view.hit(end, ROLE) is None:
            return None
        if view.hit(end - 1, PLACE) is not None or self.org_at(end - 1)[0] is not None:
            return None
        start_char = tokens[j][START]
        words = segment_words(view.text[start_char:tokens[end][END]])
        position, bounds = start_char, []
        for word in words:
            found = view.text.find(word, position)
            if found < 0:
                return None
            bounds.append((found, found + len(word)))
            position = found + len(word)
        name_words = [b for b in bounds if b[1] <= tokens[end - 1][END]]
        if len(name_words) < 2 or name_words[-1][1] != tokens[end - 1][END]:
            return None
        first = next((k for k in range(j, end) if tokens[k][START] == name_words[-1][0]), None)
        if first is None or first == j or end - first < 2 or not tokens[first][IS_TITLECASE] \
                or view.hit(first, PLACE) is not None or (view.hit(j, PLACE) or j) > first:
            return None  # not inside a known place ("A-rập Xê-út")
        return first, end

    def starts_with_surname(self, k: int) -> bool:
        """True when token `k` is a family name (and not the start of a known place).

        >>> r = TitleReader.from_text("Hà Văn An, Hà Nội")
        >>> r.starts_with_surname(0), r.starts_with_surname(4)
        (True, False)
        """
        return self.tokens[k][TEXT] in self.lexicon.surnames and PLACE not in self.view.hits[k]

    def looks_like_person(self, k: int) -> bool:
        """A capitalized run of 2–4 syllables starting with a family name at `k`.

        >>> r = TitleReader.from_text("Trần Lưu Hoa và Tây Nguyên")
        >>> r.looks_like_person(0), r.looks_like_person(4)
        (True, False)
        """
        if k >= len(self.tokens) or not self.tokens[k][IS_TITLECASE] or not self.starts_with_surname(k):
            return False
        return 2 <= self.name_run_end(k) - k <= MAX_NAME

    # -- helpers ---------------------------------------------------------------------------------
    def admin_end(self, j: int) -> int | None:
        """End of the administrative unit word at `j` ("TP." keeps its period only before a name).

        >>> r = TitleReader.from_text("TP. Huế và Công an TP.")
        >>> r.admin_end(0), r.admin_end(6)
        (2, 7)
        """
        hits = self.view.hits
        end = hits[j].get(ADMIN) if 0 <= j < len(hits) else None
        return None if end is None else self._unit_end(end)

    def _unit_end(self, end: int) -> int:
        """The end of a unit word's hit, without a sentence's period ("Công an TP." at a sentence end)."""
        if self.tokens[end - 1][TEXT] == "." and not self._place_after_period(end):
            end -= 1
        return end

    def _place_after_period(self, k: int) -> bool:
        """"TP. Huế", "TP. HCM", "TP. Hồ Chí Minh" — not "… của TP. Đại biểu quận …"."""
        tokens = self.tokens
        if k >= len(tokens):
            return False
        if tokens[k][IS_ABBREVIATION] or self.view.hit(k, PLACE) is not None:
            return True
        return tokens[k][IS_TITLECASE] and k + 1 < len(tokens) and tokens[k + 1][IS_TITLECASE]

    def org_at(self, j: int) -> tuple[int | None, str | None]:
        """Longest organization word at `j` written with a capital, with its kind.

        >>> r = TitleReader.from_text("Ban Tổ chức Tỉnh ủy; ban tổ chức; Hội nghị")
        >>> r.org_at(0), r.org_at(6), r.org_at(10)
        ((3, 'ORG_PLACE'), (None, None), (None, None))
        """
        if j not in self.may_org:
            return _NO_ORG
        found = self._orgs.get(j)
        if found is None:
            found = self._orgs[j] = self._org_at(j)
        return found

    def _org_at(self, j: int) -> tuple[int | None, str | None]:
        hits = self.view.hits[j]  # j is in `may_org`: a token with a hit, written with a capital
        best_end, best_label = None, None
        for label in ORG_LABELS:
            end = hits.get(label)
            if end is not None and (best_end is None or end > best_end or
                                    (end == best_end and label == ORG_FULL)) \
                    and self.lexicon.capitals_match(self.view, j, end):
                best_end, best_label = end, label
        if best_end == j + 1 and best_label in (ORG_NAMED, ORG_NAMESAKE) and self._common_noun_follows(best_end):
            return None, None  # "Hội nghị", "Trường hợp", "Bộ phận", "Đoàn công tác"
        return best_end, best_label

    def _common_noun_follows(self, k: int) -> bool:
        if k >= len(self.tokens) or not self.tokens[k][IS_LOWER]:
            return False
        view = self.view
        return view.hit(k, CONTINUATION) is None and view.hit(k, ADMIN) is None

    def _compound(self, j: int) -> int:
        """Take the lower-case second syllable of a capitalized word ("Du lịch", "Pháp chế")."""
        tokens, view = self.tokens, self.view
        cont = view.hit(j, CONTINUATION)
        if cont is not None and cont > j + 1:
            return j  # "Cục Đường" + "cao tốc": the continuation is taken whole by the caller
        return j + 1 if self._may_take_object(j) else j

    def _and_continues(self, k: int) -> bool:
        """"và" inside a name ("Dân tộc và Tôn giáo") rather than between two people or posts."""
        tokens, view = self.tokens, self.view
        if k >= len(tokens):
            return False
        if view.hit(k, CONTINUATION) is not None:
            return True
        if not tokens[k][IS_TITLECASE]:
            return False
        if view.hit(k, HEAD) or view.hit(k, RANK) or view.hit(k, HONORIFIC) or self.head_end(k) \
                or self.org_at(k)[0] is not None:
            return False  # "và" between two posts, two people or two bodies
        return not self.looks_like_person(k)

    def _starts_org_or_place(self, k: int) -> bool:
        if k >= len(self.tokens):
            return False
        tok = self.tokens[k]
        return tok[IS_ABBREVIATION] or self.admin_end(k) is not None or self.org_at(k)[0] is not None \
            or (tok[IS_TITLECASE] and not self.looks_like_person(k))

    def _parenthetical_org_end(self, j: int) -> int | None:
        """"(MTTQ)", "(Bộ Công an)": a bracketed abbreviation or organization stays in the title."""
        tokens, view = self.tokens, self.view
        k = j + 1
        while k < len(tokens) and k - j <= 8 and tokens[k][TEXT] != ")":
            tok = tokens[k]
            org_end, _ = self.org_at(k)
            if org_end is not None:
                k = org_end
            elif tok[IS_ABBREVIATION] or tok[IS_TITLECASE] or view.hit(k, CONTINUATION) or tok[TEXT] in ("-", "&"):
                k += 1
            else:
                return None
        if k < len(tokens) and tokens[k][TEXT] == ")" and k > j + 1:
            return k + 1
        return None

    def _description_end(self, j: int) -> int:
        """After "Ban Chỉ đạo", "Ban Quản lý dự án": its lower-case task, kept only when it ends
        where an organization name can end (a place, a name, punctuation), not at a verb."""
        tokens, view, n = self.tokens, self.view, len(self.tokens)
        if j >= n or not (tokens[j][IS_LOWER] or view.hit(j, CONTINUATION)):
            return j
        k = j
        while k < n and k - j < 16:
            tok, hits = tokens[k], view.hits[k]  # k < n: the hits of token k, read directly
            cont = hits.get(CONTINUATION)
            if cont is not None:
                k = advanced(k, cont, "title description reader")
            elif self._may_take_object(k):
                k += 1
            elif (tok[IS_NUMBER] or tok[IS_ABBREVIATION]) and k > j:
                k += 1
            elif tok[TEXT] == "-" and k > j and k + 1 < n and (tokens[k + 1][IS_NUMBER] or tokens[k + 1][IS_LOWER]):
                k += 1
            elif tok[LOWER] in self._joiners and k > j and k + 1 < n and tokens[k + 1][IS_LOWER] \
                    and tokens[k + 1][LOWER] not in self.lexicon.stopwords and not view.hit(k + 1, ROLE):
                k += 1  # "phòng, chống thiên tai, tìm kiếm cứu nạn và phòng thủ dân sự"
            else:
                break
        if k == j:
            return j
        if k >= n or view.hit(k, ADMIN) or tokens[k][IS_TITLECASE] or tokens[k][IS_NEWLINE] \
                or tokens[k][TEXT] in (",", ";", ".", ")", ":") or self._is_role(k):
            return k  # "Ban Chỉ đạo quốc gia chống buôn lậu phát biểu": what its head did
        return j

    def _is_role(self, k: int) -> bool:
        """A role verb starts at `k` ("phát biểu", "dự"), not a false friend ("dự án")."""
        return 0 <= k < len(self.tokens) and role_end(self.view.hits[k]) is not None

    def _object_end(self, start: int, j: int) -> int:
        """After a body's name that is a verb ("Cục Quản lý", "Chi cục Kiểm lâm"): the lower-case
        object that completes it ("chất lượng nông lâm sản và thủy sản", "vùng II"), up to the
        first verb or function word. Word classes come from underthesea, asked only here (a
        lower-case word no lexicon explains right after such a name is rare).

        >>> r = TitleReader.from_text("Cục Quản lý chất lượng cho biết")
        >>> r.view.span_text(0, r._object_end(1, 3))
        'Cục Quản lý chất lượng'
        """
        tokens, view, n = self.tokens, self.view, len(self.tokens)
        if not self._may_take_object(j):
            return j
        window = j
        while window < n and window - j < 14 and (tokens[window][IS_LOWER] or tokens[window][TEXT] == ","
                                                   or (tokens[window][IS_NUMBER] and window > j)):
            window += 1
        end = j
        words = tag_words(view.text[tokens[start][START]:tokens[window - 1][END]])
        k, position = start, tokens[start][START]
        for word, tag in words:
            first = k
            while k < window and tokens[k][START] < position + len(word):
                k += 1
            position += len(word)
            while position < len(view.text) and view.text[position] == " ":
                position += 1
            if first < j:
                if k > j and tag in _OBJECT_TAGS and tag not in ("C", "L"):
                    end = k  # "Ban Tiếp" + "công dân": the tagger's word completes the name
                elif k > j:
                    return j
                continue
            if tokens[first][IS_LOWER] and (view.hit(first, CONTINUATION) or 0) >= k:
                end = k  # "thủy sản": the lexicon knows better than the tagger
            elif tag in _OBJECT_TAGS and tokens[first][IS_LOWER] and self._may_take_object(first, joiner=True):
                if tag != "C" and tag != "L":
                    end = k
            elif tag == "M" and tokens[first][IS_NUMBER] and end > j:
                end = k  # "khu vực 2"
            elif word == "," and end == first:
                continue
            else:
                break
        if end > j and end < n and _ROMAN_RE.fullmatch(tokens[end][TEXT]):
            end += 1  # "Chi cục Kiểm lâm vùng II"
        return end

    def _may_take_object(self, k: int, joiner: bool = False) -> bool:
        """A lower-case word no lexicon claims as a verb, function word, unit, post or role."""
        tokens, view = self.tokens, self.view
        if k >= len(tokens) or not tokens[k][IS_LOWER]:
            return False
        if joiner and tokens[k][LOWER] in self._joiners:
            return True
        hits = view.hits[k]
        return tokens[k][LOWER] not in self.lexicon.stopwords and not (
            ROLE in hits or LINK in hits or HEAD in hits or ADMIN in hits or HONORIFIC in hits)

    def _name_part_follows(self, j: int) -> bool:
        """A dash with spaces, then a capitalized word that starts neither a post, a person nor a
        new body: the second half of a compound name."""
        tokens, view = self.tokens, self.view
        k = j + 1
        if k >= len(tokens) or tokens[j - 1][END] == tokens[j][START] or tokens[j][END] == tokens[k][START]:
            return False
        return tokens[k][IS_TITLECASE] and not (
            view.hit(k, HEAD) or view.hit(k, RANK) or view.hit(k, HONORIFIC) or self.head_end(k) is not None
            or self.looks_like_person(k) or self.org_at(k)[0] is not None or view.hit(k, ADMIN))

    def _name_part_after_comma(self, k: int) -> bool:
        """After a comma inside a body's name: a capitalized word and its lower-case second
        syllable that start neither a post, a person, a body nor a place ("…, Viễn thông")."""
        tokens, view = self.tokens, self.view
        if k + 1 >= len(tokens) or not tokens[k][IS_TITLECASE] or not tokens[k + 1][IS_LOWER]:
            return False
        return not (set(view.hits[k]) - {CONTINUATION} or self.head_end(k) is not None or self.looks_like_person(k)
                    or self.org_at(k)[0] is not None or view.hits[k + 1].get(ROLE) or view.hits[k + 1].get(LINK)
                    or tokens[k + 1][LOWER] in self.lexicon.stopwords)

    def _lower_pair_end(self, k: int) -> int | None:
        """After a comma inside a name written partly in lower case: one or two lower-case words
        that a role verb ends ("…, chữa bệnh cho biết"), the second half of a pair — else None."""
        m = k
        while m < len(self.tokens) and m - k < 2 and self._may_take_object(m):
            m += 1
        return m if m > k and self._is_role(m) else None

    def _unit_follows(self, k: int, last: Part, title_start: int) -> bool:
        """After a comma, the organization the post belongs to: a bare post ("Phó Vụ trưởng, Vụ …")
        or a post in a sub-unit ("Trưởng phòng Quản lý lao động, Sở Lao động …")."""
        org_end, org_label = self.org_at(k)
        if org_end is None:
            return False
        if last is Part.HEAD:
            return org_label == ORG_NAMED
        words = self.frames.words  # rules/officials/title_words.tsv
        sub_units = words["sub-unit"]
        sub_unit = any(self.tokens[m][LOWER] in sub_units for m in range(max(0, title_start - 3), k))
        return sub_unit and self.tokens[k][LOWER] in words["department"]

    def trim(self, start: int, end: int) -> int:
        """Drop connectors a title cannot end with ("và", "tại", a dangling "phụ trách").

        >>> TitleReader.from_text("Phó Chủ tịch UBND tỉnh phụ trách").trim(0, 7)
        5
        """
        tokens = self.tokens
        if end - start > 4 and tokens[end - 1][TEXT] == ")" and tokens[end - 3][TEXT] == "(":
            if tokens[end - 2][IS_ABBREVIATION]:
                end -= 3  # "Chủ tịch Quốc hội (QH)": the bracket abbreviates the body, it is no part of the post
            elif tokens[end - 2][IS_TITLECASE] and self.view.hit(end - 2, PLACE) is None \
                    and not self.view.hits[end - 2] and is_foreign_word(tokens[end - 2][TEXT]):
                end -= 3  # "… Tập đoàn Xăng dầu Việt Nam (Petrolimex)": the body's short name, not a place
        dropped = self.frames.words.dropped_at_end  # rules/officials/title_words.tsv: "và", "phụ trách"
        while end > start + 1:
            last = tokens[end - 1][LOWER]
            if last in _TRAILING_MARKS:
                end -= 1
                continue
            if last not in self._dropped_last:
                break
            phrase = next((words for words in dropped if words[-1] == last and end - len(words) > start
                           and all(tokens[end - len(words) + m][LOWER] == word for m, word in enumerate(words))), None)
            if phrase is None:
                break
            end -= len(phrase)
        return end


# The title reader's word sets of a rules set, by meaning (rules/officials/title_words.tsv): the
# same for every document, built once per `TitleWords` (a rules set's, cached on its Rules).
_TABLES: dict[int, tuple] = {}
_MAX_TABLES = 16  # rules sets a long-running process may hold at once


def _word_tables(frames: Frames) -> tuple[frozenset[str], frozenset[str], frozenset[str], dict]:
    """(joiners, "and" words, last words of the phrases a title never ends with, joining word → its
    phrases' other words and handler, longest phrase first: "một" → [(("số",), _after_plural)]).

    >>> from extractor.rules_loader import load_rules
    >>> joiners, ands, last, joining = _word_tables(load_frames(load_rules()))
    >>> "," in joiners, "và" in ands, joining["của"][0][1].__name__, joining["một"][0][0]
    (True, True, '_after_of', ('số',))
    """
    words = frames.words
    found = _TABLES.get(id(words))
    if found is None or found[0] is not words:  # the id of a TitleWords gone may come back
        if len(_TABLES) >= _MAX_TABLES:
            _TABLES.clear()
        joining: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        for meaning, handler in TitleReader._JOINING.items():
            for phrase in words[meaning]:
                first, *rest = phrase.split()
                joining.setdefault(first, []).append((tuple(rest), handler))
        for entries in joining.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        found = _TABLES[id(words)] = (words, (
            frozenset(w for meaning in _JOINER_MEANINGS for w in words[meaning]) | {","},
            frozenset(words["and"]), frozenset(phrase[-1] for phrase in words.dropped_at_end), joining))
    return found[1]
