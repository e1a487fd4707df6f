"""Every Python that requires-python admits: the private `re` internals sit in one module and
work on the running interpreter; CI's smoke run covers every admitted minor version."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from extractor.facts.dates import scan

REPO = Path(__file__).resolve().parents[1]
PRIVATE_RE = re.compile(r"\bsre_(?:parse|constants|compile)\b|\bre\._|from re import _")


def test_private_re_internals_live_in_one_module():
    users = sorted(str(path.relative_to(REPO)) for path in (REPO / "extractor").rglob("*.py")
                   if PRIVATE_RE.search(path.read_text(encoding="utf-8")))
    assert users == ["extractor/facts/dates/scan.py"]


def test_reach_reads_this_interpreters_parse_tree():
    assert scan.reach(re.compile(r"(?<!\w)ngày\s+\d{1,2}(?!\d)")) == scan.Reach(width=8, extent=9, peek=1)
    assert scan.reach(re.compile(r"\d+/\d+")) is None
    if sys.version_info >= (3, 11):  # atomic groups and possessive repeats exist from 3.11 on
        assert scan.ATOMIC_GROUP is scan.sre_c.ATOMIC_GROUP
        assert scan.reach(re.compile(r"(?>ab|a)c")) == scan.Reach(width=3, extent=3)
        assert scan.reach(re.compile(r"a{1,3}+b")) == scan.Reach(width=4, extent=4)
    else:
        assert scan.ATOMIC_GROUP is not None and not hasattr(scan.sre_c, "ATOMIC_GROUP")


def test_the_shipped_date_rules_compile_and_have_reaches_here():
    from extractor.facts.dates.grammar import grammar_for
    from extractor.rules_loader import load_rules

    grammar = grammar_for(load_rules())
    assert grammar is not None


def admitted_minors() -> list[str]:
    """Minor versions from requires-python's lower bound up to the newest the smoke run knows."""
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    lowest = re.search(r'requires-python\s*=\s*">=3\.(\d+)"', pyproject)
    assert lowest, "requires-python is expected as '>=3.N'"
    return [f"3.{minor}" for minor in range(int(lowest.group(1)), 14)]


def test_the_smoke_run_covers_every_admitted_minor_version():
    smoke = (REPO / ".ci" / "python_smoke").read_text(encoding="utf-8")
    listed = re.search(r"for minor in ([\d. ]+); do", smoke)
    assert listed and listed.group(1).split() == admitted_minors()
    assert "bash .ci/python_smoke" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.skipif(sys.version_info >= (3, 11), reason="only where there are no possessive repeats")
def test_no_possessive_repeats_on_3_10():  # pragma: no cover - the smoke run is where 3.10 runs
    with pytest.raises(re.error):
        re.compile("a*+")
