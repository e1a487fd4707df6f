"""`crawl --warc`: the archive holds every exchange, reads with warcio's own tools, re-extracts to the
crawl's records with no server running, survives SIGKILL and resumes without duplicates; WARCs in
wget's shape (and a real `wget --warc-file`, when wget is installed) re-extract too."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from extractor.cli import main
from extractor.fetch.crawler import run_crawl
from extractor.fetch.settings import FetchSettings
from extractor.fetch.state import CrawlState
from extractor.fetch.warc import WarcError, WarcRecorder, gzip_members
from extractor.pipeline import article_extractor

from .conftest import read_jsonl

REPO = Path(__file__).resolve().parents[2]


def _warc_records(path: Path) -> list[tuple[str, str]]:
    with open(path, "rb") as handle:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI") or "") for r in ArchiveIterator(handle)]


def _facts(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("extracted_at", "extractor_version")}


@pytest.fixture(scope="module")
def archived(portal_module, tmp_path_factory):
    """Every site (the one in a template no profile knows too) crawled from its home URL with delay 0
    and --warc; the server is stopped before the tests run."""
    folder = tmp_path_factory.mktemp("warc")
    with portal_module.PortalServer(crawl_delay=None, unseen_site=True) as portal:
        seeds = portal.site_urls(include_unseen=True)
        summary = run_crawl(seeds, str(folder / "out.jsonl"), folder / "state.sqlite",
                            FetchSettings.load(delay_seconds=0.0), warc=folder / "crawl.warc.gz",
                            extract=article_extractor())
        log = list(portal.log)
        expected = portal.expected(include_unseen=True)
    return folder, summary, log, expected, seeds


def test_the_warc_holds_every_exchange_and_warcio_reads_it(archived):
    folder, summary, log, _expected, seeds = archived
    warc = folder / "crawl.warc.gz"
    records = _warc_records(warc)
    assert records[0][0] == "warcinfo"
    responses = [uri for kind, uri in records if kind == "response"]
    assert len(responses) == len([kind for kind, _ in records if kind == "request"])
    # Every request the server saw (robots.txt, sitemaps, feeds, redirects, errors, pages) is archived.
    paths = {uri.split("/", 3)[-1] for uri in responses}
    assert {entry.path.lstrip("/") for entry in log} <= paths
    assert any(uri.endswith("/robots.txt") for uri in responses)
    assert any(uri.endswith("/sitemap.xml") for uri in responses) and any(uri.endswith(".rss") for uri in responses)
    with open(warc, "rb") as handle:
        statuses = {r.http_headers.get_statuscode() for r in ArchiveIterator(handle) if r.rec_type == "response"}
    assert {"200", "301", "302", "404", "503"} <= statuses
    for command in (["check", "-v"], ["index"]):
        done = subprocess.run([sys.executable, "-m", "warcio.cli", *command, str(warc)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr + done.stdout
    index = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(index) == len(records)
    # One gzip member a record.
    with open(warc, "rb") as handle:
        assert len(list(gzip_members(handle))) == len(records)


def test_re_extracting_the_warc_offline_gives_the_crawls_records(archived, tmp_path):
    folder, summary, _log, expected, _seeds = archived
    crawled = read_jsonl(folder / "out.jsonl")
    # The unseen site republishes the Ha Noi articles: one record per article, under either URL.
    assert len(crawled) == summary.emitted == len({article["id"] for article in expected.values()})
    out = tmp_path / "again.jsonl"
    assert main(["extract", str(folder / "crawl.warc.gz"), "-o", str(out)]) == 0  # no server is running now
    again = read_jsonl(out)
    assert sorted(r["id"] for r in again) == sorted(r["id"] for r in crawled)
    by_id = {r["id"]: _facts(r) for r in crawled}
    for record in again:
        assert _facts(record) == by_id[record["id"]]


def test_a_broken_archive_is_reported_and_the_other_inputs_still_run(archived, tmp_path, capsys):
    source = (archived[0] / "crawl.warc.gz").read_bytes()
    with io.BytesIO(source) as handle:
        members = list(gzip_members(handle))
    # The longest response is an article page; cut to half its length, it is torn whatever the
    # crawl order (the first home-page response can be a short redirect that a fixed cut leaves whole).
    article = max((m for m in members if b"WARC-Type: response" in m[2]), key=lambda m: len(m[2]))
    assert b"200 OK" in article[2]
    torn = tmp_path / "torn.warc.gz"
    torn.write_bytes(source[:article[0]] + gzip.compress(article[2][:len(article[2]) // 2]))
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"not an archive\n")
    text = tmp_path / "note.txt"
    text.write_text("Sáng 9/3, UBND thành phố họp.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(bad), str(torn), str(text), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: not a WARC file" in err and f"{torn}: " in err and "cut short" in err
    records = read_jsonl(out)
    assert records[-1]["text"].startswith("Sáng 9/3") and len(records) >= 1


def test_a_second_run_on_the_same_state_appends_nothing_already_archived(portal_module, tmp_path):
    with portal_module.PortalServer(crawl_delay=None) as portal:
        site = portal.site("hanoi.gov.vn")
        args = ["crawl", site.base_url + "/", "-o", str(tmp_path / "hn.jsonl"), "--delay", "0",
                "--warc", str(tmp_path / "hn.warc.gz")]
        assert main(args) == 0
        first = _warc_records(tmp_path / "hn.warc.gz")
        assert main(args) == 0  # incremental: hubs fetched again, unchanged, so nothing new is written
        second = _warc_records(tmp_path / "hn.warc.gz")
    assert second == first
    assert len({uri for kind, uri in first if kind == "response"}) == len([k for k, _ in first if k == "response"])


def test_a_torn_tail_is_cut_and_what_was_complete_is_adopted(archived, tmp_path):
    folder = archived[0]
    source = (folder / "crawl.warc.gz").read_bytes()
    with io.BytesIO(source) as handle:
        members = list(gzip_members(handle))
    # warcinfo, then request/response pairs. Cut the file inside the 4th member, after a request
    # whose response is missing, after a whole pair: each time it must end on a whole pair.
    cuts = [(members[3][0] + 17, members[2][1], 1),   # mid-member → back to after the robots.txt pair
            (members[3][1], members[2][1], 1),        # a request without its response → cut off
            (members[4][1], members[4][1], 2)]        # whole pairs → kept
    for cut, kept, pairs in cuts:
        warc = tmp_path / f"cut{cut}.warc.gz"
        warc.write_bytes(source[:cut])
        state = CrawlState(tmp_path / f"state{cut}.sqlite")
        recorder = WarcRecorder(warc, state.db)
        recorder.close()
        assert warc.stat().st_size == kept
        assert subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(warc)]).returncode == 0
        assert state.db.execute("SELECT COUNT(*) FROM warc_written").fetchone()[0] == pairs
        state.close()


def test_a_file_that_is_not_a_gzip_per_record_warc_is_refused_untouched(tmp_path):
    state = CrawlState(tmp_path / "state.sqlite")
    for name, data in (("text.warc.gz", b"WARC/1.0\r\n" * 100), ("whole.warc.gz", gzip.compress(b"x" * 5000) + b"junk")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(WarcError, match=name):
            WarcRecorder(path, state.db)
        assert path.read_bytes() == data
    state.close()
    assert main(["crawl", "http://127.0.0.1:9/", "-o", str(tmp_path / "o.jsonl"),
                 "--warc", str(tmp_path / "text.warc.gz")]) == 2


def test_pages_the_cache_serves_after_a_304_are_archived_in_full(portal_module, tmp_path):
    """A new state over a warm HTTP cache: article pages come back 304 and requests-cache serves
    them; the WARC holds the full page the crawler used, marked, and re-extracts to the same records."""
    cache = tmp_path / "http-cache.sqlite"
    settings = FetchSettings.load(delay_seconds=0.0)
    with portal_module.PortalServer(crawl_delay=None) as portal:
        seed = portal.site("hanoi.gov.vn").base_url + "/"
        run_crawl([seed], str(tmp_path / "first.jsonl"), tmp_path / "first.sqlite", settings, cache_path=cache,
                  extract=article_extractor())
        before = len(portal.log)
        run_crawl([seed], str(tmp_path / "second.jsonl"), tmp_path / "second.sqlite", settings, cache_path=cache,
                  warc=tmp_path / "second.warc.gz", extract=article_extractor())
        assert any(e.conditional for e in portal.log[before:])
    with open(tmp_path / "second.warc.gz", "rb") as handle:
        cached = [(r.http_headers.get_statuscode(), len(r.content_stream().read())) for r in ArchiveIterator(handle)
                  if r.rec_type == "response" and r.rec_headers.get_header("WARC-Vnextract-From-Cache")]
    assert cached and all(status == "200" and size > 1000 for status, size in cached)
    assert main(["extract", str(tmp_path / "second.warc.gz"), "-o", str(tmp_path / "again.jsonl")]) == 0
    assert [_facts(r) for r in read_jsonl(tmp_path / "again.jsonl")] == \
        [_facts(r) for r in read_jsonl(tmp_path / "second.jsonl")]


def test_sigkill_mid_crawl_then_resume_leaves_a_valid_warc_without_duplicates(portal_module, tmp_path):
    with portal_module.PortalServer(crawl_delay=None) as portal:
        site = portal.site("danang.gov.vn")
        warc = tmp_path / "dn.warc.gz"
        command = [sys.executable, "-m", "extractor", "crawl", site.base_url + "/", "-o", str(tmp_path / "dn.jsonl"),
                   "--delay", "0.05", "--warc", str(warc)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while (not warc.exists() or warc.stat().st_size < 20000) and process.poll() is None:
            assert time.monotonic() < deadline, "the crawl wrote nothing"
            time.sleep(0.005)
        killed = process.poll() is None
        if killed:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert subprocess.run(command, cwd=tmp_path, env=env, capture_output=True).returncode == 0
    assert killed, "the crawl finished before it could be killed"
    assert subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(warc)]).returncode == 0
    records = _warc_records(warc)
    with open(warc, "rb") as handle:
        keys = [(r.rec_headers.get_header("WARC-Target-URI"), r.http_headers.get_statuscode(),
                 r.rec_headers.get_header("WARC-Payload-Digest"))
                for r in ArchiveIterator(handle) if r.rec_type == "response"]
    assert len(keys) == len(set(keys))
    assert len([k for k, _ in records if k == "request"]) == len(keys)
    assert len([k for k, _ in records if k == "warcinfo"]) == 1
    assert len(read_jsonl(tmp_path / "dn.jsonl")) == len(site.articles)


def _wget_style_warc(path: Path, pages: list[tuple[str, bytes]]) -> None:
    """What wget --warc-file writes: warcinfo, then per URL a request and the raw response (here
    chunked and gzip'ed, as a server may send it), a revisit for a page seen twice, a resource log."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "Wget/1.21.3 (linux-gnu)",
                                                                       "format": "WARC File Format 1.0"}))
        for url, html in pages:
            request = writer.create_warc_record(url, "request", http_headers=StatusAndHeaders(
                f"GET /{url.split('/', 3)[-1]} HTTP/1.1", [("User-Agent", "Wget/1.21.3"), ("Host", "127.0.0.1")],
                is_http_request=True))
            body = gzip.compress(html)
            chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
                                       protocol="HTTP/1.1")
            response = writer.create_warc_record(url, "response", payload=io.BytesIO(chunked), http_headers=headers)
            writer.write_record(request)
            writer.write_record(response)
        handle.flush()
        with open(path, "rb") as reader:
            digest = next(r.rec_headers.get_header("WARC-Payload-Digest") for r in ArchiveIterator(reader)
                          if r.rec_type == "response")
        revisit = writer.create_revisit_record(pages[0][0] + "&lan=2", digest=digest, refers_to_uri=pages[0][0],
                                               refers_to_date="2026-01-01T00:00:00Z",
                                               http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                                                             protocol="HTTP/1.1"))
        writer.write_record(revisit)
        writer.write_record(writer.create_warc_record("urn:X-wget:log", "resource", payload=io.BytesIO(b"log"),
                                                      warc_content_type="text/plain"))


def test_a_wget_shaped_warc_re_extracts(portal_module, tmp_path):
    with portal_module.PortalServer(crawl_delay=None) as portal:
        site = portal.site("danang.gov.vn")
        import requests

        pages = [(site.local_url(a), requests.get(site.local_url(a), timeout=10).content) for a in site.articles[4:7]]
        crawled = tmp_path / "live.jsonl"
        assert main(["extract", *(url for url, _ in pages), "-o", str(crawled), "--delay", "0"]) == 0
    warc = tmp_path / "wget.warc.gz"
    _wget_style_warc(warc, pages)
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(warc), "-o", str(out)]) == 0
    again = read_jsonl(out)
    assert [r["url"] for r in again] == [url for url, _ in pages]  # the revisit repeats page 1: not emitted twice
    assert [_facts(r) for r in again] == [_facts(r) for r in read_jsonl(crawled)]
    plain = tmp_path / "plain.warc"
    plain.write_bytes(gzip.decompress(warc.read_bytes()))  # every member inflated: an uncompressed WARC
    assert main(["extract", str(plain), "-o", str(tmp_path / "plain.jsonl")]) == 0
    assert read_jsonl(tmp_path / "plain.jsonl") == again


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed")
def test_a_real_wget_warc_of_the_sample_portal_re_extracts(portal_module, tmp_path):
    with portal_module.PortalServer(crawl_delay=None) as portal:
        site = portal.site("hanoi.gov.vn")
        urls = [site.local_url(a) for a in site.articles[:3]]
        done = subprocess.run(["wget", "-q", "--warc-file", str(tmp_path / "wget"), "-O", os.devnull,
                               "--no-warc-keep-log", "-e", "robots=off", *urls], cwd=tmp_path, capture_output=True)
        assert done.returncode == 0, done.stderr
        assert main(["extract", *urls, "-o", str(tmp_path / "live.jsonl"), "--delay", "0"]) == 0
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(tmp_path / "wget.warc.gz"), "-o", str(out)]) == 0
    assert [_facts(r) for r in read_jsonl(out)] == [_facts(r) for r in read_jsonl(tmp_path / "live.jsonl")]
