"""`vnextract export`: records → typed tables (Parquet, a DuckDB file with views, CSV).

One table per fact family, joined by `article_id`: `articles`, `dates`, `officials` (with the
registry's `person_id`), `titles` (each title with its canonical post), `quantities`,
`organizations`, `locations`, and the registry's `people` and `positions`. Records stream in
batches: the inputs are read twice (first the registry, then the tables), never held whole, so
memory stays bounded by the batch size and the registry's aggregates.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable

import pyarrow as pa

from ..days import day_span
from .records import BadRecord, RecordSource, published_day
from .registry import Person, Registry

FAMILIES = ("dates", "officials", "quantities", "organizations", "locations")
BATCH_RECORDS = 2000

_STR, _INT, _F64, _BOOL, _DATE = pa.string(), pa.int32(), pa.float64(), pa.bool_(), pa.date32()
_STRS = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("article_id", _STR), ("url", _STR), ("site", _STR), ("title", _STR), ("author", _STR),
        ("published_at", pa.timestamp("us")), ("published_day", _DATE), ("words", _INT),
        ("dates", _INT), ("officials", _INT), ("quantities", _INT), ("organizations", _INT), ("locations", _INT),
        ("extractor_version", _STR),
    ]),
    "dates": pa.schema([
        ("article_id", _STR), ("idx", _INT), ("text", _STR), ("start", _INT), ("end", _INT), ("kind", _STR),
        ("value", _STR), ("first_day", _DATE), ("last_day", _DATE), ("part_of_day", _STR), ("relative", _BOOL),
    ]),
    "officials": pa.schema([
        ("article_id", _STR), ("idx", _INT), ("person_id", _STR), ("name", _STR), ("titles", _STRS),
        ("roles", _STRS), ("rank", _STR), ("mentions", _INT), ("first_start", _INT),
    ]),
    "titles": pa.schema([
        ("article_id", _STR), ("official_idx", _INT), ("person_id", _STR), ("name", _STR), ("title", _STR),
        ("canonical", _STR), ("position_key", _STR), ("province", _STR), ("former", _BOOL), ("qualifier", _STR),
    ]),
    "quantities": pa.schema([
        ("article_id", _STR), ("idx", _INT), ("text", _STR), ("start", _INT), ("end", _INT), ("kind", _STR),
        ("value", _F64), ("total", _F64), ("unit", _STR), ("qualifier", _STR),
    ]),
    "organizations": pa.schema([
        ("article_id", _STR), ("idx", _INT), ("text", _STR), ("start", _INT), ("end", _INT), ("expanded", _STR),
    ]),
    "locations": pa.schema([
        ("article_id", _STR), ("idx", _INT), ("text", _STR), ("start", _INT), ("end", _INT), ("type", _STR),
        ("name", _STR),
    ]),
    "people": pa.schema([
        ("person_id", _STR), ("name", _STR), ("variants", _STRS), ("articles", _INT), ("first_seen", _DATE),
        ("last_seen", _DATE), ("provinces", _STRS), ("positions", _INT), ("ambiguous", _BOOL),
    ]),
    "positions": pa.schema([
        ("person_id", _STR), ("name", _STR), ("canonical", _STR), ("position_key", _STR), ("title", _STR),
        ("province", _STR), ("former", _BOOL), ("qualifier", _STR), ("first_seen", _DATE), ("last_seen", _DATE),
        ("articles", _INT), ("first_article", _STR), ("last_article", _STR),
    ]),
}
TABLES = tuple(SCHEMAS)

# Views for the questions researchers ask first (DuckDB file only).
VIEWS = {
    "facts_per_month": """
        SELECT site, date_trunc('month', published_day)::DATE AS month, count(*) AS articles,
               sum(dates)::BIGINT AS dates, sum(officials)::BIGINT AS officials,
               sum(quantities)::BIGINT AS quantities, sum(organizations)::BIGINT AS organizations,
               sum(locations)::BIGINT AS locations
        FROM articles GROUP BY ALL ORDER BY site, month""",
    "position_holders": """
        SELECT canonical, name, person_id, first_seen, last_seen, articles, first_article, last_article
        FROM positions WHERE NOT former ORDER BY canonical, first_seen NULLS LAST, name""",
    "titles_per_month": """
        SELECT date_trunc('month', a.published_day)::DATE AS month, t.canonical, count(*) AS mentions,
               count(DISTINCT t.person_id) AS people
        FROM titles t JOIN articles a USING (article_id) GROUP BY ALL ORDER BY month, mentions DESC""",
}


def _timestamp(value: Any) -> datetime | None:
    """The publication moment as written (local time; the offset, when given, is dropped)."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=None)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _items(record: dict[str, Any], family: str) -> list[dict[str, Any]]:
    return [item for item in record.get(family) or () if isinstance(item, dict)]


class TableRows:
    """Rows of every table for a batch of records; `batches()` turns them into Arrow tables."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}

    def add(self, record: dict[str, Any]) -> None:
        article_id = str(record["id"])
        text = record.get("text") if isinstance(record.get("text"), str) else ""
        self.rows["articles"].append({
            "article_id": article_id, "url": _text(record.get("url")), "site": _text(record.get("site")),
            "title": _text(record.get("title")), "author": _text(record.get("author")),
            "published_at": _timestamp(record.get("published_at")), "published_day": _day(published_day(record)),
            "words": len(text.split()),
            **{family: len(_items(record, family)) for family in FAMILIES},
            "extractor_version": _text((record.get("extractor") or {}).get("version")) if isinstance(record.get("extractor"), dict) else None,
        })
        for idx, fact in enumerate(_items(record, "dates")):
            first, last = day_span(fact.get("value"))
            self.rows["dates"].append({
                "article_id": article_id, "idx": idx, "text": _text(fact.get("text")), "start": _int(fact.get("start")),
                "end": _int(fact.get("end")), "kind": _text(fact.get("kind")), "value": _text(fact.get("value")),
                "first_day": first, "last_day": last, "part_of_day": _text(fact.get("part_of_day")),
                "relative": bool(fact.get("relative", False)),
            })
        context = self.registry.canon.context(record)
        officials = list(self.registry.official_positions(record, context))
        for idx, (official, positions) in enumerate(officials):
            person = self.registry.person_for(official["name"], positions)
            pid = person.person_id if person else None
            mentions = [m for m in official.get("mentions") or () if isinstance(m, dict)]
            self.rows["officials"].append({
                "article_id": article_id, "idx": idx, "person_id": pid, "name": official["name"],
                "titles": [t for t in official.get("titles") or () if isinstance(t, str)],
                "roles": [r for r in official.get("roles") or () if isinstance(r, str)],
                "rank": _text(official.get("rank")), "mentions": len(mentions),
                "first_start": min((_int(m.get("start")) for m in mentions if _int(m.get("start")) is not None), default=None),
            })
            for position in positions:
                key = self.registry.final_key(person, position) if person else position.key
                canonical = position.canonical
                if person is not None and key in person.mentions.posts:
                    post = person.mentions.posts[key]
                    canonical = max(post.canonicals.items(), key=lambda kv: (kv[1], kv[0]))[0] if post.canonicals else canonical
                elif person is None:
                    completed = self.registry.canon.complete(position)
                    key, canonical = completed.key, completed.canonical
                self.rows["titles"].append({
                    "article_id": article_id, "official_idx": idx, "person_id": pid, "name": official["name"],
                    "title": position.title, "canonical": canonical, "position_key": key,
                    "province": position.province, "former": position.former, "qualifier": position.qualifier,
                })
        for idx, fact in enumerate(_items(record, "quantities")):
            self.rows["quantities"].append({
                "article_id": article_id, "idx": idx, "text": _text(fact.get("text")), "start": _int(fact.get("start")),
                "end": _int(fact.get("end")), "kind": _text(fact.get("kind")), "value": _num(fact.get("value")),
                "total": _num(fact.get("total")), "unit": _text(fact.get("unit")), "qualifier": _text(fact.get("qualifier")),
            })
        for idx, fact in enumerate(_items(record, "organizations")):
            self.rows["organizations"].append({
                "article_id": article_id, "idx": idx, "text": _text(fact.get("text")), "start": _int(fact.get("start")),
                "end": _int(fact.get("end")), "expanded": _text(fact.get("expanded")),
            })
        for idx, fact in enumerate(_items(record, "locations")):
            self.rows["locations"].append({
                "article_id": article_id, "idx": idx, "text": _text(fact.get("text")), "start": _int(fact.get("start")),
                "end": _int(fact.get("end")), "type": _text(fact.get("type")), "name": _text(fact.get("name")),
            })

    def take(self) -> Iterable[tuple[str, pa.Table]]:
        """The rows gathered so far as Arrow tables (then forgotten)."""
        for name in TABLES:
            if self.rows[name]:
                yield name, pa.Table.from_pylist(self.rows[name], schema=SCHEMAS[name])
                self.rows[name] = []


def registry_rows(people: list[Person]) -> Iterable[tuple[str, pa.Table]]:
    """The `people` and `positions` tables, in batches."""
    people_rows: list[dict[str, Any]] = []
    position_rows: list[dict[str, Any]] = []
    for person in people:
        entry = person.to_dict(article_ids=False)
        people_rows.append({
            "person_id": person.person_id, "name": entry["name"], "variants": entry["variants"],
            "articles": entry["articles"], "first_seen": _day(entry["first_seen"]), "last_seen": _day(entry["last_seen"]),
            "provinces": entry["provinces"], "positions": len(entry["positions"]), "ambiguous": person.ambiguous,
        })
        for post in person.positions():
            seen = post.seen
            position_rows.append({
                "person_id": person.person_id, "name": entry["name"],
                "canonical": max(post.canonicals.items(), key=lambda kv: (kv[1], kv[0]))[0] if post.canonicals else post.position.canonical,
                "position_key": post.position.key,
                "title": max(post.titles.items(), key=lambda kv: (kv[1], kv[0]))[0] if post.titles else post.position.title,
                "province": post.position.province, "former": post.position.former, "qualifier": post.position.qualifier,
                "first_seen": _day(seen.first_seen), "last_seen": _day(seen.last_seen), "articles": len(seen.article_ids),
                "first_article": seen.first_article or (seen.article_ids[0] if seen.article_ids else None),
                "last_article": seen.last_article or (seen.article_ids[-1] if seen.article_ids else None),
            })
        if len(position_rows) >= 50_000:
            yield "positions", pa.Table.from_pylist(position_rows, schema=SCHEMAS["positions"])
            position_rows = []
    yield "people", pa.Table.from_pylist(people_rows, schema=SCHEMAS["people"])
    yield "positions", pa.Table.from_pylist(position_rows, schema=SCHEMAS["positions"])


class ParquetSink:
    """One Parquet file per table in a folder."""

    def __init__(self, folder: str | Path):
        import pyarrow.parquet as pq

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.writers = {name: pq.ParquetWriter(self.folder / f"{name}.parquet", SCHEMAS[name]) for name in TABLES}

    def write(self, name: str, table: pa.Table) -> None:
        self.writers[name].write_table(table)

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


class CsvSink:
    """One CSV file per table in a folder; list columns are written as JSON arrays."""

    def __init__(self, folder: str | Path):
        import pyarrow.csv as pcsv

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.writers = {name: pcsv.CSVWriter(self.folder / f"{name}.csv", _csv_schema(SCHEMAS[name])) for name in TABLES}

    def write(self, name: str, table: pa.Table) -> None:
        columns = []
        for field in table.schema:
            column = table.column(field.name)
            if pa.types.is_list(field.type):
                column = pa.array([json.dumps(v, ensure_ascii=False) if v is not None else None
                                   for v in column.to_pylist()], type=pa.string())
            columns.append(column)
        self.writers[name].write_table(pa.Table.from_arrays(columns, schema=_csv_schema(table.schema)))

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


def _csv_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema([(f.name, pa.string() if pa.types.is_list(f.type) else f.type) for f in schema])


class DuckDBSink:
    """One DuckDB database file: a table per family, plus the views of `VIEWS`."""

    def __init__(self, path: str | Path):
        import duckdb

        path = Path(path)
        if path.exists():
            path.unlink()  # a fresh export, not rows appended to an old one
        self.connection = duckdb.connect(str(path))
        for name in TABLES:
            empty = SCHEMAS[name].empty_table()
            self.connection.register("_batch", empty)
            self.connection.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _batch')
            self.connection.unregister("_batch")

    def write(self, name: str, table: pa.Table) -> None:
        self.connection.register("_batch", table)
        self.connection.execute(f'INSERT INTO "{name}" SELECT * FROM _batch')
        self.connection.unregister("_batch")

    def close(self) -> None:
        for name, sql in VIEWS.items():
            self.connection.execute(f'CREATE OR REPLACE VIEW "{name}" AS {sql}')
        self.connection.close()


def export(records: Iterable[str] | str, parquet: str | Path | None = None, duckdb: str | Path | None = None,
           csv: str | Path | None = None, rules: Any = None, progress: bool = False,
           on_error: Callable[[BadRecord], None] | None = None, batch_records: int = BATCH_RECORDS) -> dict[str, int]:
    """Export JSONL record files to typed tables; returns the row count of every table.

    >>> import tempfile, os, json
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "r.jsonl")
    >>> _ = open(path, "w").write(json.dumps({"id": "a", "text": "", "dates": [{"text": "năm 2020", "start": 0,
    ...     "end": 8, "kind": "year", "value": "2020"}]}) + "\\n")
    >>> export([path], parquet=os.path.join(folder, "pq"))["dates"]
    1
    """
    if isinstance(records, (str, Path)):
        records = [str(records)]
    sinks: list[Any] = []
    if parquet:
        sinks.append(ParquetSink(parquet))
    if csv:
        sinks.append(CsvSink(csv))
    if duckdb:
        sinks.append(DuckDBSink(duckdb))
    if not sinks:
        raise ValueError("export needs at least one of parquet=, duckdb=, csv=")
    counts = {name: 0 for name in TABLES}
    with RecordSource(list(records), on_error=on_error) as source:
        registry = build_registry(source, rules, progress, "registry")
        rows = TableRows(registry)

        def emit(batches: Iterable[tuple[str, pa.Table]]) -> None:
            for name, table in batches:
                counts[name] += table.num_rows
                for sink in sinks:
                    sink.write(name, table)

        try:
            pending = 0
            with _bar(source, progress, "tables") as update:
                for record in source.records(progress=update):
                    rows.add(record)
                    pending += 1
                    if pending >= batch_records:
                        emit(rows.take())
                        pending = 0
            emit(rows.take())
            emit(registry_rows(registry.people()))
        finally:
            for sink in sinks:
                sink.close()
        counts["failures"] = source.failures
    return counts


def build_registry(source: RecordSource, rules: Any = None, progress: bool = False, label: str = "registry") -> Registry:
    """Read every record of a source once into a people registry (progress bar on request)."""
    registry = Registry(rules)
    with _bar(source, progress, label) as update:
        for record in source.records(progress=update):
            registry.add(record)
    return registry


class _bar:
    """A tqdm progress bar over input bytes, or nothing."""

    def __init__(self, source: RecordSource, enabled: bool, label: str):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=source.size() or None, unit="B", unit_scale=True, desc=label, file=sys.stderr,
                            dynamic_ncols=True)

    def __enter__(self) -> Callable[[int], None] | None:
        return self.bar.update if self.bar is not None else None

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.close()
