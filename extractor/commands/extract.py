"""`vnextract extract`: inputs → JSONL records; failures reported, the rest written.

The run in four steps, one function each: check the options (`check_options`, before any file is
touched), open the run (`ExtractRun.open`: the ids an earlier run wrote with `--resume`), stream
the documents through the batch engine (`ExtractRun.documents`, `run_engine`), write each outcome
(`ExtractRun.write`).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator, TextIO

from ..extract_settings import ExtractDefaults, parse_timeout, skipped_summary
from ..inputs import InputDoc, InputError, iter_inputs, output_collides_with_input
from ..pipeline import expected_record_id
from ..positions import InputPositions, with_positions
from ..rules_loader import Rules, RulesError, load_rules
from ..sources import PoliteFetcher, count_documents, iter_url_list_file, url_record_id
from ..usage import EXIT_OK, EXIT_SOME_FAILED, UsageError, check_output_path, report_failure


@dataclass
class Options:
    """What the checked options settle: the rules, the input limits and the per-document timeout."""

    rules: Rules | None
    defaults: ExtractDefaults
    timeout: float | None


def check_options(args: argparse.Namespace) -> Options:
    """Refuse bad options (UsageError) before any file is touched; fill `--jobs` from the settings."""
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.engine == "dask" and not args.scheduler:
        raise UsageError("--engine dask needs --scheduler ADDRESS")
    try:
        rules = load_rules(args.rules) if args.rules else None
        defaults = ExtractDefaults.load(rules)
        timeout = defaults.timeout_seconds if args.timeout is None else parse_timeout(args.timeout)
    except (RulesError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    if args.jobs is None:
        args.jobs = defaults.jobs
    if args.published_at is not None:
        from ..published import parse_iso

        if parse_iso(args.published_at) is None:
            raise UsageError(f"--published-at {args.published_at!r} is not an ISO date (YYYY-MM-DD[THH:MM])")
    collision = output_collides_with_input(args.output, args.inputs)
    if collision is not None:
        raise UsageError(f"output {args.output} is the input {collision} (or lies inside it); "
                         "write the records elsewhere")
    check_output_path(args.output)
    if args.resume and (not args.output or args.output == "-"):
        raise UsageError("--resume needs -o FILE")
    if args.delay is not None and args.delay < 0:
        raise UsageError("--delay cannot be negative")
    return Options(rules, defaults, timeout)


@dataclass
class ExtractRun:
    """One run's state: what an earlier run wrote (`done`, with --resume), which input each
    document in the stream came from, and what failed."""

    args: argparse.Namespace
    options: Options
    done: set[str] | None = None
    positions: InputPositions | None = None  # inputs without ids → their records
    failures: int = 0
    skipped: list[str] = field(default_factory=list)  # names of the documents that failed, for the summary
    labels: dict[int, str] = field(default_factory=dict)  # position in the stream → the input it came from
    untracked: set[int] = field(default_factory=set)  # positions of id-less inputs, noted once written
    extracted: int = 0

    @classmethod
    def open(cls, args: argparse.Namespace, options: Options) -> "ExtractRun":
        """The run, with the ids of the records an earlier run wrote when resuming."""
        done = ids_already_written(args.output) if args.resume else None
        return cls(args, options, done, with_positions(args.output, args.resume, done))

    @property
    def url_lists(self) -> list[str]:
        return self.args.input_list or []

    def items(self) -> Iterator[Any]:
        """The inputs as read: documents and input errors; standard input only when nothing else is named."""
        if self.args.inputs or not self.url_lists:  # only -i lists: standard input is not read
            yield from iter_inputs(self.args.inputs, max_bytes=self.options.defaults.max_input_bytes)
        for name in self.url_lists:
            yield from iter_url_list_file(name)

    def not_done(self, found: Iterator[Any]) -> Iterator[Any]:
        """With --resume, a URL whose record is already written is not fetched again."""
        for item in found:
            if not (self.done and isinstance(item, InputDoc) and url_record_id(item.doc) in self.done):
                yield item

    def documents(self) -> Iterator[dict[str, Any]]:
        """The documents to extract, URLs fetched; input errors reported and counted on the way."""
        position = 0
        for item in PoliteFetcher(self.args.rules, self.args.delay).resolve(self.not_done(self.items())):
            if isinstance(item, InputError):
                self.failures += 1
                report_failure(item.label, item.message)
                continue
            expected = expected_record_id(item.doc)
            if self.done and expected in self.done:
                continue  # written by an earlier run
            if expected is None and self.positions is not None:
                if self.done and self.positions.done(item.label):
                    continue  # a page whose record an earlier run wrote: not read again
                self.untracked.add(position)
            self.labels[position] = item.label
            position += 1
            if self.args.published_at and "text" in item.doc and not item.doc.get("published_at"):
                item.doc["published_at"] = self.args.published_at
            yield item.doc

    def write(self, outcome: Any, out: TextIO) -> None:
        """Write one outcome's record, or report its failure; the batch goes on either way."""
        self.extracted += 1
        label = self.labels.pop(outcome.index, outcome.doc_id or f"document {outcome.index + 1}")
        track = outcome.index in self.untracked
        self.untracked.discard(outcome.index)
        if not outcome.ok:
            self.failures += 1
            self.skipped.append(label)
            report_failure(label, outcome.error or "failed")
            return
        line = outcome.to_json()
        if self.done is not None:
            # Documents without an input id get theirs (a hash of URL or text) only now.
            record_id = json.loads(line)["id"]
            if record_id in self.done:
                if track and self.positions is not None:
                    self.positions.add(label, record_id)
                return
            self.done.add(record_id)
        try:
            out.write(line + "\n")
        except UnicodeEncodeError as exc:  # never lose the rest of the batch to one record
            self.failures += 1
            report_failure(label, f"record not writable as UTF-8: {exc.reason}")
            return
        out.flush()
        if track and self.positions is not None:
            self.positions.add(label, json.loads(line)["id"])


def run_engine(run: ExtractRun) -> Iterator[Any]:
    """The outcomes of the run's documents, from worker processes or a Dask cluster."""
    args, timeout = run.args, run.options.timeout or 0
    if args.engine == "dask":
        from ..batch_dask import run_batch_dask

        return run_batch_dask(run.documents(), scheduler=args.scheduler, rules=args.rules,
                              ordered=not args.unordered, timeout=timeout, as_json=True)
    from ..batch import run_batch

    return run_batch(run.documents(), jobs=args.jobs, ordered=not args.unordered,
                     rules=args.rules if args.jobs > 1 else run.options.rules, timeout=timeout, as_json=True)


def check_scheduler(args: argparse.Namespace) -> None:
    """With --engine dask, the scheduler must answer before any output file exists."""
    if args.engine == "dask":
        from ..batch_dask import SchedulerUnreachable, check_scheduler as reach

        try:
            reach(args.scheduler)
        except SchedulerUnreachable as exc:
            raise UsageError(str(exc)) from None


def extract_command(args: argparse.Namespace) -> int:
    """`vnextract extract`: exit 0 when every input gave a record, 1 when some failed.

    >>> extract_command  # doctest: +ELLIPSIS
    <function extract_command at ...>
    """
    options = check_options(args)
    run = ExtractRun.open(args, options)
    check_scheduler(args)
    out = open_output(args.output, append=args.resume)
    try:
        lists = run.url_lists
        total = count_documents(args.inputs or ([] if lists else ["-"]), lists) \
            if args.progress or sys.stderr.isatty() else None
        for outcome in progress(run_engine(run), args.progress, "doc", total):
            run.write(outcome, out)
    finally:
        if out is not sys.stdout:
            out.close()
        if run.positions is not None:
            run.positions.close()
    summary = skipped_summary(run.skipped, run.extracted)
    if summary:
        report_failure("extract", summary)
    return EXIT_SOME_FAILED if run.failures else EXIT_OK


def open_output(path: str | None, append: bool = False) -> TextIO:
    """The output file (standard output for none or "-"), UTF-8 whatever the locale says."""
    if not path or path == "-":
        if (sys.stdout.encoding or "").lower().replace("-", "") != "utf8" and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")  # JSON Lines are UTF-8 whatever the locale says
        return sys.stdout
    try:
        return open(path, "a" if append else "w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from exc


def progress(iterable: Iterator[Any], enabled: bool, unit: str, total: int | None = None) -> Iterator[Any]:
    """A tqdm bar on stderr when asked for or when stderr is a terminal."""
    if not (enabled or sys.stderr.isatty()):
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, unit=unit, file=sys.stderr, dynamic_ncols=True, total=total)


def ids_already_written(path: str) -> set[str]:
    """The record ids in an output file from an earlier (maybe killed) run; a torn last line —
    the run died mid-write — is cut off so appending continues on a clean line.

    >>> ids_already_written("/nonexistent/out.jsonl")
    set()
    """
    try:
        with open(path, "rb+") as handle:
            data = handle.read()
            complete = data.rfind(b"\n") + 1
            if complete < len(data):
                handle.truncate(complete)
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise UsageError(f"cannot resume from {path}: {exc.strerror}") from exc
    ids: set[str] = set()
    for number, line in enumerate(data[:complete].splitlines(), start=1):
        if not line.strip():
            continue
        try:
            ids.add(str(json.loads(line)["id"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"cannot resume from {path}:{number}: not a vnextract record ({exc})") from exc
    return ids
