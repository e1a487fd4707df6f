"""Crawls of a hostile site: URL traps are left, discovery is bounded, --max stops the crawl,
odd Retry-After values neither crash nor stall it, and one state file serves one crawl at a time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.fetch.crawler import CrawlBounds, run_crawl
from extractor.fetch.settings import FetchSettings
from extractor.fetch.state import CrawlState
from extractor.pipeline import article_extractor

from .hostile import HostileServer, article_page, html_page

ARTICLES = 3


def article_path(number: int) -> str:
    return f"/tin/chinh-trang-do-thi-{1000 + number}.html"


def trap_site(server: HostileServer, sitemap: str = "/sm-chain-1") -> None:
    """A home page linking an article, an endless listing and a calendar; robots.txt names the
    first of an endless chain of sitemap indexes. Each article links the next (three in all)."""
    base = server.base_url
    server.routes["/robots.txt"] = lambda h: h.send(200, f"User-agent: *\nAllow: /\nSitemap: {base}{sitemap}\n",
                                                     "text/plain")
    server.routes["/"] = lambda h: h.send(200, html_page([article_path(1), "/list?page=1", "/cal/1/2024/1/1"]))

    def article(h):
        number = int(h.path.rsplit("-", 1)[1].split(".")[0]) - 1000
        if not 1 <= number <= ARTICLES:
            return h.send(404, "")
        extra = f'<p><a href="{article_path(number + 1)}">Tin tiếp</a></p>' if number < ARTICLES else ""
        h.send(200, article_page(number, extra))

    def sitemap_chain(h):
        number = int(h.path.rsplit("-", 1)[1])
        h.send(200, f'<?xml version="1.0"?><sitemapindex><sitemap><loc>{base}/sm-chain-{number + 1}</loc>'
                    f"</sitemap></sitemapindex>", "application/xml")

    def listing(h):
        number = int(h.path.rsplit("=", 1)[1])
        h.send(200, html_page([f"/list?page={number + 1}"], "Tin tức"))

    def calendar(h):
        parts = h.path.strip("/").split("/")
        depth = int(parts[1])
        h.send(200, html_page([f"/cal/{depth + 1}/2024/1/{day}" for day in (1, 2, 3)], "Lịch"))

    server.routes["/tin/*"] = article
    server.routes["/sm-chain-*"] = sitemap_chain
    server.routes["/list"] = listing
    server.routes["/cal/*"] = calendar


@pytest.fixture
def server():
    with HostileServer() as running:
        trap_site(running)
        yield running


def crawl(server, folder: Path, max_articles=None, **overrides):
    settings = FetchSettings.load(delay_seconds=0.0).with_overrides(backoff_seconds=0.1, **overrides)
    output = folder / "out.jsonl"
    summary = run_crawl([server.base_url + "/"], str(output), folder / "state.sqlite", settings,
                        bounds=CrawlBounds(max_articles=max_articles), extract=article_extractor())
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    return summary, records


def test_max_1_stops_after_the_first_article_despite_endless_sitemaps(server, tmp_path):
    started = time.monotonic()
    summary, records = crawl(server, tmp_path, max_articles=1)
    assert time.monotonic() - started < 60
    assert summary.emitted == 1 and len(records) == 1
    assert records[0]["url"].endswith(article_path(1))


def test_traps_are_left_and_every_article_is_found(server, tmp_path):
    started = time.monotonic()
    summary, records = crawl(server, tmp_path)
    assert time.monotonic() - started < 120
    assert sorted(r["url"].rsplit("/", 1)[1] for r in records) == sorted(
        article_path(n).rsplit("/", 1)[1] for n in range(1, ARTICLES + 1))
    barren = FetchSettings.load().max_barren_pages
    for family in ("/sm-chain-", "/list?page=", "/cal/"):
        assert 1 <= len(server.hits(family)) <= barren + 1, (family, len(server.hits(family)))
    state = CrawlState(tmp_path / "state.sqlite")
    try:
        assert state.get_meta("finished") == "1"  # the frontier ran dry: nothing endless was left in it
        reasons = {reason for _url, reason in state.db.execute("SELECT url, reason FROM urls WHERE status = 'skipped'")}
        assert any(reason and reason.startswith("URL trap") for reason in reasons)
    finally:
        state.close()


def test_the_discovery_budget_bounds_pages_besides_articles(server, tmp_path):
    summary, records = crawl(server, tmp_path, max_pages=4, max_barren_pages=1000)
    hubs = server.hits("/list") + server.hits("/sm-chain-")
    assert len(hubs) <= 4
    # Calendar days look like articles (/2024/1/3) and are only known as pages once read: each of
    # the 4 budgeted ones queued at most 3 more, which add nothing once the budget is spent.
    assert len(server.hits("/cal/")) <= 4 * 3 + 4
    assert len(records) == ARTICLES  # articles are not discovery: they are still all fetched


def test_a_sitemap_is_read_up_to_its_url_limit(server, tmp_path):
    base = server.base_url
    urls = "".join(f"<url><loc>{base}/tin/bai-so-{2000 + n}.html</loc></url>" for n in range(20))
    server.routes["/robots.txt"] = lambda h: h.send(200, f"Sitemap: {base}/big.xml\n", "text/plain")
    server.routes["/big.xml"] = lambda h: h.send(200, f'<?xml version="1.0"?><urlset>{urls}</urlset>',
                                                 "application/xml")
    server.routes["/"] = lambda h: h.send(200, html_page([]))
    crawl(server, tmp_path, max_sitemap_urls=5)
    assert len(server.hits("/tin/bai-so-")) == 5


def test_the_frontier_budget_bounds_the_queue(server, tmp_path):
    base = server.base_url
    urls = "".join(f"<url><loc>{base}/tin/bai-so-{2000 + n}.html</loc></url>" for n in range(50))
    server.routes["/robots.txt"] = lambda h: h.send(200, f"Sitemap: {base}/big.xml\n", "text/plain")
    server.routes["/big.xml"] = lambda h: h.send(200, f'<?xml version="1.0"?><urlset>{urls}</urlset>',
                                                 "application/xml")
    server.routes["/"] = lambda h: h.send(200, html_page([]))
    crawl(server, tmp_path, max_queued_urls=8)
    assert 1 <= len(server.hits("/tin/bai-so-")) <= 8


# -- Retry-After in a crawl ---------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["soon", "1.5", "-5", "Tue, 01 Jan 2019 00:00:00 GMT", "0.1"])
def test_a_crawl_survives_any_retry_after_and_resumes(server, tmp_path, capsys, value):
    first = []

    def busy_once(h):
        if not first:
            first.append(1)
            return h.send(503, "busy", headers={"Retry-After": value})
        h.send(200, article_page(9))

    server.routes["/robots.txt"] = lambda h: h.send(404, "")
    server.routes["/"] = lambda h: h.send(200, html_page(["/tin/ban-tin-1009.html"]))
    server.routes["/tin/ban-tin-1009.html"] = busy_once
    output = tmp_path / "out.jsonl"
    args = ["crawl", server.base_url + "/", "-o", str(output), "--delay", "0"]
    assert main(args) == 0
    assert len(output.read_text().splitlines()) == 1
    assert main(args) == 0  # the resume (an incremental run now) neither crashes nor duplicates
    assert len(output.read_text().splitlines()) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_a_crawl_fails_a_url_whose_retry_after_is_beyond_the_cap(server, tmp_path, capsys):
    server.routes["/robots.txt"] = lambda h: h.send(404, "")
    server.routes["/"] = lambda h: h.send(200, html_page(["/tin/ban-tin-1009.html"]))
    server.routes["/tin/ban-tin-1009.html"] = lambda h: h.send(503, "busy", headers={"Retry-After": "999999"})
    started = time.monotonic()
    assert main(["crawl", server.base_url + "/", "-o", str(tmp_path / "o.jsonl"), "--delay", "0"]) == 1
    assert time.monotonic() - started < 30
    err = capsys.readouterr().err
    assert "ban-tin-1009.html: HTTP 503: the server asks to come back in 999999 s" in err


# -- one crawl per state file ---------------------------------------------------------------------------
def test_a_second_crawl_on_a_state_in_use_is_refused_and_a_killed_one_leaves_no_stale_lock(server, tmp_path, capsys):
    state, output = tmp_path / "state.sqlite", tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "extractor", "crawl", server.base_url + "/", "-o", str(output),
               "--state", str(state), "--delay", "0.5"]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    try:
        deadline = time.monotonic() + 60
        while not server.hits("/tin/") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.hits("/tin/"), "the first crawl never started"
        second = main(["crawl", server.base_url + "/", "-o", str(tmp_path / "other.jsonl"), "--state", str(state),
                       "--delay", "0"])
        err = capsys.readouterr().err.strip()
        assert second == 2
        assert err.count("\n") == 0 and "is in use by another crawl" in err
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    # Killed with its lock held: the resume runs all the same and ends with every article once.
    assert main(["crawl", server.base_url + "/", "-o", str(output), "--state", str(state), "--delay", "0"]) == 0
    ids = [json.loads(line)["id"] for line in output.read_text(encoding="utf-8").splitlines()]
    assert len(ids) == len(set(ids)) == ARTICLES


def test_a_trickled_article_fails_within_the_deadline_and_the_crawl_goes_on(server, tmp_path):
    server.routes["/"] = lambda h: h.send(200, html_page([article_path(1), "/tin/cham-chap-1999.html"]))
    server.routes["/tin/cham-chap-1999.html"] = lambda h: h.trickle(article_page(7).encode("utf-8"), every=0.1)
    started = time.monotonic()
    summary, records = crawl(server, tmp_path, max_response_seconds=1.5)
    assert time.monotonic() - started < 90
    assert len(records) == ARTICLES
    assert [(url.rsplit("/", 1)[1], why) for url, why in summary.failed] == [
        ("cham-chap-1999.html", "no complete response within 1.5 s")]
