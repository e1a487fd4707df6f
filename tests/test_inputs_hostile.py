"""Hostile inputs to `vnextract extract` and the library: each bad document is reported by name and
line, the rest of the batch is kept, and nothing crashes the writer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import extractor
from extractor.cli import main
from extractor.inputs import InputDoc, InputError, iter_inputs

REPO = Path(__file__).resolve().parents[1]
GOOD = {"id": "tot", "text": "Sáng 12/4, phường Đông Hải tiếp nhận 250 hồ sơ trực tuyến."}
LATER = {"id": "sau", "text": "Chiều 20/4, huyện tổ chức hội nghị tổng kết với 120 đại biểu."}


def jsonl(docs: list) -> str:
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)


def run_cli(args: list[str], capsys) -> tuple[int, list[dict], str]:
    code = main(["extract", *args])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


def run_stdin(data: bytes, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor", "extract", "-", *args], input=data,
                          capture_output=True, cwd=REPO, timeout=180)


# -- strings UTF-8 cannot encode ------------------------------------------------------------------
SURROGATE_DOCS = [
    {"id": "s1", "text": "Sáng 2/3, họp \ud800 tại quận."},
    {"id": "s2\udfff", "text": "Sáng 2/3, họp."},
    {"id": "s3", "text": "Sáng 2/3, họp.", "title": "Tin \udc80"},
    {"text": "Không có mã \ud83d văn bản."},
    {"id": "s5", "text": "Sáng 2/3.", "meta": {"tags": ["a", "\ud800"]}},
    {"id": "s6", "html": "<p>Chiều 4/5, \udbff họp.</p>"},
]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_lone_surrogates_fail_their_document_by_line_and_the_rest_is_written(tmp_path, capsys, jobs):
    source = tmp_path / "docs.jsonl"
    # json.dumps escapes the surrogates ("\ud800"), as a real archive carries them.
    source.write_text(json.dumps(GOOD) + "\n" + "".join(json.dumps(d) + "\n" for d in SURROGATE_DOCS)
                      + json.dumps(LATER) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, err = run_cli([str(source), "-o", str(out), "--jobs", jobs], capsys)
    assert code == 1
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in written] == ["tot", "sau"]
    for line in range(2, 2 + len(SURROGATE_DOCS)):
        assert f"{source}:{line}: " in err
    assert "surrogate" in err and "Traceback" not in err


def test_the_library_reports_surrogate_documents_and_keeps_the_rest():
    failed = []
    records = list(extractor.extract_many([GOOD, *SURROGATE_DOCS, LATER], jobs=1,
                                          on_error=lambda index, doc_id, message: failed.append((index, message))))
    assert [r.id for r in records] == ["tot", "sau"]
    assert [index for index, _ in failed] == list(range(1, 1 + len(SURROGATE_DOCS)))
    assert all("surrogate" in message for _, message in failed)
    with pytest.raises(ValueError, match="surrogate"):
        extractor.extract_text("Ngày 1/1 \ud800")


# -- standard input: JSON Lines are recognized by their lines --------------------------------------
@pytest.mark.parametrize("first", ["null", "[1, 2]", "42", '"một chuỗi"', "true", "{}"])
def test_stdin_whose_first_line_is_json_but_no_document_is_read_as_json_lines(first):
    proc = run_stdin((first + "\n" + jsonl([GOOD, LATER])).encode("utf-8"))
    assert proc.returncode == 1
    assert [json.loads(line)["id"] for line in proc.stdout.decode().splitlines()] == ["tot", "sau"]
    assert "<stdin>:1: " in proc.stderr.decode()


def test_empty_stdin_and_empty_files_are_reported_as_empty_inputs(tmp_path):
    for data in (b"", b"\n\n  \n"):
        proc = run_stdin(data)
        assert proc.returncode == 1 and proc.stdout == b""
        assert "<stdin>: empty input" in proc.stderr.decode()
    names = ["a.txt", "b.html", "c.jsonl", "d", "e.json"]
    for name in names:
        (tmp_path / name).write_bytes(b"" if name != "c.jsonl" else b"\n\n")
    items = list(iter_inputs([str(tmp_path / name) for name in names]))
    assert all(isinstance(item, InputError) and "empty" in item.message for item in items)
    assert [item.label for item in items] == [str(tmp_path / name) for name in names]


# -- limits per line, one line splitter ------------------------------------------------------------
@pytest.mark.parametrize("head", ["\n", "   \n\n", "LONG", "{broken\n"])
def test_jsonl_limits_apply_per_line_whatever_the_first_line(tmp_path, head):
    limit = 2000
    docs = [{"id": f"d{i}", "text": f"Sáng {i % 28 + 1}/5, xã tiếp nhận {i} hồ sơ."} for i in range(80)]
    first = json.dumps({"id": "long", "text": "x" * 3 * limit}) + "\n" if head == "LONG" else head
    source = tmp_path / "big.jsonl"
    source.write_text(first + jsonl(docs), encoding="utf-8")
    assert source.stat().st_size > 2 * limit
    for paths in ([str(source)], None):
        if paths is None:  # the same bytes on standard input
            proc = subprocess.run([sys.executable, "-c",
                                   "import sys; from extractor.inputs import iter_inputs; "
                                   "print('\\n'.join(type(i).__name__ + ' ' + i.label for i in iter_inputs(['-'], 2000)))"],
                                  input=source.read_bytes(), capture_output=True, cwd=REPO, timeout=120)
            rows = proc.stdout.decode().split("\n")
            assert sum(row.startswith("InputDoc") for row in rows) == len(docs)
            continue
        items = list(iter_inputs(paths, max_bytes=limit))
        assert [i.doc["id"] for i in items if isinstance(i, InputDoc)] == [d["id"] for d in docs]
        errors = [i for i in items if isinstance(i, InputError)]
        assert len(errors) == (0 if head.strip() == "" else 1)
        assert all(e.label == f"{source}:1" for e in errors)
        assert items[-1].label == f"{source}:{first.count(chr(10)) + len(docs)}"


def test_a_line_separator_inside_a_json_string_does_not_split_the_line(tmp_path, capsys):
    text = "Sáng 2/3, họp\u2028tại quận.\u2029Chiều 4/3, 12 hồ sơ\x85xong."
    utf16 = tmp_path / "u16.jsonl"
    utf16.write_bytes(json.dumps({"id": "u16", "text": text}, ensure_ascii=False).encode("utf-16"))
    plain = tmp_path / "plain.jsonl"
    plain.write_text(jsonl([{"id": "ls", "text": text}]), encoding="utf-8")
    code, records, err = run_cli([str(plain), str(utf16)], capsys)
    assert code == 0, err
    assert [r["id"] for r in records] == ["ls", "u16"]
    proc = run_stdin(plain.read_bytes())
    assert proc.returncode == 0 and json.loads(proc.stdout)["id"] == "ls"


# -- output onto an input --------------------------------------------------------------------------
def test_output_equal_to_an_input_is_refused_before_anything_is_opened(tmp_path, capsys):
    source = tmp_path / "docs.jsonl"
    source.write_text(jsonl([GOOD, LATER]), encoding="utf-8")
    before = source.read_bytes()
    link = tmp_path / "link.jsonl"
    link.symlink_to(source)
    (tmp_path / "sub").mkdir()
    cases = [(source, source), (source, link), (source, tmp_path / "sub" / ".." / "docs.jsonl"),
             (tmp_path, tmp_path / "new.jsonl")]  # the last: a new file inside an input folder
    for given, output in cases:
        code, _, err = run_cli([str(given), "-o", str(output)], capsys)
        assert code == 2, output
        assert "error" in err
        assert source.read_bytes() == before
    assert not (tmp_path / "new.jsonl").exists()


# -- failing documents named right -----------------------------------------------------------------
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_failing_documents_are_named_by_file_and_one_based_line(tmp_path, capsys, jobs):
    first = tmp_path / "first.jsonl"
    second = tmp_path / "second.jsonl"
    docs = [dict(GOOD, id=f"g{i}") for i in range(30)]
    bad = {"id": "bad", "text": "Sáng 2/3 \ud800"}
    first.write_text(jsonl(docs[:12]) + json.dumps(bad) + "\n" + jsonl(docs[12:20]), encoding="utf-8")
    second.write_text("\n" + jsonl(docs[20:]) + json.dumps(bad) + "\n", encoding="utf-8")
    code, records, err = run_cli([str(first), str(second), "--jobs", jobs], capsys)
    assert code == 1
    assert len(records) == 30
    lines = [line for line in err.splitlines() if "surrogate" in line]
    assert lines[0].startswith(f"vnextract: {first}:13: ") and lines[1].startswith(f"vnextract: {second}:12: ")


# -- falsy ids -------------------------------------------------------------------------------------
def test_falsy_ids_are_ids(tmp_path, capsys):
    source = tmp_path / "ids.jsonl"
    source.write_text(jsonl([{"id": 0, "text": "Sáng 2/3, họp."}, {"id": False, "text": "Sáng 2/3, họp."},
                             {"id": "", "text": "Sáng 2/3, họp."}]), encoding="utf-8")
    code, records, _ = run_cli([str(source)], capsys)
    assert code == 0
    assert [r["id"] for r in records[:2]] == ["0", "False"]
    assert records[2]["id"] not in ("", "0")  # an empty id is none: the text's hash
    assert extractor.extract_text("Sáng 2/3.", id=0).id == "0"
    assert [r.id for r in extractor.extract_many([{"id": 0, "text": "Sáng 2/3."}], jobs=1)] == ["0"]


# -- calendar edges --------------------------------------------------------------------------------
@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31", "0001-01-01T00:00:00+07:00",
                                       "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+09:00",
                                       "0001-01-06", "9999-12-28"])
def test_published_at_on_the_calendar_edges_keeps_every_date(published):
    text = ("Sáng 2/1, họp. Ngày 30/12 họp. Hôm qua, ngày mai, hôm nay. Tuần tới, tuần trước, tháng trước, "
            "tháng tới, năm sau, năm ngoái, quý tới, quý trước, thứ Hai tuần trước, tháng 4 và 5 năm sau.")
    record = extractor.extract_text(text, published_at=published)
    assert len(record.dates) >= 14
    page = (f'<html><head><meta property="article:published_time" content="{published}"></head><body><h1>Tin</h1>'
            f"<p>{text}</p></body></html>")
    assert len(extractor.extract_html(page).dates) == len(record.dates)
    for fact in record.dates:
        for side in fact.value.split("/"):
            assert 1 <= int(side.split("-")[0]) <= 9999, (fact.text, fact.value)


# -- texts over spaCy's max_length -----------------------------------------------------------------
PARAGRAPH = ("Sáng 14/3, đồng chí Trần Minh Đức, Phó Bí thư Quận ủy, Chủ tịch UBND quận Lê Chân chủ trì hội nghị "
             "tại phường Dư Hàng Kênh; quận đã giải quyết 12.345 hồ sơ.")
FILLER = "Các đại biểu trao đổi nhiều ý kiến về cách làm mới trong công tác cải cách hành chính. "


def test_a_text_over_a_million_characters_keeps_every_family():
    filler = (FILLER * 40 + "\n") * 300
    text = PARAGRAPH + "\n" + filler + PARAGRAPH + "\n" + filler + PARAGRAPH
    assert len(text) > 1_000_000
    data = extractor.extract_text(text, published_at="2024-03-15").to_dict()
    text = data["text"]  # normalized (spaces before line breaks go)
    for family in ("dates", "quantities", "organizations", "locations"):
        assert len(data[family]) >= 3, family
        for fact in data[family]:
            assert text[fact["start"]:fact["end"]] == fact["text"]
    assert [o["name"] for o in data["officials"]] == ["Trần Minh Đức"]
    mentions = data["officials"][0]["mentions"]
    assert len(mentions) == 3 and all(text[m["start"]:m["end"]] == "Trần Minh Đức" for m in mentions)
    assert mentions[-1]["start"] > 1_000_000


def test_windows_give_the_facts_one_pass_gives():
    from extractor.document import Document
    from extractor.pipeline import get_pipeline
    from extractor.windows import run_in_windows

    pipeline = get_pipeline()
    text = "\n".join(f"{PARAGRAPH} Ngày {day}/4, xã Tân Phú nhận {day * 10} hồ sơ." for day in range(1, 25))
    whole = pipeline.run(Document(text=text, rules=pipeline.rules))
    windowed = run_in_windows(Document(text=text, rules=pipeline.rules), pipeline.run, size=700)
    for family in ("dates", "quantities", "organizations", "locations", "officials"):
        assert windowed.facts[family] == whole.facts[family], family


# -- resuming pages without ids --------------------------------------------------------------------
PAGE = ("<html><head><title>Tin {n}</title></head><body><h1>Tin số {n} về cải cách hành chính</h1>"
        "<p>Sáng {n}/3, UBND phường tổ chức hội nghị, tiếp nhận {n}0 hồ sơ trực tuyến.</p></body></html>")


def test_resume_skips_pages_without_ids_without_extracting_them(tmp_path, capsys, monkeypatch):
    import extractor.batch as batch

    pages = tmp_path / "pages"
    pages.mkdir()
    for n in range(1, 7):
        (pages / f"tin-{n}.html").write_text(PAGE.format(n=n), encoding="utf-8")
    archive = tmp_path / "docs.jsonl"
    archive.write_text(jsonl([{"html": PAGE.format(n=n)} for n in range(7, 10)]), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(pages), str(archive), "-o", str(out)]) == 0
    first = out.read_bytes()
    assert first.count(b"\n") == 9

    extracted = []
    real = batch.extract_one

    def counting(index, doc, *args, **kwargs):
        extracted.append(doc.get("source") or doc.get("html", "")[-40:])
        return real(index, doc, *args, **kwargs)

    monkeypatch.setattr(batch, "extract_one", counting)
    assert main(["extract", str(pages), str(archive), "-o", str(out), "--resume"]) == 0
    assert extracted == [] and out.read_bytes() == first

    (pages / "tin-2.html").write_text(PAGE.format(n=22), encoding="utf-8")  # a changed page is read again
    assert main(["extract", str(pages), str(archive), "-o", str(out), "--resume"]) == 0
    assert extracted == [str(pages / "tin-2.html")]
    assert out.read_bytes().startswith(first) and out.read_bytes().count(b"\n") == 10
    capsys.readouterr()
