"""Level, name and keyword of an administrative unit from a matched mention."""

from __future__ import annotations

from dataclasses import dataclass

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
    full = None  # the unit word an abbreviation stands for: "H." is "huyện"
    if keyword is not None:
        full = patterns.lookup("ADMIN_ABBREVIATION", keyword.strip())
        keyword = keyword.rstrip(". ")
        level = patterns.lookup("ADMIN_KEYWORD", str(full or keyword))
    else:
        level = patterns.lookup("PARTY_COMMITTEE", groups["org"])
        if not gazetteer.known_at(raw, str(level)):
            return {}  # "Tỉnh ủy Thái Bảo": no province of that name, a person's name
    if patterns.has("NOT_PLACE_ABBREVIATION", raw):
        return {}  # "khu dân cư NTM kiểu mẫu": a programme (nông thôn mới), no unit
    short = patterns.lookup("SHORT_FORM", raw)
    name = str(short) if short else restore_case(raw)
    if raw[:1].isdigit():  # a unit named by a number keeps its keyword: "Thôn 7A", "P.1"
        name = f"{str(full or keyword or '').capitalize()} {raw}"
    if level == "city":
        level = "province" if patterns.has("CENTRAL_CITY", name) else "district"
    fields: Fields = {"name": name, "level": level, "keyword": keyword}
    known = gazetteer.load()
    abbreviated = full is not None or keyword in ("TP", "Tp")
    if abbreviated and not short and not raw[:1].isdigit() and not _known_anywhere(name, level):
        return {}  # "TP. Các đơn vị …" ends a sentence; "H." and "P." may be initials
    if level == "village" and keyword and not keyword.isupper():
        whole = known.lookup(f"{keyword.capitalize()} {name}")
        if whole and not _COMMUNE_AFTER.match(text, m.end()):
            # "Buôn Ma Thuột", "Bản Yên": a unit whose name starts like a village word ("bản
            # Lang, xã Trung Hạ" is the village, in its commune)
            levels = [u.level for u in whole]
            best = min(levels, key=lambda lv: ("district", "province", "commune").index(lv))
            return {"name": f"{keyword.capitalize()} {name}", "level": best, "keyword": None}
    if patterns.has("ORG_WORD", name.split()[0]) and not known.known_prefix(name):
        return {}  # "Hội Nông dân tỉnh Hội …", "huyện Đoàn": an organisation, not a unit
    if (
        level in ("province", "district", "commune")
        and patterns.has("STOPWORD", name.split()[0])
        and not _known_anywhere(name, level)
    ):
        return {}  # "… trong huyện\nCác gia đình": the next sentence ("bản Từ Xa B" is one)
    if (
        level in ("province", "district", "commune")
        and not known.is_unit(name)
        and not _new_unit(name)  # "xã Đông Trà Bồng" (2025) is not "Đông Trà" run on
    ):
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


_COMMUNE_AFTER = regex.compile(r",? (?i:xã|phường|thị trấn)(?![\p{L}\p{M}])")


def _known_anywhere(name: str, level: object) -> bool:
    """Whether a gazetteer, before or after 2025, knows a unit of that name and level (a
    province or a district may be the other: a city is either)."""
    level = "city" if level in ("province", "district") else str(level)
    return gazetteer.known_at(name, level, prefix=False)


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


_NEXT_WORDS = regex.compile(r" \p{L}[\p{Ll}\p{M}]*(?: \p{L}[\p{Ll}\p{M}]*)?")


def _known_extension(known: gazetteer.Gazetteer, name: str, words: list[str]) -> str | None:
    """The name run on over the next words where a gazetteer knows the longer name; a word
    in lower case only as a typo of a capital ("tỉnh Nghệ an" is Nghệ An)."""
    for n in range(len(words), 0, -1):
        candidate = " ".join([name, *(w[:1].upper() + w[1:] for w in words[:n])])
        if known.is_unit(candidate):
            return candidate
    return None


def _end_of_words(m: regex.Match[str], count: int) -> int:
    """Offset just after the first `count` words of the match's name group."""
    words = list(regex.finditer(r"\S+", m.group("name")))
    return int(m.start("name") + words[count - 1].end())


# The next name of a list, after a bracket that places the one before ("xã Nghĩa Hưng
# (H.Chư Păh), Chư Đăng Ya (H.Chư Păh) và Hà Bầu").
_LIST_ITEM = regex.compile(
    r"(?: ?\([^()\n]{1,40}\))?(?:, ?| và | hoặc | - )"
    r"(?P<name>\p{Lu}[\p{Ll}\p{M}]*(?: \p{Lu}[\p{Ll}\p{M}]*){0,3})(?![\p{L}\p{M}])"
)
# "gạo ST25 Sóc Trăng", "Xổ số kiến thiết An Giang": part of a longer proper name.
_CAPITALISED_BEFORE = regex.compile(r"[\p{Lu}\p{N}][\p{L}\p{M}\p{N}]*[ -]$")
_HEADING = regex.compile(r"^[#* ]*(?P<name>[\p{Lu}\p{M} ]{3,40}?)[#* ]*$", regex.M)
_PROVINCES: dict[int, regex.Pattern[str]] = {}
# Three or more names without a unit word, in a list: "các địa phương: Kim Phú, Ninh Châu,
# Bắc Gianh …", a table row "Ninh Giang, Trường Yên, Ninh Hòa, Phúc Sơn". They are communes
# when the gazetteer (before or after 2025) knows most of them as communes of a province
# the article names.
_NAME = r"\p{Lu}[\p{Ll}\p{M}]*(?:[''’]\p{L}[\p{Ll}\p{M}]*)?"
_LIST_NAME = regex.compile(_NAME + r"(?: " + _NAME + r"){0,3}")
_BARE_LIST = regex.compile(
    r"(?<!\p{Lu}[\p{Ll}\p{M}]* )(?<![\p{L}\p{M}])"
    + _NAME
    + r"(?: "
    + _NAME
    + r"){0,3}(?:(?:, | và )"
    + _NAME
    + r"(?: "
    + _NAME
    + r"){0,3}){2,}"
)


def _commune_in(item: str, provinces: set[str], first: bool) -> tuple[str, int] | None:
    """The longest run of the item's words that names a commune of one of the provinces,
    and its offset in the item: the first words (a table cell may run into the next:
    "Ninh Tiến Hoa Lư"), or for the first item of a list its last words (a line joined to
    the one before). A name the gazetteer also knows as a district there is left alone."""
    spans = [(w.start(), w.end()) for w in regex.finditer(r"\S+", item)]
    runs = [(0, n) for n in range(len(spans), 0, -1)]
    if first:
        runs = [(n, len(spans)) for n in range(len(spans))] + runs
    for a, b in runs:
        name = item[spans[a][0] : spans[b - 1][1]]
        units = [
            u
            for g in (gazetteer.load(), gazetteer.load_2025())
            for u in g.lookup(name, None)
            if u.province in provinces
        ]
        if any(u.level == "district" for u in units):
            return None
        if any(u.level == "commune" for u in units):
            return name, spans[a][0]
    return None


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


@dataclass
class _Compiled:
    name: regex.Pattern[str]
    plural: regex.Pattern[str]
    last_keyword: regex.Pattern[str]
    item: regex.Pattern[str]
    bracket: regex.Pattern[str]
    next_name: regex.Pattern[str]
    pair: regex.Pattern[str]
    product: regex.Pattern[str]
    is_unit: regex.Pattern[str]
    firm: regex.Pattern[str]


_CACHE: dict[int, _Compiled] = {}


def _compiled(patterns: Patterns) -> _Compiled:
    found = _CACHE.get(id(patterns))
    if found is None:
        name = patterns.pieces["PLACE_NAME"]
        found = _Compiled(
            name=regex.compile(name),
            # "các xã: A, B và C", "nhập 4 xã: A, B, C, D", "các thôn A, B", "3 phường: 1, 9",
            # "5 xã vùng loan, gồm: A, B", "Các xã đạt chuẩn nông thôn mới là: A (huyện X), B",
            # "9 huyện, thành phố: A, B"
            plural=regex.compile(
                r"(?<![\p{L}\p{M}])(?:(?i:các|những|cả)|\p{Nd}{1,2}|"
                + patterns.pieces["COUNT_WORD_START"]
                + r"|năm|chín) (?P<kw>"
                + patterns.alternation("ADMIN_KEYWORD", ignore_case=False)
                + r")(?![\p{L}\p{M}])"
                r"(?:[^.;:!?()\n\p{Lu}\p{N}]{0,60}?(?:,? (?:bao gồm|gồm có|gồm|là) ?:?|:)| ?:)? "
            ),
            last_keyword=regex.compile(
                r"(?<![\p{L}\p{M}])(?P<kw>"
                + patterns.alternation("ADMIN_KEYWORD", ignore_case=False)
                + r") ?: ?$"
            ),
            # An item may carry its own figure before the separator ("các huyện: Bình Sơn
            # 5 xã; Sơn Tịnh 4 xã").
            item=regex.compile(
                r"(?P<name>" + name + r"|\p{Nd}{1,2}(?![\p{L}\p{M}\p{N}]| (?!và |hoặc )\p{Ll}))"
                r"(?: ?\([^()\n]{1,40}\))?(?: \p{Nd}{1,4} \p{Ll}+(?= ?[,;]| và ))?"
                r"(?P<sep>, ?| và | hoặc |; )?"
            ),
            bracket=regex.compile(r"\( ?(?P<name>" + name + r") ?\)"),
            next_name=regex.compile(r",? (?P<name>" + name + r")"),
            pair=regex.compile(
                r"(?<![\p{L}\p{M}])(?P<a>" + name + r")(?:, | \()(?P<b>" + name + r")"
            ),
            # "sâm Lai Châu", "chè Thái Nguyên": a product named after its province
            product=regex.compile(
                r"(?<![\p{L}\p{M}])(?:" + patterns.pieces["PRODUCT_NOUN"] + r") $"
            ),
            is_unit=regex.compile(
                r"(?<![\p{L}\p{M}] )(?P<name>" + name + r") là (?:một )?(?P<kw>xã|phường|"
                r"thị trấn|huyện|quận|thị xã|tỉnh|thành phố)(?![\p{L}\p{M}])"
            ),
            firm=regex.compile(
                r"(?<![\p{L}\p{M}])(?:" + patterns.pieces["FIRM_HEAD"] + r")(?![\p{L}\p{M}])"
            ),
        )
        _CACHE[id(patterns)] = found
    return found


def _gazetteers() -> tuple[gazetteer.Gazetteer, gazetteer.Gazetteer]:
    return gazetteer.load(), gazetteer.load_2025()


def _unit_level(name: str, level: str) -> bool:
    return any(g.lookup_loosely(name, level) for g in _gazetteers())


def _parent_level(child: str, level: str, parent: str) -> str | None:
    """The level of `parent` if the gazetteer puts the unit `child` of `level` inside it
    ("Xuân Hương, Lạng Giang": a commune of the district), else None."""
    key = gazetteer.compact(parent)
    for g in _gazetteers():
        for unit in g.lookup_loosely(child, level):
            if unit.district and gazetteer.compact(unit.district) == key:
                return "district"
            if gazetteer.compact(unit.province) == key and unit.level != "province":
                return "province"
    return None


def split_joined(
    fields: Fields, start: int, end: int, text: str
) -> list[tuple[Fields, int, int]] | None:
    """Two units joined by a hyphen that the gazetteer knows apart and not together, as two
    mentions: two of one level ("xã Mỹ Thái-Tân Dĩnh"), or a commune and its district ("xã
    Cát Tân- Phù Cát"); None otherwise."""
    name, level = str(fields["name"]), str(fields["level"])
    hyphen = text.find("-", start, end)
    parts = [p.strip() for p in name.split("-")]
    if hyphen < 0 or len(parts) != 2 or name.split("-")[0][-1:] == " ":
        return None
    if _unit_level(name, level) or not _unit_level(parts[0], level):
        return None
    after = hyphen + 1 + (text[hyphen + 1 : hyphen + 2] == " ")
    second: Fields = {**fields, "name": parts[1], "keyword": None}
    first: Fields = {**fields, "name": parts[0]}
    if level == "commune" and _parent_level(parts[0], level, parts[1]) == "district":
        second["level"], first["parent"] = "district", parts[1]
    elif not _unit_level(parts[1], level):
        return None
    return [(first, start, hyphen), (second, after, end)]


def inside_firm(text: str, start: int, patterns: Patterns) -> bool:
    """Whether a place at `start` is part of the proper name of a hospital, school, firm,
    newspaper or event ("Bệnh viện Lao và Bệnh phổi tỉnh Cà Mau", "Công ty CP Phân bón Dầu
    khí Cà Mau"): a firm's head word earlier in the clause, with only words of the name
    between ("Công ty X tại xã Y" places the firm, it does not name it)."""
    c = _compiled(patterns)
    lo = max(0, start - 80)
    heads = list(c.firm.finditer(text, lo, start))
    if not heads:
        return False
    between = text[heads[-1].end() : start]
    if regex.search(r"[.,;:!?()“”\"\n]", between):
        return False
    words = between.split()
    for index, word in enumerate(words):
        nxt = words[index + 1] if index + 1 < len(words) else ""
        joins = word in ("và", "của") and nxt[:1].isupper()
        if word[:1].islower() and patterns.has("STOPWORD", word) and not joins:
            return False
    return True


def more_places(
    text: str,
    found: list[tuple[Fields, int, int]],
    patterns: Patterns,
    named: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> list[tuple[Fields, int, int]]:
    """Units named without their keyword, confirmed by the gazetteer.

    - lists after a plural unit word: "các xã: Xa Dung, Pú Nhi và Na Son", "nhập 3 phường:
      1, 9 và Trường An", "các thôn Hiền Ninh, Hàm Ninh" (the word gives every name its
      level; the gazetteer confirms each where the level has one);
    - list continuations: "các huyện Sơn Động, Lục Ngạn, Lục Nam" (same level as the first);
    - addresses the gazetteer confirms: "xã Đạ K'Nàng, Đam Rông", "Điền Thượng, Bá Thước"
      (a commune and its district, a district and its province);
    - names in brackets that are districts or provinces: "HTX … (Đắk Mil)";
    - province names: "tại Nghệ An", "điểm cầu Thái Bình";
    - a section heading that is a district of a province the article names: "QUỲNH PHỤ".

    `named` holds the spans of people's names ("Chủ tịch Hồ Chí Minh"), which are no places.
    """
    known = gazetteer.load()
    c = _compiled(patterns)
    taken = Taken([(a, b) for _, a, b in found] + list(named))
    more: list[tuple[Fields, int, int]] = []

    def free(a: int, b: int) -> bool:
        return not taken.overlaps(a, b)

    def add(name: str, level: str, span: tuple[int, int], rule: str) -> None:
        more.append(({"name": name, "level": level, "keyword": None, "rule": rule}, *span))
        taken.add(*span)

    for head in c.plural.finditer(text):
        word = head.group("kw")
        # "các xã trên địa bàn huyện: A, B": the unit word right before the list governs it
        last = c.last_keyword.search(text, head.end("kw"), head.end())
        if last:
            word = last.group("kw")
        level = str(patterns.lookup("ADMIN_KEYWORD", word))
        if level == "city":
            level = "district"
        pos = head.end()
        while item := c.item.match(text, pos):
            raw = item.group("name")
            name = f"{word.capitalize()} {raw}" if raw[:1].isdigit() else restore_case(raw)
            span = item.span("name")
            confirmed = level == "village" or raw[:1].isdigit() or _unit_level(name, level)
            if not confirmed:
                break
            if free(*span):
                add(name, level, span, "location.plural_list")
            if not item.group("sep"):
                break
            pos = item.end()
    for pair in c.pair.finditer(text, overlapped=True):
        a, b = pair.group("a"), pair.group("b")
        if not (free(*pair.span("a")) and free(*pair.span("b"))):
            continue
        for level in ("commune", "district"):
            above = _parent_level(a, level, b)
            if above:
                add(restore_case(a), level, pair.span("a"), "location.address")
                add(restore_case(b), above, pair.span("b"), "location.address")
                break
    chain = [(str(f["name"]), str(f["level"]), end) for f, _, end in [*found, *more]]
    while chain:
        name, level, end = chain.pop()
        following = c.next_name.match(text, end)
        if level not in ("commune", "district") or not following:
            continue
        above = _parent_level(name, level, following.group("name"))
        if above and free(*following.span("name")):
            parent = restore_case(following.group("name"))
            add(parent, above, following.span("name"), "location.address")
            chain.append((parent, above, following.end("name")))
    for fields, _, end in found:
        level = str(fields["level"])
        if level not in ("province", "district", "commune"):
            continue
        pos = end
        while item := _LIST_ITEM.match(text, pos):
            name = item.group("name")
            if not _unit_level(name, level) or not free(*item.span("name")):
                break
            add(name, level, item.span("name"), "location.list")
            pos = item.end()
    for m in c.bracket.finditer(text):
        name = restore_case(m.group("name"))
        if not free(*m.span("name")):
            continue
        for level in ("province", "district"):
            if _unit_level(name, level):
                add(name, level, m.span("name"), "location.bracket")
                break
    for m in _province_pattern(known).finditer(text):
        words = m.group().split()
        if len(words) >= 3 and patterns.has("SURNAME", words[0]):
            continue  # "phong cách Hồ Chí Minh": bare, a three-syllable name is a person's
        before = _CAPITALISED_BEFORE.search(text, max(0, m.start() - 60), m.start())
        product = c.product.search(text, max(0, m.start() - 30), m.start())
        if free(m.start(), m.end()) and not before and not product:
            add(m.group(), "province", m.span(), "location.bare_province")
    for m in c.is_unit.finditer(text):  # "Sơn Hòa là xã được hỗ trợ nhiều nhất"
        name, word = restore_case(m.group("name")), m.group("kw")
        level = str(patterns.lookup("ADMIN_KEYWORD", word))
        level = "district" if level == "city" else level
        if free(*m.span("name")) and gazetteer.known_at(name, level):
            add(name, level, m.span("name"), "location.is_unit")
    provinces = {str(f["name"]) for f, _, _ in found + more if f["level"] == "province"}
    for m in _BARE_LIST.finditer(text):
        items = [(i.group(), i.start()) for i in _LIST_NAME.finditer(m.group())]
        confirmed = []
        for number, (item, at) in enumerate(items):
            found_in = _commune_in(item, provinces, first=number == 0)
            if found_in:
                name, offset = found_in
                a = m.start() + at + offset
                confirmed.append((name, a, a + len(name)))
        if len(confirmed) >= 3 and 3 * len(confirmed) >= 2 * len(items):
            for name, a, b in confirmed:
                if free(a, b):
                    add(name, "commune", (a, b), "location.bare_list")
    for m in _HEADING.finditer(text):
        name = restore_case(" ".join(m.group("name").split()))
        if not m.group("name").strip().isupper() or not free(*m.span("name")):
            continue
        if any(u.province in provinces for u in known.lookup(name, "district")):
            add(name, "district", m.span("name"), "location.heading")
    return [entry for entry in more if not inside_firm(text, entry[1], patterns)]
