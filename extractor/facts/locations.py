"""locations — administrative places written with their unit word: "quận Đồ Sơn" (type "quận",
name "Đồ Sơn"), "TP. Huế" (type "thành phố"), "phường 5".

The unit words and their types live in `rules/places/admin_units.tsv`; the place name is the
capitalized run after the unit, cut before a person's name the way titles are
("UBND huyện Kiến Thụy Phạm Minh Hà" → "huyện Kiến Thụy").
"""

from __future__ import annotations

from ..budget import check as check_budget
from ..document import Document
from ..record import Location
from ..rules_loader import Rules
from .officials import TitleReader, load_lexicon
from .tokens import ADMIN, IS_ABBREVIATION, IS_NUMBER, IS_TITLECASE, START


class LocationsComponent:
    """Finds locations in a document.

    >>> from extractor.rules_loader import load_rules
    >>> rules = load_rules()
    >>> [(l.text, l.type, l.name) for l in LocationsComponent(rules)(Document("UBND quận Đồ Sơn họp.", rules))]
    [('quận Đồ Sơn', 'quận', 'Đồ Sơn')]
    """

    name = "locations"
    requires = ("token_view",)
    assigns = ("facts.locations",)

    def __init__(self, rules: Rules):
        self.rules = rules
        self.lexicon = load_lexicon(rules)

    def __call__(self, document: Document) -> list[Location]:
        reader = TitleReader.for_document(document, self.lexicon)
        view = reader.view
        tokens, found = view.tokens, []
        taken = 0
        for i in view.positions.get(ADMIN, ()):
            if i < taken:
                continue
            check_budget()
            unit_end = reader.admin_end(i)
            if unit_end is not None and (reader.org_at(i)[0] or 0) > unit_end:
                continue  # "Quận ủy", "Tỉnh ủy": a body, not a place
            if unit_end is None:
                continue
            unit = view.span_text(i, unit_end).lower()
            if unit not in self.lexicon.location_units:
                continue  # "thôn", "tổ dân phố": read in titles, not reported as locations
            place_end = self._place_end(reader, unit_end)
            if place_end > unit_end:
                text = view.span_text(i, place_end)
                start = tokens[i][START]
                found.append(Location(text=text, start=start, end=start + len(text),
                                      type=self.lexicon.admin_types.get(unit, unit),
                                      name=view.span_text(unit_end, place_end)))
                taken = place_end
        return found

    @staticmethod
    def _place_end(reader: TitleReader, j: int) -> int:
        """End of the place name after a unit word: numbers ("phường 5"), an abbreviation
        ("TP HCM") or capitalized syllables up to where a person's name would start."""
        tokens = reader.tokens
        if j >= len(tokens):
            return j
        tok = tokens[j]
        if tok[IS_NUMBER] or tok[IS_ABBREVIATION]:
            return j + 1
        if not tok[IS_TITLECASE] or reader.view.hit(j, ADMIN) is not None or reader.org_at(j)[0] is not None:
            return j
        run_end = reader.name_run_end(j)
        name = reader.split_name(j, run_end, "admin", 2)
        return name[0] if name is not None else run_end


COMPONENT = LocationsComponent
