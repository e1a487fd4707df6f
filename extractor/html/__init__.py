"""Page → article: site profiles (rules/sites/) for known platforms, a generic chain for the rest."""

from __future__ import annotations

from ..rules_loader import Rules
from .article import Article
from .reader import Link, ParsedPage, parse_page

__all__ = ["Article", "Link", "ParsedPage", "parse_page", "read_article"]


def read_article(html: str | bytes, url: str | None = None, rules: Rules | str | None = None) -> Article:
    """Read an article page into an `Article` (an empty `text` when the page holds no article).

    >>> read_article("<html><title>T</title><body><h1>Họp giao ban</h1><p>Chiều 21/5, họp.</p></body></html>").text
    'Chiều 21/5, họp.'
    """
    return parse_page(html, url, rules).article()
