"""The small top-level API: text, HTML, URL and many documents → records."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from .html import read_article
from .pipeline import get_pipeline, record_from_article
from .record import Record
from .rules_loader import Rules


def extract_text(text: str, published_at: Any = None, url: str | None = None, title: str | None = None,
                 *, rules: Rules | str | None = None, id: str | None = None) -> Record:
    """Extract the facts of one article's text (lead + body).

    >>> rec = extract_text("Chiều 21/5, đoàn làm việc tại quận.", published_at="2020-05-22")
    >>> rec.text
    'Chiều 21/5, đoàn làm việc tại quận.'
    """
    return get_pipeline(rules).extract_text(text, published_at=published_at, url=url, title=title, id=id)


def extract_html(html: str | bytes, url: str | None = None, *, rules: Rules | str | None = None,
                 id: str | None = None, published_at: Any = None) -> Record:
    """Read an article page and extract its facts; the page's own date is used unless one is given.

    >>> extract_html("<html><h1>Tin</h1><p>Chiều 21/5, họp.</p></html>").title
    'Tin'
    """
    article = read_article(html, url=url)
    if published_at is not None:
        article.published_at = published_at
    return record_from_article(article, rules, id=id)


def extract_url(url: str, *, rules: Rules | str | None = None) -> Record:
    """Fetch one article page (politely: our User-Agent, robots.txt, size and time limits, the
    crawler's scope: a redirect to another site is refused) and extract it; `FetchError` says why not."""
    from .fetch import FetchSettings, fetch_url

    page = fetch_url(url, settings=FetchSettings.load(rules))
    return extract_html(page.content, url=page.url, rules=rules)


def extract_document(doc: dict[str, Any], *, rules: Rules | str | None = None) -> Record:
    """One JSONL-style document (`text` or `html`, optional id/url/title/published_at) → record.

    >>> extract_document({"id": "a1", "text": "Ngày 9-3, họp."}).id
    'a1'
    """
    if isinstance(doc.get("html"), str):
        record = extract_html(doc["html"], url=doc.get("url"), rules=rules, id=doc.get("id"),
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
        return extract_url(doc["url"], rules=rules)
    raise ValueError("document has neither 'text' nor 'html'")


def extract_many(docs: Iterable[dict[str, Any]], jobs: int = 4, *, ordered: bool = True,
                 rules: Rules | str | None = None, on_error=None, timeout: float | None = None) -> Iterator[Record]:
    """Extract many documents, in parallel processes when jobs > 1; a failing document is skipped
    and reported through `on_error(index, doc_id, message)` (default: logged), never raised.
    `timeout`: each document's time budget in seconds (None: `extract.timeout_seconds` of
    rules/settings.json, 0: none); a document over it is skipped and reported the same way.

    >>> [r.id for r in extract_many([{"id": "a", "text": "Sáng 1/1."}], jobs=1)]
    ['a']
    """
    from .batch import run_batch

    for outcome in run_batch(docs, jobs=jobs, ordered=ordered, rules=rules, timeout=timeout):
        if outcome.record is not None:
            yield outcome.record
        elif on_error is not None:
            on_error(outcome.index, outcome.doc_id, outcome.error)
        else:
            import logging

            logging.getLogger("extractor").error("document %s (#%d) failed: %s",
                                                 outcome.doc_id, outcome.index, outcome.error)
