"""Crawler settings as one typed object, read from the `fetch` section of rules/settings.json.

The numbers themselves live only in rules/settings.json (the one place defaults live); this
module gives them names and types, and lets the CLI override a few per run.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from extractor.rules_loader import Rules, load_rules
from extractor.version import __version__


@dataclass(frozen=True)
class FetchSettings:
    """Politeness and safety limits of one crawl.

    >>> FetchSettings.load().max_redirects >= 1
    True
    """

    user_agent: str
    timeout_seconds: float
    max_response_seconds: float
    max_response_bytes: int
    max_decompressed_bytes: int
    delay_seconds: float
    max_retries: int
    backoff_seconds: float
    max_backoff_seconds: float
    max_retry_after_seconds: float
    max_redirects: int
    max_robots_bytes: int
    max_robots_redirects: int
    max_crawl_delay_seconds: float
    max_pages: int
    max_depth: int
    max_sitemap_urls: int
    max_queued_urls: int
    max_barren_pages: int
    tracking_params: tuple[str, ...]
    skip_extensions: tuple[str, ...]
    html_types: tuple[str, ...]
    feed_types: tuple[str, ...]

    @classmethod
    def load(cls, rules: Rules | str | None = None, **overrides: Any) -> "FetchSettings":
        """Settings from the (layered) rules folder; keyword overrides that are None are ignored.

        >>> FetchSettings.load(delay_seconds=0).delay_seconds
        0
        """
        section = load_rules(rules).json("settings.json", {}).get("fetch", {})
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in section:
                raise KeyError(f"rules/settings.json: fetch.{f.name} is missing")
            value = section[f.name]
            values[f.name] = tuple(value) if isinstance(value, list) else value
        values["user_agent"] = values["user_agent"].replace("{version}", __version__)
        settings = cls(**values)
        return settings.with_overrides(**overrides)

    def with_overrides(self, **overrides: Any) -> "FetchSettings":
        """A copy with the given non-None values replaced.

        >>> FetchSettings.load().with_overrides(max_pages=None, max_depth=2).max_depth
        2
        """
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})
