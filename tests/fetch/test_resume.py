"""Kill the crawl with SIGKILL, run it again: the output ends with every article exactly once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.fetch.crawler import JsonlSink
from extractor.fetch.state import CrawlState
from extractor.fetch.urls import canonical_url

from .conftest import read_jsonl

REPO = Path(__file__).resolve().parents[2]


def _start_crawl(url: str, folder: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "extractor", "crawl", url, "-o", str(folder / "out.jsonl"),
               "--delay", "0.05"]
    return subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(
                                filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))})


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _kill_after_progress(process: subprocess.Popen, output: Path, rng: random.Random, timeout: float = 90) -> bool:
    """SIGKILL once the output has grown by a line, at a random instant after; False if it finished first."""
    start_lines, deadline = _lines(output), time.monotonic() + timeout
    while _lines(output) <= start_lines:
        if process.poll() is not None:
            return False
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("crawl made no progress")
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, 0.15))
    if process.poll() is not None:
        return False
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return True


def test_sigkill_then_resume_writes_every_article_once(portal_module, tmp_path):
    rng = random.Random(7)
    with portal_module.PortalServer(crawl_delay=None) as portal:
        site = max((s for s in portal.sites if s.platform != "generic"), key=lambda s: len(s.articles))
        output = tmp_path / "out.jsonl"
        kills = 0
        for _ in range(3):
            process = _start_crawl(site.base_url + "/", tmp_path)
            if not _kill_after_progress(process, output, rng):
                break
            kills += 1
        final = _start_crawl(site.base_url + "/", tmp_path)
        _, stderr = final.communicate(timeout=180)
        assert final.returncode == 0, stderr.decode()
        assert kills >= 2  # the test only means something if the crawl really died mid-run
        records = read_jsonl(output)  # every line parses: no torn line survived
        urls = [r["url"] for r in records]
        assert len(urls) == len(set(urls))
        assert set(urls) == {canonical_url(site.local_url(a)) for a in site.articles}


def test_torn_last_line_is_cut_and_state_reconciled(tmp_path):
    """The crash windows, made deterministic: a half-written line, and a line the state never saw."""
    output, state_path = tmp_path / "out.jsonl", tmp_path / "state.sqlite"
    state = CrawlState(state_path)
    state.enqueue("http://h/a-1", "article", 1)
    state.enqueue("http://h/b-2", "article", 1)
    state.mark_emitted("id-lost", "http://h/b-2", "hash-b")  # marked, but its line was torn off
    state.finish("http://h/b-2", "done", 200, None, "hash-b", "id-lost")
    output.write_text(json.dumps({"id": "id-written"}) + "\n" + '{"id": "id-lost", "te', encoding="utf-8")
    sink = JsonlSink(output)
    state.reconcile_emitted(sink.ids)
    assert output.read_text(encoding="utf-8") == json.dumps({"id": "id-written"}) + "\n"
    assert state.emitted_ids() == {"id-written"}
    assert state.status_of("http://h/b-2") == "queued"  # fetched again, so its record is written again
    sink.close()
    state.close()
