"""Shared fixtures: paths to the corpus and to the team's shared folder (dev set), when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from extractor.record import load_schema

REPO = Path(__file__).resolve().parents[1]
CORPUS_ARTICLES = REPO / "corpus" / "articles"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def record_validator() -> Draft202012Validator:
    """Validates a record dict against extractor/record.schema.json."""
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def assert_valid_record(record: dict, validator: Draft202012Validator) -> None:
    """Schema-valid, and every located fact's text is exactly text[start:end]."""
    errors = sorted(validator.iter_errors(record), key=str)
    assert not errors, [e.message for e in errors[:5]]
    text = record["text"]
    for family in ("dates", "quantities", "organizations", "locations"):
        for fact in record[family]:
            assert text[fact["start"]:fact["end"]] == fact["text"], (family, fact)
    for official in record["officials"]:
        for mention in official["mentions"]:
            assert 0 <= mention["start"] < mention["end"] <= len(text)


def corpus_articles() -> list[dict]:
    """The team's annotated articles (corpus/articles/*.json)."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(CORPUS_ARTICLES.glob("*.json"))]
