"""Page → article: the profile's selectors when a platform profile fits, the generic chain otherwise.

`parse_page` parses once and serves both consumers of a page: the crawler (links, is it an
article?) and the record builder (`Article`).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import zip_longest
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, CData, NavigableString, Tag

from ..rules_loader import Rules
from .article import Article
from .captions import MAX_CAPTION_CHARS, implicit_captions
from .encoding import decode_body
from .blocks import Block, clean_text, element_text, prepare, walk_blocks
from .generic import (density_container, is_noise, json_ld_article, meta_content, meta_title,
                      published_from_meta, published_from_text, to_vietnam_time)
from ..published import parse_publication_datetime
from .profiles import CommonRules, Profile, choose_profile, load_common

_FEED_TYPES = ("application/rss+xml", "application/atom+xml")
_MIN_ARTICLE_CHARS = 200
# Whitespace as clean_text folds it: line separators (<br>) included.
_FOLD_SPACE_RE = re.compile(r"[\s\u2028]+")
# A listing item longer than this is a teaser paragraph whose dates are about something else.
_MAX_LISTING_ITEM = 300
# How many text nodes after / before the title are searched for a visible date line.
_DATE_SEARCH_AFTER, _DATE_SEARCH_BEFORE = 40, 12


@dataclass(frozen=True)
class Link:
    """A link found on a page, with what the page's profile thinks it is."""

    url: str
    kind: str  # article, listing, feed, page
    published: str | None = None  # the date a listing prints beside an article link, if any


@dataclass
class ParsedPage:
    """A page parsed once, with the profile chosen for it (None: generic reading)."""

    url: str | None
    soup: BeautifulSoup
    profile: Profile | None
    common: CommonRules
    _article: Article | None = field(default=None, repr=False)
    _read_by: str = ""  # "profile" or "generic", once read
    _strong_signals: bool = False  # og:type article or a JSON-LD article

    # -- links ------------------------------------------------------------------------------
    def links(self) -> list[Link]:
        """Every <a href> and feed link of the page, classified by URL shape; call before `article()`."""
        base = self._base_url()
        found: dict[str, Link] = {}
        listing_items = self._select_ids(self.profile.listing_items if self.profile else None)
        next_links = self._select_ids(self.profile.listing_next if self.profile else None)
        for tag in self.soup.find_all("link", href=True):
            if (tag.get("type") or "").lower() in _FEED_TYPES:
                url = urljoin(base, tag["href"])
                found.setdefault(url, Link(url, "feed"))
        for a in self.soup.find_all("a", href=True):
            href = a["href"].strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
                continue
            url = urljoin(base, href)
            kind = self._kind(url, id(a) in listing_items, id(a) in next_links)
            if url not in found or found[url].kind == "page":
                found[url] = Link(url, kind, _listed_date(a) if kind == "article" else None)
        return list(found.values())

    def canonical_link(self) -> str | None:
        """The absolute URL of <link rel="canonical">, if the page declares one.

        >>> parse_page('<link rel="canonical" href="/tin-tuc-su-kien/a-1">', "http://h/Pages/x.aspx?ItemID=1").canonical_link()
        'http://h/tin-tuc-su-kien/a-1'
        """
        for tag in self.soup.find_all("link", href=True):
            if "canonical" in [r.lower() for r in (tag.get("rel") or [])]:
                return urljoin(self._base_url(), tag["href"].strip())
        return None

    def _base_url(self) -> str:
        base = self.soup.find("base", href=True)
        return urljoin(self.url or "", base["href"]) if base else (self.url or "")

    def _select_ids(self, selector: str | None) -> set[int]:
        return {id(t) for t in self.soup.select(selector)} if selector else set()

    def _kind(self, url: str, listed: bool, is_next: bool) -> str:
        if self.profile is not None:
            if self.profile.is_article_url(url):
                return "article"
            if is_next or self.profile.is_listing_url(url):
                return "listing"
            if listed:
                return "article"
        path = urlsplit(url).path.lower()
        if path.endswith((".rss", ".xml")) or "/rss" in path:
            return "feed"
        if any(p.search(url) for p in self.common.generic_article_urls):
            return "article"
        if any(p.search(url) for p in self.common.generic_listing_urls):
            return "listing"
        return "page"

    # -- article ----------------------------------------------------------------------------
    def article(self) -> Article:
        """The page read as an article (whatever the page is; see `is_article`)."""
        if self._article is None:
            self._article = self._read()
        return self._article

    def is_article(self) -> bool:
        """Whether the page holds an article rather than a listing, home or error page.

        With a profile, its body selector must match; generic pages need a publication date (or
        og:type/JSON-LD saying "article") and a few hundred characters of text.
        """
        article = self.article()
        if not article.text:
            return False
        if self._read_by == "profile":
            return True
        if self.profile is not None and not self._strong_signals:
            return False
        return (bool(article.published_at) or self._strong_signals) and len(article.text) >= _MIN_ARTICLE_CHARS

    def _read(self) -> Article:
        ld = json_ld_article(self.soup)
        self._strong_signals = bool(ld) or meta_content(self.soup, "property", "og:type") == "article"
        prepare(self.soup)
        article = self._read_with_profile() if self.profile is not None else None
        self._read_by = "profile"
        if article is None or not article.text:
            article = self._read_generic(ld)
            self._read_by = "generic"
        return article

    def _read_with_profile(self) -> Article | None:
        assert self.profile is not None
        spec = self.profile.article
        root = self._first(spec.get("root")) or self.soup
        body = _select_first(root, spec.get("body"))
        if body is None:
            return None
        title_el = _select_first(root, spec.get("title")) or _select_first(self.soup, spec.get("title"))
        published_el = _select_first(root, spec.get("published"))
        lead_el = _select_first(root, spec.get("lead"))
        author_el = _select_first(root, spec.get("author"))
        title = element_text(title_el)
        published = self._published(published_el)
        lead = self._clean_lead(element_text(lead_el)) if lead_el is not None else None
        author = self._author_text(element_text(author_el))
        for field_el in (title_el, published_el, lead_el, author_el):
            if field_el is not None and field_el is not body and _contains(body, field_el):
                field_el.decompose()  # templates that put the header inside the body element
        for selector in spec.get("drop", []):
            for tag in root.select(selector):
                if not _contains(tag, body):
                    tag.decompose()
        self._drop_common(body)
        blocks = self._content_blocks(body)
        if spec.get("author_last_paragraph") and not author:
            author, blocks = self._take_byline(blocks)
        return self._assemble(title or None, published or self._published_generic(title), author, lead, blocks)

    def _read_generic(self, ld: dict) -> Article:
        title = meta_title(self.soup, ld)
        published = published_from_meta(self.soup, ld)
        author = self._author_text(meta_content(self.soup, "name", "author") or _ld_author(ld))
        order = {id(tag): i for i, tag in enumerate(self.soup.find_all(True))}
        lead_el = self._generic_lead(order, title_element(self.soup, title))
        if not author:
            author = self._generic_author()
        published = published or self._published_generic(title)
        for _ in range(len(order)):  # each turn removes one element: bounded by their number
            heading = title_element(self.soup, title)
            if heading is None:
                break
            heading.decompose()  # the title is not part of the text
        # Not <form>: ASP.NET portals wrap the whole page in one.
        for tag in self.soup.find_all(["nav", "header", "footer", "aside"]):
            tag.decompose()
        for tag in [t for t in self.soup.find_all(True) if t.attrs is not None and is_noise(t, self.common)]:
            if tag.parent is not None and not tag.find("h1"):
                tag.decompose()
        container = density_container(self.soup)
        blocks = self._content_blocks(container) if container is not None else []
        if lead_el is not None and container is not None:
            if _contains(container, lead_el):
                blocks = [b for b in blocks if b.text != element_text(lead_el)]
            elif order.get(id(lead_el), 0) > order.get(id(container), 0):
                lead_el = None  # a "summary" after the body belongs to something else (a sidebar item)
        lead = self._clean_lead(element_text(lead_el)) if lead_el is not None else None
        blocks = [b for b in blocks if not _is_date_line(b.text, published)]
        if not author:
            author, blocks = self._take_byline(blocks)
        if not blocks and ld.get("articleBody"):
            blocks = [Block("para", p.strip()) for p in str(ld["articleBody"]).split("\n") if p.strip()]
        return self._assemble(title, published, author, lead, blocks)

    def _assemble(self, title: str | None, published: str | None, author: str | None,
                  lead: str | None, blocks: list[Block]) -> Article:
        paragraphs = [b.text for b in blocks if b.kind == "para"]
        if lead and paragraphs and paragraphs[0] == lead:
            paragraphs = paragraphs[1:]
        captions = [b.text for b in blocks if b.kind == "caption"]
        text = "\n\n".join(([lead] if lead else []) + paragraphs)
        url = self.url
        site = (urlsplit(url).hostname or "").lower() if url else None
        if site and site.startswith("www."):
            site = site[4:]
        return Article(url=url, site=site or None, title=title, author=author, published_at=published,
                       text=text, lead=lead or None, paragraphs=paragraphs, captions=captions)

    # -- pieces -----------------------------------------------------------------------------
    def _first(self, selector: str | None) -> Tag | None:
        return self.soup.select_one(selector) if selector else None

    def _published(self, element: Tag | None) -> str | None:
        if element is None:
            return None
        return to_vietnam_time(parse_publication_datetime(element_text(element)))

    def _published_generic(self, title: str | None = None) -> str | None:
        """A visible date line near the title: the nearest short text line that parses as a date."""
        published = published_from_meta(self.soup, {})
        if published:
            return published
        anchor = title_element(self.soup, title) or self.soup.find("h1")
        if anchor is None:
            return None
        after = [clean_text(str(s)) for s in anchor.find_all_next(string=True, limit=_DATE_SEARCH_AFTER)]
        before = [clean_text(str(s)) for s in anchor.find_all_previous(string=True, limit=_DATE_SEARCH_BEFORE)]
        nearest_first = [line for pair in zip_longest(after, before) for line in pair if line]
        return published_from_text(nearest_first)

    def _clean_lead(self, text: str) -> str:
        return self.common.lead_prefix.sub("", text, count=1).strip()

    def _author_text(self, text: str | None) -> str | None:
        if not text:
            return None
        text = self.common.author_prefix.sub("", text.strip()).strip(" .-–")
        return text or None

    def _drop_common(self, body: Tag) -> None:
        for tag in body.select(self.common.drop_selector):
            tag.decompose()

    def _content_blocks(self, container: Tag) -> list[Block]:
        captions = {id(t) for t in container.select(self.common.caption_selector)}
        captions |= implicit_captions(container, self.common.caption_prefix, short_texts(container, MAX_CAPTION_CHARS))
        blocks = walk_blocks(container, captions)
        return [b for b in blocks if not self.common.is_boilerplate(b.text)]

    def _take_byline(self, blocks: list[Block]) -> tuple[str | None, list[Block]]:
        """Portals sign articles with a bare name as the last paragraph; take it out of the text."""
        paras = [i for i, b in enumerate(blocks) if b.kind == "para"]
        if len(paras) < 2:
            return None, blocks
        last = blocks[paras[-1]].text
        prefixed = self.common.author_prefix.match(last)
        candidate = self._author_text(last) if prefixed else last
        if candidate and (prefixed or (len(candidate) <= 60 and self.common.byline.match(candidate))):
            return candidate, blocks[: paras[-1]] + blocks[paras[-1] + 1:]
        return None, blocks

    def _generic_lead(self, order: dict[int, int], title: Tag | None) -> Tag | None:
        """The first element after the title whose class names a sapo/summary."""
        after = order.get(id(title), -1) if title is not None else -1
        for tag in self.soup.find_all(["h2", "p", "div", "span"], class_=True):
            if order.get(id(tag), 0) > after and self.common.generic_lead.search(" ".join(tag["class"])) \
                    and len(element_text(tag)) > 40:
                return tag
        return None

    def _generic_author(self) -> str | None:
        for tag in self.soup.find_all(True, class_=True):
            if self.common.generic_author.search(" ".join(tag["class"])):
                text = element_text(tag)
                if 0 < len(text) <= 80:
                    tag.decompose()
                    return self._author_text(text)
        return None


def title_element(soup: BeautifulSoup, title: str | None) -> Tag | None:
    """The element whose whole text is the title (h1/h2 first, then any element).

    >>> title_element(BeautifulSoup("<div class='t'>Họp báo</div>", "lxml"), "Họp báo")["class"]
    ['t']
    """
    if not title:
        return None
    short = short_texts(soup, len(title))
    for tag in soup.find_all(["h1", "h2"]) + soup.find_all(["div", "span", "p", "h3", "strong", "a"]):
        text = short.get(id(tag))
        if text is not None and clean_text(text) == title and tag.name != "title":
            return tag
    return None


_TEXT_TYPES = (NavigableString, CData)  # what get_text() reads (no comments, no doctype)


def short_texts(root: Tag, limit: int) -> dict[int, str]:
    """`id(tag)` → the text of every element under `root` whose text has at most `limit`
    non-space characters, whitespace runs folded (`clean_text` of it is the element's clean text).

    Built bottom-up in one walk, so finding the element that holds a short text costs time linear
    in the page, where `get_text()` per element is quadratic on deeply nested pages.

    >>> soup = BeautifulSoup("<div><p>Họp  <b>báo</b></p><p>Một đoạn dài hơn</p></div>", "lxml")
    >>> texts = short_texts(soup, 8)
    >>> texts[id(soup.p)], id(soup.div) in texts
    ('Họp báo', False)
    """
    texts: dict[int, str] = {}
    # Post-order walk with an explicit stack (a page may nest deeper than Python's recursion limit).
    stack: list[tuple[Tag, Iterator[Any], list[str], list[int]]] = [(root, iter(root.contents), [], [0])]
    while stack:  # each step consumes one child or closes one element: ends with the tree
        tag, children, pieces, size = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            text = _FOLD_SPACE_RE.sub(" ", "".join(pieces)) if size[0] <= limit else None
            if text is not None:
                texts[id(tag)] = text
            if stack:
                parent_pieces, parent_size = stack[-1][2], stack[-1][3]
                parent_size[0] += size[0]
                if text is not None and parent_size[0] <= limit:
                    parent_pieces.append(text)
            continue
        if isinstance(child, Tag):
            stack.append((child, iter(child.contents), [], [0]))
        elif type(child) in _TEXT_TYPES:
            piece = _FOLD_SPACE_RE.sub(" ", str(child)) if size[0] <= limit else ""
            size[0] += len(piece.replace(" ", "")) if size[0] <= limit else len(child)
            if size[0] <= limit:
                pieces.append(piece)
    return texts


def _listed_date(link: Tag) -> str | None:
    """The publication date a listing shows in the same item as an article link ("(23/05/2024)")."""
    item = link.find_parent(["li", "tr", "article"]) or link.parent
    text = element_text(item) if item is not None else ""
    return parse_publication_datetime(text) if 0 < len(text) <= _MAX_LISTING_ITEM else None


def _is_date_line(text: str, published: str | None) -> bool:
    """Whether a short paragraph is only the publication line ("Ngày đăng: 22/05/2020 08:33")."""
    return bool(published) and len(text) <= 80 and to_vietnam_time(parse_publication_datetime(text)) == published


def _select_first(root: Tag | None, selector: str | None) -> Tag | None:
    """The first match inside `root`, or `root` itself when it is what the selector names."""
    if root is None or not selector:
        return None
    found = root.select_one(selector)
    if found is None and isinstance(root, Tag) and not isinstance(root, BeautifulSoup) and root.css.match(selector):
        return root
    return found


def _contains(outer: Tag, inner: Tag) -> bool:
    return outer is inner or any(parent is outer for parent in inner.parents)


def _ld_author(ld: dict) -> str | None:
    author = ld.get("author") if ld else None
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict):
        author = author.get("name")
    return author if isinstance(author, str) else None


def parse_page(html: str | bytes, url: str | None = None, rules: Rules | str | None = None) -> ParsedPage:
    """Parse a page once and pick its profile.

    >>> page = parse_page('<h1 class="detail-title">Họp</h1><h2 class="detail-sapo">(Chinhphu.vn) - Sáng nay họp.</h2>'
    ...                   '<div class="detail-content" data-role="content"><p>Nội dung.</p></div>')
    >>> page.profile.name, page.article().lead
    ('baochinhphu', 'Sáng nay họp.')
    """
    if isinstance(html, bytes):
        html = decode_body(html)[0]
    soup = BeautifulSoup(unicodedata.normalize("NFC", html), "lxml")
    return ParsedPage(url=url, soup=soup, profile=choose_profile(soup, url, rules), common=load_common(rules))
