"""`nlp.add_pipe("vnextract")`: vnextract's facts as spaCy spans.

After the component runs, `doc.spans["dates"|"officials"|"quantities"|"organizations"|"locations"]`
hold the facts (officials: one span per mention), and each span's `span._.vnextract` holds the
fact's value as a dict (kind, value, unit, titles, …). `displacy.render(doc, style="span",
options={"spans_key": "dates"})` shows them.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .pipeline import get_pipeline
from .record import FACT_FAMILIES, Official

if not Span.has_extension("vnextract"):
    Span.set_extension("vnextract", default=None)
if not Doc.has_extension("vnextract_record"):
    Doc.set_extension("vnextract_record", default=None)


class VnextractComponent:
    """Runs the vnextract pipeline on `doc.text` and mirrors the facts into `doc.spans`."""

    def __init__(self, nlp: Language, name: str, rules: str | None = None, published_at: str | None = None):
        self.name = name
        self.rules = rules
        self.published_at = published_at

    def __call__(self, doc: Doc) -> Doc:
        record = get_pipeline(self.rules).extract_text(doc.text, published_at=self.published_at)
        if record.text != doc.text:
            # Normalization changed the text (NFD, old tone marks…): offsets refer to the normalized
            # text, so spans can only be placed when the lengths still line up.
            if len(record.text) != len(doc.text):
                doc._.vnextract_record = record
                for family in FACT_FAMILIES:
                    doc.spans[family] = []
                return doc
        doc._.vnextract_record = record
        for family in FACT_FAMILIES:
            spans = []
            for fact in getattr(record, family):
                spans.extend(_to_spans(doc, fact, family))
            doc.spans[family] = spans
        return doc


def _to_spans(doc: Doc, fact: Any, family: str) -> list[Span]:
    label = family[:-1].upper()
    if isinstance(fact, Official):
        places = [(m.start, m.end) for m in fact.mentions]
        payload = fact.to_dict()
        payload.pop("mentions", None)
        label = "OFFICIAL"
    else:
        places = [(fact.start, fact.end)]
        payload = {k: v for k, v in fact.to_dict().items() if k not in ("start", "end")}
        label = getattr(fact, "kind", None) or label
        label = str(label).upper()
    spans = []
    for start, end in places:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            span._.vnextract = payload
            spans.append(span)
    return spans


@Language.factory("vnextract", default_config={"rules": None, "published_at": None})
def make_vnextract(nlp: Language, name: str, rules: str | None, published_at: str | None) -> VnextractComponent:
    """Factory registered as "vnextract" (also through the `spacy_factories` entry point)."""
    return VnextractComponent(nlp, name, rules=rules, published_at=published_at)
