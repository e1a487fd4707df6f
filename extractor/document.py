"""The one document object that flows through the fact components.

A `Document` holds the normalized text, the publication date that anchors year-less dates,
the rules, and the facts found so far, family by family. The spaCy `Doc` over the same text is
built on first use (components that match multi-word lexicons ask for it), and so is the
`token_view` over it (`extractor.facts.tokens`). Components read earlier families (quantities skip
what dates took) and add their own; what else one leaves for later ones is a declared field here
(`title_reader`, `people_spans`), named in the component's `assigns` (see `extractor.facts.contracts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from .rules_loader import Rules

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .facts.tokens import TokenView


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
    _token_view: "TokenView | None" = field(default=None, repr=False)
    # Left by one component for later ones (each named in its component's `assigns`):
    title_reader: Any = field(default=None, repr=False)  # officials' TitleReader over token_view
    people_spans: list[tuple[int, int]] | None = field(default=None, repr=False)  # people officials read

    # What every document offers before any component runs (`facts.contracts` checks `requires`
    # against these); `spacy_doc` and `token_view` are built on first use.
    PROVIDES: ClassVar[tuple[str, ...]] = (
        "text", "rules", "published_at", "reference_date", "url", "title", "spacy_doc", "token_view")

    @property
    def spacy_doc(self) -> "Doc":
        """The spaCy Doc over `text` (syllable tokens, character offsets kept)."""
        if self._spacy_doc is None:
            from .nlp import blank_nlp

            self._spacy_doc = blank_nlp()(self.text)
        return self._spacy_doc

    @property
    def token_view(self) -> "TokenView":
        """The tokens of `text` with the lexicon hits of each (`extractor.facts.tokens`), built once."""
        if self._token_view is None:
            from .facts.tokens import build_token_view

            self._token_view = build_token_view(self)
        return self._token_view

    @property
    def reference_date(self) -> date | None:
        """The date year-less and relative expressions resolve against."""
        if isinstance(self.published_at, datetime):
            return self.published_at.date()
        return self.published_at
