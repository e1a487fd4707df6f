"""No Vietnamese word is compared in `extractor/` code (issue 16): what a word means is a column
of a `rules/` file, read by meaning. The dates and quantities engines have their own stricter
tests (not even a letter); this one covers the whole package and allows, by name, the few
strings that are not language knowledge: the scoring contract SPEC fixes, warm-up sentences,
and the orthography tables of tone placement. Letters in a regex character class ("[A-ZĐÀ-Ỹ]")
and single letters are the alphabet, not words."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"

# (module path under extractor/, top-level name) → why its strings may hold Vietnamese words.
ALLOWED = {
    ("evaluate.py", "SCORING_ABBREVIATIONS"): "SPEC's scoring contract; a user's rules must not change scores",
    ("evaluate.py", "evaluate"): "a warm-up sentence, extracted and thrown away",
    ("pipeline.py", "WARM_UP_TEXT"): "a warm-up sentence",
    ("nlp.py", "preload_segmenter"): "warm-up words for underthesea's model",
    ("normalize.py", "_TONED_SECOND"): "orthography: where the tone mark sits, not words",
    ("normalize.py", "_TONED_FIRST"): "orthography: where the tone mark sits, not words",
}
_CHARACTER_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")
_VIETNAMESE_WORD = re.compile(r"[^\W\d_]*[À-ỹĐđ][^\W\d_]*")


def vietnamese_words(value: str) -> list[str]:
    """The words of two letters or more with a Vietnamese letter, outside character classes.

    >>> vietnamese_words("[A-ZĐÀ-Ỹ]\\\\w+ (?:đến|tới)"), vietnamese_words("đ"), vietnamese_words("USD")
    (['đến', 'tới'], [], [])
    """
    return [w for w in _VIETNAMESE_WORD.findall(_CHARACTER_CLASS.sub(" ", value)) if len(w) >= 2]


def test_a_word_is_two_letters_or_more_outside_character_classes():
    assert vietnamese_words(r"[A-ZĐÀ-Ỹ]\w+ (?:đến|tới)") == ["đến", "tới"]
    assert vietnamese_words("đ") == vietnamese_words("USD") == vietnamese_words(r"[^\]đ]x") == []


def _top_level_name(node: ast.stmt) -> str | None:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    names = [t.id for t in targets if isinstance(t, ast.Name)]
    return names[0] if names else None


def words_in_code(path: Path, package: Path = PACKAGE) -> list[str]:
    """Every string constant of the module (docstrings aside) that holds a Vietnamese word,
    unless its top-level definition is in ALLOWED."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = path.relative_to(package).as_posix()
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for statement in tree.body:
        if (module, _top_level_name(statement)) in ALLOWED:
            continue
        for node in ast.walk(statement):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and vietnamese_words(node.value)):
                found.append(f"{module}:{node.lineno}: {node.value[:60]!r}")
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_vietnamese_word_is_compared_in_code(path):
    assert not words_in_code(path)


def test_the_checker_sees_a_word_and_spares_what_is_allowed(tmp_path):
    package = tmp_path / "extractor"
    package.mkdir()
    source = package / "evaluate.py"
    source.write_text('"""Docstrings may quote "đến"."""\n'
                      'SCORING_ABBREVIATIONS = {"tp": "thành phố"}\n'
                      'CAPITAL = r"[A-ZĐ]\\w+"\n'
                      'RANGE = " đến "  # comments too: "tới"\n', encoding="utf-8")
    assert words_in_code(source, package) == ["evaluate.py:4: ' đến '"]


def test_every_allowed_name_still_exists():
    """An allowance outlives nothing: each named definition is still in its module."""
    for module, name in ALLOWED:
        tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
        assert name in {_top_level_name(statement) for statement in tree.body}, (module, name)
