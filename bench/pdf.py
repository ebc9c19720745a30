"""PDF benchmark: pages per second for reading a newspaper PDF (text layer, lines,
articles), beside extraction's characters per second on the text it gives.

Run (not part of the test suite; under a minute):

    .venv/bin/python bench/pdf.py

Issues of 8 and 32 pages are generated from corpus articles with tests/newspaper.py (in a
temporary folder, never committed). For each it times `read.read_pdf` (pypdfium2's text
layer, then layout.py) and `records.records_for` on the document it gives, and prints the
share of the time spent reading: reading must not be the bottleneck of a batch.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.patterns import load  # noqa: E402
from pipeline.read import Document, read_pdf  # noqa: E402
from pipeline.records import records_for  # noqa: E402
from tests.newspaper import make_issue, usable  # noqa: E402


def _articles() -> list[tuple[str, str]]:
    found = []
    for part in ("dev", "blind", "blind2", "genres"):
        for path in sorted((ROOT / "corpus" / part / "texts").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            if usable(text):
                found.append((path.stem, text))
    return found


def main() -> None:
    patterns = load()
    articles = _articles()
    print("| issue | articles | read + layout, s | pages/s | extract, s | chars/s | reading |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for pages, copies in ((8, 1), (32, 4)):
            source = [(f"{i}-{doc_id}", text) for i in range(copies) for doc_id, text in articles]
            issue = make_issue(Path(tmp) / f"issue{pages}.pdf", source, pages=pages)
            best_read = best_extract = float("inf")
            doc = None
            for _ in range(3):
                start = time.perf_counter()
                doc = read_pdf(issue.path)
                best_read = min(best_read, time.perf_counter() - start)
                assert isinstance(doc, Document)
                start = time.perf_counter()
                records_for(doc, patterns)
                best_extract = min(best_extract, time.perf_counter() - start)
            assert isinstance(doc, Document)
            share = best_read / (best_read + best_extract)
            print(
                f"| {pages} pages | {len(issue.articles)} | {best_read:.2f} | "
                f"{pages / best_read:.1f} | {best_extract:.2f} | "
                f"{len(doc.text) / best_extract:,.0f} | {share:.0%} |"
            )


if __name__ == "__main__":
    main()
