"""The token layer shared by officials, organizations and locations: tokens and lexicon hits.

Every multi-word lexicon (position heads, ranks, honorifics, organization words, administrative
units, place names, role verbs, …) goes into one spaCy `PhraseMatcher` over the syllable tokens
of `Document.spacy_doc`, matched on lower case; each lexicon is a label (`HEAD`, `ORG_PLACE`,
`ADMIN`, …). The matcher is built once per `Rules` (`load_token_lexicon`); per document we run it
once and keep, for every token, the longest hit of each label: the `TokenView`, the declared
`Document.token_view` (built on first use, like `Document.spacy_doc`, by `build_token_view`).
The components read the view; none of them builds its own model of words.
"""

from __future__ import annotations

import re
from itertools import count, islice
from operator import concat, itemgetter, sub
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from spacy.attrs import IDX, LENGTH, ORTH

from ..memo import Memo
from ..nlp import SPLIT_KEY, TOKEN_RE, _positions
from ..normalize import normalize_text
from ..rules_loader import Rules

if TYPE_CHECKING:
    from ..document import Document

# Labels of the phrase matcher; each comes from one rules file (see `_LEXICON_FILES`).
HEAD, RANK, HONORIFIC, COLLECTIVE, LIST_OPENER, LINK, CONTINUATION, ROLE = (
    "HEAD", "RANK", "HONORIFIC", "COLLECTIVE", "LIST_OPENER", "LINK", "CONTINUATION", "ROLE")
ORG_PLACE, ORG_NAMED, ORG_NAMESAKE, ORG_FULL, ORG_DESCRIBED, ADMIN, PLACE = (
    "ORG_PLACE", "ORG_NAMED", "ORG_NAMESAKE", "ORG_FULL", "ORG_DESCRIBED", "ADMIN", "PLACE")
MODIFIER, NOT_ROLE = "MODIFIER", "NOT_ROLE"
ORG_LABELS = (ORG_PLACE, ORG_NAMED, ORG_NAMESAKE, ORG_FULL, ORG_DESCRIBED)
# How a body's name follows its word (column 2 of rules/organizations/bodies.tsv) → its label.
ORG_KINDS = {"place": ORG_PLACE, "named": ORG_NAMED, "namesake": ORG_NAMESAKE, "full": ORG_FULL,
             "described": ORG_DESCRIBED}
# The place names: tables (name, type) and lists of one type each.
PLACE_TABLES = ("places/provinces.tsv", "places/places.tsv")
# The lists of names one a line, and the type their names take (rules/places/place_lists.tsv).
PLACE_LISTS_FILE = "places/place_lists.tsv"

_LEXICON_FILES = {
    HEAD: "officials/titles.txt",
    RANK: "officials/ranks.txt",
    HONORIFIC: "officials/honorifics.txt",
    COLLECTIVE: "officials/collective.txt",
    LIST_OPENER: "officials/list_openers.txt",
    LINK: "officials/title_links.txt",
    CONTINUATION: "officials/continuations.txt",
    MODIFIER: "officials/head_modifiers.txt",
    NOT_ROLE: "officials/role_false_friends.txt",
}
_NO_HITS: dict[str, int] = {}  # shared by the many tokens no lexicon entry starts at; never written
BREAK_TEXTS = frozenset({".", "!", "?", "…"})

# A token is a plain tuple (start, end, text, lower, is_word, is_titlecase, is_abbreviation,
# is_lower, is_number, is_newline), read by these indices: its place, then what its text says
# (one shared tuple per distinct text, see `_tokens_of_doc`). A document has about a thousand of
# them: tuples of strings, ints and bools leave the garbage collector's watch after its first
# look, where objects of a class of ours would stay watched (and keep it walking them) for the
# life of the document.
Token = tuple
(START, END, TEXT, LOWER, IS_WORD, IS_TITLECASE, IS_ABBREVIATION, IS_LOWER, IS_NUMBER,
 IS_NEWLINE) = range(10)
# is_titlecase: "Nguyễn", "Huế" (capital then lower case); is_abbreviation: "UBND", "HCM", "TW".


@dataclass
class TokenView:
    """The tokens of a document plus, per token, the longest lexicon hit of each label."""

    text: str
    tokens: list[Token]
    hits: list[dict[str, int]] = field(default_factory=list)
    positions: dict[str, list[int]] = field(default_factory=dict)  # label → token indices, in order
    touched: list[int] = field(default_factory=list)  # the tokens some hit starts at, in order

    def hit(self, index: int, label: str) -> int | None:
        """End (exclusive token index) of the longest `label` hit starting at `index`, else None."""
        if 0 <= index < len(self.hits):
            return self.hits[index].get(label)
        return None

    def span_text(self, start: int, end: int) -> str:
        """The text from token `start` to token `end - 1`, as written."""
        return self.text[self.tokens[start][START]:self.tokens[end - 1][END]]


@dataclass(frozen=True)
class TokenLexicon:
    """The phrase matcher of every label, built once per Rules."""

    matcher: object
    labels: dict[int, str]  # the matcher's match ids → label names
    phrases: dict[str, frozenset[str]]  # label → its phrases, lower case, both dashes
    # per organization phrase: which syllables it writes with a capital (see `_capitals`)
    org_capitals: dict[str, tuple[int, ...]] = field(default_factory=dict)
    glued: "GluedHonorifics | None" = None  # honorifics written with a slash ("Đ/c"), which a name may be glued to


@dataclass(frozen=True)
class GluedHonorifics:
    """The honorifics of `rules/officials/honorifics.txt` written with a slash ("đ/c"): a name glued to
    one ("Đ/cTrần") escapes the matcher, so they are marked by hand."""

    pairs: frozenset[tuple[str, str]]  # (before the slash, after it), lower case
    tail: re.Pattern[str]    # the cheap first look: "/" then a letter after the slash ("/c", "/ C")
    whole: re.Pattern[str]   # the whole honorific with blanks around the slash


def _glued_honorific_forms(phrases: frozenset[str]) -> GluedHonorifics | None:
    """
    >>> g = _glued_honorific_forms(frozenset({"đ/c", "ông"}))
    >>> sorted(g.pairs), bool(g.whole.search("Đ / cTrần")), g.tail.search("15/CT") is not None
    ([('đ', 'c')], True, True)
    """
    pairs = frozenset(tuple(p.split("/", 1)) for p in phrases if p.count("/") == 1 and " " not in p)
    if not pairs:
        return None
    afters = sorted({after for _, after in pairs})
    tail = "|".join(f"[{a[0]}{a[0].upper()}]{re.escape(a[1:])}" if a else "" for a in afters)
    whole = "|".join(rf"{re.escape(before)}[^\S\n]*/[^\S\n]*{re.escape(after)}" for before, after in sorted(pairs))
    return GluedHonorifics(pairs=pairs, tail=re.compile(rf"/[^\S\n]*(?:{tail})"),
                           whole=re.compile(whole, re.IGNORECASE))


def load_token_lexicon(rules: Rules) -> TokenLexicon:
    """The phrase matcher for a rules set (built on first use, then cached on the Rules).

    >>> from extractor.rules_loader import load_rules
    >>> "phó chủ tịch" in load_token_lexicon(load_rules()).phrases[HEAD]
    True
    """
    return rules.cached("tokens:lexicon", lambda: _build_token_lexicon(rules))


def _build_token_lexicon(rules: Rules) -> TokenLexicon:
    from spacy.matcher import PhraseMatcher

    from ..nlp import blank_nlp  # spaCy loads only when a component is built

    nlp = blank_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    phrases: dict[str, set[str]] = {}
    capitals: dict[str, tuple[int, ...]] = {}
    for label, phrase in _phrase_sources(rules, phrases):
        _add_phrase(phrases, capitals, label, phrase)
    for label, items in phrases.items():
        matcher.add(label, [nlp.make_doc(p) for p in sorted(items)])
    return TokenLexicon(matcher=matcher, labels={nlp.vocab.strings[label]: label for label in phrases},
                        phrases={label: frozenset(items) for label, items in phrases.items()},
                        org_capitals=capitals, glued=_glued_honorific_forms(frozenset(phrases.get(HONORIFIC, ()))))


def _add_phrase(phrases: dict[str, set[str]], capitals: dict[str, tuple[int, ...]], label: str, phrase: str) -> None:
    phrase = normalize_text(phrase)
    if not phrase:
        return
    lowered = phrase.lower()
    # Normalized text has two dashes: "-" (hyphen-like) and "–" (dash-like); either may
    # join the parts of a name ("Lao động - Thương binh", "Văn hóa – Xã hội").
    for variant in {lowered, lowered.replace(" - ", " – "), lowered.replace(" – ", " - ")}:
        phrases.setdefault(label, set()).add(variant)
        if label in ORG_LABELS:
            # Which syllables an organization writes with a capital ("Ban Tổ chức" the
            # party board, not "ban tổ chức" an event's organizers); variants keep the least.
            signature = _capitals(phrase)
            old = capitals.get(variant)
            capitals[variant] = signature if old is None or len(old) != len(signature) \
                else tuple(min(a, b) for a, b in zip(old, signature))


def _phrase_sources(rules: Rules, phrases: dict[str, set[str]]) -> Iterator[tuple[str, str]]:
    """Every (label, phrase) of the rules files, in the order the matcher learns them; the heads
    with their prefixes are derived from the heads already in `phrases`."""
    for label, name in _LEXICON_FILES.items():
        for line in rules.lines(name):
            yield label, line
    # Every head takes the deputy words ("Phó …", "Quyền …"): rules/officials/title_words.tsv, meaning "deputy".
    deputy = sorted(row[0].strip().lower() for row in rules.tsv("officials/title_words.tsv")
                    if len(row) >= 2 and row[1].strip() == "deputy")
    for head in list(phrases.get(HEAD, ())):
        for prefix in deputy:
            if not head.startswith(prefix.lower()):
                yield HEAD, f"{prefix} {head}"
    for row in rules.tsv("officials/roles.tsv"):
        if len(row) >= 2:
            yield ROLE, row[0]
    for row in rules.tsv("organizations/bodies.tsv"):
        if len(row) >= 2 and row[1].strip() in ORG_KINDS:
            yield ORG_KINDS[row[1].strip()], row[0]
    for row in rules.tsv("places/admin_units.tsv"):
        if len(row) >= 2:
            yield ADMIN, row[0]
    for name in PLACE_TABLES:
        for row in rules.tsv(name):
            if row and row[0].strip():
                yield PLACE, row[0]
    for name, _ in place_lists(rules):
        for line in rules.lines(name):
            yield PLACE, line


def place_lists(rules: Rules) -> list[tuple[str, str]]:
    """(rules file, place type) of every one-name-a-line list of places; "" where the names have no type.

    >>> from extractor.rules_loader import load_rules
    >>> ("places/countries.txt", "quốc gia") in place_lists(load_rules())
    True
    """
    return [(f"places/{row[0].strip()}", "" if row[1].strip() == "-" else row[1].strip())
            for row in rules.tsv(PLACE_LISTS_FILE) if len(row) >= 2]


def _capitals(phrase: str) -> tuple[int, ...]:
    """Per word of a phrase: 0 lower case, 1 capitalized, 2 an abbreviation in capitals.

    >>> _capitals("Ban Tổ chức TƯ")
    (1, 1, 0, 2)
    """
    return tuple(2 if len(w) > 1 and w.isupper() else int(w[0].isupper())
                 for w in TOKEN_RE.findall(phrase) if w[:1].isalpha())


def token_view(document: "Document") -> TokenView:
    """The document's tokens and lexicon hits: `document.token_view`, computed once and shared by
    the components.

    >>> from extractor.document import Document
    >>> from extractor.rules_loader import load_rules
    >>> view = token_view(Document(text="Đ/cTrần Văn An", rules=load_rules()))
    >>> [t[TEXT] for t in view.tokens]
    ['Đ', '/', 'c', 'Trần', 'Văn', 'An']
    """
    return document.token_view


def build_token_view(document: "Document") -> TokenView:
    """Tokenize the document and run the phrase matcher over it (`Document.token_view` calls this
    once, on first use)."""
    lexicon = load_token_lexicon(document.rules)
    doc = document.spacy_doc
    tokens, same = _tokens_of_doc(document.text, doc)
    matches = lexicon.matcher(doc)
    # Glued words or ragged whitespace made our tokens differ from the Doc's: by character offsets.
    found = _matched_in_order(matches) if same else _matched_by_offsets(matches, doc, tokens)
    hits: list[dict[str, int]] = [_NO_HITS] * len(tokens)
    positions: dict[str, list[int]] = {}
    touched: list[int] = []
    ids, firsts, ends = found
    # In order of first token: each (label, token) joins `positions` once, in token order.
    for label, first, end in zip(map(lexicon.labels.__getitem__, ids), firsts, ends):
        at = hits[first]
        if at is _NO_HITS:
            hits[first] = {label: end}
            touched.append(first)
            positions.setdefault(label, []).append(first)
        elif label not in at:
            at[label] = end
            positions.setdefault(label, []).append(first)
        elif end > at[label]:
            at[label] = end  # the longest hit of a label
    if lexicon.glued is not None and _glued_honorifics(lexicon.glued, document.text, tokens, hits):
        positions = {}  # a hand-marked "Đ/c" may come before matched tokens: list them again
        touched = [index for index, at in enumerate(hits) if at]
        for index in touched:
            for label in hits[index]:
                positions.setdefault(label, []).append(index)
    return TokenView(text=document.text, tokens=tokens, hits=hits, positions=positions, touched=touched)


def _matched_in_order(matches) -> tuple[tuple, tuple[int, ...], tuple[int, ...]]:
    """The match ids, first tokens and end tokens of the matches, by first token.

    >>> _matched_in_order([(7, 4, 6), (8, 1, 2)])
    ((8, 7), (1, 4), (2, 6))
    """
    if not matches:
        return (), (), ()
    ids, firsts, ends = zip(*matches)
    if list(firsts) != sorted(firsts):  # the matcher lists them by start already: rarely taken
        ids, firsts, ends = zip(*sorted(matches, key=itemgetter(1)))
    return ids, firsts, ends


def _matched_by_offsets(matches, doc, tokens: list[Token]) -> tuple[list, list[int], list[int]]:
    """Like `_matched_in_order` for tokens that are not the Doc's: a match counts only where its
    first and last spaCy tokens start and end where ours do."""
    first_at = dict(zip(map(itemgetter(START), tokens), count()))
    last_at = dict(zip(map(itemgetter(END), tokens), count()))
    found = []
    for match_id, start, end in matches:
        first = first_at.get(doc[start].idx)
        last = last_at.get(doc[end - 1].idx + len(doc[end - 1]))
        if first is not None and last is not None:
            found.append((first, match_id, last + 1))
    found.sort(key=itemgetter(0))
    return [m for _, m, _ in found], [f for f, _, _ in found], [e for _, _, e in found]


# The syllable tokenizer's pieces (extractor.nlp.TOKEN_RE) plus newline runs, which end titles.
_PIECE_RE = re.compile(r"\n+|\d+(?:[.,]\d+)*|[^\W\d_]+|\S")


def _tokens_of_doc(text: str, doc) -> tuple[list[Token], bool]:
    """Our tokens from the spaCy Doc's (already tokenized, `extractor.nlp.SyllableTokenizer`):
    one token of ours per Doc token, True, when its whitespace
    tokens are all newline runs (normalized text); else (glued words, other whitespace) the
    text tokenized again by our own regex, and False."""
    # Everything a token says beyond its place depends on its text alone, and an article has a
    # few hundred distinct texts for its thousand tokens: look that part up by spaCy's hash of
    # the text, and glue the tuples together in C.
    places = _places(text, doc)
    if places is None:
        table = doc.to_array([ORTH, IDX, LENGTH])
        orths = table[:, 0].tolist()
        starts = table[:, 1]
        places = starts.tolist(), (starts + table[:, 2]).tolist()
    else:
        orths = doc.user_data[SPLIT_KEY][0]
    tails = list(map(_TAILS.get, orths))
    if not all(tails):  # texts new to the memo (`all`: tells None apart faster than `in`)
        _TAILS.make_room()  # a long-running worker meets endless numbers
        for k in _positions(tails, None):
            tail = _tail(doc[k].text)
            if tail is None:  # rare: read again piece by piece
                return _tokens_unglued(text), False
            tails[k] = _TAILS[orths[k]] = tail
    return list(map(concat, zip(*places), tails)), True


def _places(text: str, doc) -> tuple[list[int], list[int]] | None:
    """The start and end characters of the Doc's tokens, from the words our tokenizer left with
    it (`extractor.nlp.SPLIT_KEY`): a token ends where the next one starts, less the space between
    them, and the last at the end of the text; None for a Doc made otherwise. Asking the Doc for
    the starts alone costs a third of asking it for hashes, starts and lengths.

    >>> from extractor.nlp import blank_nlp
    >>> _places("Chiều 21/5,\\n\\nHĐND", blank_nlp()("Chiều 21/5,\\n\\nHĐND"))
    ([0, 6, 8, 9, 10, 11, 13], [5, 8, 9, 10, 11, 13, 17])
    """
    words = doc.user_data.get(SPLIT_KEY)
    if words is None or len(words[0]) != len(doc) or not len(doc):
        return None
    starts = doc.to_array(IDX).tolist()
    ends = list(map(sub, islice(starts, 1, None), words[1]))  # a space is a bool: 1 or 0
    ends.append(len(text))
    return starts, ends


def _tail(piece: str) -> tuple | None:
    """The fields of a piece's token after its place; None for a glued word or whitespace other
    than a newline run.

    >>> _tail("UBND")
    ('UBND', 'ubnd', True, False, True, False, False, False)
    >>> _tail("\\n\\n"), _tail("\\t")
    (('\\n', '\\n', False, False, False, False, False, True), None)
    """
    if piece.islower():  # most syllables: no further tests
        return (piece, piece, True, False, False, True, False, False)
    if piece.isspace() and piece.strip("\n"):  # not a token of ours: the slow path drops it
        return None
    token = _piece_token(piece, 0)
    return None if token is None else token[TEXT:]


_TAILS: dict[int, tuple] = Memo()  # spaCy's hash of a token's text → `_tail` of the text, shared by all documents


def _piece_token(piece: str, start: int) -> Token | None:
    """The token of one piece that is not a lower-case syllable; None for glued words."""
    first = piece[0]
    if first == "\n":
        return (start, start + len(piece), "\n", "\n", False, False, False, False, False, True)
    if first.isalpha():
        if len(piece) > 1 and not piece[1:].islower() and not piece.isupper() and len(_unglue(piece)) > 1:
            return None
        return _word_token(piece, start)
    return (start, start + len(piece), piece, piece, False, False, False, False, first.isdigit(), False)


def _tokens_unglued(text: str) -> list[Token]:
    """The tokens of a text by our own regex, splitting glued words ("Đ/cTrần" → "Đ", "/", "c", "Trần")."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _PIECE_RE.finditer(text):
        piece = match.group()
        start = match.start()
        if piece.islower():  # most syllables: no further tests
            append((start, start + len(piece), piece, piece, True, False, False, True, False, False))
            continue
        first = piece[0]
        if first == "\n":
            append((start, match.end(), "\n", "\n", False, False, False, False, False, True))
        elif first.isalpha():
            if len(piece) > 1 and not piece[1:].islower() and not piece.isupper():
                for part in _unglue(piece):
                    append(_word_token(part, start))
                    start += len(part)
            else:
                append(_word_token(piece, start))
        else:
            append((start, start + len(piece), piece, piece, False, False, False, False, first.isdigit(), False))
    return tokens


def _unglue(word: str) -> list[str]:
    """Split words glued by a missing space ("cTrần" in "Đ/cTrần", "YênBái") at lower→upper."""
    cuts = [k for k in range(1, len(word)) if word[k - 1].islower() and word[k].isupper()
            and word[k + 1:k + 2].islower()]  # "ThS", "ĐTr" are abbreviations, not two words
    if not cuts:
        return [word]
    bounds = [0, *cuts, len(word)]
    return [word[a:b] for a, b in zip(bounds, bounds[1:])]


def _word_token(text: str, start: int) -> Token:
    lower = text.lower()
    upper = text.isupper()
    return (start, start + len(text), text, lower, True,
            text[0].isupper() and (len(text) == 1 or not upper),  # titlecase
            upper and len(text) >= 2,  # abbreviation
            lower == text, False, False)


def _glued_honorifics(glued: GluedHonorifics, text: str, tokens: list[Token], hits: list[dict[str, int]]) -> list[int]:
    """"Đ/c" glued to the name ("Đ/cTrần") escapes the matcher: mark it by hand; return where.
    The tail search jumps from "/" to "/" (one article in ten has "/c", as in "15/CT"): ten times
    cheaper than looking for the letter before the slash, in either case, at every character."""
    if glued.tail.search(text) is None or glued.whole.search(text) is None:
        return []  # the usual case: no token-by-token look
    marked = []
    for i in range(len(tokens) - 2):
        if tokens[i + 1][TEXT] == "/" and (tokens[i][LOWER], tokens[i + 2][LOWER]) in glued.pairs:
            if hits[i] is _NO_HITS:
                hits[i] = {}
            hits[i].setdefault(HONORIFIC, i + 3)
            marked.append(i)
    return marked


def is_sentence_break(token: Token) -> bool:
    """True for tokens that end a sentence or a paragraph (".", "!", "?", newline)."""
    return token[IS_NEWLINE] or token[TEXT] in BREAK_TEXTS
