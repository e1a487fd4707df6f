"""The small top-level API: text, HTML, URL and many documents → records."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from .pipeline import extract_document  # noqa: F401 (re-exported: the API's one-document entry)
from .pipeline import get_pipeline, record_from_html, record_from_url
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
    return record_from_html(html, url, rules, id=id, published_at=published_at)


def extract_url(url: str, *, rules: Rules | str | None = None) -> Record:
    """Fetch one article page (politely: our User-Agent, robots.txt, size and time limits, the
    crawler's scope: a redirect to another site is refused) and extract it; `FetchError` says why not."""
    return record_from_url(url, rules)


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
