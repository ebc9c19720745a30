"""Run extraction on a Dask cluster (optional extra: pip install 'vnfacts[dask]').

Inputs are cut into partitions (groups of files, and line ranges of JSONL files); each
Dask task reads its partition, runs `batch.process` on every document (patterns are loaded
once per worker process) and writes `part-NNNNN.jsonl` into the output folder, which must
be on a file system that every worker and the client share. The client then writes
`manifest.json`: the parts in input order, with their counts. Concatenating the parts in
manifest order gives exactly the output of a local run.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .batch import default_workers, process
from .errors import ErrorCode, VnfactsError
from .read import Item, iter_paths, read_file, read_jsonl_file


@dataclass(frozen=True)
class Piece:
    """One file, or lines [first, last] (1-based, inclusive) of a JSONL file."""

    path: str
    first: int = 0
    last: int = 0


def partitions(inputs: list[str], size: int) -> list[list[Piece]]:
    parts: list[list[Piece]] = []
    files: list[Piece] = []
    for path in iter_paths(inputs):
        if path is None:
            raise VnfactsError(ErrorCode.E205, path="-", detail="")
        if path.suffix.lower() == ".jsonl" and path.is_file():
            with path.open("rb") as stream:
                count = sum(1 for _ in stream)
            for first in range(1, count + 1, size):
                parts.append([Piece(str(path), first, min(count, first + size - 1))])
            continue
        files.append(Piece(str(path)))
        if len(files) == size:
            parts.append(files)
            files = []
    if files:
        parts.append(files)
    return parts


def _items(piece: Piece) -> Iterator[Item]:
    path = Path(piece.path)
    if piece.first:
        return read_jsonl_file(path, piece.first, piece.last)
    return read_file(path)


def extract_partition(number: int, pieces: list[Piece], folder: str) -> dict[str, Any]:
    """Runs on a Dask worker: one partition → one JSONL part, written atomically."""
    part = f"part-{number:05d}.jsonl"
    documents = articles = facts = errors = 0
    target = Path(folder) / part
    fd, name = tempfile.mkstemp(prefix=f".{part}.", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
        for piece in pieces:
            for item in _items(piece):
                outcome = process(item)
                stream.write("".join(f"{line}\n" for line in outcome.lines))
                documents += 1
                articles += outcome.articles
                facts += outcome.facts
                errors += outcome.errors
    os.replace(name, target)
    return {
        "part": part,
        "documents": documents,
        "articles": articles,
        "facts": facts,
        "errors": errors,
    }


def run_on_dask(
    inputs: list[str],
    folder: Path,
    scheduler: str,
    size: int,
    quiet: bool = False,
    workers: int | None = None,
) -> dict[str, Any]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise VnfactsError(ErrorCode.E207, detail=str(exc)) from None
    folder.mkdir(parents=True, exist_ok=True)
    parts = partitions(inputs, size)
    if scheduler == "local":
        # Quiet: the in-process scheduler, and the worker processes (through their env).
        logging.getLogger("distributed").setLevel(logging.ERROR)
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
        cluster = LocalCluster(
            n_workers=default_workers(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)
    else:
        cluster = None
        client = Client(scheduler)
    try:
        futures = [
            client.submit(extract_partition, n, pieces, str(folder.resolve()), pure=False)
            for n, pieces in enumerate(parts)
        ]
        results = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    totals = {key: sum(r[key] for r in results) for key in ("documents", "articles", "facts")}
    totals["errors"] = sum(r["errors"] for r in results)
    manifest = {"inputs": inputs, "partition_size": size, "parts": results, **totals}
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    if not quiet:
        print(
            f"vnfacts: {totals['documents']} documents, {totals['articles']} articles, "
            f"{totals['facts']} facts, {totals['errors']} errors "
            f"({len(results)} parts in {folder})",
            file=sys.stderr,
        )
    return totals
