"""Flat tables of a run for pandas, DuckDB or a spreadsheet: one row per fact, one per article.

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


def _arrow_table(table: list[dict[str, Any]], columns: list[tuple[str, str]]) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64()}
    types["list<string>"] = pa.list_(pa.string())
    schema = pa.schema([(name, types[kind]) for name, kind in columns])
    return pa.Table.from_pylist(
        [{name: row.get(name) for name, _ in columns} for row in table], schema=schema
    )


def export(records: Path, fmt: str, out: Path) -> tuple[int, int]:
    """Write the two tables; returns (facts, articles) row counts."""
    facts, articles = rows(records)
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        for name, table, columns in (
            ("facts", facts, FACT_COLUMNS),
            ("articles", articles, ARTICLE_COLUMNS),
        ):
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
        pq.write_table(_arrow_table(facts, FACT_COLUMNS), out / "facts.parquet")
        pq.write_table(_arrow_table(articles, ARTICLE_COLUMNS), out / "articles.parquet")
    elif fmt == "duckdb":
        import duckdb

        out.parent.mkdir(parents=True, exist_ok=True)
        out.unlink(missing_ok=True)
        facts_table = _arrow_table(facts, FACT_COLUMNS)
        articles_table = _arrow_table(articles, ARTICLE_COLUMNS)
        with duckdb.connect(str(out)) as connection:
            connection.register("facts_arrow", facts_table)
            connection.register("articles_arrow", articles_table)
            connection.execute("CREATE TABLE facts AS SELECT * FROM facts_arrow")
            connection.execute("CREATE TABLE articles AS SELECT * FROM articles_arrow")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return len(facts), len(articles)
