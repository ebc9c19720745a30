"""Scaling benchmark: the cost per character must not grow with the size of anything.

Run (not part of the test suite; about two minutes on one core):

    .venv/bin/python bench/scaling.py
    .venv/bin/python bench/scaling.py --quick      # smaller sizes

Four dimensions, each from corpus sentences (shuffled, never committed):

1. paragraph length: one paragraph with no line break, 10 k … 2 M characters;
2. articles per document: pages of 1 … 300 articles (title, paragraphs, byline);
3. facts per article: one article of 10 … 10,000 facts (paragraphs of sentences with
   numbers; an official or a place named again is one fact, so the facts column grows
   more slowly than the text);
4. documents per batch: 10 … 3,000 short documents through `batch.run` in one process.

For each it prints chars/s and two ratios: the rate at the largest size over the rate at
the smallest, and the lowest rate over the highest (1.0: perfectly linear). Last,
`vnfacts extract --workers 1` on the 2 M-char paragraph as a file, start-up included.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.batch import run  # noqa: E402
from pipeline.patterns import load  # noqa: E402
from pipeline.read import Document  # noqa: E402

_NUMBER = regex.compile(r"\d")


def sentences() -> list[str]:
    found: set[str] = set()
    for path in sorted(ROOT.glob("corpus/*/texts/*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in regex.split(r"(?<=[.!?])\s+", line.strip()):
                if len(sentence) > 40 and sentence[-1] in ".!?" and not sentence.isupper():
                    found.add(" ".join(sentence.split()))
    return sorted(found)


def pick(pool: list[str], chars: int, rng: random.Random) -> list[str]:
    chosen: list[str] = []
    total = 0
    while total < chars:
        chosen.append(rng.choice(pool))
        total += len(chosen[-1]) + 1
    return chosen


def timed(work: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    result = work()
    return time.perf_counter() - began, result


def facts_of(records: object) -> int:
    assert isinstance(records, list)
    return sum(len(r.facts) for r in records)


def one_paragraph(pool: list[str], size: int, rng: random.Random) -> str:
    return " ".join(pick(pool, size, rng))[:size]


def page(pool: list[str], count: int, rng: random.Random) -> str:
    """A page of `count` articles: a heading, three paragraphs and a byline each."""
    parts = []
    for n in range(count):
        body = "\n".join(" ".join(pick(pool, 600, rng)) for _ in range(3))
        parts.append(f"# Bài số {n + 1} về công tác xây dựng Đảng\n{body}\nPHÓNG VIÊN {n + 1}")
    return "\n".join(parts)


def repeated(
    label: str, make: Callable[[], list[Document]], least: float = 2.0
) -> tuple[str, float, float, int]:
    """Run new inputs of one size until `least` seconds have passed: small sizes are timed
    over many inputs, so that noise does not decide their rate. Returns the label, the
    seconds, the characters processed and the facts found."""
    seconds = 0.0
    chars = facts = articles = runs = 0
    while seconds < least or runs == 0:
        docs = make()
        spent, outcomes = timed(lambda d=docs: list(run(d, workers=1)))
        assert isinstance(outcomes, list)
        seconds += spent
        chars += sum(len(d.text) for d in docs)
        facts += sum(o.facts for o in outcomes)
        articles += sum(o.articles for o in outcomes)
        runs += 1
    label += f" ({chars // runs:,} chars, {articles // runs:,} articles; {runs} runs)"
    return label, seconds, chars, facts


def table(title: str, unit: str, rows: list[tuple[str, float, float, int]]) -> None:
    """rows: (size label, seconds, amount of `unit` processed, facts)."""
    print(f"## {title}\n")
    print(f"| size | seconds | facts | {unit}/s |\n|---|---|---|---|")
    rates = []
    for label, seconds, amount, facts in rows:
        rates.append(amount / seconds)
        print(f"| {label} | {seconds:.2f} | {facts:,} | {rates[-1]:,.0f} |")
    print(
        f"\n{unit}/s of the largest size / of the smallest: {rates[-1] / rates[0]:.2f}; "
        f"lowest / highest: {min(rates) / max(rates):.2f}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    args = parser.parse_args()
    load()
    pool = sentences()
    dense = [s for s in pool if len(_NUMBER.findall(s)) >= 2]
    rng = random.Random(7)
    list(run([Document("warm", " ".join(pool[:50]))]))

    sizes = [10_000, 100_000, 500_000] if args.quick else [10_000, 100_000, 500_000, 2_000_000]
    rows = []
    for size in sizes:
        make = lambda n=size: [Document("p", one_paragraph(pool, n, rng))]  # noqa: E731
        rows.append(repeated(f"{size:,} chars", make))
    table("Paragraph length (one paragraph, no line break)", "chars", rows)

    rows = []
    for count in [1, 10, 100] if args.quick else [1, 10, 100, 300]:
        make = lambda n=count: [Document("a", page(pool, n, rng))]  # noqa: E731
        rows.append(repeated(f"{count} articles", make))
    table("Articles per document", "chars", rows)

    rows = []
    sample = Document("s", "\n".join(" ".join(pick(dense, 400, rng)) for _ in range(40)))
    per_paragraph = next(iter(run([sample]))).facts / 40
    for wanted in [10, 100, 1000] if args.quick else [10, 100, 1000, 10_000]:
        count = max(1, round(wanted / per_paragraph))
        make = lambda n=count: [  # noqa: E731
            Document("f", "\n".join(" ".join(pick(dense, 400, rng)) for _ in range(n)))
        ]
        rows.append(repeated(f"about {wanted:,} facts", make))
    table("Facts per article (paragraphs of sentences with numbers)", "chars", rows)

    rows = []
    for count in [10, 100, 1000] if args.quick else [10, 100, 1000, 3000]:
        make = lambda n=count: [  # noqa: E731
            Document(f"d{i}", "\n".join(pick(pool, 800, rng))) for i in range(n)
        ]
        rows.append(repeated(f"{count:,} documents", make))
    table("Documents per batch (one process)", "chars", rows)

    with tempfile.TemporaryDirectory() as tmp:
        size = sizes[-1]
        path = Path(tmp) / "one-paragraph.txt"
        path.write_text(" ".join(pick(pool, size, rng))[:size], encoding="utf-8")
        command = [sys.executable, "-m", "pipeline", "extract", str(path), "-q"]
        command += ["--workers", "1", "-o", str(Path(tmp) / "out.jsonl")]
        seconds, _ = timed(lambda: subprocess.run(command, check=False, cwd=ROOT))
        print(f"`vnfacts extract --workers 1` on a {size:,}-char paragraph: {seconds:.1f} s")


if __name__ == "__main__":
    main()
