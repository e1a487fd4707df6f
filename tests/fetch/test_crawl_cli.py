"""`vnextract crawl` bounds and exit codes, run in-process against the sample portal."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from extractor.cli import main


@pytest.fixture(scope="module")
def portal(portal_module):
    with portal_module.PortalServer(crawl_delay=None) as running:
        yield running


def _records(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_max_stops_after_n_articles_and_a_rerun_does_not_exceed_it(portal, tmp_path):
    site = portal.site("danang.gov.vn")
    out = tmp_path / "dn.jsonl"
    args = ["crawl", site.base_url + "/", "-o", str(out), "--delay", "0", "--max", "2"]
    assert main(args) == 0
    assert len(_records(out)) == 2
    assert main(args + ["--contact", "lab@example.edu"]) == 0  # same state: the budget is already spent
    assert len(_records(out)) == 2
    assert portal.log[-1].user_agent.endswith("; contact: lab@example.edu)")
    assert (tmp_path / "dn.jsonl.state.sqlite").exists()


def test_since_until_keep_the_window(portal, tmp_path):
    site = portal.site("danang.gov.vn")
    days = sorted(a["published_at"][:10] for a in site.articles)
    since, until = days[1], days[-2]
    out = tmp_path / "window.jsonl"
    assert main(["crawl", site.base_url + "/", "-o", str(out), "--delay", "0",
                 "--since", since, "--until", until]) == 0
    got = sorted(r["published_at"][:10] for r in _records(out))
    assert got == [d for d in days if since <= d <= until]


def test_failures_are_reported_and_exit_1(portal, tmp_path, capsys):
    site = portal.site("haiphong.gov.vn")
    missing = site.base_url + "/tin-tuc-su-kien/khong-ton-tai-123456"
    assert main(["crawl", missing, "-o", str(tmp_path / "x.jsonl"), "--delay", "0"]) == 1
    assert missing in capsys.readouterr().err


def test_bad_dates_are_usage_errors(tmp_path):
    assert main(["crawl", "haiphong.gov.vn", "--since", "hôm qua", "-o", str(tmp_path / "x.jsonl")]) == 2


def test_since_stops_paginating_listings_that_are_all_older(portal, tmp_path):
    site = portal.site("haiphong.gov.vn")  # its listings print each article's date
    days = sorted((a["published_at"][:10] for a in site.articles), reverse=True)
    since = days[1]  # only the two newest articles are wanted: they are on listing page 1
    before = len(portal.log)
    out = tmp_path / "recent.jsonl"
    assert main(["crawl", site.base_url + "/", "-o", str(out), "--delay", "0", "--since", since]) == 0
    assert sorted(r["published_at"][:10] for r in _records(out)) == sorted(days[:2])
    requested = [e.path for e in portal.log[before:] if e.site == site.name]
    assert "/tin-tuc-su-kien?page=3" not in requested  # page 2 holds only older items: no further
    assert len([p for p in requested if p.startswith("/tin-tuc-su-kien/")]) <= 4


def test_a_finished_crawl_run_again_fetches_only_what_is_new(portal, portal_module, tmp_path):
    site = portal.site("hanoi.gov.vn")
    out = tmp_path / "hn.jsonl"
    args = ["crawl", site.base_url + "/", "-o", str(out), "--delay", "0"]
    assert main(args) == 0
    first = _records(out)
    old_paths = {portal_module.article_path(a) for a in site.articles}
    paragraphs = site.articles[1]["text"].split("\n\n")
    new = dict(site.articles[1], id="hn-moi-99", title="Thành phố ra mắt tuyến xe buýt điện mới",
               url="https://hanoi.gov.vn/tin-tuc/thanh-pho-ra-mat-tuyen-xe-buyt-dien-moi-4261127080.htm",
               published_at="2026-11-27T08:00:00+07:00",
               text="\n\n".join(["Sáng 27/11, thành phố đưa tuyến xe buýt điện mới vào hoạt động."] + paragraphs[1:]))
    site.articles.insert(0, new)
    site.paths[portal_module.article_path(new)] = new
    before = len(portal.log)
    assert main(args) == 0
    records = _records(out)
    assert len(records) == len(first) + 1 and records[-1]["title"] == new["title"]
    refetched = [e.path for e in portal.log[before:] if e.path in old_paths and e.status == 200]
    assert not refetched


def test_a_seed_redirected_to_another_host_takes_that_host_in(portal, tmp_path):
    site = portal.site("kienan.haiphong.gov.vn")
    out = tmp_path / "moved.jsonl"
    # /chuyen-ra-ngoai answers 302 → http://localhost:PORT/, the same site under another name
    assert main(["crawl", site.base_url + "/chuyen-ra-ngoai", "-o", str(out), "--delay", "0"]) == 0
    paths = {urlsplit(r["url"]).path for r in _records(out)}
    assert paths == {urlsplit(a["url"]).path for a in site.articles}
    assert any(e.host == f"localhost:{site.port}" and e.status == 200 and e.path in paths for e in portal.log)


def test_a_seed_robots_txt_forbids_is_reported(portal, tmp_path, capsys):
    site = portal.site("hanoi.gov.vn")
    assert main(["crawl", site.base_url + "/search/?q=x", "-o", str(tmp_path / "s.jsonl"), "--delay", "0"]) == 0
    assert "disallowed by robots.txt" in capsys.readouterr().err
