"""Word segmentation with part-of-speech tags of the short window after a number, for units the
lexicon does not know.

Vietnamese writes one syllable per space, so "30.778 hồ sơ đã" does not say where the counted noun
ends; underthesea's `pos_tag` does ("hồ sơ"/N | "đã"/R), and its tag rejects a non-noun. It runs
(through `extractor.nlp.tag_words`, cached per process and shared with the officials component)
only on the few syllables after a number whose next word is not in `rules/quantities/units.tsv`, so
most articles make no call at all. `STATS` counts the requests and the misses of that shared cache.
"""

from __future__ import annotations

import re
import threading
import importlib.util
from functools import lru_cache
from pathlib import Path

from ...nlp import tag_words

# The window ends at punctuation: a unit never spans a comma or a bracket.
_WINDOW_RE = re.compile(r"[^\W\d_]+(?: [^\W\d_]+){0,4}")


class SegmenterStats:
    """How often the segmenter was asked and how often underthesea actually ran (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.calls = 0

    def count(self, called: bool) -> None:
        with self._lock:
            self.requests += 1
            self.calls += called

    def as_dict(self) -> dict[str, int]:
        """Counts so far.

        >>> SegmenterStats().as_dict()
        {'requests': 0, 'underthesea_calls': 0}
        """
        return {"requests": self.requests, "underthesea_calls": self.calls}


STATS = SegmenterStats()


# Tags that rule a word out as a counted noun: verbs, adjectives, prepositions, adverbs,
# conjunctions, pronouns, particles, proper nouns. Nouns are not required positively: on a window
# of a few syllables the tagger often calls a plain noun "M" ("250 xuồng"), so only a clear
# non-noun verdict rejects.
NOT_COUNTABLE_TAGS = frozenset({"V", "A", "E", "R", "C", "CC", "P", "L", "T", "I", "Np", "CH"})


def first_word(text: str, start: int) -> str | None:
    """The first word (as underthesea segments it) of the syllables starting at `start`, when it
    is a common noun — a verb or preposition after a number is no counted noun ("1022 tiếp nhận").

    >>> first_word("30.778 hồ sơ đã giải quyết", 7), first_word("200 kèm quà", 4)
    ('hồ sơ', None)
    """
    match = _WINDOW_RE.match(text, start)
    if not match:
        return None
    window = match.group()
    misses = tag_words.cache_info().misses
    tagged = tag_words(window)
    STATS.count(tag_words.cache_info().misses > misses)
    if not tagged:
        return None
    word, tag = tagged[0]
    return word if tag not in NOT_COUNTABLE_TAGS and window.startswith(word) else None


@lru_cache(maxsize=1)
def dictionary_pairs() -> frozenset[str]:
    """The two-syllable words of underthesea's Vietnamese word list (Viet74K, shipped with the
    package: read from disk, never downloaded), lower-cased: "hệ lụy", "làn xe" are one word even
    where the tagger splits them.

    >>> "hệ lụy" in dictionary_pairs(), "hai nhà" in dictionary_pairs()
    (True, False)
    """
    spec = importlib.util.find_spec("underthesea")  # the package's folder, without importing it
    folder = Path(next(iter(spec.submodule_search_locations)))  # type: ignore[union-attr]
    text = (folder / "corpus" / "data" / "Viet74K.txt").read_text(encoding="utf-8")
    words = (line.strip().lower() for line in text.splitlines())
    return frozenset(w for w in words if w.count(" ") == 1)


def next_word(text: str, start: int) -> tuple[str, str] | None:
    """The first word (as underthesea segments it) of the syllables at `start`, with its tag, whatever
    the tag ("lãnh đạo" is tagged a verb as often as a noun).

    >>> next_word("lãnh đạo hai nước", 0)
    ('lãnh đạo', 'N')
    """
    match = _WINDOW_RE.match(text, start)
    if not match:
        return None
    window = match.group()
    tagged = tag_words(window)
    if not tagged or not window.startswith(tagged[0][0]):
        return None
    return tagged[0]
