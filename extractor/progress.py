"""Termination by construction: every reader loop moves forward, or says where it stuck.

A reader step returns the position it continues from. A step that returns its own position (or
an earlier one) would spin forever on real text; `advanced` turns that bug into an error that
names the reader and the position, so a test catches it and a batch reports the document instead
of hanging. Each step also checks the document's time budget (`budget.check`), so a reader that
advances but too slowly ends its document in any thread, where no timer signal reaches.
"""

from __future__ import annotations

from .budget import check as check_budget


class ReaderStalled(RuntimeError):
    """A reader step did not advance: a bug in the reader, reported with where it happened."""


def advanced(position: int, following: int, reader: str) -> int:
    """Return `following` when it lies after `position`; raise `ReaderStalled` otherwise.

    >>> advanced(3, 5, "officials reader")
    5
    >>> advanced(3, 3, "officials reader")
    Traceback (most recent call last):
    ...
    extractor.progress.ReaderStalled: officials reader did not advance at token 3 (next 3)
    """
    if following <= position:
        raise ReaderStalled(f"{reader} did not advance at token {position} (next {following})")
    check_budget()
    return following
