"""Extraction on a Dask cluster: `vnextract extract --engine dask` and helpers over `dask.bag`.

Needs the optional extra: `pip install "vnextract[dask]"`; `import extractor` never imports Dask.
Every Dask worker must have vnextract installed (same version as the client), and a `--rules`
folder must be readable at the same path on every worker (a shared filesystem), because workers
rebuild the rules from the folder path. Each worker process builds the pipeline once, on its first
task, and keeps it for every later task.

Three ways in:

- `run_batch_dask(docs, scheduler=...)`: the CLI engine — streams documents from the client with
  a bounded number of tasks outstanding, yields `Outcome`s in input order (or as they finish).
- `extract_bag(bag)`: a bag of document dicts → a bag of record dicts, lazily, for your own graph.
- `extract_jsonl_shards("in/*.jsonl", "out/")`: JSONL shards in, JSONL shards out (one output
  shard per input shard, plus `<name>.errors.jsonl` listing failed lines), run where you point it.
"""

from __future__ import annotations

import glob as globbing
import json
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .batch import (DEFAULT_CHUNKSIZE, Outcome, WindowedDriver, chunked, document_id, extract_chunk, extract_one,
                    resolve_rules, resolve_timeout, rules_spec)

log = logging.getLogger("extractor")

# Chunks outstanding per worker thread on the cluster: keeps every worker fed across the network
# round trip while the client's memory stays bounded.
WINDOW_PER_THREAD = 4
# How long to try reaching a scheduler before saying it is unreachable (Dask's own default: 30 s).
CONNECT_TIMEOUT_SECONDS = 10


class SchedulerUnreachable(ConnectionError):
    """No Dask scheduler answers at the address given."""


def check_scheduler(address: str, timeout: float = CONNECT_TIMEOUT_SECONDS) -> None:
    """Raise `SchedulerUnreachable` (one line naming the address) unless something listens there.

    A TCP address is tried with a plain connection first, so a closed port is known at once
    instead of after Dask's retries; other protocols are left to the client.

    >>> check_scheduler("tcp://127.0.0.1:1")
    Traceback (most recent call last):
    ...
    extractor.batch_dask.SchedulerUnreachable: no Dask scheduler at tcp://127.0.0.1:1: Connection refused
    """
    import socket
    from urllib.parse import urlsplit

    if not isinstance(address, str):
        return
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme != "tcp":
        return
    try:
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise SchedulerUnreachable(f"bad Dask scheduler address {address!r}: {exc}") from None
    if not host or port is None:
        raise SchedulerUnreachable(f"bad Dask scheduler address {address!r}: expected tcp://HOST:PORT")
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise SchedulerUnreachable(f"no Dask scheduler at {address}: {reason}") from None


@contextmanager
def connect(scheduler: Any) -> Iterator[Any]:
    """A `distributed.Client` for an address ("tcp://host:8786"), or the given Client unchanged.

    A client this function opens is closed on exit; a client passed in is left open. An address
    where no scheduler answers within `CONNECT_TIMEOUT_SECONDS` raises `SchedulerUnreachable`.
    """
    try:
        from distributed import Client
    except ImportError as exc:
        raise ImportError('the Dask engine needs the dask extra: pip install "vnextract[dask]"') from exc

    if isinstance(scheduler, Client):
        yield scheduler
        return
    check_scheduler(scheduler)
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_SECONDS)
    except OSError as exc:  # distributed raises OSError (TimeoutError) after its retries
        raise SchedulerUnreachable(f"no Dask scheduler at {scheduler}: {exc}") from None
    try:
        yield client
    finally:
        client.close()


def run_batch_dask(docs: Iterable[Any], *, scheduler: Any, rules: Any = None, ordered: bool = True,
                   chunksize: int = DEFAULT_CHUNKSIZE, window: int | None = None,
                   timeout: float | None = None, as_json: bool = False) -> Iterator[Outcome]:
    """Yield one `Outcome` per document, extracted on the Dask cluster at `scheduler`.

    Documents are read lazily, a bounded window ahead of the results; a failing document is an
    Outcome with its error; a document that kills its worker (Dask `KilledWorker`) is retried
    alone and reported, the rest go on. `as_json=True`: records come back as JSON lines
    (`Outcome.json`), serialized on the workers. `timeout`: each document's budget (None: the
    settings' default, 0: none); Dask runs tasks in worker threads, where no timer signal
    reaches, so the readers' own budget checks (`extractor.budget.check`) end a slow document.

    >>> outcomes = run_batch_dask([{"id": "a", "text": "Sáng 2/3."}], scheduler="tcp://127.0.0.1:8786")  # doctest: +SKIP
    >>> [o.record.id for o in outcomes]  # doctest: +SKIP
    ['a']
    """
    spec = rules_spec(rules)
    budget = resolve_timeout(timeout, resolve_rules(spec))  # a missing rules folder fails here, before any task
    with connect(scheduler) as client:
        threads = sum(client.nthreads().values()) or 1
        executor = client.get_executor(pure=False)  # concurrent.futures interface over Dask futures
        driver = WindowedDriver(submit=lambda chunk: executor.submit(extract_chunk, chunk, spec, budget, as_json),
                                window=window or WINDOW_PER_THREAD * threads)
        yield from driver.run(chunked(enumerate(docs), max(1, chunksize)), ordered=ordered)


def extract_bag(bag: Any, rules: Any = None, *, keep_errors: bool = False, timeout: float | None = None) -> Any:
    """Map extraction over a `dask.bag.Bag` of document dicts → a Bag of record dicts (lazy).

    A document that fails is logged on its worker and dropped; with `keep_errors=True` it becomes
    `{"id": ..., "error": "..."}` instead, so you can split the bag with `.filter(lambda r: "error" in r)`.
    `timeout`: each document's time budget (None: the settings' default, 0: none).

    >>> import dask.bag as db  # doctest: +SKIP
    >>> docs = db.from_sequence([{"id": "a", "text": "Chiều 21/5, họp."}], npartitions=1)  # doctest: +SKIP
    >>> extract_bag(docs).pluck("id").compute()  # doctest: +SKIP
    ['a']
    """
    spec = rules_spec(rules)
    return bag.map_partitions(_extract_partition, spec, keep_errors, resolve_timeout(timeout, resolve_rules(spec)))


def _extract_partition(docs: Iterable[Any], spec: Any, keep_errors: bool,
                       timeout: float | None = None) -> list[dict[str, Any]]:
    rules = resolve_rules(spec)
    out = []
    for index, doc in enumerate(docs):
        outcome = extract_one(index, doc, rules, timeout=timeout)
        if outcome.record is not None:
            out.append(outcome.record.to_dict())
        elif keep_errors:
            out.append({"id": outcome.doc_id, "error": outcome.error})
        else:
            log.error("document %s failed: %s", outcome.doc_id, outcome.error)
    return out


@dataclass
class ShardReport:
    """What one input shard became: its output file, how many records, which lines failed."""

    source: str
    output: str
    records: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def extract_jsonl_shards(inputs: str | Iterable[str], output_dir: str | os.PathLike, *, scheduler: Any = None,
                         rules: Any = None, timeout: float | None = None) -> list[ShardReport]:
    """Extract JSONL document shards into JSONL record shards with `dask.bag`, one partition per shard.

    `inputs` is a glob ("archive/*.jsonl", compressed ".jsonl.gz" too) or a list of paths; each input
    shard `name.jsonl` becomes `output_dir/name.jsonl`, and its failed lines (bad JSON, no text,
    extraction error) are listed in `output_dir/name.errors.jsonl` with their line numbers.
    `scheduler`: a Dask scheduler address or Client; None uses Dask's current default scheduler.
    `timeout`: each document's time budget (None: the settings' default, 0: none).

    >>> reports = extract_jsonl_shards("docs/*.jsonl", "records/", scheduler="tcp://127.0.0.1:8786")  # doctest: +SKIP
    >>> sum(r.records for r in reports)  # doctest: +SKIP
    1000
    """
    import dask.bag as db

    paths = sorted(globbing.glob(inputs)) if isinstance(inputs, str) else [str(p) for p in inputs]
    if not paths:
        raise FileNotFoundError(f"no input shards match {inputs!r}")
    out_dir = Path(output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = _output_names(paths)
    spec = rules_spec(rules)
    budget = resolve_timeout(timeout, resolve_rules(spec))
    # blocksize=None keeps each shard one partition, so line numbers and output names follow the shard.
    lines = db.read_text(paths, blocksize=None, include_path=True, encoding="utf-8", errors="replace")
    written = lines.map_partitions(_write_shard, {p: str(out_dir / n) for p, n in zip(paths, names)}, spec,
                                   budget)
    if scheduler is None:
        reports = written.compute()
    else:
        with connect(scheduler) as client:
            reports = client.compute(written).result()
    by_source = {r.source: r for r in reports}
    for path, name in zip(paths, names):
        if path not in by_source:  # an empty shard has no lines, so no task wrote its (empty) output
            by_source[path] = ShardReport(source=path, output=str(out_dir / name))
            Path(by_source[path].output).write_text("", encoding="utf-8")
    return [by_source[p] for p in paths]


def _output_names(paths: list[str]) -> list[str]:
    """`a/x.jsonl.gz` → `x.jsonl`; shards with the same name in different folders get a prefix."""
    bases = []
    for p in paths:
        name = Path(p).name
        for suffix in (".gz", ".bz2", ".xz", ".zst"):
            name = name.removesuffix(suffix)
        bases.append(name if name.endswith((".jsonl", ".json", ".ndjson")) else name + ".jsonl")
    if len(set(bases)) == len(bases):
        return bases
    return [f"{i:05d}-{b}" for i, b in enumerate(bases)]


def _write_shard(lines: Iterable[tuple[str, str]], outputs: dict[str, str], spec: Any,
                 timeout: float | None = None) -> list[ShardReport]:
    rules = resolve_rules(spec)
    reports: dict[str, ShardReport] = {}
    handles: dict[str, Any] = {}
    line_numbers: dict[str, int] = {}
    try:
        for line, source in lines:
            source = _match_source(source, outputs)
            number = line_numbers[source] = line_numbers.get(source, 0) + 1
            report = reports.get(source)
            if report is None:
                report = reports[source] = ShardReport(source=source, output=outputs[source])
                handles[source] = open(outputs[source], "w", encoding="utf-8")
            if not line.strip():
                continue
            doc, error = _parse_document(line)
            if error is None:
                outcome = extract_one(number, doc, rules, timeout=timeout)
                if outcome.record is not None:
                    handles[source].write(outcome.record.to_json() + "\n")
                    report.records += 1
                    continue
                error = outcome.error
            report.errors.append({"line": number, "id": document_id(doc), "error": error})
    finally:
        for handle in handles.values():
            handle.close()
    for source, report in reports.items():
        _write_errors(report)
    return list(reports.values())


def _match_source(source: str, outputs: dict[str, str]) -> str:
    """Dask reports the path as it opened it (maybe absolute, maybe with a protocol); map it back."""
    if source in outputs:
        return source
    for candidate in outputs:
        if os.path.abspath(candidate) == os.path.abspath(source.split("://", 1)[-1]):
            return candidate
    raise KeyError(f"unexpected shard path from Dask: {source}")


def _parse_document(line: str) -> tuple[Any, str | None]:
    try:
        doc = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"bad JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(doc, dict):
        return None, "a JSONL line must be an object"
    return doc, None


def _write_errors(report: ShardReport) -> None:
    errors_path = Path(report.output).with_suffix(".errors.jsonl")
    if report.errors:
        with open(errors_path, "w", encoding="utf-8") as handle:
            for error in report.errors:
                handle.write(json.dumps(error, ensure_ascii=False) + "\n")
    elif errors_path.exists():
        errors_path.unlink()  # a stale list from an earlier run would be misleading
