"""The HTML review report (pipeline/report.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.report import highlight

from .conftest import CORPUS

TEXTS = [str(CORPUS / "seeds" / "texts"), str(CORPUS / "dev" / "texts")]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("report")
    out = folder / "out.jsonl"
    assert main(["extract", *TEXTS, "-o", str(out), "-q", "--workers", "1"]) == 0
    with out.open("a", encoding="utf-8") as stream:  # and one error record
        error = {"message": "E101 The document is empty.", "kind": "E101"}
        stream.write(json.dumps({"schema_version": 1, "doc_id": "rong", "error": error}) + "\n")
    page = folder / "report.html"
    assert main(["report", str(out), "--inputs", *TEXTS, "-o", str(page), "-q"]) == 0
    return out, page


def test_one_highlight_per_fact_at_its_offsets(run: tuple[Path, Path]) -> None:
    out, page = run
    html = page.read_text(encoding="utf-8")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in CORPUS.glob("*/texts/*.txt")}
    marks = re.findall(
        r'<mark class="fact (\w+)" data-fact="(\d+)" data-start="(\d+)" '
        r'data-end="(\d+)"',
        html,
    )
    expected = []
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for number, fact in enumerate(record.get("facts", [])):
            assert texts[record["doc_id"]][fact["start"] : fact["end"]] == fact["text"]
            expected.append((fact["type"], str(number), str(fact["start"]), str(fact["end"])))
    # A fact cut by an overlapping one has several marks; each fact has at least one.
    assert set(marks) == set(expected)
    assert len(expected) > 300  # the corpus run is not empty


def test_the_page_needs_no_network_and_lists_error_records(run: tuple[Path, Path]) -> None:
    html = run[1].read_text(encoding="utf-8")
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)
    assert "<script src" not in html and "<link" not in html
    assert '<tr class="error"><td>rong</td><td>E101</td>' in html
    assert "<svg" in html  # the money-by-place chart, drawn by matplotlib


def test_highlight_nests_overlapping_facts() -> None:
    text = "trao quà cho 2 xã Ba Nang"
    facts = [
        {
            "type": "count",
            "start": 13,
            "end": 25,
            "text": "2 xã Ba Nang",
            "value": 2,
            "item": "xã Ba Nang",
            "rule": "count.digits",
        },
        {
            "type": "location",
            "start": 15,
            "end": 25,
            "text": "xã Ba Nang",
            "name": "Ba Nang",
            "level": "commune",
            "rule": "location.keyword",
        },
    ]
    html = str(highlight(text, 0, facts))
    assert html.startswith('trao quà cho <mark class="fact count" data-fact="0"')
    assert '>2 </mark><mark class="fact count"' in html
    assert '<mark class="fact location" data-fact="1" data-start="15" data-end="25"' in html
    assert "location: Ba Nang (commune) · rule location.keyword" in html
