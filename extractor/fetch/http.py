"""The polite HTTP client: robots.txt, per-host pacing, redirects hop by hop, size limits, cache.

Every request the crawler makes goes through `HttpClient.fetch`, which returns a `FetchResult`
and never raises for network trouble: the crawler decides what a failure means. Redirects are
followed here one hop at a time so each hop is checked against the crawl scope and robots.txt
(requests' own redirect following would happily leave the site). The HTTP cache is requests-cache
on SQLite: pages with a validator (ETag / Last-Modified) are stored and revalidated with a
conditional request on the next crawl.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
import requests_cache

from extractor.fetch.politeness import HostThrottle, parse_robots, robots_agent
from extractor.fetch.settings import FetchSettings
from extractor.fetch.urls import Scope, canonical_url, host_of

_CHUNK = 65536


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

    @property
    def ok(self) -> bool:
        return self.skipped is None and self.error is None

    @property
    def media_type(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()


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
        self._robots: dict[str, object] = {}
        self._agent = robots_agent(settings.user_agent)
        if cache_path is not None:
            self.session: requests.Session = requests_cache.CachedSession(
                str(cache_path), backend="sqlite", expire_after=requests_cache.EXPIRE_IMMEDIATELY,
                allowable_codes=(200,), cache_control=True, filter_fn=self._cacheable,
            )
        else:
            self.session = requests.Session()
        self.session.headers["User-Agent"] = settings.user_agent
        self.session.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"
        self.session.max_redirects = settings.max_redirects
        self.recorder = None  # a WarcRecorder (fetch/warc.py) sees every response, when set

    def close(self) -> None:
        self.session.close()

    # -- robots.txt -------------------------------------------------------------------------
    def robots(self, url: str):
        """The parsed robots.txt of `url`'s host, fetched once (through the throttle)."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._robots:
            robots, final = self._load_robots(key)
            if not final:
                return robots  # a network error: ask again next time rather than decide now
            self._robots[key] = robots
        return self._robots[key]

    def _load_robots(self, origin: str):
        result = self._get_once(origin + "/robots.txt", allow_types=None)
        if result.status is None:
            return parse_robots(""), False
        if result.status >= 500:
            # RFC 9309: an unreachable robots.txt means the whole site is off limits for now.
            return parse_robots("User-agent: *\nDisallow: /"), True
        text = result.body.decode("utf-8", "replace") if result.status == 200 else ""
        robots = parse_robots(text)
        self.throttle.set_crawl_delay(host_of(origin), robots.crawl_delay(self._agent))
        return robots, True

    def allowed_by_robots(self, url: str) -> bool:
        """Whether robots.txt lets our agent fetch `url`."""
        return self.robots(url).can_fetch(url, self._agent)

    def sitemaps(self, url: str) -> list[str]:
        """Sitemap URLs robots.txt announces for `url`'s host."""
        return list(self.robots(url).sitemaps)

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
        if not self.allowed_by_robots(url):
            return "disallowed by robots.txt"
        return None

    def _get_once(self, url: str, allow_types: tuple[str, ...] | None) -> FetchResult:
        host = host_of(url)
        self.throttle.wait(host)
        try:
            return self._request(url, allow_types)
        finally:
            self.throttle.finished(host)

    def _request(self, url: str, allow_types: tuple[str, ...] | None) -> FetchResult:
        s = self.settings
        try:
            response = self.session.get(url, allow_redirects=False, stream=True, timeout=s.timeout_seconds)
        except requests.RequestException as exc:
            return FetchResult(url=url, final_url=url, error=f"{type(exc).__name__}: {exc}",
                               retry_after=0.0)
        with response:
            result = self._read_response(url, response, allow_types)
            if self.recorder is not None:
                unread = not result.body and response.headers.get("Content-Length", "0") != "0"
                self.recorder.record(response, result.body, truncated=result.skipped is not None or unread)
            return result

    def _read_response(self, url: str, response: requests.Response,
                       allow_types: tuple[str, ...] | None) -> FetchResult:
        result = FetchResult(url=url, final_url=url, status=response.status_code,
                             content_type=response.headers.get("Content-Type", ""),
                             from_cache=bool(getattr(response, "from_cache", False)))
        if response.is_redirect and response.headers.get("Location"):
            result.location = urljoin(url, response.headers["Location"])
            return result
        if response.status_code in (429, 503) or response.status_code >= 500:
            result.error = f"HTTP {response.status_code}"
            result.retry_after = self._retry_after(response.headers.get("Retry-After"))
            return result
        if response.status_code >= 400:
            result.error = f"HTTP {response.status_code}"
            return result
        if allow_types is not None and result.media_type not in allow_types:
            result.skipped = f"not a page ({result.media_type or 'no content type'})"
            return result
        return self._read_body(response, result)

    def _read_body(self, response: requests.Response, result: FetchResult) -> FetchResult:
        s = self.settings
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > s.max_response_bytes:
            result.skipped = f"too large ({length} bytes)"
            return result
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(_CHUNK):
                size += len(chunk)
                raw_size = _raw_bytes_read(response)
                if size > s.max_decompressed_bytes or raw_size > s.max_response_bytes:
                    result.skipped = f"too large (over {min(size, raw_size or size)} bytes)"
                    return result
                if not response.headers.get("Content-Encoding") and size > s.max_response_bytes:
                    result.skipped = f"too large (over {s.max_response_bytes} bytes)"
                    return result
                chunks.append(chunk)
        except (requests.RequestException, OSError) as exc:
            result.error = f"{type(exc).__name__}: {exc}"
            result.retry_after = 0.0
            return result
        result.body = b"".join(chunks)
        return result

    def _retry_after(self, value: str | None) -> float:
        """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), capped."""
        seconds = 0.0
        if value:
            value = value.strip()
            if value.isdigit():
                seconds = float(value)
            else:
                parsed = email.utils.parsedate_to_datetime(value) if value else None
                if parsed is not None:
                    seconds = parsed.timestamp() - time.time()
        return min(max(seconds, 0.0), self.settings.max_retry_after_seconds)

    def _cacheable(self, response: requests.Response) -> bool:
        """Cache only plain-size pages and feeds: the cache reads a whole body before we can limit it."""
        media = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        length = response.headers.get("Content-Length", "")
        return (response.status_code == 200
                and media in (*self.settings.html_types, *self.settings.feed_types, "text/plain")
                and length.isdigit() and int(length) <= self.settings.max_response_bytes)


def _raw_bytes_read(response: requests.Response) -> int:
    try:
        return int(response.raw.tell())
    except Exception:  # cached responses replay from memory and have no socket position
        return 0
