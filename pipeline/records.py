"""Turn one document into its records: normalise, segment, match, resolve, and map back.

Every fact's `start`/`end` is mapped from the normalised text to the original, and its
`text` is cut from the original, so `original[start:end] == text` holds by construction.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from datetime import date as Day
from datetime import timedelta
from itertools import pairwise

import regex

from . import resolve
from .errors import ErrorCode
from .layout import Layout
from .match import Candidate, Taken, item_extent, match
from .models import (
    Appointment,
    Count,
    Date,
    ErrorInfo,
    ErrorRecord,
    Fact,
    Location,
    Measure,
    Money,
    Official,
    Organization,
    OutputRecord,
    Percent,
    Person,
    Quote,
    Record,
    Term,
)
from .models import Document as CitedDocument
from .normalise import Normalised, normalise
from .patterns import Patterns
from .read import Document, DocumentError, PdfFile
from .resolve import gazetteer, organizations, speech
from .segment import Article, dateline, furniture, segment
from .tokenise import tokenise

Builder = Callable[[regex.Match[str], str, Patterns], resolve.Fields]
_NUMERIC = frozenset({"money", "count", "percent", "measure", "date", "document", "term"})
_Spanned = Money | Count | Percent | Measure | Date | CitedDocument | Term
_BUILDERS: dict[str, tuple[Builder, type[_Spanned]]] = {
    "money": (resolve.money, Money),
    "percent": (resolve.percent, Percent),
    "measure": (resolve.measure, Measure),
    "date": (resolve.date, Date),
    "document": (resolve.document, CitedDocument),
    "term": (resolve.term, Term),
}


# A count's item is at most a few words long and ends at punctuation: the tokeniser only
# needs the clause that starts at the item (tokenising whole paragraphs was half the time).
_CLAUSE_END = regex.compile(r"[.;:!?…()“”\"\n]|, (?!\p{Ll})")
_CLAUSE_MAX = 80


class _Tokens:
    """Word tokens of the clauses that need them, made on first use (tokenising is slow)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.clauses: dict[int, tuple[list[str], list[int]]] = {}

    def around(self, pos: int) -> tuple[list[str], list[int]]:
        """Tokens of the clause that starts at `pos` (words and their start offsets)."""
        if pos not in self.clauses:
            limit = min(len(self.text), pos + _CLAUSE_MAX)
            stop = _CLAUSE_END.search(self.text, pos, limit)
            end = stop.start() if stop else limit
            if not stop and end < len(self.text):  # cut at a space, not inside a word
                end = max(pos + 1, self.text.rfind(" ", pos, end))
            doc = tokenise(self.text[pos:end])
            self.clauses[pos] = ([t.text for t in doc], [pos + s for s in doc.user_data["starts"]])
        return self.clauses[pos]


def _fact(
    cand: Candidate, text: str, norm: Normalised, offset: int, patterns: Patterns, tokens: _Tokens
) -> _Spanned:
    m = cand.match
    end = m.end()
    if cand.rule.type == "count":
        words, starts = tokens.around(m.start("item"))
        end = max(end, item_extent(words, starts, m.start("item"), patterns))
        end = max(end, resolve.post_end(text, m.start("item"), patterns) or end)
        fields = resolve.count(m, text, patterns, end)
        model: type[_Spanned] = Count
    else:
        builder, model = _BUILDERS[cand.rule.type]
        fields = builder(m, text, patterns)
    start, stop = norm.to_original(offset + m.start(), offset + end)
    return model.model_validate(
        {
            "text": norm.original[start:stop],
            "start": start,
            "end": stop,
            "rule": cand.rule.id,
            **fields,
        }
    )


_LEVELS = ("village", "commune", "district", "province", "country")
_PARENS: dict[int, regex.Pattern[str]] = {}


def _parent_pattern(patterns: Patterns) -> regex.Pattern[str]:
    pattern = _PARENS.get(id(patterns))
    if pattern is None:
        pattern = regex.compile(r" ?\((?P<name>" + patterns.pieces["PLACE_NAME"] + r")\)")
        _PARENS[id(patterns)] = pattern
    return pattern


def _province_only(name: str) -> bool:
    """Whether a gazetteer knows `name` as a province and none as a district."""
    return gazetteer.known_at(name, "province") and not gazetteer.known_at(name, "district")


def _locations(
    cands: list[Candidate],
    text: str,
    norm: Normalised,
    offset: int,
    patterns: Patterns,
    people_spans: list[tuple[int, int]],
    date: str | None = None,
) -> list[Location]:
    """Location mentions merged per unit; "xã X (Y)" and "xã X, huyện Y" give X its parent."""
    found: list[tuple[resolve.Fields, int, int]] = []
    cand_at = {cand.start: cand for cand in reversed(cands)}  # the first at each offset
    named = Taken(people_spans)
    for cand in cands:
        if named.overlaps(cand.match.start("name"), cand.match.end("name")):
            continue  # "Phó Chủ tịch UBND tỉnh Lê Hồng Minh": the official's name, no unit
        fields = resolve.location(cand.match, text, patterns)
        if not fields:
            continue
        fields["rule"] = cand.rule.id
        end = fields.pop("end", cand.end)
        assert isinstance(end, int)
        joined = resolve.split_joined(fields, cand.start, end, text)
        if joined:  # "xã Mỹ Thái-Tân Dĩnh": two communes
            found.extend(joined)
            continue
        found.append((fields, cand.start, end))
        paren = _parent_pattern(patterns).match(text, end)
        level = str(fields["level"])
        opened = end + (2 if text.startswith(" (", end) else 1 if text.startswith("(", end) else 0)
        inner = cand_at.get(opened) if opened > end else None
        if inner and text[inner.end : inner.end + 1] == ")":
            # "(TPHCM)", "(TP.Tam Điệp)": a mention of its own that names the parent
            fields["parent_at"] = inner.start
        elif paren and level in _LEVELS[:3]:
            parent = resolve.restore_case(paren.group("name"))
            fields["parent"] = parent
            above = _LEVELS[_LEVELS.index(level) + 1]
            if above == "district" and _province_only(parent):
                above = "province"  # "xã Vạn An (Nghệ An)": a province (2025: no districts)
            parent_fields: resolve.Fields = {
                "name": parent,
                "level": above,
                "keyword": None,
                "rule": "location.parenthesis",
            }
            found.append((parent_fields, paren.start("name"), paren.end("name")))
    found.extend(resolve.more_places(text, found, patterns, people_spans))
    found.sort(key=lambda f: f[1])
    by_start = {start: fields for fields, start, _ in found}
    for fields, _, _ in found:
        at = fields.pop("parent_at", None)
        if isinstance(at, int) and at in by_start:
            fields["parent"] = by_start[at]["name"]
    for (fields, _, end), (nxt, start, _) in pairwise(found):
        level, upper = str(fields["level"]), str(nxt["level"])
        if (
            "parent" not in fields
            and text[end:start] in (", ", " ", " - ")
            and (_LEVELS.index(upper) > _LEVELS.index(level))
        ):
            fields["parent"] = nxt["name"]
    merged: dict[tuple[str, str], Location] = {}
    for fields, start, end in sorted(found, key=lambda f: f[1]):
        a, b = norm.to_original(offset + start, offset + end)
        # one unit however its apostrophe is typed ("D’Ran", "D'Ran"): the first form is kept
        key = (str(fields["level"]), str(fields["name"]).casefold().replace("’", "'"))
        if key in merged:
            known = merged[key]
            known.mentions.append((a, b))
            if known.parent is None and fields.get("parent"):
                known.parent = str(fields["parent"])
            continue
        merged[key] = Location.model_validate(
            {"text": norm.original[a:b], "start": a, "end": b, "mentions": [(a, b)], **fields}
        )
    _bare_mentions(text, norm, offset, list(merged.values()), found, people_spans)
    _add_codes(list(merged.values()), date)
    return list(merged.values())


def _bare_mentions(
    text: str,
    norm: Normalised,
    offset: int,
    places: list[Location],
    found: list[tuple[resolve.Fields, int, int]],
    people_spans: list[tuple[int, int]],
) -> None:
    """A unit named once with its keyword is mentioned again by its bare name ("huyện
    Quỳnh Phụ … Quỳnh Phụ đã và đang …"): those are mentions, not new facts.

    One pass over the article's capitalised words, each looked up by the names that start
    with it: no pattern is compiled per article, and the cost does not grow with the
    number of names.
    """
    taken = Taken([(a, b) for _, a, b in found] + list(people_spans))
    starting: dict[str, list[tuple[str, Location]]] = {}
    for place in places:
        if place.level in ("province", "district", "commune") and " " in place.name:
            for spelled in dict.fromkeys((place.name, place.name.upper())):
                first = _CAPITALISED_WORD.match(spelled)
                if first is not None:
                    starting.setdefault(first.group(), []).append((spelled, place))
    if not starting:
        return
    for names in starting.values():  # the longest first; the same name at two levels: the first
        names.sort(key=lambda entry: -len(entry[0]))
    end = 0
    for word in _CAPITALISED_WORD.finditer(text):
        if word.start() < end or word.group() not in starting:
            continue
        for name, place in starting[word.group()]:
            a, b = word.start(), word.start() + len(name)
            if text.startswith(name, a) and _BARE_END.match(text, b):
                if not taken.overlaps(a, b):
                    place.mentions.append(norm.to_original(offset + a, offset + b))
                end = b
                break
    for place in places:
        place.mentions.sort()


_CAPITALISED_WORD = regex.compile(r"(?<![\p{L}\p{M}])\p{Lu}[\p{L}\p{M}]*")
# A bare name ends its word and is not followed by another capitalised word ("Quỳnh Phụ
# Nguyễn …" is not the district).
_BARE_END = regex.compile(r"(?![\p{L}\p{M}])(?! \p{Lu})")


def _add_codes(places: list[Location], date: str | None = None) -> None:
    """GSO codes from the gazetteer, where the unit is unambiguous in the article's context.

    A text dated from July 2025 on names the units of the 2025 structure, unless it places
    a unit in a district it names (districts were abolished): "xã Hòa Hội (TPHCM)" is the
    new commune, "xã Hòa Hưng (huyện Xuyên Mộc)" an old one.
    """
    legacy = gazetteer.load()
    context = {gazetteer.compact(p.name) for p in places}
    districts = {p.name for p in places if p.level == "district"}
    provinces = {p.name for p in places if p.level == "province"}
    recent = gazetteer.structure_for(date) == "2025"
    for place in places:
        if place.level not in ("province", "district", "commune"):
            continue
        unit = legacy.resolve(place.name, place.level, place.parent, context)
        # An old unit the text places in a district it names ("các xã Hòa Hưng, Hòa Bình
        # (huyện Xuyên Mộc … trước đây)") stays old; a parent province points to 2025.
        in_named_district = unit is not None and unit.district in districts
        placed_in_province = place.parent in provinces
        if recent and place.level != "district" and (placed_in_province or not in_named_district):
            new = gazetteer.load_2025().resolve(place.name, place.level, place.parent, context)
            if new is not None:
                place.code = place.code_2025 = new.code
                place.name_2025 = new.name
                continue
        if unit is not None:
            place.code = unit.code
            after = legacy.successor(unit)
            if after is not None:
                place.code_2025, place.name_2025 = after.code, after.name


def extract_article(
    norm: Normalised,
    article: Article,
    patterns: Patterns,
    date: str | None = None,
    skip: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> list[Fact]:
    """The facts of one article; the spans in `skip` (page furniture) are blanked out, so
    they give no facts while every offset stays where it was."""
    text = _blank(norm.text, article.start, article.end, skip)
    tokens = _Tokens(text)
    cands = match(text, patterns)
    facts: list[Fact] = [
        _fact(c, text, norm, article.start, patterns, tokens)
        for c in cands
        if c.rule.type in _NUMERIC
        and not (c.rule.type == "date" and _timestamp(text, c.start, c.end, patterns))
    ]
    facts = _join_ranges(facts, norm.original)
    facts = _join_shares(facts, norm.original)
    signed = (0, 0)  # the signature line holds no people ("Đỗ Thuần – Bí thư Chi bộ …")
    if article.byline_start is not None:
        signed_at = article.byline_start - article.start
        line_end = text.find("\n", signed_at)
        signed = (signed_at, len(text) if line_end < 0 else line_end)
    names = [
        c.match for c in cands if c.rule.type == "official" and not signed[0] <= c.start < signed[1]
    ]
    people = resolve.people(names, text, patterns)
    named = [span for fields in people for span in fields["spans"]]  # type: ignore[attr-defined]
    places = [c for c in cands if c.rule.type == "location"]
    locations = _locations(places, text, norm, article.start, patterns, named, date)
    # A number that ends a place's name ("bản Nậm Há 1 xã …") counts nothing.
    in_names = Taken(span for place in locations for span in place.mentions)
    facts = [f for f in facts if f.type != "count" or not in_names.overlaps(f.start, f.start + 1)]
    facts.extend(locations)
    speakers = [
        speech.Speaker(
            len(facts) + i,
            str(fields["name"]),
            tuple(fields["spans"]),  # type: ignore[arg-type]
            tuple(str(t) for t in fields["titles"]),  # type: ignore[attr-defined]
        )
        for i, fields in enumerate(people)
    ]
    facts.extend(_people(people, norm, article.start, patterns))
    found = [
        org
        for org in organizations.find(text, patterns, Taken(named))
        if not signed[0] <= org.start < signed[1]
    ]
    facts.extend(_organizations(found, text, norm, article.start, patterns))
    facts.extend(_quotes(text, norm, article.start, patterns, speakers))
    bodies = [(org.start, org.end) for org in found]
    facts.extend(_appointments(text, norm, article.start, patterns, speakers, bodies, facts))
    if date:
        _infer_years(facts, date)
    return facts


def _organizations(
    found: list[organizations.Org], text: str, norm: Normalised, offset: int, patterns: Patterns
) -> list[Organization]:
    """One fact per organisation, under its fullest name: a short form ("UBND huyện")
    before or after the one full form it abbreviates ("UBND huyện Phú Lương") is a mention
    of it, as is the same name written again."""
    named = []
    # each word-prefix of a full name's base → the full names: "Hội Nông dân" and "Hội Nông
    # dân tỉnh" both lead to "Hội Nông dân tỉnh Thái Bình" (a lookup, not a scan per name)
    full_by_prefix: dict[str, set[str]] = {}
    for org in found:
        name = organizations.expand(organizations.written(text, org, patterns), patterns)
        named.append((org, name))
        if org.unit:
            words = organizations.key(organizations.base_of(name, org.unit), patterns).split()
            for n in range(1, len(words) + 1):
                prefix = full_by_prefix.setdefault(" ".join(words[:n]), set())
                prefix.add(organizations.key(name, patterns))
    merged: dict[str, Organization] = {}
    for org, name in named:
        key = organizations.key(name, patterns)
        fulls = full_by_prefix.get(key, set()) if not org.unit else set()
        if len(fulls) == 1:
            key = next(iter(fulls))
        a, b = norm.to_original(offset + org.start, offset + org.end)
        known = merged.get(key)
        if known is None:
            known = merged[key] = Organization(
                text=norm.original[a:b],
                start=a,
                end=b,
                rule="organization.name",
                name=name,
                kind=org.kind,
                unit=org.unit,
            )
        elif (org.unit and not known.unit) or len(name) > len(known.name):
            known.name, known.unit = name, org.unit or known.unit  # the fullest name
        known.mentions.append((a, b))
    return list(merged.values())


def _quotes(
    text: str, norm: Normalised, offset: int, patterns: Patterns, people: list[speech.Speaker]
) -> list[Quote]:
    out = []
    for said in speech.quotes(text, patterns, people):
        a, b = norm.to_original(offset + said.start, offset + said.end)
        out.append(
            Quote(
                text=norm.original[a:b],
                start=a,
                end=b,
                rule="quote.speech_verb",
                speaker=said.speaker.name if said.speaker else None,
                speaker_index=said.speaker.index if said.speaker else None,
            )
        )
    return out


def _appointments(
    text: str,
    norm: Normalised,
    offset: int,
    patterns: Patterns,
    people: list[speech.Speaker],
    bodies: list[tuple[int, int]],
    facts: list[Fact],
) -> list[Appointment]:
    dates = sorted((f.start, f.value) for f in facts if isinstance(f, Date) and len(f.value) == 10)
    starts = [start for start, _ in dates]
    out: dict[tuple[str, str, str], Appointment] = {}
    told: dict[tuple[str, str], list[str]] = {}  # (person, action) → the posts seen
    for change in speech.appointments(text, patterns, people, bodies):
        a, b = norm.to_original(offset + change.start, offset + change.end)
        post = " ".join(text[change.post[0] : change.post[1]].split()) if change.post else None
        body = " ".join(text[change.body[0] : change.body[1]].split()) if change.body else None
        at = bisect_left(starts, a)
        when = dates[at][1] if at < len(dates) and dates[at][0] < b + 40 else None
        key = (change.person.name, change.action, (post or "").casefold())
        expanded = organizations.expand(post or "", patterns).casefold()
        seen = told.setdefault(key[:2], [])
        if any(_word_prefix(other, expanded) for other in seen):
            continue  # the same change told again, its post written shorter or longer
        seen.append(expanded)
        out[key] = Appointment(
            text=norm.original[a:b],
            start=a,
            end=b,
            rule="appointment.verb",
            person=change.person.name,
            action=change.action,
            post=post,
            body=body,
            date=when,
        )
    return list(out.values())


def _word_prefix(a: str, b: str) -> bool:
    short, long = sorted((a.casefold(), b.casefold()), key=len)
    return long.startswith(short) and (len(long) == len(short) or long[len(short)] == " ")


def _infer_years(facts: list[Fact], published: str) -> None:
    """ "ngày 28/12" in an article of 2025-01-03 is 2024-12-28: the latest such day no more
    than a month after the article's date (news reports the past and the coming weeks)."""
    try:
        today = Day.fromisoformat(published[:10])
    except ValueError:
        return
    for fact in facts:
        if not isinstance(fact, Date) or not fact.value.startswith("--"):
            continue
        ends = [_with_year(part, today) for part in fact.value.split("/")]
        if all(ends):
            fact.inferred = "/".join(str(e) for e in ends)


def _with_year(partial: str, today: Day) -> str | None:
    parts = partial.removeprefix("--").split("-")
    if not parts[0].isdigit():
        return None
    month, day = int(parts[0]), int(parts[1]) if len(parts) > 1 else 1
    for year in (today.year + 1, today.year, today.year - 1):
        try:
            candidate = Day(year, month, day)
        except ValueError:
            return None
        if candidate <= today + timedelta(days=31):
            return candidate.isoformat() if len(parts) > 1 else candidate.isoformat()[:7]
    return None


# "năm 2020 đến hết tháng 10/2023", "tháng 8/2024 - 3/2025": two dates that make a range;
# "và" joins only an elliptic second one ("năm 2021 và 2022", not "ngày 2/8 và sáng 3/8").
_RANGE_GAP = regex.compile(r"\s*(?:đến hết|đến|tới|sang|-|–|—)\s*(?:năm |ngày )?")
_LIST_GAP = regex.compile(r"\s*(?:và|,)\s*")


def _join_ranges(facts: list[Fact], original: str) -> list[Fact]:
    out: list[Fact] = []
    for fact in facts:
        last = out[-1] if out else None
        if isinstance(fact, Date) and isinstance(last, Date) and "/" not in last.value + fact.value:
            gap = original[last.end : fact.start]
            elliptic = fact.text[:1].isdigit() and len(fact.value) == len(last.value)
            if _RANGE_GAP.fullmatch(gap) or (elliptic and _LIST_GAP.fullmatch(gap)):
                first = last.value
                if first.startswith("--") and not fact.value.startswith("--"):
                    first = fact.value[:4] + first[1:]  # "ngày 23/4 đến 25/4/2025"
                last.value = f"{first}/{fact.value}"
                last.end, last.text = fact.end, original[last.start : fact.end]
                last.rule = "date.range"
                continue
        out.append(fact)
    return out


def _join_shares(facts: list[Fact], original: str) -> list[Fact]:
    """ "45.661 hộ/361.591 hộ dân": a part and its whole each with the noun, one count with
    a total (as "89/148 chi bộ")."""
    out: list[Fact] = []
    for fact in facts:
        last = out[-1] if out else None
        if (
            isinstance(fact, Count)
            and isinstance(last, Count)
            and last.total is None
            and fact.total is None
            and original[last.end : fact.start] == "/"
            and last.item.split()[0].casefold() == fact.item.split()[0].casefold()
        ):
            last.total, last.end = fact.value, fact.end
            last.text, last.rule = original[last.start : fact.end], "count.share"
            continue
        out.append(fact)
    return out


_TIMES: dict[int, regex.Pattern[str]] = {}
_LABELS: dict[int, regex.Pattern[str]] = {}
_NUMERIC_DATE = regex.compile(r"\p{Nd}{1,4}[/.-]\p{Nd}{1,2}[/.-]\p{Nd}{1,4}")
_BYLINE = regex.compile(r"^(?:\p{Lu}[\p{L}\p{M}]*(?: |$)){1,4}$")


def _timestamp(text: str, start: int, end: int, patterns: Patterns) -> bool:
    """Whether a date is the page's own timestamp: alone on its line but for a time, a
    weekday, a byline name or a view count ("Thứ sáu, 24/05/2024 10:50", "MINH HẢI
    30/08/2014 19:02"), or after a scraper's "date" label. That is metadata, no fact."""
    pattern = _TIMES.get(id(patterns))
    if pattern is None:
        words = patterns.alternation("TIMESTAMP_WORD", ignore_case=False)
        pattern = regex.compile(
            r"\p{Nd}{1,2}:\p{Nd}{2}(?::\p{Nd}{2})?|(?<![\p{L}\p{M}])(?:" + words + r")"
            r"(?![\p{L}\p{M}])|[\p{P}\p{S}\p{Nd}]+"
        )
        _TIMES[id(patterns)] = pattern
    label = _LABELS.get(id(patterns))
    if label is None:
        words = patterns.alternation("TIMESTAMP_LABEL", ignore_case=False)
        label = _LABELS[id(patterns)] = regex.compile(r"(?<![\p{L}\p{M}])(?:" + words + r") ?:? ?$")
    if label.search(text, max(0, start - 20), start):
        return True  # " date 2025-07-22 Chủ tịch …", "Cập nhật: 12/3/2026": a label's date
    # only a short line can be a timestamp: look no further than that for its ends
    line_start = text.rfind("\n", max(0, start - 100), start)
    line_start = line_start + 1 if line_start >= 0 or start <= 100 else start - 100
    line_end = text.find("\n", end, end + 100)
    line_end = min(len(text), end + 100) if line_end < 0 else line_end
    before = text[line_start:start].strip()
    if line_end - line_start > 80:
        return False
    rest = " ".join(pattern.sub(" ", before + " " + text[end:line_end]).split())
    if not rest:  # a date alone on its line is a dateline when it is a whole numeric date
        return bool(_NUMERIC_DATE.fullmatch(text[start:end]))
    return bool(_BYLINE.match(rest))


def _blank(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> str:
    pieces, pos = [], start
    for a, b in sorted(skip):
        a, b = max(a, pos), min(b, end)
        if a >= b:
            continue
        pieces.append(text[pos:a])
        pieces.append(regex.sub(r"[^\n]", " ", text[a:b]))
        pos = b
    pieces.append(text[pos:end])
    return "".join(pieces)


def _people(
    people: list[resolve.Fields], norm: Normalised, offset: int, patterns: Patterns
) -> list[Official | Person]:
    facts: list[Official | Person] = []
    for fields in people:
        spans = fields.pop("spans")
        assert isinstance(spans, list)
        mentions = [norm.to_original(offset + a, offset + b) for a, b in sorted(spans)]
        a, b = mentions[0]
        common = {"text": norm.original[a:b], "start": a, "end": b, "mentions": mentions}
        titles = fields.pop("titles")
        assert isinstance(titles, list)
        rule = "official.name_title" if titles else "person.honorific"
        if titles:
            fields.pop("address", None)
            parts = [resolve.title_parts(t, patterns) for t in titles]
            facts.append(
                Official.model_validate(
                    {**common, **fields, "titles": titles, "title_parts": parts, "rule": rule}
                )
            )
        else:
            facts.append(Person.model_validate({**common, **fields, "rule": rule}))
    return facts


def _laid_out(norm: Normalised, doc: Document) -> list[tuple[Article, list[int]]]:
    """The articles a PDF's layout gave, in normalised offsets, with their pages."""
    assert doc.layout is not None
    found = []
    for laid in doc.layout.articles:
        start = bisect_left(norm.starts, laid.start)
        end = bisect_left(norm.starts, laid.end)
        byline = None if laid.byline_start is None else bisect_left(norm.starts, laid.byline_start)
        found.append((Article(start, end, laid.title, laid.byline, byline), laid.pages))
    return found


def _placed(facts: list[Fact], layout: Layout) -> list[Fact]:
    """PDF input: each fact with the page and the boxes it is printed in."""
    for fact in facts:
        page, boxes = layout.boxes_of(fact.start, fact.end)
        if page is not None:
            fact.page = page
            fact.bbox = [(b[0], b[1], b[2], b[3]) for b in boxes]
    return facts


def extract_document(doc: Document, patterns: Patterns) -> list[Record]:
    norm = normalise(doc.text)
    date = doc.date or dateline(norm.text)
    if doc.layout is not None:
        articles = _laid_out(norm, doc)
        skip: list[tuple[int, int]] = []
    else:
        articles = [(a, []) for a in segment(norm.text, patterns)]
        skip = furniture(norm, patterns)
    basis = {"html": "html", "pdf": "pdf"}.get(doc.basis or "")
    basis = basis or ("converted" if doc.encoding else None)
    records = []
    for index, (article, pages) in enumerate(articles):
        start, end = norm.to_original(article.start, article.end)
        facts = list(extract_article(norm, article, patterns, date, skip))
        if doc.layout is not None:
            facts = _placed(facts, doc.layout)
        records.append(
            Record(
                doc_id=doc.doc_id,
                article=index,
                title=article.title or (doc.title if index == 0 else None),
                byline=article.byline,
                start=start,
                end=end,
                date=date,
                facts=facts,
                basis=basis,
                encoding=doc.encoding,
                main_text=doc.text if doc.basis is not None and index == 0 else None,
                pages=pages or None,
                checksum=doc.checksum,
                warnings=list(doc.warnings) or None,
            )
        )
    return records


def error_record(error: DocumentError) -> ErrorRecord:
    return ErrorRecord(
        doc_id=error.doc_id,
        error=ErrorInfo(kind=error.code.kind, message=error.message),
        checksum=error.checksum,
    )


def records_for(item: Document | DocumentError | PdfFile, patterns: Patterns) -> list[OutputRecord]:
    """The records of one input; an unexpected failure becomes an error record, not a crash."""
    if isinstance(item, PdfFile):
        item = item.read()
    if isinstance(item, DocumentError):
        return [error_record(item)]
    try:
        return list(extract_document(item, patterns))
    except Exception as exc:
        return [
            error_record(
                DocumentError(
                    item.doc_id, ErrorCode.E106, f"{type(exc).__name__}: {exc}", item.checksum
                )
            )
        ]
