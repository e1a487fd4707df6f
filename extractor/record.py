"""The output record of SPEC (schema_version "1") as typed classes.

Facts carry `start`/`end` offsets into the record's own (normalized) `text`; `text[start:end]`
always equals the fact's `text`. `to_dict()` gives the JSON record; optional fields that are
unset are left out rather than written as null, except the top-level ones SPEC lists.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .days import iso_day_span

SCHEMA_VERSION = "1"
SCHEMA_PATH = Path(__file__).resolve().parent / "record.schema.json"

DATE_KINDS = ("date", "datetime", "month", "year", "quarter", "period")
PARTS_OF_DAY = ("morning", "noon", "afternoon", "evening", "night")
QUANTITY_KINDS = ("count", "ratio", "percent", "money", "measure", "duration")
QUALIFIERS = ("more_than", "about", "nearly", "at_least", "up_to")


# A field marked optional is left out of `to_dict` when None; a required one is written as null
# (tests/test_record_dict.py holds every class's `to_dict` to its fields).
def optional(default: Any = None) -> Any:
    return field(default=default, metadata={"optional": True})


def required(default: Any = None) -> Any:
    return field(default=default, metadata={"optional": False})


@dataclass
class Span:
    """A stretch of the record text: the base of every located fact."""

    text: str
    start: int
    end: int

    # Each class writes its dict directly: a generic walk over the fields costs a tenth of the
    # extraction's time in to_json.
    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class DateFact(Span):
    """A calendar expression: "Chiều 21/5" → kind "date", value "2020-05-21", part_of_day "afternoon"."""

    kind: str = "date"
    value: str = ""
    part_of_day: str | None = optional()
    relative: bool | None = optional()  # True when resolved against published_at ("hôm qua", "năm nay")

    @property
    def first_day(self) -> str | None:
        """The first calendar day the value covers (ISO), None for a month-day without a year."""
        return iso_day_span(self.value)[0]

    @property
    def last_day(self) -> str | None:
        """The last calendar day the value covers: "2021-Q1" → "2021-03-31"."""
        return iso_day_span(self.value)[1]

    def to_dict(self) -> dict[str, Any]:
        # Derived from `value` when written, so a value set late (by any component) stays consistent.
        data = {"text": self.text, "start": self.start, "end": self.end, "kind": self.kind, "value": self.value}
        if self.part_of_day is not None:
            data["part_of_day"] = self.part_of_day
        if self.relative is not None:
            data["relative"] = self.relative
        data["first_day"], data["last_day"] = iso_day_span(self.value)
        return data


@dataclass
class Quantity(Span):
    """A number with what it counts: "15/15 lĩnh vực" → ratio 15 of 15, unit "lĩnh vực"."""

    kind: str = "count"
    value: float | int = 0
    total: float | int | None = optional()
    unit: str | None = optional()
    qualifier: str | None = optional()

    def to_dict(self) -> dict[str, Any]:
        data = {"text": self.text, "start": self.start, "end": self.end, "kind": self.kind, "value": self.value}
        if self.total is not None:
            data["total"] = self.total
        if self.unit is not None:
            data["unit"] = self.unit
        if self.qualifier is not None:
            data["qualifier"] = self.qualifier
        return data


@dataclass
class Organization(Span):
    """A named body: "UBND quận Đồ Sơn", expanded "Ủy ban nhân dân quận Đồ Sơn"."""

    expanded: str | None = optional()

    def to_dict(self) -> dict[str, Any]:
        data = {"text": self.text, "start": self.start, "end": self.end}
        if self.expanded is not None:
            data["expanded"] = self.expanded
        return data


@dataclass
class Location(Span):
    """An administrative place: "quận Đồ Sơn" → type "quận", name "Đồ Sơn"."""

    type: str | None = optional()
    name: str | None = optional()

    def to_dict(self) -> dict[str, Any]:
        data = {"text": self.text, "start": self.start, "end": self.end}
        if self.type is not None:
            data["type"] = self.type
        if self.name is not None:
            data["name"] = self.name
        return data


@dataclass
class Mention:
    """Where a person is named (full or short form)."""

    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}


@dataclass
class Official:
    """One named person with every public position the article gives them."""

    name: str
    titles: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    rank: str | None = optional()
    # Where each entry of `titles` / `roles` is written: `title_spans[i]` is the span of
    # `titles[i]` (its first mention in the kept form), `role_spans[i]` of `roles[i]` (the words as
    # written, where `roles[i]` is their lexicon form).
    title_spans: list[Span] = field(default_factory=list)
    role_spans: list[Span] = field(default_factory=list)
    # aligned with `titles`: "current", "new" (elected or appointed to it) or "former"; written
    # only when some title is not current
    title_when: list[str] | None = optional()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name, "titles": list(self.titles), "mentions": [m.to_dict() for m in self.mentions],
            "roles": list(self.roles)}
        if self.rank is not None:
            data["rank"] = self.rank
        data["title_spans"] = [s.to_dict() for s in self.title_spans]
        data["role_spans"] = [s.to_dict() for s in self.role_spans]
        if self.title_when is not None:
            data["title_when"] = list(self.title_when)
        return data


FACT_FAMILIES = ("dates", "officials", "quantities", "organizations", "locations")


@dataclass
class Record:
    """One article's facts. `Record.to_dict()` is the JSON line the CLI writes.

    >>> Record(id="x", text="Chiều 21/5").to_dict()["schema_version"]
    '1'
    """

    id: str
    text: str
    url: str | None = required()
    site: str | None = required()
    title: str | None = required()
    author: str | None = required()
    published_at: str | None = required()
    dates: list[DateFact] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    extractor_version: str = ""
    # Image captions of an HTML page, kept out of `text` (SPEC); written only when there are some.
    captions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The SPEC record as plain JSON-ready data."""
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "url": self.url,
            "site": self.site,
            "title": self.title,
            "author": self.author,
            "published_at": self.published_at,
            "text": self.text,
            **{family: [f.to_dict() for f in getattr(self, family)] for family in FACT_FAMILIES},
            **({"captions": list(self.captions)} if self.captions else {}),
            "extractor": {"version": self.extractor_version},
        }

    def to_json(self) -> str:
        """One JSONL line (UTF-8 text, no ASCII escaping)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Record":
        """Rebuild a Record from its JSON form (inverse of `to_dict`)."""
        def spans(kind: type, items: list[dict]) -> list:
            names = {f.name for f in fields(kind)}
            return [kind(**{k: v for k, v in item.items() if k in names}) for item in items]

        officials = [
            Official(
                name=o["name"], titles=list(o.get("titles", [])),
                mentions=[Mention(m["start"], m["end"]) for m in o.get("mentions", [])],
                roles=list(o.get("roles", [])), rank=o.get("rank"),
                title_spans=[Span(s["text"], s["start"], s["end"]) for s in o.get("title_spans", [])],
                role_spans=[Span(s["text"], s["start"], s["end"]) for s in o.get("role_spans", [])],
                title_when=list(o["title_when"]) if o.get("title_when") is not None else None,
            )
            for o in data.get("officials", [])
        ]
        return cls(
            id=data["id"], text=data["text"], url=data.get("url"), site=data.get("site"),
            title=data.get("title"), author=data.get("author"), published_at=data.get("published_at"),
            dates=spans(DateFact, data.get("dates", [])), officials=officials,
            quantities=spans(Quantity, data.get("quantities", [])),
            organizations=spans(Organization, data.get("organizations", [])),
            locations=spans(Location, data.get("locations", [])),
            extractor_version=data.get("extractor", {}).get("version", ""),
            captions=list(data.get("captions", [])),
        )


def given_id(value: Any) -> str | None:
    """A document's own id as the record's `id`: any value but None and "" (0 and False are ids).

    >>> given_id(0), given_id(None), given_id("")
    ('0', None, None)
    """
    if value is None:
        return None
    text = str(value)
    return text or None


def stable_id(key: str) -> str:
    """A short stable id from a canonical URL or the text itself.

    >>> stable_id("https://haiphong.gov.vn/a-1")
    '2c048a32508fa6ab'
    """
    # surrogatepass: a key with a lone surrogate still hashes (its document fails later, by name).
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def load_schema() -> dict[str, Any]:
    """The JSON Schema every produced record validates against."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
