"""Fact components: one module per fact family, run in a fixed order over one Document.

A component is a class built once per `Rules` (it compiles its patterns and lexicons then) and
called once per document: `component(document) -> list[fact]`. Order matters: dates claim their
spans first, so quantities never read "21/5" as a ratio; officials come before organizations so
an organization inside a title is still reported on its own.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, Protocol

from ..document import Document
from ..rules_loader import Rules

COMPONENT_ORDER: tuple[str, ...] = ("dates", "quantities", "officials", "organizations", "locations")


class Component(Protocol):
    """What the pipeline needs of a fact component. `requires` and `assigns` name what it reads
    from the document and what it leaves there (`extractor.facts.contracts`, checked when the
    pipeline is built). A component that never calls underthesea says so with
    `uses_underthesea = False`, so a pipeline of such components does not load its model."""

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, document: Document) -> list[Any]: ...


def build_component(name: str, rules: Rules) -> Component:
    """Instantiate the component of a family (module `extractor.facts.<name>`, attribute COMPONENT).

    >>> from extractor.rules_loader import load_rules
    >>> build_component("dates", load_rules()).name
    'dates'
    """
    module = import_module(f"{__name__}.{name}")
    return module.COMPONENT(rules)
