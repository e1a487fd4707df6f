"""Many documents → records, serially or over worker processes.

Workers load the pipeline once each (the initializer), documents stream through `imap` so memory
stays flat on inputs of any length, and a failing document becomes an `Outcome` with its error
instead of an exception that would end the batch.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from itertools import islice
from typing import Any, Iterable, Iterator

from .record import Record


@dataclass
class Outcome:
    """The result of one document: a record, or the error that stopped it."""

    index: int
    doc_id: str | None
    record: Record | None = None
    error: str | None = None


_worker_rules: Any = None


def _init_worker(rules: Any) -> None:
    global _worker_rules
    _worker_rules = rules
    from .pipeline import get_pipeline

    get_pipeline(rules)  # load rules and models once per worker, not per document


def _extract_one(item: tuple[int, dict[str, Any]]) -> Outcome:
    from .api import extract_document

    index, doc = item
    doc_id = doc.get("id") or doc.get("url") or doc.get("source")
    try:
        return Outcome(index, doc_id, record=extract_document(doc, rules=_worker_rules))
    except Exception as exc:  # reported per document; the batch goes on
        return Outcome(index, doc_id, error=f"{type(exc).__name__}: {exc}")


def run_batch(docs: Iterable[dict[str, Any]], jobs: int = 1, *, ordered: bool = True,
              rules: Any = None, chunksize: int = 8) -> Iterator[Outcome]:
    """Yield one Outcome per document, in input order unless `ordered=False`.

    >>> [o.record.id for o in run_batch([{"id": "x", "text": "Ngày 1/1."}])]
    ['x']
    """
    items = enumerate(docs)
    if jobs <= 1:
        _init_worker(rules)
        for item in items:
            yield _extract_one(item)
        return
    rules_arg = str(rules.dirs[-1]) if hasattr(rules, "dirs") and len(rules.dirs) > 1 else rules
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    with context.Pool(jobs, initializer=_init_worker, initargs=(rules_arg,)) as pool:
        mapper = pool.imap if ordered else pool.imap_unordered
        yield from mapper(_extract_one, items, chunksize=chunksize)


def chunked(iterable: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Split an iterable into lists of at most `size` items."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk
