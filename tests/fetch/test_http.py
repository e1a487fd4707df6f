"""The polite HTTP client against the real sample portal: robots, redirects, limits, retries."""

from __future__ import annotations

import pytest

from extractor.fetch import FetchError, fetch_url
from extractor.fetch.http import HttpClient
from extractor.fetch.settings import FetchSettings
from extractor.fetch.urls import Scope


@pytest.fixture(scope="module")
def portal(portal_module):
    with portal_module.PortalServer(crawl_delay=0.3) as running:
        yield running


def _client(site, **overrides) -> HttpClient:
    settings = FetchSettings.load(delay_seconds=0.0).with_overrides(**overrides)
    return HttpClient(settings, scope=Scope.from_seeds([site.base_url + "/"]))


def test_redirect_chain_is_followed_hop_by_hop(portal):
    site = portal.site("danang.gov.vn")
    article = site.roles["redirect_chain"]
    old = site.base_url + "/web/guest/tin-cu?id=" + article["url"].rsplit("=", 1)[1]
    result = _client(site).fetch(old)
    assert result.ok and result.status == 200
    assert result.final_url == site.local_url(article)
    assert len(result.redirects) == 2


def test_endless_redirects_stop_at_the_limit(portal):
    site = portal.site("danang.gov.vn")
    result = _client(site, max_redirects=3).fetch(site.base_url + "/vong-lap/1")
    assert result.error == "more than 3 redirects"
    assert sum(e.path.startswith("/vong-lap/") for e in portal.log) == 4


def test_redirect_off_site_is_refused_without_a_request(portal):
    site = portal.site("danang.gov.vn")
    before = len(portal.log)
    result = _client(site).fetch(site.base_url + "/chuyen-ra-ngoai")
    assert result.skipped and result.skipped.startswith("off-site")
    assert [e.path for e in portal.log[before:]] == ["/robots.txt", "/chuyen-ra-ngoai"]
    assert all(e.host.startswith("127.0.0.1:") for e in portal.log)


def test_robots_disallow_and_crawl_delay(portal):
    site = portal.site("hanoi.gov.vn")
    client = _client(site)
    assert not client.allowed_by_robots(site.base_url + "/search/?q=x")
    assert client.allowed_by_robots(site.base_url + "/timelinelist/1741/1.htm")
    assert client.throttle.interval(f"127.0.0.1:{site.port}") == pytest.approx(0.3)
    assert client.fetch(site.base_url + "/search/?q=x").skipped == "disallowed by robots.txt"


def test_size_limits_stop_reading(portal):
    site = portal.site("danang.gov.vn")
    client = _client(site)
    assert "too large" in client.fetch(site.base_url + "/web/guest/video?id=9").skipped
    assert "too large" in client.fetch(site.base_url + "/web/guest/bao-cao?id=7").skipped


def test_non_html_is_skipped_after_the_headers(portal):
    site = portal.site("haiphong.gov.vn")
    result = _client(site).fetch(site.base_url + "/DownloadFile.aspx?id=5", allow_types=("text/html",))
    assert result.skipped == "not a page (application/pdf)" and result.body == b""


def test_retry_after_is_reported(portal):
    site = portal.site("danang.gov.vn")
    portal_fresh = site.local_url(site.roles["retry_after_503"])
    first = _client(site).fetch(portal_fresh)
    assert first.status == 503 and first.retry_after == 1.0


def test_fetch_url_raises_with_the_reason(portal):
    site = portal.site("hanoi.gov.vn")
    with pytest.raises(FetchError, match="robots"):
        fetch_url(site.base_url + "/search/?q=x")
    page = fetch_url(site.local_url(site.articles[0]))
    assert page.status == 200 and b"detail-title" in page.content
