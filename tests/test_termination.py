"""Termination by construction: every fact component returns on any sequence of the lexicons' own
words, with valid spans. A per-example alarm turns a hang into a failure instead of a stuck suite.

The words come from rules/ (surnames that are also organization words — "Đoàn", "Hội", "Ban",
"Sở", "Bộ" —, honorifics, title heads, ranks, roles, places, months, units, numbers), so the
sequences hit exactly the places where one reader hands over to another.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.budget import raise_after
from extractor.document import Document
from extractor.normalize import normalize_text
from extractor.pipeline import get_pipeline
from extractor.record import Official
from extractor.rules_loader import load_rules

# A component that needs longer than this on a few dozen words is hanging.
EXAMPLE_SECONDS = 20


class Hang(Exception):
    """A component did not return within the example's alarm."""


def alarm(seconds: float, what: str):
    return raise_after(seconds, lambda: Hang(f"{what} did not return within {seconds} s"))


def _first_column(rows: list[list[str]]) -> list[str]:
    return [row[0] for row in rows if row and row[0].strip()]


def lexicon_words() -> dict[str, list[str]]:
    rules = load_rules()
    bodies = _first_column(rules.tsv("organizations/bodies.tsv"))
    surnames = rules.lines("officials/surnames.txt")
    return {
        # Surnames that are also organization words: the officials reader's old trap.
        "surname_bodies": sorted(set(surnames) & {b.split()[0] for b in bodies}) or surnames[:20],
        "surnames": surnames,
        "middle_names": rules.lines("officials/middle_names.txt"),
        "honorifics": rules.lines("officials/honorifics.txt"),
        "titles": rules.lines("officials/titles.txt"),
        "ranks": rules.lines("officials/ranks.txt"),
        "collective": rules.lines("officials/collective.txt") + rules.lines("officials/list_openers.txt"),
        "links": rules.lines("officials/title_links.txt") + rules.lines("officials/continuations.txt"),
        "roles": _first_column(rules.tsv("officials/roles.tsv")),
        "bodies": bodies,
        "places": _first_column(rules.tsv("places/admin_units.tsv")) + _first_column(rules.tsv("places/provinces.tsv")),
        "abbreviations": _first_column(rules.tsv("abbreviations.tsv")),
        "months": ["tháng " + w for w in _first_column(rules.tsv("dates/months.tsv"))],
        "parts_of_day": _first_column(rules.tsv("dates/parts_of_day.tsv")),
        "units": _first_column(rules.tsv("quantities/units.tsv")),
        "scales": _first_column(rules.tsv("quantities/scale_words.tsv")),
        "qualifiers": _first_column(rules.tsv("quantities/qualifiers.tsv")),
        "numbers": ["1", "21/5", "15/15", "2024", "1.234", "1,5", "98,5%", "8h30", "14/3/2025", "2016 - 2021", "IV"],
        "capitals": ["Văn", "Thị", "Hà", "Nam", "Việt", "Luật", "Bổng", "Hậu", "X", "TP.", "A.", "Mai", "Lan"],
        "punctuation": [",", ".", ";", ":", "-", "–", "(", ")", "\"", "/", "\n", "…"],
    }


WORDS = lexicon_words()
# The traps get more weight: a surname-body word followed by capitals is what hung the reader.
TOKENS = st.one_of(
    st.sampled_from(WORDS["surname_bodies"]), st.sampled_from(WORDS["surname_bodies"]),
    st.sampled_from(WORDS["capitals"]), st.sampled_from(WORDS["capitals"]),
    *(st.sampled_from(words) for key, words in WORDS.items() if words and key not in ("surname_bodies",)),
)
SEPARATORS = st.sampled_from([" ", " ", " ", " ", ", ", ". ", "\n", ""])


@st.composite
def word_sequences(draw) -> str:
    words = draw(st.lists(TOKENS, min_size=1, max_size=40))
    return "".join(word + draw(SEPARATORS) for word in words).strip()


def run_components(text: str) -> None:
    """Each component of the shipped pipeline, called directly (no safety net), in order."""
    pipeline = get_pipeline()
    document = Document(text=normalize_text(text), rules=pipeline.rules, published_at=date(2024, 6, 20))
    for component in pipeline.components:
        with alarm(EXAMPLE_SECONDS, f"component {component.name} on {text!r}"):
            found = component(document)
        for fact in found:
            if isinstance(fact, Official):
                assert fact.name, (component.name, fact)
                assert all(0 <= m.start < m.end <= len(document.text) for m in fact.mentions), fact
            else:
                assert 0 <= fact.start < fact.end <= len(document.text), (component.name, fact)
                assert document.text[fact.start:fact.end] == fact.text, (component.name, fact)
        document.facts[component.name] = found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word_sequences())
def test_every_component_returns_on_any_sequence_of_lexicon_words(text):
    run_components(text)


@pytest.mark.parametrize("text", [
    # Written for this test: surname-body words before capitalised words, as bodies and as people.
    "Đoàn Công tác Quốc hội do ông Lê Minh dẫn đầu.",
    "Đoàn Thị Mai phát biểu.",
    "Hội Nông dân tỉnh Nam Định. Hội Văn Lâm.",
    "Ban Mai Anh, Sở Lan Hương và Bộ Trưởng Ban đều dự.",
    "Đoàn Đoàn Đoàn Văn Việt Nam Hà Nội.",
    "Theo Đoàn Bình",
    "Đoàn",
    "ông Đoàn",
    "Chủ tịch Đoàn Chủ tịch Ủy ban Trung ương MTTQ Việt Nam Đoàn Văn Nam",
])
def test_surname_body_words_before_capitals_end(text):
    run_components(text)
