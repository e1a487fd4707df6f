"""The dates engine holds no Vietnamese word: what a word means is a column of `rules/dates/`
(period_units.tsv: "tháng" → month; connectors.tsv: "và" → list; time_leads.tsv: "lúc" → strong;
edges.tsv: "cuối" → end), as dateparser keys its language data by meaning, and the few phrases
the combiner reads are named fragments of patterns.json (RANGE_GAP, LIST_GAP, …)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from extractor.facts.dates.grammar import grammar_for
from extractor.rules_loader import RulesError, load_rules

DATES_DIR = Path(__file__).resolve().parents[2] / "extractor" / "facts" / "dates"
VIETNAMESE_LETTER = re.compile(r"[À-ỹĐđ]")


def words_in_code(path: Path) -> list[str]:
    """Every string constant with a Vietnamese letter outside docstrings: a word compared, listed or
    written into a regex in code (docstrings and comments may quote words, code may not)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [f"{path.name}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and VIETNAMESE_LETTER.search(node.value)]


@pytest.mark.parametrize("path", sorted(DATES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_no_vietnamese_word_is_compared_in_code(path):
    assert not words_in_code(path)


def test_the_meanings_come_from_the_rules():
    lexicon = grammar_for(load_rules()).lexicon
    assert set(lexicon.period_units.values()) == {"week", "month", "quarter", "year"}
    assert {unit for unit, _ in lexicon.relative_periods.values()} <= set(lexicon.period_units.values())
    assert lexicon.year_modifiers and all(isinstance(v, int) for v in lexicon.year_modifiers.values())
    assert set(lexicon.list_connectors) < set(lexicon.range_connectors)
    assert set(lexicon.time_leads.values()) == {"strong", "range"}


def test_a_relative_period_in_an_unknown_unit_fails_naming_the_file(tmp_path):
    (tmp_path / "dates").mkdir()
    (tmp_path / "dates" / "relative_periods.tsv").write_text("thập kỷ\ttrước\t-1\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"relative_periods\.tsv: 'thập kỷ' is no unit of dates/period_units\.tsv"):
        grammar_for(load_rules(tmp_path))


def test_a_user_unit_word_is_read_by_its_meaning(tmp_path):
    from datetime import date

    from extractor.facts.dates import extract_dates

    (tmp_path / "dates").mkdir()
    (tmp_path / "dates" / "period_units.tsv").write_text("tuầnlễ\tweek\n", encoding="utf-8")
    (tmp_path / "dates" / "relative_periods.tsv").write_text("tuầnlễ\ttrước\t-1\n", encoding="utf-8")
    facts = extract_dates("Tuầnlễ trước, xã họp.", grammar_for(load_rules(tmp_path)), date(2020, 5, 22))
    assert [(f.kind, f.value) for f in facts] == [("period", "2020-05-11/2020-05-17")]
