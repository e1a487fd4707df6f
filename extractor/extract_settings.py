"""What `vnextract extract` takes from rules/settings.json, and how it sums up a batch's failures.

The `extract` section of settings.json holds the command's defaults (one place for defaults):
`jobs`, `max_input_bytes` and `timeout_seconds`; a command-line option wins over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# How many names of failed documents the closing summary lists before it only counts.
SUMMARY_NAMES = 50


@dataclass(frozen=True)
class ExtractDefaults:
    """The `extract` section of settings.json, checked.

    >>> d = ExtractDefaults.load()
    >>> d.jobs >= 1 and d.max_input_bytes > 0 and d.timeout_seconds > 0
    True
    """

    jobs: int
    max_input_bytes: int
    timeout_seconds: float | None

    @classmethod
    def load(cls, rules: Any = None) -> "ExtractDefaults":
        """Read and check the section; a wrong value names its key."""
        from .rules_loader import load_rules

        section = load_rules(rules).json("settings.json", {}).get("extract", {})
        jobs = section.get("jobs", 1)
        max_bytes = section.get("max_input_bytes", 10 * 1024 * 1024)
        timeout = section.get("timeout_seconds", 0)
        if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
            raise ValueError(f"settings.json: extract.jobs must be an integer >= 1, not {jobs!r}")
        if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes < 1:
            raise ValueError(f"settings.json: extract.max_input_bytes must be an integer >= 1, not {max_bytes!r}")
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                    or not 0 <= timeout < float("inf")):
            raise ValueError(f"settings.json: extract.timeout_seconds must be a number >= 0, not {timeout!r}")
        return cls(jobs, max_bytes, float(timeout) if timeout else None)


def parse_timeout(value: str) -> float:
    """The `--timeout SECONDS` option: a finite number >= 0 (0: no budget).

    >>> parse_timeout("2.5"), parse_timeout("0")
    (2.5, 0.0)
    >>> parse_timeout("nan")
    Traceback (most recent call last):
    ...
    ValueError: --timeout must be a number of seconds >= 0 (0: none), not 'nan'
    """
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not 0 <= seconds < float("inf"):
        raise ValueError(f"--timeout must be a number of seconds >= 0 (0: none), not {value!r}")
    return seconds


def skipped_summary(names: list[str], total: int) -> str | None:
    """The closing line on stderr: how many documents failed and were skipped, and which.

    >>> skipped_summary(["a.jsonl:3", "b.html"], 10)
    '2 of 10 documents failed and were skipped: a.jsonl:3, b.html'
    >>> skipped_summary([], 10) is None
    True
    """
    if not names:
        return None
    listed = ", ".join(names[:SUMMARY_NAMES])
    more = f" and {len(names) - SUMMARY_NAMES} more" if len(names) > SUMMARY_NAMES else ""
    return f"{len(names)} of {total} documents failed and were skipped: {listed}{more}"
