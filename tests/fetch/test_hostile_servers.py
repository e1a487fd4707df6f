"""The polite client against servers that misbehave: robots.txt edge cases, gzip bombs through the
cache, trickled replies, odd Retry-After values, redirects to other hosts. Real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest

from extractor import extract_url
from extractor.fetch import FetchError, fetch_url
from extractor.fetch.http import HttpClient
from extractor.fetch.settings import FetchSettings
from extractor.fetch.urls import Scope

from .hostile import HostileServer, article_page, gzip_bomb

MiB = 1 << 20


@pytest.fixture
def server():
    with HostileServer() as running:
        running.routes["/page"] = lambda h: h.send(200, article_page(1))
        yield running


def client_for(server: HostileServer, cache_path=None, **overrides) -> HttpClient:
    settings = FetchSettings.load(delay_seconds=0.0).with_overrides(**overrides)
    return HttpClient(settings, cache_path, scope=Scope.from_seeds([server.base_url + "/"]))


# -- robots.txt (RFC 9309) ----------------------------------------------------------------------
@pytest.mark.parametrize("offset", [0, 400 * 1024])
def test_a_huge_robots_txt_is_read_from_its_first_500_kib(server, offset):
    filler = b"# lorem ipsum dolor sit amet\n"
    head = filler * (offset // len(filler))
    body = head + b"User-agent: *\nDisallow: /\n" + filler * (11 * MiB // len(filler))
    server.routes["/robots.txt"] = lambda h: h.send(200, body, "text/plain")
    client = client_for(server)
    result = client.fetch(server.base_url + "/page")
    assert result.skipped == "disallowed by robots.txt"
    assert not server.hits("/page")


def test_robots_txt_behind_five_redirects_is_followed(server):
    for hop in range(4):  # /robots.txt → /r0 → /r1 → /r2 → /r3 → /r4: five redirects
        server.routes[f"/r{hop}"] = (lambda n: lambda h: h.redirect(f"/r{n + 1}"))(hop)
    server.routes["/robots.txt"] = lambda h: h.redirect("/r0", 301)
    server.routes["/r4"] = lambda h: h.send(200, "User-agent: *\nDisallow: /page\n", "text/plain")
    client = client_for(server)
    assert client.fetch(server.base_url + "/page").skipped == "disallowed by robots.txt"
    assert client.allowed_by_robots(server.base_url + "/other")
    assert not server.hits("/page")


UNREACHABLE = {
    "reset": lambda h: h.reset(),
    "stall": lambda h: h.stall(30),
    "503": lambda h: h.send(503, "busy"),
    "500": lambda h: h.send(500, "oops"),
    "trickle": lambda h: h.trickle(b"User-agent: *\nAllow: /\n" * 10, every=0.2, content_type="text/plain"),
}


@pytest.mark.parametrize("how", sorted(UNREACHABLE))
def test_an_unreachable_robots_txt_keeps_the_site_off_limits_until_it_answers(server, how):
    server.routes["/robots.txt"] = UNREACHABLE[how]
    client = client_for(server, timeout_seconds=1.0, max_response_seconds=2.0)
    started = time.monotonic()
    result = client.fetch(server.base_url + "/page")
    assert time.monotonic() - started < 10  # a generous ceiling: the stall must not hang the fetch
    assert result.error and "robots.txt unreachable" in result.error
    assert result.retry_after is not None  # to be tried again later, not skipped for good
    assert not server.hits("/page")
    # The server recovers; once the retry time has come, robots.txt is read again and obeyed.
    server.routes["/robots.txt"] = lambda h: h.send(200, "User-agent: *\nDisallow: /private/\n", "text/plain")
    assert "robots.txt unreachable" in (client.fetch(server.base_url + "/page").error or "")
    client.clock = lambda: time.monotonic() + 3600
    assert client.fetch(server.base_url + "/page").ok
    assert client.fetch(server.base_url + "/private/x").skipped == "disallowed by robots.txt"


def test_a_gzip_bombed_robots_txt_is_read_within_its_cap(server):
    rules = b"User-agent: *\nDisallow: /page\n"
    server.routes["/robots.txt"] = lambda h: h.gzip_bomb(256, rules, "text/plain")
    client = client_for(server)
    tracemalloc.start()
    try:
        result = client.fetch(server.base_url + "/page")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.skipped == "disallowed by robots.txt"
    assert peak < 32 * MiB, peak


def test_robots_txt_redirected_off_site_is_not_followed_and_allows_nothing(server):
    server.routes["/robots.txt"] = lambda h: h.redirect(f"http://localhost:{server.port}/robots.txt")
    result = client_for(server).fetch(server.base_url + "/page")
    assert result.skipped == "disallowed by robots.txt"
    assert all(hit.host.startswith("127.0.0.1") for hit in server.log)


# -- bodies the cache would store --------------------------------------------------------------------
def test_a_gzip_bomb_with_validators_never_reaches_the_cache(server, tmp_path):
    validators = {"ETag": '"bomb-1"', "Last-Modified": "Mon, 04 Mar 2024 08:00:00 GMT"}
    server.routes["/robots.txt"] = lambda h: h.send(404, "")
    server.routes["/bomb"] = lambda h: h.gzip_bomb(256, b"<html><body><p>", headers=validators)
    cache = tmp_path / "http-cache.sqlite"
    tracemalloc.start()
    try:
        result = client_for(server, cache).fetch(server.base_url + "/bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.skipped and result.skipped.startswith("too large")
    assert peak < 160 * MiB, peak  # the 50 MB cap and its chunks, not the 256 MiB body
    assert cache.stat().st_size < 5 * MiB
    # A resumed crawl opens the same cache and fetches again: no error, same answer.
    again = client_for(server, cache).fetch(server.base_url + "/bomb")
    assert again.skipped and again.skipped.startswith("too large")
    # Pages of a plain size are still cached and revalidated.
    server.routes["/fine"] = lambda h: h.send(200, article_page(2), headers=validators)
    assert client_for(server, cache).fetch(server.base_url + "/fine").ok
    second = client_for(server, cache).fetch(server.base_url + "/fine")
    assert second.ok and second.body == article_page(2).encode("utf-8")


# -- time per response -----------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["body", "headers"])
def test_a_trickled_reply_is_cut_at_the_response_deadline(server, how):
    server.routes["/robots.txt"] = lambda h: h.send(404, "")
    if how == "body":
        server.routes["/slow"] = lambda h: h.trickle(article_page(3).encode("utf-8"), every=0.1)
    else:
        server.routes["/slow"] = lambda h: h.trickle_headers(every=0.1)
    client = client_for(server, timeout_seconds=1.0, max_response_seconds=1.5)
    started = time.monotonic()
    result = client.fetch(server.base_url + "/slow")
    elapsed = time.monotonic() - started
    assert result.error == "no complete response within 1.5 s"
    assert elapsed < 6, elapsed


def test_extract_url_gives_up_on_a_trickled_page_within_its_settings(server, tmp_path):
    (tmp_path / "settings.json").write_text(json.dumps({"fetch": {"max_response_seconds": 1.5}}))
    server.routes["/robots.txt"] = lambda h: h.send(404, "")
    server.routes["/slow"] = lambda h: h.trickle(article_page(4).encode("utf-8"), every=0.1)
    started = time.monotonic()
    with pytest.raises(FetchError, match="no complete response within 1.5 s"):
        extract_url(server.base_url + "/slow", rules=str(tmp_path))
    assert time.monotonic() - started < 10


# -- Retry-After --------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["1.5", "-5", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "", "1e400",
                                   "\u0663", "Fri, 99 Foo 2024 99:99:99 GMT", "0.2", "  "])
def test_any_retry_after_value_is_survived(server, value):
    calls = []

    def busy_once(h):
        calls.append(1)
        if len(calls) == 1:
            h.send(503, "busy", headers={"Retry-After": value})
        else:
            h.send(200, article_page(5))

    server.routes["/robots.txt"] = lambda h: h.send(404, "")
    server.routes["/busy"] = busy_once
    settings = FetchSettings.load(delay_seconds=0.0).with_overrides(backoff_seconds=0.1)
    started = time.monotonic()
    page = fetch_url(server.base_url + "/busy", settings=settings)
    assert page.status == 200 and len(calls) == 2
    assert time.monotonic() - started < 5


def test_a_retry_after_beyond_the_cap_fails_the_url_at_once(server):
    server.routes["/robots.txt"] = lambda h: h.send(404, "")
    server.routes["/later"] = lambda h: h.send(503, "busy", headers={"Retry-After": "999999"})
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"Retry-After.*more than the 60 s"):
        fetch_url(server.base_url + "/later")
    assert time.monotonic() - started < 5
    assert len(server.hits("/later")) == 1


# -- one scope policy ------------------------------------------------------------------------------
def test_extract_url_refuses_a_redirect_to_another_host(server):
    server.routes["/robots.txt"] = lambda h: h.send(404, "")
    server.routes["/moved"] = lambda h: h.redirect(f"http://localhost:{server.port}/page")
    with pytest.raises(FetchError, match="off-site: localhost"):
        extract_url(server.base_url + "/moved")
    assert not server.hits("/page")


def test_extract_url_follows_a_redirect_on_its_own_site(server):
    server.routes["/robots.txt"] = lambda h: h.send(404, "")
    server.routes["/moved"] = lambda h: h.redirect("/page")
    record = extract_url(server.base_url + "/moved")
    assert record.url == server.base_url + "/page" and "Cầu Rào" in record.text


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999/", "javascript:alert(1)", "ftp://127.0.0.1/"])
def test_extract_url_names_a_bad_url(url):
    with pytest.raises(FetchError, match="not a valid URL|not a port|not http or https"):
        extract_url(url)


def test_gzip_bomb_fixture_is_what_it_says():
    import zlib

    bomb = gzip_bomb(8, b"x")
    assert len(bomb) < 64 * 1024
    assert len(zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(bomb)) == 8 * MiB + 1
