"""Run the pipeline over many documents: in this process, in a pool of processes, or on a
Dask cluster — the same `process` function everywhere, patterns loaded once per process.

Memory stays bounded: documents are read lazily and at most a few per worker are in
flight; results come back as JSON lines, already serialised by the worker.

No document can hold a batch hostage: in a pool, each document has a time budget
(`--doc-timeout`). A worker that overruns it is killed and replaced, the document becomes
an error record (E110), and the documents queued behind it go to the other workers.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkContext, SpawnContext
from multiprocessing.process import BaseProcess
from pathlib import Path

import regex

from .errors import ErrorCode
from .models import ErrorRecord, Record
from .patterns import load
from .read import DocumentError, Item
from .records import error_record, records_for
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
    warned: bool = False  # some input was ignored: the records say what (W1xx)


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
        any(isinstance(r, Record) and r.warnings for r in records),
    )


def failed(item: Item, code: ErrorCode, detail: str) -> Outcome:
    """The outcome of a document the pool gave up on: one error record."""
    record = error_record(DocumentError(item.doc_id, code, detail, item.checksum))
    return Outcome(item.doc_id, item.checksum, (dumps(record),), 0, 0, 1)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _warm() -> None:
    """Load what every document needs, once per process (before forking, it is shared)."""
    load()
    gazetteer.load()


def run(
    items: Iterable[Item],
    workers: int = 1,
    ordered: bool = True,
    chunk: int = 4,
    timeout: float | None = None,
) -> Iterator[Outcome]:
    """Outcomes of `items`, in input order unless `ordered` is False.

    With one worker and no `timeout`, documents run in this process. Otherwise they run in
    a pool of `workers` processes, `chunk` documents to a message, at most four chunks per
    worker in flight, and a document that runs longer than `timeout` seconds becomes an
    E110 error record while its worker is replaced.
    """
    _warm()
    # The loaded models are long-lived: keep the collector from walking them again and
    # again, and, in a pool, from copying the pages the forked workers share.
    gc.freeze()
    if workers <= 1 and not timeout:
        yield from map(process, items)
        return
    pool = _Pool(max(1, workers), timeout or None)
    try:
        yield from pool.run(items, ordered, chunk)
    finally:
        pool.close()


def _serve(conn: Connection) -> None:
    """A worker: chunks of (number, item) in, one (number, outcome) out per document."""
    _warm()
    try:
        while (work := conn.recv()) is not None:
            for number, item in work:
                conn.send((number, process(item)))
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        pass  # the parent is gone or stopping us


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    # The documents sent and not yet answered, the first one being worked on since `since`.
    assigned: deque[tuple[int, Item]] = field(default_factory=deque)
    since: float = 0.0


class _Pool:
    """Worker processes with one pipe each, so that the parent knows which document each
    worker is on and since when, and can replace a worker without losing anything else."""

    def __init__(self, size: int, timeout: float | None) -> None:
        self.context: ForkContext | SpawnContext = (
            multiprocessing.get_context("fork")
            if "fork" in multiprocessing.get_all_start_methods()
            else multiprocessing.get_context("spawn")
        )
        self.timeout = timeout
        self.queue: deque[tuple[int, Item]] = deque()  # read, not yet sent (or sent back)
        self.workers = [self._start() for _ in range(size)]

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child,), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def close(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(OSError):  # a worker that is gone already
                worker.conn.send(None)
        for worker in self.workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()

    def run(self, items: Iterable[Item], ordered: bool, chunk: int) -> Iterator[Outcome]:
        source = enumerate(items)
        done: dict[int, Outcome] = {}
        window = len(self.workers) * chunk * 4
        following = 0  # the number of the next outcome to yield, in input order
        exhausted = False
        while True:
            in_flight = len(self.queue) + len(done) + sum(len(w.assigned) for w in self.workers)
            while not exhausted and in_flight < window:
                entry = next(source, None)
                exhausted = entry is None
                if entry is not None:
                    self.queue.append(entry)
                    in_flight += 1
            for worker in self.workers:
                if self.queue and not worker.assigned:
                    work = [self.queue.popleft() for _ in range(min(chunk, len(self.queue)))]
                    worker.conn.send(work)
                    worker.assigned.extend(work)
                    worker.since = time.monotonic()
            busy = [w for w in self.workers if w.assigned]
            if not busy:
                return
            for number, outcome in self._collect(busy):
                done[number] = outcome
            if not ordered:
                yield from done.values()
                done.clear()
            while following in done:
                yield done.pop(following)
                following += 1

    def _collect(self, busy: list[_Worker]) -> Iterator[tuple[int, Outcome]]:
        """The outcomes that are ready, waiting at most until the earliest deadline. A
        worker past its deadline, or dead, is replaced: its document gets an error record
        and the rest of its chunk goes back to the front of the queue."""
        wait_for = None
        if self.timeout is not None:
            earliest = min(w.since for w in busy) + self.timeout
            wait_for = max(0.0, earliest - time.monotonic())
        ready = wait([w.conn for w in busy], wait_for)
        for worker in busy:
            if worker.conn in ready:
                try:
                    number, outcome = worker.conn.recv()
                except (EOFError, OSError):
                    worker.process.join()
                    detail = f"exit code {worker.process.exitcode}"
                    yield self._lost(worker, ErrorCode.E111, detail)
                    continue
                worker.assigned.popleft()
                worker.since = time.monotonic()
                yield number, outcome
            elif self.timeout is not None and time.monotonic() - worker.since >= self.timeout:
                yield self._lost(worker, ErrorCode.E110, f"{self.timeout:g}")

    def _lost(self, worker: _Worker, code: ErrorCode, detail: str) -> tuple[int, Outcome]:
        number, item = worker.assigned.popleft()
        self.queue.extendleft(reversed(worker.assigned))
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self.workers[self.workers.index(worker)] = self._start()
        return number, failed(item, code, detail)


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
