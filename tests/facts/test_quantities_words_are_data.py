"""The quantities engine holds no Vietnamese word (issue 16): what a function word does around a
number is the column "meaning" of rules/quantities/words.tsv (range_from, range_to, at_least_after,
default_currency, …), "and a half" and the links of spelled numbers are roles of number_words.tsv,
and a bad row fails loudly, naming the file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from extractor.facts.quantities import find_quantities
from extractor.facts.quantities.lexicon import WORD_MEANINGS, quantity_lexicon
from extractor.rules_loader import RulesError, load_rules

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_dates_words_are_data import words_in_code  # noqa: E402  (one checker for both engines)

ROOT = Path(__file__).resolve().parents[2] / "extractor"
CODE = sorted((ROOT / "facts" / "quantities").glob("*.py")) + [ROOT / "numbers.py"]


@pytest.mark.parametrize("path", CODE, ids=lambda p: p.name)
def test_no_vietnamese_word_is_compared_in_code(path):
    assert not words_in_code(path)


def test_the_checker_sees_a_word_in_code(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text('"""Docstrings may quote "đến"."""\nRANGE = " đến "  # comments too: "tới"\n', encoding="utf-8")
    assert words_in_code(source) == ["sample.py:2: ' đến '"]


def test_every_meaning_has_its_words():
    words = quantity_lexicon(load_rules()).words
    assert set(words.by_meaning) == WORD_MEANINGS
    assert all(words[meaning] for meaning in WORD_MEANINGS)
    assert set(words.bound_after.values()) == {"at_least", "up_to"}
    assert words.links and quantity_lexicon(load_rules()).unit(words.default_currency).kind == "money"


def _rules(tmp_path, text: str):
    (tmp_path / "quantities").mkdir(exist_ok=True)
    (tmp_path / "quantities" / "words.tsv").write_text(text, encoding="utf-8")
    return load_rules(tmp_path)


def test_a_bad_meaning_names_the_file_and_the_row(tmp_path):
    with pytest.raises(RulesError, match=r"quantities/words\.tsv: bad row \['cho đến', 'until'\]"):
        quantity_lexicon(_rules(tmp_path, "cho đến\tuntil\n"))


def test_a_meaning_left_without_words_fails(tmp_path):
    with pytest.raises(RulesError, match=r"quantities/words\.tsv: no word for the meaning range_from"):
        quantity_lexicon(_rules(tmp_path, "!từ\n"))


def test_the_default_currency_must_be_a_money_unit(tmp_path):
    with pytest.raises(RulesError, match=r"default_currency must be one money unit"):
        quantity_lexicon(_rules(tmp_path, "#!replace\n" + _shipped_without("default_currency") + "hộ\tdefault_currency\n"))


def _shipped_without(meaning: str) -> str:
    rows = [row for row in load_rules().tsv("quantities/words.tsv") if row[1].strip() != meaning]
    return "".join("\t".join(row) + "\n" for row in rows)


def _facts(text: str, rules=None) -> list[tuple]:
    return [(f.text, f.value, f.unit, f.qualifier) for f in find_quantities(text, rules)]


def test_the_scanner_reads_the_words_by_meaning(tmp_path):
    text = "Mỗi suất từ 2 cho đến 3 triệu, trao 5 triệu cho 10 hộ từ 60 tuổi trở lên."
    shipped = _facts(text)
    assert ("5 triệu", 5_000_000, "đồng", None) in shipped
    assert ("10 hộ", 10, "hộ", None) in shipped
    assert not any(fact[0].startswith("từ 2") for fact in shipped)  # "cho đến" is no range word
    user = _rules(tmp_path, "#!replace\n" + _shipped_without("default_currency").replace("đến\trange_to", "cho đến\trange_to")
                  + "USD\tdefault_currency\n")
    found = _facts(text, user)
    assert ("từ 2", 2_000_000, "USD", "at_least") in found and ("3 triệu", 3_000_000, "USD", "up_to") in found
    assert ("5 triệu", 5_000_000, "USD", None) in found


def test_a_spelled_unit_number_stays_the_unit():
    assert _facts("sau mười năm") == [("mười năm", 10, "năm", None)]
    assert _facts("trong năm năm qua") == [("năm năm", 5, "năm", None)]
    assert _facts("hai năm rưỡi") == [("hai năm rưỡi", 2.5, "năm", None)]
