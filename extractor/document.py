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
    >>> from datetime import datetime
    >>> Document(text="Chiều 21/5", rules=load_rules(), published_at=datetime(2020, 5, 22, 9)).reference_date
    datetime.date(2020, 5, 22)
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
