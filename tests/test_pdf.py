"""Newspaper PDFs (pipeline/layout.py): an issue generated from corpus articles at test time
(tests/newspaper.py) comes back as those articles, with their facts where they are printed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen.canvas import Canvas

from pipeline import evaluate as ev
from pipeline.cli import main

from .conftest import CORPUS
from .newspaper import Issue, make_issue, transfer_gold, usable

PARTS = ("dev", "blind", "blind2", "genres")


def _sources() -> list[tuple[str, str, Path]]:
    found = []
    for part in PARTS:
        for path in sorted((CORPUS / part / "texts").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            if usable(text):
                found.append((path.stem, text, CORPUS / part / "gold" / f"{path.stem}.json"))
    return found


@pytest.fixture(scope="module")
def issue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Issue, list[dict[str, Any]]]:
    root = tmp_path_factory.mktemp("pdf")
    made = make_issue(root / "issue.pdf", [(doc_id, text) for doc_id, text, _ in _sources()])
    out = root / "issue.jsonl"
    assert main(["extract", str(made.path), "-o", str(out), "-q", "--workers", "1"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return made, records


def test_an_eight_page_issue_comes_back_as_its_articles(
    issue: tuple[Issue, list[dict[str, Any]]],
) -> None:
    made, records = issue
    assert made.pages == 8 and len(made.articles) >= 30
    assert {page for a in made.articles for page in a.pages} == set(range(1, 9))
    main_text = records[0]["main_text"]
    by_title = {a.title: a for a in made.articles}
    assert len(records) == len(made.articles)
    right = [r for r in records if r["title"] in by_title]
    texts = sum(main_text[r["start"] : r["end"]] == by_title[r["title"]].text for r in right)
    bylines = sum(r["byline"] == by_title[r["title"]].byline for r in right)
    pages = sum(r["pages"] == by_title[r["title"]].pages for r in right)
    assert texts >= 0.95 * len(made.articles)  # article boundaries (and every line in them)
    assert len(right) >= 0.90 * len(made.articles)  # titles
    assert bylines >= 0.90 * len(made.articles)
    assert pages >= 0.95 * len(made.articles)
    assert all(r["basis"] == "pdf" for r in records)
    # The article continued from page 1 on page 3 is one record with both halves.
    [continued] = [a for a in made.articles if a.continued]
    [record] = [r for r in records if r["title"] == continued.title]
    assert record["pages"] == [1, 3]
    assert main_text[record["start"] : record["end"]] == continued.text
    assert "Xem tiếp" not in main_text and "Tiếp theo trang" not in main_text
    assert "BÁO VNFACTS" not in main_text and "Quang cảnh buổi lễ" not in main_text


def _gold_folder(root: Path, made: Issue) -> Path:
    """The articles as text files, each with its corpus gold carried over."""
    sources = {doc_id: (text, gold) for doc_id, text, gold in _sources()}
    gold_dir, text_dir = root / "gold", root / "texts"
    gold_dir.mkdir()
    text_dir.mkdir()
    for laid in made.articles:
        original, gold_path = sources[laid.id]
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        facts = transfer_gold(gold, original, laid)
        (text_dir / f"{laid.id}.txt").write_text(laid.text, encoding="utf-8")
        (gold_dir / f"{laid.id}.json").write_text(
            json.dumps({"doc_id": laid.id, "facts": facts}, ensure_ascii=False), encoding="utf-8"
        )
    return gold_dir


def test_evaluate_on_the_pdf_is_within_001_of_the_same_articles_as_text(
    issue: tuple[Issue, list[dict[str, Any]]], tmp_path: Path
) -> None:
    made, records = issue
    gold_dir = _gold_folder(tmp_path, made)
    as_text = tmp_path / "text.jsonl"
    assert main(["extract", str(tmp_path / "texts"), "-o", str(as_text), "-q"]) == 0
    docs = ev.load_gold(gold_dir)
    text_scores = ev.score(docs, ev.load_predictions(as_text))
    # The PDF's records, each moved to its article's own text (the record's span of
    # main_text is that text), scored against the same gold.
    ids = {a.title: a.id for a in made.articles}
    pooled: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        doc_id = ids.get(record["title"])
        if doc_id is None:
            continue
        for fact in record["facts"]:
            moved = {**fact, "start": fact["start"] - record["start"]}
            moved["end"] = fact["end"] - record["start"]
            pooled.setdefault(doc_id, []).append(moved)
    pdf_scores = ev.score(docs, pooled)
    for kind in ev.TYPES:
        assert text_scores[kind].tp > 0, kind
        assert abs(pdf_scores[kind].f1 - text_scores[kind].f1) <= 0.01, (
            kind,
            pdf_scores[kind].f1,
            text_scores[kind].f1,
        )


def test_every_fact_has_its_page_and_boxes_on_its_words(
    issue: tuple[Issue, list[dict[str, Any]]],
) -> None:
    made, records = issue
    pdf = pdfium.PdfDocument(str(made.path))
    chars: dict[int, list[tuple[str, float, float]]] = {}
    for number, page in enumerate(pdf, start=1):
        height = page.get_height()
        text = page.get_textpage()
        found = []
        for i in range(text.count_chars()):
            left, bottom, right, top = text.get_charbox(i)
            found.append(
                (text.get_text_range(i, 1), (left + right) / 2, height - (top + bottom) / 2)
            )
        chars[number] = found
    facts = [f for r in records for f in r["facts"]]
    assert len(facts) > 500
    for fact in facts:
        assert fact["page"] in chars and fact["bbox"], fact
        inside = "".join(
            ch
            for ch, x, y in chars[fact["page"]]
            if any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in fact["bbox"])
        )
        assert "".join(inside.split()) == "".join(fact["text"].split()), fact
    pdf.close()


def _no_pages() -> bytes:
    """A well-formed PDF (cross-reference table included) whose page tree is empty."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _scan(path: Path) -> None:
    canvas = Canvas(str(path))
    canvas.setFillGray(0.5)
    canvas.rect(50, 50, 400, 600, fill=1)  # a page image, no text
    canvas.showPage()
    canvas.save()


def test_pdfs_that_give_no_text_are_error_records_and_the_batch_goes_on(
    tmp_path: Path, issue: tuple[Issue, list[dict[str, Any]]]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _scan(folder / "scan.pdf")
    canvas = Canvas(str(folder / "locked.pdf"), encrypt="mật khẩu")
    canvas.drawString(100, 700, "Trao 50 triệu đồng cho 12 hộ nghèo.")
    canvas.save()
    whole = issue[0].path.read_bytes()
    (folder / "truncated.pdf").write_bytes(whole[: len(whole) // 3])
    (folder / "empty.pdf").write_bytes(_no_pages())
    (folder / "notes.pdf").write_text("Biên bản họp chi bộ, không phải PDF.", encoding="utf-8")
    canvas = Canvas(str(folder / "letter.pdf"))  # no headline; page 2 a scan
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, 760, "UBND xa An Ap trao 50 trieu dong cho 12 ho ngheo.")
    canvas.showPage()
    canvas.rect(50, 50, 400, 600, fill=1)
    canvas.showPage()
    canvas.save()
    (folder / "good.txt").write_text("Xã An Ấp trao 50 triệu đồng cho 12 hộ.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "-q", "--workers", "1"]) == 1
    records = {
        json.loads(line)["doc_id"]: json.loads(line) for line in out.read_text().splitlines()
    }
    assert set(records) == {"scan", "locked", "truncated", "empty", "notes", "letter", "good"}
    letter = records["letter"]
    assert letter["main_text"] == "UBND xa An Ap trao 50 trieu dong cho 12 ho ngheo."
    assert (letter.get("title"), letter["pages"]) == (None, [1])
    assert letter["warnings"] == [
        "W102 Page 2 of the PDF has no text layer and was left out; OCR it (ocrmypdf -l vie) "
        "to read it."
    ]
    errors = {k: r["error"]["message"] for k, r in records.items() if "error" in r}
    assert errors["scan"].startswith("E113 The PDF has no text layer on page 1: it is a scan.")
    assert "ocrmypdf -l vie" in errors["scan"]
    assert errors["locked"].startswith("E114 The file cannot be read as a PDF: it is encrypted")
    assert errors["truncated"].startswith("E114 The file cannot be read as a PDF: it is damaged")
    assert errors["empty"] == "E114 The file cannot be read as a PDF: it has no pages."
    assert errors["notes"] == (
        "E114 The file cannot be read as a PDF: it is not a PDF (it starts with "
        "'Biên bản họp chi')."
    )
    assert [f["text"] for f in records["good"]["facts"] if f["type"] == "money"] == [
        "50 triệu đồng"
    ]


def test_the_report_shows_each_article_beside_its_page_with_the_fact_boxes(
    issue: tuple[Issue, list[dict[str, Any]]], tmp_path: Path
) -> None:
    made, records = issue
    records_file = tmp_path / "issue.jsonl"
    records_file.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    out = tmp_path / "report.html"
    assert (
        main(["report", str(records_file), "--inputs", str(made.path), "-o", str(out), "-q"]) == 0
    )
    html = out.read_text(encoding="utf-8")
    assert html.count("data:image/jpeg;base64,") == made.pages  # each page once
    boxes = sum(len(f["bbox"]) for r in records for f in r["facts"])
    assert html.count('<span class="box ') == boxes
    assert html.count('<figure class="page">') == sum(len(r["pages"]) for r in records)


def test_a_scanned_page_is_read_by_ocr_with_its_facts_where_they_are(tmp_path: Path) -> None:
    """A page printed from text, kept only as an image (scanned), read by Tesseract (vie):
    the OCR extra and Debian's tesseract-ocr-vie, which scripts/install-ocr installs."""
    from reportlab.lib.utils import ImageReader

    from .newspaper import FONTS, _register

    _register()
    printed = tmp_path / "printed.pdf"
    canvas = Canvas(str(printed))
    canvas.setFont(FONTS["body"], 12)
    lines = [
        "Hội Nông dân xã An Ấp trao 50 triệu đồng cho 12 hộ nghèo.",
        "Ông Phạm Quốc Lập, Phó Bí thư Đảng ủy xã, cho biết năm nay",
        "xã kết nạp 390 đảng viên, hơn 19,9 tỷ đồng đã được giải ngân.",
    ]
    for number, line in enumerate(lines):
        canvas.drawString(72, 760 - 18 * number, line)
    canvas.save()
    image = pdfium.PdfDocument(str(printed))[0].render(scale=200 / 72).to_pil()
    scan = tmp_path / "scan.pdf"
    canvas = Canvas(str(scan))
    canvas.drawImage(ImageReader(image), 0, 0, width=595.27, height=841.89)
    canvas.save()
    out = tmp_path / "scan.jsonl"
    assert main(["extract", str(scan), "-o", str(out), "-q", "--workers", "1"]) == 0
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["main_text"] == " ".join(lines)
    assert record["warnings"] == [
        "W103 Page 1 of the PDF has no text layer and was read from its image by Tesseract "
        "(vie); OCR errors are possible there."
    ]
    money = [(f["text"], f["amount"], f["page"]) for f in record["facts"] if f["type"] == "money"]
    assert money == [("50 triệu đồng", 50000000, 1), ("19,9 tỷ đồng", 19900000000, 1)]
    [official] = [f for f in record["facts"] if f["type"] == "official"]
    assert (official["name"], official["titles"]) == ("Phạm Quốc Lập", ["Phó Bí thư Đảng ủy xã"])
    # The first line is printed 72 points from the left, 70 to 82 points from the top.
    x0, top, x1, bottom = official["bbox"][0]
    assert 90 < x0 < x1 < 300 and 85 < top < bottom < 105
