"""The `vnextract` command: extract, crawl, eval, demo, export, people, positions.

Exit codes: 0 ok; 1 some inputs failed (each reported on stderr with its input; the rest are
still processed and written); 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

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
            from .commands.extract import extract_command

            return extract_command(args)
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
