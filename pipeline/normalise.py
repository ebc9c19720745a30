"""Normalise text for matching while keeping a map back to the original offsets.

Every output character knows the range of original characters it came from, so a span
found in the normalised text maps back with `Normalised.to_original` and
`original[start:end] == text` holds whatever was rewritten: NFD to NFC, the "hoà"/"hòa"
tone-mark conventions, line breaks inside paragraphs, runs of spaces, invisible characters.
"""

from __future__ import annotations

import unicodedata
from array import array
from collections.abc import Callable
from dataclasses import dataclass

import regex

# Old-style tone placement ("hòa", "thủy") is the convention the lexicons are written in.
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _toned(bases: str) -> str:
    return "".join(unicodedata.normalize("NFC", b + t) for b in bases for t in _TONES)


# "oà", "oé", "uỷ" at the end of a syllable (not after q, where "uý" is the only spelling).
_OPEN_NUCLEI = regex.compile(
    rf"(?<![qQ])(?:([oO])([{_toned('aAeE')}])|([uU])([{_toned('yY')}]))(?![\p{{L}}\p{{M}}])"
)
_COMBINING = regex.compile(r"\P{M}\p{M}+")
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

_SPACE_RUN = regex.compile(
    r"(?P<hyphen>(?<=\p{L})-[^\S\n]*\n[^\S\n]*(?=\p{L}))"
    r"|(?P<ws>\s*[^\S ]\s*|\s{2,})"
    rf"|(?P<inv>[{_INVISIBLE}]+)"
)
# A paragraph that ends without closing punctuation and a next one that starts in lower case
# are one sentence broken by the PDF's layout.
_CLOSES = set('.!?:;…"”’)]»*#')


@dataclass(frozen=True)
class Normalised:
    original: str
    text: str
    starts: array[int]
    ends: array[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to the original text."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


Rewrite = Callable[["regex.Match[str]"], str | None]


def _rewrite(
    text: str, pattern: regex.Pattern[str], repl: Rewrite
) -> tuple[str, array[int], array[int]] | None:
    """Apply `repl` to each match; each output char maps to its source range."""
    parts: list[str] = []
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    pos = 0
    changed = False
    for match in pattern.finditer(text):
        new = repl(match)
        if new is None or new == match.group():
            continue
        changed = True
        a, b = match.span()
        parts.append(text[pos:a])
        starts.extend(range(pos, a))
        ends.extend(range(pos + 1, a + 1))
        parts.append(new)
        starts.extend([a] * len(new))
        ends.extend([b] * len(new))
        pos = b
    if not changed:
        return None
    parts.append(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return "".join(parts), starts, ends


def _nfc(match: regex.Match[str]) -> str:
    return unicodedata.normalize("NFC", match.group())


def _old_tone(match: regex.Match[str]) -> str:
    first, second = match.group(1) or match.group(3), match.group(2) or match.group(4)
    decomposed = unicodedata.normalize("NFD", second)
    return unicodedata.normalize("NFC", first + decomposed[1:]) + decomposed[0]


def _line_start(text: str, pos: int) -> str:
    begin = text.rfind("\n", 0, pos) + 1
    return text[begin : begin + 1]


def _caps_line(text: str, pos: int, before: bool) -> bool:
    """Whether the line ending at `pos` (before=True) or starting at it is in capitals."""
    if before:
        line = text[text.rfind("\n", 0, pos) + 1 : pos]
    else:
        end = text.find("\n", pos)
        line = text[pos : len(text) if end < 0 else end]
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _space(match: regex.Match[str]) -> str | None:
    if match.group("inv"):
        return ""
    if match.group("hyphen"):
        following = match.string[match.end()]
        return "" if following.islower() else "-"
    run = match.group()
    text = match.string
    a, b = match.span()
    before = text[a - 1] if a else ""
    after = text[b] if b < len(text) else ""
    newlines = run.count("\n")
    if newlines == 0 or not before or not after:
        return " " if before and after else ""
    heading = _line_start(text, a) == "#" or after in "#*" or before in "#*"
    if newlines == 1 and not heading:
        # A line of capitals (a heading, a byline) stands alone, and so does a line that
        # ends a sentence before one that starts with a capital: a paragraph of PDF text.
        own_line = _caps_line(text, a, before=True) or _caps_line(text, b, before=False)
        ends = before in _CLOSES and after.isupper()
        return "\n" if own_line or ends else " "
    if not heading and before not in _CLOSES and (after.islower() or after.isdigit()):
        return " "
    return "\n"


def normalise(original: str) -> Normalised:
    """NFC, old-style tone marks, one space between words, one newline between paragraphs."""
    text = original
    starts: array[int] = array("q", range(len(text)))
    ends: array[int] = array("q", range(1, len(text) + 1))
    for pattern, repl in ((_COMBINING, _nfc), (_OPEN_NUCLEI, _old_tone), (_SPACE_RUN, _space)):
        if pattern is _COMBINING and unicodedata.is_normalized("NFC", text):
            continue
        result = _rewrite(text, pattern, repl)
        if result is None:
            continue
        text, step_starts, step_ends = result
        starts = array("q", (starts[i] for i in step_starts))
        ends = array("q", (ends[i - 1] for i in step_ends))
    return Normalised(original, text, starts, ends)


def fold(text: str) -> str:
    """A lookup key: NFC, old-style tones, one space, case folded ("Hoà  Bình" → "hòa bình")."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(_OPEN_NUCLEI.sub(_old_tone, text).split()).casefold()
