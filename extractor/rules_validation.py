"""Checks a rules folder laid over the shipped one (`--rules DIR`) before anything uses it.

A misspelled file name or key, or a removal that matches nothing, would otherwise be silently
ignored (a site profile's `"artcle"` turns a portal's pages into non-articles). Every problem is a
`RulesError` naming the file and the key or line:

- every file of the folder must lay over a shipped file of the same relative name, except new
  platform profiles `sites/NAME.json` (and `*.md` notes, which are not rules);
- `!entry` lines must remove something (checked by the loader as the layers are read);
- site profiles and `sites/_common.json` follow `extractor/rules.schema.json`;
- `settings.json` may only set keys the shipped settings.json has, with values of the same kind
  (a JSON Schema built from the shipped defaults, so a new default needs no schema edit).
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import soupsieve
from jsonschema import Draft202012Validator, FormatChecker

from .rules_base import SHIPPED_RULES_DIR, RulesError

if TYPE_CHECKING:  # the loader calls these checks: at run time this module never imports it back
    from .rules_loader import Rules

SCHEMA_PATH = Path(__file__).resolve().parent / "rules.schema.json"
_TEXT_SUFFIXES = (".txt", ".tsv")
DATE_PATTERNS = "dates/patterns.json"  # its productions' groups are checked when the grammar is built


def validate_overlays(rules: Rules) -> None:
    """Raise RulesError on the first problem of `rules`' user folders (see the module docstring).

    >>> from extractor.rules_loader import Rules
    >>> validate_overlays(Rules())  # the shipped rules alone
    """
    shipped = rules.dirs[0]
    for overlay in rules.dirs[1:]:
        for path in sorted(p for p in overlay.rglob("*") if p.is_file()):
            relative = path.relative_to(overlay)
            if any(part.startswith(".") for part in relative.parts) or path.suffix == ".md":
                continue
            name = relative.as_posix()
            if not (shipped / name).is_file() and not _new_profile(name):
                raise RulesError(f"{path}: unknown rules file: the shipped rules have no {name}{_did_you_mean(name, shipped)}")
            if path.suffix in _TEXT_SUFFIXES:
                rules.lines(name)  # reads every layer: a `!entry` that removes nothing raises
            elif path.suffix == ".json":
                rules.json(name)
    validate_json_rules(rules)


def validate_json_rules(rules: Rules) -> None:
    """Check settings.json and every site profile (all layers merged) against their schemas.

    >>> from extractor.rules_loader import Rules
    >>> validate_json_rules(Rules())
    """
    _check(rules, "settings.json", rules.json("settings.json", {}), _settings_validator())
    for name in rules.names("sites", ".json"):
        definition = "common" if Path(name).name.startswith("_") else "profile"
        _check(rules, name, rules.json(name, {}), _schema_validator(definition))
    _check(rules, DATE_PATTERNS, rules.json(DATE_PATTERNS, {}), _schema_validator("date_patterns"))


def _new_profile(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 2 and parts[0] == "sites" and parts[1].endswith(".json") and not parts[1].startswith("_")


def _did_you_mean(name: str, shipped: Path) -> str:
    known = [p.relative_to(shipped).as_posix() for p in shipped.rglob("*") if p.is_file()]
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _check(rules: Rules, name: str, data: Any, validator: Draft202012Validator) -> None:
    # At one place, an unknown key first: a misspelled required key is reported as written.
    error = next(iter(sorted(validator.iter_errors(data),
                             key=lambda e: (list(e.absolute_path), e.validator != "additionalProperties"))), None)
    if error is None:
        return
    where = ".".join(str(part) for part in error.absolute_path) or "top level"
    user_files = [p for p in rules.paths(name) if not p.is_relative_to(rules.dirs[0])]
    files = ", ".join(str(p) for p in reversed(user_files or rules.paths(name)))
    message = error.message
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        message = f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}"
    elif error.validator == "format" and error.cause is not None:
        message = f"{message} ({str(error.cause).splitlines()[0]})"
    raise RulesError(f"{files}: {where}: {message}")


_FORMATS = FormatChecker(["regex"])  # "regex": re.compile accepts it


@_FORMATS.checks("css-selector", raises=soupsieve.SelectorSyntaxError)
def is_css_selector(value: object) -> bool:
    """A selector soupsieve (BeautifulSoup's `select`) can compile.

    >>> is_css_selector("div.ArticleContent > p"), is_css_selector(7)
    (True, True)
    """
    if isinstance(value, str):
        soupsieve.compile(value)
    return True


@lru_cache(maxsize=4)
def _schema_validator(definition: str) -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator({**schema, "$ref": f"#/$defs/{definition}"}, format_checker=_FORMATS)


@lru_cache(maxsize=1)
def _settings_validator() -> Draft202012Validator:
    shipped = json.loads((SHIPPED_RULES_DIR / "settings.json").read_text(encoding="utf-8"))
    return Draft202012Validator(settings_schema(shipped))


def settings_schema(defaults: Any, key: str = "") -> dict[str, Any]:
    """A JSON Schema accepting what the shipped settings accept: the same keys, values of the same
    kind (integers stay integers, except "…_seconds"), numbers never negative.

    >>> fetch = settings_schema({"fetch": {"max_pages": 10, "delay_seconds": 1}})["properties"]["fetch"]
    >>> fetch["properties"]["max_pages"], fetch["properties"]["delay_seconds"], fetch["additionalProperties"]
    ({'type': 'integer', 'minimum': 0}, {'type': 'number', 'minimum': 0}, False)
    """
    if isinstance(defaults, dict):
        properties = {k: settings_schema(v, k) for k, v in defaults.items()}
        properties.setdefault("_comment", {"type": "string"})
        return {"type": "object", "properties": properties, "additionalProperties": False}
    if isinstance(defaults, bool):
        return {"type": "boolean"}
    if isinstance(defaults, int) and not key.endswith("_seconds"):
        return {"type": "integer", "minimum": 0}
    if isinstance(defaults, (int, float)):
        return {"type": "number", "minimum": 0}
    if isinstance(defaults, list):
        kinds = sorted({settings_schema(item)["type"] for item in defaults}) or ["string"]
        return {"type": "array", "items": {"type": kinds[0] if len(kinds) == 1 else kinds}}
    return {"type": "string"}
