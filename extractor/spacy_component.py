"""`nlp.add_pipe("vnextract")`: vnextract's facts as spaCy spans.

After the component runs, `doc.spans["dates"|"officials"|"quantities"|"organizations"|"locations"]`
hold the facts (officials: one span per mention; `doc.spans["titles"]` their positions where they
stand, `doc.spans["roles"]` what they did at the event), and each span's `span._.vnextract` holds the fact's value as plain data (kind, value,
unit, titles, …). `doc._.vnextract_record` is the whole record as a dict (`Record.to_dict()`), so
`doc.to_bytes()`, `DocBin(store_user_data=True)` and `nlp.pipe(..., n_process=2)` carry it.

Spans are exact: a fact's span covers its text and nothing more, whatever the tokenizer
(vnextract's registered syllable tokenizer, `spacy.blank("xx")`, Vietnamese without pyvi): a token
that runs past a fact's edge ("22/5," under a whitespace tokenizer) is split there. When
normalization changed the text (NFD, "Uỷ", no-break spaces), facts are mapped back to the
user's own characters (`alignment.OffsetMap`).

Per document `published_at` (dates written without a year): `doc.user_data["published_at"]`, or
the context of `nlp.pipe(((text, {"published_at": …}), …), as_tuples=True)`, else the component's
`published_at` setting.

displaCy: `displacy.render(doc, style="span", options=displacy_options("dates"))`; with the
setting `ents: true` the component also fills `doc.ents` (no overlaps: the longest fact wins)
with the family labels of `ENT_LABELS` for `style="ent"`.
"""

from __future__ import annotations

import warnings
from bisect import bisect_right
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .alignment import OffsetMap
from .palette import FAMILY_COLOURS
from .pipeline import get_pipeline
from .record import DATE_KINDS, FACT_FAMILIES, QUANTITY_KINDS

if not Span.has_extension("vnextract"):
    Span.set_extension("vnextract", default=None)
if not Doc.has_extension("vnextract_record"):
    Doc.set_extension("vnextract_record", default=None)

# Span labels: a date or quantity is labelled by its kind (DATE, PERIOD, MONEY, RATIO…), the
# other families by what they are.
FAMILY_LABELS = {"officials": "OFFICIAL", "titles": "TITLE", "roles": "ROLE", "organizations": "ORGANIZATION",
                 "locations": "LOCATION"}
KIND_FAMILY = {**{kind.upper(): "dates" for kind in DATE_KINDS},
               **{kind.upper(): "quantities" for kind in QUANTITY_KINDS}}
# `doc.ents` (style="ent") uses one label per family: DATE, OFFICIAL, QUANTITY, ORG, LOC.
ENT_LABELS = {"dates": "DATE", "officials": "OFFICIAL", "quantities": "QUANTITY",
              "organizations": "ORG", "locations": "LOC"}
LABEL_COLOURS = {
    **{label: FAMILY_COLOURS[family] for label, family in KIND_FAMILY.items()},
    **{label: FAMILY_COLOURS[family] for family, label in FAMILY_LABELS.items()},
    **{label: FAMILY_COLOURS[family] for family, label in ENT_LABELS.items()},
}
SPAN_KEYS = (*FACT_FAMILIES, "titles", "roles")
DISPLACY_OPTIONS = {"colors": LABEL_COLOURS}


def displacy_options(spans_key: str | None = None) -> dict[str, Any]:
    """displaCy `options` with a colour for every label vnextract writes.

    >>> displacy_options("dates")["spans_key"], displacy_options()["colors"]["MONEY"] == FAMILY_COLOURS["quantities"]
    ('dates', True)
    """
    options: dict[str, Any] = {"colors": dict(LABEL_COLOURS)}
    if spans_key is not None:
        options["spans_key"] = spans_key
    return options


class VnextractComponent:
    """Runs the vnextract pipeline on `doc.text` and mirrors the facts into `doc.spans`."""

    def __init__(self, nlp: Language, name: str, rules: str | None = None, published_at: str | None = None,
                 ents: bool = False):
        self.name = name
        self.rules = rules
        self.published_at = published_at
        self.ents = ents

    def __call__(self, doc: Doc) -> Doc:
        record = get_pipeline(self.rules).extract_text(doc.text, published_at=self._published_at(doc))
        data = record.to_dict()
        offsets = OffsetMap(doc.text, record.text)
        placed = {key: list(_places(data, key)) for key in SPAN_KEYS}
        _split_tokens_at(doc, {edge for places in placed.values()
                               for start, end, _, _ in places for edge in offsets.span(start, end)})
        for key, places in placed.items():
            spans = []
            for start, end, label, payload in places:
                span = _exact_span(doc, *offsets.span(start, end), label)
                if span is not None:
                    span._.vnextract = payload
                    spans.append(span)
            doc.spans[key] = spans
        doc._.vnextract_record = data
        if self.ents:
            candidates = [Span(doc, s.start, s.end, label=ENT_LABELS[family])
                          for family in FACT_FAMILIES for s in doc.spans[family]]
            doc.ents = filter_spans(candidates)
        return doc

    def _published_at(self, doc: Doc) -> str | None:
        value = doc.user_data.get("published_at")
        context = getattr(doc, "_context", None)
        if value is None and isinstance(context, dict):
            value = context.get("published_at")
        return value if value is not None else self.published_at


def _places(data: dict[str, Any], key: str) -> Iterable[tuple[int, int, str, dict[str, Any]]]:
    """(start, end, label, payload) of each span of one span group, offsets in the record text."""
    if key in ("titles", "roles"):
        for official in data["officials"]:
            for value, where in zip(official[key], official.get(key[:-1] + "_spans", [])):
                yield where["start"], where["end"], FAMILY_LABELS[key], {"name": official["name"], key[:-1]: value}
        return
    for fact in data[key]:
        if key == "officials":
            payload = {k: v for k, v in fact.items() if k != "mentions"}
            for mention in fact["mentions"]:
                yield mention["start"], mention["end"], "OFFICIAL", payload
        else:
            payload = {k: v for k, v in fact.items() if k not in ("start", "end")}
            label = str(fact.get("kind") or "").upper() or FAMILY_LABELS[key]
            yield fact["start"], fact["end"], label, payload


def _split_tokens_at(doc: Doc, edges: set[int]) -> None:
    """Split every token that a fact's edge falls inside, so each fact is a run of whole tokens."""
    ordered = sorted(edges)
    cuts = {}
    for token in doc:
        end = token.idx + len(token.text)
        k = bisect_right(ordered, token.idx)
        inside = []
        while k < len(ordered) and ordered[k] < end:  # ends: k grows to the list's length
            inside.append(ordered[k] - token.idx)
            k += 1
        if inside:
            cuts[token.i] = inside
    if not cuts:
        return
    with doc.retokenize() as retokenizer:
        for i, offsets in cuts.items():
            token = doc[i]
            bounds = [0, *offsets, len(token.text)]
            orths = [token.text[a:b] for a, b in zip(bounds, bounds[1:])]
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))


def _exact_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    span = doc.char_span(start, end, label=label)
    if span is None:
        # An edge inside whitespace the tokenizer kept with a token: the nearest whole tokens,
        # said out loud rather than dropped silently.
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        placed = f"its span is {span.text!r}" if span is not None else "it has no span"
        warnings.warn(f"vnextract: fact {doc.text[start:end]!r} at {start}-{end} does not fall on token "
                      f"edges; {placed}", stacklevel=3)
    return span


@Language.factory("vnextract", default_config={"rules": None, "published_at": None, "ents": False})
def make_vnextract(nlp: Language, name: str, rules: str | None, published_at: str | None,
                   ents: bool) -> VnextractComponent:
    """Factory registered as "vnextract" (also through the `spacy_factories` entry point)."""
    return VnextractComponent(nlp, name, rules=rules, published_at=published_at, ents=ents)
