"""One capped memo for everything the extractor remembers across documents.

Words, chunks, titles and short phrases recur article after article, so their tokenization or
reading is kept in a memo; a long-running worker meets endless new numbers and names, so every
such memo is bounded: `Memo` is a dict that empties itself once it holds `cap` entries (cheaper
than an LRU's bookkeeping on the hot path, and the recurring entries come straight back). It is a
dict, so the hot loops keep looking entries up in C (`map(memo.get, keys)`).
"""

from __future__ import annotations

from typing import Any, Callable, Hashable

# Entries a memo of words, chunks or short phrases keeps across documents.
MEMO_LIMIT = 50_000


class Memo(dict):
    """A dict capped at `cap` entries: full, it starts over empty.

    >>> memo = Memo(cap=2)
    >>> memo.recall("a", str.upper), memo.recall("a", str.lower), memo.recall("b", str.upper)
    ('A', 'A', 'B')
    >>> memo.recall("c", str.upper), sorted(memo)
    ('C', ['c'])
    """

    __slots__ = ("cap",)

    def __init__(self, cap: int = MEMO_LIMIT):
        super().__init__()
        if cap < 1:
            raise ValueError(f"a memo's cap must be at least 1, not {cap}")
        self.cap = cap

    def make_room(self) -> None:
        """Empty the memo when it is full; call before storing a batch of entries (the batch may
        then take it past `cap` once, by its own size)."""
        if len(self) >= self.cap:
            self.clear()

    def remember(self, key: Hashable, value: Any) -> Any:
        """Store one entry (emptying the memo first when it is full) and return the value."""
        if len(self) >= self.cap:
            self.clear()
        self[key] = value
        return value

    def recall(self, key: Hashable, compute: Callable[[Any], Any]) -> Any:
        """The remembered value of `key`, else `compute(key)`, remembered."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = self.remember(key, compute(key))
        return value

    def __repr__(self) -> str:
        return f"Memo({len(self)}/{self.cap})"


_MISSING = object()
