"""`vnextract report RECORDS.jsonl… -o report.html`: one self-contained HTML page about a batch.

`aggregate` reads the records once in bounded memory (counters over all records, a fixed-size
sample of whole articles); `render_report` fills the Jinja2 template with inline SVG charts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .aggregate import DEFAULT_SAMPLE, ReportData, aggregate, read_error_log
from .render import render_report

__all__ = ["aggregate", "render_report", "write_report", "ReportData", "add_report_parser", "run_report"]


def write_report(paths: list[str], output: str | Path, sample_size: int = DEFAULT_SAMPLE,
                 title: str = "vnextract report", error_logs: list[str] = ()) -> ReportData:
    """Aggregate the records of `paths` (and the failures listed in `error_logs`, stderr of
    `vnextract extract`) and write the report page to `output`; the data it showed."""
    data = aggregate(paths, sample_size=sample_size)
    for log in error_logs:
        read_error_log(log, data)
    Path(output).write_text(render_report(data, title=title), encoding="utf-8")
    return data


def add_report_parser(sub) -> None:
    """The `report` subcommand's arguments."""
    p = sub.add_parser("report", help="a self-contained HTML report of JSONL records",
                       description="Read JSONL records (the output of `vnextract extract`) and write one HTML file "
                                   "that opens without network: overview charts, people and positions, quantities, "
                                   "and a sample of articles with their facts highlighted.")
    p.add_argument("records", nargs="+", metavar="RECORDS", help="JSONL record files ('-' for standard input)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    p.add_argument("--articles", type=int, default=DEFAULT_SAMPLE, metavar="N",
                   help=f"articles shown in full, a random sample when there are more (default {DEFAULT_SAMPLE}); "
                        "figures always count every record")
    p.add_argument("--title", default="vnextract report", help="the page title")
    p.add_argument("--errors", action="append", default=[], metavar="FILE",
                   help="the stderr of `vnextract extract` (e.g. `2> err.log`): its failures are listed as "
                        "extraction errors (repeatable)")


def run_report(args: argparse.Namespace) -> int:
    """`vnextract report`: 0 when every line was a record, 1 when some were not (each named on stderr)."""
    from ..usage import EXIT_OK, EXIT_SOME_FAILED, UsageError

    if args.articles < 0:
        raise UsageError("--articles must be 0 or more")
    output = Path(args.output)
    if not output.parent.is_dir():
        raise UsageError(f"cannot write {args.output}: no such folder {output.parent}")
    for log in args.errors:
        if not Path(log).is_file():
            raise UsageError(f"--errors {log}: no such file")
    data = write_report(args.records, output, sample_size=args.articles, title=args.title, error_logs=args.errors)
    for problem in data.input_problems:
        print(f"vnextract: {problem.where}: {problem.message}", file=sys.stderr)
    if data.input_problem_count > len(data.input_problems):
        print(f"vnextract: … and {data.input_problem_count - len(data.input_problems)} more", file=sys.stderr)
    return EXIT_SOME_FAILED if data.input_problem_count else EXIT_OK
