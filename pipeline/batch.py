"""Run the pipeline over many documents: in this process, in a pool of processes, or on a
Dask cluster — the same `process` function everywhere, patterns loaded once per process.

Memory stays bounded: documents are read lazily and at most a few per worker are in
flight; results come back as JSON lines, already serialised by the worker.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import regex

from .models import ErrorRecord
from .patterns import load
from .read import Item
from .records import records_for
from .resolve import gazetteer
from .write import dumps


@dataclass(frozen=True)
class Outcome:
    """What one input document gave: its records as JSON lines, and counts for the summary."""

    doc_id: str
    checksum: str | None
    lines: tuple[str, ...]
    articles: int
    facts: int
    errors: int


def process(item: Item) -> Outcome:
    records = records_for(item, load())
    errors = sum(isinstance(r, ErrorRecord) for r in records)
    facts = sum(len(r.facts) for r in records if not isinstance(r, ErrorRecord))
    return Outcome(
        item.doc_id,
        item.checksum,
        tuple(dumps(r) for r in records),
        len(records) - errors,
        facts,
        errors,
    )


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _warm() -> None:
    """Load what every document needs, once per process (before forking, it is shared)."""
    load()
    gazetteer.load()


def process_many(items: list[Item]) -> list[Outcome]:
    return [process(item) for item in items]


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(
    items: Iterable[Item], workers: int = 1, ordered: bool = True, chunk: int = 4
) -> Iterator[Outcome]:
    """Outcomes of `items`, in input order unless `ordered` is False.

    Documents go to the workers in chunks (fewer round trips between processes), and at
    most four chunks per worker are in flight, so memory does not grow with the input.
    """
    _warm()
    # The loaded models are long-lived: keep the collector from walking them again and
    # again, and, in a pool, from copying the pages the forked workers share.
    gc.freeze()
    if workers <= 1:
        yield from map(process, items)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    window = workers * 4
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_warm) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for group in _chunks(items, chunk):
            pending.append(pool.submit(process_many, group))
            if len(pending) >= window:
                for outcomes in _drain(pending, ordered, keep=window - 1):
                    yield from outcomes
        for outcomes in _drain(pending, ordered, keep=0):
            yield from outcomes


def _drain(
    pending: deque[Future[list[Outcome]]], ordered: bool, keep: int
) -> Iterator[list[Outcome]]:
    while len(pending) > keep:
        if ordered:
            yield pending.popleft().result()
            continue
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            pending.remove(future)
            yield future.result()


def completed(out: Path) -> set[tuple[str, str]]:
    """(doc_id, checksum) of the documents OUT already holds, for --resume.

    An interruption may have cut the last document: a last line without its newline is
    removed with the other lines of its document, and when the file ends cleanly its last
    document is removed all the same (its later articles may be missing); it is done again.
    """
    if not out.exists():
        return set()
    with out.open("rb+") as stream:
        data = stream.read()
        end = data.rfind(b"\n") + 1
        partial = data[end:]
        cut_id = _PARTIAL_ID.search(partial) if partial else None
        last_id = json.loads(f'"{cut_id.group(1).decode()}"') if cut_id else None
        lines = data[:end].splitlines(keepends=True)
        cut = end
        for line in reversed(lines):
            doc_id = _doc_id(line)
            last_id = doc_id if last_id is None else last_id
            if doc_id != last_id:
                break
            cut -= len(line)
        stream.truncate(cut)
    done = set()
    for line in data[:cut].splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("checksum"):
            done.add((str(record.get("doc_id")), str(record["checksum"])))
    return done


_PARTIAL_ID = regex.compile(rb'"doc_id":"((?:[^"\\]|\\.)*)"')


def _doc_id(line: bytes) -> str | None:
    try:
        return str(json.loads(line).get("doc_id"))
    except ValueError:
        return None
