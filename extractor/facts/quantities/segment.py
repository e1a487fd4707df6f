"""Word segmentation of the short window after a number, for units the lexicon does not know.

Vietnamese writes one syllable per space, so "30.778 hồ sơ đã" does not say where the counted noun
ends; underthesea's `word_tokenize` does ("hồ sơ" | "đã"). It runs only on the few syllables after
a number whose next word is not in `rules/quantities/units.tsv`, and each distinct window is
segmented once per process (an LRU cache), so most articles make no call at all.
"""

from __future__ import annotations

import re
import threading

from ...nlp import segment_words

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




def first_word(text: str, start: int) -> str | None:
    """The first word (as underthesea segments it) of the syllables starting at `start`.

    >>> first_word("30.778 hồ sơ đã giải quyết", 7)
    'hồ sơ'
    """
    match = _WINDOW_RE.match(text, start)
    if not match:
        return None
    window = match.group()
    misses = segment_words.cache_info().misses
    words = segment_words(window)
    STATS.count(segment_words.cache_info().misses > misses)
    if not words:
        return None
    return words[0] if window.startswith(words[0]) else None
