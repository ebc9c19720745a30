"""Command line: `vnfacts extract | evaluate | schema` (also `python -m pipeline`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import TypeAdapter

from . import evaluate as ev
from .errors import VnfactsError
from .models import ErrorRecord, OutputRecord
from .patterns import load
from .read import read_inputs
from .records import records_for
from .write import RecordWriter


def cmd_extract(args: argparse.Namespace) -> int:
    patterns = load()
    documents = articles = facts = errors = 0
    with RecordWriter(Path(args.output) if args.output else None) as writer:
        for item in read_inputs(args.inputs):
            documents += 1
            for record in records_for(item, patterns):
                writer.write(record)
                if isinstance(record, ErrorRecord):
                    errors += 1
                else:
                    articles += 1
                    facts += len(record.facts)
    if not args.quiet:
        print(
            f"vnfacts: {documents} documents, {articles} articles, {facts} facts, {errors} errors",
            file=sys.stderr,
        )
    return 1 if errors else 0


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
    extract.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
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
        "--list", choices=ev.TYPES, help="list misses and false positives of a type"
    )
    evaluate.add_argument(
        "--no-ner",
        action="store_true",
        help="skip running underthesea's ner() on the gold texts for the PER recall comparison",
    )
    evaluate.set_defaults(func=cmd_evaluate)

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
