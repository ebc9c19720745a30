"""Find candidate spans with the compiled rules and keep the ones that win.

Every rule runs over the article's normalised text; overlapping candidates are settled by
`resolve_overlaps` (type priority, then the longer span, then the earlier one), so a number
claimed by money, a percentage, a measure, a date or an identifier is never also a count.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from .patterns import CompiledRule, Patterns


@dataclass(frozen=True)
class Candidate:
    rule: CompiledRule
    match: regex.Match[str]

    @property
    def start(self) -> int:
        return int(self.match.start())

    @property
    def end(self) -> int:
        return int(self.match.end())


def find_candidates(text: str, patterns: Patterns) -> list[Candidate]:
    found: list[Candidate] = []
    for rule in patterns.rules:
        found.extend(Candidate(rule, m) for m in rule.regex.finditer(text, overlapped=False))
    return found


class Taken:
    """Spans claimed so far, kept as sorted disjoint intervals (overlapping ones are
    merged), so that asking whether a span overlaps any of them is a binary search, not a
    scan: the cost of a page stays linear in its number of facts."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for a, b in spans:
            self.add(a, b)

    def overlaps(self, a: int, b: int) -> bool:
        """Whether [a, b) shares a character with a taken span."""
        i = bisect_left(self._starts, b)  # the spans that start before b are [0, i)
        return i > 0 and self._ends[i - 1] > a

    def add(self, a: int, b: int) -> None:
        if b <= a:
            return
        lo = bisect_right(self._ends, a)  # the first span that ends after a
        hi = bisect_left(self._starts, b)  # the spans from lo up to hi overlap [a, b)
        if lo < hi:
            a, b = min(a, self._starts[lo]), max(b, self._ends[hi - 1])
        self._starts[lo:hi] = [a]
        self._ends[lo:hi] = [b]


def resolve_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Greedy: best candidate first; a candidate overlapping a kept one is dropped."""
    ranked = sorted(candidates, key=lambda c: (c.rule.priority, -(c.end - c.start), c.start))
    kept: list[Candidate] = []
    taken = Taken()
    for cand in ranked:
        if taken.overlaps(cand.start, cand.end):
            continue
        kept.append(cand)
        taken.add(cand.start, cand.end)
    return sorted(kept, key=lambda c: c.start)


# "Nearby" is the same sentence, within a few hundred characters: a long paragraph (or a
# page with no line breaks at all) does not make every amount in it nearby.
_NEARBY = 300
_SENTENCE_END = regex.compile(r"[.!?…](?=\s)|\n")


_CUE_REACH = 120
_CUES: dict[int, regex.Pattern[str]] = {}


def _money_cues(text: str, patterns: Patterns) -> list[int]:
    """Ends of the words that announce an amount ("kinh phí", "trị giá"), in text order."""
    cue = _CUES.get(id(patterns))
    if cue is None:
        cue = regex.compile(
            r"(?<![\p{L}\p{M}])(?:" + patterns.pieces["MONEY_CUE"] + r")(?![\p{L}\p{M}])"
        )
        _CUES[id(patterns)] = cue
    return [m.end() for m in cue.finditer(text)]


def apply_needs(text: str, kept: list[Candidate], patterns: Patterns) -> list[Candidate]:
    """Drop candidates whose rule needs a context that is not there: an amount with no
    currency ("… 25,9 tỷ.") needs another amount with one, or a word that announces money
    before it, in the same sentence."""
    money = [c.start for c in kept if c.rule.type == "money" and c.rule.needs is None]
    cues: list[int] | None = None
    result = []
    for cand in kept:
        if cand.rule.needs == "money_nearby":
            first = bisect_left(money, cand.start - _NEARBY)
            last = bisect_right(money, cand.end + _NEARBY)
            nearby = any(
                not _SENTENCE_END.search(text, min(at, cand.end), max(at, cand.start))
                for at in money[first:last]
            )
            if not nearby:
                cues = _money_cues(text, patterns) if cues is None else cues
                lo = bisect_left(cues, cand.start - _CUE_REACH)
                hi = bisect_right(cues, cand.start)
                nearby = any(not _SENTENCE_END.search(text, at, cand.start) for at in cues[lo:hi])
            if not nearby:
                continue
        result.append(cand)
    return result


def match(text: str, patterns: Patterns) -> list[Candidate]:
    """The winning candidates of `text`, in text order; `ignore` rules are dropped."""
    layers: dict[str, list[Candidate]] = {}
    for cand in find_candidates(text, patterns):
        layers.setdefault(cand.rule.layer, []).append(cand)
    kept = [c for layer in layers.values() for c in resolve_overlaps(layer)]
    kept = apply_needs(text, sorted(kept, key=lambda c: c.start), patterns)
    return [c for c in kept if c.rule.type != "ignore"]


def _wordlike(token: str) -> bool:
    return all(ch.isalpha() or ch in " -" or "\u0300" <= ch <= "\u036f" for ch in token)


def item_extent(
    words: list[str], starts: list[int], item_start: int, patterns: Patterns, max_words: int = 3
) -> int:
    """End offset of the counted noun phrase that starts at `item_start`.

    The phrase runs over word tokens (so "đảng viên" stays whole) and stops at punctuation,
    a number, a function word, or a capitalised word (a name after the noun: "xã Yên Ninh").
    """
    index = next((i for i, s in enumerate(starts) if s + len(words[i]) > item_start), None)
    if index is None:
        return item_start
    first = words[index]
    caps = first.isupper()
    end = starts[index] + len(first)
    taken = 1
    following = [*words[index + 2 :], ""]
    for word, start, after in zip(words[index + 1 :], starts[index + 1 :], following, strict=False):
        if taken >= max_words or start > end + 1 or not _wordlike(word):
            break
        if patterns.has("STOPWORD", word) or patterns.has("STOPWORD", f"{word} {after}"):
            break
        head = word.split(" ", 1)[0]  # "bị thương", "đã được": a verb phrase, not the noun
        if (
            " " in word
            and patterns.has("STOPWORD", head)
            and not patterns.has("STOPWORD_NOUN", word)
        ):
            break
        if word[0].isupper() and not (caps and word.isupper()):
            break
        end = start + len(word)
        taken += 1
    return end
