"""`vnextract extract -o FILE --resume`: a run killed at any moment, resumed, writes every record once."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO, corpus_articles

VNEXTRACT = Path(sys.executable).with_name("vnextract")


def write_documents(path: Path, count: int) -> None:
    articles = corpus_articles()
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            article = articles[i % len(articles)]
            doc = {"text": f"{article['text']}\n\nTin số {i}.", "published_at": article["published_at"]}
            if i % 2 == 0:
                doc["id"] = f"doc-{i}"  # half carry an id, half get the text hash
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")


def ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_killed_extract_resumes_without_repeats_or_gaps(tmp_path):
    inputs, output, reference = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "ref.jsonl"
    write_documents(inputs, 600)
    subprocess.run([str(VNEXTRACT), "extract", str(inputs), "-o", str(reference)], check=True, timeout=300)
    expected = ids(reference)
    assert len(expected) == len(set(expected)) == 600

    process = subprocess.Popen([str(VNEXTRACT), "extract", str(inputs), "-o", str(output)], cwd=REPO)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not output.exists() or output.stat().st_size < 20_000):
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    written = output.read_bytes()
    assert 0 < written.count(b"\n") < 600, "the kill should land mid-run"
    with output.open("ab") as handle:
        handle.write(b'{"schema_version": "1", "id": "torn')  # as if killed in the middle of a write

    result = subprocess.run([str(VNEXTRACT), "extract", str(inputs), "-o", str(output), "--resume"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    got = ids(output)
    assert len(got) == len(set(got)), "a record was written twice"
    assert sorted(got) == sorted(expected)
    # The records kept from the first run are byte-identical to a clean run's.
    assert output.read_bytes().startswith(written[: written.rfind(b"\n") + 1])


def test_resume_needs_an_output_file():
    result = subprocess.run([str(VNEXTRACT), "extract", "--resume", "-"], input="", capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2 and "--resume needs -o" in result.stderr


def test_resume_refuses_a_file_that_is_not_records(tmp_path):
    output = tmp_path / "out.jsonl"
    output.write_text("hello\n", encoding="utf-8")
    result = subprocess.run([str(VNEXTRACT), "extract", "-", "-o", str(output), "--resume"], input="Ngày 1/1.",
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "out.jsonl:1" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_resume_on_a_finished_run_writes_nothing_new(tmp_path, jobs):
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_documents(inputs, 12)
    subprocess.run([str(VNEXTRACT), "extract", str(inputs), "-o", str(output)], check=True, timeout=300)
    before = output.read_bytes()
    subprocess.run([str(VNEXTRACT), "extract", str(inputs), "-o", str(output), "--resume", "--jobs", jobs],
                   check=True, timeout=300)
    assert output.read_bytes() == before


def test_the_id_a_resumed_run_skips_by_is_the_id_extraction_gives():
    # Text files carry no id: a resumed run recognises their records before extracting them again.
    from extractor.api import extract_document
    from extractor.pipeline import expected_record_id

    docs = [{"text": a["text"]} for a in corpus_articles()[:8]]
    docs += [{"text": a["text"], "url": a["url"]} for a in corpus_articles()[8:12]]
    docs.append({"id": 42, "text": "Sáng 2/3, họp."})
    assert [expected_record_id(d) for d in docs] == [extract_document(d).id for d in docs]
    assert expected_record_id({"html": "<p>Sáng 2/3</p>", "url": "https://a.gov.vn/x"}) is None
