"""`vnextract export` end to end: records → Parquet, a DuckDB file with views, CSV; row counts
equal the facts in the JSONL, dates are DATE columns, tables join by article and month."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import extractor

from ..conftest import REPO

VNEXTRACT = Path(sys.executable).with_name("vnextract")
HOLDOUTS = [REPO / "corpus" / name for name in ("holdout", "holdout2", "holdout3")]
FAMILIES = ("dates", "officials", "quantities", "organizations", "locations")


def run(*args, stdin=None):
    return subprocess.run([str(VNEXTRACT), *map(str, args)], input=stdin, capture_output=True, text=True,
                          timeout=300, cwd=REPO, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.fixture(scope="module")
def holdout_records(tmp_path_factory):
    """Records of the blind held-out articles, extracted now, as a JSONL file."""
    docs = []
    for folder in HOLDOUTS:
        for path in sorted(folder.glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            docs.append({"id": gold["id"], "text": gold["text"], "published_at": gold.get("published_at"),
                         "url": gold.get("url")})
    path = tmp_path_factory.mktemp("records") / "holdout.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for rec in extractor.extract_many(docs, jobs=1):
            out.write(rec.to_json() + "\n")
    return path


@pytest.fixture(scope="module")
def exported(holdout_records, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    result = run("export", holdout_records, "--duckdb", folder / "facts.duckdb", "--parquet", folder / "pq",
                 "--csv", folder / "csv")
    assert result.returncode == 0, result.stderr
    return folder


def facts_in(path):
    counts = dict.fromkeys(("articles", "titles", *FAMILIES), 0)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        counts["articles"] += 1
        for family in FAMILIES:
            counts[family] += len(rec[family])
        counts["titles"] += sum(len(o["titles"]) for o in rec["officials"])
    return counts


def test_duckdb_row_counts_equal_the_facts_in_the_jsonl(holdout_records, exported):
    expected = facts_in(holdout_records)
    assert expected["articles"] >= 30 and expected["dates"] > 100
    with duckdb.connect(str(exported / "facts.duckdb"), read_only=True) as con:
        for table in ("articles", *FAMILIES):  # one row per fact, one titles row per title written
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == expected[table], table
        assert con.execute("SELECT count(*) FROM titles").fetchone()[0] == expected["titles"] > 0
        # Every full-named official of an article has its person; people and positions agree.
        assert con.execute("SELECT count(*) FROM officials WHERE person_id IS NOT NULL AND person_id NOT IN "
                           "(SELECT person_id FROM people)").fetchone()[0] == 0
        assert con.execute("SELECT count(DISTINCT person_id) FROM positions").fetchone()[0] <= \
            con.execute("SELECT count(*) FROM people").fetchone()[0]


def test_types_are_proper(exported):
    with duckdb.connect(str(exported / "facts.duckdb"), read_only=True) as con:
        types = {(t, c): ty for t, c, ty in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns").fetchall()}
    assert types[("dates", "first_day")] == "DATE" and types[("dates", "last_day")] == "DATE"
    assert types[("articles", "published_at")].startswith("TIMESTAMP")
    assert types[("quantities", "value")] == "DOUBLE" and types[("dates", "start")] == "INTEGER"
    assert types[("officials", "titles")] == "VARCHAR[]" and types[("people", "first_seen")] == "DATE"


def test_first_day_matches_the_value_and_views_answer(exported):
    with duckdb.connect(str(exported / "facts.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT value, first_day, last_day FROM dates WHERE kind = 'quarter'").fetchall()
        assert rows
        for value, first, last in rows:
            year, quarter = int(value[:4]), int(value[-1])
            assert (first.year, first.month, first.day) == (year, 3 * quarter - 2, 1)
            assert last.month == 3 * quarter and first <= last
        assert con.execute("SELECT count(*) FROM dates WHERE first_day > last_day").fetchone()[0] == 0
        # A join of titles to articles by month runs, and adds up to the titles of dated articles.
        by_month = con.execute("""
            SELECT date_trunc('month', a.published_day) AS month, count(*) AS n
            FROM titles t JOIN articles a USING (article_id) WHERE a.published_day IS NOT NULL
            GROUP BY month ORDER BY month""").fetchall()
        dated = con.execute("SELECT count(*) FROM titles t JOIN articles a USING (article_id) "
                            "WHERE a.published_day IS NOT NULL").fetchone()[0]
        assert by_month and sum(n for _, n in by_month) == dated
        views = {name for (name,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        assert {"facts_per_month", "position_holders", "titles_per_month"} <= views
        assert con.execute("SELECT sum(articles) FROM facts_per_month").fetchone()[0] == \
            con.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_parquet_and_csv_hold_the_same_rows(holdout_records, exported):
    import pandas as pd

    expected = facts_in(holdout_records)
    dates = pd.read_parquet(exported / "pq" / "dates.parquet")
    assert len(dates) == expected["dates"]
    assert str(pq.read_schema(exported / "pq" / "dates.parquet").field("first_day").type) == "date32[day]"
    assert pd.api.types.is_datetime64_any_dtype(pd.to_datetime(dates["first_day"]))
    csv_dates = pd.read_csv(exported / "csv" / "dates.csv")
    assert len(csv_dates) == expected["dates"]
    officials = pd.read_csv(exported / "csv" / "officials.csv")
    assert all(isinstance(json.loads(t), list) for t in officials["titles"])


def test_bad_lines_are_reported_and_the_rest_exported(tmp_path):
    good = {"id": "g1", "text": "x", "published_at": "2021-04-06", "dates": [
        {"text": "quý I", "start": 0, "end": 5, "kind": "quarter", "value": "2021-Q1"},
        {"text": "ngày 6/2", "start": 0, "end": 8, "kind": "date", "value": "--02-06"},
        {"text": "hôm qua", "start": 0, "end": 7, "kind": "date", "value": "2021-04-05", "relative": True}],
        "officials": [], "quantities": [], "organizations": [], "locations": [], "captions": [{"text": "ảnh"}]}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n{not json\n[1, 2]\n", encoding="utf-8")
    result = run("export", path, tmp_path / "missing.jsonl", "--parquet", tmp_path / "pq")
    assert result.returncode == 1
    assert f"{path}:2" in result.stderr and f"{path}:3" in result.stderr and "missing.jsonl" in result.stderr
    table = pq.read_table(tmp_path / "pq" / "dates.parquet").to_pylist()
    assert [(r["value"], r["first_day"] and r["first_day"].isoformat(), r["relative"]) for r in table] == [
        ("2021-Q1", "2021-01-01", False), ("--02-06", None, False), ("2021-04-05", "2021-04-05", True)]


def test_usage_errors_exit_2(tmp_path):
    assert run("export", tmp_path / "x.jsonl").returncode == 2
    assert run("positions", tmp_path / "x.jsonl", "--min-articles", "0").returncode == 2


def test_stdin_and_the_library_call(tmp_path, holdout_records):
    lines = holdout_records.read_text(encoding="utf-8")
    result = run("export", "-", "--duckdb", tmp_path / "s.duckdb", "--progress", stdin=lines)
    assert result.returncode == 0, result.stderr
    assert "registry" in result.stderr and "tables" in result.stderr  # the progress bars
    counts = extractor.export([str(holdout_records)], parquet=tmp_path / "lib")
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM quantities").fetchone()[0] == counts["quantities"]


def test_people_and_positions_commands(tmp_path, holdout_records):
    out = tmp_path / "people.jsonl"
    result = run("people", holdout_records, "-o", out, "--explain")
    assert result.returncode == 0, result.stderr
    people = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert people and all(p["why"] and p["person_id"].startswith("p-") for p in people)
    assert len({p["person_id"] for p in people}) == len(people)
    names = {p["name"] for p in people}
    assert all(len(n.split()) >= 2 for n in names)
    timeline = run("positions", holdout_records, "--text")
    assert timeline.returncode == 0 and timeline.stdout.strip()
    posts = [json.loads(line) for line in run("positions", holdout_records).stdout.splitlines()]
    assert all(p["holders"] for p in posts)
    held = {h["person_id"] for p in posts for h in p["holders"]}
    assert held <= {p["person_id"] for p in people}


def test_batches_do_not_change_the_tables(tmp_path, holdout_records):
    from extractor.research.tables import export

    a = export([str(holdout_records)], parquet=tmp_path / "a", batch_records=3)
    b = export([str(holdout_records)], parquet=tmp_path / "b")
    assert a == b
    for name in ("titles", "officials", "dates"):
        assert pq.read_table(tmp_path / "a" / f"{name}.parquet").equals(pq.read_table(tmp_path / "b" / f"{name}.parquet"))
