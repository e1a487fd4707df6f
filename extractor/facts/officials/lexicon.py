"""The tables officials, organizations and locations compile from `rules/`, over the shared tokens.

The tokens, the lexicon hits per token and the labels live in `extractor.facts.tokens` (the
`TokenView`, `Document.token_view`); this module adds what the readers look up beside them —
surnames, roles, unit types and levels, place types, abbreviations, bridges — as one `Lexicon`
per `Rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...memo import Memo
from ...normalize import normalize_text
from ...rules_loader import Rules
from ..tokens import (  # noqa: F401 (the token names titles.py reads from here)
    ADMIN, CONTINUATION, END, HEAD, HONORIFIC, IS_ABBREVIATION, IS_LOWER, IS_NEWLINE, IS_NUMBER, IS_TITLECASE,
    IS_WORD, LINK, LOWER, NOT_ROLE, ORG_DESCRIBED, ORG_FULL, ORG_LABELS, ORG_NAMED, ORG_NAMESAKE, ORG_PLACE, PLACE,
    PLACE_TABLES, RANK, ROLE, START, TEXT, TokenView, _capitals, load_token_lexicon, place_lists, token_view)


@dataclass(frozen=True)
class Lexicon:
    """Everything the three components compile from `rules/`, built once per Rules."""

    surnames: frozenset[str]
    heads: frozenset[str]  # position heads, lower case ("phó chủ tịch")
    middle_names: frozenset[str]
    stopwords: frozenset[str]
    roles: dict[str, str]
    admin_types: dict[str, str]
    admin_levels: dict[str, tuple[int, ...]]  # unit word → its level(s): 1 commune, 2 district, 3 province
    location_units: frozenset[str]
    place_types: dict[str, str]
    abbreviations: dict[str, str]
    abbreviation_re: re.Pattern
    org_capitals: dict[str, tuple[int, ...]] = field(default_factory=dict)
    pending_bridges: dict[str, str] = field(default_factory=dict)  # "đối với" → "skip", "nhiệm kỳ" → "term"
    bridge_openers: frozenset[str] = frozenset()  # their first words ("đối", "nhiệm"): the reader must stop there
    absent_owners: frozenset[str] = frozenset()  # "của", "thay mặt": the post before is someone else's
    name_particles: frozenset[str] = frozenset()  # "von", "der": lower-case words inside foreign names
    # rules/officials/person_clauses.tsv: "sinh năm", "quê" → what a clause between a name and its posts says
    person_clauses: dict[str, str] = field(default_factory=dict)
    clauses_after_number: frozenset[str] = frozenset()  # those written after a number: "58 tuổi"
    clause_openers: frozenset[str] = frozenset()  # the first words of person_clauses ("sinh", "quê")
    countries: frozenset[str] = frozenset()  # rules/places/countries.txt, lower case: never a person's name
    # rules/officials/implied_bodies.tsv, lower case: a head that implies its body's kind ("bộ trưởng" → "bộ")
    implied_bodies: dict[str, str] = field(default_factory=dict)
    title_keys: dict[str, str] = field(default_factory=Memo, compare=False)  # memo of officials.title_key
    capitals_ok: dict[str, bool] = field(default_factory=Memo, compare=False)  # memo of capitals_match
    # memo of people.PeopleReader: piece → how its main loop treats the token when no hit starts there
    quiet_pieces: dict[str, int] = field(default_factory=Memo, compare=False)

    def capitals_match(self, view: "TokenView", start: int, end: int) -> bool:
        """Does the text at tokens [start, end) capitalize at least what the lexicon does?"""
        text = view.text[view.tokens[start][START]:view.tokens[end - 1][END]]
        ok = self.capitals_ok.get(text)
        if ok is None:
            wanted = self.org_capitals.get(text.lower())
            written = _capitals(text) if wanted is not None else ()
            ok = self.capitals_ok.remember(text, wanted is None or len(written) != len(wanted) or all(
                w >= c for w, c in zip(written, wanted)))
        return ok


def load_lexicon(rules: Rules) -> Lexicon:
    """The compiled lexicon for a rules set (built on first use, then cached on the Rules).

    >>> from extractor.rules_loader import load_rules
    >>> "Nguyễn" in load_lexicon(load_rules()).surnames
    True
    """
    return rules.cached("officials:lexicon", lambda: _build_lexicon(rules))


def _build_lexicon(rules: Rules) -> Lexicon:
    tokens = load_token_lexicon(rules)
    roles = {row[0].strip().lower(): row[1].strip() for row in rules.tsv("officials/roles.tsv") if len(row) >= 2}
    admin_types, location_units, admin_levels = _admin_units(rules)
    bridges = {row[0].strip().lower(): row[1].strip() for row in rules.tsv("officials/pending_bridges.tsv")
               if row and row[0].strip()}
    abbreviations = {row[0].strip(): row[1].strip() for row in rules.tsv("abbreviations.tsv") if len(row) >= 2}
    clauses = rules.tsv("officials/person_clauses.tsv")
    keys = sorted(abbreviations, key=len, reverse=True)
    abbreviation_re = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + r")(?![\w.])"
                                 if keys else r"(?!x)x")
    return Lexicon(
        surnames=frozenset(rules.lines("officials/surnames.txt")),
        heads=tokens.phrases.get(HEAD, frozenset()),
        middle_names=frozenset(rules.lines("officials/middle_names.txt")),
        stopwords=frozenset(w.lower() for w in rules.lines("officials/stopwords.txt")),
        roles=roles, admin_types=admin_types, admin_levels=admin_levels, location_units=frozenset(location_units),
        place_types=_place_types(rules),
        abbreviations=abbreviations, abbreviation_re=abbreviation_re, org_capitals=tokens.org_capitals,
        pending_bridges=bridges,
        bridge_openers=frozenset(key.split()[0] for key in bridges if key),
        absent_owners=frozenset(normalize_text(w).lower() for w in rules.lines("officials/absent_owners.txt")),
        name_particles=frozenset(normalize_text(w).lower() for w in rules.lines("officials/name_particles.txt")),
        person_clauses={normalize_text(row[0]).strip().lower(): row[1].strip()
                        for row in clauses if len(row) >= 2 and row[0].strip() and not _after_number(row)},
        clauses_after_number=frozenset(normalize_text(row[0]).strip().lower() for row in clauses if _after_number(row)),
        clause_openers=frozenset(normalize_text(row[0]).strip().lower().split()[0]
                                 for row in clauses if row and row[0].strip() and not _after_number(row)),
        countries=frozenset(normalize_text(w).lower() for w in rules.lines("places/countries.txt")),
        implied_bodies={normalize_text(row[0]).strip().lower(): normalize_text(row[1]).strip().lower()
                        for row in rules.tsv("officials/implied_bodies.tsv") if len(row) >= 2},
    )


def _after_number(row: list[str]) -> bool:
    """A rules/officials/person_clauses.tsv row whose phrase is written after a number ("58 tuổi")."""
    return len(row) >= 3 and row[2].strip() == "number"


def _admin_units(rules: Rules) -> tuple[dict[str, str], set[str], dict[str, tuple[int, ...]]]:
    """From rules/places/admin_units.tsv: unit word → type, the units reported as locations, unit → levels."""
    admin_types, location_units, admin_levels = {}, set(), {}
    for row in rules.tsv("places/admin_units.tsv"):
        if len(row) >= 2:
            word = row[0].strip().lower()
            admin_types[word] = row[1].strip()
            if len(row) < 3 or row[2].strip() != "no":
                location_units.add(word)
            if len(row) >= 4 and row[3].strip():
                admin_levels[word] = tuple(int(level) for level in row[3].split(","))
    return admin_types, location_units, admin_levels


def _place_types(rules: Rules) -> dict[str, str]:
    """Place name (lower case) → its type, from the place tables and lists."""
    place_types = {}
    for name in PLACE_TABLES:
        for row in rules.tsv(name):
            if row and row[0].strip():
                place_types[row[0].strip().lower()] = row[1].strip() if len(row) > 1 else ""
    for name, kind in place_lists(rules):
        for line in rules.lines(name):
            place_types.setdefault(line.strip().lower(), kind)
    return place_types


def role_end(hits: dict[str, int]) -> int | None:
    """End of the role verb starting at a token with these hits ("phát biểu", "dự"), None when
    there is none or a false friend outruns it ("dự án", "tiếp tục": rules/officials/role_false_friends.txt).

    >>> role_end({ROLE: 3}), role_end({ROLE: 3, NOT_ROLE: 4}), role_end({})
    (3, None, None)
    """
    role = hits.get(ROLE)
    return role if role is not None and (hits.get(NOT_ROLE) or 0) <= role else None
