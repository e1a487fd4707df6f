"""The function and unit words of titles are data keyed by meaning (rules/officials/title_words.tsv),
read by a state machine (issue 16): the data drives the reader, a bad row fails loudly, and no such
word is compared in the reader's code."""

import ast
from pathlib import Path

import pytest

from extractor.document import Document
from extractor.facts.officials.frames import WORD_MEANINGS, load_title_words
from extractor.facts.officials.lexicon import load_lexicon
from extractor.facts.officials.titles import Kind, Part, TitleReader
from extractor.rules_loader import load_rules

OFFICIALS = Path(__file__).resolve().parents[2] / "extractor" / "facts" / "officials"


def _reader(text: str, rules) -> TitleReader:
    return TitleReader.for_document(Document(text=text, rules=rules), load_lexicon(rules))


def test_every_meaning_has_words_and_every_word_one_known_meaning():
    words = load_title_words(load_rules())
    assert set(words.by_meaning) == WORD_MEANINGS
    assert all(words[meaning] for meaning in WORD_MEANINGS)
    assert ("phụ", "trách") in words.dropped_at_end and ("và",) in words.dropped_at_end


def test_a_bad_meaning_names_the_file_and_the_row(tmp_path):
    (tmp_path / "officials").mkdir()
    (tmp_path / "officials" / "title_words.tsv").write_text("kèm\tbeside\tkeep\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"title_words\.tsv: bad row \['kèm', 'beside', 'keep'\]"):
        load_title_words(load_rules(tmp_path))


def test_the_words_come_from_the_data(tmp_path):
    text = "Phó Chủ tịch UBND tỉnh phụ trách. Giám đốc Sở Tài chính cùng Quy hoạch"
    shipped = _reader(text, load_rules())
    assert shipped.trim(0, 7) == 5  # "phụ trách" dangles: dropped
    (tmp_path / "officials").mkdir()
    (tmp_path / "officials" / "title_words.tsv").write_text("!phụ trách\ncùng\tand\tdrop\n", encoding="utf-8")
    user = _reader(text, load_rules(tmp_path))
    assert user.trim(0, 7) == 7  # no longer a word a title cannot end with
    view = user.view
    start = next(k for k, tok in enumerate(user.tokens) if tok[2] == "Giám")  # TEXT column
    read = user.read(start)
    assert "Tài chính cùng Quy" in view.span_text(read.start, read.end)  # "cùng" now joins a name
    plain = shipped.read(start)
    assert shipped.view.span_text(plain.start, plain.end) == "Giám đốc Sở Tài chính"


def test_the_deputy_prefixes_come_from_the_data(tmp_path):
    (tmp_path / "officials").mkdir()
    (tmp_path / "officials" / "title_words.tsv").write_text("!quyền\n", encoding="utf-8")
    assert _reader("Quyền Chánh án Tòa án tỉnh", load_rules()).head_end(0) == 3
    assert _reader("Quyền Chánh án Tòa án tỉnh", load_rules(tmp_path)).head_end(0) is None


def test_the_walk_is_an_enum_state_machine_with_a_handler_per_kind():
    assert set(TitleReader._HANDLERS) == set(Kind)
    assert {p.value for p in Part} >= {"head", "org", "orgname", "place"}


def test_no_title_word_is_compared_in_the_officials_code():
    words = {w for ws in load_title_words(load_rules()).by_meaning.values() for w in ws}
    for path in OFFICIALS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        literals = {node.value.lower() for node in ast.walk(tree) if isinstance(node, ast.Constant)
                    and isinstance(node.value, str) and id(node) not in docstrings}
        assert not literals & words, f"{path.name} compares {sorted(literals & words)} in code"
