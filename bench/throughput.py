"""Throughput benchmark: vnfacts against underthesea, and vnfacts across worker counts.

Run (not part of the test suite; about ten minutes on two cores):

    .venv/bin/python bench/throughput.py            # 20 MB generated corpus
    .venv/bin/python bench/throughput.py --mb 4     # a quicker run

1. On the same texts (the corpus plus a slice of the generated corpus) it times our full
   extraction (all fact types), underthesea `word_tokenize` alone and underthesea `ner()`,
   both run line by line as our tokeniser does, and prints chars/s, articles/s and ratios.
2. On the generated corpus (shuffled corpus sentences with new numbers and names, made
   here and never committed) at half and full size it runs `vnfacts extract --workers 1`
   and `--workers 2` and prints the time and the peak memory of the largest process.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["Văn An", "Thị Bình", "Quốc Cường", "Minh Đức", "Thu Hà", "Hữu Lợi", "Thanh Tâm"]


def corpus_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("corpus/*/texts/*.txt"))]


def generate(target: Path, megabytes: float, seed: int = 7) -> int:
    """A JSONL corpus of about `megabytes` MB; returns the number of documents."""
    rng = random.Random(seed)
    sentences = [
        s.strip()
        for text in corpus_texts()
        for s in regex.split(r"(?<=[.!?])\s+", text)
        if len(s.strip()) > 30
    ]
    name = regex.compile(r"\b(?:Nguyễn|Trần|Lê|Phạm|Hoàng|Đinh|Bùi) \p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+")

    def vary(sentence: str) -> str:
        sentence = regex.sub(r"\d+", lambda m: str(rng.randint(1, 999)), sentence)
        return name.sub(lambda m: f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}", sentence)

    size = int(megabytes * 1_000_000)
    written = documents = 0
    with target.open("w", encoding="utf-8") as stream:
        while written < size:
            body = "\n".join(vary(rng.choice(sentences)) for _ in range(rng.randint(8, 30)))
            line = json.dumps({"id": f"g{documents:06d}", "text": body}, ensure_ascii=False)
            stream.write(line + "\n")
            written += len(line.encode("utf-8")) + 1
            documents += 1
    return documents


def _timed(run: Callable[[], None]) -> float:
    began = time.perf_counter()
    run()
    return time.perf_counter() - began


def same_texts(texts: list[str]) -> list[tuple[str, float]]:
    from underthesea import ner, word_tokenize

    from pipeline.patterns import load
    from pipeline.read import Document
    from pipeline.records import extract_document

    patterns = load()
    extract_document(Document("warm", texts[0]), patterns)
    word_tokenize("Xin chào Việt Nam")
    ner("Xin chào Việt Nam")
    lines = [line for text in texts for line in text.split("\n") if line.strip()]
    ours = _timed(
        lambda: [extract_document(Document(str(i), t), patterns) for i, t in enumerate(texts)]
    )
    tokenize = _timed(lambda: [word_tokenize(line) for line in lines])
    tagged = _timed(lambda: [ner(line) for line in lines])
    return [
        ("vnfacts extract (all facts)", ours),
        ("underthesea word_tokenize", tokenize),
        ("underthesea ner()", tagged),
    ]


def _tree_rss(pid: int) -> dict[int, int]:
    """RSS in kB of a process and its descendants (Linux /proc)."""
    found: dict[int, int] = {}
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        rss = regex.search(r"VmRSS:\s+(\d+)", status)
        found[current] = int(rss.group(1)) if rss else 0
        pending.extend(int(c) for c in children)
    return found


def run_cli(corpus: Path, workers: int) -> tuple[float, int]:
    """Seconds and the peak RSS (MB) of the largest single process of one extract run."""
    out = corpus.with_suffix(f".w{workers}.out.jsonl")
    command = [sys.executable, "-m", "pipeline", "extract", str(corpus), "-o", str(out), "-q"]
    command += ["--workers", str(workers)]
    peak = 0
    began = time.perf_counter()
    process = subprocess.Popen(command)

    def watch() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max([peak, *_tree_rss(process.pid).values()])
            time.sleep(0.2)

    watcher = threading.Thread(target=watch)
    watcher.start()
    process.wait()
    watcher.join()
    seconds = time.perf_counter() - began
    if process.returncode not in (0, 1):
        raise SystemExit(f"extract failed with exit code {process.returncode}")
    out.unlink(missing_ok=True)
    return seconds, peak // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of the generated corpus")
    parser.add_argument(
        "--slice-kb",
        type=int,
        default=300,
        help="generated text added to the corpus for the same-text comparison",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "generated.jsonl"
        half = Path(tmp) / "generated-half.jsonl"
        documents = generate(full, args.mb)
        generate(half, args.mb / 2)
        texts = corpus_texts()
        with full.open(encoding="utf-8") as stream:
            while sum(map(len, texts)) < len("".join(corpus_texts())) + args.slice_kb * 1000:
                texts.append(json.loads(stream.readline())["text"])
        chars = sum(map(len, texts))
        print(f"## Same texts: {len(texts)} articles, {chars:,} characters\n")
        print("| what | seconds | chars/s | articles/s |\n|---|---|---|---|")
        results = same_texts(texts)
        for label, seconds in results:
            print(
                f"| {label} | {seconds:.1f} | {chars / seconds:,.0f} | {len(texts) / seconds:.1f} |"
            )
        ours, tokenize, tagged = (seconds for _, seconds in results)
        ratios = f"vnfacts / word_tokenize: {tokenize / ours:.2f}×; vnfacts / ner(): "
        print(f"\n{ratios}{tagged / ours:.1f}×\n")
        print(f"## Generated corpus: {args.mb:g} MB, {documents} documents (and half of it)\n")
        print(
            "| corpus | workers | seconds | MB/s | peak RSS of one process |\n|---|---|---|---|---|"
        )
        timings: dict[tuple[str, int], float] = {}
        for label, corpus in (("half", half), ("full", full)):
            size = corpus.stat().st_size / 1e6
            for workers in (1, 2):
                seconds, peak = run_cli(corpus, workers)
                timings[(label, workers)] = seconds
                print(
                    f"| {label} ({size:.1f} MB) | {workers} | {seconds:.1f} | "
                    f"{size / seconds:.2f} | {peak} MB |"
                )
        speedup = timings[("full", 1)] / timings[("full", 2)]
        print(f"\n--workers 2 / --workers 1 on the full corpus: {speedup:.2f}×")


if __name__ == "__main__":
    main()
