"""The one document object that flows through the fact components.

A `Document` holds the normalized text, the publication date that anchors year-less dates,
the rules, and the facts found so far, family by family. The spaCy `Doc` over the same text is
built on first use (components that match multi-word lexicons ask for it); components read
earlier families (quantities skip what dates took) and add their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .rules_loader import Rules

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass
class Document:
    """Normalized article text plus context, flowing through the pipeline.

    >>> from extractor.rules_loader import load_rules
    >>> d = Document(text="Chiều 21/5", rules=load_rules())
    >>> d.is_free(0, 5, "dates")
    True
    """

    text: str
    rules: Rules
    published_at: datetime | date | None = None
    url: str | None = None
    title: str | None = None
    facts: dict[str, list[Any]] = field(default_factory=dict)
    _spacy_doc: "Doc | None" = None

    @property
    def spacy_doc(self) -> "Doc":
        """The spaCy Doc over `text` (syllable tokens, character offsets kept)."""
        if self._spacy_doc is None:
            from .nlp import blank_nlp

            self._spacy_doc = blank_nlp()(self.text)
        return self._spacy_doc

    @property
    def reference_date(self) -> date | None:
        """The date year-less and relative expressions resolve against."""
        if isinstance(self.published_at, datetime):
            return self.published_at.date()
        return self.published_at

    def taken(self, families: tuple[str, ...] = ("dates", "quantities")) -> list[tuple[int, int]]:
        """Character ranges already claimed by facts of these families."""
        return [(f.start, f.end) for fam in families for f in self.facts.get(fam, []) if hasattr(f, "start")]

    def is_free(self, start: int, end: int, *families: str) -> bool:
        """True when no fact of the given families (default: dates and quantities) overlaps [start, end)."""
        ranges = self.taken(families or ("dates", "quantities"))
        return all(end <= s or start >= e for s, e in ranges)
