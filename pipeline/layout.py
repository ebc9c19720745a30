"""Newspaper PDFs read as printed: the text layer's characters with their boxes (pypdfium2),
grouped into words and lines, the lines into articles by their layout.

An article starts at a headline (bold type larger than the body's) and owns the columns
under it down to the next headline that covers one of them; its lines are read column by
column. A line in small italic type is a caption, a short bold line in capitals a byline;
the running header, section labels and page numbers (everything above a page's first
headline or below its last body line) belong to no article. "(Xem tiếp trang N)" ends a
part whose rest is on page N under the same headline and "(Tiếp theo trang M)": the two
parts are one article. The result is the document's text (each article its title, its
paragraphs and its byline, one per line), the articles' spans in it, and for every
character of it the page and the box (PDF points, origin top left) it was printed in.
"""

from __future__ import annotations

import ctypes
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from statistics import median

import regex

from .errors import ErrorCode

_CONTINUED = regex.compile(r"^\(\s*(?i:xem)\s+tiếp\s+(?:ở\s+)?trang\s+(?P<page>\d+)\s*\)$")
_CONTINUATION = regex.compile(r"^\(\s*(?i:tiếp)\s+theo\s+trang\s+(?P<page>\d+)\s*\)$")


class PdfError(Exception):
    """A PDF that gives no document: the error code and its detail."""

    def __init__(self, code: ErrorCode, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    baseline: float
    size: float
    bold: bool
    italic: bool


@dataclass
class Line:
    page: int
    chars: list[Char]

    @cached_property
    def _ink(self) -> list[Char]:
        return [c for c in self.chars if c.text.strip()]

    @cached_property
    def text(self) -> str:
        return "".join(c.text for c in self.chars).strip()

    @cached_property
    def x0(self) -> float:
        return min(c.x0 for c in self._ink)

    @cached_property
    def x1(self) -> float:
        return max(c.x1 for c in self._ink)

    @cached_property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @cached_property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @cached_property
    def size(self) -> float:
        return median(c.size for c in self._ink)

    @cached_property
    def bold(self) -> bool:
        return all(c.bold for c in self._ink)

    @cached_property
    def italic(self) -> bool:
        return all(c.italic for c in self._ink)


@dataclass
class LaidArticle:
    """An article as laid out: its span in the document text, and where it was printed."""

    start: int
    end: int
    title: str | None
    byline: str | None
    byline_start: int | None
    pages: list[int]


@dataclass
class Layout:
    articles: list[LaidArticle]
    # For each character of the text: its page (0 for the separators put in between) and
    # its box, (x0, top, x1, bottom) in PDF points from the page's top left corner.
    pages: array[int] = field(default_factory=lambda: array("H"))
    boxes: array[float] = field(default_factory=lambda: array("f"))
    empty_pages: list[int] = field(default_factory=list)  # pages with no text layer
    ocr_pages: list[int] = field(default_factory=list)  # pages read from their image

    def boxes_of(self, start: int, end: int) -> tuple[int | None, list[list[float]]]:
        """The page of [start, end) and one box per printed piece (a line or a column) on
        it; a span carried over to another page keeps the boxes of its first page."""
        pieces: list[list[float]] = []
        page: int | None = None
        last: tuple[int, float] | None = None
        for i in range(start, min(end, len(self.pages))):
            number = self.pages[i]
            if not number:
                continue
            page = page or number
            if number != page:
                break  # a fact carried over to another page ("Xem tiếp"): its first page's
            x0, top, x1, bottom = self.boxes[4 * i : 4 * i + 4]
            key = (number, round(bottom, 1))
            if pieces and last == key:
                box = pieces[-1]
                box[0], box[1] = min(box[0], x0), min(box[1], top)
                box[2], box[3] = max(box[2], x1), max(box[3], bottom)
            else:
                pieces.append([x0, top, x1, bottom])
                last = key
        return page, [[round(v, 2) for v in box] for box in pieces]


# --- characters and lines -------------------------------------------------------------


def _chars(path: Path) -> list[list[Char]]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            detail = (
                "it is encrypted; remove the password first, e.g. qpdf --decrypt in.pdf out.pdf"
            )
        elif code == raw.FPDF_ERR_SUCCESS:  # PDFium opens no document without a page
            detail = "it has no pages"
        else:
            detail = f"it is damaged or truncated (pdfium: {str(exc).rstrip('.')})"
        raise PdfError(ErrorCode.E114, detail) from None
    pages: list[list[Char]] = []
    left, right = ctypes.c_double(), ctypes.c_double()
    low, high = ctypes.c_double(), ctypes.c_double()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    flags = ctypes.c_int()
    name = ctypes.create_string_buffer(96)
    try:
        if len(pdf) == 0:
            raise PdfError(ErrorCode.E114, "it has no pages")
        for page in pdf:
            height = page.get_height()
            text = page.get_textpage()
            count = text.count_chars()
            codes = text.get_text_range(0, count) if count else ""
            fonts: dict[int, tuple[float, bool, bool]] = {}  # per text object
            chars: list[Char] = []
            for i, ch in enumerate(codes[:count]):
                if ch in "\r\n\x00\ufffe\uffff":
                    continue
                obj = raw.FPDFText_GetTextObject(text.raw, i)
                key = ctypes.cast(obj, ctypes.c_void_p).value or 0
                style = fonts.get(key)
                if style is None:
                    size = raw.FPDFText_GetFontSize(text.raw, i)
                    weight = raw.FPDFText_GetFontWeight(text.raw, i)
                    raw.FPDFText_GetFontInfo(text.raw, i, name, len(name), ctypes.byref(flags))
                    font = name.value.decode("latin-1").lower()
                    style = (
                        size,
                        weight >= 600 or "bold" in font,
                        bool(flags.value & 0x40) or "italic" in font or "oblique" in font,
                    )
                    if key:
                        fonts[key] = style
                size, bold, italic = style
                raw.FPDFText_GetCharBox(text.raw, i, left, right, low, high)
                raw.FPDFText_GetCharOrigin(text.raw, i, ox, oy)
                baseline = height - oy.value
                space = ch == " "
                chars.append(
                    Char(
                        ch,
                        left.value,
                        baseline - 0.8 * size,
                        left.value if space else right.value,
                        baseline + 0.22 * size,
                        baseline,
                        size,
                        bold,
                        italic,
                    )
                )
            pages.append(chars)
    finally:
        pdf.close()
    return pages


def _lines(page: int, chars: list[Char]) -> list[Line]:
    """Characters on one baseline, in one run of type, with no gap wider than a word space
    (a column's gutter splits them)."""
    ordered = sorted(chars, key=lambda c: (round(c.baseline, 0), c.x0))
    lines: list[Line] = []
    current: list[Char] = []
    for char in ordered:
        if current:
            prev = current[-1]
            same = abs(char.baseline - prev.baseline) < 0.3 * max(char.size, 1.0)
            gap = char.x0 - prev.x1
            wide = gap > 0.9 * max(char.size, prev.size) or gap < -0.5 * char.size
            if not same or wide or abs(char.size - prev.size) > 0.6:
                lines.append(Line(page, current))
                current = []
        if not current and not char.text.strip():
            continue
        current.append(char)
    if current:
        lines.append(Line(page, current))
    return [line for line in lines if line.text]


# --- OCR (the optional [ocr] extra) ---------------------------------------------------

OCR_DPI = 300


def ocr_available() -> bool:
    """Whether pytesseract and a Tesseract with Vietnamese data are installed."""
    try:
        import pytesseract
    except ImportError:
        return False
    try:
        return "vie" in pytesseract.get_languages(config="")
    except (OSError, RuntimeError, pytesseract.TesseractNotFoundError):
        return False


def _ocr(path: Path, numbers: list[int]) -> dict[int, list[Char]]:
    """Characters of scanned pages, from Tesseract's words (the page rendered at 300 dpi):
    each word's box shared out over its letters; no type styles, so such a page is read
    as one article."""
    import pypdfium2 as pdfium
    import pytesseract

    scale = OCR_DPI / 72
    found: dict[int, list[Char]] = {}
    pdf = pdfium.PdfDocument(str(path))
    try:
        for number in numbers:
            image = pdf[number - 1].render(scale=scale).to_pil()
            data = pytesseract.image_to_data(image, lang="vie", output_type=pytesseract.Output.DICT)
            lines: dict[tuple[int, int, int], list[int]] = {}
            for i, word in enumerate(data["text"]):
                if word.strip() and float(data["conf"][i]) >= 0:
                    key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
                    lines.setdefault(key, []).append(i)
            chars: list[Char] = []
            for words in lines.values():
                bottom = max(data["top"][i] + data["height"][i] for i in words) / scale
                top = min(data["top"][i] for i in words) / scale
                size = max(bottom - top, 1.0)
                for n, i in enumerate(words):
                    word = unicodedata.normalize("NFC", data["text"][i].strip())
                    x0, width = data["left"][i] / scale, data["width"][i] / scale
                    if n:
                        chars.append(Char(" ", x0, top, x0, bottom, bottom, size, False, False))
                    step = width / len(word)
                    for k, letter in enumerate(word):
                        left = x0 + k * step
                        chars.append(
                            Char(letter, left, top, left + step, bottom, bottom, size, False, False)
                        )
            found[number] = chars
    finally:
        pdf.close()
    return found


# --- articles --------------------------------------------------------------------------


@dataclass
class _Part:
    page: int
    head: list[Line]
    body: list[Line] = field(default_factory=list)
    bylines: list[Line] = field(default_factory=list)
    continued_on: int | None = None  # "(Xem tiếp trang N)"
    continues_from: int | None = None  # "(Tiếp theo trang M)"
    starts: list[bool] = field(default_factory=list)  # which body lines start a paragraph

    @property
    def title(self) -> str:
        return " ".join(line.text for line in self.head)


def _is_byline(line: Line, body: float) -> bool:
    text = line.text
    letters = [ch for ch in text if ch.isalpha()]
    return (
        line.bold
        and line.size <= body + 0.1
        and 2 <= len(letters) <= 40
        and all(ch.isupper() for ch in letters)
    )


def _columns(lines: list[Line], body: float) -> list[tuple[float, float]]:
    """Column bands of a page from its body lines' left edges and widths."""
    starts: list[float] = []
    for x in sorted(line.x0 for line in lines):
        if not starts or x - starts[-1] > 2.5 * body:
            starts.append(x)
    bands = []
    for start in starts:
        ends = sorted(ln.x1 for ln in lines if start - 0.5 <= ln.x0 < start + 2.5 * body)
        bands.append((start, ends[(len(ends) * 9) // 10]))  # ragged right: nearly the widest
    return bands


def _page_parts(page: int, lines: list[Line], body: float) -> list[_Part]:
    heads = [ln for ln in lines if ln.bold and ln.size >= 1.25 * body]
    if not heads:  # no headline (a letter, a report): the page's text is one article
        if not lines:
            return []
        part = _Part(page, [], body=list(lines))
        _order(part, _columns(lines, body), body)
        return [part]
    # Consecutive headline lines of one size that overlap are one headline.
    heads.sort(key=lambda ln: (ln.top, ln.x0))
    groups: list[list[Line]] = []
    for line in heads:
        for group in groups:
            last = group[-1]
            if (
                abs(last.size - line.size) < 0.2
                and 0 <= line.top - last.bottom < 0.8 * line.size
                and line.x0 < last.x1
                and last.x0 < line.x1
            ):
                group.append(line)
                break
        else:
            groups.append([line])
    first_top = min(g[0].top for g in groups)
    rest = [ln for ln in lines if ln not in heads and ln.top >= first_top - 1]
    texts = [ln for ln in rest if abs(ln.size - body) < 0.3 and not ln.italic]
    if not texts:
        return []
    last_body = max(ln.bottom for ln in texts)
    rest = [ln for ln in rest if ln.top <= last_body + 3 * body]
    bands = _columns(texts, body)

    def band_of(x0: float, x1: float) -> set[int]:
        width = x1 - x0
        return {
            i
            for i, (a, b) in enumerate(bands)
            if min(x1, b) - max(x0, a) > 0.2 * min(b - a, max(width, 1.0))
        }

    parts = []
    spans = []
    for group in groups:
        x0, x1 = min(ln.x0 for ln in group), max(ln.x1 for ln in group)
        spans.append((band_of(x0, x1), group[0].top, group[-1].bottom))
        parts.append(_Part(page, group))
    owners = _owners(rest, parts, spans, bands, body)
    for line in sorted(rest, key=lambda ln: (ln.top, ln.x0)):
        owner = owners.get(id(line))
        if owner is None:
            continue
        part = parts[owner]
        text = line.text
        if (m := _CONTINUED.match(text)) is not None:
            part.continued_on = int(m.group("page"))
        elif (m := _CONTINUATION.match(text)) is not None:
            part.continues_from = int(m.group("page"))
        elif line.italic and line.size < body:
            continue  # a caption
        elif _is_byline(line, body):
            part.bylines.append(line)
        else:
            part.body.append(line)
    for part in parts:
        _order(part, bands, body)
    return parts


def _order(part: _Part, bands: list[tuple[float, float]], body: float) -> None:
    """Reading order (column by column, each top to bottom) and paragraph starts: an
    indented line, further right than the article's other lines in that column (a boxed
    article's lines are all further right than the page's columns)."""
    part.body = sorted(part.body, key=lambda ln: (_band(ln, bands, body), ln.top))
    lefts: dict[int, float] = {}
    for line in part.body:
        band = _band(line, bands, body)
        lefts[band] = min(lefts.get(band, line.x0), line.x0)
    part.starts = [ln.x0 - lefts[_band(ln, bands, body)] > 0.4 * body for ln in part.body]


def _band(line: Line, bands: list[tuple[float, float]], body: float) -> int:
    # The band whose left edge is the last at or before the line's (an indent included).
    return max((i for i, (a, _) in enumerate(bands) if a <= line.x0 + body), default=0)


def _owners(
    lines: list[Line],
    parts: list[_Part],
    spans: list[tuple[set[int], float, float]],
    bands: list[tuple[float, float]],
    body: float,
) -> dict[int, int]:
    """Which article (index into `parts`) each line belongs to.

    In each column the lines form blocks (no gap wider than a blank line). A block belongs
    to what is right above it in its column: a headline that covers the column, or the
    block above when nothing else stands between them. A block with a wide gap above it,
    beside a headline that sits in that gap further left, continues that headline's article
    (a headline shorter than its article leaves the columns on its right bare).
    """
    owners: dict[int, int] = {}
    by_band: dict[int, list[Line]] = {}
    for line in lines:
        by_band.setdefault(_band(line, bands, body), []).append(line)
    gap = 1.9 * body
    for band, members in sorted(by_band.items()):
        members.sort(key=lambda ln: ln.top)
        blocks: list[list[Line]] = []
        for line in members:
            if blocks and line.top - blocks[-1][-1].bottom < gap:
                blocks[-1].append(line)
            else:
                blocks.append([line])
        previous: tuple[float, int] | None = None  # bottom and owner of the block above
        for block in blocks:
            top = block[0].top
            heads = [
                (bottom, n)
                for n, (cols, head_top, bottom) in enumerate(spans)
                if band in cols and head_top <= top
            ]
            head = max(heads, default=None)
            owner: int | None = None
            if head is not None and (previous is None or head[0] >= previous[0]):
                owner = head[1]
            elif previous is not None:
                owner = previous[1]
                wide = top - previous[0] > 3 * body
                beside = [
                    (parts[n].head[-1].x1, n)
                    for n, (cols, head_top, bottom) in enumerate(spans)
                    if band not in cols
                    and head_top >= previous[0] - 1
                    and bottom <= top + 1
                    and parts[n].head[0].x0 < block[0].x0
                ]
                if wide and beside:
                    owner = max(beside)[1]
            else:
                left = [
                    (head_top, n)
                    for n, (_, head_top, _) in enumerate(spans)
                    if head_top <= top and parts[n].head[0].x0 <= block[0].x0 + body
                ]
                owner = max(left)[1] if left else None
            if owner is None:
                continue
            for line in block:
                owners[id(line)] = owner
            previous = (block[-1].bottom, owner)
    return owners


def _running_key(line: Line) -> tuple[str, int]:
    return regex.sub(r"\d+", "#", line.text.casefold()), round(line.top / 4)


def _running_lines(pages: list[list[Line]]) -> set[tuple[str, int]]:
    """Lines printed at the same place on most pages (the paper's name, the date, "Trang
    N"): the running header and footer."""
    printed = [lines for lines in pages if lines]
    seen = Counter(key for lines in printed for key in {_running_key(ln) for ln in lines})
    least = max(2.0, len(printed) / 2)
    return {key for key, count in seen.items() if count >= least}


def _same_title(a: str, b: str) -> bool:
    fa, fb = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return fa == fb or fa.startswith(fb) or fb.startswith(fa)


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pages = array("H")
        self.boxes = array("f")
        self.length = 0

    def plain(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        self.pages.extend([0] * len(text))
        self.boxes.extend([0.0] * (4 * len(text)))

    def line(self, line: Line) -> None:
        chars = line.chars
        while chars and not chars[-1].text.strip():
            chars = chars[:-1]
        for char in chars:
            self.parts.append(char.text)
            self.pages.append(line.page)
            self.boxes.extend((char.x0, char.top, char.x1, char.bottom))
        self.length += len(chars)

    def text(self) -> str:
        return "".join(self.parts)


def read_layout(path: Path) -> tuple[str, Layout]:
    """The text of a newspaper PDF and its layout; raises PdfError for a PDF that gives
    none (encrypted, damaged, no pages, no text layer on any page)."""
    pages = _chars(path)
    empty = [number for number, chars in enumerate(pages, start=1) if not chars]
    read_by_ocr: list[int] = []
    if empty and ocr_available():
        for number, chars in _ocr(path, empty).items():
            if chars:
                pages[number - 1] = chars
                read_by_ocr.append(number)
        empty = [number for number in empty if number not in read_by_ocr]
    if len(empty) == len(pages):
        shown = "1" if len(pages) == 1 else f"1–{len(pages)}"
        raise PdfError(ErrorCode.E113, shown)
    all_chars = [c for chars in pages for c in chars if c.text.strip()]
    body = Counter(round(c.size, 1) for c in all_chars).most_common(1)[0][0]
    lines = [_lines(number, chars) for number, chars in enumerate(pages, start=1)]
    running = _running_lines(lines)
    parts: list[_Part] = []
    for number, page_lines in enumerate(lines, start=1):
        kept = [ln for ln in page_lines if _running_key(ln) not in running]
        parts.extend(_page_parts(number, kept, body))
    # Join a part continued on a later page with the part there that continues it.
    joined: list[list[_Part]] = []
    used: set[int] = set()
    for index, part in enumerate(parts):
        if index in used or part.continues_from is not None:
            continue
        chain = [part]
        while chain[-1].continued_on is not None:
            target = chain[-1].continued_on
            nxt = next(
                (
                    i
                    for i, p in enumerate(parts)
                    if i not in used
                    and p.page == target
                    and p.continues_from == chain[-1].page
                    and _same_title(p.title, chain[0].title)
                ),
                None,
            )
            if nxt is None:
                break
            used.add(nxt)
            chain.append(parts[nxt])
        joined.append(chain)
    for index, part in enumerate(parts):  # a continuation whose start was not found
        if index not in used and part.continues_from is not None:
            joined.append([part])

    # Reading order of the articles: by page, then by rows of headlines, left to right.
    def placed(chain: list[_Part]) -> tuple[int, int, float]:
        first = (chain[0].head or chain[0].body)[0]
        return chain[0].page, round(first.top / 12), first.x0

    joined.sort(key=placed)
    out = _Builder()
    articles: list[LaidArticle] = []
    for chain in joined:
        if articles:
            out.plain("\n\n")
        start = out.length
        for number, line in enumerate(chain[0].head):
            if number:
                out.plain(" ")
            out.line(line)
        body_lines = [ln for part in chain for ln in part.body]
        starts = [new for part in chain for new in part.starts]
        for number, (line, new) in enumerate(zip(body_lines, starts, strict=True)):
            if number or chain[0].head:
                out.plain("\n" if number == 0 or new else " ")
            out.line(line)
        byline = byline_start = None
        bylines = [ln for part in chain for ln in part.bylines]
        if bylines:
            out.plain("\n")
            byline_start = out.length
            out.line(bylines[-1])
            byline = bylines[-1].text
        pages_of = sorted({part.page for part in chain})
        title = chain[0].title or None
        articles.append(LaidArticle(start, out.length, title, byline, byline_start, pages_of))
    layout = Layout(articles, out.pages, out.boxes, empty, read_by_ocr)
    return out.text(), layout
