"""Per-set F1 floors: every family on every corpus set stays at or above the floor kept in
`tests/f1_floors.json` (set at the measured F1 − 0.01 when it was written).

A floor is a minimum, not the score: raise it when a family gets better, never lower it to make a
change pass. A new corpus set (a `corpus/holdoutN/` folder) fails here until it has its floors:
`.venv/bin/python tests/test_f1_floors.py --write` adds the missing sets at their measured − 0.01
(existing floors are kept) and prints every set's measured F1.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FLOORS_PATH = Path(__file__).resolve().parent / "f1_floors.json"
MARGIN = 0.01
NOT_GOLD_SETS = {"phrases", "portal"}  # corpus/ folders that are not gold articles


def corpus_sets() -> list[str]:
    """Every gold set, as `make eval` scores them: corpus/* with gold files, then ../shared/dev if present."""
    sets = [f"corpus/{d.name}" for d in sorted((REPO / "corpus").iterdir())
            if d.is_dir() and d.name not in NOT_GOLD_SETS and any(d.glob("*.json"))]
    if (REPO.parent / "shared" / "dev").is_dir():
        sets.append("../shared/dev")
    return sets


def load_floors() -> dict[str, dict[str, float]]:
    """set → family → floor; e.g. load_floors()["corpus/articles"]["dates"] -> 0.99."""
    data = json.loads(FLOORS_PATH.read_text(encoding="utf-8"))
    return {name: families for name, families in data.items() if not name.startswith("_")}


def measure(corpus_set: str) -> dict[str, float]:
    """family → F1 of the extractor on one set, scored exactly as `vnextract eval` scores it."""
    from extractor.evaluate import evaluate, extract_for_eval, load_gold

    report = evaluate(load_gold([REPO / corpus_set]), extract_for_eval())
    return {family: tally.f1 for family, tally in report.totals.items()}


def floor_of(f1: float) -> float:
    """The floor written for a measured F1: 0.01 below it, rounded down to 4 places.

    >>> floor_of(0.9529), floor_of(1.0)
    (0.9429, 0.99)
    """
    return math.floor(round((f1 - MARGIN) * 10000, 6)) / 10000


@pytest.mark.parametrize("corpus_set", corpus_sets())
def test_every_family_stays_above_its_floor(corpus_set):
    floors = load_floors()
    assert corpus_set in floors, f"{corpus_set} has no F1 floors: run `.venv/bin/python tests/test_f1_floors.py --write`"
    measured = measure(corpus_set)
    assert set(measured) == set(floors[corpus_set]), (
        f"{corpus_set}: families scored {sorted(measured)} but floors kept for {sorted(floors[corpus_set])}")
    below = {family: (round(f1, 4), floors[corpus_set][family]) for family, f1 in measured.items()
             if f1 < floors[corpus_set][family]}
    assert not below, f"{corpus_set}: F1 below its floor (measured, floor): {below}"


def test_floors_are_kept_for_every_set_and_family():
    floors = load_floors()
    assert set(floors) >= set(corpus_sets()) - {"../shared/dev"}
    families = {"dates", "officials", "titles", "quantities"}
    for name, kept in floors.items():
        assert families <= set(kept), name
        assert all(0 < floor <= 1 for floor in kept.values()), name
    # the team's own articles are annotated for organizations and locations too
    assert {"organizations", "locations"} <= set(floors["corpus/articles"])


def write_missing() -> None:
    """Add the sets that have no floors yet at their measured F1 − 0.01; print every set's F1."""
    data = json.loads(FLOORS_PATH.read_text(encoding="utf-8")) if FLOORS_PATH.exists() else {}
    for corpus_set in corpus_sets():
        measured = measure(corpus_set)
        print(corpus_set, {family: round(f1, 4) for family, f1 in measured.items()})
        data.setdefault(corpus_set, {family: floor_of(f1) for family, f1 in measured.items()})
    FLOORS_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    if sys.argv[1:] == ["--write"]:
        write_missing()
    else:
        for name in corpus_sets():
            print(name, {family: round(f1, 4) for family, f1 in measure(name).items()})
