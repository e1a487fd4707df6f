"""Site profiles: per-platform selectors as data (rules/sites/*.json), matched to pages.

A profile describes a portal *platform* (vnPortal, Liferay with the DNICT module, the
baochinhphu template, …), not one site: it is chosen by host pattern when the host is known,
else by fingerprints in the page itself (markup classes, generator meta), so district and
provincial sites nobody configured are still read with the right selectors. Files whose name
starts with "_" hold rules shared by all readers (boilerplate lines, lead prefixes, …).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from ..rules_loader import Rules, load_rules

# A page is taken to run a platform when at least this many of its fingerprints are present.
MIN_FINGERPRINTS = 2


@dataclass(frozen=True)
class Profile:
    """One platform's selectors and URL shapes."""

    name: str
    hosts: tuple[str, ...]
    fingerprints: tuple[str, ...]
    article_urls: tuple[re.Pattern[str], ...]
    listing_urls: tuple[re.Pattern[str], ...]
    listing_items: str | None
    listing_next: str | None
    article: dict[str, Any] = field(default_factory=dict)

    def matches_host(self, url: str | None) -> bool:
        host = (urlsplit(url).hostname or "").lower() if url else ""
        host = host[4:] if host.startswith("www.") else host
        return bool(host) and any(fnmatch.fnmatch(host, pattern) for pattern in self.hosts)

    def fingerprint_score(self, soup: BeautifulSoup) -> int:
        return sum(1 for selector in self.fingerprints if soup.select_one(selector) is not None)

    def is_article_url(self, url: str) -> bool:
        return _matches_any(self.article_urls, url)

    def is_listing_url(self, url: str) -> bool:
        return _matches_any(self.listing_urls, url)


@dataclass(frozen=True)
class CommonRules:
    """Rules shared by every reader, compiled once per Rules object."""

    boilerplate: re.Pattern[str]
    lead_prefix: re.Pattern[str]
    author_prefix: re.Pattern[str]
    byline: re.Pattern[str]  # a bare signature: a short run of capitalised names ("Minh Anh - Hoàng Long (TTXVN)")
    caption_selector: str
    caption_prefix: re.Pattern[str]  # text that opens a caption written without a class
    drop_selector: str
    generic_noise: re.Pattern[str]
    generic_lead: re.Pattern[str]
    generic_author: re.Pattern[str]
    generic_article_urls: tuple[re.Pattern[str], ...]
    generic_listing_urls: tuple[re.Pattern[str], ...]

    def is_boilerplate(self, line: str) -> bool:
        """Whether a whole paragraph is page furniture ("Print", "Tin khác", "Lượt xem: 23")."""
        return self.boilerplate.fullmatch(line.strip()) is not None


def _matches_any(patterns: tuple[re.Pattern[str], ...], url: str) -> bool:
    parts = urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    return any(p.search(target) for p in patterns)


def _byline_re(joiners: list[str]) -> re.Pattern[str]:
    """A signature line: up to 8 capitalised words, joined by punctuation or a joining word, and a source in brackets.

    >>> bool(_byline_re(["và"]).match("Minh Anh và Hoàng Long (TTXVN)")), bool(_byline_re([]).match("Minh Anh và Hoàng Long"))
    (True, False)
    """
    words = "".join(rf"|{re.escape(w)}\s+" for w in sorted(joiners, key=len, reverse=True))
    return re.compile(rf"^(?:[A-ZĐÀ-Ỹ][\w.]*\s*(?:[-–,/]\s*{words})?){{1,8}}(?:\([^)]{{1,30}}\))?$")


def _compile_all(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def _build_profile(data: dict[str, Any]) -> Profile:
    listing = data.get("listing", {})
    return Profile(
        name=data["name"], hosts=tuple(data.get("hosts", ())),
        fingerprints=tuple(data.get("fingerprints", ())),
        article_urls=_compile_all(data.get("article_urls", [])),
        listing_urls=_compile_all(data.get("listing_urls", [])),
        listing_items=listing.get("items"), listing_next=listing.get("next"),
        article=data.get("article", {}),
    )


def load_profiles(rules: Rules | str | None = None) -> tuple[Profile, ...]:
    """Every platform profile in rules/sites/ (user folders may add or override files).

    >>> sorted(p.name for p in load_profiles())[:2]
    ['baochinhphu', 'dotnetnuke_hue']
    """
    rules = load_rules(rules)

    def build() -> tuple[Profile, ...]:
        names = [n for n in rules.names("sites", ".json") if not n.split("/")[-1].startswith("_")]
        return tuple(_build_profile(rules.json(n, {})) for n in names)

    return rules.cached("html:profiles", build)


def load_common(rules: Rules | str | None = None) -> CommonRules:
    """The shared reader rules of rules/sites/_common.json, compiled.

    >>> load_common().is_boilerplate("Tiện ích thông tin")
    True
    """
    rules = load_rules(rules)

    def build() -> CommonRules:
        data = rules.json("sites/_common.json", {})
        author = "|".join(re.escape(p) for p in sorted(data["author_prefixes"], key=len, reverse=True))
        return CommonRules(
            boilerplate=re.compile("(?:" + "|".join(data["boilerplate_lines"]) + r")\W*", re.IGNORECASE),
            lead_prefix=re.compile("|".join(f"(?:{p})" for p in data["lead_prefixes"]), re.IGNORECASE),
            author_prefix=re.compile(rf"^\s*(?:{author})\s*:\s*", re.IGNORECASE),
            byline=_byline_re(data.get("byline_joiners", [])),
            caption_selector=", ".join(data["caption_selectors"]),
            caption_prefix=re.compile(r"^\s*(?:" + "|".join(f"(?:{p})" for p in data.get("caption_prefixes", [])
                                                           or ["(?!)"]) + r")\s*[:(–-]", re.IGNORECASE),
            drop_selector=", ".join(data["drop_selectors"]),
            generic_noise=re.compile(data["generic_noise_pattern"], re.IGNORECASE),
            generic_lead=re.compile(data["generic_lead_pattern"], re.IGNORECASE),
            generic_author=re.compile(data["generic_author_pattern"], re.IGNORECASE),
            generic_article_urls=_compile_all(data["generic_article_urls"]),
            generic_listing_urls=_compile_all(data["generic_listing_urls"]),
        )

    return rules.cached("html:common", build)


def choose_profile(soup: BeautifulSoup, url: str | None, rules: Rules | str | None = None) -> Profile | None:
    """The profile for this page: by host pattern, else by the most fingerprints (at least 2).

    >>> choose_profile(BeautifulSoup('<h1 class="detail-title">T</h1><h2 class="detail-sapo">S</h2>', "lxml"), None).name
    'baochinhphu'
    """
    profiles = load_profiles(rules)
    for profile in profiles:
        if profile.matches_host(url):
            return profile
    best, best_score = None, MIN_FINGERPRINTS - 1
    for profile in profiles:
        score = profile.fingerprint_score(soup)
        if score > best_score:
            best, best_score = profile, score
    return best
