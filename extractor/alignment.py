"""Offsets in a normalized text → offsets in the text it was normalized from.

A record's spans index its normalized `text` (NFC, modern tone placement, single spaces). A caller
who holds the original (a spaCy user's `Doc`, text in NFD or with "Uỷ", "hoà", no-break spaces)
needs each fact where it stands in *their* text: `OffsetMap(original).span(start, end)`.
"""

from __future__ import annotations

import difflib
import unicodedata

from .normalize import _REPLACEMENTS, fix_tone_placement, normalize_text


class OffsetMap:
    """Where each character of `normalize_text(original)` came from in `original`.

    >>> m = OffsetMap("Chie\\u0302\\u0300u 21/5,  Uỷ ban")
    >>> m.normalized
    'Chiều 21/5, Ủy ban'
    >>> m.span(0, 10), m.original[slice(*m.span(0, 10))] == "Chie\\u0302\\u0300u 21/5"
    ((0, 12), True)
    >>> m.original[slice(*m.span(12, 18))]
    'Uỷ ban'
    """

    def __init__(self, original: str, normalized: str | None = None):
        self.original = original
        self.normalized = normalize_text(original) if normalized is None else normalized
        if self.normalized == original:
            self._starts = self._ends = None  # the identity: nothing to map
        else:
            self._starts, self._ends = _align(original, self.normalized)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the normalized `[start, end)` (a non-empty span)."""
        if self._starts is None:
            return start, end
        return self._starts[start], self._ends[end - 1]


def _align(original: str, normalized: str) -> tuple[list[int], list[int]]:
    """Per normalized character, the original offsets where it starts and ends.

    Normalization is per-character (NFC of a base letter and its marks, one replacement per
    character, tone marks moved within a syllable) followed by deletions (space runs, spaces
    around newlines, the ends): rebuild the per-character stage with its origins, then match the
    normalized text into it left to right. Anything else falls back to a character diff.
    """
    chars: list[str] = []
    origins: list[tuple[int, int]] = []
    i, n = 0, len(original)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(original[j]):
            j += 1
        for char in unicodedata.normalize("NFC", original[i:j]):
            for out in _REPLACEMENTS.get(char, char):
                chars.append(out)
                origins.append((i, j))
        i = j
    staged = fix_tone_placement("".join(chars))  # swaps within a pair: same length, same origins
    starts: list[int] = []
    ends: list[int] = []
    k = 0
    for char in normalized:
        while k < len(staged) and staged[k] != char:
            k += 1
        if k == len(staged):
            return _diff_align(original, normalized)
        starts.append(origins[k][0])
        ends.append(origins[k][1])
        k += 1
    return starts, ends


def _diff_align(original: str, normalized: str) -> tuple[list[int], list[int]]:
    """The fallback: difflib's matching blocks; an unmatched character takes its neighbours' place."""
    starts = [-1] * len(normalized)
    ends = [-1] * len(normalized)
    matcher = difflib.SequenceMatcher(None, original, normalized, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        for b in range(b0, b1):
            if tag == "equal":
                starts[b], ends[b] = a0 + (b - b0), a0 + (b - b0) + 1
            else:  # replaced or inserted: the whole original stretch stands for it
                starts[b], ends[b] = a0, max(a1, a0 + 1) if a0 < len(original) else a0
    return starts, ends
