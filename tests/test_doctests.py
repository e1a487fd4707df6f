"""Docstring examples run once: pytest collects them from `extractor/` (`--doctest-modules` in
pyproject.toml), and no test runs a module's examples a second time with `doctest.testmod`.
The modules whose examples are their documentation must keep having some."""

from __future__ import annotations

import ast
import doctest
import importlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Modules whose examples document them (each had its own doctest run before): they keep some.
DOCUMENTED_MODULES = [
    "extractor.numbers", "extractor.published",
    "extractor.facts.dates", "extractor.facts.dates.grammar", "extractor.facts.dates.productions",
    "extractor.facts.dates.combine", "extractor.facts.dates.moments",
    "extractor.facts.quantities", "extractor.facts.quantities.lexicon", "extractor.facts.quantities.scanner",
    "extractor.facts.quantities.segment",
    "extractor.facts.officials", "extractor.facts.officials.lexicon", "extractor.facts.officials.titles",
    "extractor.facts.officials.people", "extractor.facts.organizations", "extractor.facts.locations",
    "extractor.fetch.urls", "extractor.fetch.settings", "extractor.fetch.politeness", "extractor.fetch.http",
    "extractor.fetch.state", "extractor.fetch.discovery", "extractor.fetch.crawler",
    "extractor.html.encoding", "extractor.html.blocks", "extractor.html.generic", "extractor.html.profiles",
    "extractor.html.reader", "extractor.demo",
]


def test_pytest_collects_the_package_examples():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    options = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in options["addopts"].split()
    assert "extractor" in options["testpaths"]


def test_no_test_runs_examples_a_second_time():
    calls = []
    for path in sorted((REPO / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("testmod", "run_docstring_examples", "DocTestRunner"):
                calls.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not calls, f"doctests already run through pytest's --doctest-modules: {calls}"


@pytest.mark.parametrize("module", DOCUMENTED_MODULES)
def test_documented_modules_keep_their_examples(module):
    tests = doctest.DocTestFinder().find(importlib.import_module(module))
    assert sum(len(test.examples) for test in tests) > 0
