"""Level, name and keyword of an administrative unit from a matched mention."""

from __future__ import annotations

import regex

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
    if level in ("province", "district", "commune") and not known.is_unit(name):
        prefix = known.known_prefix(name)
        if prefix and " " in prefix:  # "huyện Quỳnh Phụ Từ …": a heading run into the text
            fields["name"] = prefix
            fields["end"] = _end_of_words(m, len(prefix.split()))
        elif len(name.split()) >= 3 and patterns.has("SURNAME", name.split()[0]):
            return {}  # "Chủ tịch UBND tỉnh Lê Quốc Chỉnh": a person after the unit word
    return fields


def _end_of_words(m: regex.Match[str], count: int) -> int:
    """Offset just after the first `count` words of the match's name group."""
    words = list(regex.finditer(r"\S+", m.group("name")))
    return int(m.start("name") + words[count - 1].end())
