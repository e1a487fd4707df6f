"""organizations — named bodies ("UBND quận Đồ Sơn", "Sở Văn hóa, Thể thao và Du lịch") with
their abbreviations spelled out in `expanded`.

An organization starts at an organization word of `rules/organizations/bodies.tsv` written with
a capital (or as an abbreviation) and runs on over what the title reader accepts as an
organization part: its own name, "thường trực"-like continuations, an administrative unit and
its place — stopping before a person's name, a verb or punctuation. Organizations inside a
title are reported too ("Trưởng Ban Nội chính Thành ủy" → "Ban Nội chính Thành ủy").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Callable

from ..budget import check as check_budget
from ..document import Document
from ..memo import Memo
from ..normalize import normalize_text
from ..record import Organization
from ..rules_loader import Rules
from .officials import Lexicon, TitleReader, load_lexicon
from .tokens import (END, HEAD, IS_TITLECASE, LOWER, MODIFIER, ORG_NAMED, ORG_NAMESAKE, ORG_PLACE, START, TEXT,
                     Token, TokenView)

# "TP.HCM", "TP.Đà Nẵng": the unit word glued to the name by its period.
_GLUED_UNIT_RE = re.compile(r"\b(TP|Tp|TX)\.(?=\w)")


class OrganizationsComponent:
    """Finds organizations in a document.

    >>> from extractor.rules_loader import load_rules
    >>> rules = load_rules()
    >>> [(o.text, o.expanded) for o in OrganizationsComponent(rules)(Document("UBND quận Đồ Sơn họp.", rules))]
    [('UBND quận Đồ Sơn', 'Ủy ban nhân dân quận Đồ Sơn')]
    """

    name = "organizations"
    requires = ("token_view", "people_spans")  # a body word inside a person's name starts no body
    assigns = ("facts.organizations",)

    def __init__(self, rules: Rules):
        self.rules = rules
        self.lexicon = load_lexicon(rules)
        self._expanded: dict[str, str] = Memo()  # the same bodies ("UBND tỉnh") come back article after article
        # rules/organizations/venues.txt: "tại Trung tâm Hội nghị Quốc gia" names where, not who
        self.venues = tuple(normalize_text(v).lower() for v in rules.lines("organizations/venues.txt"))
        # rules/organizations/words.tsv: "tại" opens a venue, "các" makes a body many
        meanings = {row[0].strip().lower(): row[1].strip() for row in rules.tsv("organizations/words.tsv") if len(row) >= 2}
        self.venue_openers = frozenset(word for word, meaning in meanings.items() if meaning == "venue_opener")
        self.plurals = frozenset(word for word, meaning in meanings.items() if meaning == "plural")

    def __call__(self, document: Document) -> list[Organization]:
        reader = TitleReader.for_document(document, self.lexicon)
        view = reader.view
        found: list[Organization] = []
        tokens = view.tokens
        inside_person = _covered(document.people_spans or ())
        # Only a capitalized organization word starts a body (`TitleReader.org_at`): the others
        # are not looked at.
        taken = 0
        for i in sorted(reader.may_org):
            if i < taken:
                continue  # inside the organization just read
            check_budget()
            org_end, label = reader.org_at(i)
            if org_end is None or (org_end == i + 1 and (reader.looks_like_person(i) or _inside_name(tokens, i))) \
                    or inside_person(tokens[i][START]) \
                    or _glued_to_previous(tokens, i) or (MODIFIER in view.hits[i] and _after_head(reader, i)) \
                    or (reader.head_end(i) or 0) > org_end:
                # not a body here: a family name ("Đoàn Ngọc Hòa"), a document number
                # ("QĐ-UBND"), a post's modifier ("Phó Chủ tịch Thường trực …"), a post
                # ("Thành ủy viên")
                continue
            end, name = reader.organization_at(i)
            end = reader.trim(i, name[0] if name is not None else end)
            if not (label in (ORG_NAMED, ORG_NAMESAKE) and end <= org_end) \
                    and not self._generic_or_venue(view, i, end, org_end, label):
                text = view.span_text(i, end)
                start = view.tokens[i][START]
                expanded = self._expanded.get(text)
                if expanded is None:
                    expanded = self._expanded.remember(text, expand_abbreviations(text, self.lexicon))
                found.append(Organization(text=text, start=start, end=start + len(text), expanded=expanded))
            taken = max(end, i + 1)
        return found


    def _generic_or_venue(self, view: TokenView, i: int, end: int, org_end: int, label: str) -> bool:
        """Not one body: "UBND các quận, huyện" (every district's), or a venue after "tại"
        ("tại Trung tâm Hội nghị Quốc gia").

        >>> from extractor.rules_loader import load_rules
        >>> rules = load_rules()
        >>> [o.text for o in OrganizationsComponent(rules)(Document("Tại Trung tâm Hội nghị Quốc gia, UBND các quận, huyện báo cáo.", rules))]
        []
        """
        tokens = view.tokens
        if end == org_end and label == ORG_PLACE and end < len(tokens) and tokens[end][LOWER] in self.plurals:
            return True
        if i == 0 or tokens[i - 1][LOWER] not in self.venue_openers:
            return False
        return view.span_text(i, end).lower().startswith(self.venues)  # both sides normalized already


def _covered(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """A test "does one of these character spans cover this offset?" that bisects rather than scans.

    >>> inside = _covered([(10, 20), (0, 3), (12, 14)])
    >>> [inside(x) for x in (0, 3, 5, 12, 19, 20)]
    [True, False, False, True, True, False]
    """
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    reach = list(accumulate((e for _, e in ordered), max))  # the furthest end among spans so far

    def inside(offset: int) -> bool:
        k = bisect_right(starts, offset)  # the spans that start at or before the offset
        return k > 0 and reach[k - 1] > offset

    return inside


def _after_head(reader: TitleReader, i: int) -> bool:
    """Does a position head cover token `i` or end right before it? "Thường trực" there qualifies
    the post ("Phó Chủ tịch Thường trực …"), it starts no body.

    >>> reader = TitleReader.from_text("Phó Chủ tịch Thường trực UBND tỉnh")
    >>> _after_head(reader, 3), _after_head(reader, 5)
    (True, False)
    """
    return any(k < i <= (reader.head_end(k) or k) for k in reader.view.positions.get(HEAD, ()))


def _inside_name(tokens: list[Token], i: int) -> bool:
    """"Lê Trường Lưu": a one-syllable body word right after a capitalized syllable is a name's."""
    return i > 0 and tokens[i - 1][IS_TITLECASE] and tokens[i - 1][END] + 1 == tokens[i][START]


def _glued_to_previous(tokens: list[Token], i: int) -> bool:
    """"QĐ-UBND", "NQ/TW": part of a document number, not a mention of the body."""
    return i > 0 and tokens[i - 1][TEXT] in ("-", "/") and tokens[i - 1][END] == tokens[i][START]


def expand_abbreviations(text: str, lexicon: Lexicon) -> str:
    """Spell out the abbreviations of `rules/abbreviations.tsv`.

    >>> from extractor.rules_loader import load_rules
    >>> expand_abbreviations("UBND TP.Đà Nẵng", load_lexicon(load_rules()))
    'Ủy ban nhân dân thành phố Đà Nẵng'
    """
    text = _GLUED_UNIT_RE.sub(r"\1 ", text)
    return lexicon.abbreviation_re.sub(lambda m: lexicon.abbreviations[m.group(1)], text)


COMPONENT = OrganizationsComponent
