"""Many documents → records, serially or over worker processes.

Design, for archives of 10^5–10^7 articles:

- Workers build the pipeline once each (an initializer), never per document.
- Input streams: documents are read from the caller's iterable only as fast as results leave,
  at most `window` chunks ahead of the oldest unfinished one (`multiprocessing.Pool.imap` would
  drain the iterable into its task queue from a feeder thread, so memory would grow with the input).
- One failing document becomes an `Outcome` with its error, never an exception that ends the batch.
- A worker that dies outright (a segfault in a C extension, the OOM killer) breaks the pool; the
  pool is rebuilt and the documents that were in flight are retried one at a time, so only the
  document that kills a worker is reported as failed.

The same windowed driver runs any `concurrent.futures.Executor`, so the Dask engine
(`extractor.batch_dask`) reuses it through `distributed.Client.get_executor()`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .budget import DocumentTimeout, default_timeout, document_budget  # noqa: F401 (DocumentTimeout: re-exported)
from .record import Record
from .worker_hygiene import UnguardedScript, check_main_guard, watch_parent  # noqa: F401 (UnguardedScript: re-exported)

# `deadline(seconds)` is the per-document budget of extractor.budget, under its older name here.
deadline = document_budget

DEFAULT_CHUNKSIZE = 8
# Chunks allowed ahead of the oldest unfinished one, per worker: enough to keep workers busy
# while the parent writes results, small enough that memory does not depend on input length.
WINDOW_PER_WORKER = 4
# Every engine gives up on a document after a time budget (pathological backtracking, a runaway
# loop), so one document cannot stall a batch; normal articles take milliseconds. The default is
# `extract.timeout_seconds` in rules/settings.json; `timeout=None` below means that default and
# `timeout=0` no budget.
# A pool that dies on this many documents in a row is not unlucky, it is broken (bad install, OOM).
MAX_CONSECUTIVE_CRASHES = 5

Item = tuple[int, Any]  # (input position, document)


@dataclass
class Outcome:
    """The result of one document: a record, or the error that stopped it.

    >>> Outcome(0, "a1", error="ValueError: empty").ok
    False
    """

    index: int
    doc_id: str | None
    record: Record | None = None
    error: str | None = None
    json: str | None = None  # the record as one JSON line, when the batch ran with as_json=True

    @property
    def ok(self) -> bool:
        """True when the document produced a record."""
        return self.record is not None or self.json is not None

    def to_json(self) -> str:
        """The record as one JSON line (serialized by the worker when the batch ran with as_json)."""
        if self.json is not None:
            return self.json
        if self.record is None:
            raise ValueError(f"document {self.doc_id or self.index} has no record: {self.error}")
        return self.record.to_json()


class WorkerCrashed(RuntimeError):
    """Workers keep dying even on single documents: the pool itself cannot run."""


def document_id(doc: Any) -> str | None:
    """The name a document is reported under: its id, else its URL or source file.

    >>> document_id({"url": "https://a.gov.vn/x", "text": "…"})
    'https://a.gov.vn/x'
    """
    if not isinstance(doc, dict):
        return None
    value = doc.get("id")
    if value is None or value == "":  # 0 is an id
        value = doc.get("url") or doc.get("source")
    return None if value is None else str(value)


def rules_spec(rules: Any) -> "str | tuple[str, ...] | None":
    """What to send a worker so it can rebuild the same rules: overlay folder paths, not the object.

    A `Rules` object holds a lock and compiled matchers, so it does not pickle; its folders do.

    >>> rules_spec(None) is None
    True
    """
    if rules is None or isinstance(rules, (str, Path)):
        return None if rules is None else str(Path(rules).resolve())
    dirs = getattr(rules, "dirs", None)
    if dirs is None:
        raise TypeError(f"rules must be a Rules object, a folder path or None, not {type(rules).__name__}")
    overlays = tuple(str(d) for d in dirs[1:])
    return overlays or None


def resolve_rules(spec: "str | tuple[str, ...] | None") -> Any:
    """The `Rules` a worker uses for a spec made by `rules_spec` (cached per process).

    >>> resolve_rules(None) is resolve_rules(None)
    True
    """
    from .rules_loader import Rules, load_rules

    if spec is None or isinstance(spec, str):
        return load_rules(spec)
    if len(spec) == 1:
        return load_rules(spec[0])
    return _multi_overlay_rules(tuple(spec), Rules)


_overlay_cache: dict[tuple[str, ...], Any] = {}


def _multi_overlay_rules(spec: tuple[str, ...], rules_class: Any) -> Any:
    if spec not in _overlay_cache:
        _overlay_cache[spec] = rules_class(tuple(Path(p) for p in spec))
    return _overlay_cache[spec]


def extract_one(index: int, doc: Any, rules: Any = None, as_json: bool = False,
                timeout: float | None = None) -> Outcome:
    """Extract one document into an Outcome; any exception is caught and named. With `as_json`
    the record comes back as its JSON line (`Outcome.json`) instead of the Record. `timeout`
    (seconds, None or 0: none) is the document's budget; an overrun is its error, never a
    partial record.

    >>> extract_one(3, {"id": "x"}).error
    "ValueError: document has neither 'text' nor 'html'"
    """
    from .pipeline import extract_document

    doc_id = document_id(doc)
    if not isinstance(doc, dict):
        return Outcome(index, doc_id, error=f"TypeError: a document must be a dict, not {type(doc).__name__}")
    try:
        with document_budget(timeout):  # the timer's late firing still lands inside this try
            record = extract_document(doc, rules=rules)
            line = record.to_json() if as_json else None
    except Exception as exc:  # reported per document; the batch goes on
        return Outcome(index, doc_id, error=f"{type(exc).__name__}: {exc}")
    return Outcome(index, doc_id, json=line) if as_json else Outcome(index, doc_id, record=record)


def extract_chunk(chunk: list[Item], spec: "str | tuple[str, ...] | None" = None,
                  timeout: float | None = None, as_json: bool = False) -> list[Outcome]:
    """Extract a list of (index, document) pairs in this process: the unit of work a worker runs.
    With `timeout` (seconds) a document that runs longer fails alone (see `extractor.budget`).
    With `as_json` each record comes back as its JSON line: sending a string between processes
    costs a tenth of pickling the Record's fact objects, and the parent has nothing left to do.

    >>> [o.doc_id for o in extract_chunk([(0, {"id": "a", "text": "Sáng 2/3."})])]
    ['a']
    """
    rules = resolve_rules(spec)
    prepare(rules)  # built (once per process) before any document's clock starts
    return [extract_one(index, doc, rules, as_json, timeout) for index, doc in chunk]


def warm_worker(spec: "str | tuple[str, ...] | None" = None, parent_pid: int | None = None) -> int:
    """Build the pipeline for these rules in this process (rules, matchers, models); returns the
    pid. With `parent_pid` (a pool's initializer) the worker exits when that process is gone."""
    if parent_pid is not None:
        watch_parent(parent_pid)
    prepare(resolve_rules(spec))
    return os.getpid()


def prepare(rules: "Rules") -> None:
    """Load what any document may need before the first document's clock starts: the pipeline
    for these rules and the page reader. The first page read imports and loads the page reader
    (about 0.4 s of CPU, 25 times a page's own cost), which a busy machine stretches past a
    document's 5 s budget: the first HTML document of each worker failed under load."""
    from .pipeline import get_pipeline

    get_pipeline(rules)
    _load_page_reader()


@cache
def _load_page_reader() -> None:
    """Read one small page, once per process."""
    from .html import read_article
    from .pipeline import WARM_UP_TEXT

    read_article(f"<html><body><article><h1>{WARM_UP_TEXT[:20]}</h1><p>{WARM_UP_TEXT}</p></article></body></html>")


def chunked(iterable: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Split an iterable into lists of at most `size` items, lazily.

    >>> list(chunked(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def process_context() -> multiprocessing.context.BaseContext:
    """forkserver on POSIX (no inherited threads or locks from the parent), spawn elsewhere."""
    return multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")


class WorkerPool:
    """Worker processes that each load the pipeline once, reusable across many batches.

    `run` streams documents through the workers with bounded memory; a worker crash is
    survived (the pool is rebuilt, in-flight documents are retried one by one).

    >>> with WorkerPool(jobs=2) as pool:
    ...     [o.record.id for o in pool.run([{"id": "a", "text": "Sáng 2/3."}])]
    ['a']
    """

    def __init__(self, jobs: int = 2, *, rules: Any = None, chunksize: int = DEFAULT_CHUNKSIZE,
                 window: int | None = None, timeout: float | None = None,
                 as_json: bool = False, task: Callable[..., list[Outcome]] = extract_chunk):
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        check_main_guard()
        self.jobs = jobs
        self.spec = rules_spec(rules)
        resolve_rules(self.spec)  # a missing rules folder is a usage error here, not N dead workers
        self.chunksize = max(1, chunksize)
        self.window = window or WINDOW_PER_WORKER * jobs
        self.timeout = resolve_timeout(timeout, rules)
        self.as_json = as_json
        # What a worker runs on a chunk: task(chunk, spec, timeout, as_json), module-level so it pickles.
        self.task = task
        self.restarts = 0
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> "WorkerPool":
        self.executor()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def executor(self) -> ProcessPoolExecutor:
        """The live process pool, started (and its workers warmed) on first use."""
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=process_context(),
                                                 initializer=warm_worker, initargs=(self.spec, os.getpid()))
        return self._executor

    def restart(self, reason: BaseException | None = None) -> None:
        """Throw away a broken pool (`reason` a crash, or None); the next `executor()` starts a fresh one."""
        if reason is not None and not _is_crash(reason):
            return
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        self.restarts += 1

    def close(self) -> None:
        """Stop the workers."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def warm(self) -> list[int]:
        """Start every worker and wait until each has built its pipeline; returns their pids."""
        executor = self.executor()
        wait([executor.submit(warm_worker, self.spec) for _ in range(self.jobs)])
        return self.worker_pids()

    def worker_pids(self) -> list[int]:
        """Process ids of the current workers (for measuring their memory)."""
        processes = getattr(self._executor, "_processes", None) or {}
        return sorted(processes)

    def run(self, docs: Iterable[Any], *, ordered: bool = True, chunksize: int | None = None,
            window: int | None = None) -> Iterator[Outcome]:
        """Yield one Outcome per document, in input order unless `ordered=False`; `chunksize` and
        `window` override the pool's for this batch."""
        driver = WindowedDriver(submit=lambda chunk: self.executor().submit(self.task, chunk, self.spec, self.timeout, self.as_json),
                                recover=self.restart, window=window or self.window)
        yield from driver.run(chunked(enumerate(docs), max(1, chunksize or self.chunksize)), ordered=ordered)


class WindowedDriver:
    """Feeds chunks to an executor with at most `window` chunks outstanding, and recovers from
    failed chunks by retrying their documents one at a time.

    `submit(chunk) -> Future[list[Outcome]]`; `recover(exc)` is called after a chunk failed as a
    whole, before anything else is submitted — a process pool is rebuilt there when it broke.
    """

    def __init__(self, submit: Callable[[list[Item]], Future],
                 recover: Callable[[BaseException], None] = lambda exc: None, window: int = 8):
        self.submit = submit
        self.recover = recover
        self.window = max(1, window)

    def run(self, chunks: Iterable[list[Item]], *, ordered: bool = True) -> Iterator[Outcome]:
        """Yield the outcomes of every chunk; ordered by input position unless `ordered=False`."""
        source = iter(chunks)
        inflight: dict[Future, tuple[int, list[Item]]] = {}
        results = _Results(ordered)
        next_seq = 0
        exhausted = False
        while True:
            # In order mode the window also bounds results waiting behind a slow chunk.
            while not exhausted and (next_seq - results.next_to_yield if ordered else len(inflight)) < self.window:
                chunk = next(source, None)
                if chunk is None:
                    exhausted = True
                    break
                inflight[self.submit(chunk)] = (next_seq, chunk)
                next_seq += 1
            if not inflight:
                break
            done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            failed = [(inflight.pop(f), f.exception()) for f in done if f.exception() is not None]
            for future in done:
                if future in inflight:
                    results.add(inflight.pop(future)[0], future.result())
            if failed:
                if any(_is_crash(exc) for _, exc in failed):
                    # The pool is gone: every other chunk in flight failed with it or finished first.
                    wait(list(inflight))
                    failed += [(inflight[f], f.exception()) for f in inflight if f.exception() is not None]
                    for future, (seq, _chunk) in inflight.items():
                        if future.exception() is None:
                            results.add(seq, future.result())
                    inflight.clear()
                    self.recover(failed[0][1])
                for (seq, chunk), _exc in sorted(failed, key=lambda entry: entry[0][0]):
                    results.add(seq, self._retry_alone(chunk))
            yield from results.take()

    def _retry_alone(self, chunk: list[Item]) -> list[Outcome]:
        """Run each document of a failed chunk on its own, so a crash names one document."""
        outcomes = []
        crashes_in_a_row = 0
        for item in chunk:
            try:
                outcomes.extend(self.submit([item]).result())
                crashes_in_a_row = 0
            except Exception as exc:
                outcomes.append(Outcome(item[0], document_id(item[1]), error=_describe(exc)))
                if _is_crash(exc):
                    crashes_in_a_row += 1
                    if crashes_in_a_row >= MAX_CONSECUTIVE_CRASHES:
                        raise WorkerCrashed(f"workers died on {crashes_in_a_row} documents in a row; "
                                            f"last error: {_describe(exc)}") from exc
                    self.recover(exc)
        return outcomes


class _Results:
    """Finished chunks waiting to be yielded: by sequence number when ordered, else as they come."""

    def __init__(self, ordered: bool):
        self.ordered = ordered
        self.next_to_yield = 0
        self._finished: dict[int, list[Outcome]] = {}
        self._ready: deque[list[Outcome]] = deque()

    def add(self, seq: int, outcomes: list[Outcome]) -> None:
        if self.ordered:
            self._finished[seq] = outcomes
        else:
            self._ready.append(outcomes)

    def take(self) -> Iterator[Outcome]:
        """Everything that may be yielded now."""
        if self.ordered:
            while self.next_to_yield in self._finished:
                yield from self._finished.pop(self.next_to_yield)
                self.next_to_yield += 1
        else:
            while self._ready:
                yield from self._ready.popleft()


def _is_crash(exc: BaseException | None) -> bool:
    """A worker died (not a Python exception in our code, which `extract_one` already catches)."""
    return isinstance(exc, BrokenProcessPool) or type(exc).__name__ == "KilledWorker"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, BrokenProcessPool):
        return "worker process died while extracting this document (crash in native code or out of memory)"
    if type(exc).__name__ == "KilledWorker":  # Dask: the task killed every worker it was tried on
        return f"worker process died while extracting this document (Dask KilledWorker: {exc})"
    return f"{type(exc).__name__}: {exc}"


def resolve_timeout(timeout: float | None, rules: Any = None) -> float | None:
    """The per-document budget to use: `timeout` seconds, the settings' default when None, no
    budget when 0.

    >>> resolve_timeout(2.5), resolve_timeout(0), resolve_timeout(None) == default_timeout()
    (2.5, None, True)
    """
    if timeout is None:
        return default_timeout(rules)
    if timeout != timeout or timeout < 0:  # NaN or negative
        raise ValueError(f"timeout must be a number of seconds >= 0, not {timeout!r}")
    return float(timeout) or None


def run_batch(docs: Iterable[Any], jobs: int = 1, *, ordered: bool = True, rules: Any = None,
              chunksize: int = DEFAULT_CHUNKSIZE, window: int | None = None,
              timeout: float | None = None, as_json: bool = False) -> Iterator[Outcome]:
    """Yield one Outcome per document, in input order unless `ordered=False`; `jobs > 1` runs
    worker processes. Reads `docs` lazily, at most a bounded window ahead of the results.
    `timeout` is each document's time budget in seconds in every engine (None: the default of
    rules/settings.json, 0: none); a document over it is an Outcome with a `DocumentTimeout`
    error. `as_json=True` fills `Outcome.json` instead of `Outcome.record` (what a JSONL writer
    needs, made in the workers).

    >>> [o.record.id for o in run_batch([{"id": "x", "text": "Ngày 1/1."}])]
    ['x']
    """
    if jobs <= 1:
        from .rules_loader import Rules

        loaded = rules if isinstance(rules, Rules) else resolve_rules(rules_spec(rules))
        budget = resolve_timeout(timeout, loaded)
        prepare(loaded)  # built before the first document's clock starts
        for index, doc in enumerate(docs):
            yield extract_one(index, doc, loaded, as_json, budget)
        return
    with WorkerPool(jobs, rules=rules, chunksize=chunksize, window=window, timeout=timeout, as_json=as_json) as pool:
        yield from pool.run(docs, ordered=ordered)
