"""Crawler throughput on the sample portal with --delay 0: pages/s, and where the time goes.

    .venv/bin/python benchmarks/crawl_speed.py [--rounds 3] [--no-facts]

Politeness still applies with delay 0 (the portal's one 503 asks for Retry-After: 1, robots.txt
Crawl-delay is switched off here), so the figures separate wall time, time spent waiting, and
time spent in fact extraction. `--no-facts` measures fetch + page reading alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import extractor.pipeline as pipeline  # noqa: E402
from extractor.demo import load_portal_module  # noqa: E402
from extractor.fetch import crawler as crawler_module  # noqa: E402
from extractor.fetch import politeness  # noqa: E402
from extractor.fetch.crawler import run_crawl  # noqa: E402
from extractor.pipeline import article_extractor  # noqa: E402
from extractor.fetch.settings import FetchSettings  # noqa: E402
from extractor.record import stable_id  # noqa: E402


class _Timed:
    """Wraps a function and adds up the seconds spent in it."""

    def __init__(self, function):
        self.function, self.seconds = function, 0.0

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


class _BareRecord:
    def __init__(self, article):
        self.article = article

    def to_dict(self):
        a = self.article
        return {"id": stable_id(a.url), "url": a.url, "title": a.title, "text": a.text}


def one_round(portal_module, no_facts: bool) -> dict[str, float]:
    sleeping = _Timed(time.sleep)
    extracting = _Timed((lambda article, rules=None, id=None: _BareRecord(article)) if no_facts
                        else pipeline.record_from_article)
    crawler_module.time.sleep = politeness.time.sleep = sleeping  # same module object: one patch
    pipeline.record_from_article = extracting
    try:
        with portal_module.PortalServer(crawl_delay=None) as portal, tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            summary = run_crawl(portal.site_urls(), str(Path(tmp) / "out.jsonl"), Path(tmp) / "state.sqlite",
                                FetchSettings.load(delay_seconds=0.0), extract=article_extractor())
            wall = time.perf_counter() - start
            requests = len(portal.log)
    finally:
        crawler_module.time.sleep = politeness.time.sleep = sleeping.function
        pipeline.record_from_article = extracting.function
    busy = wall - sleeping.seconds
    return {"wall": wall, "requests": requests, "articles": summary.emitted, "sleep": sleeping.seconds,
            "facts": extracting.seconds, "pages_per_s": requests / wall, "busy_pages_per_s": requests / busy,
            "fetch_read_pages_per_s": requests / max(busy - extracting.seconds, 1e-9)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-facts", action="store_true", help="skip fact extraction (fetch + read only)")
    args = parser.parse_args()
    portal_module = load_portal_module()
    pipeline.get_pipeline()  # load the NLP stack before timing
    rounds = [one_round(portal_module, args.no_facts) for _ in range(args.rounds)]
    for key in ("requests", "articles", "wall", "sleep", "facts", "pages_per_s", "busy_pages_per_s",
                "fetch_read_pages_per_s"):
        values = [r[key] for r in rounds]
        print(f"{key:24s} median {statistics.median(values):9.2f}   (rounds: {', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
