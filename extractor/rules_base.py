"""Where the shipped rules live and the error a bad rules file raises.

Below both `rules_loader.py` (reads the folders) and `rules_validation.py` (checks a user's
overlay, called by the loader), so the two need not import each other.
"""

from __future__ import annotations

from pathlib import Path

SHIPPED_RULES_DIR = Path(__file__).resolve().parent / "rules"


class RulesError(ValueError):
    """A rules file is missing or malformed; the message names the file."""
