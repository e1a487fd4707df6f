"""The one capped memo: hits come back without recomputing, the cap is never exceeded by single
entries, and every memo of the extractor is one."""

from __future__ import annotations

import pytest

from extractor.memo import MEMO_LIMIT, Memo


def test_a_hit_is_returned_without_computing_again():
    calls = []

    def compute(key):
        calls.append(key)
        return key * 2

    memo = Memo(cap=10)
    assert [memo.recall(k, compute) for k in (1, 2, 1, 2, 3, 1)] == [2, 4, 2, 4, 6, 2]
    assert calls == [1, 2, 3]
    assert memo.get(2) == 4 and memo.get(9) is None  # a dict: C-level lookups for the hot loops


def test_the_cap_is_respected():
    memo = Memo(cap=5)
    sizes = []
    for k in range(23):
        memo.remember(k, str(k))
        sizes.append(len(memo))
    assert max(sizes) == 5
    assert 22 in memo and memo[22] == "22"  # the newest entry is always kept
    assert sizes == [1, 2, 3, 4, 5] * 4 + [1, 2, 3]


def test_make_room_empties_only_a_full_memo():
    memo = Memo(cap=3)
    memo.update({1: 1, 2: 2})
    memo.make_room()
    assert len(memo) == 2
    memo[3] = 3
    memo.make_room()
    assert len(memo) == 0


def test_a_cap_below_one_is_refused():
    with pytest.raises(ValueError, match="cap"):
        Memo(cap=0)


def test_the_extractors_memos_are_capped_memos():
    from extractor.facts import tokens
    from extractor.facts.officials.lexicon import load_lexicon
    from extractor.nlp import blank_nlp
    from extractor.pipeline import get_pipeline

    pipeline = get_pipeline()
    lexicon = load_lexicon(pipeline.rules)
    memos = [blank_nlp().tokenizer._chunks, tokens._TAILS, lexicon.capitals_ok, lexicon.quiet_pieces,
             lexicon.title_keys]
    memos += [c._expanded for c in pipeline.components if hasattr(c, "_expanded")]
    assert len(memos) == 6
    for memo in memos:
        assert isinstance(memo, Memo) and memo.cap == MEMO_LIMIT
