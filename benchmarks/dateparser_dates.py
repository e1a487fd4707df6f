"""Dates side by side: vnextract's dates component against `dateparser.search.search_dates`.

Both read the same gold articles (default ../shared/dev) and are scored by SPEC's date rule —
match on (kind, value), distinct facts per article, micro-averaged — with `extractor.evaluate`.
dateparser gets the Vietnamese language and the article's publication time as RELATIVE_BASE;
each string it finds is re-read with `DateDataParser` to learn its grain (day, month, year, time),
which gives the kind: day → date, month → month, year → year, time → datetime.

    .venv/bin/python benchmarks/dateparser_dates.py [GOLD…] [--errors] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from datetime import date, datetime, time as clock
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extractor.evaluate import Tally, load_gold, score_article  # noqa: E402
from extractor.pipeline import Pipeline  # noqa: E402
from extractor.published import parse_iso  # noqa: E402

GRAIN_TO_KIND = {"day": "date", "week": "date", "month": "month", "year": "year", "time": "datetime"}


def reference_time(published: str | None) -> datetime | None:
    """The publication time as a naive datetime (dateparser's RELATIVE_BASE)."""
    parsed = parse_iso(published)
    if isinstance(parsed, datetime):
        return parsed.replace(tzinfo=None)
    if isinstance(parsed, date):
        return datetime.combine(parsed, clock(12, 0))
    return None


def dateparser_extract() -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    """An extractor with dateparser's search, giving SPEC-shaped date facts."""
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    grain_reader = DateDataParser(languages=["vi"])

    def run(article: dict[str, Any]) -> list[dict[str, Any]]:
        base = reference_time(article.get("published_at"))
        settings = {"RELATIVE_BASE": base} if base else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = search_dates(article["text"], languages=["vi"], settings=settings) or []
        facts = []
        for text, moment in found:
            data = grain_reader.get_date_data(text)
            kind = GRAIN_TO_KIND.get(data.period or "day", "date")
            if kind == "date" and (moment.hour or moment.minute):
                kind = "datetime"
            value = {"date": f"{moment:%Y-%m-%d}", "datetime": f"{moment:%Y-%m-%dT%H:%M}",
                     "month": f"{moment:%Y-%m}", "year": f"{moment:%Y}"}[kind]
            facts.append({"text": text, "kind": kind, "value": value})
        return facts

    return run


def vnextract_extract() -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    """vnextract's dates component alone (the other families do not change dates)."""
    pipeline = Pipeline(components=("dates",))

    def run(article: dict[str, Any]) -> list[dict[str, Any]]:
        record = pipeline.extract_text(article["text"], published_at=article.get("published_at"))
        return [d.to_dict() for d in record.dates]

    return run


def score(name: str, extract: Callable, articles: list[tuple[str, dict]]) -> dict[str, Any]:
    """Run one extractor over the gold articles and tally SPEC's date score."""
    total = Tally()
    errors = []
    extract({"text": "Chiều 21/5, họp.", "published_at": "2020-05-22"})  # warm up, untimed
    started = time.perf_counter()
    predictions = [extract(article) for _, article in articles]
    seconds = time.perf_counter() - started
    for (label, article), predicted in zip(articles, predictions):
        result = score_article({"id": article.get("id", label), **article}, {"dates": predicted})
        total.add(result.tallies["dates"])
        for gold in result.missed["dates"]:
            errors.append(f"{result.id}: missed   {gold.get('text')!r} {gold['kind']} {gold['value']}")
        for spurious in result.spurious["dates"]:
            errors.append(f"{result.id}: spurious {spurious.get('text')!r} {spurious['kind']} {spurious['value']}")
    return {"name": name, **total.as_dict(), "ms_per_article": round(1000 * seconds / max(1, len(articles)), 2),
            "errors": errors}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", default=[str(REPO.parent / "shared" / "dev")])
    parser.add_argument("--errors", action="store_true", help="list missed and spurious dates")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    articles = load_gold(args.gold)
    results = [score("vnextract", vnextract_extract(), articles),
               score("dateparser", dateparser_extract(), articles)]
    if args.json:
        print(json.dumps([{k: v for k, v in r.items() if k != "errors"} for r in results], indent=2))
        return 0
    print(f"{len(articles)} articles: {', '.join(args.gold)}")
    print(f"{'extractor':<12}{'gold':>6}{'pred':>6}{'ok':>6}{'P':>8}{'R':>8}{'F1':>8}{'ms/art':>9}")
    for r in results:
        print(f"{r['name']:<12}{r['gold']:>6}{r['predicted']:>6}{r['correct']:>6}"
              f"{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}{r['ms_per_article']:>9.2f}")
    if args.errors:
        for r in results:
            print(f"\n{r['name']}:")
            print("\n".join("  " + e for e in r["errors"]) or "  (none)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
