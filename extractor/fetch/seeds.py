"""Discovery a user can steer and inspect: `--sitemap`/`--feed` seeds, `--include`/`--exclude`, `--list`.

- `--sitemap URL` / `--feed URL` (repeatable) queue a sitemap or an RSS/Atom feed beside the home
  page, robots.txt's sitemaps and /sitemap.xml.
- `--exclude REGEX` (repeatable): a URL it matches is never queued, so never fetched.
  `--include REGEX` (repeatable): only article URLs one of them matches are queued; the hub pages
  discovery goes through (seeds, listings, sitemaps, feeds, other pages) are always followed, or
  an include pattern for articles would cut the crawl off from them. Patterns are Python regular
  expressions searched (`re.search`) in the whole canonical URL.
- `--list` runs discovery only: seeds, robots.txt, sitemaps, feeds, listings and other pages are
  fetched as in a crawl, but a URL taken for an article is printed instead of fetched —
  `URL<TAB>SOURCE<TAB>FOUND_ON`, SOURCE being listing, sitemap, feed or link — each URL once,
  in the order a crawl would fetch them. The state is in memory and no HTTP cache is kept, so a
  listing never disturbs a real crawl's resumable state. With `--warc`, the pages it did fetch are
  archived (a listing keeps no state: the file is re-read on open to know what it holds).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import IO

from .crawler import CrawlBounds, Crawler, JsonlSink
from .settings import FetchSettings
from .state import CrawlState, QueuedUrl

# What kind of page named a URL → the source --list prints.
_SOURCE_OF_KIND = {"listing": "listing", "sitemap": "sitemap", "feed": "feed"}


@dataclass
class DiscoveryOptions:
    """Extra seeds and URL patterns of one crawl.

    >>> options = DiscoveryOptions(exclude=[r"/tag/"], include=[r"/tin-tuc/"])
    >>> options.admits("http://h/tag/x", "page"), options.admits("http://h/video/1", "article")
    (False, False)
    >>> options.admits("http://h/tin-tuc/a-1", "article"), options.admits("http://h/video", "listing")
    (True, True)
    """

    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._include = [re.compile(p) for p in self.include]
        self._exclude = [re.compile(p) for p in self.exclude]

    def extra_seeds(self) -> list[tuple[str, str]]:
        """(URL, kind) of each --sitemap and --feed.

        >>> DiscoveryOptions(feeds=["http://h/rss"]).extra_seeds()
        [('http://h/rss', 'feed')]
        """
        return [(url, "sitemap") for url in self.sitemaps] + [(url, "feed") for url in self.feeds]

    def admits(self, url: str, kind: str) -> bool:
        """Whether a URL of this kind may be queued (see the module docstring; examples on the class)."""
        if any(p.search(url) for p in self._exclude):
            return False
        return kind != "article" or not self._include or any(p.search(url) for p in self._include)

    def wrap_state(self, state: CrawlState):
        """The state itself when there is nothing to filter, else a view that filters `enqueue`."""
        return FilteringState(state, self) if self._include or self._exclude else state


class FilteringState:
    """A CrawlState whose `enqueue` drops URLs the options refuse and remembers who named each URL."""

    def __init__(self, state: CrawlState, options: DiscoveryOptions | None = None):
        self._state = state
        self._options = options
        self.current: QueuedUrl | None = None  # the page being processed: what it links is its find
        self.found: dict[str, tuple[str, str]] = {}  # URL → (source, page it was found on)

    def __getattr__(self, name: str):
        return getattr(self._state, name)

    def enqueue(self, url: str, kind: str, depth: int, priority: int | None = None) -> bool:
        if self._options is not None and not self._options.admits(url, kind):
            return False
        new = self._state.enqueue(url, kind, depth, priority)
        if new and self.current is not None:
            self.found[url] = (_SOURCE_OF_KIND.get(self.current.kind, "link"), self.current.url)
        return new


class ListingCrawler(Crawler):
    """A crawl that prints article URLs instead of fetching them (`vnextract crawl --list`)."""

    def __init__(self, seeds: list[str], settings: FetchSettings, discovery: DiscoveryOptions,
                 out: IO[str], bounds: CrawlBounds | None = None, rules=None):
        self.view = FilteringState(CrawlState(":memory:"), discovery)
        super().__init__(seeds, settings, self.view, JsonlSink(None), rules=rules, bounds=bounds)
        self.extra_seeds = discovery.extra_seeds()
        self.out = out
        self.listed = 0

    def _budget_spent(self) -> bool:
        limit = self.bounds.max_articles
        return limit is not None and self.listed >= limit

    def _process(self, item: QueuedUrl) -> None:
        if item.kind == "article":
            source, found_on = self.view.found.get(item.url, ("seed", ""))
            self.out.write(f"{item.url}\t{source}\t{found_on}\n")
            self.out.flush()
            self.listed += 1
            self._finish(item.url, "done", None, "listed, not fetched")
            return
        self.view.current = item
        try:
            super()._process(item)
        finally:
            self.view.current = None

    def _record(self, article):
        return None, None  # a page that turned out to be an article is not extracted when listing

    def close(self) -> None:
        self.view.close()


def discovery_options(args) -> DiscoveryOptions:
    """The options from `vnextract crawl` arguments; a bad pattern is a usage error."""
    from ..usage import UsageError

    try:
        return DiscoveryOptions(sitemaps=list(getattr(args, "sitemap", None) or []),
                                feeds=list(getattr(args, "feed", None) or []),
                                include=list(getattr(args, "include", None) or []),
                                exclude=list(getattr(args, "exclude", None) or []))
    except re.error as exc:
        raise UsageError(f"bad --include/--exclude pattern {exc.pattern!r}: {exc}") from exc


def list_command(seed: str, args, settings: FetchSettings, bounds: CrawlBounds, discovery: DiscoveryOptions) -> int:
    """`vnextract crawl SITE --list`: print the article URLs a crawl would fetch; exit 1 when a hub failed."""
    from ..usage import UsageError

    out = open(args.output, "w", encoding="utf-8") if args.output and args.output != "-" else sys.stdout
    crawler = ListingCrawler([seed], settings, discovery, out, bounds, rules=args.rules)
    recorder = None
    try:
        if getattr(args, "warc", None):  # the hub pages discovery read, archived too
            from .warc import WarcError, WarcRecorder

            try:
                recorder = crawler.client.recorder = WarcRecorder(args.warc, crawler.view.db)
            except WarcError as exc:
                raise UsageError(str(exc)) from exc
        summary = crawler.run()
    finally:
        if recorder is not None:
            recorder.close()
        crawler.close()
        if out is not sys.stdout:
            out.close()
    print(f"vnextract crawl --list: {crawler.listed} article URLs, {summary.fetched} hub pages fetched, "
          f"{len(summary.failed)} failed", file=sys.stderr, flush=True)
    return 1 if summary.failed else 0
