"""URL inputs of `vnextract extract`: `-i` lists, URL-only JSONL lines, a .txt that is a URL list,
polite fetching (robots.txt, per-host delay), and a progress bar with a total — against the
sample portal over real HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.demo import load_portal_module


@pytest.fixture(scope="module")
def site():
    with load_portal_module().PortalServer(crawl_delay=None) as portal:
        yield portal, portal.site("hanoi.gov.vn")


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_url_list_gives_one_record_per_url_fetched_politely(site, tmp_path, capsys):
    portal, hanoi = site
    urls = [hanoi.local_url(a) for a in hanoi.articles[:3]]
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# three articles\n{urls[0]}\n\n{urls[1]}  # the second\n{urls[2]}\n", encoding="utf-8")
    before = len(portal.log)
    out = tmp_path / "out.jsonl"
    assert main(["extract", "-i", str(listing), "-o", str(out), "--delay", "0.3"]) == 0
    assert [r["url"] for r in _records(out)] == urls
    requests = [e for e in portal.log[before:] if e.site == hanoi.name]
    assert requests[0].path == "/robots.txt" and len([e for e in requests if e.path == "/robots.txt"]) == 1
    gaps = [b.time - a.time for a, b in zip(requests, requests[1:])]
    assert min(gaps) >= 0.25  # one request a --delay per host (a floor, not a timing of our speed)
    assert capsys.readouterr().err == ""


def test_resume_fetches_only_the_urls_not_yet_written(site, tmp_path):
    portal, hanoi = site
    urls = [hanoi.local_url(a) for a in hanoi.articles[3:6]]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls[:2]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", "-i", str(listing), "-o", str(out), "--delay", "0"]) == 0
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    before = len(portal.log)
    assert main(["extract", "-i", str(listing), "-o", str(out), "--delay", "0", "--resume"]) == 0
    assert [r["url"] for r in _records(out)] == urls
    fetched = [e.path for e in portal.log[before:] if e.path != "/robots.txt"]
    assert fetched == [urls[2].split(hanoi.base_url, 1)[1]]


def test_bad_lines_and_disallowed_urls_fail_alone(site, tmp_path, capsys):
    _portal, hanoi = site
    good = hanoi.local_url(hanoi.articles[0])
    listing = tmp_path / "mixed.txt"
    listing.write_text(f"{good}\nnot a url\n{hanoi.base_url}/Admin/secret\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", "-i", str(listing), "-o", str(out), "--delay", "0"]) == 1
    assert [r["url"] for r in _records(out)] == [good]
    err = capsys.readouterr().err
    assert f"{listing}:2: not an http(s) URL" in err and f"{listing}:3:" in err and "robots.txt" in err


def test_a_jsonl_line_with_only_a_url_is_fetched(site, tmp_path):
    _portal, hanoi = site
    batch = tmp_path / "batch.jsonl"
    url = hanoi.local_url(hanoi.articles[1])
    batch.write_text(json.dumps({"id": "mine-1", "url": url}) + "\n"
                     + json.dumps({"id": "t", "text": "Sáng 9/3, họp."}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(batch), "-o", str(out), "--delay", "0"]) == 0
    first, second = _records(out)
    assert first["id"] == "mine-1" and first["url"] == url and first["title"] == hanoi.articles[1]["title"]
    assert second["id"] == "t"


def test_a_txt_that_is_only_urls_is_taken_as_a_url_list_with_a_warning(site, tmp_path, capsys):
    _portal, hanoi = site
    urls = [hanoi.local_url(a) for a in hanoi.articles[:2]]
    mistaken = tmp_path / "links.txt"
    mistaken.write_text("\n".join(urls) + "\n", encoding="utf-8")
    prose = tmp_path / "article.txt"
    prose.write_text(f"Sáng 9/3, UBND thành phố họp.\n{urls[0]}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(mistaken), str(prose), "-o", str(out), "--delay", "0"]) == 0
    records = _records(out)
    assert [r["url"] for r in records[:2]] == urls and len(records) == 3
    err = capsys.readouterr().err
    assert f"{mistaken}: every line is a URL" in err and str(prose) not in err


def test_progress_has_a_total_counted_from_the_inputs(tmp_path, capsys):
    batch = tmp_path / "b.jsonl"
    batch.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Sáng {i + 1}/3, họp."}) + "\n" for i in range(5)),
                     encoding="utf-8")
    text = tmp_path / "one.txt"
    text.write_text("Chiều 2/4, họp.", encoding="utf-8")
    assert main(["extract", str(batch), str(text), "-o", str(tmp_path / "o.jsonl"), "--progress"]) == 0
    bars = [line for line in capsys.readouterr().err.replace("\r", "\n").splitlines() if "doc" in line]
    assert "6/6" in bars[-1]
