"""HTTP for vnextract: polite fetching, robots.txt, cache and resumable crawl state.

`fetch_url` is the one-page entry (used by `extractor.extract_url`); `crawler` drives whole
portals (`vnextract crawl`). Both go through `http.HttpClient`, so robots.txt, the size and
redirect limits and the User-Agent of rules/settings.json apply everywhere.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .http import FetchResult, HttpClient
from .settings import FetchSettings
from .urls import Scope, canonical_url, url_problem

__all__ = ["FetchError", "FetchResult", "FetchSettings", "HttpClient", "Page", "fetch_url"]


@dataclass
class Page:
    """A fetched response body with where it finally came from."""

    url: str
    status: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)


class FetchError(OSError):
    """A page could not be fetched (network, HTTP error, robots.txt, size limit); says why."""


def fetch_url(url: str, timeout: float | None = None, max_bytes: int | None = None,
              settings: FetchSettings | None = None) -> Page:
    """GET one page politely (robots.txt, limits, retries on 429/5xx); raises FetchError on failure.

    >>> fetch_url("http://127.0.0.1:9/")  # doctest: +SKIP
    Traceback (most recent call last):
    FetchError: http://127.0.0.1:9/: ConnectionError: ...
    """
    problem = url_problem(url)
    if problem:
        raise FetchError(f"{url}: {problem}")
    settings = (settings or FetchSettings.load()).with_overrides(
        timeout_seconds=timeout, max_response_bytes=max_bytes, delay_seconds=0.0)
    # The crawler's scope policy: the URL's host, its "www." twin and sub-domains; a redirect to
    # another site is refused, not followed.
    client = HttpClient(settings, scope=Scope.from_seeds([url, canonical_url(url)]))
    waited = 0.0
    try:
        for attempt in range(settings.max_retries + 1):
            result = client.fetch(url, allow_types=settings.html_types)
            if result.error is None or result.retry_after is None or attempt == settings.max_retries:
                break
            pause = max(result.retry_after, settings.backoff_seconds * 2 ** attempt)
            if waited + pause > settings.max_retry_after_seconds:
                result.error += (f" (gave up: another attempt would mean waiting more than "
                                 f"{settings.max_retry_after_seconds:g} s in all)")
                break
            time.sleep(pause)
            waited += pause
    finally:
        client.close()
    if not result.ok:
        raise FetchError(f"{url}: {result.error or result.skipped}")
    return Page(url=result.final_url, status=result.status or 0, content=result.body,
                headers={"Content-Type": result.content_type})
