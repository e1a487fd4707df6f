"""`crawl --list`, `--sitemap`/`--feed` seeds, `--include`/`--exclude`, and progress with a total,
against the sample portal over real HTTP."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from extractor.cli import main


@pytest.fixture(scope="module")
def portal(portal_module):
    with portal_module.PortalServer(crawl_delay=None, unseen_site=True) as running:
        yield running


def _listed(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line]


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


@pytest.mark.parametrize("name", ["haiphong.gov.vn", "danang.gov.vn", "hanoi.gov.vn", "tintuc.example.vn"])
def test_list_names_every_article_once_and_fetches_none(portal, portal_module, name, tmp_path, capsys):
    site = portal.site(name)
    before = len(portal.log)
    out = tmp_path / "urls.tsv"
    warc = tmp_path / "hubs.warc.gz"
    assert main(["crawl", site.base_url + "/", "--list", "--delay", "0", "-o", str(out), "--warc", str(warc)]) == 0
    rows = _listed(out.read_text(encoding="utf-8"))
    urls = [row[0] for row in rows]
    assert len(urls) == len(set(urls))
    articles = {site.local_url(a) for a in site.articles}
    assert articles <= set(urls)
    assert {row[1] for row in rows} <= {"listing", "sitemap", "feed", "link"}
    for row in rows:
        assert row[2].startswith(site.base_url)  # the page it was found on
    article_paths = {_path(u) for u in articles}
    if "alternate_url" in site.roles:
        article_paths.add(portal_module.alternate_path(site.roles["alternate_url"]))
    requested = [e.path for e in portal.log[before:] if e.site == site.name]
    assert requested and not set(requested) & article_paths
    assert not (tmp_path / "urls.tsv.state.sqlite").exists()  # a listing keeps no crawl state
    with open(warc, "rb") as handle:  # what discovery fetched is archived, and nothing else
        archived = [_path(r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(handle)
                    if r.rec_type == "response"]
    assert sorted(archived) == sorted(requested)
    # Articles only a sitemap or a feed names are listed with that source.
    hidden = {site.local_url(site.roles[r]) for r in ("sitemap_only", "rss_only") if r in site.roles}
    for row in rows:
        if row[0] in hidden:
            assert row[1] in ("sitemap", "feed")


def test_include_exclude_and_feed_seed(portal, tmp_path):
    site = portal.site("hanoi.gov.vn")
    rss = site.base_url + "/rss/home.rss"
    out = tmp_path / "all.tsv"
    assert main(["crawl", site.base_url + "/", "--list", "--delay", "0", "-o", str(out), "--feed", rss]) == 0
    everything = [row[0] for row in _listed(out.read_text(encoding="utf-8"))]
    prefix = _path(everything[0]).split("/")[1]
    assert main(["crawl", site.base_url + "/", "--list", "--delay", "0", "-o", str(out),
                 "--include", f"/{prefix}/"]) == 0
    included = [row[0] for row in _listed(out.read_text(encoding="utf-8"))]
    assert included == [u for u in everything if f"/{prefix}/" in u] and included
    before = len(portal.log)
    assert main(["crawl", site.base_url + "/", "--list", "--delay", "0", "-o", str(out),
                 "--exclude", r"\.rss$", "--exclude", "timelinelist"]) == 0
    excluded = [row[0] for row in _listed(out.read_text(encoding="utf-8"))]
    assert not [e for e in portal.log[before:] if e.path.endswith(".rss") or "timelinelist" in e.path]
    assert set(excluded) < set(everything)


def test_sitemap_seed_reaches_articles_a_home_page_does_not_link(portal, tmp_path):
    site = portal.site("danang.gov.vn")
    out = tmp_path / "sm.tsv"
    # Only the sitemap: listings excluded, robots.txt's own Sitemap line is the same URL.
    assert main(["crawl", site.base_url + "/", "--list", "--delay", "0", "-o", str(out),
                 "--sitemap", site.base_url + "/sitemap.xml", "--exclude", "tin-tuc"]) == 0
    rows = _listed(out.read_text(encoding="utf-8"))
    assert rows and all(row[1] in ("sitemap", "link") for row in rows)
    assert site.local_url(site.roles["sitemap_only"]) in [row[0] for row in rows]


def test_bad_pattern_and_bad_warc_name_are_usage_errors(tmp_path):
    assert main(["crawl", "http://127.0.0.1:9/", "--list", "--include", "(unclosed"]) == 2
    assert main(["crawl", "http://127.0.0.1:9/", "--warc", str(tmp_path / "x.warc")]) == 2


def test_crawl_with_include_fetches_only_matching_articles(portal, tmp_path):
    site = portal.site("danang.gov.vn")
    keep = site.local_url(site.articles[0])
    out = tmp_path / "one.jsonl"
    before = len(portal.log)
    assert main(["crawl", site.base_url + "/", "-o", str(out), "--delay", "0",
                 "--include", _path(keep).replace("?", r"\?") + "$"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["url"] for r in records] == [keep]
    article_paths = {_path(site.local_url(a)) for a in site.articles}
    assert {e.path for e in portal.log[before:] if e.path in article_paths} == {_path(keep)}


def test_crawl_progress_shows_a_total_from_the_frontier(portal, tmp_path, capsys):
    site = portal.site("hanoi.gov.vn")
    assert main(["crawl", site.base_url + "/", "-o", str(tmp_path / "p.jsonl"), "--delay", "0", "--progress"]) == 0
    err = capsys.readouterr().err
    last = [line for line in err.replace("\r", "\n").splitlines() if "pages/s" in line][-1]
    done, total = last.split("|")[-1].strip().split(" ")[0].split("/")
    assert done == total and int(total) > len(site.articles)
