"""Organisations (docs/FACT-TYPES.md): a type word found by the lexicons of
patterns/organization.yaml, extended over what identifies the body.

The name runs on over nested committees ("Ban Tổ chức Tỉnh ủy"), "Việt Nam", the names of
departments ("Sở Lao động, Thương binh và Xã hội"), capitalised words and the unit it
belongs to ("… huyện Phú Lương"), which ends it. Where Vietnamese writes only the first
syllable of a word in capitals ("Sở Y tế", "Hội Cựu chiến binh") the word's other syllables
are known from underthesea's Viet74K dictionary, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import regex

from ..match import Taken
from ..normalise import fold
from ..patterns import Patterns, _lexicon_regex
from . import gazetteer

_WORD_END = r"(?![\p{L}\p{M}\p{N}])"
_LOWER_SYLLABLE = regex.compile(r" (\p{Ll}[\p{L}\p{M}]*)" + _WORD_END)
_JOINED = regex.compile(r" (?:và|-|–|&) (?=\p{Lu})")
_GLUED_ABBREVIATION = regex.compile(r"(?<![\p{L}\p{M}])(TP|Tp|TT|TX|Tx|H|P|Q)\.(?=\p{Lu})")
_SYLLABLE = regex.compile(r"[\p{L}\p{M}]+")
_ANY_SYLLABLE = regex.compile(r" ([\p{L}\p{M}]+)" + _WORD_END)
_CAP = regex.compile(r"\p{Lu}[\p{L}\p{M}]*(?:-\p{Lu}[\p{L}\p{M}]*)*(?:&\p{Lu}+)?" + _WORD_END)
_ALL_CAPS = regex.compile(r"\p{Lu}[\p{Lu}\p{M}&-]+" + _WORD_END)


@cache
def _dictionary() -> frozenset[str]:
    """Multi-syllable words of underthesea's Viet74K word list, lower case."""
    spec = find_spec("underthesea")  # the package's data, without importing the package
    assert spec is not None and spec.origin is not None
    path = Path(spec.origin).parent / "corpus" / "data" / "Viet74K.txt"
    # in the tone convention of the normalised text ("uỷ viên" is "ủy viên")
    words = path.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(w) for w in words if " " in w.strip())


@dataclass(frozen=True)
class _Compiled:
    head: regex.Pattern[str]
    nested: regex.Pattern[str]
    unit: regex.Pattern[str]
    place: regex.Pattern[str]
    with_comma: regex.Pattern[str]
    not_name: regex.Pattern[str]
    lower_word: regex.Pattern[str]
    role_before: regex.Pattern[str]
    keyword_before: regex.Pattern[str]
    run_end: regex.Pattern[str]
    kinds: dict[str, str]
    self_named: frozenset[str]
    unit_heads: frozenset[str]
    abbreviations: dict[str, str]
    alone: frozenset[str]
    term: regex.Pattern[str]
    not_head: regex.Pattern[str]
    name_tail: regex.Pattern[str]


_CACHE: dict[int, _Compiled] = {}


def _compiled(patterns: Patterns) -> _Compiled:
    found = _CACHE.get(id(patterns))
    if found is not None:
        return found
    lex = patterns.lexicons
    kinds: dict[str, str] = {}
    for name in ("ORG_NAMED_HEAD", "ORG_UNIT_HEAD", "ORG_SELF_NAMED"):
        kinds.update({k: str(v) for k, v in lex[name].items()})
    heads = _lexicon_regex(kinds, ignore_case=False)
    nested_heads = _lexicon_regex({**lex["ORG_UNIT_HEAD"], **lex["ORG_SELF_NAMED"]}, False)
    abbreviations = {
        k: str(v)
        for name in ("ORG_ABBREVIATION", "ORG_EXTRA_ABBREVIATION", "ADMIN_ABBREVIATION")
        for k, v in lex[name].items()
    }
    abbreviations["TP"] = abbreviations["Tp"] = "thành phố"
    compiled = _Compiled(
        head=regex.compile(r"(?<![\p{L}\p{M}\p{N}])(?:" + heads + ")" + _WORD_END),
        nested=regex.compile(r" (?:" + nested_heads + ")" + _WORD_END),
        unit=regex.compile(
            # the dotted abbreviations first: "HĐND TP.Đà Nẵng" is not the keyword "TP"
            r" (?P<kw>(?:TP|Tp|H|TT|P|Q|TX|Tx)\.(?= ?\p{Lu})|(?i:"
            + _lexicon_regex(lex["ADMIN_KEYWORD"], ignore_case=False)
            + r")"
            + _WORD_END
            + r"|TP(?= \p{Lu}|HCM)|Tp(?= \p{Lu}))"
        ),
        place=regex.compile(r" ?(?P<name>" + patterns.pieces["PLACE_NAME"] + ")"),
        with_comma=regex.compile(
            r" (?:" + _lexicon_regex(lex["ORG_WITH_COMMA"], ignore_case=False) + ")" + _WORD_END
        ),
        not_name=regex.compile(r"(?:" + patterns.pieces["TITLE_START"] + ")"),
        # a lower-case word inside a name: not a verb or function word that ends it
        lower_word=regex.compile(
            r" (?P<w>và|(?!(?:"
            + "|".join(
                patterns.pieces[n] for n in ("TITLE_STOP", "ORG_STOP", "TERM_WORD", "HONORIFIC")
            )
            + r")"
            + _WORD_END
            + r")\p{Ll}[\p{L}\p{M}]*)"
            + _WORD_END
        ),
        role_before=regex.compile(r"(?:" + patterns.pieces["TITLE_START"] + r") $"),
        keyword_before=regex.compile(
            r"(?<![\p{L}\p{M}])(?:" + patterns.pieces["ADMIN_KEYWORD"] + r") $"
        ),
        # what may end a run of lower-case words inside a name: its unit, "Việt Nam", …
        run_end=regex.compile(
            r" (?:(?:tỉnh|huyện|xã|phường|thị trấn|thị xã|quận|thành phố|TP)(?![\p{L}\p{M}])"
            r"|Việt Nam|quốc gia|Trung ương|trung ương|\p{Lu}|[-–] (?=\p{Lu}))"
        ),
        kinds=kinds,
        self_named=frozenset(lex["ORG_SELF_NAMED"]),
        unit_heads=frozenset(lex["ORG_UNIT_HEAD"]),
        abbreviations=abbreviations,
        # unit words that name a unit alone ("UBND huyện"); a village's needs its name
        alone=frozenset(k.casefold() for k, v in lex["ADMIN_KEYWORD"].items() if v != "village"),
        term=regex.compile(r" (?:" + patterns.pieces["TERM_WORD"] + r"|LẦN|KỲ)" + _WORD_END),
        not_head=regex.compile(r"(?:" + patterns.pieces["ORG_NOT_HEAD"] + r")" + _WORD_END),
        name_tail=regex.compile(r" (?:" + patterns.pieces["ORG_NAME_TAIL"] + r")" + _WORD_END),
    )
    _CACHE[id(patterns)] = compiled
    return compiled


def _word(text: str, pos: int, c: _Compiled, after_name: bool = False) -> int | None:
    """End of the capitalised word at `pos` with its lower-case syllables ("Y tế", "Cựu
    chiến binh"), or of an abbreviation ("TNHH", "PT-TH"); None where no name word starts.
    After another capitalised word of a name ("Quỳnh Phụ từ") a syllable stands alone."""
    if c.not_name.match(text, pos) or c.term.match(text, pos - 1):
        return None
    caps = _ALL_CAPS.match(text, pos)
    if caps:
        return int(caps.end())
    first = _CAP.match(text, pos)
    if first is None:
        return None
    end = int(first.end())
    if after_name:
        return end
    words, ends = [first.group()], [end]
    at = end
    for _ in range(3):
        nxt = _ANY_SYLLABLE.match(text, at, at + 20)
        if nxt is None:
            break
        at = nxt.end()
        words.append(nxt.group(1))
        ends.append(at)
    dictionary = _dictionary()
    for size in range(len(words), 1, -1):
        if fold(" ".join(words[:size])) in dictionary:
            return ends[size - 1]
    return end


@dataclass
class Org:
    start: int
    end: int
    head: str
    kind: str
    unit: str | None
    keyword: str | None


def find(text: str, patterns: Patterns, people: Taken) -> list[Org]:
    """Organisations named in `text`, longest first; none runs into a person's name."""
    c = _compiled(patterns)
    found: list[Org] = []
    pos = 0
    while True:
        m = c.head.search(text, pos)
        if m is None:
            return found
        head = not _not_a_head(text, m, c, people)
        org = _extend(text, m, c, people) if head else None
        alone = m.group() in c.unit_heads and c.kinds[m.group()] in ("council", "state")
        if org is None and head and alone and _in_list(text, m):
            # "lãnh đạo Tỉnh ủy, HĐND, UBND tỉnh": one of the province's bodies, as written
            org = Org(m.start(), m.end(), m.group(), c.kinds[m.group()], None, None)
        if org is not None:
            parent = _PARENT.match(text, org.end)
            sub = org.head not in c.unit_heads and org.head not in c.self_named
            if sub and org.unit is None and org.keyword is None and parent:
                # "Phòng CSGT, Công an tỉnh Hòa Bình": a section and the body it belongs to
                above = c.head.match(text, parent.end())
                if above and above.group() in c.unit_heads:
                    outer = _extend(text, above, c, people)
                    if outer is not None and outer.unit:
                        org = Org(
                            org.start, outer.end, org.head, org.kind, outer.unit, outer.keyword
                        )
            found.append(org)
            pos = org.end
        elif m.group().startswith("Thường trực "):
            pos = m.start() + len("Thường trực ")  # "… Thường trực Tỉnh ủy": the Tỉnh ủy
        else:
            pos = m.end()


def _not_a_head(text: str, m: regex.Match[str], c: _Compiled, people: Taken) -> bool:
    """A type word that starts no organisation here: part of a person's name ("Đoàn Minh
    Yến Hà") or of a place's ("xã Trường Thủy", "Trường Sơn"), or the standing body of a
    post ("Phó Bí thư Thường trực Tỉnh ủy" names the Tỉnh ủy)."""
    if people.overlaps(m.start(), m.end()) or c.not_head.match(text, m.start()):
        return True
    # "Hội trường", "Báo cáo", "Bộ trưởng", "Lữ đoàn trưởng": the head word begins a word
    nxt = _LOWER_SYLLABLE.match(text, m.end(), m.end() + 20)
    if (
        nxt
        and (" " not in m.group() or nxt.group(1) in ("trưởng", "viên"))  # not "Chính phủ quyết"
        and fold(f"{m.group().split()[-1]} {nxt.group(1)}") in _dictionary()
    ):
        return True
    # "thị trường Mỹ", "môi trường": … or ends one
    prev = _PREVIOUS_SYLLABLE.search(text, max(0, m.start() - 12), m.start())
    if (
        prev
        and m.group()[:6].casefold() == "trường"  # "giám đốc Công an": titles end in words too
        and fold(f"{prev.group(1)} {m.group().split()[0]}") in _dictionary()
    ):
        return True
    before = text[max(0, m.start() - 30) : m.start()]
    if c.keyword_before.search(before) or _PLURAL.search(before):
        return True  # "xã Trường Sơn"; "các Ban HĐND tỉnh" names no one body
    if m.group() == "Bộ" and _REGION.search(before):
        return True  # "Bắc Trung Bộ và Duyên hải miền Trung": a region
    again = c.head.match(text, m.end() + 1)
    if again and text[m.end() : m.end() + 1] == " " and again.group().split()[0] == m.group():
        return True  # "Phó Trưởng Ban Ban Chỉ đạo …": the first "Ban" ends the post
    if m.group().startswith("Thường trực") and c.role_before.search(before):
        return True  # "Phó Bí thư Thường trực Tỉnh ủy": the post's modifier
    if m.group() not in c.self_named and m.group() not in c.unit_heads:
        place = c.place.match(text, m.start())
        if place and gazetteer.load().is_unit(place.group("name")):
            return True
    return False


def _extend(text: str, m: regex.Match[str], c: _Compiled, people: Taken) -> Org | None:
    head = m.group()
    end = m.end()
    named = head in c.self_named
    unit: str | None = None
    keyword: str | None = None
    # Right after a committee's type word a capitalised run is the unit it belongs to
    # ("Huyện ủy Phú Lương", "Ban Thường vụ Tỉnh ủy Thái Bình", "Công an Thái Bình").
    unit_at: int | None = end if head in c.unit_heads or head in c.self_named else None
    after_name = False  # the last piece was a capitalised word of the name
    after_run = False  # … or lower-case words inside it ("Phân bón – Dầu khí")
    while True:
        if people.overlaps(end, end + 2):
            break
        nested = c.nested.match(text, end)
        if (
            nested
            and unit is not None
            and unit_at is not None
            and end == unit_at + len(unit) + 1
            and gazetteer.load().is_unit(unit)
        ):
            break  # "… Tỉnh ủy Nghệ An Đảng bộ tỉnh …": a unit's name ends the body
        if nested:
            end, named, unit_at, after_name = nested.end(), True, nested.end(), False
            continue
        tail = c.name_tail.match(text, end)
        if tail:
            end, named, unit_at, after_name = tail.end(), True, None, False
            continue
        number = _NUMBER.match(text, end)
        if number and not named and not head.isupper():  # "Lữ đoàn 146"; not "THPT 50"
            end, named = number.end(), True
            break
        kw = c.unit.match(text, end)
        if kw and _starts_word(text, kw.start() + 1, kw.end()):
            kw = None  # "Trung tâm Công tác xã hội": "xã hội" is a word, not a commune
        if kw:
            place = c.place.match(text, kw.end())
            if place and people.overlaps(place.start("name"), place.end("name")):
                place = None
            dotted = kw.group("kw").endswith(".") and text[kw.end() : kw.end() + 1] == " "
            if place and dotted and not gazetteer.load().is_unit(place.group("name")):
                place = None  # "… Quỹ Vì người nghèo TP. Các đơn vị …": the dot ends a sentence
            word = kw.group("kw").rstrip(".")
            if place is None and word[:1].isupper() and word.casefold() not in c.alone:
                kw = None  # "Ban Quản lý Khu kinh tế mở Chu Lai": a word of the name
            elif place is None and (word.casefold() not in c.alone or word in ("TP", "Tp")):
                break  # "… Thành ủy Đà Nẵng tổ chức", "… Quỹ Vì người nghèo TP. Các …"
        if kw:
            keyword, end, named = kw.group("kw"), kw.end(), True
            if place:
                unit, end = _place(place.group("name"), c), place.start("name")
                unit = _sentence_cut(text, end, unit)
                end += len(unit)
            break
        aside = _ABBREVIATION_ASIDE.match(text, end)
        if aside and c.unit.match(text, aside.end()):  # "Đoàn đại biểu Quốc hội (ĐBQH) TP …"
            end = aside.end()
            continue
        quoted = _QUOTED.match(text, end)
        if quoted:  # Quỹ “Vì người nghèo” huyện Mỹ Lộc
            end, named, unit_at, after_name = quoted.end(), True, None, False
            continue
        comma = c.with_comma.match(text, end)
        if comma:
            end, named, unit_at, after_name = comma.end(), True, None, False
            continue
        if unit_at is None or (head not in c.self_named and not after_name):
            run = _lower_run(text, end, c)
            if run > end:
                end, named, unit_at, after_name = run, True, None, False
                after_run = True
                continue
            if after_name and unit_at is None:
                tail_end = _lower_tail(text, m.start(), end, c)
                if tail_end > end:  # "Cục Hạ tầng và Thiết bị y tế, …"
                    end = tail_end
                    break
        joined = _JOINED.match(text, end, end + 6)
        dash = joined is not None and joined.group() != " và "
        if joined and not after_name and not (after_run and dash):
            break  # "Tỉnh ủy và Thường trực …": two bodies
        at = joined.end() if joined else end + 1
        if text[end : end + 1] != " " and not joined:
            break
        if joined and (c.head.match(text, at) or c.not_name.match(text, at)):
            break
        word_end = _word(text, at, c, after_name and not joined)
        if word_end is None or people.overlaps(at, word_end):
            break
        if (
            unit_at is not None
            and unit_at < end
            and c.head.match(text, at)
            and gazetteer.load().is_unit(text[unit_at:end].strip())
        ):
            break  # "… trực thuộc Tỉnh ủy Nghệ An Đảng bộ tỉnh …": a joined heading
        if unit_at is not None and not joined and _LOWER_SYLLABLE.search(text, at, word_end):
            unit_at = None  # "Ban Chỉ huy Phòng thủ dân sự": a unit's name has no lower case
        if unit_at is not None and not joined:
            unit = text[unit_at:word_end].strip()
            # "Huyện ủy Hưng Hà Nửa nhiệm kỳ" (a heading joined to the line): the unit is the
            # longest run of its first words that a gazetteer knows, where one does
            known = _known_prefix(unit)
            if known is None and unit.isupper():
                break
            if known is not None and known != unit:
                unit, end = known, unit_at + text[unit_at:word_end].index(known) + len(known)
                break
        else:
            unit_at = None
        end, named, after_name, after_run = word_end, True, True, False
    if not named:
        return None
    if unit is None and after_name and keyword is None:
        place = _LAST_RUN.search(text, m.end(), end)
        if place and gazetteer.load().is_unit(place.group()):
            unit = place.group()  # "Sở GD&ĐT Kon Tum", "Báo Thái Bình"
    return Org(m.start(), end, head, c.kinds[head], unit, keyword)


_LIST_BEFORE = regex.compile(r"(?:,|;| và) $")
_LIST_AFTER = regex.compile(r"(?:,|;| và )")


def _in_list(text: str, m: regex.Match[str]) -> bool:
    """Whether the type word stands alone as an item of a list of bodies."""
    before = text[max(0, m.start() - 4) : m.start()]
    return bool(_LIST_BEFORE.search(before) and _LIST_AFTER.match(text, m.end()))


_REGION = regex.compile(r"(?<![\p{L}\p{M}])(?:Bắc|Trung|Nam|Tây|Đông) $")
_PREVIOUS_SYLLABLE = regex.compile(r"(?<![\p{L}\p{M}])([\p{L}\p{M}]+) $")
_PLURAL = regex.compile(r"(?<![\p{L}\p{M}])(?i:các|những|mọi) $")
_ABBREVIATION_ASIDE = regex.compile(r" \(\p{Lu}[\p{Lu}&.-]{1,12}\)")
_QUOTED = regex.compile(r" ?[“\"](?=\p{Lu})[^”\"\n]{2,40}[”\"]")
_PARENT = regex.compile(r", | - |-(?=\p{Lu})")
_NUMBER = regex.compile(
    r" (?:số )?\p{Nd}{1,4}[A-Z]?(?![\p{N}/.,:-]\p{Nd})(?![\p{L}\p{M}])"
    r"(?! (?:xã|phường|thị trấn|huyện|tỉnh|thôn|đơn vị|chi bộ)(?![\p{L}\p{M}]))"
)  # "Đảng bộ 5 phường": a count of bodies, not a number in a name
_LAST_RUN = regex.compile(r"(?<= )(?:\p{Lu}[\p{Ll}\p{M}]*)(?: \p{Lu}[\p{Ll}\p{M}]*){0,3}$")


def _starts_word(text: str, start: int, end: int) -> bool:
    """Whether the word at [start, end) and the one or two syllables after it make one
    dictionary word ("xã hội", "khu kinh tế")."""
    words = [text[start:end]]
    at = end
    for _ in range(2):
        nxt = _LOWER_SYLLABLE.match(text, at, at + 20)
        if nxt is None:
            break
        words.append(nxt.group(1))
        at = nxt.end()
        if fold(" ".join(words)) in _dictionary():
            return True
    return False


def _sentence_cut(text: str, start: int, name: str) -> str:
    """A unit's name without a capitalised word that begins the next sentence of a joined
    line ("UBND tỉnh Quảng Ngãi Đại hội …"): the word makes a dictionary word with the
    lower-case syllable after it, and the gazetteer knows the name without it."""
    words = name.split(" ")
    if len(words) < 2 or name.isupper():
        return name
    last = start + len(name) - len(words[-1])
    if _starts_word(text, last, start + len(name)) and gazetteer.load().is_unit(
        " ".join(words[:-1])
    ):
        return " ".join(words[:-1])
    return name


def _known_prefix(name: str) -> str | None:
    """The longest run of the first words of an ALL-CAPS name that a gazetteer knows."""
    words = name.split()
    for n in range(len(words), 0, -1):
        if gazetteer.load().is_unit(" ".join(words[:n]).title()):
            return " ".join(words[:n])
    return None


def _place(name: str, c: _Compiled) -> str:
    """A unit's name up to a term word ("ĐƠN DƯƠNG KHÓA XI" is "ĐƠN DƯƠNG")."""
    cut = c.term.search(" " + name)
    return name[: cut.start() - 1] if cut and cut.start() > 0 else name


def _lower_run(text: str, pos: int, c: _Compiled) -> int:
    """End of the lower-case words that go on inside a name up to its unit or a capitalised
    word ("Ban Chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn tỉnh …", "Ngân hàng Chính
    sách xã hội huyện …"); `pos` where they do not."""
    at = pos
    last = ""
    for _ in range(10):
        end = c.run_end.match(text, at)
        if end and text[end.end() - 1].islower() and _starts_word(text, at + 1, end.end()):
            end = None
        if end and at > pos:
            capital = text[end.end() - 1].isupper()
            above = c.head.match(text, end.end() - 1) if capital else None
            if above and " và " not in text[pos:at] + " " and above.group() in c.unit_heads:
                return at  # "Phòng Cảnh sát hình sự Công an tỉnh …": the body it is part of
            if above or (capital and c.not_name.match(text, end.end() - 1)):
                return pos  # "Sở Y tế và Sở Tài chính": two organisations
            if last == "về" or (last == "và" and not capital):
                return pos
            return at  # "… Công tác xã hội và Bảo trợ xã hội": the name goes on
        word = c.lower_word.match(text, at)
        if word is None:
            return pos
        at, last = word.end(), word.group("w")
    return pos


def _lower_tail(text: str, start: int, pos: int, c: _Compiled) -> int:
    """End of the lower-case nouns (up to four syllables) that finish a name after its
    capitalised word ("Trung tâm Giống nông nghiệp được …", "Cục Quản lý khám chữa bệnh
    cùng …", "Liên minh Bưu chính thế giới xếp hạng …"); `pos` where there are none. A
    verb ends them ("Sở Tài chính thẩm định hồ sơ"): underthesea's part-of-speech tagger
    reads the name with the words after it."""
    at = pos
    for _ in range(4):
        word = c.lower_word.match(text, at)
        if word is None or word.group("w") == "và":
            break
        at = word.end()
    if at == pos:
        return pos
    nouns = _nouns(" ".join(text[start:pos].split()), " ".join(text[pos:at].split()))
    if nouns == 0:
        return pos
    for _ in range(nouns):
        syllable = _LOWER_SYLLABLE.match(text, pos)
        if syllable is None:
            break
        pos = syllable.end()
    return pos


@cache
def _nouns(name: str, after: str) -> int:
    """How many of the syllables of `after` that follow `name` underthesea's tagger reads
    as nouns, from the first, whole words only."""
    from underthesea import pos_tag  # loads a model; only a name's doubtful tail needs it

    syllables = len(name.split())
    count = 0
    for word, tag in pos_tag(f"{name} {after}"):
        size = len(word.split())
        if syllables > 0:
            syllables -= size
            if syllables < 0:
                return 0  # a word that joins the name's last syllable to the tail
            continue
        if tag != "N":
            break
        count += size
    return min(count, len(after.split()))


def expand(name: str, patterns: Patterns) -> str:
    """The name with its abbreviations written out ("UBND huyện" → "Ủy ban nhân dân huyện",
    "UBND P.Chi Lăng" → "Ủy ban nhân dân phường Chi Lăng")."""
    c = _compiled(patterns)
    name = _GLUED_ABBREVIATION.sub(r"\1. ", name)
    out = []
    for token in name.split(" "):
        word = token.rstrip(".,;:")
        mark = token[len(word) :]
        if word in c.abbreviations:
            out.append(c.abbreviations[word] + mark.lstrip("."))
        else:
            out.append(token)
    return " ".join(out)


def written(text: str, org: Org, patterns: Patterns) -> str:
    """The name as written, whitespace collapsed, capitals restored after a head in an
    ALL-CAPS headline ("HĐND HUYỆN ĐƠN DƯƠNG" → "HĐND huyện Đơn Dương")."""
    c = _compiled(patterns)
    tail = " ".join(text[org.start + len(org.head) : org.end].split())
    if tail and tail.isupper() and any(ch.isalpha() for ch in tail):
        words = []
        for word in tail.split(" "):
            if word in c.abbreviations:
                words.append(word)
            elif word.casefold() in c.alone or patterns.has("ADMIN_KEYWORD", word):
                words.append(word.lower())
            else:
                words.append(word[:1] + word[1:].lower())
        tail = " ".join(words)
    return f"{org.head} {tail}" if tail else org.head


_UNIT_WORD = regex.compile(
    r"(?<![\p{L}\p{M}])(?<!(?i:hợp tác) )(?i:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)"
    r" (?=\p{Lu})"
)


_KEYS: dict[tuple[int, str], str] = {}
_KEY_ASIDE = regex.compile(r" \(\p{Lu}[\p{L}&./ -]{0,20}\)(?= |$)")


def key(name: str, patterns: Patterns) -> str:
    """What two names of one organisation share: abbreviations written out, an abbreviation
    in parentheses and the unit word before a unit's name left out ("UBND tỉnh Kon Tum",
    "Ủy ban nhân dân Kon Tum"), then folded (NFC, one tone convention, one space, case)."""
    cached = _KEYS.get((id(patterns), name))
    if cached is None:
        if len(_KEYS) > 100_000:  # names repeat across a batch; the cache stays bounded
            _KEYS.clear()
        name = _KEY_ASIDE.sub("", " ".join(name.split()))  # "(ĐBQH)" repeats the name
        cached = fold(_UNIT_WORD.sub("", expand(name, patterns)))
        _KEYS[(id(patterns), name)] = cached
    return cached


def base_of(name: str, unit: str | None) -> str:
    """The name without the unit's own name: "Ủy ban nhân dân huyện" of "… huyện Phú Lương"."""
    if unit and name.endswith(" " + unit):
        return name[: -len(unit) - 1]
    return name
