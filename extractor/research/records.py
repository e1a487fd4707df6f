"""Reading vnextract records back from JSONL files, one at a time.

Every research command reads records the same way: files (or "-" for standard input) read line
by line, never whole, so an archive of any size streams; a line that is not a record is reported
with its file and line number and the rest are still read.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from typing import Any, Callable, Iterator


@dataclass
class BadRecord:
    """A line that could not be read as a record: where, and why."""

    label: str
    message: str


class RecordSource:
    """JSONL record files that can be read more than once (standard input is spooled to a
    temporary file on first use), reporting bad lines through `on_error`.

    >>> source = RecordSource([])
    >>> list(source.records())
    []
    """

    def __init__(self, paths: list[str], on_error: Callable[[BadRecord], None] | None = None):
        self.paths = list(paths)
        self.on_error = on_error
        self.failures = 0
        self._spooled: str | None = None
        self._reported = False

    def close(self) -> None:
        """Remove the spooled copy of standard input, if any."""
        if self._spooled:
            os.unlink(self._spooled)
            self._spooled = None

    def __enter__(self) -> "RecordSource":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _path(self, path: str) -> str:
        if path != "-":
            return path
        if self._spooled is None:
            handle = tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False)
            with handle:
                shutil.copyfileobj(sys.stdin.buffer, handle)
            self._spooled = handle.name
        return self._spooled

    def size(self) -> int:
        """Total bytes of the inputs (for a progress bar); 0 when unknown."""
        total = 0
        for path in self.paths:
            try:
                total += os.path.getsize(self._path(path))
            except OSError:
                pass
        return total

    def records(self, progress: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
        """Every record of every input, in order. Errors are reported on the first reading only,
        so reading twice (registry, then tables) counts each bad line once."""
        report = not self._reported
        self._reported = True
        for path in self.paths:
            label = "<stdin>" if path == "-" else path
            try:
                handle = open(self._path(path), "rb")
            except OSError as exc:
                if report:
                    self._fail(BadRecord(label, f"cannot read: {exc.strerror}"))
                continue
            with handle:
                for number, line in enumerate(handle, start=1):
                    if progress is not None:
                        progress(len(line))
                    if not line.strip():
                        continue
                    record = _parse(line)
                    if isinstance(record, str):
                        if report:
                            self._fail(BadRecord(f"{label}:{number}", record))
                        continue
                    yield record

    def _fail(self, bad: BadRecord) -> None:
        self.failures += 1
        if self.on_error is not None:
            self.on_error(bad)


def _parse(line: bytes) -> dict[str, Any] | str:
    """A record, or the reason the line is not one."""
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        return f"not a JSON line ({exc})"
    if not isinstance(record, dict):
        return "not a vnextract record (a JSON object is expected)"
    if not isinstance(record.get("id"), (str, int)) or record.get("id") == "":
        return "not a vnextract record (no 'id')"
    for family in ("dates", "officials", "quantities", "organizations", "locations"):
        if not isinstance(record.get(family, []), list):
            return f"not a vnextract record ('{family}' is not a list)"
    return record


def published_day(record: dict[str, Any]) -> str | None:
    """The publication day (ISO date) of a record, None when it has none or an unreadable one.

    >>> published_day({"published_at": "2020-05-22T08:33:00+07:00"}), published_day({"published_at": None})
    ('2020-05-22', None)
    """
    value = record.get("published_at")
    if not isinstance(value, str) or len(value) < 10:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None
