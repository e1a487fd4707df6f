"""From records to research: typed tables (`export`) and the people registry (`people`).

Heavy libraries (pyarrow, DuckDB) load only when a function here is called, so `import extractor`
stays light.
"""

from __future__ import annotations

from typing import Any, Iterable


def export(records: Iterable[str] | str, parquet: Any = None, duckdb: Any = None, csv: Any = None,
           rules: Any = None, progress: bool = False, **options: Any) -> dict[str, int]:
    """JSONL record files → typed tables: a Parquet folder, a DuckDB file and/or a CSV folder.
    Returns the row count of every table (and `failures`, the lines that were not records).

    >>> callable(export)
    True
    """
    from .tables import export as run

    return run(records, parquet=parquet, duckdb=duckdb, csv=csv, rules=rules, progress=progress, **options)


def people(records: Iterable[dict[str, Any]], rules: Any = None) -> list[dict[str, Any]]:
    """The people registry of some records (dicts), as `vnextract people` writes it.

    >>> people([{"id": "a", "officials": [{"name": "Trần Văn Bình", "titles": ["Giám đốc Sở Y tế"]}]}])[0]["name"]
    'Trần Văn Bình'
    """
    from .registry import Registry

    return [person.to_dict() for person in Registry(rules).add_all(records).people()]
