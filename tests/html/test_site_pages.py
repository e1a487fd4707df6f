"""Saved page pairs of portal platforms (corpus/sites/NAME/): an article page, a listing
page and what the reader must get from them (expected.json). A folder with a `rules/` sub-folder
carries its own profile as a rules overlay (a fictional platform is never shipped); without one the
shipped profiles must read it. ARCHITECTURE.md's portal recipe adds a folder here."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from extractor.html import parse_page
from extractor.rules_loader import load_rules

PAGES = Path(__file__).resolve().parents[2] / "corpus" / "sites"
FOLDERS = sorted(p for p in PAGES.iterdir() if (p / "expected.json").is_file()) if PAGES.is_dir() else []


def _setup(folder: Path) -> tuple[dict, object]:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    overlay = folder / "rules"
    return expected, load_rules(overlay) if overlay.is_dir() else None  # loading validates the overlay


def test_there_are_page_pairs():
    assert FOLDERS, f"no page pairs under {PAGES}"


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_the_profile_reads_the_article_page(folder):
    expected, rules = _setup(folder)
    page = parse_page((folder / "article.html").read_bytes(), expected["article_url"], rules)
    assert page.profile is not None and page.profile.name == expected["profile"]
    assert page.is_article()
    article = page.article()
    assert (article.title, article.published_at, article.author) == (
        expected["title"], expected["published_at"], expected["author"])
    assert article.lead == expected["lead"]
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == expected["lead"] and len(paragraphs) == expected["paragraphs"]
    assert paragraphs[-1].startswith(expected["last_paragraph_starts"])
    assert article.captions == expected["captions"]


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_fingerprints_choose_the_profile_on_a_host_nobody_configured(folder):
    expected, rules = _setup(folder)
    path = urlsplit(expected["article_url"])
    page = parse_page((folder / "article.html").read_bytes(), f"https://unconfigured.example.vn{path.path}?{path.query}", rules)
    assert page.profile is not None and page.profile.name == expected["profile"]
    assert page.article().title == expected["title"]


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_the_listing_page_is_no_article_and_its_links_are_classified(folder):
    expected, rules = _setup(folder)
    page = parse_page((folder / "listing.html").read_bytes(), expected["listing_url"], rules)
    assert not page.is_article()
    kinds = {link.url: link.kind for link in page.links()}
    assert {url: kinds.get(url) for url in expected["listing_links"]} == expected["listing_links"]
