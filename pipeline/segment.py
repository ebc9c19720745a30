"""Split a document's normalised text into articles and leave out page furniture.

SPEC §1: a page may hold several articles; text that belongs to no article (menus,
breadcrumbs, teaser lists such as "Cùng chủ đề", "Source link") carries no facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .patterns import Patterns


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


def segment(text: str, patterns: Patterns) -> list[Article]:
    """The article(s) of `text`: everything before the first teaser-list marker."""
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
    title = None
    heading = _HEADING.search(text, start, end)
    if heading:
        title = heading.group("title").strip(" *")
    else:
        for line in lines:
            if line.start() >= start and line.group().strip():
                candidate = line.group().strip()
                if len(candidate) < 200 and candidate[-1] not in ".:;!?":
                    title = candidate
                break
    byline = byline_start = None
    body = [ln for ln in lines if start <= ln.start() < end and ln.group().strip()]
    if len(body) > 1 and _is_byline(body[-1].group()):
        byline = body[-1].group().strip(" *")
        byline_start = body[-1].start()
    elif body:  # a signature run into the last paragraph: "… 2025 - 2030. Đỗ Thuần – Bí thư …"
        last = body[-1]
        tail = regex.search(r"[.!?…”\"] (?P<sign>[^.!?…]+)$", last.group())
        if tail and _SIGNED.match(tail.group("sign")):
            byline = tail.group("sign").strip(" *")
            byline_start = last.start() + tail.start("sign")
    return [Article(start, end, title, byline, byline_start)]
