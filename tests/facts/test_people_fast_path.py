"""The people reader's fast path (officials/people.py, `PeopleReader.read`: tokens classified
once, runs of ordinary tokens skipped, the short cases of a separator or a sentence break done
in place) gives exactly what the plain reader gives: `_step` at every token, one after the other.
The speed budget (ARCHITECTURE.md) keeps a trick only with such a test: on the corpus and on
generated sentences built from the rules' own words."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.facts.officials.people import PeopleReader
from extractor.facts.officials.titles import TitleReader
from extractor.normalize import normalize_text
from extractor.progress import advanced

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "rules"


def read_fast(text: str) -> list:
    return PeopleReader(TitleReader.from_text(text)).read()


def read_plain(text: str) -> list:
    """The reader without its fast path: `_step` at every token, in order."""
    reader = PeopleReader(TitleReader.from_text(text))
    i, n = 0, len(reader.tokens)
    while i < n:
        i = advanced(i, reader._step(i), "plain officials reader")
    return list(reader.people.values())


def corpus_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted(REPO.glob("corpus/*/*.json")):
        text = json.loads(path.read_text(encoding="utf-8")).get("text")
        if text:
            texts.append((f"{path.parent.name}/{path.stem}", normalize_text(text)))
    for number, line in enumerate((REPO / "corpus" / "phrases" / "officials.jsonl").read_text(encoding="utf-8").splitlines()):
        if line.strip() and not line.startswith("#"):
            texts.append((f"officials.jsonl:{number + 1}", normalize_text(json.loads(line)["text"])))
    return texts


@pytest.mark.parametrize("label, text", corpus_texts(), ids=lambda value: value if "/" in value or ":" in value else "")
def test_the_fast_path_reads_the_corpus_as_the_plain_reader_does(label, text):
    assert read_fast(text) == read_plain(text)


def words(name: str, column: int = 0) -> list[str]:
    """The entries of a rules file (a .tsv's first column), comments left out."""
    found = []
    for line in (RULES / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            found.append(line.split("\t")[column].strip())
    return [w for w in found if w and not w.startswith("!")]


def sentence_pieces() -> list[list[str]]:
    """Kinds of pieces a sentence of portal news is made of, from the rules and the corpus."""
    rng = random.Random(16)
    corpus_words = sorted({w for _, text in corpus_texts()[:40] for w in text.split()})
    names = [f"{s} {m} {g}" for s, m, g in zip(rng.choices(words("officials/surnames.txt"), k=60),
                                                 rng.choices(words("officials/middle_names.txt"), k=60),
                                                 rng.choices([w for w in corpus_words if w.istitle()], k=60))]
    return [names, words("officials/titles.txt"), words("officials/honorifics.txt"), words("officials/ranks.txt"),
            words("officials/collective.txt"), words("officials/list_openers.txt"), words("officials/title_links.txt"),
            words("organizations/bodies.tsv"), words("places/provinces.tsv"), words("officials/roles.tsv"),
            [",", ",", ";", ":", "-", "–", ".", "\n", "(", ")", "và", "2", "15"], corpus_words]


PIECES = sentence_pieces()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(PIECES) - 1), st.integers(0, 10**6)), min_size=1, max_size=40))
def test_the_fast_path_reads_generated_sentences_as_the_plain_reader_does(choices):
    text = normalize_text(" ".join(PIECES[kind][index % len(PIECES[kind])] for kind, index in choices))
    assert read_fast(text) == read_plain(text)
