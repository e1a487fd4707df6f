"""The spaCy side: a syllable tokenizer and the shared blank Vietnamese vocabulary.

spaCy's own Vietnamese tokenizer either needs pyvi (slow, an extra dependency) or splits on
spaces only, leaving "21/5," as one token. Ours splits syllables, numbers and punctuation, and
keeps every character, so `doc.text == text` and spans keep their character offsets.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from itertools import chain

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .memo import Memo

# A number keeps its inner separators ("30.778", "1,5", "21/5" stays three tokens: 21 / 5).
TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|\S", re.UNICODE)
_TOKEN_WITH_SPACE_RE = re.compile(r"(" + TOKEN_RE.pattern + r")( (?=\S))?|(\s+)")
# The pieces of one space-free chunk: TOKEN_RE's, plus runs of other whitespace ("\n\n").
_CHUNK_PIECE_RE = re.compile(TOKEN_RE.pattern + r"|\s+")

# Where `SyllableTokenizer` leaves a Doc's words in `Doc.user_data`: (hashes in `vocab.strings`,
# whether a space follows each), as `SyllableTokenizer.split` returns them.
SPLIT_KEY = "vnextract.split"

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


@spacy.registry.tokenizers("vnextract.SyllableTokenizer.v1")
def create_syllable_tokenizer():
    """The syllable tokenizer for a spaCy config (also found through the `spacy_tokenizers` entry
    point, so the config needs no import):

    >>> nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vnextract.SyllableTokenizer.v1"}}})
    >>> [t.text for t in nlp("22/5,")]
    ['22', '/', '5', ',']
    """
    def make(nlp: "spacy.Language") -> "SyllableTokenizer":
        return SyllableTokenizer(nlp.vocab)

    return make


class SyllableTokenizer:
    """Text → spaCy Doc of syllables, numbers and punctuation; whitespace runs become tokens."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        # A space-free chunk → per piece, its hash (in `vocab.strings`) then whether a space follows
        # it in the text, in one flat tuple (hash, space, hash, space, …); shared by all documents.
        self._chunks: dict[str, tuple[int | bool, ...]] = Memo()

    def __call__(self, text: str) -> Doc:
        orths, spaces = self.split(text)
        # The words stay with the Doc (`user_data`, spaCy's place for a creator's data): the token
        # view reads the hashes and spaces from them instead of asking the Doc for them again.
        return Doc(self.vocab, words=orths, spaces=spaces, user_data={SPLIT_KEY: (orths, spaces)})

    def split(self, text: str) -> tuple[list[int], list[bool]]:
        """The words and spaces of the text's Doc (`Doc(words=, spaces=)`), the words given by
        their hashes in `vocab.strings`: each token with the single space after it, or a
        whitespace run that is a token of its own.

        >>> tokenizer = blank_nlp().tokenizer
        >>> orths, spaces = tokenizer.split("Chiều 21/5,\\n\\nHĐND")
        >>> [tokenizer.vocab.strings[orth] for orth in orths]
        ['Chiều', '21', '/', '5', ',', '\\n\\n', 'HĐND']
        >>> spaces
        [True, False, False, False, False, False, False]
        """
        # Articles are normalized: single spaces between chunks that neither start nor end with
        # whitespace. Then a chunk's last piece takes the space after it, and an article has a
        # few hundred distinct chunks ("Chiều", "21/5,"), each split and hashed once: spaCy
        # hashing every word of every article again would cost more than building the Doc.
        chunks = text.split(" ")
        known = list(map(self._chunks.get, chunks))
        if not all(known):  # chunks new to the memo (`all`: tells None apart faster than `in`)
            self._chunks.make_room()  # a long-running worker meets endless numbers
            for k in _positions(known, None):
                found = _split_chunk(chunks[k])
                if found is None:  # ragged whitespace: the one regex pass over the whole text
                    words, spaces = _split_ragged(text)
                    return list(map(self._add, words)), spaces
                pieces, spaces = found
                known[k] = self._chunks[chunks[k]] = tuple(chain.from_iterable(zip(map(self._add, pieces), spaces)))
        # One pass over the flat tuples, then every other item, in C: two passes (hashes, then
        # spaces) would walk the chunks twice.
        flat = list(chain.from_iterable(known))
        orths, spaces = flat[0::2], flat[1::2]
        spaces[-1] = False  # the text's last token: no space after it
        return orths, spaces

    def _add(self, word: str) -> int:
        # Not transient: the memo outlives any spaCy memory zone the string was met in.
        return self.vocab.strings.add(word, allow_transient=False)

    # spaCy serialization hooks: the tokenizer has no state of its own (the chunk memo is a cache).
    def to_bytes(self, **_kwargs) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_kwargs) -> "SyllableTokenizer":
        return self

    def to_disk(self, _path, **_kwargs) -> None:
        return None

    def from_disk(self, _path, **_kwargs) -> "SyllableTokenizer":
        return self


def _split_chunk(chunk: str) -> tuple[tuple[str, ...], tuple[bool, ...]] | None:
    """A chunk's pieces and their spaces (only the last piece's is True); None for an empty chunk
    or one at a whitespace edge, where spaces and whitespace runs meet (see `_split_ragged`)."""
    pieces = tuple(_CHUNK_PIECE_RE.findall(chunk))
    if not pieces or pieces[0].isspace() or pieces[-1].isspace():
        return None
    return pieces, (False,) * (len(pieces) - 1) + (True,)


def _split_ragged(text: str) -> tuple[list[str], list[bool]]:
    """`SyllableTokenizer.split` for any text, by words: one regex pass, a token and the single
    space after it (when a non-space follows), or a whitespace run that becomes a token of its own."""
    found = _TOKEN_WITH_SPACE_RE.findall(text)
    words = [run or token for token, _space, run in found]
    spaces = [space == " " for _token, space, _run in found]
    return words, spaces


def _positions(items: list, value: object) -> list[int]:
    """Where `value` is in `items`, by `list.index` (a C loop; the value is rare).

    >>> _positions([None, 1, None], None)
    [0, 2]
    """
    found, k = [], -1
    try:
        while True:
            k = items.index(value, k + 1)
            found.append(k)
    except ValueError:
        return found


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
