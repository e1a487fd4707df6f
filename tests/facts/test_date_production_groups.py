"""The groups a date production declares it needs (`@production("d", "m", …)`) are all it cannot
do without: with any other group of its rule renamed away, the production still runs on every
match of the corpus (it reads that group through `_group`, which answers None for a missing one).
`check_productions` relies on the declarations to refuse a user rule that lacks a needed group."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from extractor.facts.dates.grammar import grammar_for
from extractor.facts.dates.productions import NEEDED_GROUPS, PRODUCTIONS, MatchContext
from extractor.rules_loader import load_rules

REPO = Path(__file__).resolve().parents[2]
REFERENCE = date(2020, 5, 22)


def corpus_texts() -> list[str]:
    """Every gold article's text and every phrasing of the dates corpus."""
    texts = [json.loads(p.read_text(encoding="utf-8")).get("text", "") for p in sorted(REPO.glob("corpus/*/*.json"))]
    for line in (REPO / "corpus" / "phrases" / "dates.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            texts.append(line.split("\t")[-1])
    return texts


def without_group(regex: re.Pattern, name: str) -> re.Pattern:
    """The regex with group `name` renamed away (its back-references and conditionals too).

    >>> sorted(without_group(re.compile(r"(?P<a>x)(?P=a)(?(a)y|z)(?P<b>w)"), "a").groupindex)
    ['b', 'gone_a']
    """
    gone = "gone_" + name
    source = (regex.pattern.replace(f"(?P<{name}>", f"(?P<{gone}>").replace(f"(?P={name})", f"(?P={gone})")
              .replace(f"(?({name})", f"(?({gone})"))
    return re.compile(source, regex.flags)


GRAMMAR = grammar_for(load_rules())
CASES = [(rule, group) for rule in GRAMMAR.rules for group in sorted(rule.regex.groupindex)
         if not any(group in needed.split("|") for needed in NEEDED_GROUPS[rule.production])]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return corpus_texts()


@pytest.mark.parametrize("rule, group", CASES, ids=[f"{rule.name}-{group}" for rule, group in CASES])
def test_a_group_not_declared_needed_can_be_missing(texts, rule, group):
    regex = without_group(rule.regex, group)
    assert group not in regex.groupindex
    build = PRODUCTIONS[rule.production]
    runs = 0
    for text in texts:
        context = MatchContext(text, GRAMMAR, REFERENCE)
        for match in regex.finditer(text):
            build(match, context)  # raises (IndexError, TypeError …) when the group is needed after all
            runs += 1
    assert runs > 0, f"no match of {rule.name} in the corpus: the check proves nothing"


def test_every_production_declares_its_groups():
    assert set(NEEDED_GROUPS) == set(PRODUCTIONS)
    used = {rule.production for rule in GRAMMAR.rules}
    for rule in GRAMMAR.rules:
        for needed in NEEDED_GROUPS[rule.production]:
            assert any(name in rule.regex.groupindex for name in needed.split("|")), (rule.name, needed)
    assert used == set(PRODUCTIONS)
