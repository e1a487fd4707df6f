"""Very long texts in windows: spaCy refuses a text over `nlp.max_length` (1,000,000 characters,
error E088), which would cost a document its officials, organizations and places. A long text is
cut into windows at paragraph breaks (else sentence ends, else spaces), each window runs through
the pipeline as a document of its own, and the facts come back with their offsets shifted onto
the whole text; a person named in several windows stays one official.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from .document import Document
from .record import Mention, Official

# Well under spaCy's max_length, far over any real article (the longest of 6,863 real ones is a
# few tens of thousands of characters), so ordinary articles never meet a window edge.
WINDOW_CHARS = 400_000


def window_bounds(text: str, size: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """(start, end) ranges that cover `text` in order, each at most `size` characters, cut after a
    paragraph break when one lies in the window's second half, else after a sentence end, else a space.

    >>> window_bounds("Một.\\nHai ba. Bốn năm", 9)
    [(0, 5), (5, 13), (13, 20)]
    """
    bounds: list[tuple[int, int]] = []
    start, length = 0, len(text)
    while start < length:  # each window is at least one character: ends after len(text) steps at most
        end = min(start + size, length)
        if end < length:
            floor = start + size // 2
            for separator in ("\n", ". ", " "):
                cut = text.rfind(separator, floor, end)
                if cut != -1 and cut + len(separator) <= end:
                    end = cut + len(separator)
                    break
        bounds.append((start, end))
        start = end
    return bounds


def run_in_windows(document: Document, run: Callable[[Document], Document], size: int = WINDOW_CHARS) -> Document:
    """Run `run` (the pipeline's per-document step) over each window of a long document and put
    the facts found, offsets shifted, into `document.facts`."""
    merged: dict[str, list[Any]] = {}
    officials: dict[str, Official] = {}
    for start, end in window_bounds(document.text, size):
        window = run(Document(text=document.text[start:end], rules=document.rules, published_at=document.published_at,
                              url=document.url, title=document.title))
        for family, facts in window.facts.items():
            found = merged.setdefault(family, [])
            for fact in facts:
                if isinstance(fact, Official):
                    _merge_official(officials, found, fact, start)
                else:
                    found.append(replace(fact, start=fact.start + start, end=fact.end + start))
    document.facts = merged
    return document


def _merge_official(by_name: dict[str, Official], found: list[Any], person: Official, offset: int) -> None:
    mentions = [Mention(m.start + offset, m.end + offset) for m in person.mentions]
    known = by_name.get(person.name)
    if known is None:
        by_name[person.name] = shifted = replace(person, titles=list(person.titles), mentions=mentions,
                                                 roles=list(person.roles))
        found.append(shifted)
        return
    known.mentions.extend(mentions)
    known.titles.extend(t for t in person.titles if t not in known.titles)
    known.roles.extend(r for r in person.roles if r not in known.roles)
    if known.rank is None:
        known.rank = person.rank
