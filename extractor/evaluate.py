"""Scoring extraction against gold files, exactly as SPEC defines it.

Per fact type, micro-averaged over articles, on distinct facts per article:
- dates match on (kind, value);
- officials match on name; a predicted title is correct when it is among the gold titles of the
  official it is attached to (precision over all predicted titles, recall over all gold titles);
  names and titles compare after NFC, whitespace folding and modern tone placement, titles also
  case-insensitively with SPEC's abbreviations spelled out;
- quantities match on (kind, value, total) with compatible units;
each gold item matches at most one predicted item.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .normalize import normalize_text

# SPEC fixes this list for scoring; it is part of the contract, not an extensible lexicon, so it
# lives here rather than in rules/ (a user's rules must not change how scores are computed).
SCORING_ABBREVIATIONS = {
    "ubnd": "ủy ban nhân dân", "hđnd": "hội đồng nhân dân", "mttq": "mặt trận tổ quốc",
    "tw": "trung ương", "tp": "thành phố", "đbqh": "đại biểu quốc hội", "tand": "tòa án nhân dân",
    "vksnd": "viện kiểm sát nhân dân", "bch": "ban chấp hành", "btv": "ban thường vụ",
}
_ABBREVIATION_RE = re.compile(r"(?<!\w)(" + "|".join(SCORING_ABBREVIATIONS) + r")(?!\w)\.?", re.IGNORECASE)

FACT_TYPES = ("dates", "officials", "titles", "quantities", "organizations", "locations")


def fold_name(name: str) -> str:
    """Names: NFC, modern tone placement, whitespace folded (case kept).

    >>> fold_name(" Nguyễn  Văn\\nHoà ")
    'Nguyễn Văn Hòa'
    """
    return " ".join(normalize_text(name).split())


def fold_title(title: str) -> str:
    """Titles: as names, plus lower case and SPEC's abbreviations spelled out.

    >>> fold_title("Chủ tịch UBND TP. Huế") == fold_title("chủ tịch Ủy ban nhân dân thành phố Huế")
    True
    """
    folded = fold_name(title).lower()
    folded = _ABBREVIATION_RE.sub(lambda m: SCORING_ABBREVIATIONS[m.group(1).lower()] + " ", folded)
    return " ".join(folded.split())


@dataclass
class Tally:
    """Counts for one fact type."""

    gold: int = 0
    predicted: int = 0
    correct_predicted: int = 0  # for precision
    correct_gold: int = 0  # for recall (equal to correct_predicted except for titles)

    def add(self, other: "Tally") -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.correct_predicted += other.correct_predicted
        self.correct_gold += other.correct_gold

    @property
    def precision(self) -> float:
        return self.correct_predicted / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.correct_gold / self.gold if self.gold else (1.0 if not self.predicted else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "predicted": self.predicted, "correct": self.correct_predicted,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class ArticleScore:
    """Per-article tallies plus what was missed and what was spurious (for `--errors`)."""

    id: str
    tallies: dict[str, Tally] = field(default_factory=dict)
    missed: dict[str, list[Any]] = field(default_factory=dict)
    spurious: dict[str, list[Any]] = field(default_factory=dict)


def _number_equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


def units_compatible(a: str | None, b: str | None) -> bool:
    """Equal, or one a prefix of the other ending at a non-letter (lower-cased).

    >>> units_compatible("tỉnh", "tỉnh, thành phố"), units_compatible("ha", "hai")
    (True, False)
    """
    if a is None or b is None:
        return a is None and b is None
    a, b = fold_name(a).lower(), fold_name(b).lower()
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return long.startswith(short) and not long[len(short)].isalpha()


def _match(gold: list[Any], predicted: list[Any], same: Callable[[Any, Any], bool]) -> tuple[list[Any], list[Any], int]:
    """Greedy one-to-one matching; returns (missed gold, spurious predicted, matches)."""
    unused = list(predicted)
    missed = []
    matches = 0
    for g in gold:
        for i, p in enumerate(unused):
            if same(g, p):
                del unused[i]
                matches += 1
                break
        else:
            missed.append(g)
    return missed, unused, matches


def _distinct(items: Iterable[Any], key: Callable[[Any], Any]) -> list[Any]:
    seen: dict[Any, Any] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def _date_key(d: dict[str, Any]) -> tuple[str, str]:
    return (d.get("kind"), d.get("value"))


def _quantity_key(q: dict[str, Any]) -> tuple:
    value = q.get("value")
    total = q.get("total")
    return (q.get("kind"), None if value is None else round(float(value), 6),
            None if total is None else round(float(total), 6), fold_name(q.get("unit") or "").lower() or None)


def _quantity_same(g: dict[str, Any], p: dict[str, Any]) -> bool:
    return (g.get("kind") == p.get("kind") and _number_equal(g.get("value"), p.get("value"))
            and _number_equal(g.get("total"), p.get("total")) and units_compatible(g.get("unit"), p.get("unit")))


def _span_key(item: dict[str, Any]) -> str:
    return fold_title(item.get("text", ""))


def score_article(gold: dict[str, Any], predicted: dict[str, Any]) -> ArticleScore:
    """Score one predicted record against one gold article.

    >>> g = {"id": "a", "dates": [{"kind": "date", "value": "2020-05-21"}], "officials": [], "quantities": []}
    >>> score_article(g, {"dates": [{"kind": "date", "value": "2020-05-21"}]}).tallies["dates"].f1
    1.0
    """
    result = ArticleScore(id=str(gold.get("id")))

    def simple(family: str, key: Callable[[Any], Any], same: Callable[[Any, Any], bool]) -> None:
        gold_items = _distinct(gold.get(family) or [], key)
        pred_items = _distinct(predicted.get(family) or [], key)
        missed, spurious, matches = _match(gold_items, pred_items, same)
        result.tallies[family] = Tally(len(gold_items), len(pred_items), matches, matches)
        result.missed[family], result.spurious[family] = missed, spurious

    simple("dates", _date_key, lambda g, p: _date_key(g) == _date_key(p))
    simple("quantities", _quantity_key, _quantity_same)
    for family in ("organizations", "locations"):
        if family in gold:
            simple(family, _span_key, lambda g, p: _span_key(g) == _span_key(p))

    gold_people = _merge_officials(gold.get("officials") or [])
    pred_people = _merge_officials(predicted.get("officials") or [])
    names_gold, names_pred = set(gold_people), set(pred_people)
    common = names_gold & names_pred
    result.tallies["officials"] = Tally(len(names_gold), len(names_pred), len(common), len(common))
    result.missed["officials"] = sorted(names_gold - names_pred)
    result.spurious["officials"] = sorted(names_pred - names_gold)

    titles = Tally()
    missed_titles, spurious_titles = [], []
    for name, pred_titles in pred_people.items():
        gold_titles = gold_people.get(name, {})
        titles.predicted += len(pred_titles)
        good = [t for t in pred_titles if t in gold_titles]
        titles.correct_predicted += len(good)
        spurious_titles += [f"{name}: {pred_titles[t]}" for t in pred_titles if t not in gold_titles]
    for name, gold_titles in gold_people.items():
        pred_titles = pred_people.get(name, {})
        titles.gold += len(gold_titles)
        titles.correct_gold += sum(1 for t in gold_titles if t in pred_titles)
        missed_titles += [f"{name}: {gold_titles[t]}" for t in gold_titles if t not in pred_titles]
    result.tallies["titles"] = titles
    result.missed["titles"], result.spurious["titles"] = missed_titles, spurious_titles
    return result


def _merge_officials(officials: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """name → {folded title: title as written}, one entry per distinct name."""
    people: dict[str, dict[str, str]] = {}
    for person in officials:
        name = fold_name(person.get("name") or "")
        if not name:
            continue
        titles = people.setdefault(name, {})
        for title in person.get("titles") or []:
            titles.setdefault(fold_title(title), title)
    return people


class GoldError(ValueError):
    """A gold file that cannot be read; the message names it."""


def load_gold(paths: Iterable[str | Path]) -> list[tuple[str, dict[str, Any]]]:
    """(label, article) pairs from gold files: .json (an object or a list), .jsonl, or folders of them."""
    articles: list[tuple[str, dict[str, Any]]] = []
    for raw in paths:
        path = Path(raw)
        files = sorted(p for p in path.rglob("*") if p.suffix in (".json", ".jsonl")) if path.is_dir() else [path]
        for file in files:
            articles.extend(_load_gold_file(file))
    return articles


def _load_gold_file(file: Path) -> list[tuple[str, dict[str, Any]]]:
    try:
        content = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{file}: cannot read gold file: {exc}") from exc
    items: list[tuple[str, Any]] = []
    if file.suffix == ".jsonl":
        for number, line in enumerate(content.splitlines(), 1):
            if line.strip():
                try:
                    items.append((f"{file}:{number}", json.loads(line)))
                except json.JSONDecodeError as exc:
                    raise GoldError(f"{file}:{number}: bad JSON: {exc.msg}") from exc
    else:
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{file}: bad JSON: {exc.msg} (line {exc.lineno})") from exc
        items = [(f"{file}[{i}]", d) for i, d in enumerate(data)] if isinstance(data, list) else [(str(file), data)]
    for label, item in items:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise GoldError(f"{label}: a gold article must be an object with a 'text' string")
    return items


@dataclass
class EvalReport:
    """Totals per fact type, per-article scores and timing."""

    totals: dict[str, Tally]
    articles: list[ArticleScore]
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": len(self.articles),
            "ms_per_article": round(1000 * self.seconds / max(1, len(self.articles)), 2),
            "scores": {k: v.as_dict() for k, v in self.totals.items()},
        }

    def table(self) -> str:
        lines = [f"{'type':<14}{'gold':>6}{'pred':>6}{'ok':>6}{'P':>8}{'R':>8}{'F1':>8}"]
        for family, t in self.totals.items():
            lines.append(f"{family:<14}{t.gold:>6}{t.predicted:>6}{t.correct_predicted:>6}"
                         f"{t.precision:>8.3f}{t.recall:>8.3f}{t.f1:>8.3f}")
        lines.append(f"{len(self.articles)} articles, {1000 * self.seconds / max(1, len(self.articles)):.1f} ms/article")
        return "\n".join(lines)

    def errors(self) -> str:
        out = []
        for article in self.articles:
            rows = []
            for family in FACT_TYPES:
                for g in article.missed.get(family, []):
                    rows.append(f"  - {family:<13} missed   {_show(g)}")
                for p in article.spurious.get(family, []):
                    rows.append(f"  + {family:<13} spurious {_show(p)}")
            if rows:
                out.append(f"{article.id}:")
                out.extend(rows)
        return "\n".join(out)


def _show(item: Any) -> str:
    if isinstance(item, dict):
        keep = {k: v for k, v in item.items() if k in ("text", "kind", "value", "total", "unit", "qualifier", "type")}
        return json.dumps(keep, ensure_ascii=False)
    return str(item)


def evaluate(gold_articles: list[tuple[str, dict[str, Any]]], extract: Callable[[dict[str, Any]], dict[str, Any]]
             ) -> EvalReport:
    """Run `extract` on each gold article's text and score the predictions."""
    totals = {family: Tally() for family in ("dates", "officials", "titles", "quantities")}
    scores = []
    extract({"id": "warm-up", "text": "Chiều 21/5, họp."})  # builds (and warms) the pipeline, untimed
    started = time.perf_counter()
    predictions = [extract(article) for _, article in gold_articles]
    seconds = time.perf_counter() - started
    for (label, article), predicted in zip(gold_articles, predictions):
        score = score_article({"id": article.get("id", label), **article}, predicted)
        scores.append(score)
        for family, tally in score.tallies.items():
            totals.setdefault(family, Tally()).add(tally)
    return EvalReport(totals, scores, seconds)


def extract_for_eval(rules: Any = None) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The extraction eval runs: the library on the gold text, with its publication date."""
    from .api import extract_text

    def run(article: dict[str, Any]) -> dict[str, Any]:
        return extract_text(article["text"], published_at=article.get("published_at"), url=article.get("url"),
                            title=article.get("title"), rules=rules, id=article.get("id")).to_dict()

    return run
