"""Split a document's normalised text into articles and leave out page furniture.

SPEC §1: a page may hold several articles; text that belongs to no article (menus,
breadcrumbs, teaser lists such as "Cùng chủ đề", "Source link") carries no facts.
"""

from __future__ import annotations

from bisect import bisect_left
from contextlib import suppress
from dataclasses import dataclass

import regex

from .normalise import Normalised
from .patterns import Patterns
from .read import iso_date
from .resolve import gazetteer


@dataclass(frozen=True)
class Article:
    start: int
    end: int
    title: str | None = None
    byline: str | None = None
    byline_start: int | None = None


# A level-1 heading is a title; "## QUỲNH PHỤ" above it is a section label.
_HEADING = regex.compile(r"^# +(?P<title>.+)$", regex.M)
_LINE = regex.compile(r"[^\n]+")


def _is_marker(line: str, patterns: Patterns) -> bool:
    stripped = line.strip(" #*:").strip()
    return patterns.has("BOILERPLATE_SECTION", stripped)


# "Đỗ Thuần – Bí thư Chi bộ Các cơ quan Đảng", "Tin, ảnh: Phạm Thúy Nga": a signature line.
_SIGNED = regex.compile(
    r"^(?:(?:Tin|Bài|Ảnh|Tin, ảnh|Bài, ảnh|Tin và ảnh|Bài và ảnh) ?: ?)?"
    r"\p{Lu}[\p{Ll}\p{M}]*(?: \p{Lu}[\p{Ll}\p{M}]*){1,3}(?: ?[-–] [^.!?]{0,80})?$"
)


def _is_byline(line: str) -> bool:
    stripped = line.strip(" *")
    letters = [ch for ch in stripped if ch.isalpha()]
    words = stripped.split()
    if bool(letters) and stripped.isupper() and 1 <= len(words) <= 8 and len(stripped) < 60:
        return True
    return bool(_SIGNED.match(stripped))


_MARKDOWN = regex.compile(r"^(?P<hashes>#{1,6}) +(?P<text>.+?)[ #]*$")
_END_PUNCTUATION = '.:;!?…,"”)'


def _strip(line: str) -> str:
    return line.strip().strip("*_ ").strip()


def _is_label(line: str) -> bool:
    """A section label above a title: "## QUỲNH PHỤ", a district name in capitals."""
    m = _MARKDOWN.match(line.strip())
    body = _strip(m.group("text")) if m else _strip(line)
    return body.isupper() and len(body.split()) <= 4


def _is_unit_label(line: str, patterns: Patterns) -> bool:
    """A section label in capitals that names a place ("KIẾN XƯƠNG", "THÀNH PHỐ")."""
    body = _strip(line)
    if not body.isupper():
        return False
    name = " ".join(w[:1] + w[1:].lower() for w in body.split())
    return gazetteer.load().is_unit(name) or patterns.has("ADMIN_KEYWORD", body)


def _heading_level(line: str) -> int:
    if not line.lstrip().startswith("#"):  # most lines, and a page-long one, cheaply
        return 0
    m = _MARKDOWN.match(line.strip())
    return len(m.group("hashes")) if m else 0


def _looks_like_title(line: str) -> bool:
    """A headline: capitals ("ĐỔI MỚI, NÂNG CAO HIỆU QUẢ..."), or a short line with no
    comma and no closing punctuation (a broken PDF line usually has one or the other)."""
    body = _strip(line)
    if body.isupper() and len(body.split()) >= 2:
        return True
    return 0 < len(body) < 100 and body[-1] not in _END_PUNCTUATION and "," not in body


def _starts(lines: list[regex.Match[str]], patterns: Patterns) -> list[int]:
    """Indexes of the lines that open an article.

    Markdown pages: a level-1 or level-2 heading opens one when the article before it has
    body text; a section label ("## QUỲNH PHỤ") opens it together with the heading below.
    Plain text: after a byline that closes an article, the next title-like line opens one.
    """
    markdown = any(_heading_level(ln.group()) for ln in lines)
    starts = [0]
    body = False
    closed = False
    for index, line in enumerate(lines):
        text = line.group()
        level = _heading_level(text)
        opens = False
        if markdown and level in (1, 2):
            previous_label = (
                index > 0 and index - 1 == starts[-1] and _is_label(lines[index - 1].group())
            )
            opens = body and not previous_label
        elif not markdown and closed and _looks_like_title(text):
            # A place label ("KIẾN XƯƠNG") opens one too.
            opens = not _is_byline(text) or _is_unit_label(text, patterns)
        if opens:
            starts.append(index)
            body = closed = False
            continue
        if _is_byline(text) and not _is_unit_label(text, patterns):
            closed = body
        elif not level and not _looks_like_title(text):
            body = True
    return starts


def _title(lines: list[regex.Match[str]]) -> str | None:
    for line in lines:
        text = line.group()
        if _heading_level(text) and not (_is_label(text) and len(lines) > 1):
            m = _MARKDOWN.match(text.strip())
            return _strip(m.group("text")) if m else None
    for line in lines:
        if _heading_level(line.group()) or _is_label(line.group()):
            continue
        body = _strip(line.group())
        short = 0 < len(body) < 200 and body[-1] not in ".:;!?,"
        return body if short or _looks_like_title(body) else None
    return None


def _byline(
    text: str, lines: list[regex.Match[str]], patterns: Patterns
) -> tuple[str | None, int | None]:
    """The signature closing an article: its last line of capitals, or a signature line."""
    for line in reversed(lines[1:]):
        text = line.group()
        if _is_byline(text) and not _heading_level(text) and not _is_unit_label(text, patterns):
            return _strip(text), line.start()
    if lines:  # a signature run into the last paragraph: "… 2030. Đỗ Thuần – Bí thư …"
        last = lines[-1]
        tail = regex.search(r"[.!?…”\"] (?P<sign>[^.!?…]+)$", last.group())
        if tail and _SIGNED.match(tail.group("sign")):
            return tail.group("sign").strip(" *"), last.start() + tail.start("sign")
    return None, None


def segment(text: str, patterns: Patterns) -> list[Article]:
    """The articles of `text`, without breadcrumbs and what follows a teaser-list marker."""
    end = len(text)
    lines = list(_LINE.finditer(text))
    start = 0
    for line in lines:
        if _is_marker(line.group(), patterns):
            end = line.start()
            break
    for line in lines:
        if line.start() >= end:
            break
        if any(line.group().startswith(b) for b in patterns.lexicons["BREADCRUMB_START"]):
            start = line.end()
        break
    body = [ln for ln in lines if start <= ln.start() < end and ln.group().strip()]
    if not body:
        return [Article(start, end)]
    starts = _starts(body, patterns)
    articles = []
    for number, first in enumerate(starts):
        last = starts[number + 1] if number + 1 < len(starts) else len(body)
        chunk = body[first:last]
        a = start if number == 0 else chunk[0].start()
        b = end if last == len(body) else body[last].start()
        byline, byline_start = _byline(text, chunk, patterns)
        articles.append(Article(a, b, _title(chunk), byline, byline_start))
    return articles


# Page furniture inside the text (SPEC §1), found on the lines of the original document,
# where a PDF or a web page keeps them apart: a teaser in brackets ("[Đồng Nai: Tai nạn …]"),
# a related-article line "Tỉnh: headline" (no closing full stop), a digest label ("Tin sáng
# 14/7: …"), a numbered strip of links ("1. Dòng sự kiện: 2. Thành phố Thủ Đức 3. …").
_RAW_LINE = regex.compile(r"[^\n]+")
_BRACKETED = regex.compile(r"\s*\[[^\[\]]{3,300}\]\s*")
_PLACE_HEADLINE = regex.compile(
    r"\s*[#*\-• ]*(?P<place>\p{Lu}[\p{L}\p{M}.]*(?: \p{Lu}[\p{L}\p{M}.]*){0,3}): "
    r"\S.{3,200}(?<![.!?…])\s*"
)
# Related headlines run together on one line, with no sentence end anywhere: "… thu về gần
# 200 tỷ đồng Sơn La: Gỡ “nút thắt” … Chủ tịch UBND tỉnh Sơn La làm việc với …".
_GLUED_HEADLINE = regex.compile(
    r"[\p{Ll}\p{N}] (?P<place>\p{Lu}[\p{L}\p{M}.]*(?: \p{Lu}[\p{L}\p{M}.]*){0,3}): [\p{Lu}“\"]"
)
_SENTENCE_END = regex.compile(r"[.!?…](?:\s|$)")
# A weather widget: "Hà Nội 25 °C", "• TP Hồ Chí Minh Hà Nội 32°C".
_WEATHER = regex.compile(r"\s*[•*\-]?\s*(?:\p{Lu}[\p{L}\p{M}.]*\s+){1,6}-?\p{Nd}{1,2}\s?°\s?C\s*")
_DATE_PREFIX = regex.compile(r"\s*(?:date \S+\s+)?")
_NUMBERED_ITEM = regex.compile(r"(?<!\S)\p{Nd}{1,2}\. \S")


def furniture(norm: Normalised, patterns: Patterns) -> list[tuple[int, int]]:
    """Spans of the normalised text that are page furniture inside an article."""
    found = []
    labels = _labels(patterns)
    lines = list(_RAW_LINE.finditer(norm.original))
    # "Tỉnh: headline" lines in a run of two or more are a list of related articles; one
    # alone is more often the page's own headline
    teasers = [_teaser_line(line.group(), patterns) for line in lines]
    for number, line in enumerate(lines):
        text = line.group()
        listed = teasers[number] and (
            (number > 0 and teasers[number - 1])
            or (number + 1 < len(lines) and teasers[number + 1])
        )
        prefix = _DATE_PREFIX.match(text)
        if (
            _BRACKETED.fullmatch(text)
            or listed
            or labels.match(text, prefix.end() if prefix else 0)
            or (len(text) < 300 and len(_NUMBERED_ITEM.findall(text)) >= 3)
            or _glued_teasers(text, patterns)
            or _WEATHER.fullmatch(text)
        ):
            found.append(
                (bisect_left(norm.starts, line.start()), bisect_left(norm.starts, line.end()))
            )
    return found


def _teaser_line(text: str, patterns: Patterns) -> bool:
    place = _PLACE_HEADLINE.fullmatch(text)
    return bool(place and _is_province(place.group("place"), patterns))


def _glued_teasers(text: str, patterns: Patterns) -> bool:
    if len(text) < 80 or _SENTENCE_END.search(text):
        return False
    return any(_is_province(m.group("place"), patterns) for m in _GLUED_HEADLINE.finditer(text))


def _is_province(name: str, patterns: Patterns) -> bool:
    name = str(patterns.lookup("SHORT_FORM", name.replace("TP.", "").strip()) or name)
    return gazetteer.known_at(name, "province", prefix=False)


_LABELS: dict[int, regex.Pattern[str]] = {}


def _labels(patterns: Patterns) -> regex.Pattern[str]:
    found = _LABELS.get(id(patterns))
    if found is None:
        found = regex.compile(r"(?:" + patterns.pieces["TEASER_LABEL"] + r")(?![\p{L}\p{M}])")
        _LABELS[id(patterns)] = found
    return found


_DATE = regex.compile(
    r"(?<![\p{N}/.-])(?:(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})"
    r"|(?P<iy>(?:19|20)\d{2})-(?P<im>\d{2})(?:-(?P<id>\d{2}))?)(?![\p{N}/])"
)


def dateline(text: str, within: int = 400) -> str | None:
    """The publication date a page states near its top ("Thứ Hai, 25/9/2023 08:00",
    " date 2025-09-16"), as ISO 8601; the latest one when several are given ("(01/7/1954 –
    01/7/2024)" is an anniversary published in 2024)."""
    found = []
    for m in _DATE.finditer(text, 0, within):
        if m.group("y"):
            value = f"{m.group('y')}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
        else:
            value = f"{m.group('iy')}-{m.group('im')}" + (
                f"-{m.group('id')}" if m.group("id") else ""
            )
        with suppress(ValueError):  # "31/02/2024" is no date
            found.append(iso_date(value))
    return max(found) if found else None
