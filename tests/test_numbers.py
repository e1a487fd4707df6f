"""Vietnamese number parsing: examples, and a property test over every supported formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.numbers import number_lexicon, parse_digits, parse_number_decimal, parse_vietnamese_number

from .number_spelling import format_digits, number_to_words


@pytest.mark.parametrize("text, value", [
    ("30.778", 30778), ("1,5", 1.5), ("1.234,56", 1234.56), ("100.000", 100000), ("1000", 1000),
    ("2,3 triệu", 2_300_000), ("10 nghìn", 10_000), ("10 ngàn", 10_000), ("1,5 tỷ", 1_500_000_000),
    ("1,5 tỉ", 1_500_000_000), ("1,2 nghìn tỷ", 1_200_000_000_000), ("5 tỷ 650 triệu", 5_650_000_000),
    ("207.689 tỉ", 207_689_000_000_000), ("6,891 tỉ", 6_891_000_000), ("2 triệu 500 nghìn", 2_500_000),
    ("một triệu rưỡi", 1_500_000), ("hai", 2), ("mười", 10), ("mười lăm", 15), ("mười một", 11),
    ("hai mươi", 20), ("hai mươi mốt", 21), ("hai mươi tư", 24), ("ba mươi lăm", 35), ("ba trăm", 300),
    ("ba trăm linh năm", 305), ("một trăm lẻ một", 101), ("một nghìn", 1000), ("hai triệu", 2_000_000),
    ("hai nghìn không trăm hai mươi", 2020), ("chín trăm chín mươi chín", 999), ("Hai Mươi", 20),
])
def test_parses(text, value):
    assert parse_vietnamese_number(text) == value


@pytest.mark.parametrize("text", [
    "một số", "nhiều", "các", "vài", "", "tư", "mốt", "lăm", "mươi", "trăm", "triệu", "hai hai",
    "4.0", "13.11", "1.5", "0912", "1,2,3", "12a", "ba mươi mươi",
])
def test_not_numbers(text):
    assert parse_vietnamese_number(text) is None


def test_results_are_exact():
    assert parse_number_decimal("6,891 tỉ") == Decimal("6891000000")
    assert isinstance(parse_vietnamese_number("1,5 tỷ"), int)
    assert isinstance(parse_vietnamese_number("7,23"), float)


def test_number_words_come_from_rules():
    lexicon = number_lexicon()
    assert lexicon.words["lăm"].role == "after_tens" and lexicon.scales["tỉ"] == 1_000_000_000


# -- property tests: format n in each supported style, parse it back ------------------------------

WHOLE = st.integers(min_value=0, max_value=10**12)


@given(WHOLE)
def test_plain_digits_round_trip(n):
    assert parse_vietnamese_number(format_digits(n, grouped=False)) == n


@given(WHOLE)
def test_grouped_digits_round_trip(n):
    text = format_digits(n)
    assert parse_vietnamese_number(text) == n
    assert parse_digits(text) == n


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_decimal_comma_round_trip(d):
    assert parse_number_decimal(format_digits(d)) == d


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from([("nghìn", 3), ("ngàn", 3), ("triệu", 6),
                                                                     ("tỷ", 9), ("tỉ", 9)]))
def test_scale_word_round_trip(thousandths, scale):
    # "2,345 triệu": a decimal mantissa with up to three decimals, times the scale word.
    word, exponent = scale
    mantissa = Decimal(thousandths) / 1000
    expected = mantissa * 10**exponent
    assert parse_number_decimal(f"{format_digits(mantissa)} {word}") == expected


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=999))
def test_compound_round_trip(billions, millions):
    assert parse_vietnamese_number(f"{billions} tỷ {millions} triệu") == billions * 10**9 + millions * 10**6


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_number_words_round_trip(n):
    assert parse_vietnamese_number(number_to_words(n)) == n


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["nghìn", "triệu", "tỷ"]))
def test_words_with_scale_round_trip(n, scale):
    multiplier = {"nghìn": 10**3, "triệu": 10**6, "tỷ": 10**9}[scale]
    assert parse_vietnamese_number(f"{number_to_words(n)} {scale}") == n * multiplier


def test_one_number_words_table():
    # Quantities, dates and the number parser read the same table (dates: one to twelve, by role).
    from pathlib import Path

    from extractor.facts.dates.grammar import counting_words
    from extractor.rules_loader import load_rules

    rules_dir = Path(__file__).resolve().parents[1] / "rules"
    assert [p.relative_to(rules_dir).as_posix() for p in rules_dir.rglob("number_words*")] == ["quantities/number_words.tsv"]
    months = counting_words(load_rules())
    assert {parse_vietnamese_number(word) for word in months} == set(range(1, 13))
    assert all(parse_vietnamese_number(word) == value for word, value in months.items())
