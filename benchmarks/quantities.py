"""Cost of the quantities component per article, and how often it falls back to underthesea.

Times are CPU seconds of this process (time.process_time), so other work on the machine does not
inflate them. The spaCy Doc every component shares is built first and timed apart (officials and quantities
both match lexicons over it); then the quantities component runs over the same documents, once
with an empty segmentation cache (the first underthesea call also loads its model) and then warm.

    .venv/bin/python benchmarks/quantities.py [GOLD_OR_ARTICLE_FILES_OR_FOLDERS…] [--repeats N]

Defaults to ../shared/dev and corpus/articles. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extractor.document import Document  # noqa: E402
from extractor.evaluate import load_gold  # noqa: E402
from extractor.facts.quantities import SEGMENTER_STATS, QuantitiesComponent  # noqa: E402
from extractor.facts.quantities import segment  # noqa: E402
from extractor.normalize import normalize_text  # noqa: E402
from extractor.rules_loader import load_rules  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(REPO.parent / "shared" / "dev"), str(REPO / "corpus" / "articles")])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    paths = [p for p in args.paths if Path(p).exists()]
    texts = [normalize_text(article["text"]) for _, article in load_gold(paths)]
    if not texts:
        print("no articles found", file=sys.stderr)
        return 2
    rules = load_rules()
    component = QuantitiesComponent(rules)
    documents = [Document(text=text, rules=rules) for text in texts]
    words = sum(len(text.split()) for text in texts)
    started = time.process_time()
    for document in documents:
        document.spacy_doc
    doc_seconds = time.process_time() - started

    segment.tag_words.cache_clear()
    before = SEGMENTER_STATS.as_dict()
    started = time.process_time()
    found = sum(len(component(document)) for document in documents)
    cold = time.process_time() - started
    after = SEGMENTER_STATS.as_dict()
    runs = []
    for _ in range(args.repeats):
        started = time.process_time()
        for document in documents:
            component(document)
        runs.append(time.process_time() - started)
    warm = statistics.median(runs)
    n = len(texts)
    calls = after["underthesea_calls"] - before["underthesea_calls"]
    report = {
        "articles": n,
        "words_per_article": round(words / n),
        "quantities_found": found,
        "shared_doc_ms_per_article": round(1000 * doc_seconds / n, 3),
        "cold_ms_per_article": round(1000 * cold / n, 3),
        "warm_ms_per_article": round(1000 * warm / n, 3),
        "warm_ms_per_800_words": round(1000 * warm / words * 800, 3),
        "segmenter_requests": after["requests"] - before["requests"],
        "underthesea_calls": calls,
        "underthesea_calls_per_article": round(calls / n, 2),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
