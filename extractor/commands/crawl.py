"""`vnextract crawl`: check the options, then run the crawler (`fetch/crawler.py`) or, with
`--list`, discovery only (`fetch/seeds.py`). Lives above the fetch layer so `fetch/` never
imports the CLI."""

from __future__ import annotations

import math
import sys
from pathlib import Path

from ..fetch.crawler import CrawlBounds, default_state_path, parse_day, run_crawl, with_contact
from ..fetch.seeds import discovery_options, list_command
from ..fetch.settings import FetchSettings
from ..fetch.state import StateError
from ..fetch.urls import start_url, url_problem
from ..fetch.warc import WarcError
from ..rules_loader import RulesError
from ..usage import UsageError, check_output_path


def crawl_command(args) -> int:
    """`vnextract crawl SITE_OR_URL …`: exit 0 when every fetched page was fine, 1 when some failed.

    >>> crawl_command  # doctest: +ELLIPSIS
    <function crawl_command at ...>
    """
    if args.max is not None and args.max < 1:
        raise UsageError("--max must be at least 1")
    if args.delay is not None and not (math.isfinite(args.delay) and args.delay >= 0):
        raise UsageError(f"--delay must be a number of seconds, 0 or more, got {args.delay}")
    bounds = CrawlBounds(parse_day(args.since, "--since"), parse_day(args.until, "--until"), args.max)
    seed = start_url(args.site)
    problem = url_problem(seed)
    if problem:
        raise UsageError(f"cannot crawl {args.site!r}: {problem}")
    try:
        settings = FetchSettings.load(args.rules, delay_seconds=args.delay, user_agent=args.user_agent)
    except RulesError as exc:
        raise UsageError(str(exc)) from exc
    if getattr(args, "contact", None):
        settings = settings.with_overrides(user_agent=with_contact(settings.user_agent, args.contact))
    check_output_path(args.output, "-o")
    discovery = discovery_options(args)
    if getattr(args, "list", False):
        return list_command(seed, args, settings, bounds, discovery)
    if args.state:
        state_path = Path(args.state)
        check_output_path(args.state, "--state")
        if args.output and args.output != "-" and Path(args.output).resolve() == state_path.resolve():
            raise UsageError("-o and --state name the same file; the records and the crawl state need one each")
    else:
        state_path = default_state_path(args.output, seed)
        state_path.parent.mkdir(parents=True, exist_ok=True)  # ./.vnextract/ is ours to make
    warc = getattr(args, "warc", None)
    if warc is not None and not warc.endswith(".warc.gz"):
        raise UsageError(f"--warc writes a gzip-per-record WARC: name it FILE.warc.gz, not {warc!r}")
    from ..pipeline import article_extractor  # the heavy NLP stack loads on the first article

    try:
        summary = run_crawl([seed], args.output, state_path, settings, args.rules, bounds,
                            progress=bool(args.progress), warc=warc, discovery=discovery,
                            extract=article_extractor(args.rules))
    except (StateError, WarcError) as exc:
        raise UsageError(str(exc)) from exc
    print(f"vnextract crawl: {summary.emitted} articles, {summary.fetched} pages fetched, "
          f"{summary.skipped} skipped, {len(summary.failed)} failed (state: {state_path})",
          file=sys.stderr, flush=True)
    return 1 if summary.failed else 0
