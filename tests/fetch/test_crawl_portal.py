"""The crawler against the sample portal, judged by its output and by the server's own request log."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from urllib.parse import urlsplit

from extractor.fetch.urls import canonical_url
from extractor.normalize import normalize_text

from .conftest import TEST_DELAY, crawl, token_f1

# Page furniture of the three platform templates that must never reach a record's text.
BOILERPLATE = ["Tiện ích thông tin", "Nguồn tin", "QR Code", "Chúng tôi trên Mạng Xã hội", "Tin khác",
               "Tin liên quan", "Các tin khác", "Bình luận", "Chia sẻ", "Lượt xem", "In bài viết",
               "Gửi email", "Cỡ chữ", "Người đăng tin", "Tác giả:", "Từ khóa", "(Hanoi.gov.vn)",
               "Cổng thông tin điện tử", "Đăng nhập"]
WHOLE_PARAGRAPH_BOILERPLATE = {"Print", "Gốc", "In", "Zalo", "Facebook"}


def _expected(run) -> dict[str, dict]:
    return {canonical_url(url): gold for url, gold in run.portal.expected().items()}


def test_every_article_found_exactly_once(polite_crawl):
    urls = [r["url"] for r in polite_crawl.records]
    assert len(urls) == len(set(urls)), Counter(urls).most_common(3)
    assert len({r["id"] for r in polite_crawl.records}) == len(urls)
    assert set(urls) == set(_expected(polite_crawl))
    assert not polite_crawl.summary.failed


def test_titles_and_publication_times_are_exact(polite_crawl):
    expected = _expected(polite_crawl)
    for record in polite_crawl.records:
        gold = expected[record["url"]]
        assert record["title"] == normalize_text(gold["title"]), record["url"]  # records are normalized
        assert record["published_at"] == gold["published_at"], record["url"]
        assert record.get("author") == gold.get("author"), record["url"]


def test_body_text_matches_the_true_body(polite_crawl):
    expected = _expected(polite_crawl)
    scores = {r["url"]: token_f1(r["text"], expected[r["url"]]["text"]) for r in polite_crawl.records}
    assert min(scores.values()) >= 0.97, sorted(scores.items(), key=lambda kv: kv[1])[:3]


def test_no_boilerplate_captions_or_titles_in_text(polite_crawl):
    expected = _expected(polite_crawl)
    for record in polite_crawl.records:
        text = record["text"]
        for phrase in BOILERPLATE:
            assert phrase not in text, (record["url"], phrase)
        paragraphs = set(text.split("\n\n"))
        assert not paragraphs & WHOLE_PARAGRAPH_BOILERPLATE, record["url"]
        for caption in expected[record["url"]].get("captions", []):
            assert caption["text"] not in paragraphs, record["url"]
        assert not text.startswith(record["title"]), record["url"]


def _log_by_site(run):
    by_site = defaultdict(list)
    for entry in run.log:
        by_site[entry.site].append(entry)
    return by_site


def test_no_request_to_disallowed_offsite_or_binary_urls(polite_crawl, portal_module):
    ports = {site.name: site.port for site in polite_crawl.portal.sites}
    for entry in polite_crawl.log:
        assert entry.host == f"127.0.0.1:{ports[entry.site]}", entry  # "localhost:PORT" is another host
        assert not entry.path.startswith(portal_module.DISALLOWED_PREFIXES), entry
        assert not urlsplit(entry.path).path.endswith(".pdf"), entry
        assert "utm_" not in entry.path, entry
        assert entry.user_agent.startswith("vnextract/"), entry
    assert "tintuc.example.vn" not in _log_by_site(polite_crawl)  # never seeded, never linked


def test_per_host_interval_never_shorter_than_the_delay(polite_crawl):
    for site in polite_crawl.portal.sites:
        if site.platform == "generic":
            continue  # not part of this crawl
        entries = sorted(_log_by_site(polite_crawl)[site.name], key=lambda e: e.time)
        interval = max(TEST_DELAY, site.crawl_delay or 0.0)
        gaps = [b.time - a.time for a, b in zip(entries, entries[1:])]
        assert gaps, site.name
        assert min(gaps) >= interval, (site.name, min(gaps), interval)


def test_crawl_delay_of_robots_txt_is_honoured(polite_crawl):
    hanoi = next(s for s in polite_crawl.portal.sites if s.crawl_delay)
    assert hanoi.crawl_delay > TEST_DELAY  # otherwise the interval test above would not tell
    entries = sorted(_log_by_site(polite_crawl)[hanoi.name], key=lambda e: e.time)
    assert min(b.time - a.time for a, b in zip(entries, entries[1:])) >= hanoi.crawl_delay


def test_503_is_retried_after_retry_after(polite_crawl):
    site = next(s for s in polite_crawl.portal.sites if "retry_after_503" in s.roles)
    path = urlsplit(site.local_url(site.roles["retry_after_503"]))
    target = path.path + "?" + path.query
    hits = [e for e in polite_crawl.log if e.site == site.name and e.path == target]
    assert [e.status for e in hits] == [503, 200]
    assert hits[1].time - hits[0].time >= 1.0  # Retry-After: 1


def test_each_article_page_requested_once(polite_crawl):
    article_paths = {urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")
                     for url in polite_crawl.portal.expected()}
    counts = Counter((e.site, e.path) for e in polite_crawl.log
                     if e.path in article_paths and e.status == 200)
    assert counts and max(counts.values()) == 1, counts.most_common(2)


def test_traps_are_skipped_with_a_reason(polite_crawl):
    db = sqlite3.connect(polite_crawl.state_path)
    reasons = dict(db.execute("SELECT url, reason FROM urls WHERE status = 'skipped'").fetchall())
    by_path = {urlsplit(u).path: r for u, r in reasons.items()}
    assert "too large" in by_path["/web/guest/video"]          # 11 MB without Content-Length
    assert "too large" in by_path["/web/guest/bao-cao"]        # gzip bomb
    assert "not a page" in by_path["/DownloadFile.aspx"]       # application/pdf
    assert "not a page" in by_path["/Upload/van-ban/ke-hoach-cai-cach-hanh-chinh.pdf"]  # never fetched
    assert "robots.txt" in by_path["/Admin/DangNhap.aspx"]
    assert not any(urlsplit(u).hostname == "localhost" for u in reasons)  # off-site: not even queued


def test_redirected_and_legacy_encoded_articles_are_read_right(polite_crawl):
    expected = _expected(polite_crawl)
    by_url = {r["url"]: r for r in polite_crawl.records}
    for site in polite_crawl.portal.sites:
        for role in ("redirect_chain", "no_charset_cp1258", "nfd_page", "wrong_charset_header",
                     "sitemap_only", "rss_only"):
            if role in site.roles:
                url = canonical_url(site.local_url(site.roles[role]))
                assert url in by_url, (role, url)
                assert token_f1(by_url[url]["text"], expected[url]["text"]) >= 0.97, role


def test_second_crawl_revalidates_with_conditional_requests(polite_crawl, tmp_path):
    """Fresh state, same HTTP cache: pages come back as 304 Not Modified, records are still whole."""
    portal, site = polite_crawl.portal, polite_crawl.portal.site("haiphong.gov.vn")
    before = len(portal.log)
    run = crawl(portal, [site.base_url + "/"], tmp_path, delay=0.0, cache_path=polite_crawl.cache_path)
    again = portal.log[before:]
    assert any(e.conditional and e.status == 304 for e in again)
    assert len(run.records) == len(site.articles)
    assert {r["text"] for r in run.records} <= {r["text"] for r in polite_crawl.records}


def test_unseen_template_is_crawled_from_its_home_url_alone(polite_crawl, tmp_path):
    """A portal no profile knows: listings, articles and fields found by the generic reader."""
    portal, site = polite_crawl.portal, polite_crawl.portal.site("tintuc.example.vn")
    run = crawl(portal, [site.base_url + "/"], tmp_path, delay=0.0)
    gold = {canonical_url(site.local_url(a)): a for a in site.articles}
    assert {r["url"] for r in run.records} == set(gold)
    for record in run.records:
        article = gold[record["url"]]
        assert record["title"] == normalize_text(article["title"])
        assert record["published_at"] == article["published_at"]
        assert token_f1(record["text"], article["text"]) >= 0.97
