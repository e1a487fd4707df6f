"""Would quantities read the shared token view cheaper than its own reader? (issue 16)

Two parts of the quantities component model words themselves: the words before a number are
read by one anchored regex over the reversed text (`scanner._words_before`), and units are
looked up by a trie-shaped regex only right after a number (`lexicon.UnitMatcher`). The shared
alternative is `Document.token_view` (`facts/tokens.py`): tokens and one spaCy `PhraseMatcher`
run over the whole document. This measures, in CPU seconds (time.process_time), over the same
articles:

1. words before each number: the reversed-text regex vs. a bisect into the token view's starts
   plus a walk back over its tokens (the view itself built beforehand, as officials build it);
2. units: the lazy trie at each number vs. a `PhraseMatcher` holding the unit lexicon run over
   the whole Doc (the cost the shared matcher would gain if the units joined it).

    .venv/bin/python benchmarks/quantities_token_view.py [GOLD_OR_ARTICLE_FILES_OR_FOLDERS…]

Defaults to ../shared/dev and every corpus set. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import bisect
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from spacy.attrs import IDX  # noqa: E402

from extractor.document import Document  # noqa: E402
from extractor.evaluate import load_gold  # noqa: E402
from extractor.facts.quantities.lexicon import quantity_lexicon, unit_matcher  # noqa: E402
from extractor.facts.quantities.scanner import NUMBER_RE, _words_before  # noqa: E402
from extractor.facts.tokens import END, IS_WORD, START, TEXT  # noqa: E402
from extractor.nlp import blank_nlp  # noqa: E402
from extractor.normalize import normalize_text  # noqa: E402
from extractor.rules_loader import load_rules  # noqa: E402


def words_before_by_view(text: str, starts: list[int], tokens: list, position: int, count: int) -> list[tuple[str, int]]:
    """`_words_before` read off the token view: the tokens before `position`, only spaces between."""
    words: list[tuple[str, int]] = []
    i = bisect.bisect_left(starts, position) - 1
    edge = position
    while i >= 0 and len(words) < count:
        token = tokens[i]
        if not token[IS_WORD] or text[token[END]:edge].strip(" ") or token[END] == edge:
            break
        words.append((token[TEXT], token[START]))
        edge = token[START]
        i -= 1
    return words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = [str(REPO.parent / "shared" / "dev"), *map(str, sorted((REPO / "corpus").glob("holdout*"))),
               str(REPO / "corpus" / "articles")]
    parser.add_argument("paths", nargs="*", default=default)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    texts = [normalize_text(article["text"]) for _, article in load_gold([p for p in args.paths if Path(p).exists()])]
    if not texts:
        print("no articles found", file=sys.stderr)
        return 2
    rules = load_rules()
    documents = [Document(text=text, rules=rules) for text in texts]
    views = [document.token_view for document in documents]
    numbers = [[m.start() for m in NUMBER_RE.finditer(text)] for text in texts]
    n = sum(map(len, numbers))

    def regex_reader() -> None:
        for text, positions in zip(texts, numbers):
            reversed_text = text[::-1]
            for position in positions:
                _words_before(text, position, 4, reversed_text)

    def view_reader() -> None:
        for text, view, positions in zip(texts, views, numbers):
            starts = [token[START] for token in view.tokens]
            for position in positions:
                words_before_by_view(text, starts, view.tokens, position, 4)

    matcher = unit_matcher(rules)

    def number_word_scan() -> None:
        for text in texts:
            matcher.index(text)

    def lazy_units() -> None:  # the number-word scan above included
        for text, positions in zip(texts, numbers):
            units = matcher.index(text).units
            for position in positions:
                units[position + len(NUMBER_RE.match(text, position).group()) + 1]

    from spacy.matcher import PhraseMatcher

    nlp = blank_nlp()
    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    lexicon = quantity_lexicon(rules)
    phrases.add("UNIT", [nlp.make_doc(unit) for unit in lexicon.word_units])
    phrases.add("NUMBER", [nlp.make_doc(word) for word in [*lexicon.numbers.words, *lexicon.numbers.scales]])
    docs = [document.spacy_doc for document in documents]

    def matcher_units() -> None:
        for doc in docs:
            phrases(doc)

    number_id = nlp.vocab.strings["NUMBER"]
    offsets = [(doc.to_array([IDX]).tolist(), [token.idx + len(token) for token in doc]) for doc in docs]

    def matcher_runs() -> None:  # and the number-word matches turned into character runs, as the scan needs
        for doc, (starts, ends) in zip(docs, offsets):
            runs: list[tuple[int, int]] = []
            last = -1
            for match_id, first, end in phrases(doc):
                if match_id != number_id or first < last:
                    continue
                start, stop = starts[first], ends[end - 1]
                if runs and runs[-1][1] + 1 == start:
                    runs[-1] = (runs[-1][0], stop)
                else:
                    runs.append((start, stop))
                last = end

    runs = (("words before: reversed-text regex", regex_reader), ("words before: token view", view_reader),
            ("number words: regex scan", number_word_scan), ("units + number words: regex", lazy_units),
            ("units + number words: PhraseMatcher", matcher_units),
            ("  … and number-word runs from it", matcher_runs))
    for name, run in runs:
        best = min(_cpu(run) for _ in range(args.repeats))
        print(f"{name:38s} {best * 1e3:8.2f} ms CPU  ({best / len(texts) * 1e6:7.1f} µs/article)")
    print(f"{len(texts)} articles, {n} numbers, best of {args.repeats}")
    return 0


def _cpu(run) -> float:
    started = time.process_time()
    run()
    return time.process_time() - started


if __name__ == "__main__":
    raise SystemExit(main())
