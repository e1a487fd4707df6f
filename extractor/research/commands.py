"""The research subcommands of `vnextract`: export, people, positions (wired in extractor/cli.py)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

COMMANDS = ("export", "people", "positions")


def add_research_parsers(sub: Any) -> None:
    """Add `export`, `people` and `positions` to the CLI's subparsers."""
    p = sub.add_parser("export", help="records → typed tables (Parquet, DuckDB, CSV)",
                       description="Export JSONL records to one table per fact family joined by article_id "
                                   "(articles, dates, officials, titles, quantities, organizations, locations) "
                                   "plus the people registry (people, positions). Streams in batches.")
    _inputs(p)
    p.add_argument("--parquet", metavar="DIR", help="write one Parquet file per table into DIR")
    p.add_argument("--duckdb", metavar="FILE", help="write a DuckDB database (tables and views) to FILE (replaced)")
    p.add_argument("--csv", metavar="DIR", help="write one CSV file per table into DIR (lists as JSON arrays)")

    p = sub.add_parser("people", help="the people registry: one entry per person across articles",
                       description="One JSON line per real person across all records: name, variants, articles, "
                                   "first/last seen, canonical positions with their dates and articles.")
    _inputs(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write JSONL here instead of standard output")
    p.add_argument("--explain", action="store_true", help="add `why`: the entity-resolution decisions per person")

    p = sub.add_parser("positions", help="who held each post when",
                       description="Per canonical position, its holders in time order with the first and last "
                                   "article showing each.")
    _inputs(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--text", action="store_true", help="a readable timeline instead of JSONL")
    p.add_argument("--min-articles", type=int, default=1, metavar="N",
                   help="only holders seen in at least N articles (default 1)")


def _inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="RECORDS", help="JSONL record files (vnextract extract output), '-' for stdin")
    p.add_argument("--progress", action="store_true", help="show a progress bar on stderr")
    p.add_argument("--rules", metavar="DIR", help="a rules folder laid over the shipped rules/ (extends or overrides)")


def run_research(args: argparse.Namespace) -> int:
    """Run one research subcommand; 0 ok, 1 some input lines were not records, 2 usage error."""
    from ..usage import EXIT_OK, EXIT_SOME_FAILED, UsageError, report_failure
    from ..rules_loader import RulesError, load_rules
    from .records import BadRecord

    def on_error(bad: BadRecord) -> None:
        report_failure(bad.label, bad.message)

    try:
        rules = load_rules(args.rules) if args.rules else None
    except RulesError as exc:
        raise UsageError(str(exc)) from exc
    if args.command == "export":
        if not (args.parquet or args.duckdb or args.csv):
            raise UsageError("give at least one of --parquet DIR, --duckdb FILE, --csv DIR")
        from .tables import export

        counts = export(args.inputs, parquet=args.parquet, duckdb=args.duckdb, csv=args.csv, rules=rules,
                        progress=args.progress or sys.stderr.isatty(), on_error=on_error)
        failures = counts.pop("failures", 0)
        print(json.dumps(counts, ensure_ascii=False), file=sys.stderr)
        return EXIT_SOME_FAILED if failures else EXIT_OK
    if getattr(args, "min_articles", 1) < 1:
        raise UsageError("--min-articles must be at least 1")
    out = _open(args.output)
    try:
        return _write_registry(args, rules, out, on_error)
    except BrokenPipeError:  # `vnextract positions … | head`: the reader has all it wants
        sys.stdout = open(os.devnull, "w")
        return EXIT_OK
    finally:
        if out is not sys.stdout:
            out.close()


def _write_registry(args: argparse.Namespace, rules: Any, out: Any, on_error: Any) -> int:
    from ..usage import EXIT_OK, EXIT_SOME_FAILED
    from .records import RecordSource
    from .tables import build_registry

    with RecordSource(args.inputs, on_error=on_error) as source:
        registry = build_registry(source, rules, args.progress or sys.stderr.isatty())
        if args.command == "people":
            for person in registry.people():
                out.write(json.dumps(person.to_dict(explain=args.explain), ensure_ascii=False) + "\n")
        else:
            for post in registry.positions():
                post["holders"] = [h for h in post["holders"] if h["articles"] >= args.min_articles]
                if post["holders"]:
                    out.write(_timeline(post) if args.text else json.dumps(post, ensure_ascii=False) + "\n")
        failures = source.failures
    return EXIT_SOME_FAILED if failures else EXIT_OK


def _open(path: str | None) -> Any:
    from ..usage import UsageError

    if not path or path == "-":
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from exc


def _timeline(post: dict[str, Any]) -> str:
    """A post and its holders, one line each: dates seen, name, articles, first and last article."""
    lines = [post["canonical"] + (" (former)" if post.get("former") else "")]
    for h in post["holders"]:
        span = f"{h['first_seen'] or '?':>10} – {h['last_seen'] or '?':<10}"
        lines.append(f"  {span}  {h['name']}  ({h['articles']} articles; first {h['first_article']}, last {h['last_article']})")
    return "\n".join(lines) + "\n"
