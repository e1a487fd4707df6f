"""The dates component, run over its Duckling-style corpus (corpus/phrases/dates.tsv) and a few
properties the corpus cannot show: rule overlays, offsets after normalization, bad rules files.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from extractor.evaluate import evaluate, load_gold
from extractor.facts.dates import DatesComponent, extract_dates
from extractor.facts.dates.grammar import grammar_for
from extractor.pipeline import Pipeline
from extractor.rules_loader import Rules, RulesError

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus" / "phrases" / "dates.tsv"
ARTICLES = REPO / "corpus" / "articles"
ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")


def corpus_rows() -> list[tuple[int, str, str, str]]:
    """(line number, published, expected, phrasing) for every example line of the corpus."""
    rows = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        published, expected, phrasing = line.split("\t")
        rows.append((number, published, expected, ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), phrasing)))
    return rows


ROWS = corpus_rows()


def expected_facts(expected: str) -> list[tuple[str, str, str | None, bool | None]]:
    """ "date:2020-05-21@afternoon; year:2020!rel" → [("date", "2020-05-21", "afternoon", None),
    ("year", "2020", None, True)]: "!rel" marks a value resolved against the publication date."""
    if expected == "-":
        return []
    facts = []
    for item in expected.split("; "):
        item, relative, _ = item.partition("!rel")
        kind, _, rest = item.partition(":")
        value, _, part = rest.partition("@")
        facts.append((kind, value, part or None, True if relative else None))
    return facts


@pytest.fixture(scope="module")
def dates_only() -> Pipeline:
    return Pipeline(components=("dates",))


def test_corpus_is_big_enough():
    negatives = [row for row in ROWS if row[2] == "-"]
    assert len(ROWS) >= 150 and len(negatives) >= 40


@pytest.mark.parametrize("number,published,expected,phrasing", ROWS, ids=[f"line{r[0]}" for r in ROWS])
def test_corpus_phrasing(dates_only, number, published, expected, phrasing):
    record = dates_only.extract_text(phrasing, published_at=None if published == "-" else published)
    found = [(d.kind, d.value, d.part_of_day, d.relative) for d in record.dates]
    assert found == expected_facts(expected), f"line {number}: {phrasing!r}"
    for fact in record.dates:
        assert record.text[fact.start:fact.end] == fact.text


def test_spans_refer_to_the_normalized_text(dates_only):
    text = unicodedata.normalize("NFD", "Chiều\u00a021/5,\u200b hội nghị giai đoạn 2016 \u2014 2021")
    record = dates_only.extract_text(text, published_at="2020-05-22")
    assert [(d.text, d.value) for d in record.dates] == [("Chiều 21/5", "2020-05-21"),
                                                         ("giai đoạn 2016 – 2021", "2016/2021")]


def test_without_publication_date_the_text_anchors_the_year(dates_only):
    record = dates_only.extract_text("Chiều 26/7, UBND tỉnh họp phiên thường kỳ tháng 7/2022.")
    assert [d.value for d in record.dates] == ["2022-07-26", "2022-07"]


def test_relative_words_need_a_publication_date(dates_only):
    assert dates_only.extract_text("Sáng nay, đoàn đến thăm xã.").dates == []


def test_a_unit_word_on_the_next_line_does_not_make_a_day_a_count(dates_only):
    # A title that ends with a date, then the lead opening with "Ngày" (also a unit, "3 ngày").
    record = dates_only.extract_text("Khách được vào tham quan từ 8/10\nNgày 30/9, tỉnh công bố kế hoạch.",
                                     published_at="2020-10-01")
    assert [(d.text, d.value) for d in record.dates] == [("8/10", "2020-10-08"), ("Ngày 30/9", "2020-09-30")]
    same_line = dates_only.extract_text("Khách được vào tham quan từ 8/10 ngày.", published_at="2020-10-01")
    assert same_line.dates == []


def test_a_user_rules_folder_extends_the_word_lists(tmp_path):
    from datetime import date

    (tmp_path / "dates").mkdir()
    # A new part-of-day word and a new weekday abbreviation, both as data.
    (tmp_path / "dates" / "parts_of_day.tsv").write_text("ban mai\tmorning\n", encoding="utf-8")
    (tmp_path / "dates" / "weekdays.tsv").write_text("T6\t5\n", encoding="utf-8")
    text = "Ban mai 21/5 và T6 22/5"
    assert extract_dates(text, grammar_for(Rules()), date(2020, 5, 22)) == []
    facts = extract_dates(text, grammar_for(Rules((tmp_path,))), date(2020, 5, 22))
    assert [(f.text, f.value, f.part_of_day) for f in facts] == [
        ("Ban mai 21/5", "2020-05-21", "morning"), ("T6 22/5", "2020-05-22", None)]


def test_a_user_rules_folder_can_remove_a_trigger(tmp_path):
    from datetime import date

    (tmp_path / "dates").mkdir()
    (tmp_path / "dates" / "triggers.txt").write_text("!vào\n", encoding="utf-8")
    shipped = extract_dates("Họp vào 21/5 tại quận.", grammar_for(Rules()), date(2020, 5, 22))
    trimmed = extract_dates("Họp vào 21/5 tại quận.", grammar_for(Rules((tmp_path,))), date(2020, 5, 22))
    assert [f.value for f in shipped] == ["2020-05-21"]
    assert trimmed == []


def test_a_user_rule_reuses_a_production(tmp_path):
    from datetime import date

    (tmp_path / "dates").mkdir()
    (tmp_path / "dates" / "patterns.json").write_text(
        '{"rules": [{"name": "year_with_abbreviation", "production": "year",'
        ' "pattern": "(?<!\\\\w)N\\\\.\\\\s*{Y}(?!\\\\d)"}]}', encoding="utf-8")
    facts = extract_dates("Kế hoạch N. 2021 đã hoàn thành.", grammar_for(Rules((tmp_path,))), date(2020, 5, 22))
    assert [(f.kind, f.value) for f in facts] == [("year", "2021")]


def test_a_user_rules_folder_extends_lunar_markers_and_year_words(tmp_path):
    from datetime import date

    (tmp_path / "dates").mkdir()
    # A lunar marker (a not-a-date phrase) and a word between "năm" and the year, both as data.
    (tmp_path / "dates" / "not_dates.txt").write_text("\\d\\d?/\\d\\d? theo lịch trăng\n", encoding="utf-8")
    (tmp_path / "dates" / "year_words.txt").write_text("kế hoạch\n", encoding="utf-8")
    text = "Ngày 14/4 theo lịch trăng, năm kế hoạch 2021"
    shipped = extract_dates(text, grammar_for(Rules()), date(2020, 5, 22))
    extended = extract_dates(text, grammar_for(Rules((tmp_path,))), date(2020, 5, 22))
    assert [f.value for f in shipped] == ["2020-04-14"]
    assert [(f.text, f.value) for f in extended] == [("năm kế hoạch 2021", "2021")]


def test_one_match_may_give_two_facts(dates_only):
    # The dawn's match also reads the night before it: two facts, each with its own span.
    record = dates_only.extract_text("Đêm 30 rạng sáng 31/12, mưa lớn.", published_at="2021-01-03")
    assert [(d.text, d.value, d.part_of_day) for d in record.dates] == [
        ("Đêm 30", "2020-12-30", "night"), ("rạng sáng 31/12", "2020-12-31", "morning")]


def test_lone_clock_times_take_the_preceding_date_when_the_setting_asks(tmp_path):
    text = "Sáng 21/5, hội nghị khai mạc. Lúc 9 giờ 15 phút, đại biểu bỏ phiếu."
    (tmp_path / "settings.json").write_text('{"dates": {"anchor_lone_times": true}}', encoding="utf-8")
    shipped = Pipeline(components=("dates",)).extract_text(text, published_at="2020-05-22")
    anchored = Pipeline(Rules((tmp_path,)), components=("dates",)).extract_text(text, published_at="2020-05-22")
    assert [d.value for d in shipped.dates] == ["2020-05-21"]
    assert [(d.text, d.value) for d in anchored.dates] == [("Sáng 21/5", "2020-05-21"),
                                                           ("Lúc 9 giờ 15 phút", "2020-05-21T09:15")]


def test_a_broken_rules_file_names_itself(tmp_path):
    (tmp_path / "dates").mkdir()
    (tmp_path / "dates" / "not_dates.txt").write_text("(unclosed\n", encoding="utf-8")
    with pytest.raises(RulesError, match="not_dates.txt"):
        DatesComponent(Rules((tmp_path,)))


def test_the_grammar_is_compiled_once_per_rules_object():
    rules = Rules()
    assert DatesComponent(rules).grammar is DatesComponent(rules).grammar


@pytest.mark.skipif(not any(ARTICLES.glob("*.json")), reason="no annotated articles")
def test_dates_score_on_the_annotated_corpus(dates_only):
    def run(article):
        return dates_only.extract_text(article["text"], published_at=article.get("published_at")).to_dict()

    report = evaluate(load_gold([ARTICLES]), run)
    assert report.totals["dates"].f1 >= 0.95, report.errors()


def test_month_day_values_are_schema_valid_and_scored(dates_only):
    # No published_at and no year anywhere: "--MM-DD" (issue 11), valid for the schema and the evaluator.
    import json

    import jsonschema

    from extractor.evaluate import score_article
    from extractor.record import SCHEMA_PATH

    record = dates_only.extract_text("Chiều 6/2, đoàn công tác làm việc tại xã.").to_dict()
    assert [(d["kind"], d["value"]) for d in record["dates"]] == [("date", "--02-06")]
    jsonschema.validate(record, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    gold = {"id": "x", "dates": [{"kind": "date", "value": "--02-06"}], "officials": [], "quantities": []}
    assert score_article(gold, record).tallies["dates"].f1 == 1.0
    assert score_article({**gold, "dates": [{"kind": "date", "value": "--02-07"}]}, record).tallies["dates"].f1 == 0.0


def test_relative_values_say_so(dates_only):
    record = dates_only.extract_text("Hôm qua, đoàn làm việc. Ngày 12/3, hội đồng họp.", published_at="2024-03-14").to_dict()
    assert [(d["value"], d.get("relative")) for d in record["dates"]] == [("2024-03-13", True), ("2024-03-12", None)]
