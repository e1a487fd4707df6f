"""The `vnextract` command: extract, crawl, eval, demo, export, people, positions.

Exit codes: 0 ok; 1 some inputs failed (each reported on stderr with its input; the rest are
still processed and written); 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Iterator, TextIO

from .rules_loader import RulesError
from .usage import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, UsageError, check_output_path, report_failure  # noqa: F401 (re-exported)
from .version import __version__


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="vnextract",
        description="Structured facts (dates, officials, quantities, organizations, places) from Vietnamese "
                    "government-portal news, as JSONL records.",
    )
    parser.add_argument("--version", action="version", version=f"vnextract {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    _add_extract_parser(sub)
    _add_crawl_parser(sub)
    _add_eval_parser(sub)
    _add_demo_parser(sub)
    from .report import add_report_parser

    add_report_parser(sub)
    from .research.commands import add_research_parsers

    add_research_parsers(sub)
    return parser


def _add_rules_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rules", metavar="DIR", help="a rules folder laid over the shipped rules/ (extends or overrides)")


def _add_extract_parser(sub: Any) -> None:
    p = sub.add_parser("extract", help="HTML, text or JSONL inputs → JSONL records",
                       description="Extract records from HTML files, text files, JSONL documents (one JSON object "
                                   "a line with 'text' or 'html' and optional id, url, title, published_at), "
                                   "directories of them, URLs, URL lists (-i), WARC archives (.warc, .warc.gz), "
                                   "or '-' for standard input.")
    p.add_argument("inputs", nargs="*", metavar="PATH|URL|-", help="inputs (default: standard input)")
    p.add_argument("-i", "--input-list", action="append", metavar="FILE",
                   help="a file of URLs, one a line ('#' comments), fetched politely (repeatable)")
    p.add_argument("--delay", type=float, metavar="SECONDS",
                   help="for URL inputs: minimum interval between two requests to one host (default: rules' delay)")
    p.add_argument("-o", "--output", metavar="FILE", help="write JSONL here instead of standard output")
    p.add_argument("-j", "--jobs", type=int, metavar="N",
                   help="worker processes (default: extract.jobs in rules/settings.json, 1)")
    p.add_argument("--timeout", metavar="SECONDS",
                   help="each document's time budget; a document over it is reported and skipped "
                        "(default: extract.timeout_seconds in rules/settings.json; 0: none)")
    p.add_argument("--unordered", action="store_true", help="write records as they finish, not in input order")
    p.add_argument("--resume", action="store_true",
                   help="with -o: keep the records already in FILE, skip their documents and append the rest "
                        "(a killed run, resumed, ends with every record exactly once)")
    p.add_argument("--engine", choices=("local", "dask"), default="local", help="local processes or a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --engine dask)")
    p.add_argument("--progress", action="store_true", help="show a progress bar on stderr even when it is not a terminal")
    p.add_argument("--published-at", metavar="DATE",
                   help="publication date (ISO, e.g. 2024-06-20) for text inputs that carry none, so dates written "
                        "without a year resolve; HTML pages keep the date they show")
    _add_rules_option(p)


def _add_crawl_parser(sub: Any) -> None:
    p = sub.add_parser("crawl", help="discover and fetch a portal's articles politely and emit records")
    p.add_argument("site", metavar="SITE_OR_URL", help="a portal home URL, host name or listing URL")
    p.add_argument("--since", metavar="DATE", help="only articles published on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="only articles published on or before this date (YYYY-MM-DD)")
    p.add_argument("--max", type=int, metavar="N", help="stop after N articles")
    p.add_argument("-o", "--output", metavar="FILE", help="append JSONL records here (default: standard output)")
    p.add_argument("--state", metavar="FILE", help="crawl state SQLite file, to resume (default: beside the output)")
    p.add_argument("--delay", type=float, metavar="SECONDS", help="minimum interval between two requests to one host")
    p.add_argument("--user-agent", metavar="UA", help="User-Agent header (default: vnextract's, with a contact)")
    p.add_argument("--contact", metavar="EMAIL_OR_URL", help="how site owners reach you; added to the User-Agent")
    p.add_argument("--progress", action="store_true", help="show progress on stderr")
    _add_discovery_options(p)
    _add_rules_option(p)


def _add_discovery_options(p: argparse.ArgumentParser) -> None:
    """crawl's archive and discovery options (extractor/fetch/warc.py, extractor/fetch/seeds.py)."""
    p.add_argument("--warc", metavar="FILE.warc.gz", help="also keep every response in this WARC (appended on resume)")
    p.add_argument("--list", action="store_true",
                   help="only print the article URLs a crawl would fetch (URL, source, page found on); fetch none")
    p.add_argument("--sitemap", action="append", metavar="URL", help="a sitemap to start from too (repeatable)")
    p.add_argument("--feed", action="append", metavar="URL", help="an RSS/Atom feed to start from too (repeatable)")
    p.add_argument("--include", action="append", metavar="REGEX", help="fetch only article URLs matching (repeatable)")
    p.add_argument("--exclude", action="append", metavar="REGEX", help="never fetch URLs matching (repeatable)")


def _add_eval_parser(sub: Any) -> None:
    p = sub.add_parser("eval", help="score extraction against gold files")
    p.add_argument("gold", nargs="+", metavar="GOLD", help="gold .json/.jsonl files or folders of them")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--errors", action="store_true", help="also list, per article, missed and spurious facts")
    _add_rules_option(p)


def _add_demo_parser(sub: Any) -> None:
    p = sub.add_parser("demo", help="serve the bundled sample portal on localhost, crawl it, print records")
    p.add_argument("--port", type=int, default=0, help="port for the sample portal (default: a free one)")
    p.add_argument("--max", type=int, metavar="N", help="stop after N articles")
    p.add_argument("-o", "--output", metavar="FILE", help="write JSONL here instead of standard output")


def main(argv: list[str] | None = None) -> int:
    """Entry point of `vnextract` and `python -m extractor`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "extract":
            return run_extract(args)
        if args.command == "eval":
            return run_eval(args)
        if args.command == "crawl":
            from .commands.crawl import crawl_command

            return crawl_command(args)
        if args.command == "demo":
            from .demo import demo_command

            return demo_command(args)
        if args.command == "report":
            from .report import run_report

            return run_report(args)
        if args.command in ("export", "people", "positions"):
            from .research.commands import run_research

            return run_research(args)
    except UsageError as exc:
        print(f"vnextract {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RulesError as exc:  # a --rules folder that does not check out (rules_validation.py)
        print(f"vnextract {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE


def _open_output(path: str | None, append: bool = False) -> TextIO:
    if not path or path == "-":
        if (sys.stdout.encoding or "").lower().replace("-", "") != "utf8" and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")  # JSON Lines are UTF-8 whatever the locale says
        return sys.stdout
    try:
        return open(path, "a" if append else "w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from exc


def _progress(iterable: Iterator[Any], enabled: bool, unit: str, total: int | None = None) -> Iterator[Any]:
    if not (enabled or sys.stderr.isatty()):
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, unit=unit, file=sys.stderr, dynamic_ncols=True, total=total)


def run_extract(args: argparse.Namespace) -> int:
    """`vnextract extract`: inputs → JSONL records; failures reported, the rest written."""
    from .extract_settings import ExtractDefaults, parse_timeout, skipped_summary
    from .inputs import InputError, iter_inputs, output_collides_with_input
    from .pipeline import expected_record_id
    from .rules_loader import RulesError, load_rules

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
        from .published import parse_iso

        if parse_iso(args.published_at) is None:
            raise UsageError(f"--published-at {args.published_at!r} is not an ISO date (YYYY-MM-DD[THH:MM])")
    failures = 0
    skipped: list[str] = []  # names of the documents that failed, for the closing summary
    labels: dict[int, str] = {}  # position in the stream of documents → the input it came from
    collision = output_collides_with_input(args.output, args.inputs)
    if collision is not None:
        raise UsageError(f"output {args.output} is the input {collision} (or lies inside it); "
                         "write the records elsewhere")
    check_output_path(args.output)
    done: set[str] | None = None
    if args.resume:
        if not args.output or args.output == "-":
            raise UsageError("--resume needs -o FILE")
        done = ids_already_written(args.output)
    from .positions import with_positions

    positions = with_positions(args.output, args.resume, done)  # inputs without ids → their records
    untracked: set[int] = set()  # stream positions of such documents, noted once their record is out

    from .inputs import InputDoc
    from .sources import PoliteFetcher, count_documents, iter_url_list_file, url_record_id

    if args.delay is not None and args.delay < 0:
        raise UsageError("--delay cannot be negative")
    lists = args.input_list or []

    def items() -> Iterator[Any]:
        if args.inputs or not lists:  # only -i lists: standard input is not read
            yield from iter_inputs(args.inputs, max_bytes=defaults.max_input_bytes)
        for name in lists:
            yield from iter_url_list_file(name)

    def not_done(found: Iterator[Any]) -> Iterator[Any]:
        """With --resume, a URL whose record is already written is not fetched again."""
        for item in found:
            if not (done and isinstance(item, InputDoc) and url_record_id(item.doc) in done):
                yield item

    def documents() -> Iterator[dict[str, Any]]:
        nonlocal failures
        position = 0
        for item in PoliteFetcher(args.rules, args.delay).resolve(not_done(items())):
            if isinstance(item, InputError):
                failures += 1
                report_failure(item.label, item.message)
                continue
            expected = expected_record_id(item.doc)
            if done and expected in done:
                continue  # written by an earlier run
            if expected is None and positions is not None:
                if done and positions.done(item.label):
                    continue  # a page whose record an earlier run wrote: not read again
                untracked.add(position)
            labels[position] = item.label
            position += 1
            if args.published_at and "text" in item.doc and not item.doc.get("published_at"):
                item.doc["published_at"] = args.published_at
            yield item.doc

    if args.engine == "dask":
        from .batch_dask import SchedulerUnreachable, check_scheduler

        try:
            check_scheduler(args.scheduler)  # before any output file exists
        except SchedulerUnreachable as exc:
            raise UsageError(str(exc)) from None
    out = _open_output(args.output, append=args.resume)
    extracted = 0
    try:
        if args.engine == "dask":
            from .batch_dask import run_batch_dask

            outcomes = run_batch_dask(documents(), scheduler=args.scheduler, rules=args.rules,
                                      ordered=not args.unordered, timeout=timeout or 0, as_json=True)
        else:
            from .batch import run_batch

            outcomes = run_batch(documents(), jobs=args.jobs, ordered=not args.unordered,
                                 rules=args.rules if args.jobs > 1 else rules, timeout=timeout or 0, as_json=True)
        total = count_documents(args.inputs or ([] if lists else ["-"]), lists) \
            if args.progress or sys.stderr.isatty() else None
        for outcome in _progress(outcomes, args.progress, "doc", total):
            extracted += 1
            label = labels.pop(outcome.index, outcome.doc_id or f"document {outcome.index + 1}")
            track = outcome.index in untracked
            untracked.discard(outcome.index)
            if not outcome.ok:
                failures += 1
                skipped.append(label)
                report_failure(label, outcome.error or "failed")
                continue
            line = outcome.to_json()
            if done is not None:
                # Documents without an input id get theirs (a hash of URL or text) only now.
                record_id = json.loads(line)["id"]
                if record_id in done:
                    if track and positions is not None:
                        positions.add(label, record_id)
                    continue
                done.add(record_id)
            try:
                out.write(line + "\n")
            except UnicodeEncodeError as exc:  # never lose the rest of the batch to one record
                failures += 1
                report_failure(label, f"record not writable as UTF-8: {exc.reason}")
                continue
            out.flush()
            if track and positions is not None:
                positions.add(label, json.loads(line)["id"])
    finally:
        if out is not sys.stdout:
            out.close()
        if positions is not None:
            positions.close()
    summary = skipped_summary(skipped, extracted)
    if summary:
        report_failure("extract", summary)
    return EXIT_SOME_FAILED if failures else EXIT_OK


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


def run_eval(args: argparse.Namespace) -> int:
    """`vnextract eval`: score against gold files; table (or --json) on stdout."""
    from .evaluate import GoldError, evaluate, extract_for_eval, load_gold

    try:
        gold = load_gold(args.gold)
    except GoldError as exc:
        report_failure("eval", str(exc))
        return EXIT_SOME_FAILED
    if not gold:
        raise UsageError("no gold articles found in " + ", ".join(args.gold))
    report = evaluate(gold, extract_for_eval(args.rules))
    if args.json:
        payload = report.as_dict()
        if args.errors:
            payload["errors"] = report.errors()
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(report.table())
        if args.errors:
            print(report.errors())
    return EXIT_OK


if __name__ == "__main__":  # python -m extractor.cli, as python -m extractor
    sys.exit(main())
