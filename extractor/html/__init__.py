"""Page → article. Minimal reader until the scraper lands: title, meta date, <p> paragraphs."""

from __future__ import annotations

from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from ..published import parse_publication_datetime
from .article import Article

__all__ = ["Article", "read_article"]


def read_article(html: str | bytes, url: str | None = None) -> Article:
    """Read an article page into an `Article`.

    >>> read_article("<html><title>T</title><p>Chiều 21/5, họp.</p></html>").text
    'Chiều 21/5, họp.'
    """
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    title_tag = soup.find("h1") or soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else None
    meta = soup.find("meta", attrs={"property": "article:published_time"})
    published = parse_publication_datetime(meta["content"]) if meta and meta.get("content") else None
    paragraphs = [p.get_text(" ", strip=True) for p in soup.find_all("p")]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs and soup.body:
        paragraphs = [soup.body.get_text("\n", strip=True)]
    site = urlsplit(url).hostname if url else None
    return Article(url=url, site=site, title=title, published_at=published,
                   text="\n\n".join(paragraphs), paragraphs=paragraphs)
