"""HTTP for vnextract: polite fetching, robots, cache and crawl state (placeholder until the crawler lands)."""

from __future__ import annotations

from dataclasses import dataclass, field

import requests

from ..version import __version__

USER_AGENT = f"vnextract/{__version__} (research crawler)"
MAX_RESPONSE_BYTES = 10 * 1024 * 1024


@dataclass
class Page:
    """A fetched response body with where it finally came from."""

    url: str
    status: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)


def fetch_url(url: str, timeout: float = 20.0, max_bytes: int = MAX_RESPONSE_BYTES) -> Page:
    """GET one URL with our User-Agent, a timeout and a size cap; raises on HTTP errors."""
    with requests.get(url, headers={"User-Agent": USER_AGENT}, timeout=timeout, stream=True) as response:
        response.raise_for_status()
        body = bytearray()
        for chunk in response.iter_content(65536):
            body.extend(chunk)
            if len(body) > max_bytes:
                raise ValueError(f"{url}: response over {max_bytes} bytes")
        return Page(url=response.url, status=response.status_code, content=bytes(body),
                    headers=dict(response.headers))
