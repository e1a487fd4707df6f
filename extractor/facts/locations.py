"""locations — placeholder component until its issue lands."""

from __future__ import annotations

from ..document import Document
from ..rules_loader import Rules


class LocationsComponent:
    """Finds locations in a document."""

    name = "locations"

    def __init__(self, rules: Rules):
        self.rules = rules

    def __call__(self, document: Document) -> list:
        return []


COMPONENT = LocationsComponent
