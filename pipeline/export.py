"""Flat tables of a run for pandas, DuckDB or a spreadsheet: one row per fact, one per
article, and one table per fact type with that type's own fields.

CSV needs nothing more; Parquet needs pyarrow and DuckDB needs duckdb (the `export`
extra). Column types are kept: offsets and counts of mentions are integers, amounts and
values are floats (a count may be "2,5"), titles are a list (joined with " | " in CSV).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# (column, type) of the facts table; the type names are Arrow's.
FACT_COLUMNS: list[tuple[str, str]] = [
    ("doc_id", "string"),
    ("article", "int64"),
    ("type", "string"),
    ("text", "string"),
    ("start", "int64"),
    ("end", "int64"),
    ("rule", "string"),
    ("amount", "float64"),
    ("amount_max", "float64"),
    ("currency", "string"),
    ("per", "string"),
    ("value", "string"),  # numbers for counts, ISO text for dates: see value_number
    ("value_number", "float64"),
    ("value_max", "float64"),
    ("total", "float64"),
    ("qualifier", "string"),
    ("item", "string"),
    ("unit", "string"),
    ("name", "string"),
    ("honorific", "string"),
    ("titles", "list<string>"),
    ("address", "string"),
    ("level", "string"),
    ("keyword", "string"),
    ("parent", "string"),
    ("code", "string"),
    ("code_2025", "string"),
    ("name_2025", "string"),
    ("mentions", "int64"),
]
# One table per fact type besides the facts table: where it is, then that type's fields
# (a term's "from"/"to" are from_year/to_year, "from" being an SQL keyword).
_WHERE = [
    ("doc_id", "string"),
    ("article", "int64"),
    ("text", "string"),
    ("start", "int64"),
    ("end", "int64"),
]
TYPE_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "money": [
        ("amount", "float64"),
        ("amount_max", "float64"),
        ("currency", "string"),
        ("per", "string"),
        ("qualifier", "string"),
    ],
    "count": [
        ("value", "float64"),
        ("value_max", "float64"),
        ("total", "float64"),
        ("item", "string"),
        ("qualifier", "string"),
    ],
    "percent": [("value", "float64"), ("value_max", "float64"), ("qualifier", "string")],
    "measure": [
        ("value", "float64"),
        ("unit", "string"),
        ("item", "string"),
        ("qualifier", "string"),
    ],
    "date": [("value", "string"), ("inferred", "string")],
    "term": [("from_year", "int64"), ("to_year", "int64")],
    "document": [
        ("kind", "string"),
        ("number", "string"),
        ("issuer", "string"),
        ("date", "string"),
        ("title", "string"),
    ],
    "official": [
        ("name", "string"),
        ("honorific", "string"),
        ("titles", "list<string>"),
        ("mentions", "int64"),
    ],
    "person": [
        ("name", "string"),
        ("honorific", "string"),
        ("address", "string"),
        ("mentions", "int64"),
    ],
    "location": [
        ("name", "string"),
        ("level", "string"),
        ("keyword", "string"),
        ("parent", "string"),
        ("code", "string"),
        ("code_2025", "string"),
        ("name_2025", "string"),
        ("mentions", "int64"),
    ],
    "organization": [
        ("name", "string"),
        ("kind", "string"),
        ("unit", "string"),
        ("mentions", "int64"),
    ],
    "quote": [("speaker", "string"), ("speaker_index", "int64")],
    "appointment": [
        ("person", "string"),
        ("action", "string"),
        ("post", "string"),
        ("body", "string"),
        ("date", "string"),
    ],
}
ARTICLE_COLUMNS: list[tuple[str, str]] = [
    ("doc_id", "string"),
    ("article", "int64"),
    ("title", "string"),
    ("byline", "string"),
    ("date", "string"),
    ("start", "int64"),
    ("end", "int64"),
    ("facts", "int64"),
    ("error_kind", "string"),
    ("error_message", "string"),
]


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def rows(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The facts and articles tables of an extract output (error records are articles
    with an error and no facts)."""
    facts: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    for record in _records(path):
        if "error" in record:
            articles.append(
                {
                    "doc_id": record["doc_id"],
                    "article": None,
                    "facts": 0,
                    "error_kind": record["error"]["kind"],
                    "error_message": record["error"]["message"],
                }
            )
            continue
        articles.append(
            {
                **{k: record.get(k) for k in ("doc_id", "article", "title", "byline", "date")},
                "start": record["start"],
                "end": record["end"],
                "facts": len(record["facts"]),
            }
        )
        for fact in record["facts"]:
            row = {"doc_id": record["doc_id"], "article": record["article"]}
            for column, _ in FACT_COLUMNS[2:]:
                if column in fact and column not in ("value", "mentions"):
                    row[column] = fact[column]
            value = fact.get("value")
            row["value"] = None if value is None else str(value)
            row["value_number"] = float(value) if isinstance(value, int | float) else None
            row["mentions"] = len(fact["mentions"]) if "mentions" in fact else None
            for column in ("amount", "amount_max", "value_max", "total"):
                if row.get(column) is not None:
                    row[column] = float(row[column])
            facts.append(row)
    return facts, articles


def by_type(path: Path) -> dict[str, list[dict[str, Any]]]:
    """One table per fact type: the fact's place and its own fields, as emitted."""
    tables: dict[str, list[dict[str, Any]]] = {kind: [] for kind in TYPE_COLUMNS}
    for record in _records(path):
        for fact in record.get("facts", []):
            kind = fact["type"]
            row = {"doc_id": record["doc_id"], "article": record["article"]}
            for column, arrow in [*_WHERE[2:], *TYPE_COLUMNS[kind]]:
                value = fact.get({"from_year": "from", "to_year": "to"}.get(column, column))
                if column == "mentions":
                    value = len(fact.get("mentions") or [])
                elif arrow == "float64" and value is not None:
                    value = float(value)
                row[column] = value
            tables[kind].append(row)
    return tables


def _tables(records: Path) -> list[tuple[str, list[dict[str, Any]], list[tuple[str, str]]]]:
    facts, articles = rows(records)
    per_type = by_type(records)
    return [
        ("facts", facts, FACT_COLUMNS),
        ("articles", articles, ARTICLE_COLUMNS),
        *((kind, per_type[kind], _WHERE + TYPE_COLUMNS[kind]) for kind in TYPE_COLUMNS),
    ]


def _arrow_table(table: list[dict[str, Any]], columns: list[tuple[str, str]]) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64()}
    types["list<string>"] = pa.list_(pa.string())
    schema = pa.schema([(name, types[kind]) for name, kind in columns])
    return pa.Table.from_pylist(
        [{name: row.get(name) for name, _ in columns} for row in table], schema=schema
    )


def export(records: Path, fmt: str, out: Path) -> tuple[int, int]:
    """Write the facts and articles tables and one table per fact type (named after it:
    money, count, …, appointment); returns (facts, articles) row counts."""
    tables = _tables(records)
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        for name, table, columns in tables:
            with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as stream:
                writer = csv.DictWriter(stream, [c for c, _ in columns])
                writer.writeheader()
                for row in table:
                    flat = {c: row.get(c) for c, _ in columns}
                    titles = flat.get("titles")
                    if isinstance(titles, list):
                        flat["titles"] = " | ".join(titles)
                    writer.writerow(flat)
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        out.mkdir(parents=True, exist_ok=True)
        for name, table, columns in tables:
            pq.write_table(_arrow_table(table, columns), out / f"{name}.parquet")
    elif fmt == "duckdb":
        import duckdb

        out.parent.mkdir(parents=True, exist_ok=True)
        out.unlink(missing_ok=True)
        with duckdb.connect(str(out)) as connection:
            for name, table, columns in tables:
                connection.register(f"{name}_arrow", _arrow_table(table, columns))
                connection.execute(f'CREATE TABLE "{name}" AS SELECT * FROM "{name}_arrow"')
                connection.unregister(f"{name}_arrow")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return len(tables[0][1]), len(tables[1][1])
