"""One pass over JSONL records → the numbers, tables and article sample a report shows.

Memory stays bounded whatever the archive's size: counters are keyed by things that repeat
(months, sites, units), people and their posts go to the research registry (`vnextract people`:
aggregates per person and post, never the records), and full articles are kept only for a fixed-size sample (reservoir sampling, seeded, so the
same input gives the same report).
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..record import FACT_FAMILIES
from ..research.registry import Registry

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})")
# A failure line of `vnextract extract`'s stderr: "vnextract: INPUT: MESSAGE" (INPUT may hold ":").
_ERROR_LINE_RE = re.compile(r"^vnextract: (.+?(?::\d+)?): (.+)$")

DEFAULT_SAMPLE = 100  # articles shown in full
UNIT_CAP = 5_000  # distinct (unit, kind) pairs tracked before one-off ones are pruned
ERRORS_SHOWN = 100


@dataclass
class InputProblem:
    """A line or file that is not a record: where, and why."""

    where: str
    message: str


@dataclass
class UnitEntry:
    unit: str
    kind: str
    facts: int = 0
    articles: int = 0
    example: str = ""


@dataclass
class ReportData:
    """Everything the template shows; built by `aggregate`."""

    articles: int = 0
    articles_without_facts: int = 0
    per_month: Counter = field(default_factory=Counter)
    per_site: Counter = field(default_factory=Counter)
    facts_per_family: Counter = field(default_factory=Counter)
    quantity_kinds: Counter = field(default_factory=Counter)
    registry: Registry = field(default_factory=Registry)
    units: dict[tuple[str, str], UnitEntry] = field(default_factory=dict)
    extraction_errors: list[InputProblem] = field(default_factory=list)
    extraction_error_count: int = 0
    input_problems: list[InputProblem] = field(default_factory=list)
    input_problem_count: int = 0
    sample: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def iter_records(paths: Iterable[str], problems: list[InputProblem] | None = None) -> Iterator[tuple[str, Any]]:
    """(where, parsed line) for each non-blank line of JSONL files; a file that cannot be read or a
    line that is not JSON becomes an `InputProblem` in `problems` and the rest go on.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "r.jsonl")
    >>> _ = open(path, "w").write('{"id": "a", "text": "x"}\\nnot json\\n')
    >>> found = []
    >>> [where for where, _ in iter_records([path], found)], [p.message[:13] for p in found]
    ([...r.jsonl:1'], ['not JSON: Exp'])
    """
    problems = [] if problems is None else problems
    for path in paths:
        try:
            handle = open(path, encoding="utf-8", errors="strict") if path != "-" else None
            if handle is None:
                import sys

                handle = sys.stdin
            with handle:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    where = f"{path}:{number}"
                    try:
                        yield where, json.loads(line)
                    except json.JSONDecodeError as exc:
                        problems.append(InputProblem(where, f"not JSON: {exc.msg}"))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(InputProblem(str(path), f"cannot read: {getattr(exc, 'strerror', None) or exc}"))


def read_error_log(path: str, data: ReportData) -> None:
    """Count the failures `vnextract extract` reported on stderr ("vnextract: INPUT: MESSAGE"
    lines; progress bars and other lines are skipped) as extraction errors.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "err.log")
    >>> _ = open(path, "w").write("vnextract: docs.jsonl:7: not JSON: Expecting value\\n 50%|###  |\\n")
    >>> data = ReportData(); read_error_log(path, data)
    >>> data.extraction_error_count, data.extraction_errors[0].where
    (1, 'docs.jsonl:7')
    """
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            found = _ERROR_LINE_RE.match(line.rstrip("\n"))
            if found is None:
                continue
            data.extraction_error_count += 1
            if len(data.extraction_errors) < ERRORS_SHOWN:
                data.extraction_errors.append(InputProblem(found.group(1), found.group(2)))


def aggregate(paths: list[str], sample_size: int = DEFAULT_SAMPLE, seed: int = 0) -> ReportData:
    """Read the records of `paths` once and gather the report's data.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "r.jsonl")
    >>> rec = {"id": "a", "text": "Sáng 14/3", "published_at": "2024-03-15", "site": "x.gov.vn",
    ...        "dates": [{"text": "Sáng 14/3", "start": 0, "end": 9, "kind": "date", "value": "2024-03-14"}]}
    >>> _ = open(path, "w").write(json.dumps(rec) + "\\n")
    >>> data = aggregate([path])
    >>> data.articles, dict(data.per_month), dict(data.facts_per_family)
    (1, {'2024-03': 1}, {'dates': 1})
    """
    data = ReportData(sources=[str(p) for p in paths])
    rng = random.Random(seed)
    problems: list[InputProblem] = []
    for where, item in iter_records(paths, problems):
        _flush_problems(data, problems)
        if not isinstance(item, dict):
            _problem(data, InputProblem(where, f"not a record: a JSON {type(item).__name__}"))
            continue
        if item.get("error") is not None and not isinstance(item.get("text"), str):
            data.extraction_error_count += 1
            if len(data.extraction_errors) < ERRORS_SHOWN:
                label = item.get("id") or item.get("url") or where
                data.extraction_errors.append(InputProblem(str(label), str(item["error"])))
            continue
        if not isinstance(item.get("text"), str):
            _problem(data, InputProblem(where, "not a record: no 'text' field"))
            continue
        index = data.articles
        _count(data, item)
        # Reservoir sampling: every record has the same chance to be shown, in one pass.
        if len(data.sample) < sample_size:
            data.sample.append((index, item))
        else:
            k = rng.randrange(index + 1)
            if k < sample_size:
                data.sample[k] = (index, item)
    _flush_problems(data, problems)
    data.sample.sort(key=lambda pair: pair[0])
    return data


def _flush_problems(data: ReportData, problems: list[InputProblem]) -> None:
    for problem in problems:
        _problem(data, problem)
    problems.clear()


def _problem(data: ReportData, problem: InputProblem) -> None:
    data.input_problem_count += 1
    if len(data.input_problems) < ERRORS_SHOWN:
        data.input_problems.append(problem)


def _list(item: dict[str, Any], family: str) -> list:
    value = item.get(family)
    return value if isinstance(value, list) else []


def _count(data: ReportData, item: dict[str, Any]) -> None:
    data.articles += 1
    published = item.get("published_at") if isinstance(item.get("published_at"), str) else ""
    month = _MONTH_RE.match(published)
    data.per_month[f"{month.group(1)}-{month.group(2)}" if month else "unknown"] += 1
    data.per_site[item.get("site") or "unknown"] += 1
    total = 0
    for family in FACT_FAMILIES:
        n = len(_list(item, family))
        total += n
        if n:
            data.facts_per_family[family] += n
    if total == 0:
        data.articles_without_facts += 1
    data.registry.add(item)
    seen_units: set[tuple[str, str]] = set()
    for quantity in _list(item, "quantities"):
        if not isinstance(quantity, dict):
            continue
        kind = str(quantity.get("kind") or "count")
        data.quantity_kinds[kind] += 1
        key = (str(quantity.get("unit") or ""), kind)
        entry = data.units.get(key)
        if entry is None:
            if len(data.units) >= UNIT_CAP:
                _prune(data.units, lambda e: e.facts)
            entry = data.units[key] = UnitEntry(key[0], kind, example=str(quantity.get("text") or ""))
        entry.facts += 1
        if key not in seen_units:
            entry.articles += 1
            seen_units.add(key)


def _prune(table: dict, weight) -> int:
    """Drop the entries of least weight (seen once) so a table stays under its cap; how many went.
    When every entry weighs more than one, the lighter half goes."""
    light = [k for k, v in table.items() if weight(v) <= 1]
    if not light:
        ordered = sorted(table, key=lambda k: weight(table[k]))
        light = ordered[: len(ordered) // 2]
    for k in light:
        del table[k]
    return len(light)
