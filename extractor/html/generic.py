"""The fallback reader for pages no profile fits: meta tags → JSON-LD → content density.

Publishers that never heard of us still say a lot in machine-readable form (Open Graph,
`article:published_time`, schema.org NewsArticle); what they don't say, the page's shape does:
the article body is the element holding the most paragraph text that is not link text.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, Iterator

from bs4 import BeautifulSoup, Tag

from ..published import VIETNAM_TZ, parse_iso, parse_publication_datetime
from .blocks import clean_text, element_text
from .profiles import CommonRules

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle"}
_DATE_META = (
    ("property", "article:published_time"), ("name", "article:published_time"),
    ("itemprop", "datePublished"), ("name", "pubdate"), ("name", "publishdate"),
    ("name", "dc.date.issued"), ("name", "DC.date.issued"), ("name", "date"),
)
_TITLE_SEPARATORS = re.compile(r"\s+[-–—|:]\s+")
# A visible date line is short; a body paragraph that happens to contain a date is not one.
_MAX_DATE_LINE = 80


def json_ld_article(soup: BeautifulSoup) -> dict[str, Any]:
    """The first schema.org article object in the page's JSON-LD, or {}.

    >>> json_ld_article(BeautifulSoup('<script type="application/ld+json">{"@type":"NewsArticle","headline":"T"}</script>', "lxml"))["headline"]
    'T'
    """
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, TypeError):
            continue
        for item in _json_ld_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(str(k).lower() in _ARTICLE_TYPES for k in kinds):
                return item
    return {}


def _json_ld_items(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _json_ld_items(entry)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _json_ld_items(data["@graph"])


def meta_content(soup: BeautifulSoup, attr: str, value: str) -> str | None:
    """The non-empty content of <meta attr=value>, else None.

    >>> meta_content(BeautifulSoup('<meta property="og:type" content="article">', "lxml"), "property", "og:type")
    'article'
    """
    tag = soup.find("meta", attrs={attr: value})
    content = tag.get("content") if tag else None
    return content.strip() if isinstance(content, str) and content.strip() else None


def meta_title(soup: BeautifulSoup, ld: dict[str, Any]) -> str | None:
    """Title from h1 when it agrees with og:title/<title>, else og:title, JSON-LD or <title>.

    >>> meta_title(BeautifulSoup("<title>Họp báo quý I - Cổng TTĐT</title><h1>Họp báo quý I</h1>", "lxml"), {})
    'Họp báo quý I'
    """
    declared = meta_content(soup, "property", "og:title") or (ld.get("headline") if ld else None)
    page_title = element_text(soup.title) if soup.title else ""
    for h1 in soup.find_all("h1"):
        text = element_text(h1)
        if len(text) > 10 and (not (declared or page_title) or text in (declared or "") or text in page_title):
            return text
    if declared:
        return clean_text(str(declared))
    h1 = soup.find("h1")
    return element_text(h1) or title_from_page_title(soup, page_title) or None


def title_from_page_title(soup: BeautifulSoup, page_title: str) -> str | None:
    """The <title> without its " - Site name" part: the longest prefix or suffix (cut at a
    separator) that some element of the page repeats whole.

    >>> soup = BeautifulSoup("<title>Họp báo quý I - Cổng TTĐT</title><div>Họp báo quý I</div>", "lxml")
    >>> title_from_page_title(soup, "Họp báo quý I - Cổng TTĐT")
    'Họp báo quý I'
    """
    cuts = list(_TITLE_SEPARATORS.finditer(page_title))
    pieces = sorted({page_title[: m.start()].strip() for m in cuts} | {page_title[m.end():].strip() for m in cuts},
                    key=len, reverse=True)
    for piece in pieces:
        if soup.body is not None and soup.body.find(string=lambda s: s is not None and clean_text(s) == piece):
            return piece
    return page_title or None


def published_from_meta(soup: BeautifulSoup, ld: dict[str, Any]) -> str | None:
    """`published_at` from meta tags, <time itemprop=datePublished> or JSON-LD.

    >>> published_from_meta(BeautifulSoup('<meta property="article:published_time" content="2020-05-22T08:33:00+07:00">', "lxml"), {})
    '2020-05-22T08:33:00+07:00'
    """
    candidates = [meta_content(soup, attr, value) for attr, value in _DATE_META]
    for tag in soup.find_all(attrs={"itemprop": "datePublished"}):
        candidates.append(tag.get("content") or tag.get("datetime"))
    if ld:
        candidates.append(ld.get("datePublished"))
    for value in candidates:
        if isinstance(value, str) and value.strip():
            parsed = to_vietnam_time(parse_publication_datetime(value))
            if parsed:
                return parsed
    return None


def to_vietnam_time(value: str | None) -> str | None:
    """Express a zoned ISO time in Vietnam time (+07:00), which is how portals print it.

    >>> to_vietnam_time("2020-05-22T01:33:00+00:00")
    '2020-05-22T08:33:00+07:00'
    """
    parsed = parse_iso(value)
    if isinstance(parsed, datetime) and parsed.tzinfo is not None:
        try:
            return parsed.astimezone(VIETNAM_TZ).isoformat()
        except OverflowError:  # at the calendar's edge (9999-12-31T23:00-05:00): keep it as written
            return value
    return value


def published_from_text(lines: list[str]) -> str | None:
    """The first short line that parses as a publication date-time.

    >>> published_from_text(["Tin tức", "Thứ Sáu, 22/05/2020 08:33"])
    '2020-05-22T08:33:00+07:00'
    """
    for line in lines:
        if len(line) <= _MAX_DATE_LINE:
            parsed = parse_publication_datetime(line)
            if parsed:
                return parsed
    return None


def is_noise(element: Tag, common: CommonRules) -> bool:
    """Whether an element's class/id names page furniture (share bars, comments, related news).

    >>> from extractor.html.profiles import load_common
    >>> is_noise(BeautifulSoup('<div class="box-related">x</div>', "lxml").div, load_common())
    True
    """
    marks = " ".join(element.get("class") or []) + " " + str(element.get("id") or "")
    return bool(marks.strip()) and common.generic_noise.search(marks) is not None


def density_container(soup: BeautifulSoup) -> Tag | None:
    """The element whose direct paragraphs hold the most non-link text (the article body).

    >>> soup = BeautifulSoup("<div><p>menu</p></div><div id=b><p>" + "chữ " * 50 + "</p><p>thêm</p></div>", "lxml")
    >>> density_container(soup)["id"]
    'b'
    """
    best, best_score = None, 0.0
    for parent in {id(p.parent): p.parent for p in soup.find_all(["p", "br"]) if p.parent}.values():
        score = _paragraph_score(parent)
        if score > best_score:
            best, best_score = parent, score
    return best


def _paragraph_score(parent: Tag) -> float:
    """Non-link text of the direct paragraphs (and loose text, for <br>-separated bodies)."""
    score = float(sum(len(s.strip()) for s in parent.find_all(string=True, recursive=False)))
    for child in parent.find_all(["p", "div"], recursive=False):
        if child.name == "div" and child.find(["p", "div", "table", "ul"]) is not None:
            continue
        text = element_text(child)
        if not text:
            continue
        link_chars = sum(len(element_text(a)) for a in child.find_all("a"))
        if link_chars > 0.5 * len(text):
            continue
        score += len(text) - link_chars
    return score
