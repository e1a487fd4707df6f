"""first_day / last_day: the days every shape of date value covers (SPEC's value forms)."""

import pytest

import extractor
from extractor.days import day_span, iso_day_span
from extractor.record import DateFact

SHAPES = [
    ("2020-05-21", "2020-05-21", "2020-05-21"),
    ("2021-03-09T08:00", "2021-03-09", "2021-03-09"),
    ("2020-10", "2020-10-01", "2020-10-31"),
    ("2024-02", "2024-02-01", "2024-02-29"),       # leap year
    ("2023-02", "2023-02-01", "2023-02-28"),
    ("2020", "2020-01-01", "2020-12-31"),
    ("2021-Q1", "2021-01-01", "2021-03-31"),
    ("2019-Q4", "2019-10-01", "2019-12-31"),
    ("2016/2021", "2016-01-01", "2021-12-31"),
    ("2020-01/2020-06", "2020-01-01", "2020-06-30"),
    ("2020-01-01/2020-06-30", "2020-01-01", "2020-06-30"),
    ("2020/2021-Q2", "2020-01-01", "2021-06-30"),   # mixed grains
    ("2020-03-02T07:30/2020-03-08", "2020-03-02", "2020-03-08"),
    ("1947-07-27/2024-07-27", "1947-07-27", "2024-07-27"),
]


@pytest.mark.parametrize("value, first, last", SHAPES)
def test_every_value_shape_covers_its_days(value, first, last):
    assert iso_day_span(value) == (first, last)


@pytest.mark.parametrize("value", ["--02-06", "--12-19", "2021-02-30", "2021-13", "", None, "sometime", "--05-01/2020"])
def test_values_without_calendar_days_give_none(value):
    assert day_span(value) == (None, None)


def test_the_record_writes_both_days_and_null_for_a_month_day():
    fact = DateFact("ngày 6/2", 0, 8, "date", "--02-06")
    data = fact.to_dict()
    assert data["first_day"] is None and data["last_day"] is None
    fact.value = "2021-02-06"  # a value set late (another component) is still reflected
    assert fact.to_dict()["first_day"] == "2021-02-06" == fact.last_day


def test_extracted_records_carry_the_days_and_validate(record_validator):
    from ..conftest import assert_valid_record

    record = extractor.extract_text("Quý I/2021 và giai đoạn 2016 - 2020, sáng 14/3 họp.", published_at="2021-03-20").to_dict()
    assert_valid_record(record, record_validator)
    spans = {d["value"]: (d["first_day"], d["last_day"]) for d in record["dates"]}
    assert spans["2021-Q1"] == ("2021-01-01", "2021-03-31")
    assert spans["2016/2020"] == ("2016-01-01", "2020-12-31")
    assert spans["2021-03-14"] == ("2021-03-14", "2021-03-14")


def test_spacy_span_values_carry_the_days():
    import spacy

    import extractor.spacy_component  # noqa: F401  (registers the factory)
    from extractor.nlp import blank_nlp

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = blank_nlp().tokenizer
    nlp.add_pipe("vnextract", config={"published_at": "2020-05-22"})
    doc = nlp("Trong tháng 10/2020, thành phố họp.")
    values = [span._.vnextract for span in doc.spans["dates"]]
    assert values and values[0]["first_day"] == "2020-10-01" and values[0]["last_day"] == "2020-10-31"
