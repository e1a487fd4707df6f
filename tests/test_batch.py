"""Batch extraction: same records serially and over workers, bounded streaming, failures per document."""

from __future__ import annotations

import ctypes
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor import extract_many
from extractor.batch import (DocumentTimeout, WorkerPool, deadline, extract_chunk, resolve_rules, rules_spec,
                             run_batch)
from extractor.rules_loader import Rules

from .conftest import corpus_articles


def corpus_documents() -> list[dict]:
    """Corpus articles as JSONL-style documents, plus one HTML page built from each."""
    docs = []
    for article in corpus_articles():
        docs.append({k: article[k] for k in ("id", "text", "published_at") if k in article})
        paragraphs = "".join(f"<p>{p}</p>" for p in article["text"].split("\n\n"))
        docs.append({"id": article["id"] + "-html", "url": article.get("url"),
                     "html": f"<html><body><h1>{article.get('title', '')}</h1>{paragraphs}</body></html>"})
    return docs


def records(outcomes) -> list[dict]:
    return [o.record.to_dict() for o in outcomes if o.record is not None]


@pytest.fixture(scope="module")
def pool():
    """Two workers shared by the tests of this module (each worker builds the pipeline once)."""
    with WorkerPool(2) as shared:
        yield shared


def batch(docs, jobs: int, pool: WorkerPool, **options):
    """run_batch(jobs=1), or the shared pool for jobs=2 (what run_batch(jobs=2) runs)."""
    return run_batch(docs, jobs=1) if jobs == 1 else pool.run(docs, **options)


@pytest.fixture(scope="module")
def serial_records() -> list[dict]:
    return records(run_batch(corpus_documents(), jobs=1))


def test_two_workers_give_the_serial_records_in_input_order(serial_records):
    assert len(serial_records) == 2 * len(corpus_articles())
    assert records(run_batch(corpus_documents(), jobs=2, chunksize=3)) == serial_records


def test_unordered_gives_the_same_set_of_records(serial_records, pool):
    unordered = records(pool.run(corpus_documents(), ordered=False, chunksize=2))
    assert sorted(unordered, key=lambda r: r["id"]) == sorted(serial_records, key=lambda r: r["id"])


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_document_is_reported_by_id_and_the_rest_are_extracted(jobs, pool):
    docs = [{"id": "good-1", "text": "Sáng 3/4, họp."}, {"id": "no-body", "title": "x"},
            "not a dict", {"id": "good-2", "text": "Chiều 5/6, họp."}]
    outcomes = list(batch(docs, jobs, pool, chunksize=1))
    assert [o.index for o in outcomes] == [0, 1, 2, 3]
    assert [o.ok for o in outcomes] == [True, False, False, True]
    assert outcomes[1].doc_id == "no-body" and "neither 'text' nor 'html'" in outcomes[1].error
    assert "must be a dict" in outcomes[2].error
    assert [o.record.id for o in outcomes if o.ok] == ["good-1", "good-2"]


class CountingSource:
    """A document generator that records how far it has been read."""

    def __init__(self, n: int):
        self.n = n
        self.produced = 0

    def __iter__(self):
        for i in range(self.n):
            self.produced += 1
            yield {"id": f"d{i}", "text": f"Ngày {i % 28 + 1}/3, đoàn làm việc với {i} đơn vị."}


@pytest.mark.parametrize("jobs, ordered", [(1, True), (2, True), (2, False)])
def test_input_is_read_a_bounded_window_ahead_of_the_results(jobs, ordered, pool):
    source = CountingSource(600)
    chunksize, window = 4, 3
    ahead = []
    outcomes = (run_batch(source, jobs=1) if jobs == 1
                else pool.run(source, ordered=ordered, chunksize=chunksize, window=window))
    for received, outcome in enumerate(outcomes, start=1):
        assert outcome.ok
        ahead.append(source.produced - received)
    assert len(ahead) == 600
    # Never more than the window of chunks (plus the one being handed out) is held: memory does not
    # grow with the input, unlike Pool.imap, which drains the generator in a feeder thread.
    assert max(ahead) <= (window + 1) * chunksize
    if jobs > 1:
        assert max(ahead) >= chunksize  # it does read ahead, so the workers stay busy


def crash_on_marker(chunk, spec, timeout=None, as_json=False):
    """Worker task for the crash test: dies like a segfaulting C extension on a marked document."""
    if any(doc.get("text") == "CRASH" for _, doc in chunk):
        ctypes.string_at(0)  # reads address 0: SIGSEGV kills the worker process
    return extract_chunk(chunk, spec, timeout, as_json)


def hang_on_marker(chunk, spec, timeout=None, as_json=False):
    """Worker task for the timeout test: the real chunk runner, where a marked document never
    finishes (as a runaway loop in a fact rule would)."""
    import extractor.pipeline as pipeline

    real = pipeline.extract_document

    def hanging(doc, *, rules=None):
        while doc.get("text") == "HANG":
            time.sleep(0.05)
        return real(doc, rules=rules)

    pipeline.extract_document = hanging
    try:
        return extract_chunk(chunk, spec, timeout, as_json)
    finally:
        pipeline.extract_document = real


def test_a_worker_crash_costs_only_the_document_that_caused_it():
    docs = [{"id": f"d{i}", "text": "CRASH" if i == 13 else f"Sáng {i + 1}/5, họp."} for i in range(30)]
    with WorkerPool(2, chunksize=4, window=3, task=crash_on_marker) as pool:
        outcomes = list(pool.run(docs))
        assert pool.restarts >= 1
        # The rebuilt pool keeps working for later batches.
        assert [o.record.id for o in pool.run(docs[:3])] == ["d0", "d1", "d2"]
    assert [o.index for o in outcomes] == list(range(30))
    failed = [o for o in outcomes if not o.ok]
    assert [o.doc_id for o in failed] == ["d13"]
    assert "worker process died" in failed[0].error
    assert all(o.record.id == f"d{o.index}" for o in outcomes if o.ok)


def test_a_document_over_the_time_limit_fails_alone():
    docs = [{"id": f"d{i}", "text": "HANG" if i == 2 else f"Chiều {i + 1}/6, họp."} for i in range(6)]
    with WorkerPool(2, chunksize=2, timeout=0.5, task=hang_on_marker) as pool:
        outcomes = list(pool.run(docs))
    assert [o.ok for o in outcomes] == [True, True, False, True, True, True]
    assert "longer than 0.5 s" in outcomes[2].error


def test_deadline_interrupts_a_runaway_regular_expression():
    with pytest.raises(DocumentTimeout):
        with deadline(0.2):
            re.match(r"(a+)+$", "a" * 40 + "b")  # catastrophic backtracking: hours without the timer


def test_rules_with_overlays_reach_the_workers_as_folder_paths(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    rules = Rules((first, second))
    spec = rules_spec(rules)
    assert spec == (str(first), str(second))
    assert resolve_rules(spec).dirs == rules.dirs
    assert rules_spec(str(first)) == str(first.resolve())
    assert rules_spec(Rules()) is None


def test_a_missing_rules_folder_fails_before_workers_start(tmp_path):
    with pytest.raises(ValueError, match="rules folder not found"):
        WorkerPool(2, rules=str(tmp_path / "nowhere"))


def test_extract_many_reports_failures_through_on_error():
    errors = []
    docs = [{"id": "a", "text": "Sáng 1/2, họp."}, {"id": "b"}, {"id": "c", "text": "Tối 2/2, họp."}]
    got = [r.id for r in extract_many(docs, jobs=2, on_error=lambda *e: errors.append(e))]
    assert got == ["a", "c"]
    assert [(i, doc_id) for i, doc_id, _ in errors] == [(1, "b")]


def test_importing_extractor_does_not_import_dask():
    code = "import sys, extractor; print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("jobs", [1, 2])
def test_as_json_gives_the_json_lines_of_the_records(jobs, pool, serial_records):
    docs = corpus_documents()[:6] + [{"id": "no-body"}]
    if jobs == 1:
        outcomes = list(run_batch(docs, jobs=1, as_json=True))
    else:
        pool.as_json = True  # what the CLI asks for: the workers serialize
        try:
            outcomes = list(pool.run(docs, chunksize=2))
        finally:
            pool.as_json = False
    assert all(o.record is None for o in outcomes)
    assert [json.loads(o.to_json()) for o in outcomes[:6]] == serial_records[:6]
    assert not outcomes[6].ok and "neither" in outcomes[6].error
    with pytest.raises(ValueError, match="no-body"):
        outcomes[6].to_json()
