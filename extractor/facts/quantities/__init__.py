"""quantities — counts, ratios, percentages, money, measures and durations (SPEC "quantities").

The component compiles `rules/quantities/` once per `Rules` object and scans each document's
normalized text, skipping spans the dates component already claimed ("21/5" is a date, "7/7
phường" a ratio). See `scanner.py` for the rules and `rules/quantities/README.md` for the data.
"""

from __future__ import annotations

from ...document import Document
from ...record import Quantity
from ...rules_loader import Rules
from .scanner import QuantityScanner
from .segment import STATS as SEGMENTER_STATS
from .segment import dictionary_pairs

__all__ = ["QuantitiesComponent", "COMPONENT", "SEGMENTER_STATS", "find_quantities"]


class QuantitiesComponent:
    """Finds quantities in a document.

    >>> from extractor.rules_loader import load_rules
    >>> component = QuantitiesComponent(load_rules())
    >>> [(q.kind, q.value, q.unit) for q in component(Document("Đã giải quyết 30.778 hồ sơ.", load_rules()))]
    [('count', 30778, 'hồ sơ')]
    """

    name = "quantities"
    requires = ("text", "facts.dates")  # a number inside a date is not a quantity
    assigns = ("facts.quantities",)

    def __init__(self, rules: Rules):
        self.rules = rules
        self.scanner = QuantityScanner.for_rules(rules)
        dictionary_pairs()  # read underthesea's word list now, not inside a document's time budget

    def __call__(self, document: Document) -> list[Quantity]:
        taken = [(f.start, f.end) for f in document.facts.get("dates", []) if hasattr(f, "start")]
        return self.scanner.scan(document.text, taken)


def find_quantities(text: str, rules: Rules | None = None) -> list[Quantity]:
    """Quantities of a (normalized) text on its own, without the other fact families.

    >>> [(q.text, q.value, q.qualifier) for q in find_quantities("tiết kiệm từ 10 đến 15 triệu đồng")]
    [('từ 10', 10000000, 'at_least'), ('15 triệu đồng', 15000000, 'up_to')]
    """
    from ...rules_loader import load_rules

    rules = load_rules(rules)
    return QuantitiesComponent(rules).scanner.scan(text)


COMPONENT = QuantitiesComponent
