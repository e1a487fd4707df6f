"""URL folding, crawl scope, sitemap/feed parsing, pacing and the crawl state."""

from __future__ import annotations

import pytest

from extractor.fetch.crawler import CrawlBounds, default_state_path
from extractor.fetch.discovery import parse_feed
from extractor.fetch.politeness import HostThrottle, robots_agent
from extractor.fetch.settings import FetchSettings
from extractor.fetch.state import CrawlState
from extractor.fetch.urls import Scope, canonical_url, site_of, start_url

TRACKING = FetchSettings.load().tracking_params


@pytest.mark.parametrize("variant", [
    "https://haiphong.gov.vn/tin-tuc-su-kien/hop-bao-683224?utm_source=zalo&utm_medium=social",
    "HTTPS://HaiPhong.gov.vn:443/tin-tuc-su-kien/hop-bao-683224#binh-luan",
    "https://haiphong.gov.vn/tin-tuc-su-kien/./hop-bao-683224?fbclid=IwAR0abc",
])
def test_tracking_and_spelling_variants_fold_to_one_url(variant):
    assert canonical_url(variant, TRACKING) == "https://haiphong.gov.vn/tin-tuc-su-kien/hop-bao-683224"


def test_meaningful_parameters_stay_sorted():
    assert canonical_url("https://danang.gov.vn/web/guest/chi-tiet?id=5&cur=2", TRACKING) == \
        "https://danang.gov.vn/web/guest/chi-tiet?cur=2&id=5"


def test_scope_keeps_sub_domains_and_refuses_siblings():
    scope = Scope.from_seeds([start_url("haiphong.gov.vn")])
    assert scope.allows("https://doson.haiphong.gov.vn/tin-tuc-su-kien/a-1")
    assert scope.allows("https://www.haiphong.gov.vn/")
    assert not scope.allows("https://haiphong.gov.vn.evil.com/")
    assert not scope.allows("https://danang.gov.vn/")
    assert not scope.allows("mailto:a@haiphong.gov.vn")
    assert site_of("https://www.haiphong.gov.vn/x") == "haiphong.gov.vn"


def test_sitemap_index_rss_and_atom():
    index = parse_feed(b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                       b"<sitemap><loc>http://h/s1.xml</loc></sitemap></sitemapindex>")
    assert [(e.url, e.kind) for e in index] == [("http://h/s1.xml", "sitemap")]
    atom = parse_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="http://h/a-1"/>'
                      b"<updated>2024-05-23T09:15:00Z</updated></entry></feed>")
    assert [(e.url, e.kind) for e in atom] == [("http://h/a-1", "article")]
    assert parse_feed(b"<html><body>not a feed</body></html>") == []
    assert parse_feed(b"\x00\xff garbage") == []


def test_throttle_spaces_requests_and_honours_retry_after():
    now = [100.0]
    throttle = HostThrottle(delay=1.0, clock=lambda: now[0])
    throttle.finished("h")  # the robots.txt request, paced before its Crawl-delay was known
    throttle.set_crawl_delay("h", 2.5)
    assert throttle.wait_seconds("h") == pytest.approx(2.5)  # Crawl-delay above our delay wins
    throttle.set_crawl_delay("g", 0.1)
    throttle.finished("g")
    assert throttle.wait_seconds("g") == pytest.approx(1.0)  # never below our delay
    throttle.defer("g", 30)
    assert throttle.wait_seconds("g") == pytest.approx(30)
    assert robots_agent("vnextract/0.1.0 (+https://x)") == "vnextract"


def test_bounds_and_default_state_path():
    from datetime import date

    bounds = CrawlBounds(since=date(2020, 1, 1), until=date(2020, 12, 31))
    assert bounds.admits("2020-05-22T08:33:00+07:00") and bounds.admits(None)
    assert not bounds.admits("2021-01-01") and not bounds.admits("2019-12-31T23:59:00+07:00")
    assert default_state_path("out/hp.jsonl", "https://haiphong.gov.vn/").name == "hp.jsonl.state.sqlite"


def test_state_frontier_interleaves_hosts_and_waits_for_retries(tmp_path):
    state = CrawlState(tmp_path / "s.sqlite")
    for i in range(3):
        state.enqueue(f"http://a/{i}", "article", 1)
    state.enqueue("http://b/0", "listing", 1)
    assert not state.enqueue("http://a/0", "article", 1)  # known URLs are not queued twice
    heads = {h.url for h in state.heads(now=0)}
    assert heads == {"http://a/0", "http://b/0"}
    state.retry_later("http://a/0", not_before=50, reason="HTTP 503")
    assert {h.url for h in state.heads(now=10)} == {"http://a/1", "http://b/0"}
    assert state.earliest_retry() == 0  # others are due now
    state.close()
    reopened = CrawlState(tmp_path / "s.sqlite")  # durable across processes
    assert reopened.pending() == 4


def test_gzipped_sitemaps_unpack_within_the_limit():
    import gzip

    from extractor.fetch.discovery import unpack_feed

    sitemap = b"<urlset><url><loc>http://h/a-1</loc></url></urlset>"
    assert [e.url for e in parse_feed(unpack_feed(gzip.compress(sitemap), 10_000))] == ["http://h/a-1"]
    assert len(unpack_feed(gzip.compress(b" " * 100_000), 1000)) == 1000  # a bomb stops at the limit
