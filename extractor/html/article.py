"""The article a page reader produces: what the pipeline needs from a page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    """A page reduced to the parts a record uses; `text` is lead + body paragraphs."""

    url: str | None = None
    site: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: str | None = None
    text: str = ""
    lead: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
