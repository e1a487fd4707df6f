"""The spaCy side: a syllable tokenizer and the shared blank Vietnamese vocabulary.

spaCy's own Vietnamese tokenizer either needs pyvi (slow, an extra dependency) or splits on
spaces only, leaving "21/5," as one token. Ours splits syllables, numbers and punctuation, and
keeps every character, so `doc.text == text` and spans keep their character offsets.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

# A number keeps its inner separators ("30.778", "1,5", "21/5" stays three tokens: 21 / 5).
TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|\S", re.UNICODE)
_TOKEN_WITH_SPACE_RE = re.compile(r"(" + TOKEN_RE.pattern + r")( (?=\S))?|(\s+)")

_lock = threading.Lock()
_nlp = None


def blank_nlp() -> "spacy.Language":
    """The process-wide blank Vietnamese pipeline whose tokenizer is `SyllableTokenizer`.

    >>> [t.text for t in blank_nlp()("Chiều 21/5, HĐND")]
    ['Chiều', '21', '/', '5', ',', 'HĐND']
    """
    global _nlp
    with _lock:
        if _nlp is None:
            nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
            nlp.tokenizer = SyllableTokenizer(nlp.vocab)
            _nlp = nlp
        return _nlp


class SyllableTokenizer:
    """Text → spaCy Doc of syllables, numbers and punctuation; whitespace runs become tokens."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        # One regex pass: a token and the single space after it (spaCy's `whitespace_`), or a
        # whitespace run that becomes a token of its own ("\n\n" between paragraphs).
        found = _TOKEN_WITH_SPACE_RE.findall(text)
        words = [run or token for token, _space, run in found]
        spaces = [space == " " for _token, space, _run in found]
        return Doc(self.vocab, words=words, spaces=spaces)

    # spaCy serialization hooks: the tokenizer has no state of its own.
    def to_bytes(self, **_kwargs) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_kwargs) -> "SyllableTokenizer":
        return self

    def to_disk(self, _path, **_kwargs) -> None:
        return None

    def from_disk(self, _path, **_kwargs) -> "SyllableTokenizer":
        return self


@lru_cache(maxsize=16384)
def segment_words(window: str) -> tuple[str, ...]:
    """underthesea's word segmentation of a short window, cached per process.

    The one place vnextract calls underthesea: components ask only for the few syllables where a
    lexicon cannot decide a word boundary, and a repeated window costs a dictionary lookup.

    >>> segment_words("hồ sơ đã giải quyết")[0]
    'hồ sơ'
    """
    from underthesea import word_tokenize  # heavy import, on first need only

    # Some underthesea versions join a word's syllables with "_"; the text has spaces.
    return tuple(word.replace("_", " ") for word in word_tokenize(window))


@lru_cache(maxsize=16384)
def tag_words(window: str) -> tuple[tuple[str, str], ...]:
    """underthesea's word segmentation with part-of-speech tags for a short window, cached.

    Used where a segmented word must also be a noun (a counted noun after a number); it costs
    about as much as segmentation alone on a few syllables.

    >>> tag_words("hồ sơ đã giải quyết")[0]
    ('hồ sơ', 'N')
    """
    from underthesea import pos_tag  # heavy import, on first need only

    return tuple((word.replace("_", " "), tag) for word, tag in pos_tag(window))


def preload_segmenter() -> None:
    """Load underthesea's model now (worker start, benchmark warm-up) rather than mid-batch."""
    segment_words("Ủy ban nhân dân thành phố")
    tag_words("30 hồ sơ")
