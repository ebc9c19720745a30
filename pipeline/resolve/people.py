"""Officials and persons: the posts around a matched name, merged per article.

A name is found by a rule (after an honorific, or starting with a family name). Its posts
are read from the text around it with the lexicons of patterns/people.yaml:

- after it, in appositive segments split at commas and dashes ("Ông X, Phó Bí thư Đảng ủy
  xã cho biết"), stopping at a verb, a quote, a new name or an address;
- before it, a post that runs up to the name ("Thủ tướng Chính phủ Phạm Minh Chính").

A name with a post is an official; a name after an honorific without one is a person.
A later single-syllable reference ("bà Quyên") only adds a mention to the one person it
can mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..match import Taken
from ..patterns import Patterns
from . import gazetteer
from .places import restore_case
from .quantities import Fields

# Punctuation that ends an appositive segment; commas and spaced dashes separate posts.
# A dash glued to both words separates too ("Đặng Xuân Tâm-Chủ tịch Hội …"), when a post
# follows it (see _next_separator).
_SEPARATOR = regex.compile(
    r",|;|:|\.(?!\p{L})|\(|\)|[“”\"!?…]|\n|\s[-–]\s?|(?<=\p{L})[-–]\s|(?<=\p{Ll})[-–](?=\p{L})"
)
_CAPITALISED_RUN = regex.compile(r"(?:\p{Lu}[\p{Ll}\p{M}]* ){1,3}$")
_PAREN_AFTER = regex.compile(r" ?\((?P<inner>[^()\n]{1,160})\)")
_CAPITALISED_BEFORE = regex.compile(r"\p{Lu}[\p{Ll}\p{M}]* $")
# How far from its name a post, a list heading or an address is looked for. Every window
# is bounded by it, not by the paragraph, so a page with no line breaks costs no more per
# name than a page with them.
_REACH = 400


@dataclass
class _Compiled:
    title_start: regex.Pattern[str]
    org_head: regex.Pattern[str]
    detail: regex.Pattern[str]
    admin: regex.Pattern[str]
    stop: regex.Pattern[str]
    protected: regex.Pattern[str]
    block: regex.Pattern[str]
    abbreviation: regex.Pattern[str]
    unit: regex.Pattern[str]
    list_head: regex.Pattern[str]
    address: regex.Pattern[str]
    title_reference: regex.Pattern[str]
    bare_unit: regex.Pattern[str]
    org_end: regex.Pattern[str]
    name: regex.Pattern[str]
    unit_before: regex.Pattern[str]
    joins_name: regex.Pattern[str]
    term: regex.Pattern[str]


_CACHE: dict[int, _Compiled] = {}


def _compiled(patterns: Patterns) -> _Compiled:
    found = _CACHE.get(id(patterns))
    if found is None:
        piece = patterns.pieces

        def exact(lexicon: str) -> str:  # in the case written: "dự" ends a post, "Dự" not
            return patterns.alternation(lexicon, ignore_case=False)

        rank_or_honorific = piece["RANK"] + "|" + piece["HONORIFIC"]
        found = _Compiled(
            title_start=regex.compile(piece["TITLE_START"]),
            org_head=regex.compile(r"(?:" + piece["ORG_HEAD"] + r")(?![\p{L}\p{M}])"),
            detail=regex.compile(r"(?:" + piece["PERSON_DETAIL"] + r")(?![\p{L}\p{M}])"),
            admin=regex.compile(r"(?:" + piece["ADMIN_KEYWORD"] + r")(?![\p{L}\p{M}]) ?\p{Lu}"),
            # Lower case only: "dự" ends a post, "Ban Dự án" does not.
            stop=regex.compile(
                r"(?<![\p{L}\p{M}])(?!(?:" + exact("NOT_TITLE_STOP") + r")"
                r"(?![\p{L}\p{M}]))(?:" + exact("TITLE_STOP") + r")"
                r"(?![\p{L}\p{M}])"
            ),
            protected=regex.compile(patterns.alternation("ORG_WITH_COMMA")),
            # "phố" is a street, but "thành phố" and "khu phố" are unit words
            block=regex.compile(
                r"(?<![\p{L}\p{M}])(?<!(?i:thành|khu) )(?:" + exact("NAME_BLOCK") + r") $"
            ),
            abbreviation=regex.compile(
                r"(?<![\p{L}\p{M}])(?:" + exact("ORG_ABBREVIATION") + r")(?![\p{L}\p{M}])"
            ),
            unit=regex.compile(
                r"(?<![\p{L}\p{M}])(?<!(?i:hợp tác) )(?:"
                + piece["ADMIN_KEYWORD"]
                + "|"
                + piece["PARTY_COMMITTEE"]
                + r") (?P<run>"
                + piece["CAP"]
                + r"(?: "
                + piece["CAP"]
                + r")*)"
            ),
            name=regex.compile(
                r"(?<![\p{L}\p{M}])(?=\p{Lu})(?:" + piece["SURNAME"] + ") " + piece["GIVEN"]
            ),
            # A unit word in lower case followed by prose, not its name or a term.
            bare_unit=regex.compile(
                r"(?<![\p{L}\p{M}])(?:"
                + exact("UNIT_WORD")
                + r")(?= (?!(?:"
                + exact("UNIT_WORD_CONTINUES")
                + r"))\p{Ll})"
            ),
            title_reference=regex.compile(
                r"(?<![\p{L}\p{M}])(?:"
                + piece["HONORIFIC"]
                + r") (?P<title>"
                + piece["TITLE_START"]
                + ")"
            ),
            address=regex.compile(
                r"(?:"
                + piece["ADMIN_KEYWORD"]
                + r")(?![\p{L}\p{M}]) ?(?:"
                + piece["CAP"]
                + r"|\p{N}[\p{L}\p{N}]*)(?: (?:"
                + piece["CAP"]
                + r"|\p{N}+(?![\p{L}\p{M}])))*"
            ),
            # "7 Phó Giám đốc gồm: Đại tá A; B; C", "các đại biểu HĐND huyện khóa XII: ông A,
            # ông B", "5 Phó Chủ tịch, bao gồm bà A cùng các ông B, C và D": a heading of
            # posts (with "gồm"/"là", or plural before a colon), then the names before this
            # one, each with its rank or honorific.
            list_head=regex.compile(
                r"(?:(?P<title>" + piece["TITLE_START"] + r"[^.;:\n]{0,60}?)(?:,? bao gồm|"
                r",? gồm có| gồm| là)"
                r"(?: các (?:ông|bà|đồng chí))?:?"
                r"|(?<![\p{L}\p{M}])(?:các|những|\p{Nd}+|" + piece["COUNT_WORD_START"] + r") "
                r"(?P<title>" + piece["TITLE_START"] + r"(?:(?! gồm| là )[^.;:\n]){0,60}?):)"
                r" (?:(?:" + rank_or_honorific + r") )?"
                r"(?:" + piece["CAP"] + r"(?: " + piece["CAP"] + r"){1,4}"
                r"(?:, |; | và | cùng (?:các )?)(?:(?:" + rank_or_honorific + r") )?)*$"
            ),
            org_end=regex.compile(r"(?<![\p{L}\p{M}])(?:" + piece["ORG_HEAD"] + r") ?$"),
            joins_name=regex.compile(exact("JOINS_NAME")),
            term=regex.compile(r"(?:" + exact("TERM_WORD") + r")(?![\p{L}\p{M}])"),
            unit_before=regex.compile(
                r"(?<![\p{L}\p{M}])(?:"
                + piece["ADMIN_KEYWORD"]
                + "|"
                + piece["PARTY_COMMITTEE"]
                + r") $"
            ),
        )
        _CACHE[id(patterns)] = found
    return found


@dataclass
class _Title:
    text: str
    start: int
    end: int


@dataclass
class _Mention:
    name: str
    honorific: str | None
    start: int
    end: int
    titles: list[_Title] = field(default_factory=list)
    address: str | None = None
    short: bool = False


def _protected_spans(c: _Compiled, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in c.protected.finditer(text, lo, hi)]


def _next_separator(
    c: _Compiled, text: str, pos: int, hi: int, protected: list[tuple[int, int]]
) -> tuple[int, int, str]:
    """[start, end) and kind of the next separator at or after `pos` ("" at the end).

    A dash separates only before a post or an address: "Phó Chủ tịch UBND huyện – Chủ tịch
    Hội đồng …", "HTX … - thị trấn Ma Lâm", but not "Phòng Hành chính - Lưu trữ".
    """
    for m in _SEPARATOR.finditer(text, pos, hi):
        if any(a <= m.start() < b for a, b in protected):
            continue
        kind = m.group().strip() or " "
        if kind in ("-", "–"):
            after = m.end() + (text[m.end() : m.end() + 1] == " ")
            if not (c.title_start.match(text, after) or c.admin.match(text, after)):
                continue
        return m.start(), m.end(), kind
    return hi, hi, ""


def _cut_at_stop(c: _Compiled, text: str, a: int, b: int, protected: list[tuple[int, int]]) -> int:
    for m in c.stop.finditer(text, a, b):
        if any(x <= m.start() < y for x, y in protected):
            continue
        if c.joins_name.fullmatch(m.group()) and _names_go_on(c, text, m.end() + 1):
            continue  # "Chi cục Trồng trọt và Bảo vệ thực vật", "… đối ngoại của Sở Kế hoạch"
        return int(m.start())
    return b


def _names_go_on(c: _Compiled, text: str, pos: int) -> bool:
    """Whether an organisation's name goes on at `pos`, after "và" or "của": a capitalised
    word that starts no new post and no person's name."""
    return bool(
        text[pos : pos + 1].isupper()
        and not c.title_start.match(text, pos)
        and not c.name.match(text, pos)
    )


def _cut_after_unit(c: _Compiled, text: str, a: int, b: int) -> int:
    """End of a post at its unit: "Bí thư Huyện ủy Hưng Hà Nửa nhiệm kỳ …" ends at Hà,
    "Chủ tịch Hội Cựu chiến binh xã vui mừng nói" at xã (a term, "khóa X", may follow)."""
    bare = c.bare_unit.search(text, a, b)
    if bare:
        b = bare.end()
    known = gazetteer.load()
    for m in c.unit.finditer(text, a, b):
        run = m.group("run")
        if known.is_unit(run):
            continue
        prefix = known.known_prefix(run)
        if prefix and " " in prefix:
            words = list(regex.finditer(r"\S+", run))
            return int(m.start("run") + words[len(prefix.split()) - 1].end())
    return b


def _holds_name(c: _Compiled, text: str, a: int, b: int) -> bool:
    known = gazetteer.load()
    return any(
        len(m.group().split()) >= 3 and not known.is_unit(m.group())
        for m in c.name.finditer(text, a, b)
    )


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " -–":
        a += 1
    while b > a and text[b - 1] in " -–":
        b -= 1
    return a, b


def _titles_after(
    c: _Compiled, text: str, pos: int, line_end: int
) -> tuple[list[_Title], str | None]:
    """Posts in the appositive segments after a name, and an address found among them.

    A parenthesis right after the name is an appositive of its own: an address ("(xã An
    Ấp)") or details and posts ("(SN 1984, cựu Phó Chủ tịch UBND phường …)").
    """
    titles: list[_Title] = []
    address: list[tuple[int, int]] = []
    paren = _PAREN_AFTER.match(text, pos)
    if paren:
        a, b = paren.span("inner")
        if c.admin.match(paren.group("inner")):
            address.append((a, b))
        else:
            inner, _ = _posts(c, text, a, b, _protected_spans(c, text, a, b), ",")
            titles.extend(inner)
        pos = paren.end()
    protected = _protected_spans(c, text, pos, line_end)
    sep_a, sep_b, kind = _next_separator(c, text, pos, line_end, protected)
    if (sep_a != pos and text[pos:sep_a].strip()) or kind not in (",", "-", "–"):
        return titles, _address(text, address)
    after, found = _posts(c, text, sep_b, line_end, protected, kind, address)
    return titles + after, _address(text, found)


def _posts(
    c: _Compiled,
    text: str,
    pos: int,
    line_end: int,
    protected: list[tuple[int, int]],
    kind_before: str,
    address: list[tuple[int, int]] | None = None,
) -> tuple[list[_Title], list[tuple[int, int]]]:
    """The posts (and address spans) of the segments from `pos`, which follows a separator
    of kind `kind_before`, up to the first segment that is neither."""
    titles: list[_Title] = []
    address = list(address or [])
    while pos < line_end:
        while pos < line_end and text[pos] == " ":
            pos += 1
        sep_a, sep_b, kind = _next_separator(c, text, pos, line_end, protected)
        while text[sep_a : sep_a + 1] == "\n" and c.org_end.search(text, pos, sep_a):
            # "Ủy viên Bộ\nChính trị": a post does not end on "Bộ", the line was broken
            sep_a, sep_b, kind = _next_separator(c, text, sep_b, line_end, protected)
        if c.detail.match(text, pos, sep_a) and not address:
            stop = sep_a  # "sinh năm 1997": skipped, the post may follow
        else:
            stop = _cut_at_stop(c, text, pos, sep_a, protected)
        a, b = _trim(text, pos, stop)
        segment = text[a:b]
        if not segment:
            break
        if c.detail.match(segment) and not address:
            pass
        elif c.title_start.match(segment) and not address:
            if _holds_name(c, text, a, b):
                break  # "…, Chủ tịch HĐND tỉnh Lê Quốc Chỉnh": the post of the next person
            cut = _cut_after_unit(c, text, a, b)
            titles.append(_Title(text[a:cut], a, cut))
            if cut < b:
                break
        elif titles and kind_before == "," and not address and _continues(c, segment):
            # "Chỉ huy trưởng, Ban CHQS huyện", "… khóa VII, nhiệm kỳ 2016-2021", "Phòng
            # Doanh nghiệp, Kinh tế tập thể và Tư nhân": one post with a comma inside
            last = titles[-1]
            titles[-1] = _Title(text[last.start : b], last.start, b)
        elif c.admin.match(segment):
            place = c.address.match(text, a, b)  # "xã Cộng Hòa phấn khởi …" ends at Hòa
            address.append((a, place.end() if place else b))
            if place and place.end() < b:
                break
            if kind == "(":
                close = text.find(")", sep_b, line_end)
                if close > 0:
                    address[-1] = (a, close + 1)
                    sep_a, sep_b, kind = _next_separator(c, text, close + 1, line_end, protected)
                    if sep_a != close + 1:
                        break
        else:
            break
        if stop < sep_a or kind not in (",", "-", "–"):
            break
        kind_before = kind
        pos = sep_b
    return titles, address


def _continues(c: _Compiled, segment: str) -> bool:
    """Whether a segment after a comma goes on with the post before it."""
    if c.org_head.match(segment) or c.term.match(segment):
        return True
    joined = regex.search(r" và (?=\p{Lu})", segment)  # an enumeration inside a name
    return bool(
        joined
        and segment[:1].isupper()
        and not c.title_start.match(segment)
        and not c.admin.match(segment)
        and not c.name.match(segment)
    )


def _address(text: str, spans: list[tuple[int, int]]) -> str | None:
    if not spans:
        return None
    return " ".join(text[spans[0][0] : spans[-1][1]].split())


def _title_before(c: _Compiled, text: str, line_start: int, name_start: int) -> _Title | None:
    """A post that runs up to the name: "Bí thư Tỉnh ủy Phạm Gia Túc"."""
    end = name_start
    window_start = line_start
    protected = _protected_spans(c, text, line_start, end)
    for m in _SEPARATOR.finditer(text, line_start, end):
        if m.end() >= end - 1 and m.group().strip() in ("-", "–"):
            end = m.start()  # "Chủ tịch UBND tỉnh Yên Bái - Đỗ Đức Duy"
            break
        if not any(a <= m.start() < b for a, b in protected):
            window_start = m.end()
    for m in c.stop.finditer(text, window_start, end):
        if not any(a <= m.start() < b for a, b in protected):
            window_start = m.end()
    first = c.title_start.search(text, window_start, end)
    if first is None:
        return None
    a, b = _trim(text, first.start(), end)
    if a >= b or _cut_after_unit(c, text, a, b) < b:
        return None
    return _Title(text[a:b], a, b)


# A post after one of these words is someone else's: "theo quyết định của Bộ trưởng …".
_OWNED = regex.compile(r"(?<![\p{L}\p{M}])(?:của|theo|với|cho|về|từ|tại|trước|sau) $")


def _posts_before(c: _Compiled, text: str, line_start: int, last: _Title) -> list[_Title]:
    """The posts before a name, split at commas as after one: "Ủy viên Trung ương Đảng,
    Phó Bí thư Thành ủy, Chủ tịch UBND TPHCM Nguyễn Văn Được" gives three."""
    posts = [last]
    while True:
        comma = posts[0].start - 2
        if comma <= line_start or text[comma : posts[0].start] != ", ":
            return posts
        post = _title_before(c, text, line_start, comma)
        if post is None or post.end != comma or _holds_name(c, text, post.start, post.end):
            return posts  # "Bí thư Tỉnh ủy Phạm Gia Túc, Chủ tịch …": another official's
        if _OWNED.search(text, max(line_start, post.start - 8), post.start):
            return posts  # "quyết định của Bộ trưởng Bộ Công an, thiếu tướng A": not A's
        posts.insert(0, post)


def _names_unit(keyword: str, m: regex.Match[str], patterns: Patterns) -> bool:
    """Whether the name after a unit word is the unit's: a village's always (no gazetteer
    lists them), any other's when a gazetteer knows it at that level ("Tỉnh ủy Lê Hồn" and
    "Tỉnh ủy Thái Bảo", a commune's name, are people)."""
    word = keyword.strip()
    level = patterns.lookup("ADMIN_KEYWORD", word) or patterns.lookup("PARTY_COMMITTEE", word)
    if level == "village":
        return True
    words = m.group("name").split()
    if gazetteer.known_at(" ".join(words), str(level), prefix=False):
        return True
    # "xã Long Điền Cù Minh Trọng": the unit's name, then a person's (from a family name
    # on); "xã Phan Thành Lý", "thành phố Lê Trường Lưu": a person's name, although a
    # commune "Phan" and a district "Lê Chân" exist.
    return any(
        patterns.has("SURNAME", words[n])
        and gazetteer.known_at(" ".join(words[:n]), str(level), prefix=False)
        for n in range(1, len(words))
    )


def _honorific(raw: str | None) -> str | None:
    """As written, with a capital: "đồng chí" and "ĐỒNG CHÍ" give "Đồng chí", "Đ/c" stays."""
    if not raw:
        return None
    if raw.isupper() and len(raw) > 3 and "." not in raw:
        raw = raw.lower()
    return raw[:1].upper() + raw[1:] if raw[:1].islower() else raw


def _mention(m: regex.Match[str], text: str, patterns: Patterns) -> _Mention | None:
    c = _compiled(patterns)
    hon = m.group("hon") if "hon" in m.re.groupindex else None
    rank = m.group("rank") if "rank" in m.re.groupindex else None
    start = m.start()
    if c.block.search(text, max(0, start - 40), start):
        return None
    syllables = len(m.group("name").split())
    if not hon and syllables < 3 and _CAPITALISED_BEFORE.search(text, max(0, start - 40), start):
        return None  # "Hưng Hà Nửa nhiệm kỳ": inside a run of capitalised words
    unit = c.unit_before.search(text, max(0, start - 20), start)
    if unit and len(m.group("name").split()) < 3 and _names_unit(unit.group(), m, patterns):
        return None  # "thị trấn Ma Lâm"; "tỉnh Lê Quốc Chỉnh" is a person (three syllables)
    name_start, name_end = m.span("name")
    words = list(regex.finditer(r"\S+", m.group("name")))
    if not hon:
        if patterns.has("ORG_HEAD", words[0].group()) and len(words) < 3:
            return None  # "Bí thư Đoàn Thanh niên": an organisation, not Mr Đoàn Thanh
        known = gazetteer.load()
        # "Tỉnh ủy Hà Giang Đặng Quốc Khánh", "thị xã Vĩnh Châu Lý Thanh Hùng": a place name
        # (with the capitalised words before the match) runs into the person's name.
        before = _CAPITALISED_RUN.search(text, max(0, m.start() - 40), m.start())
        lead = before.group().split() if before else []
        for i in range(1, len(words) - 2):
            head = lead + [w.group() for w in words[:i]]
            tails = (" ".join(head[-k:]) for k in range(1, len(head) + 1))
            if patterns.has("SURNAME", words[i].group()) and any(map(known.is_unit, tails)):
                name_start += words[i].start()
                break
    raw = " ".join(text[name_start:name_end].split())
    reach = max(0, name_start - _REACH)
    newline = text.rfind("\n", reach, name_start)
    line_start = newline + 1 if newline >= 0 else reach
    line_end = min(len(text), name_end + _REACH)  # "\n" separates; a broken post may go on
    mention = _Mention(restore_case(raw), _honorific(hon), name_start, name_end)
    if hon and " " not in raw:
        mention.short = True
        return mention
    if rank:
        mention.titles.append(_Title(rank, m.start("rank"), m.end("rank")))
    elif not hon:
        before = _title_before(c, text, line_start, name_start)
        bare_role = before is not None and c.title_start.fullmatch(before.text) is not None
        # "Bí thư Tỉnh ủy Thái Bình" is a place, "Bí thư Tỉnh ủy Thái Bảo" (a commune's
        # name, no province's) a person; "Chủ tịch Hồ Chí Minh" is not a place.
        place = (
            unit is not None
            and name_start == m.start("name")
            and _names_unit(unit.group(), m, patterns)
        )
        if (place or (unit is None and gazetteer.load().is_unit(raw))) and not bare_role:
            return None
        if before:
            mention.titles.extend(_posts_before(c, text, line_start, before))
    after, address = _titles_after(c, text, name_end, line_end)
    mention.titles.extend(after)
    # "2 Phó Chủ tịch gồm các đồng chí: A, B" gives each its post (a rank is no post).
    if all(patterns.has("RANK", t.text) for t in mention.titles):
        head = c.list_head.search(text, max(line_start, name_start - 300), name_start)
        if head:
            mention.titles.insert(0, _Title(head.group("title"), *head.span("title")))
    mention.address = address
    return mention


def post_end(text: str, pos: int, patterns: Patterns) -> int | None:
    """End of a post's role that starts at `pos` ("2 Phó Chủ tịch": "Phó Chủ tịch"), if any."""
    m = _compiled(patterns).title_start.match(text, pos)
    return int(m.end()) if m else None


def post_span(text: str, pos: int, patterns: Patterns) -> tuple[int, int] | None:
    """The whole post that starts at `pos`, cut as a title is ("giữ chức Phó Giám đốc Sở Y
    tế kể từ …": "Phó Giám đốc Sở Y tế"); None where no post starts there."""
    c = _compiled(patterns)
    if not c.title_start.match(text, pos):
        return None
    hi = min(len(text), pos + _REACH)
    protected = _protected_spans(c, text, pos, hi)
    sep_a, _, _ = _next_separator(c, text, pos, hi, protected)
    stop = _cut_at_stop(c, text, pos, sep_a, protected)
    a, b = _trim(text, pos, _cut_after_unit(c, text, pos, stop))
    return (a, b) if b > a else None


def title_parts(title: str, patterns: Patterns) -> Fields:
    """Role and organisation of one post, abbreviations expanded in the organisation."""
    c = _compiled(patterns)
    m = c.title_start.match(title)
    if not m:
        return {"role": title, "organization": None}
    role = title[: m.end()]
    rest = title[m.end() :].strip(" ,")
    unit = role.rsplit(" ", 1)[-1]
    if rest and patterns.has("ROLE_UNIT_WORD", unit):  # "Trưởng ban Tổ chức": "Ban Tổ chức"
        rest = f"{unit.capitalize()} {rest}"
    organization = None
    if rest:
        organization = c.abbreviation.sub(
            lambda a: str(patterns.lookup("ORG_ABBREVIATION", a.group())), rest
        )
    return {"role": role, "organization": organization}


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def _restates(new: str, old: str) -> bool:
    """Whether a later post is the same post written shorter or longer ("Bí thư Thành ủy"
    after "Bí thư Thành ủy Tây Ninh"): one starts the other at a word boundary."""
    short, long = sorted((new, old), key=len)
    return long.startswith(short) and long[len(short)] == " "


def people(matches: list[regex.Match[str]], text: str, patterns: Patterns) -> list[Fields]:
    """Officials and persons of one article, merged by name, in order of first mention.

    Each result holds the model fields plus `spans` (name mentions, first one first).
    """
    mentions = [x for x in (_mention(m, text, patterns) for m in matches) if x is not None]
    inside = Taken((t.start, t.end) for x in mentions for t in x.titles)
    mentions = [x for x in mentions if not inside.overlaps(x.start, x.start + 1)]
    merged: dict[str, Fields] = {}
    for mention in mentions:
        if mention.short:
            continue
        key = _norm(mention.name)
        entry = merged.get(key)
        if entry is None:
            if not mention.titles and not mention.honorific:
                continue  # a family-name pattern with no post: not enough to be a person
            entry = {
                "name": mention.name,
                "honorific": mention.honorific,
                "titles": [],
                "address": mention.address,
                "spans": [],
            }
            merged[key] = entry
        spans = entry["spans"]
        titles = entry["titles"]
        assert isinstance(spans, list) and isinstance(titles, list)
        spans.append((mention.start, mention.end))
        seen = {_norm(t) for t in titles}
        for title in mention.titles:
            new = _norm(title.text)
            if new not in seen and not any(_restates(new, old) for old in seen):
                titles.append(" ".join(title.text.split()))
                seen.add(new)
        if entry["honorific"] is None and not entry["titles"]:
            entry["honorific"] = mention.honorific
        if entry["address"] is None:
            entry["address"] = mention.address
    for mention in mentions:
        if not mention.short:
            continue
        given = mention.name.casefold()
        owners = [e for e in merged.values() if str(e["name"]).split()[-1].casefold() == given]
        if len(owners) == 1:
            spans = owners[0]["spans"]
            assert isinstance(spans, list)
            spans.append((mention.start, mention.end))
    _attach_title_references(text, patterns, list(merged.values()))
    return list(merged.values())


def _attach_title_references(text: str, patterns: Patterns, entries: list[Fields]) -> None:
    """ "đồng chí Trưởng ban Tổ chức Tỉnh ủy": a mention of the one official with that post."""
    c = _compiled(patterns)
    owners: dict[str, list[Fields]] = {}
    for entry in entries:
        for title in entry["titles"] if isinstance(entry["titles"], list) else []:
            owners.setdefault(_norm(str(title)), []).append(entry)
    if not owners:
        return
    for m in c.title_reference.finditer(text):
        hi = min(len(text), m.end() + _REACH)
        protected = _protected_spans(c, text, m.start("title"), hi)
        sep_a, _, _ = _next_separator(c, text, m.start("title"), hi, protected)
        stop = _cut_at_stop(c, text, m.start("title"), sep_a, protected)
        a, b = _trim(text, m.start("title"), _cut_after_unit(c, text, m.start("title"), stop))
        found = owners.get(_norm(text[a:b]), [])
        if len(found) == 1:
            spans = found[0]["spans"]
            assert isinstance(spans, list)
            spans.append((m.start(), b))
