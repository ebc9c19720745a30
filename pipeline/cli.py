"""Command line: `vnfacts extract | evaluate | report | export | import-annotations | serve |
schema` (also `python -m pipeline`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from . import batch
from . import evaluate as ev
from .errors import ErrorCode, VnfactsError
from .models import OutputRecord
from .read import Item, iter_paths, read_inputs
from .write import RecordWriter


def cmd_extract(args: argparse.Namespace) -> int:
    out = Path(args.output) if args.output else None
    if args.resume and out is None:
        raise VnfactsError(ErrorCode.E206)
    if args.resume and args.dask:
        raise VnfactsError(ErrorCode.E210)
    if args.dask:
        return cmd_extract_dask(args)
    items: Iterator[Item] = read_inputs(args.inputs)
    skipped = 0
    if args.resume and out is not None:
        done = batch.completed(out)

        def pending(source: Iterator[Item]) -> Iterator[Item]:
            nonlocal skipped
            for item in source:
                if (item.doc_id, item.checksum) in done:
                    skipped += 1
                else:
                    yield item

        items = pending(items)
    workers = args.workers or batch.default_workers()
    first = list(islice(items, 2))
    if len(first) < 2:  # one document: a pool would only cost its start-up
        workers = 1
    items = chain(first, items)
    summary = Summary(total=_count_documents(args.inputs), quiet=args.quiet)
    with RecordWriter(out, append=args.resume) as writer:
        outcomes = batch.run(
            items, workers=workers, ordered=not args.unordered, timeout=args.doc_timeout or None
        )
        for outcome in outcomes:
            writer.write_lines(outcome.lines)
            summary.add(outcome)
    summary.close(skipped)
    return 1 if summary.errors else 0


def _count_documents(inputs: list[str]) -> int | None:
    """How many documents there are, when that is cheap to know (no stdin, no JSONL)."""
    paths = list(iter_paths(inputs))
    if any(p is None or p.suffix.lower() == ".jsonl" for p in paths):
        return None
    return len(paths)


class Summary:
    """Counts for the closing line on stderr, and a progress bar when stderr is a terminal."""

    def __init__(self, total: int | None, quiet: bool) -> None:
        self.documents = self.articles = self.facts = self.errors = self.warned = 0
        self.quiet = quiet
        self.bar: Any = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True)

    def add(self, outcome: batch.Outcome) -> None:
        self.documents += 1
        self.articles += outcome.articles
        self.facts += outcome.facts
        self.errors += outcome.errors
        self.warned += outcome.warned
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(facts=self.facts, errors=self.errors, refresh=False)

    def close(self, skipped: int = 0) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.quiet:
            return
        line = (
            f"vnfacts: {self.documents} documents, {self.articles} articles, "
            f"{self.facts} facts, {self.errors} errors"
        )
        if self.warned:
            line += f"; {self.warned} with warnings (see 'warnings' in their records)"
        if skipped:
            line += f" ({skipped} documents already in the output, skipped)"
        print(line, file=sys.stderr)


def cmd_extract_dask(args: argparse.Namespace) -> int:
    from .distributed import run_on_dask  # Dask is an optional extra

    summary = run_on_dask(
        args.inputs,
        Path(args.output or "out"),
        args.dask,
        args.partition_size,
        args.quiet,
        args.workers,
    )
    return 1 if summary["errors"] else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    predictions = ev.load_predictions(Path(args.pred))
    texts = Path(args.texts) if args.texts else None
    report: dict[str, object] = {}
    all_docs: list[ev.GoldDoc] = []
    for folder in args.gold:
        docs = ev.load_gold(Path(folder), texts)
        all_docs.extend(docs)
        scores = ev.score(docs, predictions)
        report[folder] = ev.as_dict(scores)
        if not args.json:
            print(ev.table(scores, f"## {folder} ({len(docs)} documents)") + "\n")
        if args.list and not args.json:
            s = scores[args.list]
            print(f"### {args.list}: missed ({len(s.misses)})")
            print("\n".join(f"- {m}" for m in s.misses))
            print(f"### {args.list}: false positives ({len(s.false_positives)})")
            print("\n".join(f"- {m}" for m in s.false_positives) + "\n")
    if len(args.gold) > 1:
        scores = ev.score(all_docs, predictions)
        report["all"] = ev.as_dict(scores)
        if not args.json:
            print(ev.table(scores, f"## all ({len(all_docs)} documents)"))
    if not args.no_ner:
        comparison = ev.compare_ner(all_docs, predictions)
        report["ner_comparison"] = vars(comparison)
        if not args.json:
            print("\n" + comparison.line())
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    run = write_report(Path(args.records), Path(args.output), args.inputs or [])
    if not args.quiet:
        facts = sum(len(a.facts) for a in run.articles)
        print(
            f"vnfacts: report of {len(run.articles)} articles, {facts} facts and "
            f"{len(run.errors)} error records written to {args.output}",
            file=sys.stderr,
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export

    if args.format == "label-studio":
        from .annotations import write_tasks

        config, done = write_tasks(Path(args.records), Path(args.output), args.inputs or [])
        if not args.quiet:
            print(
                f"vnfacts: {done.tasks} Label Studio tasks with {done.regions} regions written "
                f"to {args.output} ({done.errors} error records left out); labelling config: "
                f"{config}",
                file=sys.stderr,
            )
        return 0
    try:
        facts, articles = export(Path(args.records), args.format, Path(args.output))
    except ImportError as exc:
        raise VnfactsError(ErrorCode.E208, detail=f"{args.format}: {exc}") from None
    if not args.quiet:
        print(
            f"vnfacts: {facts} facts and {articles} articles exported to {args.output}",
            file=sys.stderr,
        )
    return 0


def cmd_import_annotations(args: argparse.Namespace) -> int:
    from .annotations import import_annotations

    texts = Path(args.texts) if args.texts else None
    done = import_annotations(Path(args.export), Path(args.output), texts)
    if not args.quiet:
        for note in done.notes:
            print(f"vnfacts: {note.line()}", file=sys.stderr)
        print(
            f"vnfacts: {done.files} gold files with {done.facts} facts from {done.regions} "
            f"regions written to {args.output}; {len(done.notes)} notes",
            file=sys.stderr,
        )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from .serve import main as serve
    except ImportError as exc:
        raise VnfactsError(ErrorCode.E209, detail=str(exc)) from None
    serve(args.host, args.port, args.max_bytes)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    schema = TypeAdapter(OutputRecord).json_schema()
    print(json.dumps(schema, ensure_ascii=False, indent=1))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vnfacts", description="Extract facts from Vietnamese news as JSON records."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    extract = sub.add_parser("extract", help="extract records from files, folders or stdin")
    extract.add_argument("inputs", nargs="+", help="files, folders (recursive) or - for stdin")
    extract.add_argument("-o", "--output", help="JSONL file to write (default: stdout)")
    extract.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no summary on stderr"
    )
    extract.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes to run documents in (default: the number of cores)",
    )
    extract.add_argument(
        "--unordered", action="store_true", help="write records as documents finish"
    )
    extract.add_argument(
        "--doc-timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="time budget per document (default 120; 0: none): a document that takes longer "
        "becomes an error record (E110) and the batch goes on; not enforced under --dask",
    )
    extract.add_argument(
        "--resume",
        action="store_true",
        help="skip the documents OUT already holds (same doc_id and checksum), append the rest",
    )
    extract.add_argument(
        "--dask",
        metavar="SCHEDULER",
        help="run on a Dask cluster (an address such as tcp://host:8786, or 'local'); "
        "-o is then a folder of JSONL parts with a manifest",
    )
    extract.add_argument(
        "--partition-size",
        type=int,
        default=200,
        metavar="N",
        help="documents per Dask partition (default 200)",
    )
    extract.set_defaults(func=cmd_extract)

    evaluate = sub.add_parser("evaluate", help="score predictions against gold files (SPEC §4)")
    evaluate.add_argument(
        "--gold", action="append", required=True, help="folder of gold *.json (repeatable)"
    )
    evaluate.add_argument("--pred", required=True, help="JSONL written by vnfacts extract")
    evaluate.add_argument(
        "--texts", help="folder of the texts (default: beside the gold or ../texts)"
    )
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluate.add_argument(
        "--list", choices=ev.ALL_TYPES, help="list misses and false positives of a type"
    )
    evaluate.add_argument(
        "--no-ner",
        action="store_true",
        help="skip running underthesea's ner() on the gold texts for the PER recall comparison",
    )
    evaluate.set_defaults(func=cmd_evaluate)

    report = sub.add_parser("report", help="write a self-contained HTML review page")
    report.add_argument("records", help="the JSONL output of vnfacts extract")
    report.add_argument("-o", "--output", default="report.html", help="HTML file to write")
    report.add_argument(
        "--inputs", nargs="+", help="the inputs of the run, to show each article's text"
    )
    report.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    report.set_defaults(func=cmd_report)

    exporter = sub.add_parser(
        "export", help="write flat tables (CSV, Parquet, DuckDB) or Label Studio tasks"
    )
    exporter.add_argument("records", help="the JSONL output of vnfacts extract")
    exporter.add_argument(
        "--format", choices=("csv", "parquet", "duckdb", "label-studio"), default="csv"
    )
    exporter.add_argument(
        "-o",
        "--output",
        required=True,
        help="a folder for csv and parquet (facts.*, articles.*), a database file for duckdb, "
        "a JSON file of tasks for label-studio (its labelling config is written beside it)",
    )
    exporter.add_argument(
        "--inputs",
        nargs="+",
        help="label-studio: the inputs of the run, for the documents' texts",
    )
    exporter.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    exporter.set_defaults(func=cmd_export)

    annotations = sub.add_parser(
        "import-annotations", help="turn a Label Studio JSON export into gold files (SPEC §3)"
    )
    annotations.add_argument("export", help="the project's export (Export → JSON)")
    annotations.add_argument("-o", "--output", required=True, help="folder for the gold files")
    annotations.add_argument(
        "--texts", help="folder for the documents' texts (default: beside the gold files)"
    )
    annotations.add_argument("-q", "--quiet", action="store_true", help="no notes on stderr")
    annotations.set_defaults(func=cmd_import_annotations)

    server = sub.add_parser("serve", help="run the web app and HTTP API")
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=8000)
    server.add_argument(
        "--max-bytes", type=int, default=2_000_000, help="largest request body accepted"
    )
    server.set_defaults(func=cmd_serve)

    schema = sub.add_parser("schema", help="print the JSON Schema of an output record")
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except VnfactsError as exc:
        print(f"vnfacts: {exc.message}", file=sys.stderr)
        return 2
