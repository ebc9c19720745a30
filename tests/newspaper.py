"""A generator of newspaper issues as PDF, for tests and benchmarks: corpus articles laid
out as printed pages, so that their gold carries over to the PDF.

No real newspaper PDF can be downloaded here, so this lays articles out the way provincial
papers do: a running header with the paper's name, date and page number, a section label
on some pages, four or five columns, headlines of several sizes spanning one to three
columns, body text in columns with indented paragraphs, bylines in capitals, an image
with a caption under it, a boxed article, and one article continued from page 1 on page 3
("(Xem tiếp trang 3)" … "(Tiếp theo trang 1)" under the continued headline). Fonts are the
DejaVu faces matplotlib ships (they cover Vietnamese). Nothing is committed but this code.

    issue = make_issue(path, articles)   # articles: [(id, text)], the first line a title
    issue.articles                       # what each article must come back as
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A3
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from pipeline.annotations import occurrence
from pipeline.evaluate import find_occurrence

FONTS = {
    "body": "DejaVuSerif",
    "head": "DejaVuSerif-Bold",
    "byline": "DejaVuSans-Bold",
    "caption": "DejaVuSans-Oblique",
    "small": "DejaVuSans",
}
BODY, LEADING = 8.0, 9.6
INDENT = 8.0
MARGIN, TOP, BOTTOM = 36.0, 64.0, 40.0  # header above TOP, footer below BOTTOM
GUTTER = 9.0
BYLINES = [
    "MINH ANH",
    "THU HÀ",
    "QUỐC TUẤN",
    "HOÀNG LAN",
    "NGỌC ÁNH",
    "VĂN THÀNH",
    "ĐỨC HUY",
    "THANH TÂM",
    "BẢO NGỌC",
    "HỒNG NHUNG",
    "TRUNG KIÊN",
    "PHƯƠNG THẢO",
]
SECTIONS = ["THỜI SỰ", "XÃ HỘI", "KINH TẾ", "XÂY DỰNG ĐẢNG", "NÔNG THÔN MỚI", "PHÁP LUẬT"]


def _register() -> None:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in FONTS.values():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))


@dataclass
class Laid:
    """One article as it must come back: its text is the title, the paragraphs and the
    byline, one per line."""

    id: str
    title: str
    byline: str
    paragraphs: list[str]
    pages: list[int] = field(default_factory=list)
    boxed: bool = False
    continued: bool = False

    @property
    def text(self) -> str:
        return "\n".join([self.title, *self.paragraphs, self.byline])


@dataclass
class Issue:
    path: Path
    articles: list[Laid]
    pages: int


def _wrap(text: str, font: str, size: float, width: float, indent: float = 0.0) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        room = width - (indent if not lines else 0.0)
        trial = f"{line} {word}" if line else word
        if pdfmetrics.stringWidth(trial, font, size) <= room or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


@dataclass
class _Body:
    """Body lines of an article: (text, first line of a paragraph)."""

    lines: list[tuple[str, bool]]


def _body(paragraphs: list[str], width: float) -> _Body:
    lines: list[tuple[str, bool]] = []
    for paragraph in paragraphs:
        for number, line in enumerate(_wrap(paragraph, FONTS["body"], BODY, width, INDENT)):
            lines.append((line, number == 0))
    return _Body(lines)


def _split(text: str) -> tuple[str, list[str]]:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if lines and lines[0].startswith("date "):
        lines[0] = lines[0].split(" ", 2)[2] if lines[0].count(" ") >= 2 else ""
    lines = [line for line in lines if line]
    title = lines[0]
    if len(title) > 150 or len(lines) < 2:  # no headline line: the first sentence is one
        title = title[:80].rsplit(" ", 1)[0]
        return title, lines
    return title, lines[1:]


class _Page:
    def __init__(self, canvas: Canvas, number: int, columns: int, section: str | None):
        self.canvas = canvas
        self.number = number
        self.columns = columns
        width, height = A3
        self.height = height
        self.col_width = (width - 2 * MARGIN - (columns - 1) * GUTTER) / columns
        self.free = [TOP + (18.0 if section else 0.0)] * columns  # y from the top of the page
        self.limit = height - BOTTOM
        self._furniture(section)

    def x(self, column: int) -> float:
        return MARGIN + column * (self.col_width + GUTTER)

    def span_width(self, span: int) -> float:
        return span * self.col_width + (span - 1) * GUTTER

    def text(self, x: float, top: float, text: str, font: str, size: float) -> None:
        # `top` is the top of the line box; the baseline sits a font size below it.
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, self.height - top - size, text)

    def _furniture(self, section: str | None) -> None:
        c = self.canvas
        width, _ = A3
        self.text(MARGIN, 30, "BÁO VNFACTS", FONTS["head"], 11)
        self.text(width / 2 - 40, 33, "Thứ Năm, 4-12-2025", FONTS["small"], 7.5)
        self.text(width - MARGIN - 30, 33, f"Trang {self.number}", FONTS["small"], 7.5)
        c.setLineWidth(0.8)
        c.line(MARGIN, self.height - 48, width - MARGIN, self.height - 48)
        self.text(width / 2 - 3, self.height - 30, str(self.number), FONTS["small"], 7.5)
        if section:
            c.setFillGray(0.15)
            c.rect(MARGIN, self.height - TOP - 14, 110, 13, fill=1, stroke=0)
            c.setFillGray(1)
            self.text(MARGIN + 4, TOP + 2, section, FONTS["byline"], 8)
            c.setFillGray(0)

    def place(self, span: int, height: float) -> tuple[int, float] | None:
        """The leftmost columns where `span` columns are free for `height` points, highest
        first."""
        best: tuple[float, int] | None = None
        for first in range(self.columns - span + 1):
            top = max(self.free[first : first + span])
            if top + height <= self.limit and (best is None or top < best[0] - 0.5):
                best = (top, first)
        return None if best is None else (best[1], best[0])


def _headline_size(span: int) -> float:
    return {1: 12.0, 2: 14.5, 3: 18.0}[span]


def _lay(
    page: _Page,
    laid: Laid,
    body: _Body,
    span: int,
    first: int,
    top: float,
    *,
    image: bool,
    boxed: bool,
    title_size: float,
    marker_before: str | None = None,
    marker_after: str | None = None,
    max_lines: int | None = None,
) -> int:
    """Draw an article (or its part) at columns first…first+span from `top`; returns the
    number of body lines drawn."""
    pad = 5.0 if boxed else 0.0
    x0 = page.x(first) + pad
    width = page.span_width(span) - 2 * pad
    y = top + pad
    head = _wrap(laid.title, FONTS["head"], title_size, width)
    for line in head:
        page.text(x0, y, line, FONTS["head"], title_size)
        y += title_size * 1.2
    y += 4
    if marker_before:
        page.text(x0, y, marker_before, FONTS["caption"], 7.5)
        y += LEADING
    column_width = (width - (span - 1) * GUTTER) / span
    lines = body.lines if max_lines is None else body.lines[:max_lines]
    reserved = [0.0] * span
    if image:
        reserved[0] = 64.0 + 12.0
    per_column = _per_column(len(lines) + (1 if marker_after else 0) + 2, reserved)
    drawn = 0
    bottom = y
    for column in range(span):
        cx = x0 + column * (column_width + GUTTER)
        cy = y
        if column == 0 and image:
            page.canvas.setFillGray(0.8)
            page.canvas.rect(cx, page.height - cy - 60, column_width, 60, fill=1, stroke=0)
            page.canvas.setFillGray(0)
            page.text(cx, cy + 62, "Quang cảnh buổi lễ. Ảnh: PV", FONTS["caption"], 7)
            cy += 64.0 + 12.0
        for _ in range(per_column[column]):
            if drawn >= len(lines):
                break
            line, starts = lines[drawn]
            page.text(cx + (INDENT if starts else 0.0), cy, line, FONTS["body"], BODY)
            cy += LEADING
            drawn += 1
        if drawn >= len(lines):  # the end of the article: its marker or its byline
            if marker_after:
                page.text(cx, cy, marker_after, FONTS["caption"], 7.5)
                cy += LEADING
            elif laid.byline:
                w = pdfmetrics.stringWidth(laid.byline, FONTS["byline"], 7.5)
                page.text(cx + column_width - w, cy + 1, laid.byline, FONTS["byline"], 7.5)
                cy += LEADING
        bottom = max(bottom, cy)
        if drawn >= len(lines):
            break
    bottom += pad
    if boxed:
        page.canvas.setLineWidth(0.7)
        page.canvas.rect(
            page.x(first), page.height - bottom, page.span_width(span), bottom - top, stroke=1
        )
    for column in range(first, first + span):
        page.free[column] = bottom + 14.0
    return drawn


def _per_column(total: int, reserved: list[float]) -> list[int]:
    """Lines per column so that the columns end level, the reserved space included."""
    span = len(reserved)
    height = math.ceil((total * LEADING + sum(reserved)) / span / LEADING) * LEADING
    counts = [max(0, int((height - r) // LEADING)) for r in reserved]
    while sum(counts) < total:
        counts[counts.index(min(counts))] += 1
    return counts


def _height(laid: Laid, body: _Body, span: int, page: _Page, image: bool, boxed: bool) -> float:
    title_size = _headline_size(span)
    pad = 10.0 if boxed else 0.0
    width = page.span_width(span) - pad
    head = len(_wrap(laid.title, FONTS["head"], title_size, width)) * title_size * 1.2 + 4
    reserved = [76.0 if image else 0.0] + [0.0] * (span - 1)
    rows = max(_per_column(len(body.lines) + 2, reserved)) + (7 if image else 0)
    return head + rows * LEADING + pad + 16


def make_issue(path: Path, articles: list[tuple[str, str]], pages: int = 8, seed: int = 7) -> Issue:
    """Lay `articles` ([(id, text)], title on the first line) out on `pages` A3 pages of
    five columns (four on pages 2, 5, 8); the fourth article of page 1 is continued on page
    3; every seventh article is boxed; every fourth has an image. Articles that do not fit
    are left out (see `Issue.articles`)."""
    _register()
    rng = random.Random(seed)
    canvas = Canvas(str(path), pagesize=A3, pageCompression=1)
    canvas.setTitle("Báo VNFACTS, 4-12-2025")
    queue = []
    for number, (doc_id, text) in enumerate(articles):
        title, paragraphs = _split(text)
        queue.append(Laid(doc_id, title, BYLINES[number % len(BYLINES)], paragraphs))
    laid_out: list[Laid] = []
    carry: tuple[Laid, _Body, int] | None = None  # the continued article: its rest, for page 3
    number = 0
    for page_number in range(1, pages + 1):
        columns = 4 if page_number % 3 == 2 else 5
        section = SECTIONS[page_number % len(SECTIONS)] if page_number % 2 == 0 else None
        page = _Page(canvas, page_number, columns, section)
        if page_number == 3 and carry is not None:
            laid, body, done = carry
            rest = _Body(body.lines[done:])
            span = 2
            spot = page.place(span, _height(laid, rest, span, page, False, False))
            assert spot is not None
            _lay(
                page,
                laid,
                rest,
                span,
                spot[0],
                spot[1],
                image=False,
                boxed=False,
                title_size=11.0,
                marker_before="(Tiếp theo trang 1)",
            )
            laid.pages.append(3)
            carry = None
        cap = math.ceil(len(queue) / pages) - (1 if page_number == 1 else 0)
        while number < len(queue):
            laid = queue[number]
            if sum(1 for a in laid_out if a.pages[0] == page_number) >= cap:
                break
            lead = not laid_out or laid_out[-1].pages[-1] != page_number
            preferred = 3 if lead else rng.choice([1, 2, 2])
            boxed = number % 7 == 6
            placed = None
            for span in dict.fromkeys([preferred, 2, 1, 3]):
                span = min(span, columns)
                image = number % 4 == 1 and span > 1
                pad = 10.0 if boxed else 0.0
                width = (page.span_width(span) - pad - (span - 1) * GUTTER) / span
                body = _body(laid.paragraphs, width)
                spot = page.place(span, _height(laid, body, span, page, image, boxed))
                if spot is not None:
                    placed = (span, image, body, spot)
                    break
            on_page = sum(1 for a in laid_out if a.pages[-1] == page_number)
            if page_number == 1 and carry is None and (placed is None or on_page == 3):
                # The rest of page 1 takes the start of this article, continued on page 3.
                span = 2 if page.place(2, 120.0) else 1
                spot = page.place(span, 120.0)
                if spot is None:
                    break
                width = (page.span_width(span) - (span - 1) * GUTTER) / span
                body = _body(laid.paragraphs, width)
                rows = int((page.limit - spot[1] - 40.0) // LEADING)
                fits = max(4, min((rows - 3) * span, len(body.lines) * 2 // 3))
                drawn = _lay(
                    page,
                    laid,
                    body,
                    span,
                    spot[0],
                    spot[1],
                    image=False,
                    boxed=False,
                    title_size=_headline_size(span),
                    marker_after="(Xem tiếp trang 3)",
                    max_lines=fits,
                )
                laid.pages.append(page_number)
                laid.continued = True
                carry = (laid, body, drawn)
                laid_out.append(laid)
                number += 1
                break
            if placed is None:
                break
            span, image, body, spot = placed
            _lay(
                page,
                laid,
                body,
                span,
                spot[0],
                spot[1],
                image=image,
                boxed=boxed,
                title_size=_headline_size(span),
            )
            laid.pages.append(page_number)
            laid.boxed = boxed
            laid_out.append(laid)
            number += 1
        canvas.showPage()
    canvas.save()
    return Issue(path, laid_out, pages)


def usable(text: str) -> bool:
    """Whether a corpus text starts with a headline line (not a menu, a date or a caption),
    so that it can be laid out as an article."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 3:
        return False
    first = lines[0].split(" ", 2)[2] if lines[0].startswith("date ") else lines[0]
    if any(len(word) > 24 for word in text.split()):
        return False  # a URL or a file name, wider than a column
    return 15 <= len(first) <= 150 and first[:1].isupper() and not first.endswith(".")


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def transfer_gold(gold: dict[str, object], original: str, laid: Laid) -> list[dict[str, object]]:
    """The gold facts of a corpus article (SPEC §3, on its original text) for the article
    as laid out. Laying out collapses whitespace and drops a " date …" prefix, nothing else,
    so a money or count span keeps its place; officials and places are as they were."""
    squeezed = _collapsed(original)
    head = _collapsed("\n".join([laid.title, *laid.paragraphs]))
    offset = squeezed.find(head)
    assert offset >= 0, laid.id
    facts: list[dict[str, object]] = []
    for fact in gold["facts"]:  # type: ignore[attr-defined]
        if fact["type"] not in ("money", "count"):
            facts.append(dict(fact))
            continue
        start = find_occurrence(original, fact["text"], int(fact.get("occurrence", 1)))
        at = len(_collapsed(original[:start] + "x")) - 1 - offset  # laid.text is collapsed
        span = laid.text[at : at + len(_collapsed(fact["text"]))]
        assert _collapsed(span) == _collapsed(fact["text"]), (laid.id, fact)
        facts.append({**fact, "text": span, "occurrence": occurrence(laid.text, at, span)})
    return facts
