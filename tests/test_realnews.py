"""The real-text stress set: ../shared/realnews/docs.jsonl (6,863 real articles, used by path).

Every document comes back as a record, schema-valid, with every span holding, no exception, and
no document far slower per word than the median one. Skipped when the shared folder is absent.
"""

from __future__ import annotations

import json
import statistics
import time

import pytest

from extractor.api import extract_document
from extractor.budget import document_budget
from extractor.pipeline import get_pipeline

from .conftest import SHARED, assert_valid_record

REALNEWS = SHARED / "realnews" / "docs.jsonl"
# A document that runs this long (wall clock) hangs: it fails the test, named, instead of the suite.
HANG_SECONDS = 60.0
# The bar: the slowest document costs less than this many times the median cost per word.
MAX_PER_WORD_RATIO = 50.0

pytestmark = pytest.mark.skipif(not REALNEWS.is_file(), reason="../shared/realnews is not beside the repo")


def test_every_real_article_comes_back_valid_in_bounded_time(record_validator):
    get_pipeline()  # loaded before any document's clock starts
    failures: list[tuple[str, str]] = []
    costs: list[tuple[float, str]] = []
    lines = 0
    with open(REALNEWS, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            lines += 1
            doc = json.loads(line)
            name = f"{doc.get('id')} (line {number})"
            started = time.thread_time()  # this thread's CPU time: the document's own cost, whatever else runs
            try:
                with document_budget(HANG_SECONDS):
                    record = extract_document(doc).to_dict()
            except Exception as exc:  # every document must come back: collect, then fail naming them
                failures.append((name, f"{type(exc).__name__}: {exc}"))
                continue
            cost = time.thread_time() - started
            assert_valid_record(record, record_validator)
            assert record["id"] == doc["id"]
            costs.append((cost / max(1, len(record["text"].split())), name))
    assert not failures, failures[:10]
    assert len(costs) == lines > 6000
    median = statistics.median(cost for cost, _ in costs)
    slowest, which = max(costs)
    assert slowest < MAX_PER_WORD_RATIO * median, (which, slowest / median)
