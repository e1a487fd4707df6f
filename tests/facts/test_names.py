"""Where a name ends and starts (extractor/facts/officials/names.py), on real tokens and underthesea's
real word dictionary; the whole officials component's view of the same cases is in the corpus
(corpus/phrases/officials.jsonl, the "run-on" and "foreign name" phrases)."""

from __future__ import annotations

from extractor.facts.officials.lexicon import HONORIFIC
from extractor.facts.officials.names import (_written_alone, dictionary_words, foreign_tail_end, run_on_end,
                                             style_start)
from extractor.facts.officials.titles import TitleReader


def reader(text: str) -> TitleReader:
    return TitleReader.from_text(text)


def index(r: TitleReader, word: str) -> int:
    return next(k for k, tok in enumerate(r.tokens) if r.view.span_text(k, k + 1) == word)


def test_the_dictionary_is_underthesea_words():
    words = dictionary_words()
    assert len(words) > 10_000
    assert {"liên quan", "tiến sĩ", "quang cảnh", "động viên"} <= words
    assert "cương liên" not in words


def test_a_run_on_syllable_leaves_a_name_the_document_writes_alone():
    r = reader("ĐBQH Nguyễn Sỹ Cương phát biểu. ĐBQH Nguyễn Sỹ Cương Liên quan đến câu hỏi.")
    second = [k for k, tok in enumerate(r.tokens) if r.view.span_text(k, k + 1) == "Nguyễn"][1]
    assert r.view.span_text(second, run_on_end(r.tokens, r.view.text, second, second + 4, dictionary_words())) \
        == "Nguyễn Sỹ Cương"


def test_a_name_the_document_writes_whole_keeps_its_last_syllable():
    r = reader("Ông Trịnh Minh Hậu, Giám đốc Sở. Ông Trịnh Minh Hậu sinh năm 1975.")
    second = [k for k, tok in enumerate(r.tokens) if r.view.span_text(k, k + 1) == "Trịnh"][1]
    assert run_on_end(r.tokens, r.view.text, second, second + 3, dictionary_words()) == second + 3


def test_a_three_syllable_name_written_once_is_kept():
    r = reader("Giám đốc Sở Công Thương Đỗ Minh Hải quan tâm đến dự án.")
    k = index(r, "Đỗ")
    assert run_on_end(r.tokens, r.view.text, k, k + 3, dictionary_words()) == k + 3


def test_written_alone_needs_whole_words():
    assert not _written_alone("Ông Lê Văn Anh và Lê Văn Ang", "Lê Văn An", " X")
    assert _written_alone("Ông Lê Văn An, bà Hoa", "Lê Văn An", " Hoa")
    assert not _written_alone("Ông Lê Văn An Hoa", "Lê Văn An", " Hoa")


def test_foreign_tail_takes_initials_hyphens_and_particles():
    r = reader("Tổng thống George W. Bush và Quốc vương Sabah Al-Ahmad Al-Jaber, Thái tử Mohammed bin Salman bin Abdulaziz dự.")
    k = index(r, "George")
    assert r.view.span_text(k, foreign_tail_end(r.tokens, r.view.hits, k, k + 2, frozenset({"bin"}))) == "George W. Bush"
    k = index(r, "Sabah")
    assert r.view.span_text(k, foreign_tail_end(r.tokens, r.view.hits, k, k + 2, frozenset({"bin"}))) \
        == "Sabah Al-Ahmad Al-Jaber"
    k = index(r, "Mohammed")
    assert r.view.span_text(k, foreign_tail_end(r.tokens, r.view.hits, k, k + 3, frozenset({"bin"}))) \
        == "Mohammed bin Salman bin Abdulaziz"


def test_a_vietnamese_initial_does_not_run_into_the_next_sentence():
    r = reader("Nghi phạm Nguyễn Văn T. Bà Lê Thị Hoa cho biết.")
    k = index(r, "Nguyễn")
    assert foreign_tail_end(r.tokens, r.view.hits, k, k + 3, frozenset()) == k + 3


def test_styles_and_a_capitalized_honorific_are_left_out():
    r = reader("Samdech Techo Hun Sen. Ông Kengo Ishida. Sheikh Tamim.")
    styles = frozenset({"samdech", "techo", "sheikh"})
    k = index(r, "Samdech")
    assert r.view.span_text(style_start(r.tokens, r.view.hits, k, k + 4, styles, HONORIFIC), k + 4) == "Hun Sen"
    k = index(r, "Ông")
    assert r.view.span_text(style_start(r.tokens, r.view.hits, k, k + 3, styles, HONORIFIC), k + 3) == "Kengo Ishida"
    k = index(r, "Sheikh")
    assert r.view.span_text(style_start(r.tokens, r.view.hits, k, k + 2, styles, HONORIFIC), k + 2) == "Tamim"
