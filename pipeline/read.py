"""Read inputs into documents: files, folders (recursive), JSONL lines and standard input.

Decoding never raises: what cannot be read or decoded becomes a `DocumentError` with its
`doc_id`, so the batch goes on and every input appears in the output.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import regex
from charset_normalizer import from_bytes

from .errors import ErrorCode

if TYPE_CHECKING:
    from .layout import Layout

TEXT_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
_HTML_START = regex.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype html|html|head|body)\b", regex.I | regex.S
)
JSONL_SUFFIXES = frozenset({".jsonl"})
PDF_SUFFIXES = frozenset({".pdf"})
INPUT_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | PDF_SUFFIXES


@dataclass(frozen=True)
class Document:
    doc_id: str
    text: str
    date: str | None = None
    source: str = ""
    title: str | None = None
    # "html": `text` is the main text trafilatura extracted from an HTML page, and offsets
    # point into it, not into the file.
    basis: str | None = None
    checksum: str | None = None  # of the input's bytes: a rerun with --resume skips it
    warnings: tuple[str, ...] = field(default=())  # what was ignored, for the records
    # The legacy font encoding the text was converted from ("tcvn3", "vni", "viscii",
    # "vps"); `basis` is then "converted" and offsets point into the converted text.
    encoding: str | None = None
    # "pdf": `text` was read from a PDF's text layer and `layout` says where each article
    # and each character of it is printed.
    layout: Layout | None = None


@dataclass(frozen=True)
class DocumentError:
    doc_id: str
    code: ErrorCode
    detail: str = ""
    checksum: str | None = None

    @property
    def message(self) -> str:
        return self.code.format(detail=self.detail)


@dataclass(frozen=True)
class PdfFile:
    """A PDF, read where its records are made (in a worker process): reading one costs
    about as much as extracting its facts, so the reading is spread over the workers too."""

    doc_id: str
    path: Path
    checksum: str | None = None

    def read(self) -> Document | DocumentError:
        return read_pdf(self.path)


Item = Document | DocumentError | PdfFile
_Signed = TypeVar("_Signed", bound=Document | DocumentError | PdfFile)


def checksum(data: bytes | str) -> str:
    """A short fingerprint of an input, stored in its records (sha256, 16 hex digits)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:16]


_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def lone_surrogate(value: str) -> str | None:
    """Where `value` holds a lone surrogate ("\\udfff" in JSON is one: half of a UTF-16
    pair, not a character, so no output can encode it), or None."""
    found = _SURROGATE.search(value)
    if found is None:
        return None
    return f"position {found.start()} (U+{ord(found.group()):04X})"


# ISO 8601 dates of the calendar, whole or partial, optionally with a time: one pattern for
# the validation here and for the API's JSON Schema (so a fuzzer generates only what passes).
_LEAP = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
ISO_DATE_PATTERN = (
    r"^(?!0000)[0-9]{4}(?:-(?:0[1-9]|1[0-2])"
    r"|-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31)"
    r"(?:[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.,][0-9]+)?)?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?)?)?$"
    rf"|^(?!0000){_LEAP}-02-29$"
)
_ISO_DATE = regex.compile(ISO_DATE_PATTERN)


def iso_date(value: str) -> str:
    """A publication date as ISO 8601: "2025", "2025-09", "2025-09-16", or a date and time
    ("2025-09-16T08:30:00+07:00", whose date is kept). Raises `ValueError` otherwise."""
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not an ISO 8601 date of the calendar (YYYY, YYYY-MM or YYYY-MM-DD, "
            "optionally with a time)"
        )
    return value[:10]


def _signed(item: _Signed, data: bytes | str) -> _Signed:
    return replace(item, checksum=checksum(data))


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> str:
    """Decode bytes by their byte-order mark, as UTF-8, or by charset detection.

    Raises `ValueError` with a short reason when the bytes are not text.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    best = from_bytes(data).best()
    # Text without a byte-order mark holds no NUL bytes unless it is UTF-16/32.
    if b"\x00" in data and (best is None or not best.encoding.startswith("utf_")):
        raise ValueError(f"{data.count(0)} NUL bytes")
    if best is None:
        raise ValueError(f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start})")
    text = str(best)
    letters = [ch for ch in text[:20000] if ch.isalpha()]
    latin = sum(ord(ch) < 0x250 or 0x1EA0 <= ord(ch) <= 0x1EFF for ch in letters)
    if letters and latin < 0.8 * len(letters):  # a code page guess that made no Vietnamese
        raise ValueError(
            f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}), and as "
            f"{best.encoding} it is not Latin-script text"
        )
    return text


def _looks_binary(text: str) -> str | None:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if "\x00" in sample or controls > len(sample) // 20 + 1:
        return f"{controls} control characters in the first {len(sample)}"
    return None


def document_from_bytes(doc_id: str, data: bytes, source: str = "", html: bool = False) -> Item:
    if not any(data.startswith(bom) for bom, _ in _BOMS) and not _is_utf8(data):
        converted = from_legacy(data.decode("latin-1").translate(_CP1252))
        if converted is not None:
            return _converted(doc_id, *converted, source=source)
    try:
        text = decode(data)
    except ValueError as exc:
        if "NUL" in str(exc):
            return DocumentError(doc_id, ErrorCode.E102, str(exc))
        legacy = _font_encoded(data.decode("latin-1"))  # TCVN3 and VNI sit in Latin-1 bytes
        if legacy:
            return DocumentError(doc_id, ErrorCode.E109, legacy)
        return DocumentError(doc_id, ErrorCode.E103, str(exc))
    if html or _HTML_START.match(text[:2000]):
        return document_from_html(doc_id, text, source=source)
    return document_from_text(doc_id, text, source=source)


def document_from_html(doc_id: str, html: str, source: str = "") -> Item:
    """The main text of a web page (trafilatura, offline), with its title and date."""
    from trafilatura import bare_extraction  # slow to import; only HTML input needs it

    if not html.strip():
        return DocumentError(doc_id, ErrorCode.E101)
    try:
        found = bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura and lxml raise many kinds on broken markup
        return DocumentError(doc_id, ErrorCode.E107, f"{type(exc).__name__}: {exc}")
    text = getattr(found, "text", None) if found is not None else None
    if not text or not text.strip():
        return DocumentError(doc_id, ErrorCode.E107, "no main text found")
    item = document_from_text(doc_id, text, date=getattr(found, "date", None), source=source)
    if isinstance(item, Document):
        return replace(item, title=getattr(found, "title", None), basis="html")
    return item


# A newspaper page is 10–30 thousand characters; five million is a book. Larger inputs are
# refused, so that memory stays bounded (the offset map costs 16 bytes a character).
MAX_CHARS = 5_000_000
# Letters of Latin-1 that Vietnamese never uses: their density gives away text typed in the
# legacy font encodings TCVN3 (ABC) and VNI and then read as a Western code page.
_FONT_ENCODED = regex.compile(r"[¸µ¶·¹¨©ª«¬®¯°±²³´º»¼½¾¿ÆÇËÎÏÐÑÖØÛÜÞßäåæçëîïñöøûüÿ]")
_VIETNAMESE = regex.compile(r"[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĂĐƠƯ]")
# Symbols of Unicode text that share their code with a legacy letter: degrees after a
# number ("25 °C") and powers after a unit ("m²", "km³").
_UNICODE_SYMBOLS = regex.compile(r"\p{N}\s?°\s?[CF]?|(?<=\p{L})[²³](?!\p{L})")


def _legacy_codes(sample: str) -> int:
    return len(_FONT_ENCODED.findall(_UNICODE_SYMBOLS.sub("", sample)))


def _mixed(text: str) -> str | None:
    """Legacy font codes beside Vietnamese letters in Unicode: the text mixes encodings."""
    sample = text[:20000]
    odd = _legacy_codes(sample)
    letters = sum(ch.isalpha() for ch in sample)
    unicode = len(_VIETNAMESE.findall(sample))
    if letters and odd > letters * 0.03 and unicode > letters * 0.02:
        return (
            f"{odd} characters of {letters} letters are legacy font codes, beside {unicode} "
            "Vietnamese letters in Unicode (the text mixes encodings)"
        )
    return None


def _font_encoded(text: str) -> str | None:
    sample = text[:20000]
    odd = _legacy_codes(sample)
    letters = sum(ch.isalpha() for ch in sample)
    if letters and odd > letters * 0.03 and odd > 5 * len(_VIETNAMESE.findall(sample)):
        return f"{odd} characters of {letters} letters are legacy font codes"
    return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _converted(doc_id: str, text: str, encoding: str, source: str = "") -> Item:
    item = document_from_text(doc_id, text, source=source)
    if isinstance(item, Document):
        return replace(item, basis="converted", encoding=encoding)
    return item


# Legacy font encodings (TCVN3, VNI, VISCII, VPS) seen through Windows-1252, the way a
# program shows their bytes: each byte as its cp1252 character, or its Latin-1 one where
# cp1252 has none (81, 8D, 8F, 90, 9D); C1 controls of a Latin-1 reading map the same way.
def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_CP1252 = {b: _cp1252_char(b) for b in range(0x80, 0xA0)}
_LEGACY_NAMES = {
    "tcvn3": "LEGACY_TCVN3",
    "vni": "LEGACY_VNI",
    "viscii": "LEGACY_VISCII",
    "vps": "LEGACY_VPS",
}


@cache
def _legacy_tables() -> tuple[dict[str, tuple[regex.Pattern[str], dict[str, str]]], frozenset[str]]:
    """Per encoding, a pattern of its letter codes (longest first) and their letters, from
    the tables of patterns/encodings.yaml; and every letter the tables hold."""
    from .patterns import load

    tables = {}
    for name, lexicon in _LEGACY_NAMES.items():
        mapping = {
            bytes.fromhex(key).decode("latin-1").translate(_CP1252): str(value)
            for key, value in load().lexicons[lexicon].items()
        }
        keys = sorted(mapping, key=lambda k: (-len(k), k))
        tables[name] = (regex.compile("|".join(regex.escape(k) for k in keys)), mapping)
    letters = frozenset(v for _, mapping in tables.values() for v in mapping.values())
    return tables, letters


# A word in capitals whose toned vowels came out in lower case: TCVN3 has no codes for
# most toned capitals, the ABC fonts drew them with the lower-case codes ("THùY" → "THÙY").
_CAPS_WORD = regex.compile(
    r"(?<![\p{L}\p{M}])(?=(?:[\p{L}\p{M}]*\p{Lu}){2})[\p{Lu}\p{Ll}\p{M}]{2,}"
)


_WORD = regex.compile(r"[\p{L}\p{M}]+")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _syllable_score(text: str) -> float:
    """How Vietnamese a decoding reads: the share of words with one tone mark, less those
    with two or more (no syllable has two: the wrong table gives "Vieệt") and the letters
    that no Vietnamese text holds."""
    one = many = words = 0
    for word in _WORD.findall(unicodedata.normalize("NFD", text)):
        tones = sum(ch in _TONE_MARKS for ch in word)
        words += 1
        one += tones == 1
        many += tones > 1
    odd = len(_FONT_ENCODED.findall(text))
    return (one - 3 * many - 5 * odd) / (words or 1)


def from_legacy(chars: str) -> tuple[str, str] | None:
    """Text typed in a legacy font encoding, as Unicode NFC, and the encoding's name; None
    when no table makes Vietnamese of it. `chars` holds the bytes as cp1252 characters
    (C1 controls, as a Latin-1 reading gives them, are taken as their cp1252 characters)."""
    chars = chars.translate(_CP1252)
    if not _font_encoded(chars):
        return None
    tables, vietnamese = _legacy_tables()
    best: tuple[float, str, str] | None = None
    for name, (pattern, mapping) in tables.items():
        text = pattern.sub(lambda m, table=mapping: table[m.group()], chars)
        score = _syllable_score(text)
        if best is None or score > best[0]:
            best = (score, name, text)
    if best is None or best[0] < 0.15:  # about one Vietnamese syllable in three has a tone
        return None

    def capitals(m: regex.Match[str]) -> str:
        word = str(m.group())
        return word.upper() if all(ch in vietnamese for ch in word if ch.islower()) else word

    return unicodedata.normalize("NFC", _CAPS_WORD.sub(capitals, best[2])), best[1]


def document_from_text(doc_id: str, text: str, date: str | None = None, source: str = "") -> Item:
    """A document, or the error that keeps it from being one. A date that is not ISO 8601
    is left out, with a warning in the records, rather than claimed. Text typed in a
    legacy font encoding and read as a Western code page is converted (E109 if it cannot
    be, or if it mixes with Unicode Vietnamese)."""
    surrogate = lone_surrogate(text)
    if surrogate:
        return DocumentError(doc_id, ErrorCode.E112, f"'text' at {surrogate}")
    if len(text) > MAX_CHARS:
        return DocumentError(doc_id, ErrorCode.E108, f"{len(text):,} characters")
    binary = _looks_binary(text)
    if binary:
        return DocumentError(doc_id, ErrorCode.E102, binary)
    if not text.strip():
        return DocumentError(doc_id, ErrorCode.E101)
    legacy = _font_encoded(text)
    mixed = _mixed(text)
    if legacy or mixed:
        converted = from_legacy(text) if legacy else None
        if converted is None:
            return DocumentError(doc_id, ErrorCode.E109, mixed or legacy or "")
        item = document_from_text(doc_id, converted[0], date=date, source=source)
        if isinstance(item, Document):
            return replace(item, basis="converted", encoding=converted[1])
        return item
    warnings: tuple[str, ...] = ()
    if date is not None:
        try:
            date = iso_date(date)
        except ValueError as exc:
            date, warnings = None, (ErrorCode.W101.format(detail=str(exc)),)
    return Document(doc_id, text, date=date, source=source, warnings=warnings)


def read_jsonl(lines: Iterable[str], fallback_id: str, first_line: int = 1) -> Iterator[Item]:
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        doc_id = f"{fallback_id}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            yield _signed(DocumentError(doc_id, ErrorCode.E105, str(number)), line)
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            if isinstance(obj, dict) and obj.get("id") is not None:
                doc_id = str(obj["id"])
            yield _signed(DocumentError(doc_id, ErrorCode.E105, str(number)), line)
            continue
        if obj.get("id") is not None:
            surrogate = lone_surrogate(str(obj["id"]))
            if surrogate:  # the error record keeps the line's id: this one cannot be written
                detail = f"'id' at {surrogate} on line {number}"
                yield _signed(DocumentError(doc_id, ErrorCode.E112, detail), line)
                continue
        doc_id = str(obj.get("id", doc_id))
        date = obj.get("date")
        item = document_from_text(
            doc_id, obj["text"], date=str(date) if date else None, source=fallback_id
        )
        yield _signed(item, line)


def read_jsonl_file(path: Path, first: int = 1, last: int | None = None) -> Iterator[Item]:
    """Lines `first` to `last` (1-based, inclusive) of a JSONL file, one at a time, so a
    large file is never held in memory (a Dask partition reads a range of lines)."""
    try:
        with path.open("rb") as stream:
            for number, raw in enumerate(islice(stream, first - 1, last), start=first):
                raw = raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    detail = f"{number} (not UTF-8: {exc.reason})"
                    yield _signed(
                        DocumentError(f"{path.stem}:{number}", ErrorCode.E105, detail), raw
                    )
                    continue
                yield from read_jsonl([line], path.stem, first_line=number)
    except OSError as exc:
        yield DocumentError(path.stem, ErrorCode.E104, exc.strerror or str(exc))


def read_pdf(path: Path) -> Document | DocumentError:
    """A newspaper PDF, article by article (see layout.py); a PDF that gives no text is an
    error item that says why and what to do."""
    doc_id = path.stem
    try:
        data = path.read_bytes()
    except OSError as exc:
        return DocumentError(doc_id, ErrorCode.E104, exc.strerror or str(exc))
    if data.lstrip()[:5] != b"%PDF-":
        start = data[:64].decode("utf-8", "replace").strip()[:16]
        shown = f"it starts with {start!r}" if start else "the file is empty"
        return _signed(DocumentError(doc_id, ErrorCode.E114, f"it is not a PDF ({shown})"), data)
    from .layout import PdfError, read_layout

    try:
        text, layout = read_layout(path)
    except PdfError as exc:
        return _signed(DocumentError(doc_id, exc.code, exc.detail), data)
    except ImportError as exc:
        return DocumentError(doc_id, ErrorCode.E115, str(exc))
    if not text.strip():
        return _signed(DocumentError(doc_id, ErrorCode.E101), data)
    warnings = tuple(ErrorCode.W102.format(detail=str(n)) for n in layout.empty_pages) + tuple(
        ErrorCode.W103.format(detail=str(n)) for n in layout.ocr_pages
    )
    item = Document(doc_id, text, source=str(path), basis="pdf", layout=layout, warnings=warnings)
    return _signed(item, data)


def read_file(path: Path) -> Iterator[Item]:
    doc_id = path.stem
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from read_jsonl_file(path)
        return
    if path.suffix.lower() in PDF_SUFFIXES:
        try:
            yield PdfFile(doc_id, path, checksum(path.read_bytes()))
        except OSError as exc:
            yield DocumentError(doc_id, ErrorCode.E104, exc.strerror or str(exc))
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield DocumentError(doc_id, ErrorCode.E104, exc.strerror or str(exc))
        return
    html = path.suffix.lower() in HTML_SUFFIXES
    yield _signed(document_from_bytes(doc_id, data, source=str(path), html=html), data)


def iter_paths(inputs: Iterable[str]) -> Iterator[Path | None]:
    """Expand inputs in order; folders are walked recursively and sorted. None means stdin."""
    for name in inputs:
        if name == "-":
            yield None
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in INPUT_SUFFIXES:
                    yield child
        else:
            yield path


def read_inputs(inputs: Iterable[str]) -> Iterator[Item]:
    """Yield documents one at a time, so memory stays bounded on large folders."""
    for path in iter_paths(inputs):
        if path is None:
            data = sys.stdin.buffer.read()
            yield _signed(document_from_bytes("stdin", data, source="-"), data)
        elif not path.exists():
            yield DocumentError(path.stem, ErrorCode.E104, f"{path}: no such file")
        else:
            yield from read_file(path)
