"""Loading `rules/` data files, with a user folder laid over the shipped one.

Language knowledge lives in data (see rules/README.md); this module only reads it. A `Rules`
object is immutable once built and caches whatever a fact component compiles from it (regexes,
matchers), so the per-document cost of a rule is only its matching.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .rules_base import SHIPPED_RULES_DIR, RulesError  # noqa: F401 (re-exported: most modules import them from here)


class Rules:
    """The shipped rules folder, optionally overlaid by user folders (later ones win).

    >>> rules = Rules()
    >>> "settings.json" in [p.name for p in rules.paths("settings.json")]
    True
    """

    def __init__(self, overlays: tuple[Path, ...] = ()):
        self.dirs: tuple[Path, ...] = (SHIPPED_RULES_DIR, *overlays)
        self._cache: dict[str, Any] = {}
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"Rules({', '.join(str(d) for d in self.dirs)})"

    @property
    def key(self) -> tuple[str, ...]:
        """A hashable identity, used to cache pipelines per rules set."""
        return tuple(str(d) for d in self.dirs)

    def paths(self, name: str) -> list[Path]:
        """Every existing file with this relative name, shipped first."""
        return [d / name for d in self.dirs if (d / name).is_file()]

    def names(self, folder: str, suffix: str = "") -> list[str]:
        """Relative names of the files in a sub-folder across all layers (e.g. site profiles)."""
        found: dict[str, None] = {}
        for d in self.dirs:
            sub = d / folder
            if sub.is_dir():
                for p in sorted(sub.iterdir()):
                    if p.is_file() and p.name.endswith(suffix):
                        found[f"{folder}/{p.name}"] = None
        return list(found)

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        """Build once per Rules object (thread-safe) and return the cached value.

        >>> Rules().cached("answer", lambda: 42)
        42
        """
        try:
            return self._cache[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]

    def lines(self, name: str) -> list[str]:
        """A one-entry-a-line list, layered: user files extend, `#!replace` replaces, `!x` removes.

        >>> isinstance(Rules().lines("settings.json.missing.txt"), list)
        True
        """
        return self.cached(f"lines:{name}", lambda: self._layered_lines(name))

    def tsv(self, name: str) -> list[list[str]]:
        """Rows of a tab-separated file, layered like `lines`; `#:` header lines are skipped."""
        return self.cached(
            f"tsv:{name}",
            lambda: [next(csv.reader(io.StringIO(line), delimiter="\t")) for line in self._layered_lines(name)],
        )

    def json(self, name: str, default: Any = None) -> Any:
        """A JSON file, layered: objects merge key by key (user wins), lists are appended."""
        return self.cached(f"json:{name}", lambda: self._layered_json(name, default))

    def setting(self, section: str, key: str) -> Any:
        """One default from settings.json (the single place defaults live)."""
        return self.json("settings.json", {}).get(section, {}).get(key)

    def _layered_lines(self, name: str) -> list[str]:
        entries: dict[str, None] = {}
        keyed = name.endswith(".tsv")
        for path in self.paths(name):
            raw = _read_text(path).splitlines()
            if raw and raw[0].strip() == "#!replace":
                entries = {}
            for number, line in enumerate(raw, start=1):
                line = line.rstrip("\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                if line.startswith("!"):
                    _remove_entry(entries, line[1:], keyed, f"{path}:{number}")
                    continue
                entries[line.strip() if "\t" not in line else line] = None
        return list(entries)

    def _layered_json(self, name: str, default: Any) -> Any:
        result: Any = default
        for path in self.paths(name):
            try:
                data = json.loads(_read_text(path), parse_constant=_no_constant, parse_float=_finite_float)
            except (json.JSONDecodeError, ValueError) as exc:
                raise RulesError(f"{path}: invalid JSON: {exc}") from exc
            result = _merge(result, data)
        return result


def _remove_entry(entries: dict[str, None], entry: str, keyed: bool, where: str) -> None:
    """`!entry`: drop the line `entry` — in a .tsv, every row whose key (first column) is `entry`,
    or the row written whole. A removal that matches nothing is a mistake worth saying."""
    entry = entry.rstrip("\r\n")
    whole = entry.strip() if "\t" not in entry else entry
    if whole in entries:
        del entries[whole]
        return
    if keyed and "\t" not in entry:
        rows = [row for row in entries if row.split("\t", 1)[0].strip() == entry.strip()]
        for row in rows:
            del entries[row]
        if rows:
            return
    raise RulesError(f"{where}: !{entry.strip()} removes nothing: no such entry in the rules it is laid over")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number rules may hold")


def _finite_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is not a finite number")
    return value


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for k, v in extra.items():
            merged[k] = _merge(merged.get(k), v) if k in merged else v
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return base + extra
    return extra


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot read rules file: {exc}") from exc


def check_shipped(folder: Path = SHIPPED_RULES_DIR) -> None:
    """The shipped rules must be there: without them every reader finds nothing and the records
    come out empty, silently (a copy of `extractor/` without `rules/` beside its link did that).

    >>> check_shipped(Path("/nonexistent"))
    Traceback (most recent call last):
    ...
    extractor.rules_base.RulesError: /nonexistent: the shipped rules folder is missing (no settings.json); reinstall vnextract or restore rules/
    """
    if not (folder / "settings.json").is_file():
        raise RulesError(f"{folder}: the shipped rules folder is missing (no settings.json); "
                         "reinstall vnextract or restore rules/")


@lru_cache(maxsize=32)
def _load(overlays: tuple[str, ...]) -> Rules:
    check_shipped()
    rules = Rules(tuple(Path(o) for o in overlays))
    if overlays:
        from .rules_validation import validate_overlays

        validate_overlays(rules)  # a misspelled file, key or removal fails here, loudly
    return rules


def load_rules(rules: "Rules | str | Path | None" = None) -> Rules:
    """The shipped rules, overlaid by a user folder when given; one object per folder per process.

    >>> load_rules() is load_rules()
    True
    """
    if isinstance(rules, Rules):
        return rules
    if rules is None:
        return _load(())
    path = Path(rules)
    if not path.is_dir():
        raise RulesError(f"{path}: rules folder not found")
    return _load((str(path.resolve()),))
