"""Components declare what they read and what they leave (`requires` / `assigns`), the pipeline
checks the order when it is built, and what a component declares is what it really does."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from extractor.document import Document
from extractor.facts import COMPONENT_ORDER, build_component
from extractor.facts.contracts import ContractError, assignable, check_contracts
from extractor.pipeline import Pipeline
from extractor.rules_loader import load_rules

from ..conftest import corpus_articles

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "extractor"


@pytest.fixture(scope="module")
def components():
    rules = load_rules()
    return {name: build_component(name, rules) for name in COMPONENT_ORDER}


def test_every_shipped_component_declares_its_contract(components):
    for name, component in components.items():
        assert isinstance(component.requires, tuple) and component.requires, name
        assert f"facts.{name}" in component.assigns, name


def test_the_shipped_order_builds(components):
    check_contracts([components[name] for name in COMPONENT_ORDER])
    assert [c.name for c in Pipeline().components] == list(COMPONENT_ORDER)


@pytest.mark.parametrize("order, needer, giver", [
    (("organizations", "officials"), "organizations", "officials"),
    (("quantities", "dates"), "quantities", "dates"),
    (("dates", "organizations", "locations", "officials", "quantities"), "organizations", "officials"),
])
def test_a_misordered_pipeline_fails_when_built_naming_both(order, needer, giver):
    with pytest.raises(ContractError) as caught:
        Pipeline(components=order)
    message = str(caught.value)
    assert f"component {needer!r}" in message and f"put {giver!r} before {needer!r}" in message


def test_a_requirement_nobody_meets_is_named():
    lonely = SimpleNamespace(name="orphan", requires=("text", "sentiment"), assigns=("facts.orphan",))
    with pytest.raises(ContractError, match="'orphan' requires 'sentiment', which neither the Document provides"):
        check_contracts([lonely])


def test_an_undeclared_assign_is_refused():
    sneaky = SimpleNamespace(name="sneaky", requires=("text",), assigns=("facts.sneaky", "_private_cache"))
    with pytest.raises(ContractError, match="'sneaky' assigns '_private_cache', which is neither its own facts"):
        check_contracts([sneaky])
    other_family = SimpleNamespace(name="sneaky", requires=("text",), assigns=("facts.dates",))
    with pytest.raises(ContractError, match="assigns 'facts.dates'"):
        check_contracts([other_family])


def test_what_the_document_provides_exists():
    document = Document(text="Chiều 21/5, Chủ tịch UBND quận Đồ Sơn họp.", rules=load_rules(),
                        published_at=date(2020, 5, 22), url="https://example.vn/a", title="Họp")
    for name in Document.PROVIDES:
        assert getattr(document, name, None) is not None, name
    assert {f.name for f in fields(Document)} >= assignable()


def test_each_component_assigns_what_it_declares_and_nothing_else(components):
    """Over corpus articles: before a component runs, what it requires is there; after, what it
    assigns is set, and no other declared field changed."""
    rules = load_rules()
    for article in corpus_articles()[:12]:
        document = Document(text=article["text"], rules=rules)
        for name in COMPONENT_ORDER:
            component = components[name]
            for need in component.requires:
                if need.startswith("facts."):
                    assert need[len("facts."):] in document.facts, (name, need)
            before = {field: getattr(document, field) for field in assignable()}
            document.facts[name] = component(document)
            for made in component.assigns:
                if not made.startswith("facts."):
                    assert getattr(document, made) is not None, (name, made)
            changed = {field for field in assignable() if getattr(document, field) is not before[field]}
            # the title reader is a shared cache any title-reading component may build first
            assert changed - {"title_reader"} <= set(component.assigns), (name, changed)


def test_no_component_hides_state_in_the_document_dict():
    offenders = [str(path.relative_to(PACKAGE_DIR)) for path in sorted(PACKAGE_DIR.rglob("*.py"))
                 if re.search(r"\.__dict__\b", path.read_text(encoding="utf-8"))]
    assert offenders == []
