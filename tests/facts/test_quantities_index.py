"""The number-word runs of `UnitMatcher.index` are those of the guarded regex they replaced.

The not-scale guard ("tỷ lệ", "triệu tập" are no scale words) used to lead the number-word regex, so
`re` tried it at every character of every article; now a match is dropped after where a not-scale
word starts. Both must find the same runs: on hand-written phrases around the guard and on every
corpus article of the repository (and the shared dev set when it is beside the repo).
"""

from __future__ import annotations

import glob
import json
import re
from pathlib import Path

import pytest

from extractor.facts.quantities.lexicon import _LETTER_RE, _lowered, unit_matcher
from extractor.normalize import normalize_text
from extractor.rules_loader import load_rules

ROOT = Path(__file__).resolve().parents[2]


def _guarded_runs(matcher, text: str) -> list[tuple[int, int]]:
    """The runs as the former regex found them: the guard first, at every position."""
    pattern = re.compile(f"{matcher.lexicon.not_scale_guard}(?:{matcher.number_word_re.pattern})")
    lowered = _lowered(text)
    runs: list[tuple[int, int]] = []
    for match in pattern.finditer(lowered):
        start, end = match.span()
        if start and _LETTER_RE.match(lowered, start - 1):
            continue
        if runs and runs[-1][1] + 1 == start and text[start - 1] == " ":
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


PHRASES = [
    "Tỷ lệ hai mươi phần trăm hộ dân đồng ý, ba tỷ đồng được giải ngân.",
    "Huyện triệu tập bốn cuộc họp; tỉ giá tăng năm lần, hai triệu người theo dõi.",
    "một trăm tỷ trọng điểm, tỷ suất bảy phần, triệu phú thứ chín, mười tỉ phú",
    "hai tỷlệ ba, TỶ LỆ bốn, năm triệu chứng sáu, tỷ  lệ bảy",
]


def _corpus_texts() -> list[str]:
    paths = sorted(glob.glob(str(ROOT / "corpus" / "*" / "*.json")))
    dev = ROOT.parent / "shared" / "dev"
    paths += sorted(glob.glob(str(dev / "*.json")))
    texts = []
    for path in paths:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            texts.append(normalize_text(data["text"]))
    return texts


def test_phrases_around_the_guard_keep_their_runs():
    matcher = unit_matcher(load_rules())
    for text in PHRASES:
        assert matcher.index(text).number_words == _guarded_runs(matcher, text), text
    # the guard still works: "tỷ lệ" starts no run, "ba tỷ" is one
    first = PHRASES[0]
    runs = [first[a:b] for a, b in matcher.index(first).number_words]
    assert "ba tỷ" in runs and not any(r.lower().startswith("tỷ") for r in runs)


def test_every_corpus_article_keeps_its_runs():
    texts = _corpus_texts()
    if not texts:
        pytest.skip("no corpus articles found")
    matcher = unit_matcher(load_rules())
    for text in texts:
        assert matcher.index(text).number_words == _guarded_runs(matcher, text)
