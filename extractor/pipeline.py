"""Text → record: normalize, run the fact components in order, resolve overlaps, build the record.

One `Pipeline` per rules set per process (components compile their rules once); `get_pipeline`
hands out the shared one. A component that raises on a document loses only its own family for
that document — the error is logged and the record still carries the other facts. Two errors are
the document's, not a component's, and end it: a time budget overrun (`budget.DocumentTimeout`)
and a reader that stopped advancing (`progress.ReaderStalled`); a record with a family silently
missing would hide both.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
import threading
from datetime import date, datetime
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from .budget import DocumentTimeout, check as check_budget
from .document import Document
from .encodable import ensure_encodable
from .facts import COMPONENT_ORDER, build_component
from .facts.contracts import check_contracts
from .normalize import normalize_text
from .progress import ReaderStalled
from .published import iso_string, parse_iso, parse_publication_datetime
from .record import FACT_FAMILIES, Official, Record, given_id, stable_id
from .rules_loader import Rules, load_rules
from .version import __version__
from .windows import WINDOW_CHARS, run_in_windows

log = logging.getLogger("extractor")

WARM_UP_TEXT = ("Chiều 21/5, đồng chí Nguyễn Văn An, Phó Chủ tịch UBND quận Lê Chân chủ trì buổi làm việc; "
                "quận đã giải quyết 1.234 hồ sơ, đạt 98,5%, tổng vốn 1,5 tỷ đồng.")

# Within a group, facts may not overlap; earlier families win, then longer spans.
EXCLUSIVE_GROUPS: tuple[tuple[str, ...], ...] = (("dates", "quantities"), ("organizations",), ("locations",))


class Pipeline:
    """The ordered fact components for one rules set.

    >>> Pipeline().extract_text("Chiều 21/5, họp.", published_at="2020-05-22").text
    'Chiều 21/5, họp.'
    """

    def __init__(self, rules: Rules | str | None = None, components: Iterable[str] = COMPONENT_ORDER):
        self.rules = load_rules(rules)
        self.components = [build_component(name, self.rules) for name in components]
        check_contracts(self.components)  # a component before the one whose output it reads: fail now
        self.warm_up()

    def warm_up(self) -> None:
        """Load everything a document may need (spaCy vocab, matchers, underthesea's model when a
        component uses it) now, once per process, so no document pays for it and timings measure
        steady state."""
        if any(getattr(component, "uses_underthesea", True) for component in self.components):
            from .nlp import preload_segmenter

            preload_segmenter()
        self.extract_text(WARM_UP_TEXT, published_at="2020-05-22")

    def run(self, document: Document) -> Document:
        """Run every component over the document, in order, then resolve overlaps; a text too long
        for one spaCy Doc runs in windows (`extractor.windows`)."""
        if len(document.text) > WINDOW_CHARS:
            return run_in_windows(document, self.run)
        for component in self.components:
            check_budget()
            try:
                found = component(document)
            except (DocumentTimeout, ReaderStalled):
                raise  # the document's error: reported by name, never a partial record
            except Exception:  # one family failing must not cost the record
                log.exception("component %s failed on %s", component.name, document.url or document.text[:60])
                found = []
            document.facts[component.name] = [f for f in found if _span_ok(document.text, f, component.name)]
        resolve_overlaps(document)
        return document

    def extract_text(self, text: str, published_at: Any = None, url: str | None = None,
                     title: str | None = None, *, id: str | None = None, author: str | None = None,
                     site: str | None = None) -> Record:
        """Extract one record from article text (lead + body)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        ensure_encodable({"text": text, "id": id, "url": url, "title": title, "author": author, "site": site,
                          "published_at": published_at if isinstance(published_at, str) else None})
        normalized = normalize_text(text)
        published = _coerce_published(published_at)
        document = Document(text=normalized, rules=self.rules, published_at=published, url=url,
                            title=normalize_text(title) if title else title)
        self.run(document)
        return build_record(document, id=id, author=author, site=site, published=published)


def _coerce_published(value: Any) -> datetime | date | None:
    if value is None or isinstance(value, (datetime, date)):
        return value
    if isinstance(value, str):
        parsed = parse_iso(value)
        if parsed is None:
            iso = parse_publication_datetime(value)
            parsed = parse_iso(iso) if iso else None
        return parsed
    raise TypeError(f"published_at must be an ISO string, date or datetime, not {type(value).__name__}")


def _span_ok(text: str, fact: Any, family: str) -> bool:
    """Keep only facts whose offsets hold (`text[start:end] == fact.text`); officials by mention."""
    if isinstance(fact, Official):
        good = [m for m in fact.mentions if 0 <= m.start < m.end <= len(text)]
        fact.mentions = good
        return bool(fact.name)
    ok = 0 <= fact.start < fact.end <= len(text) and text[fact.start:fact.end] == fact.text
    if not ok:
        log.warning("dropped %s fact with bad offsets: %r", family, fact)
    return ok


def resolve_overlaps(document: Document) -> None:
    """Drop facts that overlap a fact of an earlier family (or a longer one of the same family)."""
    for group in EXCLUSIVE_GROUPS:
        # Kept spans never overlap each other, so sorted by start they are also sorted by end:
        # one bisection finds the only neighbours a new span could collide with.
        starts: list[int] = []
        ends: list[int] = []
        for family in group:
            survivors = []
            for fact in sorted(document.facts.get(family, []), key=lambda f: (f.start - f.end, f.start)):
                at = bisect_right(starts, fact.start)
                if (at and ends[at - 1] > fact.start) or (at < len(starts) and starts[at] < fact.end):
                    continue
                starts.insert(at, fact.start)
                ends.insert(at, fact.end)
                survivors.append(fact)
            document.facts[family] = sorted(survivors, key=lambda f: (f.start, f.end))


def expected_record_id(doc: dict[str, Any]) -> str | None:
    """The id the record of a text document will get (its own id, else a hash of its URL or of its
    normalized text), known before extraction; None for HTML documents, whose URL is in the page.

    >>> doc = {"text": "Sáng 2/3, họp."}
    >>> expected_record_id(doc) == extract_document(doc).id, expected_record_id({"html": "<p>x</p>"})
    (True, None)
    """
    if given_id(doc.get("id")) is not None:
        return given_id(doc.get("id"))
    if not isinstance(doc.get("text"), str) or isinstance(doc.get("html"), str):
        return None
    return stable_id(doc.get("url") or normalize_text(doc["text"]))


def build_record(document: Document, *, id: str | None = None, author: str | None = None,
                 site: str | None = None, published: datetime | date | None = None) -> Record:
    """Assemble the record from a processed document."""
    url = document.url
    if site is None and url:
        site = urlsplit(url).hostname
        if site and site.startswith("www."):
            site = site[4:]
    record_id = given_id(id) or stable_id(url or document.text)
    return Record(
        id=str(record_id), text=document.text, url=url, site=site, title=document.title,
        author=author, published_at=iso_string(published) if published else None,
        extractor_version=__version__,
        **{family: list(document.facts.get(family, [])) for family in FACT_FAMILIES},
    )


_pipelines: dict[tuple[str, ...], Pipeline] = {}
_pipelines_lock = threading.Lock()


def get_pipeline(rules: Rules | str | None = None) -> Pipeline:
    """The shared pipeline for a rules set, built on first use (heavy resources load once).

    >>> get_pipeline() is get_pipeline()
    True
    """
    loaded = load_rules(rules)
    with _pipelines_lock:
        pipeline = _pipelines.get(loaded.key)
        if pipeline is None:
            pipeline = _pipelines[loaded.key] = Pipeline(loaded)
        return pipeline


def record_from_article(article: Any, rules: Rules | str | None = None, *, id: str | None = None) -> Record:
    """Extract a record from a page-reader `Article` (title, author, date, site and captions carried over)."""
    record = get_pipeline(rules).extract_text(
        article.text, published_at=article.published_at, url=article.url, title=article.title,
        id=id, author=article.author, site=article.site,
    )
    record.captions = [normalize_text(caption) for caption in article.captions]
    return record


def article_extractor(rules: Rules | str | None = None) -> Callable[[Any], dict[str, Any]]:
    """What a crawl turns each fetched article into, its record as a dict (`fetch.crawler.run_crawl`
    is given it, so the fetch layer never imports the pipeline)."""

    def extract(article: Any) -> dict[str, Any]:
        return record_from_article(article, rules).to_dict()

    return extract


def record_from_html(html: str | bytes, url: str | None = None, rules: Rules | str | None = None, *,
                     id: str | None = None, published_at: Any = None) -> Record:
    """Read an article page (`html/`) and extract its record; the page's own date unless one is given."""
    from .html import read_article

    if isinstance(html, str):
        ensure_encodable(html, "html")
    article = read_article(html, url=url)
    if published_at is not None:
        article.published_at = published_at
    return record_from_article(article, rules, id=id)


def record_from_url(url: str, rules: Rules | str | None = None) -> Record:
    """Fetch one article page politely (`fetch.fetch_url`) and extract its record."""
    from .fetch import FetchSettings, fetch_url

    page = fetch_url(url, settings=FetchSettings.load(rules))
    return record_from_html(page.content, url=page.url, rules=rules)


def extract_document(doc: dict[str, Any], *, rules: Rules | str | None = None) -> Record:
    """One JSONL-style document (`text` or `html`, optional id/url/title/published_at) → record.

    >>> extract_document({"id": "a1", "text": "Ngày 9-3, họp."}).id
    'a1'
    """
    ensure_encodable(doc)  # a lone surrogate anywhere: this document fails, named, not the writer
    if isinstance(doc.get("html"), str):
        record = record_from_html(doc["html"], url=doc.get("url"), rules=rules, id=doc.get("id"),
                                  published_at=doc.get("published_at"))
        if doc.get("title"):
            record.title = doc["title"]
        return record
    if isinstance(doc.get("text"), str):
        record = get_pipeline(rules).extract_text(
            doc["text"], published_at=doc.get("published_at"), url=doc.get("url"), title=doc.get("title"),
            id=doc.get("id"), author=doc.get("author"), site=doc.get("site"),
        )
        return record
    if doc.get("fetch") and doc.get("url"):
        return record_from_url(doc["url"], rules=rules)
    raise ValueError("document has neither 'text' nor 'html'")
