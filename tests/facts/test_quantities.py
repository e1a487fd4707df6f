"""The quantities corpus (corpus/phrases/quantities.tsv) and the quantity rules around it.

Every corpus line is run through the quantities component on its own (no dates component), so
date and ordinal look-alikes must be rejected by the quantity rules themselves.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractor import extract_text
from extractor.document import Document
from extractor.facts.quantities import SEGMENTER_STATS, QuantitiesComponent, find_quantities
from extractor.normalize import normalize_text
from extractor.record import DateFact, QUALIFIERS, QUANTITY_KINDS
from extractor.rules_loader import load_rules

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "phrases" / "quantities.tsv"


@dataclass(frozen=True)
class Expected:
    kind: str
    value: float
    total: float | None
    unit: str
    qualifier: str | None
    text: str


def _parse_expected(field: str) -> list[Expected]:
    if field.strip() == "-":
        return []
    facts = []
    for item in field.split("; "):
        spec, text = item.split("=", 1)
        parts = spec.split(":")
        kind, number, unit = parts[0], parts[1], parts[2]
        qualifier = parts[3] if len(parts) > 3 else None
        value, _, total = number.partition("/")
        facts.append(Expected(kind, float(value), float(total) if total else None, unit, qualifier, text))
    return facts


def _corpus() -> list[tuple[list[Expected], str]]:
    rows = []
    with CORPUS.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            expected, phrasing = next(csv.reader([line.rstrip("\n")], delimiter="\t"))
            rows.append((_parse_expected(expected), phrasing))
    return rows


CORPUS_ROWS = _corpus()


def _observed(phrasing: str) -> list[Expected]:
    text = normalize_text(phrasing)
    facts = QuantitiesComponent(load_rules())(Document(text=text, rules=load_rules()))
    for fact in facts:
        assert text[fact.start:fact.end] == fact.text
    return [Expected(f.kind, float(f.value), None if f.total is None else float(f.total), f.unit, f.qualifier, f.text)
            for f in facts]


def test_corpus_size_and_negatives():
    assert len(CORPUS_ROWS) >= 120
    assert sum(1 for expected, _ in CORPUS_ROWS if not expected) >= 30
    kinds = {fact.kind for expected, _ in CORPUS_ROWS for fact in expected}
    assert kinds == set(QUANTITY_KINDS)
    assert {fact.qualifier for expected, _ in CORPUS_ROWS for fact in expected} - {None} == set(QUALIFIERS)


@pytest.mark.parametrize("expected, phrasing", CORPUS_ROWS, ids=[p[:50] for _, p in CORPUS_ROWS])
def test_corpus_phrase(expected, phrasing):
    assert _observed(phrasing) == expected


def test_dates_claimed_spans_are_skipped():
    # A ratio-shaped date claimed by the dates component is never read as a quantity.
    text = "Sáng 7/7 phường họp, 7/7 phường đã công khai."
    document = Document(text=text, rules=load_rules())
    document.facts["dates"] = [DateFact(text="Sáng 7/7", start=0, end=8, kind="date", value="2020-07-07")]
    facts = QuantitiesComponent(load_rules())(document)
    assert [(f.text, f.start) for f in facts] == [("7/7 phường", 21)]


def test_pipeline_drops_nothing_and_keeps_spans():
    record = extract_text("Chiều 21/5, quận đã giải quyết 30.778 hồ sơ, đạt 98,5%.", published_at="2020-05-22")
    quantities = [(q.text, q.kind, q.value) for q in record.quantities]
    assert quantities == [("30.778 hồ sơ", "count", 30778), ("98,5%", "percent", 98.5)]
    assert all(record.text[q.start:q.end] == q.text for q in record.quantities)


def test_unknown_noun_is_segmented_once_per_window():
    # "sáng kiến" is not in units.tsv: the window after the number goes to underthesea, once.
    before = SEGMENTER_STATS.as_dict()
    for _ in range(3):
        facts = find_quantities("Công đoàn ghi nhận 41 sáng kiến kỹ thuật mới.")
        assert [(f.unit, f.value) for f in facts] == [("sáng kiến", 41)]
    after = SEGMENTER_STATS.as_dict()
    assert after["requests"] - before["requests"] == 3
    assert after["underthesea_calls"] - before["underthesea_calls"] <= 1


def test_lexicon_units_need_no_segmentation():
    before = SEGMENTER_STATS.as_dict()["requests"]
    find_quantities("Quận tiếp nhận 2.208 hồ sơ của 35 doanh nghiệp, trị giá 1,5 tỷ đồng.")
    assert SEGMENTER_STATS.as_dict()["requests"] == before


def test_user_rules_folder_adds_a_unit(tmp_path):
    (tmp_path / "quantities").mkdir()
    (tmp_path / "quantities" / "units.tsv").write_text("bao\tmeasure\tword\n", encoding="utf-8")
    (tmp_path / "quantities" / "not_units.txt").write_text("bao\n", encoding="utf-8")
    shipped = find_quantities("Hội trao 40 bao gạo.")
    custom = find_quantities("Hội trao 40 bao gạo.", rules=load_rules(tmp_path))
    assert [f.kind for f in custom] == ["measure"]
    assert [f.kind for f in shipped] != ["measure"]
