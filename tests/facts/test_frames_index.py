"""The frames and qualifiers looked up by their first or last word (extractor/facts/officials/frames.py)
answer exactly what the plain lookup, every length at every position, answers: on the corpus
articles' tokens, at every token, and on phrases written for this test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.document import Document
from extractor.facts.officials.frames import Frames, load_frames
from extractor.facts.officials.lexicon import load_lexicon
from extractor.facts.officials.titles import TitleReader
from extractor.nlp import TOKEN_RE
from extractor.normalize import normalize_text
from extractor.rules_loader import load_rules

REPO = Path(__file__).resolve().parents[2]
ARTICLES = sorted((REPO / "corpus" / "articles").glob("*.json")) + sorted((REPO / "corpus" / "holdout").glob("*.json"))
# Written for this test: frames and qualifiers at the edges of the tokens, stacked, in capitals.
OWN_TEXTS = [
    "được bầu giữ chức Phó Chủ tịch UBND tỉnh (cũ)",
    "Trước khi được bầu, ông A là Bí thư Huyện ủy Lâm Hà cũ; thôi giữ chức Giám đốc Sở trước sáp nhập",
    "ĐƯỢC BỔ NHIỆM GIỮ CHỨC VỤ: Chánh Văn phòng (mới) và miễn nhiệm chức vụ",
    "cũ", "(", "",
]


def _plain_frame_ending_at(frames: Frames, lowers: list[str], end: int, start: int) -> tuple | None:
    longest = max(map(len, frames.frames), default=0)
    for length in range(min(longest, end - start), 0, -1):
        frame = frames.frames.get(tuple(lowers[end - length:end]))
        if frame is not None:
            return end - length, frame
    return None


def _plain_qualifier_at(frames: Frames, lowers: list[str], k: int) -> tuple | None:
    longest = max(map(len, frames.qualifiers), default=0)
    for length in range(min(longest, len(lowers) - k), 0, -1):
        found = frames.qualifiers.get(tuple(lowers[k:k + length]))
        if found is not None:
            return (k + length,) + found
    return None


def _plain_qualifier_when(frames: Frames, title: str) -> str | None:
    words = TOKEN_RE.findall(normalize_text(title).lower())
    longest = max(map(len, frames.qualifiers), default=0)
    for length in range(min(longest, len(words) - 1), 0, -1):
        found = frames.qualifiers.get(tuple(words[-length:]))
        if found is not None:
            return found[0]
    return None


def _token_lists() -> list[list[str]]:
    rules = load_rules()
    lexicon = load_lexicon(rules)
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in ARTICLES] + OWN_TEXTS
    return [TitleReader.for_document(Document(text=normalize_text(t), rules=rules), lexicon).lowers for t in texts]


@pytest.fixture(scope="module")
def frames() -> Frames:
    return load_frames(load_rules())


def test_the_rules_have_frames_and_qualifiers_to_find(frames):
    assert frames.frames and frames.qualifiers and any(len(p) > 1 for p in frames.frames)


def test_frames_and_qualifiers_by_word_match_the_plain_lookup(frames):
    found = 0
    for lowers in _token_lists():
        for k in range(len(lowers) + 1):
            for start in {0, max(0, k - 3), k}:
                expected = _plain_frame_ending_at(frames, lowers, k, start)
                assert frames.frame_ending_at(lowers, k, start) == expected, (lowers[max(0, k - 6):k], start)
                found += expected is not None
            expected_q = _plain_qualifier_at(frames, lowers, k)
            assert frames.qualifier_at(lowers, k) == expected_q, lowers[k:k + 6]
            found += expected_q is not None
    assert found > 10  # the corpus holds frames and qualifiers: the comparison saw hits, not only misses


def test_qualifier_when_matches_the_plain_lookup(frames):
    titles = [" ".join(lowers[k:k + n]) for lowers in _token_lists()[-len(OWN_TEXTS):]
              for k in range(len(lowers)) for n in (1, 3, 6, 9)]
    titles += ["Bí thư Tỉnh ủy Tuyên Quang mới", "Chủ tịch UBND tỉnh Bình Định (cũ)", "Bí thư Tỉnh ủy", ""]
    assert any(_plain_qualifier_when(frames, t) for t in titles)
    for title in titles:
        assert frames.qualifier_when(title) == _plain_qualifier_when(frames, title), title
