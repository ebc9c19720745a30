"""Flat exports (pipeline/export.py): CSV, Parquet and DuckDB round trips."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main

from .conftest import CORPUS


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "out.jsonl"
    texts = [str(CORPUS / "seeds" / "texts"), str(CORPUS / "dev" / "texts")]
    assert main(["extract", *texts, "-o", str(path), "-q", "--workers", "1"]) == 0
    return path


def _facts(out: Path) -> list[dict[str, object]]:
    return [
        {"doc_id": r["doc_id"], "article": r["article"], **f}
        for line in out.read_text(encoding="utf-8").splitlines()
        for r in [json.loads(line)]
        for f in r["facts"]
    ]


def test_parquet_round_trip(out: Path, tmp_path: Path) -> None:
    assert main(["export", str(out), "--format", "parquet", "-o", str(tmp_path), "-q"]) == 0
    table = pq.read_table(tmp_path / "facts.parquet")
    facts = _facts(out)
    assert table.num_rows == len(facts) > 300
    assert str(table.schema.field("start").type) == "int64"
    assert str(table.schema.field("titles").type) == "list<element: string>"
    rows = table.to_pylist()
    for row, fact in zip(rows, facts, strict=True):
        assert (row["doc_id"], row["type"], row["text"], row["start"], row["end"]) == (
            fact["doc_id"],
            fact["type"],
            fact["text"],
            fact["start"],
            fact["end"],
        )
        if fact["type"] == "money":
            assert row["amount"] == fact["amount"] and row["currency"] == fact["currency"]
        if fact["type"] == "official":
            assert row["titles"] == fact["titles"]
    articles = pq.read_table(tmp_path / "articles.parquet")
    assert articles.num_rows == 33


def test_duckdb_round_trip(out: Path, tmp_path: Path) -> None:
    database = tmp_path / "run.duckdb"
    assert main(["export", str(out), "--format", "duckdb", "-o", str(database), "-q"]) == 0
    facts = _facts(out)
    with duckdb.connect(str(database)) as connection:
        assert connection.execute("SELECT count(*) FROM facts").fetchone() == (len(facts),)
        money = connection.execute("SELECT sum(amount) FROM facts WHERE type = 'money'").fetchone()
        assert money == (float(sum(f["amount"] for f in facts if f["type"] == "money")),)
        codes = connection.execute(
            "SELECT name, code FROM facts WHERE type = 'location' AND name = 'An Ấp'"
        ).fetchall()
        assert codes == [("An Ấp", "12526")]


def test_csv_round_trip(out: Path, tmp_path: Path) -> None:
    assert main(["export", str(out), "--format", "csv", "-o", str(tmp_path), "-q"]) == 0
    with (tmp_path / "facts.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    facts = _facts(out)
    assert len(rows) == len(facts)
    assert [(r["text"], int(r["start"])) for r in rows] == [(f["text"], f["start"]) for f in facts]
    official = next(r for r in rows if r["type"] == "official" and r["name"] == "Phạm Văn Tuân")
    assert official["titles"] == "Ủy viên Ban Thường vụ | Trưởng ban Tổ chức Tỉnh ủy"


def test_a_table_per_fact_type(out: Path, tmp_path: Path) -> None:
    """Issue 14: the export has a table per type with that type's fields."""
    database = tmp_path / "types.duckdb"
    assert main(["export", str(out), "--format", "duckdb", "-o", str(database), "-q"]) == 0
    facts = _facts(out)
    with duckdb.connect(str(database)) as connection:
        for kind in ("money", "count", "date", "term", "organization", "quote", "document"):
            wanted = sum(f["type"] == kind for f in facts)
            assert connection.execute(f'SELECT count(*) FROM "{kind}"').fetchone() == (wanted,)
        terms = connection.execute(
            "SELECT DISTINCT from_year, to_year FROM term ORDER BY 1"
        ).fetchall()
        assert (2020, 2025) in terms
        speakers = {
            f["speaker"] for f in facts if f["type"] == "quote" and f.get("speaker") is not None
        }
        found = connection.execute(
            "SELECT DISTINCT speaker FROM quote WHERE speaker IS NOT NULL"
        ).fetchall()
        assert {s for (s,) in found} == speakers
    assert main(["export", str(out), "--format", "csv", "-o", str(tmp_path / "csv"), "-q"]) == 0
    with (tmp_path / "csv" / "organization.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    names = [f["name"] for f in facts if f["type"] == "organization"]
    assert [r["name"] for r in rows] == names
    assert {"kind", "unit", "mentions"} <= set(rows[0])
