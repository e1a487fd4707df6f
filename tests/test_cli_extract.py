"""`vnextract extract` end to end: every input kind, failures named on stderr, parallel = serial."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.cli import main

from .conftest import corpus_articles

REPO = Path(__file__).resolve().parents[1]

HTML_PAGE = """<!doctype html><html><head><title>Cổng thông tin</title>
<meta property="article:published_time" content="2024-03-12T08:00:00+07:00"></head>
<body><h1>Quận tổ chức hội nghị về chuyển đổi số</h1>
<p>Sáng 11/3, UBND quận tổ chức hội nghị triển khai kế hoạch chuyển đổi số năm 2024.</p>
<p>Đến nay, 12/12 phường đã tiếp nhận hồ sơ trực tuyến với hơn 4.500 hồ sơ.</p></body></html>
"""
TEXT_BODY = "Chiều 14/6, đoàn công tác của thành phố kiểm tra tiến độ xây dựng 3 trường học tại huyện.\n"


def jsonl(docs: list[dict]) -> str:
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)


@pytest.fixture()
def inputs(tmp_path: Path) -> dict[str, Path]:
    """One input of each kind, plus a JSONL file with a bad line in the middle."""
    docs = [{k: a[k] for k in ("id", "text", "published_at") if k in a} for a in corpus_articles()]
    paths = {
        "html": tmp_path / "page.html",
        "text": tmp_path / "note.txt",
        "jsonl": tmp_path / "docs.jsonl",
        "mixed": tmp_path / "mixed.jsonl",
        "binary": tmp_path / "photo.jpg",
    }
    paths["html"].write_text(HTML_PAGE, encoding="utf-8")
    paths["text"].write_text(TEXT_BODY, encoding="utf-8")
    paths["jsonl"].write_text(jsonl(docs), encoding="utf-8")
    paths["mixed"].write_text(jsonl(docs[:2]) + '{"id": "broken", "text": \n' + jsonl(docs[2:4]), encoding="utf-8")
    paths["binary"].write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)))
    return paths


def run_cli(args: list[str], capsys) -> tuple[int, list[dict], str]:
    code = main(["extract", *args])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


def test_html_text_and_jsonl_inputs_become_records(inputs, capsys):
    code, recs, err = run_cli([str(inputs["html"]), str(inputs["text"]), str(inputs["jsonl"])], capsys)
    assert code == 0, err
    assert len(recs) == 2 + len(corpus_articles())
    assert recs[0]["title"] == "Quận tổ chức hội nghị về chuyển đổi số"
    assert recs[0]["text"].startswith("Sáng 11/3, UBND quận") and "Cổng thông tin" not in recs[0]["text"]
    assert recs[0]["published_at"].startswith("2024-03-12")
    assert recs[1]["text"].startswith("Chiều 14/6")
    assert [r["id"] for r in recs[2:]] == [a["id"] for a in corpus_articles()]


def test_failures_are_named_on_stderr_and_the_rest_written(inputs, tmp_path, capsys):
    missing = tmp_path / "gone.html"
    out = tmp_path / "out.jsonl"
    code = main(["extract", str(inputs["mixed"]), str(inputs["binary"]), str(missing), str(inputs["text"]),
                 "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in written[:4]] == [a["id"] for a in corpus_articles()[:4]]
    assert written[4]["text"].startswith("Chiều 14/6") and len(written) == 5
    lines = err.strip().splitlines()
    assert any(f"{inputs['mixed']}:3" in line and "bad JSON" in line for line in lines), err
    assert any(str(inputs["binary"]) in line and "binary" in line for line in lines), err
    assert any(str(missing) in line and "cannot read" in line for line in lines), err
    assert len(lines) == 3


def test_a_document_that_fails_extraction_is_named_by_its_line(tmp_path, capsys):
    source = tmp_path / "docs.jsonl"
    source.write_text(jsonl([{"id": "ok", "text": "Sáng 2/2, họp."}, {"id": "x", "html": 5, "text": None},
                             {"id": "ok2", "text": "Tối 3/3, họp."}]), encoding="utf-8")
    code, recs, err = run_cli([str(source), "--jobs", "2"], capsys)
    assert code == 1
    assert [r["id"] for r in recs] == ["ok", "ok2"]
    assert f"{source}:2" in err


def test_utf16_text_with_a_byte_order_mark_is_read_not_refused_as_binary(tmp_path, capsys):
    windows_text = tmp_path / "ghi-chu.txt"  # Notepad's "Unicode": UTF-16 LE with a BOM
    windows_text.write_bytes(TEXT_BODY.encode("utf-16"))
    broken = tmp_path / "hong.txt"
    broken.write_bytes(b"\xff\xfe" + TEXT_BODY.encode("utf-16-le")[:-1])  # cut mid-character
    assert main(["extract", str(windows_text), str(broken)]) == 1
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in records] == [TEXT_BODY.strip()]
    assert [q["text"] for q in records[0]["quantities"]] == ["3 trường học"]
    assert "hong.txt" in err and "utf-16-le" in err


def test_published_at_anchors_year_less_dates_of_text_inputs_only(tmp_path, capsys):
    notes = tmp_path / "bien-ban.txt"
    notes.write_text(TEXT_BODY, encoding="utf-8")  # "Chiều 14/6 …", no year, no publication date
    dated = tmp_path / "docs.jsonl"
    dated.write_text(jsonl([{"id": "own", "text": TEXT_BODY, "published_at": "2019-06-20"}]), encoding="utf-8")
    page = tmp_path / "trang.html"
    page.write_text(HTML_PAGE, encoding="utf-8")  # shows 2024-03-12 itself
    assert main(["extract", str(notes), str(dated), str(page), "--published-at", "2024-06-20"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [[d["value"] for d in r["dates"]] for r in records] == [["2024-06-14"], ["2019-06-14"], ["2024-03-11", "2024"]]
    assert main(["extract", str(notes), "--published-at", "20/6/2024"]) == 2
    assert "--published-at" in capsys.readouterr().err


def test_stdin_jsonl_through_the_console_entry_point(inputs):
    lines = inputs["jsonl"].read_text(encoding="utf-8") + "not json at all\n"
    proc = subprocess.run([sys.executable, "-m", "extractor", "extract", "-"], input=lines.encode("utf-8"),
                          capture_output=True, cwd=REPO, timeout=120)
    assert proc.returncode == 1
    records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [r["id"] for r in records] == [a["id"] for a in corpus_articles()]
    assert f"<stdin>:{len(corpus_articles()) + 1}" in proc.stderr.decode("utf-8")


def test_jobs_2_writes_exactly_the_serial_output(inputs, capsys):
    args = [str(inputs["html"]), str(inputs["jsonl"]), str(inputs["text"])]
    serial = run_cli(args, capsys)
    parallel = run_cli([*args, "--jobs", "2"], capsys)
    assert parallel[0] == serial[0] == 0
    assert parallel[1] == serial[1]


def test_unordered_writes_the_same_set_of_records(inputs, capsys):
    args = [str(inputs["jsonl"]), str(inputs["html"])]
    _, serial, _ = run_cli(args, capsys)
    code, unordered, _ = run_cli([*args, "--jobs", "2", "--unordered"], capsys)
    assert code == 0
    key = lambda r: r["id"]  # noqa: E731
    assert sorted(unordered, key=key) == sorted(serial, key=key)


def test_bad_jobs_and_dask_without_scheduler_are_usage_errors(inputs, capsys):
    assert main(["extract", str(inputs["text"]), "--jobs", "0"]) == 2
    assert main(["extract", str(inputs["text"]), "--engine", "dask"]) == 2
    assert "--scheduler" in capsys.readouterr().err


def test_jsonl_archives_stream_past_the_whole_file_size_limit(tmp_path):
    from extractor.inputs import InputDoc, InputError, iter_inputs

    docs = [{"id": f"a{i}", "text": f"Sáng {i % 28 + 1}/4, phường tiếp nhận {i} hồ sơ trực tuyến."} for i in range(60)]
    archive = tmp_path / "archive.jsonl"
    archive.write_text(jsonl(docs[:30]) + "\n" + jsonl(docs[30:]), encoding="utf-8")
    pretty = tmp_path / "gold.json"
    pretty.write_text(json.dumps(docs[0], ensure_ascii=False, indent=2), encoding="utf-8")
    limit = 1500  # far below the archive's size, above one line's
    assert archive.stat().st_size > 3 * limit
    items = list(iter_inputs([str(archive), str(pretty)], max_bytes=limit))
    assert all(isinstance(item, InputDoc) for item in items)
    assert [item.doc["id"] for item in items] == [d["id"] for d in docs] + ["a0"]
    assert items[30].label == f"{archive}:32"  # line numbers count the blank line
    too_long = tmp_path / "long.jsonl"
    too_long.write_text(jsonl(docs[:1]) + jsonl([{"id": "big", "text": "x" * 2 * limit}]), encoding="utf-8")
    items = list(iter_inputs([str(too_long)], max_bytes=limit))
    assert isinstance(items[0], InputDoc) and isinstance(items[1], InputError)
    assert items[1].label == f"{too_long}:2"
