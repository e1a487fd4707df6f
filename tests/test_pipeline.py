"""The pipeline's contract: no str crashes it, spans always hold, records validate."""

import json
import threading
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import extractor
from extractor.document import Document
from extractor.pipeline import Pipeline, resolve_overlaps
from extractor.record import DateFact, Quantity
from extractor.rules_loader import load_rules

from .conftest import assert_valid_record, corpus_articles

# Fragments chosen to collide: dates next to ratios, numbers with both separators, titles,
# names, old tone marks, NFD, odd spaces and dashes.
FRAGMENTS = [
    "Chiều 21/5", "15/15 lĩnh vực", "7/7 phường", "30.778 hồ sơ", "1,5 tỷ đồng", "98,5%", "giai đoạn 2016 – 2021",
    "ngày 19/12", "số 123/QĐ-UBND", "Đồng chí", "Đặng Bá Cường", "Ủy viên Ban Thường vụ Thành ủy", "Uỷ ban", "hoà",
    "UBND quận Đồ Sơn", "phường", "Thiếu tướng", "ông", "Cường", "trong 5 năm", "hơn", "khoảng", "quý I/2021",
    "8 giờ 30 phút", "14h30", "năm 2020", "tháng 10/2020", ",", ".", ";", ":", "–", "-", "/", "%", "(", ")", "\n\n",
    "\u00a0", "\u200b", " ", "  ", unicodedata.normalize("NFD", "Ủy ban nhân dân"), "0", "9", "1.234,56", "mức độ 3, 4",
    "các đồng chí:", "và", "Nguyễn", "Văn", "A", "x", "\t", "\r\n", "ﬁ", "İ", "ß", "\U0001F600",
]


def check(text: str, published_at=None) -> None:
    record = extractor.extract_text(text, published_at=published_at).to_dict()
    assert isinstance(record["text"], str)
    assert_valid_record(record, _VALIDATOR)


_VALIDATOR = None


@pytest.fixture(autouse=True)
def _validator(record_validator):
    global _VALIDATOR
    _VALIDATOR = record_validator


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_any_string_extracts_with_valid_spans(text):
    check(text)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(" ".join),
       st.sampled_from([None, "2020-05-22", "2021-01-03T08:00:00+07:00", "2025-11-24T08:33"]))
def test_adversarial_fragments_extract_with_valid_spans(text, published_at):
    check(text, published_at)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join))
def test_adversarial_fragments_glued_together(text):
    check(text)


def test_corpus_records_validate_against_the_schema(record_validator):
    articles = corpus_articles()
    assert articles, "corpus/articles is empty"
    for article in articles:
        record = extractor.extract_text(article["text"], published_at=article.get("published_at"),
                                        url=article.get("url"), title=article.get("title"), id=article["id"])
        data = record.to_dict()
        assert_valid_record(data, record_validator)
        assert data["id"] == article["id"] and data["site"]
        # to_dict / from_dict round trip keeps everything
        assert extractor.Record.from_dict(json.loads(record.to_json())).to_dict() == data


def test_text_is_normalized_and_offsets_refer_to_it():
    raw = unicodedata.normalize("NFD", "Chiều 21/5,\u00a0Uỷ ban   họp")
    record = extractor.extract_text(raw, published_at="2020-05-22")
    assert record.text == "Chiều 21/5, Ủy ban họp"


def test_id_is_input_id_else_stable_hash():
    a = extractor.extract_text("Ngày 1/1 họp.", url="https://haiphong.gov.vn/tin-tuc-su-kien/a-1")
    b = extractor.extract_text("Ngày 2/2 họp khác.", url="https://haiphong.gov.vn/tin-tuc-su-kien/a-1")
    c = extractor.extract_text("Ngày 1/1 họp.", id="given")
    assert a.id == b.id and len(a.id) == 16
    assert c.id == "given"
    assert a.site == "haiphong.gov.vn"


def test_overlaps_resolved_in_favour_of_earlier_family_and_longer_span():
    text = "Chiều 21/5 có 7/7 phường"
    doc = Document(text=text, rules=load_rules())
    doc.facts["dates"] = [DateFact("21/5", 6, 10, "date", "2020-05-21")]
    doc.facts["quantities"] = [Quantity("21/5", 6, 10, "ratio", 21, 5), Quantity("7/7 phường", 14, 24, "ratio", 7, 7, "phường"),
                               Quantity("7/7", 14, 17, "ratio", 7, 7)]
    resolve_overlaps(doc)
    assert [q.text for q in doc.facts["quantities"]] == ["7/7 phường"]
    assert [d.text for d in doc.facts["dates"]] == ["21/5"]


def test_a_failing_component_costs_only_its_family(caplog):
    pipeline = Pipeline()

    class Broken:
        name = "quantities"

        def __call__(self, document):
            raise RuntimeError("boom")

    pipeline.components = [c if c.name != "quantities" else Broken() for c in pipeline.components]
    record = pipeline.extract_text("Chiều 21/5, 30.778 hồ sơ.", published_at="2020-05-22")
    assert record.quantities == []
    assert "quantities failed" in caplog.text


def test_bad_offsets_from_a_component_are_dropped():
    pipeline = Pipeline()

    class Liar:
        name = "dates"

        def __call__(self, document):
            return [DateFact("21/5", 0, 4, "date", "2020-05-21")]  # text[0:4] is "Chiề"

    pipeline.components = [Liar() if c.name == "dates" else c for c in pipeline.components]
    assert pipeline.extract_text("Chiều 21/5.").dates == []


def test_thread_safe_extraction_gives_identical_records():
    texts = [a["text"] for a in corpus_articles()[:6]] or ["Chiều 21/5, 30.778 hồ sơ."]
    expected = [extractor.extract_text(t, published_at="2020-05-22").to_dict() for t in texts]
    results: dict[int, list] = {}

    def work(i):
        results[i] = [extractor.extract_text(t, published_at="2020-05-22").to_dict() for t in texts]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results.values())


def test_non_str_text_is_a_clear_error():
    with pytest.raises(TypeError, match="text must be str"):
        extractor.extract_text(b"bytes")  # type: ignore[arg-type]


def test_extract_html_minimal():
    record = extractor.extract_html("<html><head><title>Tin</title></head><body><h1>Tiêu đề</h1>"
                                    "<p>Chiều 21/5, đoàn làm việc.</p><p>Kết thúc.</p></body></html>",
                                    url="https://danang.gov.vn/web/guest/chi-tiet?id=1")
    assert record.title == "Tiêu đề"
    assert "Chiều 21/5, đoàn làm việc." in record.text and "Tiêu đề" not in record.text
    assert record.site == "danang.gov.vn"


def test_a_dates_only_pipeline_does_not_load_underthesea():
    import subprocess
    import sys

    code = ("import sys; from extractor.pipeline import Pipeline; "
            "p = Pipeline(components=('dates',)); "
            "print(p.extract_text('Chiều 21/5, họp.', published_at='2020-05-22').dates[0].value, "
            "'underthesea' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["2020-05-21", "False"]
