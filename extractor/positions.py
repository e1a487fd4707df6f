"""Which input produced which record, for documents that carry no id (HTML pages, URLs).

`--resume` skips a document whose record is already in the output. A text document's record id
is known before extraction (its id, or a hash of its text), but a page's comes from the page
(its canonical URL, its article text): without a note of where each record came from, a resumed
run would read and extract every page again only to find its record written. The note is a
sidecar beside the output, `FILE.positions`, one JSON line per record: the input's label
("pages/a.html", "archive.jsonl:17"), the input file's size and modification time when it was
read (a changed file is read again), and the record id. It is written after the record, so a
kill between the two costs one re-extraction, never a lost or doubled record.
"""

from __future__ import annotations

import json
import os
from typing import TextIO

SUFFIX = ".positions"


def input_stamp(label: str) -> list[int] | None:
    """[size, mtime_ns] of the file an input label names ("a.html", "b.jsonl:12"); None for
    standard input, URLs and files that are gone (their positions are never trusted).

    >>> input_stamp("<stdin>:3") is None, input_stamp("https://a.gov.vn/x") is None
    (True, True)
    """
    if label.startswith("<") or "://" in label:
        return None
    path, _, line = label.rpartition(":")
    for candidate in ((path,) if path and line.isdigit() else ()) + (label,):
        try:
            info = os.stat(candidate)
        except OSError:
            continue
        return [info.st_size, info.st_mtime_ns]
    return None


class InputPositions:
    """The sidecar of an output file: input label → record id, for inputs without ids."""

    def __init__(self, output: str):
        self.path = output + SUFFIX
        self.known: dict[str, tuple[list[int], str]] = {}
        self._handle: TextIO | None = None

    def load(self, written_ids: set[str]) -> "InputPositions":
        """Read the positions of an earlier run, keeping those whose record is in the output."""
        try:
            with open(self.path, encoding="utf-8") as handle:
                lines = handle.read().split("\n")
        except FileNotFoundError:
            return self
        for line in lines:
            try:
                entry = json.loads(line)
                label, stamp, record_id = entry["input"], entry["stamp"], str(entry["id"])
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line (killed mid-write) or a stray one: that input is read again
            if record_id in written_ids:
                self.known[label] = (stamp, record_id)
        return self

    def done(self, label: str) -> bool:
        """Whether this input's record was written by an earlier run from the same, unchanged file."""
        entry = self.known.get(label)
        return entry is not None and entry[0] == input_stamp(label)

    def add(self, label: str, record_id: str) -> None:
        """Note that `label` produced `record_id` (after the record is written and flushed)."""
        stamp = input_stamp(label)
        if stamp is None or self.known.get(label) == (stamp, record_id):
            return
        if self._handle is None:
            self._handle = open(self.path, "a", encoding="utf-8")
        self._handle.write(json.dumps({"input": label, "stamp": stamp, "id": record_id}, ensure_ascii=False) + "\n")
        self._handle.flush()
        self.known[label] = (stamp, record_id)

    def discard(self) -> None:
        """Forget an earlier run's positions (a fresh, non-resumed run overwrites the output)."""
        try:
            os.remove(self.path)
        except FileNotFoundError:
            pass

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def with_positions(output: str | None, resume: bool, written_ids: set[str] | None) -> InputPositions | None:
    """The positions sidecar of an `extract -o FILE` run: loaded on --resume, cleared otherwise;
    None when records go to standard output."""
    if not output or output == "-":
        return None
    positions = InputPositions(output)
    if resume:
        return positions.load(written_ids or set())
    positions.discard()
    return positions
