"""A time budget per document in every engine: the document over it is reported by name and
skipped, the rest of the batch is written, exit code 1; never a partial record."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import extractor
from extractor.batch import run_batch
from extractor.budget import DocumentTimeout, check, document_budget
from extractor.cli import main
from extractor.pipeline import Pipeline, get_pipeline
from extractor.progress import ReaderStalled, advanced

REPO = Path(__file__).resolve().parents[1]
VNEXTRACT = Path(sys.executable).with_name("vnextract")
BUDGET = 0.5  # seconds: short articles take milliseconds, the long one below seconds


def long_text(sentences: int = 4000) -> str:
    """A long report of many short news sentences (seconds of extraction, over the budget even with
    every memo warm from an earlier test)."""
    return " ".join(
        f"Sáng {i % 28 + 1}/{i % 12 + 1}, ông Trần Văn Bình {i}, Phó Chủ tịch UBND huyện Kim Sơn, kiểm tra "
        f"{i + 3} công trình và {i % 90 + 5}% hộ dân đã nhận hỗ trợ {i + 2} triệu đồng." for i in range(sentences))


def batch_docs() -> list[dict]:
    docs = [{"id": f"short-{i}", "text": f"Chiều {i + 1}/6, đoàn kiểm tra {i + 2} xã.", "published_at": "2024-06-30"}
            for i in range(6)]
    docs.insert(2, {"id": "too-long", "text": long_text(), "published_at": "2024-06-30"})
    return docs


@pytest.fixture(scope="module")
def docs_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("budget") / "docs.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in batch_docs()), encoding="utf-8")
    return path


@pytest.mark.parametrize("options", [[], ["--jobs", "2"], ["--jobs", "2", "--unordered"]],
                         ids=["serial", "jobs2", "unordered"])
def test_cli_reports_the_document_over_budget_and_writes_the_rest(docs_file, tmp_path, options, capsys):
    out = tmp_path / "out.jsonl"
    code = main(["extract", str(docs_file), "-o", str(out), "--timeout", str(BUDGET), *options])
    err = capsys.readouterr().err
    assert code == 1
    ids = sorted(json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines())
    assert ids == [f"short-{i}" for i in range(6)]
    # Named by its input line or its id (which one the label map gives is the inputs' business).
    reported = [line for line in err.splitlines() if "DocumentTimeout" in line]
    assert len(reported) == 1 and f"extraction took longer than {BUDGET:g} s" in reported[0]
    assert "docs.jsonl:3:" in reported[0] or ": too-long:" in reported[0]
    summary = err.splitlines()[-1]
    assert "1 of 7 documents failed and were skipped: " in summary
    assert summary.endswith(("docs.jsonl:3", "too-long"))


def test_cli_without_a_budget_extracts_the_long_document(tmp_path, capsys):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": "long", "text": long_text(300)}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["extract", str(path), "-o", str(tmp_path / "out.jsonl"), "--timeout", "0"]) == 0


def test_timeout_option_must_be_a_number(docs_file, capsys):
    for bad in ("soon", "nan", "-1", "inf"):
        assert main(["extract", str(docs_file), "--timeout", bad]) == 2
        assert "--timeout must be a number" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", [1, 2])
def test_extract_many_skips_and_reports_the_document_over_budget(jobs):
    errors = []
    got = list(extractor.extract_many(batch_docs(), jobs=jobs, timeout=BUDGET,
                                      on_error=lambda index, doc_id, message: errors.append((index, doc_id, message))))
    assert [r.id for r in got] == [f"short-{i}" for i in range(6)]
    assert [(i, d) for i, d, _ in errors] == [(2, "too-long")]
    assert errors[0][2].startswith("DocumentTimeout")


def test_the_budget_holds_off_the_main_thread_too():
    # No timer signal reaches a thread: the readers' own checks end the document there.
    result = {}
    thread = threading.Thread(target=lambda: result.update(
        outcomes=list(run_batch(batch_docs()[1:4], jobs=1, timeout=BUDGET))))
    thread.start()
    thread.join(120)
    assert not thread.is_alive()
    assert [o.ok for o in result["outcomes"]] == [True, False, True]
    assert "longer than" in result["outcomes"][1].error


def test_settings_give_the_default_budget(tmp_path):
    overlay = tmp_path / "rules"
    overlay.mkdir()
    (overlay / "settings.json").write_text(json.dumps({"extract": {"timeout_seconds": BUDGET}}), encoding="utf-8")
    outcomes = list(run_batch(batch_docs()[1:4], jobs=1, rules=str(overlay)))
    assert [o.ok for o in outcomes] == [True, False, True]


def test_an_overrun_is_never_swallowed_into_a_partial_record():
    # The pipeline catches a failing component to keep the other families; an overrun is not
    # a component's failure: it must end the document.
    pipeline = get_pipeline()
    with pytest.raises(DocumentTimeout):
        with document_budget(0.05):
            pipeline.extract_text(long_text(400))


class _StallingComponent:
    """A component whose reader does not advance, as the officials reader once did at 'Đoàn X'."""

    name = "officials"
    uses_underthesea = False

    def __call__(self, document):
        position = 0
        while position < len(document.text):
            position = advanced(position, position, "stalling reader")
        return []


def test_a_stalled_reader_is_the_documents_error_not_a_missing_family():
    pipeline = Pipeline(components=("dates",))
    pipeline.components.append(_StallingComponent())
    with pytest.raises(ReaderStalled, match="stalling reader did not advance at token 0"):
        pipeline.extract_text("Chiều 21/5, họp.")


def test_check_is_silent_without_a_budget_and_raises_past_it():
    check()
    with pytest.raises(DocumentTimeout):
        with document_budget(0.01):
            while True:  # ends: the budget check raises once 0.01 s have passed
                check()


def test_a_callers_own_alarm_timer_is_left_alone():
    import signal

    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        with document_budget(5):
            extractor.extract_text("Chiều 21/5, họp.")
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0  # the caller's timer still runs
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not fired


def test_settings_extract_section_is_the_clis_defaults(tmp_path, capsys):
    overlay = tmp_path / "rules"
    overlay.mkdir()
    (overlay / "settings.json").write_text(json.dumps({"extract": {"max_input_bytes": 100}}), encoding="utf-8")
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text("Chiều 21/5, họp.", encoding="utf-8")
    big.write_text("Chiều 21/5, đoàn công tác làm việc với xã. " * 10, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(small), str(big), "-o", str(out), "--rules", str(overlay)]) == 1
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    assert "big.txt" in capsys.readouterr().err
    wrong = tmp_path / "wrong-rules"  # rules are loaded once per folder: a new folder
    wrong.mkdir()
    (wrong / "settings.json").write_text(json.dumps({"extract": {"jobs": 0}}), encoding="utf-8")
    assert main(["extract", str(small), "--rules", str(wrong)]) == 2
    assert "extract.jobs must be an integer >= 1" in capsys.readouterr().err
