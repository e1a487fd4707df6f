"""Checks on the project's own annotated article corpus (corpus/articles/*.json).

The corpus is gold data for `vnextract eval`, the demo and the sample portal, so a broken
span, an impossible date value or an unknown quantity kind would silently skew every score.
"""
import json
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTICLES_DIR = REPO / "corpus" / "articles"
SHARED = REPO.parent / "shared"

ARTICLE_PATHS = sorted(ARTICLES_DIR.glob("*.json"))

REQUIRED_FIELDS = {"id", "url", "site", "title", "author", "published_at", "captions", "text",
                   "dates", "officials", "quantities", "organizations", "locations", "notes"}
DATE_KINDS = {"date", "datetime", "month", "year", "quarter", "period"}
QUANTITY_KINDS = {"count", "ratio", "percent", "money", "measure", "duration"}
QUALIFIERS = {"more_than", "about", "nearly", "at_least", "up_to"}
PARTS_OF_DAY = {"morning", "noon", "afternoon", "evening", "night"}
SITES = {"haiphong.gov.vn": 12, "danang.gov.vn": 10, "hanoi.gov.vn": 10}
URL_PATTERNS = {
    "haiphong.gov.vn": re.compile(r"^https://([a-z]+\.)?haiphong\.gov\.vn/tin-tuc-su-kien/[a-z0-9-]+-\d{6}$"),
    "danang.gov.vn": re.compile(r"^https://danang\.gov\.vn/web/guest/chi-tiet\?id=\d+$"),
    "hanoi.gov.vn": re.compile(r"^https://hanoi\.gov\.vn/[a-z0-9-]+/[a-z0-9-]+-\d+\.htm$"),
}
OVERLAP_CHARS = 60


def load(path):
    """Read one gold article; e.g. load(ARTICLE_PATHS[0])["id"] -> 'dn-...'."""
    return json.loads(path.read_text(encoding="utf-8"))


def portal_of(site):
    """Map a site (district sites included) to its portal; e.g. 'kienan.haiphong.gov.vn' -> 'haiphong.gov.vn'."""
    for portal in SITES:
        if site == portal or site.endswith("." + portal):
            return portal
    return None


def parse_grain(value):
    """Return the grain of one ISO value, or None; e.g. parse_grain('2021-Q1') -> 'quarter'."""
    grains = [
        ("datetime", r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", lambda v: datetime.fromisoformat(v)),
        ("date", r"\d{4}-\d{2}-\d{2}", lambda v: date.fromisoformat(v)),
        ("month", r"\d{4}-\d{2}", lambda v: date.fromisoformat(v + "-01")),
        ("quarter", r"\d{4}-Q[1-4]", lambda v: v),
        ("year", r"\d{4}", lambda v: v),
    ]
    for grain, pattern, parse in grains:
        if re.fullmatch(pattern, value):
            try:
                parse(value)
            except ValueError:
                return None
            return grain
    return None


def period_bounds(value):
    """First day of the start and last day of the end side; e.g. period_bounds('2020/2021') -> (2020-01-01, 2021-12-31)."""
    start, end = value.split("/")

    def first(v):
        if "Q" in v:
            return date(int(v[:4]), 3 * int(v[-1]) - 2, 1)
        return date.fromisoformat((v + "-01-01")[:10])

    def last(v):
        if "Q" in v:
            year, month = int(v[:4]), 3 * int(v[-1])
        elif len(v) == 4:
            return date(int(v), 12, 31)
        elif len(v) == 7:
            year, month = int(v[:4]), int(v[5:7])
        else:
            return date.fromisoformat(v[:10])
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)

    return first(start), last(end)


@pytest.fixture(scope="module")
def articles():
    return [load(p) for p in ARTICLE_PATHS]


def test_corpus_size_and_site_distribution(articles):
    assert len(articles) == 32
    counts = {}
    for art in articles:
        counts[portal_of(art["site"])] = counts.get(portal_of(art["site"]), 0) + 1
    assert counts == SITES
    district = [a for a in articles if a["site"] not in SITES]
    assert len(district) == 3
    assert {a["site"] for a in district} <= {"doson.haiphong.gov.vn", "kienan.haiphong.gov.vn"}


def test_ids_unique_and_match_file_names(articles):
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids))
    for path, art in zip(ARTICLE_PATHS, articles):
        assert path.stem == art["id"]
        prefix = {"haiphong.gov.vn": "hp-", "danang.gov.vn": "dn-", "hanoi.gov.vn": "hn-"}[portal_of(art["site"])]
        assert art["id"].startswith(prefix)


def test_publication_dates_spread_over_the_decade(articles):
    years = {datetime.fromisoformat(a["published_at"]).year for a in articles}
    assert min(years) <= 2016 and max(years) >= 2026
    assert len(years) >= 9


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.stem)
class TestArticle:
    def test_required_fields_and_metadata(self, path):
        art = load(path)
        assert REQUIRED_FIELDS <= set(art)
        assert URL_PATTERNS[portal_of(art["site"])].match(art["url"]), art["url"]
        assert art["site"] in art["url"]
        published = datetime.fromisoformat(art["published_at"])
        assert published.utcoffset() is not None and published.utcoffset().total_seconds() == 7 * 3600
        assert art["title"].strip() and art["author"].strip() and art["notes"].strip()

    def test_text_shape(self, path):
        art = load(path)
        text = art["text"]
        assert text == unicodedata.normalize("NFC", text)
        assert 150 <= len(text.split()) <= 450
        paragraphs = text.split("\n\n")
        assert all(p.strip() == p and p for p in paragraphs)
        assert art["title"] not in text
        for caption in art["captions"]:
            assert 0 <= caption["after_paragraph"] < len(paragraphs)
            assert caption["text"].strip() and caption["text"] not in text

    def test_fact_texts_are_substrings(self, path):
        art = load(path)
        text = art["text"]
        for family in ("dates", "quantities", "organizations", "locations"):
            for fact in art[family]:
                assert fact["text"] and fact["text"] in text, (family, fact["text"])
        for official in art["officials"]:
            assert official["name"] in text
            assert official["titles"], official["name"]
            assert len(official["titles"]) == len(set(official["titles"]))
            for title in official["titles"]:
                assert title in text, title
            if "rank" in official:
                assert official["rank"] in text
                assert all(official["rank"] not in t for t in official["titles"])

    def test_dates_have_valid_iso_grains(self, path):
        art = load(path)
        published = datetime.fromisoformat(art["published_at"]).date()
        keys = set()
        for fact in art["dates"]:
            assert fact["kind"] in DATE_KINDS
            value = fact["value"]
            if fact["kind"] == "period":
                sides = value.split("/")
                assert len(sides) == 2 and all(parse_grain(s) for s in sides), value
                start, end = period_bounds(value)
                assert start <= end, value
            else:
                assert parse_grain(value) == fact["kind"], (fact["text"], value)
            if "part_of_day" in fact:
                assert fact["part_of_day"] in PARTS_OF_DAY
            # a date written without a year must resolve near the publication date
            if fact["kind"] in ("date", "datetime") and not re.search(r"\d{4}", fact["text"]):
                resolved = date.fromisoformat(value[:10])
                assert abs((resolved - published).days) <= 183, fact
            keys.add((fact["kind"], value))
        assert len(keys) == len(art["dates"]), "repeated date facts must be annotated once"

    def test_quantities_use_spec_sets(self, path):
        art = load(path)
        keys = set()
        for fact in art["quantities"]:
            assert fact["kind"] in QUANTITY_KINDS
            assert isinstance(fact["value"], (int, float)) and not isinstance(fact["value"], bool)
            # units are lower case as written, except currency codes such as USD
            assert fact["unit"].strip() and (fact["unit"] == fact["unit"].lower() or fact["unit"].isupper())
            if fact["kind"] == "percent":
                assert fact["unit"] == "%"
            if fact["kind"] == "ratio":
                assert isinstance(fact.get("total"), (int, float)) and fact["value"] <= fact["total"]
            else:
                assert "total" not in fact
            if "qualifier" in fact:
                assert fact["qualifier"] in QUALIFIERS
            keys.add((fact["kind"], fact["value"], fact.get("total"), fact["unit"]))
        assert len(keys) == len(art["quantities"]), "repeated quantity facts must be annotated once"

    def test_officials_are_distinct(self, path):
        art = load(path)
        names = [o["name"] for o in art["officials"]]
        assert len(names) == len(set(names))
        for official in art["officials"]:
            assert set(official) <= {"name", "titles", "rank", "roles"}
            assert isinstance(official.get("roles", []), list)


def shared_texts():
    """Texts of the shared dev and seed articles, which must never be copied into the corpus."""
    texts = []
    for path in sorted((SHARED / "dev").glob("*.json")):
        texts.append((path.name, json.loads(path.read_text(encoding="utf-8")).get("text") or ""))
    for path in sorted((SHARED / "seed").glob("*")):
        if path.is_file():
            texts.append((path.name, path.read_text(encoding="utf-8", errors="replace")))
    return texts


def shingles(text, size=OVERLAP_CHARS):
    """All substrings of `size` characters, whitespace folded; e.g. len(shingles('a' * 61, 60)) == 1."""
    folded = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))
    return {folded[i:i + size] for i in range(len(folded) - size + 1)}


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")
def test_no_text_copied_from_shared_articles(articles):
    own = {}
    for art in articles:
        for piece in shingles(art["text"]):
            own.setdefault(piece, art["id"])
    copied = []
    for name, text in shared_texts():
        for piece in shingles(text):
            if piece in own:
                copied.append((own[piece], name, piece))
    assert not copied, copied[:5]


# The blind held-out sets (corpus/holdout*) are scored by `vnextract eval` like the articles: their
# spans must hold, and they must not copy the shared articles either.
HELD_OUT_SETS = ("holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8")
HELD_OUT_PATHS = sorted(p for d in HELD_OUT_SETS for p in (REPO / "corpus" / d).glob("*.json"))


@pytest.mark.parametrize("path", HELD_OUT_PATHS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_held_out_facts_are_written_in_the_text(path):
    art = load(path)
    text = art["text"]
    for family in ("dates", "quantities"):
        missing = [f["text"] for f in art[family] if f["text"] not in text]
        assert not missing, (family, missing)
    for official in art["officials"]:
        assert official["name"] in text
        assert all(title in text for title in official["titles"]), official


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")
def test_no_text_copied_into_held_out_sets():
    own = {}
    for path in HELD_OUT_PATHS:
        for piece in shingles(load(path)["text"]):
            own.setdefault(piece, path.stem)
    copied = [(own[piece], name, piece) for name, text in shared_texts() for piece in shingles(text) if piece in own]
    assert not copied, copied[:5]
