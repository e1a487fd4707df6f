"""The polite, resumable crawler behind `vnextract crawl` (and `vnextract demo`).

From a portal's home URL: robots.txt, its sitemaps and /sitemap.xml, RSS feeds, the platform
profile's listings with pagination, and same-site links that look like articles. Each article is
read, turned into a record and appended to the output JSONL.

Exactly-once output across kills: a record line is written, flushed and fsync'ed *before* the
state marks it emitted; on start, a torn last line is cut off and the ids in the output file are
reconciled with the state. A kill between the two steps therefore leaves a record in the file
that the state does not know yet: the reconcile step adopts it, and the page, fetched again,
is recognised by its id and not written twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, Callable
from urllib.parse import urlsplit

from ..html import parse_page
from ..html.encoding import decode_body
from ..published import parse_iso
from ..rules_loader import Rules, load_rules
from .discovery import parse_feed, unpack_feed
from .http import FetchResult, HttpClient
from .settings import FetchSettings
from .state import CrawlState, QueuedUrl, StateError, StateLock, check_state_file
from .urls import Scope, canonical_url, host_of

# A fetched article → its record as a dict: given by the layer above (`pipeline.article_extractor`),
# so the fetch layer never imports the pipeline.
ExtractArticle = Callable[[Any], "dict[str, Any]"]


@dataclass
class CrawlBounds:
    """What the user asked for: a date window and an article budget."""

    since: date | None = None
    until: date | None = None
    max_articles: int | None = None

    def admits(self, published_at: str | None) -> bool:
        """Whether an article published then falls in the window (undated ones always do)."""
        day = _day(published_at)
        if day is None:
            return True
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)


@dataclass
class CrawlSummary:
    """Counts at the end of a run."""

    emitted: int = 0
    fetched: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


class JsonlSink:
    """The output JSONL: appended one fsync'ed line at a time, its torn tail cut on open.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "out.jsonl")
    >>> open(path, "w").write('{"id": "a"}\\n{"id": "b"')  # a kill in mid-line
    22
    >>> JsonlSink(path).ids
    {'a'}
    """

    def __init__(self, path: str | Path | None):
        self.path = Path(path) if path and str(path) != "-" else None
        self.ids: set[str] = set()
        if self.path is None:
            self.stream: IO[bytes] = sys.stdout.buffer
            return
        try:
            self.stream = open(self.path, "a+b")  # its folder must exist: a typo makes no new folders
        except OSError as exc:
            raise StateError(f"cannot write {self.path}: {exc.strerror}") from exc
        self._repair_and_read_ids()

    def _repair_and_read_ids(self) -> None:
        """Read the ids line by line (outputs grow to gigabytes) and cut a torn last line."""
        self.stream.seek(0)
        complete = 0
        for line in self.stream:
            if not line.endswith(b"\n"):
                break  # the tail a kill left half-written
            complete += len(line)
            try:
                self.ids.add(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError):
                continue
        if complete != self.stream.seek(0, os.SEEK_END):
            self.stream.truncate(complete)
            os.fsync(self.stream.fileno())
        self.stream.seek(0, os.SEEK_END)

    def write(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        self.stream.write(line)
        self.stream.flush()
        if self.path is not None:
            os.fsync(self.stream.fileno())
        self.ids.add(record["id"])

    def close(self) -> None:
        if self.path is not None:
            self.stream.close()
        else:
            self.stream.flush()


class Crawler:
    """One crawl: seeds, settings, state and output; `run()` until the frontier is empty or a bound hits."""

    def __init__(self, seeds: list[str], settings: FetchSettings, state: CrawlState, sink: JsonlSink,
                 rules: Rules | str | None = None, bounds: CrawlBounds | None = None,
                 cache_path: Path | str | None = None, report: Callable[[str], None] | None = None,
                 progress: bool = False, site_names: dict[str, str] | None = None,
                 extract: "ExtractArticle | None" = None):
        self.settings = settings
        self.extract = extract  # what turns a fetched article into a record: given from above
        self.state = state
        self.sink = sink
        self.rules = load_rules(rules)
        self.bounds = bounds or CrawlBounds()
        self.client = HttpClient(settings, cache_path, Scope.from_seeds(seeds))
        self.report = report or (lambda message: print(message, file=sys.stderr, flush=True))
        self.summary = CrawlSummary()
        self._base_emitted = 0
        self.seeds = seeds
        self.extra_seeds: list[tuple[str, str]] = []  # (URL, "sitemap" | "feed") from --sitemap / --feed
        self.site_names = site_names or {}  # host → site name for records, when hosts are stand-ins
        self._progress = _progress_bar() if progress else None
        self.traps = TrapGuard(settings.max_barren_pages)
        self._discovery_pages = 0
        if sink.path is not None:
            self.state.reconcile_emitted(sink.ids)

    @property
    def scope(self) -> Scope:
        """The hosts this crawl may touch (a seed redirected to another host widens it)."""
        return self.client.scope

    def canonical(self, url: str, base: str | None = None) -> str:
        return canonical_url(url, self.settings.tracking_params, base=base)

    # -- main loop --------------------------------------------------------------------------
    def run(self) -> CrawlSummary:
        """Crawl until nothing is left or `--max` articles are out; returns the summary."""
        self._base_emitted = self.state.begin_run()
        self._discovery_pages = self.state.discovery_pages_done()
        with self.state.transaction():
            for seed in self.seeds:
                seed = self.canonical(seed)
                self.state.enqueue(seed, "seed", 0)
                self.state.enqueue(self.canonical("/sitemap.xml", base=seed), "sitemap", 1)
            for url, kind in self.extra_seeds:
                self.state.enqueue(self.canonical(url), kind, 1)
        for seed in self.seeds:
            sitemaps = self.client.sitemaps(seed)  # also loads robots.txt (Crawl-delay) first
            with self.state.transaction():
                for url in sitemaps:
                    url = self.canonical(url, base=seed)
                    if self.scope.allows(url):
                        self.state.enqueue(url, "sitemap", 1)
        try:
            while not self._budget_spent():
                item = self._next_item()
                if item is None:
                    self.state.end_run()
                    break
                self._process(item)
        finally:
            self.client.close()
            if self._progress is not None:
                self._progress.close()
        self.summary.emitted = self.state.emitted_count() - self._base_emitted
        self.summary.failed = self.state.failures()
        return self.summary

    def _budget_spent(self) -> bool:
        """--max counts the articles of this crawl, across resumes, not of earlier finished runs."""
        limit = self.bounds.max_articles
        return limit is not None and self.state.emitted_count() - self._base_emitted >= limit

    def _next_item(self) -> QueuedUrl | None:
        """The due URL whose host may be asked soonest; sleeps as politeness requires."""
        while True:
            heads = self.state.heads(time.time())
            if heads:
                waits = [(self.client.throttle.wait_seconds(host_of(h.url)), i) for i, h in enumerate(heads)]
                pause, index = min(waits)
                if pause <= 0:
                    return heads[index]
                time.sleep(min(pause, 0.5))
                continue
            retry_at = self.state.earliest_retry()
            if retry_at is None:
                return None
            time.sleep(min(max(retry_at - time.time(), 0.01), 1.0))

    def _process(self, item: QueuedUrl) -> None:
        extension = os.path.splitext(item.url.split("?", 1)[0])[1].lower()
        if extension in self.settings.skip_extensions:
            self._finish(item.url, "skipped", reason=f"not a page ({extension} link, not fetched)")
            return
        if item.kind != "seed":
            refusal = self.traps.refusal(item.url) if item.kind == "article" else self._discovery_refusal(item.url)
            if refusal:
                self._finish(item.url, "skipped", reason=refusal)
                return
            self._discovery_pages += item.kind != "article"
        allow = (*self.settings.html_types, *self.settings.feed_types, "text/plain")
        result = self.client.fetch(item.url, allow_types=allow, widen_scope=item.kind == "seed")
        if self._progress is not None:
            self._progress.total = self._progress.n + self.state.pending()  # done + the frontier left
            self._progress.update(1)
            self._progress.set_postfix(articles=len(self.sink.ids), refresh=False)
        if result.error is not None:
            self._on_error(item, result)
        elif result.skipped is not None:
            self._finish(item.url, "skipped", result.status, result.skipped)
            if item.kind == "seed":  # the whole crawl hangs on it: say so
                self.report(f"vnextract: crawl: {item.url}: skipped: {result.skipped}")
        else:
            self.summary.fetched += 1
            self._on_page(item, result)

    def _discovery_refusal(self, url: str) -> str | None:
        """Why a listing, sitemap, feed or other page is not fetched: the discovery budget is spent
        or its URL family is a trap (many pages of it in a row were unproductive: see TrapGuard)."""
        if self._discovery_pages >= self.settings.max_pages:
            return f"discovery budget spent ({self.settings.max_pages} pages besides articles; fetch.max_pages)"
        return self.traps.refusal(url)

    def _room(self) -> int:
        """How many more URLs the frontier takes (fetch.max_queued_urls bounds its size)."""
        return max(0, self.settings.max_queued_urls - self.state.pending())

    def _on_error(self, item: QueuedUrl, result: FetchResult) -> None:
        s = self.settings
        if result.retry_after is not None and item.attempts < s.max_retries:
            backoff = min(s.backoff_seconds * (2 ** item.attempts), s.max_backoff_seconds)
            wait = max(result.retry_after, backoff)
            if result.retry_after > 0:
                self.client.throttle.defer(host_of(item.url), result.retry_after)
            self.state.retry_later(item.url, time.time() + wait, result.error or "retry")
            return
        if result.status == 404 and item.kind in ("sitemap", "feed"):
            self._finish(item.url, "skipped", result.status, "no such sitemap or feed")
            return
        self._finish(item.url, "failed", result.status, result.error)
        self.report(f"vnextract: crawl: {item.url}: {result.error}")

    def _finish(self, url: str, status: str, http_status: int | None = None, reason: str | None = None) -> None:
        if status == "skipped":
            self.summary.skipped += 1
        with self.state.transaction():
            self.state.finish(url, status, http_status, reason)

    # -- pages ------------------------------------------------------------------------------
    def _on_page(self, item: QueuedUrl, result: FetchResult) -> None:
        final_url = self.canonical(result.final_url or item.url)
        if final_url != item.url and self.state.status_of(final_url) in ("done", "skipped", "failed"):
            self._finish(item.url, "done", result.status, f"redirects to {final_url}, already fetched")
            return
        if result.media_type in self.settings.feed_types or item.kind in ("sitemap", "feed") \
                and result.media_type not in self.settings.html_types:
            self._on_feed(item, result, final_url)
            return
        if result.media_type not in self.settings.html_types:
            self._finish(item.url, "skipped", result.status, f"not a page ({result.media_type})")
            return
        text, _encoding = decode_body(result.body, result.content_type)
        page = parse_page(text, final_url, self.rules)
        page_links = page.links()
        record_url = self._declared_url(page.canonical_link(), final_url)
        too_old = item.kind == "listing" and self._listing_too_old(page_links)
        links = self._new_links(page_links, item.depth + 1, final_url, too_old)
        record, content_hash, failure = None, None, None
        if page.is_article():
            article = page.article()
            article.url = record_url
            article.site = self.site_names.get(host_of(record_url), article.site)
            content_hash = hashlib.sha1(article.text.encode("utf-8")).hexdigest()
            if self.bounds.admits(article.published_at) and self.state.hash_emitted(content_hash) is None:
                record, failure = self._record(article)
        if record is not None and record["id"] not in self.sink.ids:
            self.sink.write(record)  # durable before the state says so: see the module docstring
        if not page.is_article() and item.kind == "article":
            self._discovery_pages += 1  # it looked like an article but was a hub (or a trap) page
        if not page.is_article() and item.kind != "seed" and self._discovery_pages >= self.settings.max_pages:
            links = []  # the discovery budget is spent: pages that are no articles add nothing more
        if item.kind == "seed":  # robots.txt may have been unreachable when the crawl began
            links += [(self.canonical(u, base=final_url), "sitemap") for u in self.client.sitemaps(final_url)
                      if self.scope.allows(self.canonical(u, base=final_url))]
        with self.state.transaction():
            new_articles = self._enqueue(links, item.depth + 1)
            if item.kind != "seed":
                # A page that is an article is no trap; nor is a hub page that names new articles.
                # A link that looked like an article but was none (a calendar day) counts against its kind.
                self.traps.visited(item.url, page.is_article() or (item.kind != "article" and new_articles > 0))
            for alias in {final_url, record_url} - {item.url}:
                self.state.mark_done_alias(alias, item.kind, item.depth)
            if too_old:
                self._skip_later_pages(final_url)
            if record is not None:
                self.state.mark_emitted(record["id"], final_url, content_hash)
            self.state.finish(item.url, "failed" if failure else "done", result.status, failure, content_hash,
                              record["id"] if record else None)

    def _enqueue(self, links: list[tuple[str, str]], depth: int) -> int:
        """Queue found links within the frontier budget (articles first); returns how many new
        articles were queued. A trap family's links are not queued at all."""
        room = self._room()
        new_articles = 0
        for url, kind in sorted(links, key=lambda link: link[1] != "article"):
            if room <= 0:
                break
            if self.traps.refusal(url):
                continue
            if self.state.enqueue(url, kind, depth):
                room -= 1
                new_articles += kind == "article"
        return new_articles

    def _record(self, article) -> tuple[dict[str, Any] | None, str | None]:
        """(record, None), or (None, why) when extraction failed."""
        if self.extract is None:
            raise TypeError("Crawler needs `extract` (pipeline.article_extractor) to turn articles into records")
        try:
            return self.extract(article), None
        except Exception as exc:  # one bad article must not stop a crawl of thousands
            failure = f"extraction failed: {type(exc).__name__}: {exc}"
            self.report(f"vnextract: crawl: {article.url}: {failure}")
            return None, failure

    def _declared_url(self, canonical: str | None, fetched_url: str) -> str:
        """The page's rel=canonical URL when it is a usable one (in scope, not the home page),
        else the URL it was fetched from: one article under two URL shapes is one record."""
        if not canonical:
            return fetched_url
        url = self.canonical(canonical, base=fetched_url)
        if not self.scope.allows(url) or urlsplit(url).path in ("", "/") and not urlsplit(url).query:
            return fetched_url
        return url

    def _listing_too_old(self, links) -> bool:
        """Whether every article a listing dates is older than --since (then, listings running
        newest first, its later pages hold nothing wanted either)."""
        dated = [link for link in links if link.kind == "article" and link.published]
        return bool(dated) and self.bounds.since is not None and all(
            _day(link.published) < self.bounds.since for link in dated)

    def _skip_later_pages(self, listing_url: str) -> None:
        """Skip queued pages of the same listing numbered after this one (`?page=7` → 8, 9, …)."""
        family = listing_family(listing_url)
        if family is None:
            return
        pattern, number = family
        for queued in self.state.queued_of_kind("listing"):
            other = listing_family(queued)
            if other is not None and other[0] == pattern and other[1] > number:
                self.state.finish(queued, "skipped", None, "listing page older than --since")

    def _new_links(self, links, depth: int, base: str, too_old: bool = False) -> list[tuple[str, str]]:
        """In-scope links worth queueing: not articles a listing dates outside --since/--until,
        not the pagination of a listing that is all older than --since."""
        found = []
        for link in links:
            url = self.canonical(link.url, base=base)
            if not self.scope.allows(url) or (link.kind in ("page", "sitemap", "feed")
                                               and depth > self.settings.max_depth):
                continue
            if (link.kind == "listing" and too_old) or not self.bounds.admits(link.published):
                continue
            found.append((url, link.kind))
        return found

    def _on_feed(self, item: QueuedUrl, result: FetchResult, final_url: str) -> None:
        limit = self.settings.max_sitemap_urls
        entries = parse_feed(unpack_feed(result.body, self.settings.max_decompressed_bytes), limit + 1)
        note = f"{len(entries)} entries"
        if len(entries) > limit:  # the sitemap protocol's own limit
            entries = entries[:limit]
            note = f"more than {limit} entries: the first {limit} taken (fetch.max_sitemap_urls)"
            self.report(f"vnextract: crawl: {item.url}: {note}")
        links = []
        for entry in entries:
            url = self.canonical(entry.url, base=final_url)
            if not self.scope.allows(url):
                continue
            if entry.kind == "article" and not self.bounds.admits(_lastmod(entry.lastmod)):
                continue
            if entry.kind != "article" and item.depth + 1 > self.settings.max_depth:
                continue  # sitemap indexes nested deeper than any real site's
            links.append((url, entry.kind))
        with self.state.transaction():
            self.traps.visited(item.url, self._enqueue(links, item.depth + 1) > 0)
            self.state.finish(item.url, "done", result.status, note)


class TrapGuard:
    """Leaves URL traps: a family of pages (one URL shape with its numbers taken out:
    `/cal/{n}/{n}/{n}/{n}`, `/list?page={n}`, `/sm-chain-{n}`) that is unproductive `limit` times
    in a row is not fetched or followed any further. A page is productive when it is an article,
    or, for a listing, sitemap or feed, when it names a new article.

    >>> guard = TrapGuard(2)
    >>> guard.visited("http://h/cal/1/2024/1/1", False); guard.visited("http://h/cal/1/2024/1/2", False)
    >>> guard.refusal("http://h/cal/9/2024/1/3")
    'URL trap: 2 pages like http://h/cal/{n}/{n}/{n}/{n} in a row were no article and named no new one'
    >>> guard.refusal("http://h/list?page=3") is None
    True
    """

    def __init__(self, limit: int):
        self.limit = limit
        self._barren: dict[str, int] = {}

    def visited(self, url: str, productive: bool) -> None:
        family = url_family(url)
        self._barren[family] = 0 if productive else self._barren.get(family, 0) + 1

    def refusal(self, url: str) -> str | None:
        family = url_family(url)
        if self._barren.get(family, 0) >= self.limit:
            return f"URL trap: {self.limit} pages like {family} in a row were no article and named no new one"
        return None


_DIGITS_RE = re.compile(r"\d+")


def url_family(url: str) -> str:
    """A URL with every number taken out: the pages of one listing, calendar or chain share it.

    >>> url_family("http://h/cal/3/2024/1/17?view=2")
    'http://h/cal/{n}/{n}/{n}/{n}?view={n}'
    """
    scheme, sep, rest = url.partition("://")
    host, slash, tail = rest.partition("/")
    return scheme + sep + host + slash + _DIGITS_RE.sub("{n}", tail)


_PAGE_NUMBER_RE = re.compile(r"[?&](?:page|p|cur|trang|pageindex|currentpage|pagenumber)=(\d+)|/(\d+)(?:\.html?)?/?$",
                             re.IGNORECASE)


def listing_family(url: str) -> tuple[str, int] | None:
    """A listing URL as (pattern with its page number taken out, page number).

    >>> listing_family("https://hanoi.gov.vn/timelinelist/1741/3.htm")
    ('https://hanoi.gov.vn/timelinelist/1741/{n}.htm', 3)
    """
    match = None
    for match in _PAGE_NUMBER_RE.finditer(url):
        pass
    if match is None:
        return None
    group = 1 if match.group(1) is not None else 2
    return url[: match.start(group)] + "{n}" + url[match.end(group):], int(match.group(group))


def _day(value: str | None) -> date | None:
    parsed = parse_iso(value) if value else None
    if parsed is None:
        return None
    return parsed.date() if hasattr(parsed, "date") and callable(parsed.date) else parsed


def _lastmod(value: str | None) -> str | None:
    """A sitemap lastmod or RSS pubDate as an ISO string `CrawlBounds.admits` understands."""
    if not value:
        return None
    if parse_iso(value[:10]) is not None:
        return value[:10]
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return None


def _progress_bar():
    from tqdm import tqdm

    return tqdm(unit=" pages", file=sys.stderr, dynamic_ncols=True)


# -- CLI --------------------------------------------------------------------------------------
def default_state_path(output: str | None, seed: str) -> Path:
    """The state file beside the output ("out.jsonl" → "out.jsonl.state.sqlite"), else in ./.vnextract/.

    >>> default_state_path("runs/hp.jsonl", "https://haiphong.gov.vn/").as_posix()
    'runs/hp.jsonl.state.sqlite'
    """
    if output and output != "-":
        return Path(output + ".state.sqlite")
    return Path(".vnextract") / f"crawl-{host_of(seed).replace(':', '_')}.sqlite"


def parse_day(value: str | None, option: str) -> date | None:
    """A --since/--until value; raises the commands' UsageError when it is not YYYY-MM-DD.

    >>> parse_day("2024-05-31", "--since")
    datetime.date(2024, 5, 31)
    """
    if value is None:
        return None
    parsed = parse_iso(value)
    if parsed is None:
        from ..usage import UsageError

        raise UsageError(f"{option} expects a date like 2024-05-31, got {value!r}")
    return parsed.date() if hasattr(parsed, "hour") else parsed


def run_crawl(seeds: list[str], output: str | None, state_path: Path, settings: FetchSettings,
              rules: Rules | str | None = None, bounds: CrawlBounds | None = None,
              progress: bool = False, cache_path: Path | None = None,
              site_names: dict[str, str] | None = None, warc: str | Path | None = None,
              discovery=None, extract: "ExtractArticle | None" = None) -> CrawlSummary:
    """Crawl `seeds` into `output` (JSONL; None = stdout) with resumable state at `state_path`.

    The HTTP cache lives beside the state file unless `cache_path` says otherwise. `warc`: also
    write every exchange to this FILE.warc.gz (fetch/warc.py); `discovery`: extra seeds and URL
    patterns (fetch/seeds.py's DiscoveryOptions); `extract`: what each article becomes
    (`pipeline.article_extractor(rules)`).

    >>> run_crawl(["https://haiphong.gov.vn/"], "hp.jsonl", Path("hp.sqlite"), FetchSettings.load())  # doctest: +SKIP
    CrawlSummary(emitted=412, fetched=530, skipped=37, failed=[])
    """
    from .warc import WarcRecorder

    check_state_file(state_path)
    with StateLock(state_path):  # before the output's torn tail is cut: another crawl may be writing
        state = CrawlState(state_path)
        try:
            sink = JsonlSink(output)
        except BaseException:
            state.close()
            raise
        recorder = None
        try:
            cache = cache_path or state_path.with_name(state_path.name + ".http-cache")
            crawl_state = discovery.wrap_state(state) if discovery is not None else state
            crawler = Crawler(seeds, settings, crawl_state, sink, rules=rules, bounds=bounds,
                              cache_path=cache, progress=progress, site_names=site_names, extract=extract)
            crawler.extra_seeds = discovery.extra_seeds() if discovery is not None else []
            if warc is not None:
                recorder = crawler.client.recorder = WarcRecorder(warc, state.db)
            return crawler.run()
        finally:
            if recorder is not None:
                recorder.close()
            sink.close()
            state.close()


def with_contact(user_agent: str, contact: str) -> str:
    """Put a contact into the User-Agent, inside its comment when it has one.

    >>> with_contact("vnextract/0.1 (+https://x; research crawler)", "me@uni.edu")
    'vnextract/0.1 (+https://x; research crawler; contact: me@uni.edu)'
    """
    if user_agent.endswith(")"):
        return f"{user_agent[:-1]}; contact: {contact})"
    return f"{user_agent} (contact: {contact})"
