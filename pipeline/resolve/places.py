"""Level, name and keyword of an administrative unit from a matched mention."""

from __future__ import annotations

import regex

from ..match import Taken
from ..patterns import Patterns
from . import gazetteer
from .quantities import Fields


def restore_case(name: str) -> str:
    """ALL-CAPS text gets its capitals back: "MỸ PHÚC" → "Mỹ Phúc"."""
    if not name.isupper():
        return name
    return " ".join(w[:1] + w[1:].lower() for w in name.split(" "))


def location(m: regex.Match[str], text: str, patterns: Patterns) -> Fields:
    groups = m.groupdict()
    raw = " ".join(groups["name"].split())
    keyword = groups.get("kw")
    if keyword is not None:
        keyword = keyword.rstrip(". ")
        level = patterns.lookup("ADMIN_KEYWORD", keyword)
    else:
        level = patterns.lookup("PARTY_COMMITTEE", groups["org"])
    short = patterns.lookup("SHORT_FORM", raw)
    name = str(short) if short else restore_case(raw)
    if raw[:1].isdigit():  # a unit named by a number keeps its keyword: "Thôn 7A"
        name = f"{(keyword or '').capitalize()} {raw}"
    if level == "city":
        level = "province" if patterns.has("CENTRAL_CITY", name) else "district"
    fields: Fields = {"name": name, "level": level, "keyword": keyword}
    known = gazetteer.load()
    if level == "village" and keyword and not keyword.isupper():
        whole = known.lookup(f"{keyword.capitalize()} {name}")
        if whole:  # "Buôn Ma Thuột", "Bản Yên": a unit whose name starts like a village word
            levels = [u.level for u in whole]
            best = min(levels, key=lambda lv: ("district", "province", "commune").index(lv))
            return {"name": f"{keyword.capitalize()} {name}", "level": best, "keyword": None}
    if patterns.has("ORG_WORD", name.split()[0]) and not known.known_prefix(name):
        return {}  # "Hội Nông dân tỉnh Hội …", "huyện Đoàn": an organisation, not a unit
    if level in ("province", "district", "commune") and not known.is_unit(name):
        prefix = known.known_prefix(name)
        longer = _NEXT_WORDS.match(text, m.end("name"))
        extended = longer and _known_extension(known, name, longer.group().split())
        if extended:  # "Huyện ủy Hưng Hà": the name pattern stopped before "Hà" (a surname)
            fields["name"] = extended
            extra = len(extended.split()) - len(name.split())
            words = list(regex.finditer(r"\S+", longer.group()))
            fields["end"] = longer.start() + words[extra - 1].end()
        elif prefix and " " in prefix:  # "huyện Quỳnh Phụ Từ …": a heading run into the text
            fields["name"] = prefix
            fields["end"] = _end_of_words(m, len(prefix.split()))
        elif patterns.has("SURNAME", name.split()[0]) and (
            len(name.split()) >= 3
            or (" " in name and _post_before(text, m.start(), patterns) and not _new_unit(name))
        ):
            # "Chủ tịch UBND tỉnh Lê Quốc Chỉnh", "Chủ nhiệm UBKT Tỉnh ủy Lê Hồn": a person
            # named after the post, not a unit the gazetteer knows
            return {}
        elif raw.isupper():
            return {}  # "VĂN PHÒNG TỈNH ỦY ĐỔI MỚI": a heading in capitals, not a unit
    return fields


_POSTS: dict[int, regex.Pattern[str]] = {}


def _post_before(text: str, pos: int, patterns: Patterns) -> bool:
    """Whether a post runs up to `pos` in the same clause ("Chủ nhiệm UBKT Tỉnh ủy …")."""
    pattern = _POSTS.get(id(patterns))
    if pattern is None:
        pattern = regex.compile(r"(?:" + patterns.pieces["TITLE_START"] + r")[^.,;:!?()\n]{0,60}$")
        _POSTS[id(patterns)] = pattern
    return pattern.search(text, max(0, pos - 80), pos) is not None


def _new_unit(name: str) -> bool:
    return gazetteer.load_2025().is_unit(name)


_NEXT_WORDS = regex.compile(r" \p{Lu}[\p{Ll}\p{M}]*(?: \p{Lu}[\p{Ll}\p{M}]*)?")


def _known_extension(known: gazetteer.Gazetteer, name: str, words: list[str]) -> str | None:
    for n in range(len(words), 0, -1):
        candidate = " ".join([name, *words[:n]])
        if known.is_unit(candidate):
            return candidate
    return None


def _end_of_words(m: regex.Match[str], count: int) -> int:
    """Offset just after the first `count` words of the match's name group."""
    words = list(regex.finditer(r"\S+", m.group("name")))
    return int(m.start("name") + words[count - 1].end())


_LIST_ITEM = regex.compile(
    r"(?:, ?| và | hoặc | - )(?P<name>\p{Lu}[\p{Ll}\p{M}]*(?: \p{Lu}[\p{Ll}\p{M}]*){0,3})"
    r"(?![\p{L}\p{M}])"
)
# "gạo ST25 Sóc Trăng", "Xổ số kiến thiết An Giang": part of a longer proper name.
_CAPITALISED_BEFORE = regex.compile(r"[\p{Lu}\p{N}][\p{L}\p{M}\p{N}]*[ -]$")
_HEADING = regex.compile(r"^[#* ]*(?P<name>[\p{Lu}\p{M} ]{3,40}?)[#* ]*$", regex.M)
_PROVINCES: dict[int, regex.Pattern[str]] = {}


def _province_pattern(known: gazetteer.Gazetteer) -> regex.Pattern[str]:
    pattern = _PROVINCES.get(id(known))
    if pattern is None:
        names = sorted(known.names("province"), key=lambda s: (-len(s), s))
        pattern = regex.compile(
            r"(?<![\p{L}\p{M}])(?:"
            + "|".join(regex.escape(n, literal_spaces=True) for n in names)
            + r")(?![\p{L}\p{M}\p{N}])(?! \p{Lu})"
        )
        _PROVINCES[id(known)] = pattern
    return pattern


def more_places(
    text: str,
    found: list[tuple[Fields, int, int]],
    patterns: Patterns,
    named: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> list[tuple[Fields, int, int]]:
    """Units named without their keyword, confirmed by the gazetteer.

    - list continuations: "các huyện Sơn Động, Lục Ngạn, Lục Nam" (same level as the first);
    - province names: "tại Nghệ An", "điểm cầu Thái Bình";
    - a section heading that is a district of a province the article names: "QUỲNH PHỤ".

    `named` holds the spans of people's names ("Chủ tịch Hồ Chí Minh"), which are no places.
    """
    known = gazetteer.load()
    taken = Taken([(a, b) for _, a, b in found] + list(named))
    more: list[tuple[Fields, int, int]] = []

    def free(a: int, b: int) -> bool:
        return not taken.overlaps(a, b)

    def add(name: str, level: str, span: tuple[int, int], rule: str) -> None:
        more.append(({"name": name, "level": level, "keyword": None, "rule": rule}, *span))
        taken.add(*span)

    for fields, _, end in found:
        level = str(fields["level"])
        if level not in ("province", "district", "commune"):
            continue
        pos = end
        while item := _LIST_ITEM.match(text, pos):
            name = item.group("name")
            if not known.lookup(name, level) or not free(*item.span("name")):
                break
            add(name, level, item.span("name"), "location.list")
            pos = item.end()
    for m in _province_pattern(known).finditer(text):
        words = m.group().split()
        if len(words) >= 3 and patterns.has("SURNAME", words[0]):
            continue  # "phong cách Hồ Chí Minh": bare, a three-syllable name is a person's
        before = _CAPITALISED_BEFORE.search(text, max(0, m.start() - 60), m.start())
        if free(m.start(), m.end()) and not before:
            add(m.group(), "province", m.span(), "location.bare_province")
    provinces = {str(f["name"]) for f, _, _ in found + more if f["level"] == "province"}
    for m in _HEADING.finditer(text):
        name = restore_case(" ".join(m.group("name").split()))
        if not m.group("name").strip().isupper() or not free(*m.span("name")):
            continue
        if any(u.province in provinces for u in known.lookup(name, "district")):
            add(name, "district", m.span("name"), "location.heading")
    return more
