"""Values of cited documents and terms of office (docs/FACT-TYPES.md, document and term)."""

from __future__ import annotations

import regex

from ..patterns import Patterns
from .quantities import Fields

# "ngày 5/3/2024", "ngày 05-3-2024", "ngày 5 tháng 3 năm 2024" right after the number
_DATE_AFTER = regex.compile(
    r",? (?:ban hành |được ban hành )?ngày (?P<d>\p{Nd}{1,2})(?:[/.-]| tháng )(?P<m>\p{Nd}{1,2})"
    r"(?:[/.-]| năm )(?P<y>(?:19|20)\p{Nd}{2})(?!\p{Nd})"
)
# "… về việc thành lập …", "… về phát triển …" up to the end of the clause
_ABOUT = regex.compile(r",? (?:của [^,;.\n]{1,60} )?về (?:việc )?(?P<title>[^;.\n()“”\"]{3,160})")
_LIST_TAIL = regex.compile(
    r"(?:(?:, ?| và )\p{Nd}+)*(?:, ?| và )\p{Nd}+(?P<suffix>(?:/(?:19|20)\p{Nd}{2})?[/-]\p{Lu}"
    r"[\p{L}\p{M}\p{N}]*(?:[/-]\p{Lu}[\p{L}\p{M}\p{N}]*)*)"
)
_TITLE_END = regex.compile(r",(?= (?:\p{Ll}+ ){0,3}(?:ngày|đã|được|và|nhằm|theo)(?![\p{L}\p{M}]))")


def document(m: regex.Match[str], text: str, patterns: Patterns) -> Fields:
    groups = m.groupdict()
    number = groups.get("number")
    # "1680/ QĐ-TTg" is "1680/QĐ-TTg", "1987 – QĐNS/TW" is "1987-QĐNS/TW"
    number = "".join(number.replace("–", "-").split()) if number else None
    if number and number.isdigit():
        # "Thông tư 37, 38, 39/2021/TT-BGDĐT": the list's last number gives its year and code
        shared = _LIST_TAIL.match(text, m.end())
        if shared:
            number += shared.group("suffix")
    kind = groups["kind"]
    fields: Fields = {"kind": kind[0].upper() + kind[1:], "number": number}
    if number is None:  # a law by its name: "Luật Đất đai"
        fields["title"] = groups.get("name")
        return fields
    code = regex.split(r"[/-]", number)
    if len(code) > 1 and not code[-1].isdigit():
        fields["issuer"] = code[-1]
    after = _DATE_AFTER.match(text, m.end())
    end = m.end()
    if after:
        fields["date"] = f"{int(after['y']):04d}-{int(after['m']):02d}-{int(after['d']):02d}"
        end = after.end()
    about = _ABOUT.match(text, end)
    if about:
        title = about.group("title")
        cut = _TITLE_END.search(title)
        fields["title"] = (title[: cut.start()] if cut else title).strip(" ,")
    return fields


def term(m: regex.Match[str], text: str, patterns: Patterns) -> Fields:
    return {"from": int(m.group("from")), "to": int(m.group("to"))}
