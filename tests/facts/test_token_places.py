"""The token view reads token places from the words the tokenizer left with the Doc
(`extractor.nlp.SPLIT_KEY`) instead of asking the Doc for hashes, starts and lengths: both ways
must give the same tokens, on hand-written texts with ragged whitespace and on every corpus article
of the repository (and the shared dev set when it is beside the repo)."""

from __future__ import annotations

import glob
import json
from pathlib import Path

import pytest

from extractor.facts.tokens import _places, _tokens_of_doc
from extractor.nlp import SPLIT_KEY, blank_nlp
from extractor.normalize import normalize_text

ROOT = Path(__file__).resolve().parents[2]

TEXTS = [
    "Chiều 21/5, HĐND tỉnh họp phiên thứ ba.\n\nĐ/cTrần Văn Bình phát biểu.",
    "  Sáng nay\t đoàn công tác   đến xã.  \n",
    "\n\nHai hộ dân nhận 15,5 triệu đồng  ",
    "Một",
    "YênBái và ĐắkLắk, đồng chí Nguyễn  Văn A.",
]


def _both(text: str):
    nlp = blank_nlp()
    ours = nlp(text)
    plain = nlp(text)
    plain.user_data.pop(SPLIT_KEY)  # a Doc made otherwise: the places come from the Doc
    assert _places(text, plain) is None
    return _tokens_of_doc(text, ours), _tokens_of_doc(text, plain)


@pytest.mark.parametrize("text", TEXTS)
def test_hand_written_texts_give_the_same_tokens(text):
    fast, slow = _both(text)
    assert fast == slow


def test_places_are_the_docs():
    text = "Chiều 21/5,\n\nHĐND  họp."
    doc = blank_nlp()(text)
    starts, ends = _places(text, doc)
    assert starts == [t.idx for t in doc]
    assert ends == [t.idx + len(t.text) for t in doc]


def test_every_corpus_article_gives_the_same_tokens():
    paths = sorted(glob.glob(str(ROOT / "corpus" / "*" / "*.json")))
    paths += sorted(glob.glob(str(ROOT.parent / "shared" / "dev" / "*.json")))
    texts = []
    for path in paths:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            texts.append(normalize_text(data["text"]))
    if not texts:
        pytest.skip("no corpus articles found")
    for text in texts:
        fast, slow = _both(text)
        assert fast == slow
