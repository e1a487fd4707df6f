"""Officials side by side: vnextract's officials component against underthesea `ner()`.

Both read the same gold articles (default ../shared/dev) and are scored by SPEC's officials rule
with `extractor.evaluate` (names match after NFC/whitespace folding; distinct per article;
micro-averaged). underthesea gets each sentence of `sent_tokenize(text)`; every PER entity
(a B-PER word and the I-PER words after it) is taken as an official with no title — so its
titles score is 0 by construction, and only names are compared. Model loading is not timed.

    .venv/bin/python benchmarks/underthesea_ner.py [GOLD…] [--errors] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extractor.evaluate import Tally, load_gold, score_article  # noqa: E402
from extractor.pipeline import Pipeline  # noqa: E402


def person_entities(tagged: list[tuple]) -> list[str]:
    """PER spans of one `ner()` result: [("Ông", …, "O"), ("Lê Văn", …, "B-PER"), ("An", …, "I-PER")] → ["Lê Văn An"]."""
    names, current = [], []
    for word, *_, tag in tagged:
        if tag == "B-PER" or (tag == "I-PER" and not current):
            if current:
                names.append(" ".join(current))
            current = [word]
        elif tag == "I-PER":
            current.append(word)
        else:
            if current:
                names.append(" ".join(current))
            current = []
    if current:
        names.append(" ".join(current))
    return names


def underthesea_extract() -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    """underthesea ner() per sentence; PER entities as officials (names only)."""
    from underthesea import ner, sent_tokenize

    def run(article: dict[str, Any]) -> list[dict[str, Any]]:
        names: dict[str, None] = {}
        for paragraph in article["text"].split("\n"):
            for sentence in sent_tokenize(paragraph) if paragraph.strip() else []:
                for name in person_entities(ner(sentence)):
                    names[name] = None
        return [{"name": name, "titles": []} for name in names]

    return run


def vnextract_extract(components: tuple[str, ...] = ("officials",)) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    """vnextract's officials component (organizations and locations optionally alongside, for timing)."""
    pipeline = Pipeline(components=components)

    def run(article: dict[str, Any]) -> list[dict[str, Any]]:
        return [o.to_dict() for o in pipeline.extract_text(article["text"]).officials]

    return run


def score(name: str, extract: Callable, articles: list[tuple[str, dict]], repeats: int = 1) -> dict[str, Any]:
    """Run one extractor over the gold articles (best of `repeats` timed passes) and tally names and titles."""
    extract({"text": "Chiều 21/5, đồng chí Nguyễn Văn An, Bí thư Thành ủy dự họp."})  # warm up, untimed
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        predictions = [extract(article) for _, article in articles]
        best = min(best, time.perf_counter() - started)
    names, titles, errors = Tally(), Tally(), []
    for (label, article), predicted in zip(articles, predictions):
        result = score_article({"id": article.get("id", label), **article}, {"officials": predicted})
        names.add(result.tallies["officials"])
        titles.add(result.tallies["titles"])
        errors += [f"{result.id}: missed   {n}" for n in result.missed["officials"]]
        errors += [f"{result.id}: spurious {n}" for n in result.spurious["officials"]]
    return {"name": name, **names.as_dict(), "titles_f1": round(titles.f1, 4),
            "ms_per_article": round(1000 * best / max(1, len(articles)), 2), "errors": errors}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", default=[str(REPO.parent / "shared" / "dev")])
    parser.add_argument("--errors", action="store_true", help="list missed and spurious names")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeats", type=int, default=5, help="timed passes for vnextract (best is kept)")
    args = parser.parse_args(argv)
    articles = load_gold(args.gold)
    results = [
        score("vnextract", vnextract_extract(), articles, args.repeats),
        score("vnextract+org+loc", vnextract_extract(("officials", "organizations", "locations")), articles,
              args.repeats),
        score("underthesea", underthesea_extract(), articles),
    ]
    if args.json:
        print(json.dumps([{k: v for k, v in r.items() if k != "errors"} for r in results], indent=2))
        return 0
    print(f"{len(articles)} articles: {', '.join(args.gold)}")
    print(f"{'extractor':<19}{'gold':>6}{'pred':>6}{'ok':>6}{'P':>8}{'R':>8}{'F1':>8}{'titleF1':>9}{'ms/art':>9}")
    for r in results:
        print(f"{r['name']:<19}{r['gold']:>6}{r['predicted']:>6}{r['correct']:>6}{r['precision']:>8.3f}"
              f"{r['recall']:>8.3f}{r['f1']:>8.3f}{r['titles_f1']:>9.3f}{r['ms_per_article']:>9.2f}")
    if args.errors:
        for r in results:
            print(f"\n{r['name']}:")
            print("\n".join("  " + e for e in r["errors"]) or "  (none)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
