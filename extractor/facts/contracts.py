"""What each fact component needs from the document and what it leaves there, checked when a
pipeline is built (spaCy's `requires` / `assigns`).

A component declares two class attributes, tuples of names:

- `requires`: what it reads — an attribute the `Document` offers from the start
  (`Document.PROVIDES`: `text`, `reference_date`, `token_view`, …) or one an earlier component
  assigns (`people_spans`, `facts.dates`).
- `assigns`: what it leaves for later components — `facts.<its name>` (the pipeline stores its
  facts there) and any declared `Document` field it sets (`title_reader`, `people_spans`).

`check_contracts` runs over the components in pipeline order: a requirement nobody meets before
the component that needs it, or an assign that is no declared `Document` field, is an error at
build time naming the components involved, not a silently empty family at run time.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Iterable, Sequence

from ..document import Document

FACTS_PREFIX = "facts."


class ContractError(ValueError):
    """A pipeline whose components' `requires` and `assigns` do not fit together."""


def assignable() -> frozenset[str]:
    """The `Document` fields a component may assign (the public ones; `facts` is set per family).

    >>> sorted(assignable())
    ['people_spans', 'title_reader']
    """
    fixed = set(Document.PROVIDES) | {"facts"}
    return frozenset(f.name for f in fields(Document) if not f.name.startswith("_") and f.name not in fixed)


def check_contracts(components: Sequence[Any], provided: Iterable[str] = Document.PROVIDES) -> None:
    """Raise `ContractError` unless every component's `requires` is met by the Document or an
    earlier component, and every `assigns` names its own facts or a declared Document field.

    >>> from types import SimpleNamespace as C
    >>> first = C(name="officials", requires=("token_view",), assigns=("facts.officials", "people_spans"))
    >>> then = C(name="organizations", requires=("people_spans",), assigns=("facts.organizations",))
    >>> check_contracts([first, then])
    >>> check_contracts([then, first])
    Traceback (most recent call last):
    ...
    extractor.facts.contracts.ContractError: component 'organizations' requires 'people_spans', which 'officials' assigns only after it: put 'officials' before 'organizations'
    """
    available = set(provided)
    fields_ok = assignable()
    for position, component in enumerate(components):
        name = component.name
        for need in getattr(component, "requires", ()):
            if need not in available:
                raise ContractError(_unmet(name, need, components[position + 1:]))
        for made in getattr(component, "assigns", ()):
            if made != FACTS_PREFIX + name and made not in fields_ok:
                raise ContractError(f"component {name!r} assigns {made!r}, which is neither its own facts "
                                    f"({FACTS_PREFIX + name!r}) nor a declared Document field {sorted(fields_ok)}")
            available.add(made)
        available.add(FACTS_PREFIX + name)  # the pipeline stores every component's facts


def _unmet(name: str, need: str, later: Sequence[Any]) -> str:
    """The message for a requirement nobody meets before component `name`."""
    by = next((c.name for c in later if need in getattr(c, "assigns", ()) or need == FACTS_PREFIX + c.name), None)
    if by is not None:
        return f"component {name!r} requires {need!r}, which {by!r} assigns only after it: put {by!r} before {name!r}"
    return (f"component {name!r} requires {need!r}, which neither the Document provides nor any earlier "
            f"component assigns")
