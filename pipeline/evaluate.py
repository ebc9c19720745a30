"""Score predicted records against gold files exactly as SPEC.md §4 says.

Per document, then micro-averaged over documents; the facts of all articles of a document
are pooled. Strings are compared after NFC, one tone-mark convention, collapsed whitespace
and case folding.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ErrorCode, VnfactsError
from .models import SCORED_TYPES
from .normalise import normalise
from .read import TEXT_SUFFIXES, decode

TYPES = SCORED_TYPES[:4]  # SPEC §4's four, always scored
# docs/FACT-TYPES.md: scored where a gold file declares them in its "types".
MORE_TYPES = SCORED_TYPES[4:]
ALL_TYPES = SCORED_TYPES
SPAN_TYPES = frozenset({"money", "count", "percent", "date", "document", "quote"})
Fact = dict[str, Any]


def norm(text: str | None) -> str:
    return " ".join(normalise(text or "").text.split()).casefold()


def find_occurrence(text: str, needle: str, occurrence: int) -> int:
    """Start of the n-th (1-based) occurrence, overlapping occurrences counted; -1 if none."""
    pos = -1
    for _ in range(occurrence):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


@dataclass
class GoldDoc:
    doc_id: str
    text: str
    facts: list[Fact]
    types: frozenset[str] = frozenset(TYPES)


def _text_for(gold_path: Path, doc_id: str, texts: Path | None) -> Path:
    folders = [texts] if texts else [gold_path.parent, gold_path.parent.parent / "texts"]
    for folder in folders:
        if folder is None:
            continue
        for suffix in sorted(TEXT_SUFFIXES):
            candidate = folder / f"{doc_id}{suffix}"
            if candidate.is_file():
                return candidate
    raise VnfactsError(ErrorCode.E203, path=gold_path, detail=f"{doc_id}.txt")


def load_gold(folder: Path, texts: Path | None = None) -> list[GoldDoc]:
    docs = []
    for path in sorted(folder.glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            doc_id = raw["doc_id"]
            facts = list(raw["facts"])
            types = frozenset(raw.get("types", TYPES))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise VnfactsError(ErrorCode.E201, path=path, detail=str(exc)) from None
        unknown = sorted(types - set(ALL_TYPES))
        if unknown:
            raise VnfactsError(
                ErrorCode.E201, path=path, detail=f"unknown types {unknown}; use {list(ALL_TYPES)}"
            )
        text = decode(_text_for(path, doc_id, texts).read_bytes())
        for index, fact in enumerate(facts):
            if fact.get("type") in SPAN_TYPES:
                start = find_occurrence(text, fact["text"], int(fact.get("occurrence", 1)))
                if start < 0:
                    raise VnfactsError(
                        ErrorCode.E202, path=path, detail=f"#{index} {fact['text']!r}"
                    )
                fact["start"], fact["end"] = start, start + len(fact["text"])
        docs.append(GoldDoc(doc_id, text, facts, types))
    return docs


def load_predictions(path: Path) -> dict[str, list[Fact]]:
    pooled: dict[str, list[Fact]] = defaultdict(list)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise VnfactsError(ErrorCode.E204, path=path, detail=str(exc)) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise VnfactsError(ErrorCode.E204, path=path, detail=f"line {number}: {exc}") from None
        pooled[str(record.get("doc_id"))].extend(record.get("facts", []))
    return pooled


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    extra_ok: int = 0  # qualifier (money), item (count) or title matches
    extra_n: int = 0
    title_tp: int = 0
    title_pred: int = 0
    title_gold: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def extra(self) -> float | None:
        return self.extra_ok / self.extra_n if self.extra_n else None

    @property
    def title_f1(self) -> float | None:
        if not self.title_pred and not self.title_gold:
            return None
        p = self.title_tp / self.title_pred if self.title_pred else 0.0
        r = self.title_tp / self.title_gold if self.title_gold else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def _overlap(a: Fact, b: Fact) -> bool:
    return bool(a["start"] < b["end"] and b["start"] < a["end"])


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    x, y = float(a), float(b)
    return x == y or abs(x - y) <= 1e-9 * max(abs(x), abs(y))


def _prefix(a: str, b: str) -> bool:
    short, long = sorted((norm(a), norm(b)), key=len)
    return long.startswith(short) and (len(long) == len(short) or long[len(short)] == " ")


def _where(doc_id: str, fact: Fact) -> str:
    return f"{doc_id}@{fact.get('start')}: {fact.get('text')!r}"


def _span_match(kind: str, p: Fact, g: Fact) -> bool:
    """Whether an overlapping prediction has the gold's value (SPEC §4, docs/FACT-TYPES.md)."""
    if kind == "money":
        return _same(p.get("amount"), g.get("amount")) and p.get("currency") == g.get("currency")
    if kind in ("count", "percent"):
        return _same(p.get("value"), g.get("value")) and all(
            _same(p.get(k), g[k]) for k in ("value_max", "total") if g.get(k) is not None
        )
    if kind == "date":  # the value as written, or the one the article's date completes
        return g.get("value") in (p.get("value"), p.get("inferred"))
    if kind == "document":
        return _number(p.get("number")) == _number(g.get("number"))
    return norm(p.get("speaker")) == norm(g.get("speaker"))  # quote


def _number(number: str | None) -> str | None:
    return None if number is None else "".join(number.split()).casefold()


def _score_spans(kind: str, doc_id: str, gold: list[Fact], pred: list[Fact], score: Score) -> None:
    unmatched = list(gold)
    for p in pred:
        for g in unmatched:
            if not _overlap(p, g) or not _span_match(kind, p, g):
                continue
            unmatched.remove(g)
            score.tp += 1
            if kind == "money":
                score.extra_n += 1
                score.extra_ok += p.get("qualifier", "exact") == g.get("qualifier", "exact")
            elif kind == "count":
                score.extra_n += 1
                score.extra_ok += _prefix(p.get("item", ""), g.get("item", ""))
            break
        else:
            score.fp += 1
            score.false_positives.append(_where(doc_id, p))
    score.fn += len(unmatched)
    score.misses.extend(_where(doc_id, g) for g in unmatched)


def _score_keys(doc_id: str, gold: set[str], pred: set[str], score: Score) -> None:
    score.tp += len(gold & pred)
    score.fp += len(pred - gold)
    score.fn += len(gold - pred)
    score.false_positives.extend(f"{doc_id}: {k}" for k in sorted(pred - gold))
    score.misses.extend(f"{doc_id}: {k}" for k in sorted(gold - pred))


def org_name(name: str | None) -> str:
    """An organisation's name for comparison (docs/FACT-TYPES.md): abbreviations written
    out, the unit word before a unit's name left out, then SPEC §4's normalisation."""
    from .patterns import load
    from .resolve.organizations import key

    return norm(key(name or "", load()))


def _score_appointments(doc_id: str, gold: list[Fact], pred: list[Fact], score: Score) -> None:
    """Unique (person, action, post); a post matches when one is the other or starts it at
    a word boundary ("Bí thư Tỉnh ủy" / "Bí thư Tỉnh ủy Lạng Sơn"), abbreviations written
    out as in organisation names ("HĐND" is "Hội đồng nhân dân")."""

    def keys(facts: list[Fact]) -> list[tuple[str, str, str]]:
        return sorted(
            {(norm(f.get("person")), str(f.get("action")), org_name(f.get("post"))) for f in facts}
        )

    unmatched = keys(gold)
    for person, action, post in keys(pred):
        hit = next(
            (
                g
                for g in unmatched
                if g[0] == person and g[1] == action and (g[2] == post or _prefix(g[2], post))
            ),
            None,
        )
        if hit is None:
            score.fp += 1
            score.false_positives.append(f"{doc_id}: {person} {action} {post}")
        else:
            unmatched.remove(hit)
            score.tp += 1
    score.fn += len(unmatched)
    score.misses.extend(f"{doc_id}: {p} {a} {t}" for p, a, t in unmatched)


def _score_officials(doc_id: str, gold: list[Fact], pred: list[Fact], score: Score) -> None:
    def by_name(facts: Iterable[Fact]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for f in facts:
            out[norm(f.get("name"))].update(norm(t) for t in f.get("titles", []))
        return out

    g, p = by_name(gold), by_name(pred)
    for name in p.keys() & g.keys():
        score.tp += 1
        score.title_tp += len(p[name] & g[name])
        score.title_pred += len(p[name])
        score.title_gold += len(g[name])
    score.fp += len(p.keys() - g.keys())
    score.fn += len(g.keys() - p.keys())
    score.false_positives.extend(f"{doc_id}: {n}" for n in sorted(p.keys() - g.keys()))
    score.misses.extend(f"{doc_id}: {n}" for n in sorted(g.keys() - p.keys()))


def _score_locations(doc_id: str, gold: list[Fact], pred: list[Fact], score: Score) -> None:
    def keys(facts: Iterable[Fact]) -> set[tuple[str, str]]:
        return {
            (f.get("level", ""), norm(f.get("name"))) for f in facts if f.get("level") != "country"
        }

    g, p = keys(gold), keys(pred)
    score.tp += len(g & p)
    score.fp += len(p - g)
    score.fn += len(g - p)
    score.false_positives.extend(f"{doc_id}: {lv} {n}" for lv, n in sorted(p - g))
    score.misses.extend(f"{doc_id}: {lv} {n}" for lv, n in sorted(g - p))
    # Code accuracy: the share of gold province/district/commune facts whose unit is found
    # with the gold's GSO code ("code": null where the gold says there is none). Gold that
    # does not annotate codes at all (no "code" key) is left out of this figure.
    codes = {(f.get("level", ""), norm(f.get("name"))): f.get("code") for f in pred}
    for f in gold:
        if f.get("level") not in ("province", "district", "commune") or "code" not in f:
            continue
        key = (f["level"], norm(f.get("name")))
        score.extra_n += 1
        if key in codes and codes[key] == f.get("code"):
            score.extra_ok += 1
        elif key in codes:
            score.misses.append(
                f"{doc_id}: code of {key[0]} {key[1]}: gold {f.get('code')}, got {codes[key]}"
            )


def score(gold_docs: list[GoldDoc], predictions: dict[str, list[Fact]]) -> dict[str, Score]:
    """The four core types always; the others where some gold file declares them."""
    declared = set().union(*(doc.types for doc in gold_docs)) if gold_docs else set()
    kinds = [k for k in ALL_TYPES if k in TYPES or k in declared]
    scores = {kind: Score() for kind in kinds}
    for doc in gold_docs:
        pred = predictions.get(doc.doc_id, [])
        for kind in kinds:
            if kind not in doc.types:
                continue
            g = [f for f in doc.facts if f.get("type") == kind]
            p = [f for f in pred if f.get("type") == kind]
            if kind in SPAN_TYPES:
                _score_spans(kind, doc.doc_id, g, p, scores[kind])
            elif kind == "official":
                _score_officials(doc.doc_id, g, p, scores[kind])
            elif kind == "location":
                _score_locations(doc.doc_id, g, p, scores[kind])
            elif kind == "organization":
                names = {org_name(f.get("name")) for f in g}
                _score_keys(doc.doc_id, names, {org_name(f.get("name")) for f in p}, scores[kind])
            elif kind == "term":
                terms = {f"{f.get('from')}-{f.get('to')}" for f in g}
                found = {f"{f.get('from')}-{f.get('to')}" for f in p}
                _score_keys(doc.doc_id, terms, found, scores[kind])
            else:
                _score_appointments(doc.doc_id, g, p, scores[kind])
    return scores


def macro(scores: dict[str, Score], kinds: Iterable[str] = TYPES) -> float:
    chosen = [scores[k].f1 for k in kinds if k in scores]
    return sum(chosen) / len(chosen) if chosen else 0.0


EXTRA_NAME = {
    "money": "qualifier acc",
    "count": "item acc",
    "official": "title F1",
    "location": "code acc",
}


def as_dict(scores: dict[str, Score]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, s in scores.items():
        out[kind] = {
            "precision": round(s.precision, 4),
            "recall": round(s.recall, 4),
            "f1": round(s.f1, 4),
            "tp": s.tp,
            "fp": s.fp,
            "fn": s.fn,
        }
        if kind == "money":
            out[kind]["qualifier_accuracy"] = s.extra
        elif kind == "count":
            out[kind]["item_accuracy"] = s.extra
        elif kind == "official":
            out[kind]["title_f1"] = s.title_f1
        elif kind == "location":
            out[kind]["code_accuracy"] = s.extra
    out["macro_f1"] = round(macro(scores), 4)
    if any(k in scores for k in MORE_TYPES):
        out["macro_f1_all"] = round(macro(scores, ALL_TYPES), 4)
    return out


def table(scores: dict[str, Score], label: str = "") -> str:
    rows = [
        f"{label}" if label else "",
        "| type | P | R | F1 | TP | FP | FN | other |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind, s in scores.items():
        extra = s.title_f1 if kind == "official" else s.extra
        other = (
            f"{EXTRA_NAME[kind]} {extra:.3f}" if extra is not None and kind in EXTRA_NAME else ""
        )
        figures = f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp} | {s.fp} | {s.fn}"
        rows.append(f"| {kind} | {figures} | {other} |")
    rows.append(f"| macro F1 (4 core types) | | | {macro(scores):.3f} | | | | |")
    if any(k in scores for k in MORE_TYPES):
        named = sum(k in scores for k in ALL_TYPES)
        rows.append(f"| macro F1 ({named} types) | | | {macro(scores, ALL_TYPES):.3f} | | | | |")
    return "\n".join(r for r in rows if r)


@dataclass
class NerComparison:
    """Recall of gold official names by underthesea's ner() (PER) and by vnfacts."""

    names: int = 0
    ner_found: int = 0
    ours_found: int = 0
    ner_seconds: float = 0.0

    def line(self) -> str:
        if not self.names:
            return "official names: none in the gold"
        return (
            f"official names ({self.names}): vnfacts recall {self.ours_found / self.names:.3f}; "
            f"underthesea ner() PER recall {self.ner_found / self.names:.3f} "
            f"({self.ner_seconds:.1f} s)"
        )


def ner_people(text: str) -> set[str]:
    """Normalised PER entities of underthesea's ner(), run line by line."""
    from underthesea import ner, sent_tokenize  # slow to import; only this comparison needs it

    found: set[str] = set()
    for line in normalise(text).text.split("\n"):
        for sentence in sent_tokenize(line) if line.strip() else []:
            current: list[str] = []
            for token, *_, tag in [*ner(sentence), ("", "O")]:
                if tag in ("B-PER", "I-PER") and not (tag == "B-PER" and current):
                    current.append(token)
                    continue
                if current:
                    found.add(norm(" ".join(current)))
                current = [token] if tag == "B-PER" else []
    return found


def compare_ner(docs: list[GoldDoc], predictions: dict[str, list[Fact]]) -> NerComparison:
    result = NerComparison()
    for doc in docs:
        gold = {norm(f.get("name")) for f in doc.facts if f.get("type") == "official"}
        if not gold:
            continue
        predicted = predictions.get(doc.doc_id, [])
        ours = {norm(f.get("name")) for f in predicted if f.get("type") == "official"}
        began = time.perf_counter()
        theirs = ner_people(doc.text)
        result.ner_seconds += time.perf_counter() - began
        result.names += len(gold)
        result.ner_found += len(gold & theirs)
        result.ours_found += len(gold & ours)
    return result
