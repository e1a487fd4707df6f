"""Every record class writes its dict by hand (record.py): held here to the generic rule it
replaced, field by field, so a field added to a class cannot be left out of the JSON."""

import itertools
import json
from dataclasses import fields

import pytest

import extractor
from extractor.days import iso_day_span
from extractor.record import DateFact, Location, Mention, Official, Organization, Quantity, Span

from .conftest import corpus_articles


def generic_dict(obj):
    """The record's dict by the field rules alone: public fields in order, an optional one left
    out when None, lists written item by item (a DateFact adds the days its value covers)."""
    out = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.name.startswith("_") or (value is None and f.metadata.get("optional", True)):
            continue
        out[f.name] = [v.to_dict() if hasattr(v, "to_dict") else v for v in value] if isinstance(value, list) else value
    if isinstance(obj, DateFact):
        out["first_day"], out["last_day"] = iso_day_span(obj.value)
    return out


def _spans():
    return [Span("Chiều 21/5", 0, 10), Span("phó", 12, 15)]


# Every optional field set and unset, in every combination: (class, its required values, its optional values).
CASES = [
    (Span, dict(text="a", start=0, end=1), {}),
    (DateFact, dict(text="Chiều 21/5", start=0, end=10, kind="date", value="2020-05-21"),
     dict(part_of_day="afternoon", relative=False)),
    (Quantity, dict(text="15/15 lĩnh vực", start=3, end=17, kind="ratio", value=15),
     dict(total=15, unit="lĩnh vực", qualifier="about")),
    (Organization, dict(text="UBND quận", start=0, end=9), dict(expanded="Ủy ban nhân dân quận")),
    (Location, dict(text="quận Đồ Sơn", start=5, end=16), dict(type="quận", name="Đồ Sơn")),
    (Official, dict(name="Nguyễn Văn A", titles=["Chủ tịch"], mentions=[Mention(0, 12), Mention(30, 31)],
                    roles=["chủ tịch"], title_spans=_spans(), role_spans=_spans()[:1]),
     dict(rank="Đại tá", title_when=["new"])),
]


def _instances():
    for cls, base, extras in CASES:
        names = list(extras)
        for size in range(len(names) + 1):
            for chosen in itertools.combinations(names, size):
                yield cls(**base, **{name: extras[name] for name in chosen})


@pytest.mark.parametrize("fact", list(_instances()), ids=repr)
def test_each_class_writes_the_dict_its_fields_give(fact):
    data = fact.to_dict()
    assert json.dumps(data, ensure_ascii=False) == json.dumps(generic_dict(fact), ensure_ascii=False)
    assert data == generic_dict(fact)


def test_every_public_field_of_every_class_is_covered():
    for cls, base, extras in CASES:
        public = {f.name for f in fields(cls) if not f.name.startswith("_")}
        assert public == set(base) | set(extras), cls.__name__


def test_extracted_records_write_what_the_field_rules_give():
    articles = corpus_articles()[:12]
    assert articles
    seen = set()
    for article in articles:
        record = extractor.extract_text(article["text"], published_at=article.get("published_at"))
        for family in ("dates", "officials", "quantities", "organizations", "locations"):
            for fact in getattr(record, family):
                assert fact.to_dict() == generic_dict(fact)
                seen.add(family)
    assert seen == {"dates", "officials", "quantities", "organizations", "locations"}
