"""The gated search of the date rules (extractor/facts/dates/scan.py) finds exactly what a full
`finditer` of every rule finds (so do the anchored not-a-date phrases), the trie-shaped word lists
match like plain alternations, and the fast `select` keeps what the plain one keeps.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from extractor.facts.dates import RuleMatches
from extractor.facts.dates.combine import select
from extractor.facts.dates.moments import Moment
from extractor.facts.dates.productions import Candidate
from extractor.facts.dates.grammar import alternation, grammar_for
from extractor.facts.dates.scan import LONG_SPACE_RE, has_long_space
from extractor.normalize import normalize_text
from extractor.rules_loader import load_rules

REPO = Path(__file__).resolve().parents[2]
ARTICLES = sorted((REPO / "corpus" / "articles").glob("*.json")) + sorted((REPO / "corpus" / "holdout").glob("*.json"))
PHRASES = REPO / "corpus" / "phrases" / "dates.tsv"

# Written for these tests: dates at the edges of the text, packed together, across a paragraph
# break, in capitals, after a long optional lead, and next to numbers that are not dates.
OWN_TEXTS = [
    "21/5",
    "Sáng hôm qua, Thứ Sáu, ngày 22/05/2020 (ngày hôm qua) họp; 7/7 phường; 1.500 tỷ đồng.",
    "CHIỀU NAY 14H30, NGÀY 3 THÁNG 9 NĂM 2025, QUÝ IV/2024, NĂM NGOÁI, TUẦN TỚI.",
    "Từ ngày 10-12/5 và 11/5/2021,\n\nngày\n\n15/6 năm nay; tháng 10 và 11/2025; năm 2019 và 2021.",
    "giai đoạn 2016 – 2021, nhiệm kỳ 2021-2026, 6 tháng đầu năm 2020, nửa cuối năm nay, "
    "từ đầu năm đến nay, thứ Hai tuần tới, lúc 8 giờ 30 phút, 08:33, 3 giờ rưỡi chiều.",
    "ngày 1/1" * 40 + " 2/2/2020" + "x" * 300 + " sáng nay",
    "các ngày 5, 6 và 7/3; tháng 4,5, 6 năm 2024; quý I, II và III/2024, quý I và II; Đêm 30 rạng sáng 31/12, "
    "đêm 9, và rạng sáng ngày 10/9; từ 1-5/3; 11 giờ kém 15; 9h15'; ngày 21/5/24; năm tài chính 2024.",
    "NGÀY 1 VÀ 2 THÁNG 6, QUÝ II, III NĂM 2024, TỪ 14 ĐẾN 16/5, 7 GIỜ KÉM 5 TỐI, THÁNG 4 VÀ 5 NĂM NAY.",
    "Những năm 1990, những năm 2000 và 2001, những năm 2010 - 2015, những năm 2020, 2021.",
    "Ông Hà Văn Tú (SN 1968), bà Lò Thị Mai (sn 1971), Sn:1975, SN1980, ASN 1990, SN 19, (SN 2001).",
]


# Written for these tests: phrases of rules/dates/not_dates.txt among dates and look-alikes.
NOT_DATE_TEXTS = [
    "Năm sau cao hơn năm trước, tháng sau nhiều hơn tháng trước; tuần sau đó họp, năm trước đó 3/4.",
    "Năm nay 92 tuổi, năm nay đã 80 tuổi; mồng 3 Tết, Mùng 10 tháng Giêng, mùng 1 tháng Chạp, đồng 5.",
    "Ngày 15/8 (âm lịch), tháng Giêng năm 2020 ÂL; 1/6 hằng năm, 2-9  mỗi năm; ông Lê Văn Sáng qua đời.",
    "Cách mạng tháng Tám, Cách mạng Tháng Mười, sau đó, trước đó, 10.000 đồng hàng năm.",
    "Trong những năm 1990, những năm 2000; những năm 2010 - 2015; ngày 10/3 năm Canh Tý.",
    "Quý tiếp tục tăng trưởng, năm tiếp tục đổi mới.",
    "Giá kim loại quý này, danh hiệu cao quý này; ông Lê Văn Quý sau đó, quý trước đó.",
    "Đường 3 Tháng 2, Quảng trường 19 Tháng 8, phố Ba Tháng Hai, Trường THPT Cách Mạng Tháng Tám.",
    "Chi phí của năm trước liền kề, so với quý trước liền kề, kỳ tiếp theo liền kề.",
]


def texts() -> list[str]:
    found = [normalize_text(json.loads(path.read_text(encoding="utf-8"))["text"]) for path in ARTICLES]
    for line in PHRASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            found.append(normalize_text(line.split("\t")[-1]))
    return found + OWN_TEXTS


def spans(matches) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


@pytest.fixture(scope="module")
def grammar():
    return grammar_for(load_rules())


def test_every_shipped_rule_has_a_gate_and_a_bounded_reach(grammar):
    # A rule left without either would silently fall back to the slow full scan.
    assert [r.name for r in grammar.rules if r.gate is None or r.reach is None] == []


@pytest.mark.parametrize("text", texts())
def test_gated_matches_equal_a_full_scan(grammar, text):
    matches = RuleMatches(text)
    for rule in grammar.rules:
        assert spans(matches(rule)) == spans(rule.regex.finditer(text)), rule.name


@pytest.mark.parametrize("text", texts() + NOT_DATE_TEXTS + [t.replace(" ", "   ") for t in NOT_DATE_TEXTS])
def test_not_dates_match_like_a_full_scan(grammar, text):
    short_spaces = RuleMatches(text).gated
    for not_date in grammar.not_dates:
        assert spans(not_date.finditer(text, short_spaces)) == spans(not_date.regex.finditer(text)), not_date.regex.pattern


def test_not_date_texts_match_every_not_date_phrase(grammar):
    found = {nd.regex.pattern for nd in grammar.not_dates for text in NOT_DATE_TEXTS if nd.regex.search(text)}
    assert found == {nd.regex.pattern for nd in grammar.not_dates}


@pytest.mark.parametrize("text", ["a \n b", "a\n\nb c", "a  b", "a   b", "a\t\n b", "x\xa0\xa0 y", "\n\n\n", "ab"])
def test_long_whitespace_runs_are_found_like_a_regex_scan(text):
    assert has_long_space(text) == (LONG_SPACE_RE.search(text) is not None)


@pytest.mark.parametrize("text", [
    "Chiều   21/5 họp.",            # a whitespace run longer than normalization leaves: full scan
    "Hôm qua ſáng nay, tuần ſau.",  # "ſ" matches "s" case-insensitively but does not lower to it
    "İ hôm nay 21/5, ngày mai.",    # lower-casing "İ" adds a character: gates read the text itself
])
def test_unusual_texts_fall_back_to_the_same_matches(grammar, text):
    matches = RuleMatches(text)
    found = 0
    for rule in grammar.rules:
        expected = spans(rule.regex.finditer(text))
        found += len(expected)
        assert spans(matches(rule)) == expected, rule.name
    assert found > 0


@pytest.mark.parametrize("words", [
    ["sáng", "sáng sớm", "buổi sáng", "sớm"],
    ["hôm nay", "ngày hôm nay", "hôm qua", "ngày hôm qua", "ngày mai", "nay", "qua", "mai"],
    ["a", "ab", "abc", "b", "a b", "a bc"],
])
def test_trie_alternation_matches_like_a_longest_first_alternation(words):
    plain = "(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True)) + ")"
    text = " ".join(words) + " " + " ".join(w.upper() for w in words) + " a  bcd sáng  sớm ab-c"
    for tail in ("", r"(?!\w)", r"\s+\w"):
        trie = re.compile(alternation(words) + tail, re.IGNORECASE)
        reference = re.compile(plain + tail, re.IGNORECASE)
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in reference.finditer(text)]


def test_select_keeps_disjoint_spans_in_order_and_leaves_out_only_overlapped_ones():
    # Random overlapping spans, strong and weak.
    rng = random.Random(5)
    for _ in range(2000):
        candidates = []
        for _ in range(rng.randrange(0, 20)):
            start = rng.randrange(0, 50)
            candidates.append(Candidate(start, start + rng.randrange(1, 12), "x", Moment("date", None, 1, 1),
                                        strong=rng.random() < 0.6))
        chosen = select(candidates)
        assert [c.start for c in chosen] == sorted(c.start for c in chosen)
        assert all(a.end <= b.start for a, b in zip(chosen, chosen[1:]))
        for c in candidates:
            if c not in chosen:
                assert any(c.start < k.end and k.start < c.end for k in chosen)
