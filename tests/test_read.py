from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest
import yaml

from pipeline.errors import ErrorCode
from pipeline.patterns import Patterns, load
from pipeline.read import (
    Document,
    DocumentError,
    decode,
    document_from_text,
    read_file,
    read_inputs,
    read_jsonl_file,
)
from pipeline.records import extract_document

from .conftest import CORPUS, ROOT

TEXT = "Hỗ trợ 29 triệu đồng cho xã Quốc Tuấn."
PATTERNS = ROOT / "patterns"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),
        TEXT.encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-be"],
)
def test_decode_by_marks(data: bytes) -> None:
    assert decode(data) == TEXT


def _cp1258(text: str) -> bytes:
    """cp1258 keeps the vowel letters (â, ơ, …) precomposed and the tone marks combining."""
    out = []
    for ch in text:
        base, *marks = unicodedata.normalize("NFD", ch)
        rest = []
        for mark in marks:
            candidate = unicodedata.normalize("NFC", base + mark)
            try:
                candidate.encode("cp1258")
                base = candidate
            except UnicodeEncodeError:
                rest.append(mark)
        out.append(base + "".join(rest))
    return "".join(out).encode("cp1258")


def test_decode_legacy_encoding() -> None:
    text = "Hội nghị tổng kết năm 2023 của Ủy ban nhân dân tỉnh Thái Bình trao 29 triệu đồng. " * 5
    assert unicodedata.normalize("NFC", decode(_cp1258(text))) == text


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", ErrorCode.E101), (b" \n\t \n", ErrorCode.E101), (bytes(range(256)) * 8, ErrorCode.E102)],
    ids=["empty", "whitespace", "binary"],
)
def test_bad_files_become_errors(tmp_path: Path, data: bytes, code: ErrorCode) -> None:
    [item] = read_file(_write(tmp_path, "bad.txt", data))
    assert isinstance(item, DocumentError)
    assert item.code is code
    assert item.doc_id == "bad"


def test_jsonl_lines_and_malformed_lines(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "batch.jsonl",
        '{"id": "a1", "text": "Xã có 9 chi bộ.", "date": "2023-10-01"}\n'
        "not json\n"
        '{"id": "a3", "body": "no text"}\n'.encode(),
    )
    items = list(read_file(path))
    assert isinstance(items[0], Document)
    assert (items[0].doc_id, items[0].date) == ("a1", "2023-10-01")
    assert isinstance(items[1], DocumentError) and items[1].code is ErrorCode.E105
    assert "Line 2 " in items[1].message
    assert isinstance(items[2], DocumentError) and items[2].doc_id == "a3"


def test_folders_are_walked_in_order_and_missing_files_reported(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    _write(tmp_path, "b.txt", "B 2 hộ".encode())
    _write(tmp_path / "sub", "a.md", "A 1 hộ".encode())
    _write(tmp_path, "skip.json", b"{}")
    items = list(read_inputs([str(tmp_path), str(tmp_path / "missing.txt")]))
    assert [i.doc_id for i in items] == ["b", "a", "missing"]
    assert isinstance(items[2], DocumentError) and items[2].code is ErrorCode.E104


PAGE = (
    "<!DOCTYPE html><html><head><title>Xã An Ấp kết nạp 9 đảng viên - Báo Thái Bình</title>"
    '<meta property="article:published_time" content="2023-09-25T08:00:00+07:00"></head>'
    "<body><nav>Trang chủ | Thời sự | Kinh tế</nav><article><h1>Xã An Ấp kết nạp 9 đảng viên"
    "</h1><p>Năm nay xã An Ấp (Quỳnh Phụ) kết nạp 9 đảng viên mới, hỗ trợ 20 triệu đồng.</p>"
    "<p>Ông Phạm Quốc Lập, Phó Bí thư Đảng ủy xã cho biết: xã có 300 đảng viên.</p></article>"
    '<aside><h3>Cùng chủ đề</h3><ul><li><a href="/x">Huyện khác chi 5 tỷ đồng cho 120 hộ</a>'
    "</li></ul></aside><footer>Báo Thái Bình - 2023</footer></body></html>"
)


def test_html_gives_its_main_text_title_and_date(tmp_path: Path) -> None:
    path = tmp_path / "trang.html"
    path.write_text(PAGE, encoding="utf-8")
    [doc] = list(read_file(path))
    assert isinstance(doc, Document)
    assert (doc.basis, doc.title, doc.date) == (
        "html",
        "Xã An Ấp kết nạp 9 đảng viên",
        "2023-09-25",
    )
    assert "Trang chủ" not in doc.text and "5 tỷ đồng" not in doc.text
    assert "hỗ trợ 20 triệu đồng" in doc.text


def test_html_is_recognised_by_its_content_too(tmp_path: Path) -> None:
    path = tmp_path / "trang.txt"
    path.write_text(PAGE, encoding="utf-8")
    [doc] = list(read_file(path))
    assert isinstance(doc, Document) and doc.basis == "html"


@pytest.mark.parametrize(
    "html", ["<html><body></body></html>", "<html><body><script>var x = 1;</script></body></html>"]
)
def test_html_without_article_text_is_an_error(tmp_path: Path, html: str) -> None:
    path = tmp_path / "rong.html"
    path.write_text(html, encoding="utf-8")
    [item] = list(read_file(path))
    assert isinstance(item, DocumentError)
    assert item.code in (ErrorCode.E107, ErrorCode.E101)
    assert item.message.startswith(("E107 The HTML page gave no article text", "E101"))


ENCODED = yaml.safe_load((PATTERNS / "encodings.yaml").read_text(encoding="utf-8"))["lexicons"]
SEED = next((CORPUS / "seeds" / "texts").glob("000_*.txt")).read_text(encoding="utf-8")


def _legacy_bytes(text: str, encoding: str) -> bytes:
    """`text` as a document typed in a legacy font encoding would hold it (a capital the
    encoding has no code for written with the lower-case code, as the ABC fonts do)."""
    codes = {
        v: bytes.fromhex(k) for k, v in ENCODED[f"LEGACY_{encoding.upper()}"]["entries"].items()
    }
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        out += codes.get(ch) or codes.get(ch.lower()) or ch.encode("ascii")
    return bytes(out)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii", "vps"])
def test_legacy_font_encodings_are_converted(
    tmp_path: Path, encoding: str, patterns: Patterns
) -> None:
    [item] = read_file(_write(tmp_path, "cu.txt", _legacy_bytes(SEED, encoding)))
    assert isinstance(item, Document)
    assert (item.encoding, item.basis) == (encoding, "converted")
    differences = [(a, b) for a, b in zip(item.text, SEED, strict=True) if a != b]
    # TCVN3 has no code for "À": a capital word keeps its case, a lone "À" cannot
    assert differences == ([("à", "À")] if encoding == "tcvn3" else [])

    def facts(document: Document) -> list[tuple[str, str, int, int]]:
        records = extract_document(document, patterns)
        return [(f.type, f.text, f.start, f.end) for r in records for f in r.facts]

    assert facts(item) == facts(Document("seed", SEED))


def test_legacy_text_read_as_a_western_code_page_is_converted() -> None:
    shown = _legacy_bytes("Hội nghị của Ủy ban nhân dân tỉnh Thái Bình trao 29 triệu đồng. ", "vni")
    item = document_from_text("x", shown.decode("cp1252") * 5)
    assert isinstance(item, Document) and item.encoding == "vni"
    assert item.text.startswith("Hội nghị của Ủy ban nhân dân tỉnh Thái Bình trao 29 triệu đồng.")
    [record] = extract_document(item, load())
    assert record.encoding == "vni" and record.basis == "converted"
    assert record.main_text == item.text
    assert all(item.text[f.start : f.end] == f.text for f in record.facts)


def test_text_that_mixes_encodings_is_e109() -> None:
    legacy = _legacy_bytes("Hội nghị tổng kết năm 2023 của tỉnh Thái Bình. ", "tcvn3").decode(
        "cp1252"
    )
    unicode = "Xã An Ấp được hỗ trợ 29 triệu đồng, người dân phấn khởi. "
    item = document_from_text("x", (legacy + unicode) * 10)
    assert isinstance(item, DocumentError) and item.code is ErrorCode.E109
    assert "(the text mixes encodings)" in item.message


def test_a_document_over_the_size_limit_is_an_error(tmp_path: Path) -> None:
    line = "Xã An Ấp được hỗ trợ 29 triệu đồng. " * 150_000  # 5.4 million characters, no newline
    [item] = read_file(_write(tmp_path, "to.txt", line.encode("utf-8")))
    assert isinstance(item, DocumentError)
    assert item.code is ErrorCode.E108
    assert item.message.startswith("E108 The document is too large (5,400,000 characters")


def test_bytes_that_are_no_text_encoding_give_e103(tmp_path: Path) -> None:
    # Invalid UTF-8 with no plausible code page: random high bytes between ASCII words.
    data = b"Xa An Ap \x81\x8d\x8f\x90\x9d\xa4\xa6 " * 40
    [item] = read_file(_write(tmp_path, "hong.txt", data))
    assert isinstance(item, DocumentError)
    assert item.code in (ErrorCode.E103, ErrorCode.E102)
    assert item.message.startswith(("E103 The document's bytes could not be decoded", "E102"))


def test_an_unreadable_file_gives_e104(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "khoa.txt", b"Co 5 ho ngheo.")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    [item] = read_file(path)
    assert isinstance(item, DocumentError)
    assert item.code is ErrorCode.E104
    assert item.message == (
        "E104 The file could not be read: Permission denied. Check that it exists and is readable."
    )


def test_a_range_of_jsonl_lines_keeps_its_line_numbers(tmp_path: Path) -> None:
    lines = ['{"id": "a", "text": "Có 5 hộ."}', "{not json", '{"id": "c", "text": "Có 6 hộ."}']
    path = _write(tmp_path, "lo.jsonl", ("\n".join(lines) + "\n").encode("utf-8"))
    items = list(read_jsonl_file(path, 2, 3))
    assert [(i.doc_id, type(i).__name__) for i in items] == [
        ("lo:2", "DocumentError"),
        ("c", "Document"),
    ]


def test_lone_surrogates_and_dates_that_are_no_dates_in_jsonl(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "odd.jsonl",
        b'{"id": "s1", "text": "X\\u00e3 c\\u00f3 9 chi b\\u1ed9 \\udfff."}\n'
        b'{"id": "\\udfff", "text": "X\\u00e3 c\\u00f3 9 chi b\\u1ed9."}\n'
        b'{"id": "d1", "text": "X\\u00e3 c\\u00f3 9 chi b\\u1ed9.", "date": "2025-13-45"}\n'
        b'{"id": "d2", "text": "X\\u00e3 c\\u00f3 9 chi b\\u1ed9.",'
        b' "date": "2025-09-16T08:00+07:00"}\n',
    )
    text_error, id_error, bad_date, good_date = read_file(path)
    assert isinstance(text_error, DocumentError) and text_error.code is ErrorCode.E112
    assert text_error.doc_id == "s1"
    assert text_error.message.startswith(
        "E112 The document's 'text' at position 15 (U+DFFF) holds a lone surrogate"
    )
    assert isinstance(id_error, DocumentError) and id_error.code is ErrorCode.E112
    assert (id_error.doc_id, id_error.detail) == ("odd:2", "'id' at position 0 (U+DFFF) on line 2")
    assert isinstance(bad_date, Document) and bad_date.date is None
    assert bad_date.warnings == (
        "W101 The date given with the document was ignored: '2025-13-45' is not an ISO 8601 "
        "date of the calendar (YYYY, YYYY-MM or YYYY-MM-DD, optionally with a time).",
    )
    assert isinstance(good_date, Document)
    assert (good_date.date, good_date.warnings) == ("2025-09-16", ())


def test_a_dateline_that_is_no_date_of_the_calendar_is_ignored() -> None:
    from pipeline.segment import dateline

    assert dateline("Thứ Hai, 31/02/2024 08:00\nXã An Ấp") is None
    assert dateline("Thứ Hai, 29/02/2024 08:00\nXã An Ấp") == "2024-02-29"


def test_degrees_and_powers_in_unicode_text_are_no_legacy_codes() -> None:
    # "°", "²" and "³" are also TCVN3 letters; after a number or a unit they are symbols.
    text = "Hà Nội 25 °C\nTP Hồ Chí Minh 32°C\nDiện tích 5.267m2, tức 5.267 m², thể tích 30 m³.\n"
    item = document_from_text("weather", text)
    assert isinstance(item, Document) and item.text == text
