"""What every command shares: exit codes, the usage error, per-input failure lines, output checks.

A small bottom layer: the CLI (`cli.py`, `commands/`, `report`, `research`) and the crawler's
option parsing raise and import these without importing `cli.py`, so imports flow one way.
"""

from __future__ import annotations

import sys

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A bad option value or combination (exit code 2)."""


def report_failure(label: str, message: str) -> None:
    """One line on stderr per failed input, naming it."""
    print(f"vnextract: {label}: {message}", file=sys.stderr, flush=True)


def check_output_path(path: str | None, option: str = "-o") -> None:
    """Refuse an output that cannot be a file we write: a folder, or a file in a missing folder
    (a typo must not create folders). Standard output ("-" or None) is always fine.

    >>> check_output_path("/nonexistent-folder/out.jsonl")
    Traceback (most recent call last):
    extractor.usage.UsageError: -o /nonexistent-folder/out.jsonl: the folder /nonexistent-folder does not exist (create it first)
    """
    if not path or path == "-":
        return
    import os

    if os.path.isdir(path):
        raise UsageError(f"{option} {path}: is a folder; give a file name")
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise UsageError(f"{option} {path}: the folder {folder} does not exist (create it first)")
