"""Canonical positions: variants of one post written differently become one key.

A title as written ("Bí thư Thành ủy TP.HCM", "bí thư thành ủy TPHCM", "Bí thư Thành ủy" in an
article about Hồ Chí Minh City) becomes one canonical post ("Bí thư Thành ủy thành phố Hồ Chí
Minh"): abbreviations spelled out (`rules/abbreviations.tsv`), case and tone placement folded, a
province named after a local body given its unit word, a bare unit at the end ("… UBND thành phố",
"Bí thư Tỉnh ủy") completed with the place the portal (`rules/places/portals.tsv`) or the article
makes certain, posts written without their body completed (`rules/officials/full_posts.tsv`,
`implied_bodies.tsv`). "nguyên …" (former) and the merger qualifiers "cũ"/"mới" stay in the post
and are marked (`rules/officials/position_qualifiers.tsv`), so they remain distinct positions.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, replace
from typing import Any, Iterable

from ..facts.organizations import expand_abbreviations
from ..facts.officials.lexicon import Lexicon, load_lexicon
from ..memo import Memo
from ..normalize import normalize_text
from ..rules_loader import Rules, load_rules


@dataclass(frozen=True)
class Province:
    """A province or centrally-run city: its name as listed and its unit type ("tỉnh", "thành phố")."""

    name: str
    type: str


@dataclass(frozen=True)
class Position:
    """One post, canonical: `key` compares (lower case), `canonical` reads (spelled out).

    `province` is the province or city the post belongs to when it names or implies one;
    `former` marks "nguyên …"; `qualifier` is "old"/"new" for units around a merger;
    `filled` says where an implicit place came from ("portal" or "article"), None when written.
    """

    title: str
    canonical: str
    key: str
    province: str | None = None
    former: bool = False
    qualifier: str | None = None
    filled: str | None = None


@dataclass(frozen=True)
class ArticleContext:
    """What an article makes certain about its place: the portal's province and the one province
    the article is about (None when it names none or several)."""

    portal: Province | None = None
    article: Province | None = None


def _key(text: str) -> str:
    return " ".join(normalize_text(text).lower().split())


def _words_re(phrases: Iterable[str]) -> re.Pattern | None:
    alternatives = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(p) for p in alternatives) + r")(?!\w)")


class PositionCanon:
    """Canonicalizes titles with the shipped (or a user's) rules; build once, reuse.

    >>> canon = PositionCanon.for_rules()
    >>> canon.position("Bí thư Thành ủy TP.HCM").key == canon.position("bí thư thành ủy TPHCM").key
    True
    """

    def __init__(self, rules: Rules):
        self.rules = rules
        self.lexicon: Lexicon = load_lexicon(rules)
        self.provinces: dict[str, Province] = {}
        for row in rules.tsv("places/provinces.tsv"):
            if len(row) < 2:
                continue
            name = expand_abbreviations(normalize_text(row[0].strip()), self.lexicon)
            self.provinces.setdefault(_province_key(name), Province(name, row[1].strip()))
        self._province_re = _words_re(self._province_spellings())
        self.unit_words = {p.type for p in self.provinces.values()}
        self.portals: list[tuple[str, Province]] = []
        for row in rules.tsv("places/portals.tsv"):
            if len(row) >= 2 and (province := self.province_named(row[1])) is not None:
                self.portals.append((row[0].strip().lower(), province))
        self.unit_bodies: dict[str, str] = {_key(r[0]): r[1].strip() for r in rules.tsv("places/unit_bodies.tsv") if len(r) >= 2}
        qualifiers = [r for r in rules.tsv("officials/position_qualifiers.tsv") if len(r) >= 3]
        self.before_qualifiers = {_key(r[0]): r[1].strip() for r in qualifiers if r[2].strip() == "before"}
        self.after_qualifiers = {_key(r[0]): r[1].strip() for r in qualifiers if r[2].strip() == "after"}
        self._after_re = _words_re(self.after_qualifiers)
        self.full_posts = {_key(expand_abbreviations(normalize_text(r[0]), self.lexicon)): normalize_text(r[1].strip())
                           for r in rules.tsv("officials/full_posts.tsv") if len(r) >= 2}
        self.implied_bodies = [(normalize_text(r[0].strip()), normalize_text(r[1].strip()))
                               for r in rules.tsv("officials/implied_bodies.tsv") if len(r) >= 2]
        # Body names that contain a place name of their own ("Đoàn Thanh niên Cộng sản Hồ Chí Minh")
        # must not make the post that city's; bodies taking a place ("UBND", "Thành ủy") get one.
        bodies = [(expand_abbreviations(normalize_text(r[0].strip()), self.lexicon), r[1].strip())
                  for r in rules.tsv("organizations/bodies.tsv") if len(r) >= 2]
        self._named_bodies_re = _words_re([_key(b) for b, _ in bodies if self._province_re.search(_key(b))])
        # "Thủ tướng" alone is the Vietnamese Government's only for a Vietnamese name: Theresa May's
        # bare "Thủ tướng" is Britain's (the surname list says which names are Vietnamese).
        self.surnames = {normalize_text(line.strip()).lower() for line in rules.lines("officials/surnames.txt")}
        # Portals, titles and positions repeat across an archive: each is worked out once
        # (bounded caches, so a million distinct titles cannot grow them without end).
        self._portal_cache: dict[str, Province | None] = Memo(cap=100_000)
        self._title_province_cache: dict[str, Province | None] = Memo(cap=200_000)
        self._position_cache: dict[tuple, Position] = Memo(cap=200_000)
        self._place_bodies = sorted({_key(b) for b, kind in bodies if kind == "place"}, key=len, reverse=True)

    @classmethod
    def for_rules(cls, rules: Rules | str | None = None) -> "PositionCanon":
        """One canonicalizer per rules set (cached)."""
        loaded = load_rules(rules)
        return loaded.cached("research:position_canon", lambda: cls(loaded))

    def _province_spellings(self) -> list[str]:
        spellings = set()
        for province in self.provinces.values():
            spellings.add(province.name.lower())
            spellings.add(" ".join(province.name.replace("-", " ").replace("–", " ").split()).lower())
        return sorted(spellings)

    def province_named(self, name: str | None) -> Province | None:
        """The province a name (as written in a location, a title or a rules file) stands for.

        >>> PositionCanon.for_rules().province_named("HCM")
        Province(name='Hồ Chí Minh', type='thành phố')
        """
        if not name:
            return None
        key = _province_key(expand_abbreviations(normalize_text(name), self.lexicon))
        for unit_word in self.unit_words:  # "TP.HCM", "tỉnh Nghệ An"
            if key.startswith(unit_word + " ") and key not in self.provinces:
                key = key[len(unit_word) + 1:]
        return self.provinces.get(key)

    def portal_province(self, host_or_url: str | None) -> Province | None:
        """The province a portal belongs to, from `rules/places/portals.tsv`.

        >>> PositionCanon.for_rules().portal_province("https://kienthuy.haiphong.gov.vn/tin-tuc/1").name
        'Hải Phòng'
        """
        if not host_or_url:
            return None
        return self._portal_cache.recall(host_or_url, self._portal_province)

    def _portal_province(self, host_or_url: str) -> Province | None:
        host = re.sub(r"^[a-z]+://", "", host_or_url.strip().lower()).split("/")[0].split(":")[0]
        host = host[4:] if host.startswith("www.") else host
        for pattern, province in self.portals:
            if fnmatch.fnmatchcase(host, pattern):
                return province
        return None

    def context(self, record: dict[str, Any]) -> ArticleContext:
        """The places a record makes certain: its portal's province, and the single province its
        locations and titles name (several named: none is certain)."""
        portal = self.portal_province(record.get("site")) or self.portal_province(record.get("url"))
        named: dict[str, Province] = {}
        for location in record.get("locations") or ():
            if isinstance(location, dict) and location.get("type") in self.unit_words:
                province = self.province_named(location.get("name"))
                if province is not None:
                    named[province.name] = province
        for official in record.get("officials") or ():
            for title in (official.get("titles") or ()) if isinstance(official, dict) else ():
                if not isinstance(title, str):
                    continue
                found = self._title_province_cache.recall(title, self._title_province)
                if found is not None:
                    named[found.name] = found
        article = next(iter(named.values())) if len(named) == 1 else None
        return ArticleContext(portal=portal, article=article)

    def _title_province(self, title: str) -> Province | None:
        return self._province_in(_key(self._spelled(title)))

    def _spelled(self, title: str) -> str:
        return " ".join(expand_abbreviations(normalize_text(title), self.lexicon).split())

    def _mask_named_bodies(self, lowered: str) -> str:
        if self._named_bodies_re is None:
            return lowered
        return self._named_bodies_re.sub(lambda m: "\0" * len(m.group()), lowered)

    def _province_in(self, key: str) -> Province | None:
        masked = self._mask_named_bodies(key)
        match = self._province_re.search(masked)
        return self.provinces.get(_province_key(match.group(1))) if match else None

    def position(self, title: str, context: ArticleContext | None = None, complete: bool = True) -> Position:
        """The canonical post of a title as written, in an article's context; `complete=False`
        leaves posts written without their body ("Thủ tướng") as written, for the registry to
        complete per person (`complete`) once it knows the person's other posts.

        >>> canon = PositionCanon.for_rules()
        >>> hp = ArticleContext(portal=canon.province_named("Hải Phòng"))
        >>> canon.position("Chủ tịch UBND thành phố", hp).canonical
        'Chủ tịch Ủy ban nhân dân thành phố Hải Phòng'
        >>> p = canon.position("nguyên Chủ tịch UBND tỉnh Hà Giang cũ")
        >>> p.former, p.qualifier, p.province
        (True, 'old', 'Hà Giang')
        """
        cache_key = (title, context, complete)
        cached = self._position_cache.get(cache_key)
        if cached is None:
            cached = self._position_cache.remember(cache_key, self._position(title, context, complete))
        return cached

    def _position(self, title: str, context: ArticleContext | None, complete: bool) -> Position:
        spelled = self._spelled(title)
        # Split off "nguyên" before and "cũ"/"mới" after: the post between is canonicalized alone.
        before = ""
        former = False
        lowered = spelled.lower()
        for word, meaning in self.before_qualifiers.items():
            if lowered.startswith(word + " "):
                before, spelled, former = spelled[:len(word)], spelled[len(word) + 1:], meaning == "former"
                break
        after, qualifier = "", None
        if self._after_re is not None:
            match = _last_match(self._after_re, spelled.lower())
            if match and match.start() > 0 and match.end() == len(spelled):
                after, qualifier = spelled[match.start():], self.after_qualifiers[match.group(1)]
                spelled = spelled[:match.start()].rstrip(" ,")
        spelled = _TRAILING_ABBREVIATION_RE.sub("", spelled)
        if complete:
            spelled = self.full_posts.get(spelled.lower(), spelled)
        spelled = self._with_implied_body(spelled)
        spelled = self._with_unit_words(spelled)
        filled = None
        province = self._province_in(spelled.lower())
        if province is None and qualifier is None and context is not None:
            spelled, province, filled = self._with_implicit_place(spelled, context)
        canonical = " ".join(part for part in (before.lower() if before else "", spelled, after.lower()) if part)
        return Position(title=title, canonical=canonical, key=_key(canonical),
                        province=province.name if province else None, former=former, qualifier=qualifier,
                        filled=filled)

    def is_vietnamese_name(self, name: str) -> bool:
        """Does a full name open with a Vietnamese surname (`rules/officials/surnames.txt`)?

        >>> canon = PositionCanon.for_rules()
        >>> canon.is_vietnamese_name("Nguyễn Xuân Phúc"), canon.is_vietnamese_name("Theresa May")
        (True, False)
        """
        words = normalize_text(name).lower().split()
        return bool(words) and words[0] in self.surnames

    def complete(self, position: Position) -> Position:
        """A post written without its body, completed from `rules/officials/full_posts.tsv`.

        >>> canon = PositionCanon.for_rules()
        >>> canon.complete(canon.position("Thủ tướng", complete=False)).canonical
        'Thủ tướng Chính phủ'
        """
        if position.former or position.qualifier:
            return position
        full = self.full_posts.get(position.key)
        if full is None:
            return position
        return replace(position, canonical=full, key=_key(full))

    def _with_implied_body(self, spelled: str) -> str:
        for head, body in self.implied_bodies:
            if spelled.startswith(head + " ") and not re.search(r"(?<!\w)" + re.escape(body) + r"(?!\w)", spelled[len(head):]):
                rest = spelled[len(head) + 1:]
                if rest[:1].isupper():
                    return f"{head} {body} {rest}"
        return spelled

    def _with_unit_words(self, spelled: str) -> str:
        """"Thành ủy Hà Nội" → "Thành ủy thành phố Hà Nội": a province after a local body gets its unit word."""
        lowered = spelled.lower()
        masked = self._mask_named_bodies(lowered)
        for match in reversed(list(self._province_re.finditer(masked))):
            province = self.provinces.get(_province_key(match.group(1)))
            if province is None:
                continue
            head = lowered[:match.start()].rstrip()
            if head.endswith(province.type):
                continue
            if any(head.endswith(body) for body in self._place_bodies):
                spelled = f"{spelled[:match.start()].rstrip()} {province.type} {spelled[match.start():]}"
        return spelled

    def _with_implicit_place(self, spelled: str, context: ArticleContext) -> tuple[str, Province | None, str | None]:
        lowered = spelled.lower()
        for word, unit_type in self.unit_bodies.items():
            if lowered == word or lowered.endswith(" " + word):
                for source, province in (("portal", context.portal), ("article", context.article)):
                    if province is not None and province.type == unit_type:
                        place = province.name if word == unit_type else f"{unit_type} {province.name}"
                        return f"{spelled} {place}", province, source
                break
        return spelled, None, None


# "Chủ tịch Quốc hội (QH)": an abbreviation given in brackets after the post adds nothing to it.
_TRAILING_ABBREVIATION_RE = re.compile(r"\s*\([A-ZĐ&\-]{2,10}\)$")


def _province_key(name: str) -> str:
    return " ".join(name.replace("-", " ").replace("–", " ").lower().split())


def _last_match(pattern: re.Pattern, text: str) -> re.Match | None:
    last = None
    for last in pattern.finditer(text):
        pass
    return last
