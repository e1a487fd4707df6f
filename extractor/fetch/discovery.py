"""Article discovery beyond links: sitemaps (and sitemap indexes) and RSS/Atom feeds."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)


@dataclass(frozen=True)
class FeedEntry:
    """A URL named by a sitemap or feed: an article, or (kind "sitemap") a nested sitemap."""

    url: str
    kind: str
    lastmod: str | None = None


def unpack_feed(body: bytes, max_bytes: int) -> bytes:
    """A gzip'ed sitemap (sitemap.xml.gz) unpacked, at most `max_bytes` of it; other bodies as they are.

    >>> import gzip
    >>> unpack_feed(gzip.compress(b"<urlset/>"), 1000)
    b'<urlset/>'
    """
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, max_bytes)
    except zlib.error:
        return b""


def parse_feed(body: bytes, limit: int | None = None) -> list[FeedEntry]:
    """URLs of a sitemap, sitemap index, RSS or Atom document ([] when it is none of these), at most
    `limit` of them.

    >>> [e.url for e in parse_feed(b'<urlset><url><loc>http://h/a-1</loc><lastmod>2020-05-22</lastmod></url></urlset>')]
    ['http://h/a-1']
    >>> parse_feed(b'<rss><channel><item><link>http://h/b</link></item></channel></rss>')[0].kind
    'article'
    """
    try:
        root = etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    kind_of_root = etree.QName(root).localname.lower()
    entries: list[FeedEntry] = []
    if kind_of_root in ("urlset", "sitemapindex"):
        child_kind = "sitemap" if kind_of_root == "sitemapindex" else "article"
        for element in root:
            if limit is not None and len(entries) >= limit:
                break
            loc = _child_text(element, "loc")
            if loc:
                entries.append(FeedEntry(loc, child_kind, _child_text(element, "lastmod")))
    elif kind_of_root == "rss" or kind_of_root == "rdf":
        for item in root.iter("{*}item"):
            if limit is not None and len(entries) >= limit:
                break
            link = _child_text(item, "link")
            if link:
                entries.append(FeedEntry(link, "article", _child_text(item, "pubDate")))
    elif kind_of_root == "feed":
        for entry in root.iter("{*}entry"):
            if limit is not None and len(entries) >= limit:
                break
            for link in entry.iter("{*}link"):
                if link.get("href") and link.get("rel", "alternate") == "alternate":
                    entries.append(FeedEntry(link.get("href"), "article", _child_text(entry, "updated")))
                    break
    return entries


def _child_text(element, name: str) -> str | None:
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return (child.text or "").strip() or None
    return None
