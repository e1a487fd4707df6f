"""The polite HTTP client: robots.txt, per-host pacing, redirects hop by hop, size limits, cache.

Every request the crawler makes goes through `HttpClient.fetch`, which returns a `FetchResult`
and never raises for network trouble: the crawler decides what a failure means. Redirects are
followed here one hop at a time so each hop is checked against the crawl scope and robots.txt
(requests' own redirect following would happily leave the site). The HTTP cache is requests-cache
on SQLite: pages with a validator (ETag / Last-Modified) are stored and revalidated with a
conditional request on the next crawl.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
import requests_cache

from extractor.fetch.politeness import HostThrottle, parse_retry_after, parse_robots, robots_agent
from extractor.fetch.settings import FetchSettings
from extractor.fetch.transport import TOO_LARGE_ATTR, BoundedAdapter, ResponseDeadline, read_capped
from extractor.fetch.urls import Scope, canonical_url, host_of

_DISALLOW_ALL = "User-agent: *\nDisallow: /"


@dataclass
class FetchResult:
    """What one fetch produced. Exactly one of `body` (ok), `skipped` or `error` tells the outcome.

    `retry_after` is set (seconds) when the server asked us to come back (429/503) or a transient
    error (timeout, 5xx) makes another attempt worthwhile.
    """

    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    body: bytes = b""
    from_cache: bool = False
    redirects: list[str] = field(default_factory=list)
    skipped: str | None = None
    error: str | None = None
    retry_after: float | None = None
    location: str | None = None  # where a 3xx points; followed by `HttpClient.fetch`
    truncated: bool = False  # only the first part of the body was read (robots.txt beyond its cap)

    @property
    def ok(self) -> bool:
        return self.skipped is None and self.error is None

    @property
    def media_type(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()


@dataclass
class RobotsRules:
    """A host's robots.txt as read: its rules, or why it could not be read (then, per RFC 9309,
    the whole site is off limits until `retry_at`, a monotonic time, when it is asked again)."""

    rules: object
    unreachable: str | None = None
    retry_at: float = 0.0
    failures: int = 0


class HttpClient:
    """Fetches URLs politely within a scope. One instance per crawl (it holds the robots cache).

    >>> client = HttpClient(FetchSettings.load(delay_seconds=0))
    >>> client.allowed_by_robots("http://127.0.0.1:9/")  # doctest: +SKIP
    True
    """

    def __init__(self, settings: FetchSettings, cache_path: Path | str | None = None,
                 scope: Scope | None = None):
        self.settings = settings
        self.scope = scope
        self.throttle = HostThrottle(settings.delay_seconds)
        self._robots: dict[str, RobotsRules] = {}
        self._agent = robots_agent(settings.user_agent)
        self.clock = time.monotonic
        if cache_path is not None:
            self.session: requests.Session = requests_cache.CachedSession(
                str(cache_path), backend="sqlite", expire_after=requests_cache.EXPIRE_IMMEDIATELY,
                allowable_codes=(200,), cache_control=True, filter_fn=self._cacheable,
            )
        else:
            self.session = requests.Session()
        # robots.txt is read apart from the cache: it is truncated, not refused, when long.
        self._robots_session = requests.Session()
        for session, cacheable in ((self.session, self._prefetchable), (self._robots_session, None)):
            adapter = BoundedAdapter(settings.max_response_bytes, settings.max_decompressed_bytes, cacheable)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers["User-Agent"] = settings.user_agent
            session.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"
            session.max_redirects = settings.max_redirects
        self.recorder = None  # a WarcRecorder (fetch/warc.py) sees every response, when set

    def close(self) -> None:
        self.session.close()
        self._robots_session.close()

    # -- robots.txt -------------------------------------------------------------------------
    def robots(self, url: str) -> RobotsRules:
        """`url`'s host's robots.txt, fetched once (through the throttle); an unreachable one is
        asked again once its retry time has come."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        entry = self._robots.get(key)
        if entry is None or (entry.unreachable is not None and self.clock() >= entry.retry_at):
            entry = self._load_robots(key, entry.failures if entry else 0)
            self._robots[key] = entry
        return entry

    def _load_robots(self, origin: str, failures: int) -> RobotsRules:
        """RFC 9309: follow up to five redirects, parse at least the first 500 KiB; 4xx means no
        rules; an unreachable file (network error, stall, 5xx, 429) means "disallow all for now"."""
        s = self.settings
        url = origin + "/robots.txt"
        for _hop in range(s.max_robots_redirects + 1):
            if self.scope is not None and not self.scope.allows(url):
                # Reading another site's robots.txt would be a request off the crawl's scope; the
                # safe reading of rules we cannot see is that nothing may be fetched.
                return RobotsRules(parse_robots(_DISALLOW_ALL))
            result = self._get_once(url, None, truncate_to=s.max_robots_bytes)
            if result.location is not None:
                url = canonical_url(result.location, (), base=url)
                continue
            client_error = result.status is not None and 400 <= result.status < 500 and result.status != 429
            if not client_error and (result.error is not None or (result.status or 500) >= 500):
                wait = min(s.backoff_seconds * 2 ** failures, s.max_backoff_seconds)
                if result.retry_after:
                    wait = max(wait, result.retry_after)
                why = result.error or f"HTTP {result.status}"
                return RobotsRules(parse_robots(_DISALLOW_ALL), why, self.clock() + wait, failures + 1)
            if client_error or not result.ok:
                return RobotsRules(parse_robots(""))  # no robots.txt: no rules
            text = result.body.decode("utf-8", "replace")
            if len(result.body) >= s.max_robots_bytes:
                text = text[: text.rfind("\n") + 1]  # a rule cut in half is no rule
            robots = parse_robots(text)
            delay = robots.crawl_delay(self._agent)
            if delay is not None:
                self.throttle.set_crawl_delay(host_of(origin), min(float(delay), s.max_crawl_delay_seconds))
            return RobotsRules(robots)
        return RobotsRules(parse_robots(""))  # more than five redirects: unavailable, per RFC 9309

    def allowed_by_robots(self, url: str) -> bool:
        """Whether robots.txt lets our agent fetch `url` (not while it cannot be read)."""
        entry = self.robots(url)
        return entry.unreachable is None and entry.rules.can_fetch(url, self._agent)

    def sitemaps(self, url: str) -> list[str]:
        """Sitemap URLs robots.txt announces for `url`'s host."""
        return list(self.robots(url).rules.sitemaps)

    # -- fetching ---------------------------------------------------------------------------
    def fetch(self, url: str, allow_types: tuple[str, ...] | None = None, widen_scope: bool = False) -> FetchResult:
        """GET `url` within scope and robots.txt, following redirects hop by hop.

        `allow_types`: media types worth downloading (others are skipped after the headers).
        `widen_scope`: a redirect to another host takes that host into the scope (for a seed:
        "hochiminhcity.gov.vn" may well live at another name).
        """
        redirects: list[str] = []
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            if widen_scope and redirects and self.scope is not None and not self.scope.allows(current):
                self.scope = self.scope.including(current)
            refusal = self._refusal(current)
            if refusal:
                return FetchResult(url=url, final_url=current, redirects=redirects, skipped=refusal)
            entry = self.robots(current)
            if entry.unreachable is not None:
                if entry.failures > self.settings.max_retries:  # the host is down: stop asking
                    return FetchResult(url=url, final_url=current, redirects=redirects,
                                       error=f"robots.txt unreachable ({entry.unreachable}), "
                                             f"{entry.failures} times: site off limits")
                return FetchResult(url=url, final_url=current, redirects=redirects,
                                   error=f"robots.txt unreachable ({entry.unreachable}): site off limits for now",
                                   retry_after=max(entry.retry_at - self.clock(), 0.0))
            result = self._get_once(current, allow_types)
            result.url, result.redirects = url, redirects
            if result.location is None:
                return result
            redirects.append(current)
            current = canonical_url(result.location, self.settings.tracking_params, base=current)
        return FetchResult(url=url, final_url=current, redirects=redirects,
                           error=f"more than {self.settings.max_redirects} redirects")

    def _refusal(self, url: str) -> str | None:
        if self.scope is not None and not self.scope.allows(url):
            return f"off-site: {host_of(url)}"
        entry = self.robots(url)
        if entry.unreachable is None and not entry.rules.can_fetch(url, self._agent):
            return "disallowed by robots.txt"
        return None

    def _get_once(self, url: str, allow_types: tuple[str, ...] | None,
                  truncate_to: int | None = None) -> FetchResult:
        host = host_of(url)
        self.throttle.wait(host)
        try:
            with ResponseDeadline(self.settings.max_response_seconds) as deadline:
                result = self._request(url, allow_types, truncate_to)
            if deadline.expired:
                # A server that trickles its reply: what was read is incomplete, and asking again
                # would only take as long.
                return FetchResult(url=url, final_url=url, status=result.status,
                                   error=f"no complete response within {self.settings.max_response_seconds:g} s")
            return result
        finally:
            self.throttle.finished(host)

    def _request(self, url: str, allow_types: tuple[str, ...] | None, truncate_to: int | None = None) -> FetchResult:
        s = self.settings
        session = self.session if truncate_to is None else self._robots_session
        try:
            response = session.get(url, allow_redirects=False, stream=True, timeout=s.timeout_seconds)
        except requests.RequestException as exc:
            return FetchResult(url=url, final_url=url, error=describe_network_error(exc), retry_after=0.0)
        with response:
            result = self._read_response(url, response, allow_types, truncate_to)
            if self.recorder is not None:
                unread = not result.body and response.headers.get("Content-Length", "0") != "0"
                self.recorder.record(response, result.body,
                                     truncated=result.skipped is not None or unread or result.truncated)
            return result

    def _read_response(self, url: str, response: requests.Response, allow_types: tuple[str, ...] | None,
                       truncate_to: int | None = None) -> FetchResult:
        s = self.settings
        result = FetchResult(url=url, final_url=url, status=response.status_code,
                             content_type=response.headers.get("Content-Type", ""),
                             from_cache=bool(getattr(response, "from_cache", False)))
        if response.is_redirect and response.headers.get("Location"):
            result.location = urljoin(url, response.headers["Location"])
            return result
        if response.status_code in (429, 503) or response.status_code >= 500:
            result.error = f"HTTP {response.status_code}"
            wait = parse_retry_after(response.headers.get("Retry-After"))
            if wait is not None and wait > s.max_retry_after_seconds:
                result.error += (f": the server asks to come back in {wait:.0f} s (Retry-After), "
                                 f"more than the {s.max_retry_after_seconds:g} s vnextract waits")
                return result  # no retry_after: this URL fails now
            result.retry_after = wait or 0.0
            return result
        if response.status_code >= 400:
            result.error = f"HTTP {response.status_code}"
            return result
        if allow_types is not None and result.media_type not in allow_types:
            result.skipped = f"not a page ({result.media_type or 'no content type'})"
            return result
        return self._read_body(response, result, truncate_to)

    def _read_body(self, response: requests.Response, result: FetchResult,
                   truncate_to: int | None = None) -> FetchResult:
        s = self.settings
        if getattr(response, TOO_LARGE_ATTR, False):
            result.skipped = f"too large (over {s.max_decompressed_bytes} bytes decompressed)"
            return result
        length = response.headers.get("Content-Length", "")
        if truncate_to is None and length.isdigit() and int(length) > s.max_response_bytes:
            result.skipped = f"too large ({length} bytes)"
            return result
        try:
            if truncate_to is not None:
                result.body, result.truncated = read_capped(response, s.max_response_bytes, truncate_to,
                                                            truncate=True)
                return result
            body, over = read_capped(response, s.max_response_bytes, s.max_decompressed_bytes)
        except (requests.RequestException, OSError) as exc:
            result.error = describe_network_error(exc)
            result.retry_after = 0.0
            return result
        if over:
            result.skipped = f"too large (over {s.max_response_bytes} bytes, or {s.max_decompressed_bytes} decompressed)"
            return result
        result.body = body
        return result

    def _prefetchable(self, response: requests.Response) -> bool:
        """Responses the cache may store: the transport reads their body within the caps first."""
        media = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        length = response.headers.get("Content-Length", "")
        return (response.status_code == 200
                and media in (*self.settings.html_types, *self.settings.feed_types, "text/plain")
                and not (length.isdigit() and int(length) > self.settings.max_response_bytes))

    def _cacheable(self, response: requests.Response) -> bool:
        """Cache plain-size pages and feeds whose body the transport read within the caps."""
        return self._prefetchable(response) and not getattr(response, TOO_LARGE_ATTR, False)


_ERRNO_RE = re.compile(r"\[Errno -?\d+\] [^'\")\]]+")


def describe_network_error(exc: BaseException) -> str:
    """A network failure in one short line (urllib3's messages nest pools, retries and reprs).

    >>> describe_network_error(requests.ConnectionError("HTTPConnectionPool(host='h', port=9): Max retries "
    ...     "exceeded (Caused by NewConnectionError('x: Failed to establish a new connection: [Errno 111] Connection refused'))"))
    'ConnectionError: [Errno 111] Connection refused'
    """
    message = str(exc)
    found = _ERRNO_RE.search(message)
    if found:
        message = found.group(0).strip()
    elif "timed out" in message.lower():
        message = "timed out"
    elif len(message) > 200:
        message = message[:200] + "…"
    return f"{type(exc).__name__}: {message}"
