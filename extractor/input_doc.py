"""What every input reader yields: an `InputDoc` (a document and the label naming where it came
from) or an `InputError` naming the input. Its own module so the readers (`inputs.py`,
`sources.py`, `warc_input.py`) share it without importing one another in a circle."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}


@dataclass
class InputDoc:
    """One document to extract: `doc` has `text` or `html`, and optional id/url/title/published_at."""

    label: str
    doc: dict[str, Any] = field(default_factory=dict)


@dataclass
class InputError:
    """An input that could not be read; `label` names it (file, file:line, URL)."""

    label: str
    message: str
