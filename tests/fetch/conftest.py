"""A real sample portal on 127.0.0.1 and one polite crawl of it, shared by the crawl tests."""

from __future__ import annotations

import collections
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractor.demo import load_portal_module
from extractor.fetch.crawler import CrawlSummary, run_crawl
from extractor.fetch.settings import FetchSettings
from extractor.normalize import normalize_text
from extractor.pipeline import article_extractor

# Small enough to keep the suite fast, large enough that a violation would show in the log.
TEST_DELAY = 0.2


@pytest.fixture(scope="session")
def portal_module():
    return load_portal_module()


@dataclass
class CrawlRun:
    portal: object
    records: list[dict]
    summary: CrawlSummary
    state_path: Path
    cache_path: Path
    output: Path
    log: list  # the request log right after this crawl (later tests may add to the live one)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def crawl(portal, seeds: list[str], folder: Path, delay: float = TEST_DELAY, **kwargs) -> CrawlRun:
    folder.mkdir(parents=True, exist_ok=True)
    output, state = folder / "out.jsonl", folder / "state.sqlite"
    cache = kwargs.pop("cache_path", folder / "http-cache.sqlite")
    kwargs.setdefault("extract", article_extractor(kwargs.get("rules")))
    summary = run_crawl(seeds, str(output), state, FetchSettings.load(delay_seconds=delay),
                        cache_path=cache, **kwargs)
    records = read_jsonl(output) if output.exists() else []
    return CrawlRun(portal, records, summary, state, cache, output, list(portal.log))


@pytest.fixture(scope="session")
def polite_crawl(portal_module, tmp_path_factory):
    """Every platform site crawled once with a 0.2 s per-host delay (the unseen site is not seeded)."""
    portal = portal_module.PortalServer(unseen_site=True).start()
    try:
        yield crawl(portal, portal.site_urls(), tmp_path_factory.mktemp("polite"))
    finally:
        portal.stop()


def tokens(text: str) -> list[str]:
    """Word tokens after the project's normalization (records are normalized, gold files are not)."""
    return re.findall(r"\w+", normalize_text(text).lower())


def token_f1(predicted: str, gold: str) -> float:
    """Bag-of-tokens F1, the body-text measure of the crawler's bar."""
    p, g = collections.Counter(tokens(predicted)), collections.Counter(tokens(gold))
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)
