"""One colour per fact family, shared by the HTML report and the displaCy options.

Kinds within a family (a date's "period", a quantity's "money") take their family's colour, so a
reader learns five colours, not fifteen.
"""

from __future__ import annotations

FAMILY_COLOURS = {
    "dates": "#f6c85f",
    "officials": "#9dd866",
    "titles": "#d4f0b8",
    "roles": "#e8f5d8",
    "quantities": "#6fb1e6",
    "organizations": "#f4a6a6",
    "locations": "#c6a2e8",
}
