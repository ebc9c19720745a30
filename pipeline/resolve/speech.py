"""Quotes and appointments (docs/FACT-TYPES.md): read from the clause around a verb.

Both need the article's people first: a quote's speaker is the person named before its
speech verb in the same sentence, an appointment's person the one the verb governs.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

import regex

from ..patterns import Patterns
from . import gazetteer, organizations
from .people import post_span

_HONORIFIC_GAP = regex.compile(r"(?:[\p{L}\p{M}/.]+ ){0,2}")  # "ông ", "đồng chí "
_THEO = regex.compile(r"(?<![\p{L}\p{M}])[Tt]heo ")
_QUOTATION = regex.compile(r"[“\"] ?(?P<said>(?=\p{Lu})[^“”\"]{12,1500})[”\"]")
_SAID_BEFORE = regex.compile(
    r"(?<![\p{L}\p{M}])(?:cho biết|kể|chia sẻ|nói|tâm sự|bày tỏ|cho hay)(?![\p{L}\p{M}])"
)
_SENTENCE_START = regex.compile(r"(?:[.!?…](?=\s)|\n)")
_SENTENCE_END = regex.compile(r"[.!?…](?=\s|$)|\n")
_CLOSING = {"“": "”", '"': '"', "‘": "’", "«": "»"}
_QUOTE_MAX = 1500


@dataclass(frozen=True)
class Speaker:
    """A person of the article: its index in the facts and its mention spans."""

    index: int
    name: str
    spans: tuple[tuple[int, int], ...]
    titles: tuple[str, ...] = ()


@dataclass
class Said:
    start: int
    end: int
    speaker: Speaker | None


@dataclass
class Change:
    start: int
    end: int
    person: Speaker
    action: str
    post: tuple[int, int] | None
    body: tuple[int, int] | None
    verb_at: int = 0


@cache
def _verbs(
    patterns_id: int, speech: str, appointment: str, intro: str
) -> tuple[regex.Pattern[str], ...]:
    word_end = r"(?![\p{L}\p{M}])"
    return (
        regex.compile(
            r"(?<![\p{L}\p{M}])(?:"
            + speech
            + r")"
            + word_end
            + r"(?: (?:rằng|là))?:\s*(?P<open>[“\"‘«])?"
        ),
        regex.compile(r"(?<![\p{L}\p{M}])(?P<verb>" + appointment + r")" + word_end),
        regex.compile(r" ?(?:" + intro + r")" + word_end + r":? ?"),
        regex.compile(r"^[,.]?”?,? ?(?P<gap>[^\n.“”\"]{0,80}?)(?:" + speech + r")" + word_end),
    )


_COMPILED: dict[int, tuple[regex.Pattern[str], ...]] = {}


def _compiled(patterns: Patterns) -> tuple[regex.Pattern[str], ...]:
    found = _COMPILED.get(id(patterns))
    if found is None:
        found = _COMPILED[id(patterns)] = _verbs(
            id(patterns),
            patterns.alternation("SPEECH_VERB", ignore_case=False),
            patterns.alternation("APPOINTMENT_VERB"),  # "Điều động ông A …" opens sentences
            patterns.alternation("POST_INTRO", ignore_case=False),
        )
    return found


def _sentence_start(text: str, pos: int) -> int:
    found = None
    for m in _SENTENCE_START.finditer(text, max(0, pos - 400), pos):
        found = m
    return found.end() if found else max(0, pos - 400)


class _People:
    """Mention spans of the article's people, sorted, for "who is named between a and b"."""

    def __init__(self, people: list[Speaker]) -> None:
        self.spans = sorted((a, b, p) for p in people for a, b in p.spans)
        self.starts = [a for a, _, _ in self.spans]

    def between(self, a: int, b: int) -> list[tuple[int, int, Speaker]]:
        i = bisect_left(self.starts, a)
        out = []
        while i < len(self.spans) and self.spans[i][0] < b:
            if self.spans[i][1] <= b:
                out.append(self.spans[i])
            i += 1
        return out


def quotes(text: str, patterns: Patterns, people: list[Speaker]) -> list[Said]:
    """Said text after "cho biết:" and the like, or in quotation marks before "… ông A nói"."""
    colon, _, _, after = _compiled(patterns)
    known = _People(people)
    found: list[Said] = []
    taken_until = 0
    for m in colon.finditer(text):
        if m.start() < taken_until:
            continue
        start = m.end()
        opened = m.group("open")
        if opened:
            close = text.find(_CLOSING[opened], start, start + _QUOTE_MAX)
            if close < 0:
                end_m = _SENTENCE_END.search(text, start, start + _QUOTE_MAX)
                close = end_m.start() if end_m else len(text)
            end = close
        else:
            end_m = _SENTENCE_END.search(text, start, start + _QUOTE_MAX)
            end = end_m.start() if end_m else len(text)
            if end_m and text[end_m.start()] != "\n":
                end += 1  # the sentence's own full stop belongs to what was said
        while end > start and text[end - 1] in " \t":
            end -= 1
        if end - start < 3:
            continue
        opening = _sentence_start(text, m.start())
        before = known.between(opening, m.start())
        if not before and _BARE_HONORIFIC.fullmatch(text, opening, m.start()):
            # "Bà bảo: …": the person the paragraph is about, named last before it
            before = known.between(max(0, opening - 800), opening)
        speaker = before[-1][2] if before else None
        found.append(Said(start, end, speaker))
        taken_until = end
    # "Theo ông A, Phó Trưởng ban …: <said>": the speaker, then a colon
    for m in _THEO.finditer(text):
        at = m.end()
        named = known.between(at, at + 60)
        if not named or not _HONORIFIC_GAP.fullmatch(text, at, named[0][0]):
            continue
        colon = text.find(":", named[0][1], min(len(text), named[0][1] + 160))
        if colon < 0 or _SENTENCE_END.search(text, named[0][1], colon):
            continue
        start = colon + 1 + (text[colon + 1 : colon + 2] == " ")
        if any(s.start <= start < s.end for s in found):
            continue
        end_m = _SENTENCE_END.search(text, start, start + _QUOTE_MAX)
        end = end_m.start() + 1 if end_m and text[end_m.start()] != "\n" else len(text)
        if end_m and text[end_m.start()] == "\n":
            end = end_m.start()
        found.append(Said(start, end, named[0][2]))
    # “…”, ông A nói: the attribution after the quotation; or a quoted paragraph after the
    # paragraph in which a named person "cho biết", "kể" (the speaker goes on speaking)
    for m in _QUOTATION.finditer(text):
        if any(s.start <= m.start("said") < s.end for s in found):
            continue
        tail = after.match(text[m.end() : m.end() + 120])
        named = []
        speaker = None
        if tail is not None:
            gap = (m.end() + tail.start("gap"), m.end() + tail.end("gap"))
            named = known.between(*gap)
            # "…", Chủ tịch xã Thông Thụ nói: the official who holds that post
            speaker = named[0][2] if named else _holder(text[gap[0] : gap[1]], people)
            attributed = speaker is not None
        else:
            # "…", ông Minh ngán ngẩm.: a named person right after the quotation
            named = [
                x
                for x in known.between(m.end(), m.end() + 60)
                if _ATTRIBUTED.fullmatch(text, m.end(), x[0]) and _ATTRIBUTION_END.match(text, x[1])
            ][:1]
            speaker = named[0][2] if named else None
            attributed = bool(named)
        if not attributed and text[max(0, m.start() - 2) : m.start()].strip() == ":":
            # 'Bà A, trú thôn B, phấn khởi khi nhận quà: "…"': the sentence's subject
            opening = _sentence_start(text, m.start() - 2)
            first = known.between(opening, m.start())[:1]
            while opening < m.start() and text[opening].isspace():
                opening += 1
            if first and _HONORIFIC_GAP.fullmatch(text, opening, first[0][0]):
                speaker, attributed = first[0][2], True
        if not attributed and _opens_paragraph(text, m.start()):
            lead = _lead_paragraph(text, m.start())
            said_verb = _SAID_BEFORE.search(text, *lead) if lead else None
            if lead and said_verb:
                before = known.between(lead[0], said_verb.start())[-1:]
                if before:
                    speaker, attributed = before[0][2], True
        if attributed:
            found.append(Said(m.start("said"), m.end("said"), speaker))
    found.sort(key=lambda s: s.start)
    return found


_BARE_HONORIFIC = regex.compile(r"\s*(?:Ông|Bà|Anh|Chị) (?:\p{Ll}+ ){0,2}")  # "Bà cũng "
_ATTRIBUTED = regex.compile(r"[,.]?”?,? (?:[\p{Ll}]+ ){0,2}")  # "”, ông " before the name
_ATTRIBUTION_END = regex.compile(r"(?: [\p{Ll}][\p{L}\p{M}]*){0,3}[.!]")  # " ngán ngẩm."
_CAPTION = regex.compile(r"\(?Ảnh(?: minh họa)?[:.)]|\(Ảnh |^Ảnh ")


def _opens_paragraph(text: str, at: int) -> bool:
    return at == 0 or text[max(0, at - 8) : at].rstrip(" \t").endswith("\n")


def _lead_paragraph(text: str, at: int) -> tuple[int, int] | None:
    """The paragraph before the one that opens at `at`, past up to two photo captions."""
    end = at
    for _ in range(3):
        end = len(text[:end].rstrip())
        if end == 0:
            return None
        start = text.rfind("\n", 0, end) + 1
        if not _CAPTION.search(text, start, end):
            return start, end
        end = start
    return None


def _holder(gap: str, people: list[Speaker]) -> Speaker | None:
    """The one person whose title has every word of the post in `gap` ("Chủ tịch xã
    Thông Thụ" → the "Chủ tịch UBND xã Thông Thụ"), or None."""
    words = gap.split()
    if len(words) < 2:
        return None
    found = [p for p in people if any(_in_order(words, t.split()) for t in p.titles)]
    return found[0] if len({p.name for p in found}) == 1 else None


def _in_order(words: list[str], title: list[str]) -> bool:
    it = iter(w.casefold() for w in title)
    return all(any(w.casefold() == t for t in it) for w in words)


def appointments(
    text: str, patterns: Patterns, people: list[Speaker], bodies: list[tuple[int, int]]
) -> list[Change]:
    """Each person a verb of change governs, with the post after "giữ chức", "làm" or the
    verb itself: "bầu đồng chí A giữ chức Bí thư; đồng chí B giữ chức Phó Bí thư", "ông C,
    Phó Giám đốc Sở Y tế, được bổ nhiệm giữ chức Giám đốc", "miễn nhiệm chức vụ … đối với
    ông D". The clauses of a sentence split at ";" each name their persons and post."""
    _, verb, intro, _ = _compiled(patterns)
    known = _People(people)
    found: list[Change] = []
    verbs = list(verb.finditer(text))
    bodies = sorted(bodies, key=lambda span: span[1])
    body_ends = [b for _, b in bodies]
    starts = dict(bodies)
    for index, m in enumerate(verbs):
        opened = text.rfind("(", max(0, m.start() - 80), m.start())
        closed = text.find(")", m.end(), m.end() + 200)
        if (
            opened >= 0
            and ")" not in text[opened : m.start()]
            and not intro.search(text, m.end(), closed if closed > 0 else m.end() + 200)
        ):
            continue  # "miễn nhiệm … (nghỉ hưu)": the reason of another change
        if (
            _REASON.search(text, max(0, m.start() - 5), m.start())
            and index
            and (verbs[index - 1].start() >= _sentence_start(text, m.start()))
        ):
            continue  # "… đối với ông A, do nghỉ hưu": so too
        nxt = verbs[index + 1] if index + 1 < len(verbs) else None
        if nxt and _CHAIN.fullmatch(text, m.end(), nxt.start()):
            continue  # "điều động, bổ nhiệm ông A giữ chức …": the verb nearest the post
        action = patterns.lookup("APPOINTMENT_VERB", m.group("verb"))
        assert isinstance(action, str)
        sentence_start = _sentence_start(text, m.start())
        end_m = _SENTENCE_END.search(text, m.end(), m.end() + 600)
        sentence_end = min(end_m.start() if end_m else len(text), m.end() + 600)
        # the deciding body is the sentence's subject: before the verb and before any person
        # named before it ("Ông A, Giám đốc Sở Y tế, được điều động …" names A's own body)
        first_person = known.between(sentence_start, m.start())
        subject_end = first_person[0][0] if first_person else m.start()
        body = None
        at = bisect_right(body_ends, subject_end)  # the last body that ends before the subject
        if at and bodies[at - 1][0] >= sentence_start:
            body = bodies[at - 1]
        clauses = _clauses(text, m.end(), sentence_end)
        for number, (lo, hi) in enumerate(clauses):
            if number and verb.search(text, lo, hi):
                break  # "…; miễn nhiệm chức danh Y đối với ông B": that clause's own verb
            persons = _governed(known.between(lo, hi))
            subjects = False
            if number == 0 and not persons:
                before = _governed(known.between(sentence_start, m.start()))
                if (
                    before
                    and not regex.search(r"[;]", text[before[-1][1] : m.start()])
                    and (
                        _undergoes(text, m, before[-1][1], patterns)
                        # "điều động ông A … và bổ nhiệm giữ chức X": the first verb's object
                        or (
                            index > 0
                            and verbs[index - 1].end() <= before[-1][0]
                            and verbs[index - 1].start() >= sentence_start
                            and text[: m.start()].endswith(" và ")
                        )
                        # "ông A thôi giữ chức X để điều động giữ chức Y": the one who changed
                        or (
                            index > 0
                            and bool(found)
                            and found[-1].verb_at == verbs[index - 1].start()
                            and verbs[index - 1].start() >= sentence_start
                            and found[-1].person.name == before[-1][2].name
                            and text[: m.start()].endswith((" và ", " để "))
                        )
                    )
                ):
                    persons = _joined(text, before)  # "ông A, …, được bổ nhiệm giữ chức …"
                    subjects = True
            if number == 0 and not persons:
                persons = _named_after(text, lo, hi, patterns)  # "đối với đại biểu Võ Văn Dũng"
            # "các ông, bà A, B giữ chức …": listed names that are no known person yet
            named = {p.name for _, _, p in persons}
            persons = sorted(
                persons
                + [x for x in _listed(text, lo, hi, intro, patterns) if x[2].name not in named],
                key=lambda x: x[0],
            )
            if not persons:
                continue
            listing = _LIST_OPEN.match(text, m.end())
            if listing:
                # "được bổ nhiệm mới là: giám đốc Sở GTVT A; giám đốc Sở Tài chính B và …":
                # each item is a post and the person who takes it
                for a, b, person in persons:
                    item = max(lo, listing.end(), _item_start(text, lo, a))
                    held = _post_at(text, item, a, patterns, starts)
                    if held:
                        found.append(
                            Change(min(item, m.start()), b, person, action, held, body, m.start())
                        )
                continue
            post = None
            first = intro.match(text, m.end()) or _BARE_POST.match(text, m.end())
            if number == 0 and first and first.end() <= persons[0][0]:
                post = _post_at(text, first.end(), hi, patterns, starts)
            elif number == 0 and (doi := _DOI_VOI.search(text, m.end(), persons[0][0])):
                # "cho thôi làm nhiệm vụ đại biểu HĐND tỉnh … đối với ông A": the post first
                post = _post_at(text, m.end(), doi.start() - 1, patterns, starts)
            elif subjects:  # "ông A, Bí thư khóa XIX, tái đắc cử Bí thư khóa XX"
                post = _post_at(text, first.end() if first else m.end(), hi, patterns, starts)
            if post is None and action == "transferred":
                # "điều động ông A về Ban …"; "ông A được điều động về Ban …"
                post = _destination(text, m.end() if subjects else persons[-1][1], hi)
                if post and nxt and text[post[1] : nxt.start()] == " và ":
                    continue  # "… đến nhận công tác tại Sở Y tế và bổ nhiệm giữ chức …": one
            if post is None:
                # a post taken is reached through "giữ chức"/"làm": ", Tỉnh ủy viên" after the
                # name is the person's present post, which only a change away from it names
                post = _post_after(
                    text,
                    persons[-1][1],
                    hi,
                    intro,
                    patterns,
                    starts,
                    apposition=action in ("dismissed", "retired"),
                )
            if post is None and action not in ("transferred", "retired"):
                continue
            for a, b, person in persons:
                stop = post[1] if post else b
                found.append(
                    Change(min(a, m.start()), max(b, stop), person, action, post, body, m.start())
                )
    # "… chỉ định ông A giữ chức Bí thư. Các ông, bà: B, C giữ chức Phó Bí thư.": a list with
    # no verb of its own goes on with the change of the sentence before it
    for m in verbs:
        action = patterns.lookup("APPOINTMENT_VERB", m.group("verb"))
        end_m = _SENTENCE_END.search(text, m.end(), m.end() + 600)
        if end_m is None or not isinstance(action, str):
            continue
        lo = end_m.end()
        nxt_end = _SENTENCE_END.search(text, lo + 1, lo + 600)
        hi = nxt_end.start() if nxt_end else len(text)
        if verb.search(text, lo, hi) or hi - lo > 400:
            continue
        listed = _listed(text, lo, hi, intro, patterns)
        post = _post_after(text, listed[-1][1], hi, intro, patterns) if listed else None
        if post is None:
            continue
        for a, _, person in listed:
            found.append(Change(a, post[1], person, action, post, None, m.start()))
    # "điều động ông A, …, được bổ nhiệm giữ chức X": one change, the verb nearest the post
    nearest: dict[tuple[str, tuple[int, int] | None], Change] = {}
    for change in found:
        key = (change.person.name, change.post)
        if key not in nearest or change.verb_at > nearest[key].verb_at:
            nearest[key] = change
    # a caption that repeats the change without its post ("… nghỉ hưu trước tuổi cho ông A")
    posted = {(c.person.name, c.action) for c in nearest.values() if c.post}
    kept: list[Change] = []
    for c in sorted(nearest.values(), key=lambda c: c.start):
        if c.post is None and (c.person.name, c.action) in posted:
            continue
        # the same change told again in other words ("Bí thư phường Bình Dương", later "Bí
        # thư Đảng ủy phường Bình Dương"): the first telling
        if any(
            k.person.name == c.person.name
            and k.action == c.action
            and _same_post(text, k.post, c.post, patterns)
            for k in kept
        ):
            continue
        kept.append(c)
    return kept


_UNIT_SYLLABLES = frozenset(
    ["tỉnh", "huyện", "xã", "phường", "quận", "thành", "phố", "thị", "trấn"]
)
_TERM_PART = regex.compile(r"(?:,? (?:khóa|khoá|nhiệm kỳ)\b.*$)")


def _same_post(
    text: str, a: tuple[int, int] | None, b: tuple[int, int] | None, patterns: Patterns
) -> bool:
    """Whether two posts name one post: the same first word, and the words of one (its
    term left out, abbreviations written out) all among the other's."""
    if a is None or b is None:
        return False
    words = []
    for lo, hi in (a, b):
        post = _TERM_PART.sub("", text[lo:hi])
        key = organizations.key(post, patterns).split()
        words.append([w for w in key if w not in _UNIT_SYLLABLES])
    if not words[0] or not words[1] or words[0][0] != words[1][0]:
        return False
    short, long = sorted(words, key=len)
    return set(short) <= set(long)


_NAMES: dict[int, regex.Pattern[str]] = {}


def _listed(
    text: str, lo: int, hi: int, intro: regex.Pattern[str], patterns: Patterns
) -> list[tuple[int, int, Speaker]]:
    """Names listed before "giữ chức"/"làm" with no post of their own ("các ông, bà Hoàng
    Giang, Trần Huy Tuấn giữ chức Phó Bí thư Tỉnh ủy"), as persons of the change."""
    at = intro.search(text, lo, hi)
    if at is None:
        return []
    names = _name_pattern(patterns)
    listed = text[lo : at.start()]
    if not regex.fullmatch(r"[^.;()]*", listed):
        return []
    return [
        (lo + n.start(), lo + n.end(), Speaker(-1, n.group(), ((lo + n.start(), lo + n.end()),)))
        for n in names.finditer(listed)
        # a name of the list follows its separator, not a post ("Bí thư Tỉnh ủy Thái Nguyên")
        if _LIST_BEFORE.search(listed, 0, n.start()) and not gazetteer.load().is_unit(n.group())
    ]


def _name_pattern(patterns: Patterns) -> regex.Pattern[str]:
    names = _NAMES.get(id(patterns))
    if names is None:
        names = _NAMES[id(patterns)] = regex.compile(
            r"(?<![\p{L}\p{M}])(?=\p{Lu})(?:"
            + patterns.pieces["SURNAME"]
            + r") "
            + patterns.pieces["GIVEN"]
        )
    return names


def _named_after(text: str, lo: int, hi: int, patterns: Patterns) -> list[tuple[int, int, Speaker]]:
    """Names shaped as a person's after "đối với" that no other rule took ("cho thôi làm
    nhiệm vụ đại biểu HĐND đối với đại biểu Võ Văn Dũng và đại biểu Nguyễn Văn Dũng")."""
    at = _DOI_VOI.search(text, lo, hi)
    if at is None:
        return []
    return [
        (n.start(), n.end(), Speaker(-1, n.group(), ((n.start(), n.end()),)))
        for n in _name_pattern(patterns).finditer(text, at.end(), hi)
        if not gazetteer.load().is_unit(n.group())
    ]


_PASSIVE = regex.compile(r"(?<![\p{L}\p{M}])(?:được|bị)(?:,? [\p{L}\p{M}]+){0,5},? $")


def _undergoes(text: str, verb: regex.Match[str], after: int, patterns: Patterns) -> bool:
    """Whether a person named before the verb is the one it changes: a passive ("ông A được
    Ban Chấp hành bầu", "được bổ nhiệm") or a verb whose subject changes post ("tái đắc cử",
    "nghỉ hưu"); "ông A, Trưởng ban Tổ chức, công bố quyết định chỉ định …" names who acts."""
    word = verb.group("verb")
    return (
        word.startswith(("được ", "bị "))
        or patterns.has("SUBJECT_CHANGE_VERB", word)
        or bool(_PASSIVE.search(text, after, verb.start()))
    )


_BARE_POST = regex.compile(r" chức(?= \p{Lu})")  # "miễn nhiệm chức Phó Chủ tịch … đối với"
_JOIN = regex.compile(r"\s*(?:,[^;,]{0,120})*?\s*(?:,? và|;)\s*(?:\p{L}+ ){0,2}$")


def _joined(text: str, before: list[tuple[int, int, Speaker]]) -> list[tuple[int, int, Speaker]]:
    """The persons named before a verb as its subjects: the last one, and those joined to it
    by "và" or ";" ("Bà A và ông B tiếp tục được bầu", "Ba đồng chí: A, …; B, …; C, … được
    bầu"), each maybe with its own present posts after a comma."""
    out = [before[-1]]
    for prev in reversed(before[:-1]):
        if not _JOIN.match(text[prev[1] : out[0][0]]):
            break
        out.insert(0, prev)
    return out


_TO = regex.compile(
    r"(?<![\p{L}\p{M}])(?:về|đến|sang|tới)(?: nhận công tác| công tác| làm việc)?(?: tại)? "
    r"(?=\p{Lu})"
)
_DESTINATION_END = regex.compile(
    r"[,.;:()\n]| (?:để|thay|kể từ|từ ngày|theo|và(?= \p{Ll}))(?![\p{L}\p{M}])"
)


def _destination(text: str, pos: int, limit: int) -> tuple[int, int] | None:
    """Where a person is transferred to, when no post is named: "điều động ông A về Ban
    Nội chính Tỉnh ủy", "… về nhận công tác tại HĐND tỉnh"."""
    to = _TO.search(text, pos, limit)
    if to is None or regex.search(r"giữ chức|làm ", text[pos : to.start()]):
        return None
    end = _DESTINATION_END.search(text, to.end(), limit)
    stop = end.start() if end else limit
    return (to.end(), stop) if stop > to.end() else None


_LIST_BEFORE = regex.compile(r"(?:^|[,:]|(?<![\p{L}\p{M}])(?:ông|bà|và|đồng chí|các))\s*$")


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of a sentence between semicolons."""
    out, lo = [], start
    for m in regex.finditer(r";", text[start:end]):
        out.append((lo, start + m.start()))
        lo = start + m.end()
    out.append((lo, end))
    return out


def _governed(mentions: list[tuple[int, int, Speaker]]) -> list[tuple[int, int, Speaker]]:
    """Each person once, in order: a later short mention of the same one adds nothing."""
    seen: set[str] = set()
    out = []
    for a, b, person in mentions:
        if person.name not in seen:
            seen.add(person.name)
            out.append((a, b, person))
    return out


def _post_after(
    text: str,
    pos: int,
    limit: int,
    intro: regex.Pattern[str],
    patterns: Patterns,
    bodies: dict[int, int] | None = None,
    apposition: bool = True,
) -> tuple[int, int] | None:
    """The post after the person: "giữ chức Bí thư …", "làm Chủ tịch …", or one of the
    person's own titles written first (", Bí thư Chi bộ, giữ chức …" skips it)."""
    window = text[pos:limit]
    m = intro.search(window)
    introduced = m is not None and m.start() < 300
    at = pos + m.end() if m and introduced else pos
    if not introduced:  # "ông A (56 tuổi), Chủ nhiệm …": the age or caption note is no post
        aside = _ASIDE.match(text, at)
        at = aside.end() if aside else at
    if not apposition and not introduced and "," in text[at : at + 2]:
        return None
    post = _post_at(text, at, limit, patterns, bodies)
    if post and not introduced and text.startswith(("nguyên ", "Nguyên "), post[0]):
        return None  # "ông A, nguyên Phó Bí thư, nghỉ hưu": a post already left
    return post


def _post_at(
    text: str, at: int, limit: int, patterns: Patterns, bodies: dict[int, int] | None
) -> tuple[int, int] | None:
    """The post or body that starts at `at`, past spaces, commas and a colon."""
    while at < limit and text[at] in " ,:":
        at += 1
    span = post_span(text, at, patterns)
    if span is None and bodies and at in bodies:  # "thôi tham gia Ban Chấp hành Tỉnh ủy": a body
        span = (at, bodies[at])
    if span is None or span[0] >= limit:
        return None
    a, b = span[0], min(span[1], limit)
    tail = _POST_TAIL.search(text, a, b)  # "… nhiệm kỳ 2025 - 2030", "… - Ảnh 1"
    return (a, tail.start()) if tail else (a, b)


_LIST_OPEN = regex.compile(r"(?: mới)? (?:là|gồm)(?: các (?:ông|bà|đồng chí)(?:, bà)?)?: ")
_ITEM_SEPARATOR = regex.compile(r"(?:[;:]| và |, )(?!.*(?:[;:]| và |, ))", regex.DOTALL)


def _item_start(text: str, lo: int, at: int) -> int:
    """Where the item of a list that holds `at` begins: after the last ";", ":", ", " or
    " và " before it."""
    sep = _ITEM_SEPARATOR.search(text, lo, at)
    return sep.end() if sep else lo


_DOI_VOI = regex.compile(r"(?<![\p{L}\p{M}])đối với ")
_REASON = regex.compile(r"(?<![\p{L}\p{M}])(?:do|vì) $")
_ASIDE = regex.compile(r" ?\([^()\n]{1,40}\)")
_CHAIN = regex.compile(r"(?:,| và| hoặc| hay)? ?")
_POST_TAIL = regex.compile(
    r",? (?:nhiệm kỳ|NK)\b.*$| đối(?: với)?\b.*$|,? ?[-–] ?(?:Ảnh|ảnh)\b.*$|,.*$"
)
