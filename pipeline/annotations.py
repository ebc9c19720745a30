"""Label Studio round trip: a run's facts become pre-annotated tasks, and a project's
export (the facts a person kept, corrected or added) becomes gold files of SPEC.md §3.

    vnfacts export out.jsonl --format label-studio -o tasks.json --inputs texts/
    vnfacts import-annotations project-export.json -o gold/
    vnfacts evaluate --gold gold/ --pred out.jsonl

A task is a document (its facts pooled over its articles, as SPEC §4 scores them). Each
fact is a region labelled MONEY, COUNT, OFFICIAL … over its span, and officials, persons
and places have one region per mention. The normalised values travel in the region's
`meta`: as keys, and as one editable line in `meta.text` ("amount=29000000;
currency=VND; qualifier=exact"), the box Label Studio shows as the region's meta info. On
import that line wins over the keys, so a person corrects a value by editing it. Values are
re-resolved by running vnfacts on the task's text (and, for a region it did not find, on the
region's text alone); where they differ from the annotation the annotation is kept and the
difference reported, span by span.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ErrorCode, VnfactsError
from .models import LABELS, SCORED_TYPES, AppointmentAction, Level, Qualifier
from .read import Document, document_from_text, read_inputs

TYPE_OF = {label: kind for kind, label in LABELS.items()}
COLOURS = {
    "MONEY": "#2e7d32",
    "COUNT": "#1565c0",
    "PERCENT": "#6a1b9a",
    "MEASURE": "#00838f",
    "DATE": "#757575",
    "OFFICIAL": "#c62828",
    "PERSON": "#ef6c00",
    "LOCATION": "#8d6e63",
    "ORGANIZATION": "#283593",
    "DOCUMENT": "#4e342e",
    "TERM": "#9e9d24",
    "QUOTE": "#ad1457",
    "APPOINTMENT": "#00695c",
}
# The values a fact of each type carries into the meta line, in that order.
VALUE_KEYS = {
    "money": ("amount", "currency", "qualifier", "amount_max", "per"),
    "count": ("value", "item", "qualifier", "value_max", "total"),
    "percent": ("value", "qualifier", "value_max"),
    "measure": ("value", "unit", "item", "qualifier"),
    "date": ("value",),
    "official": ("name", "titles"),
    "person": ("name",),
    "location": ("name", "level", "keyword"),
    "organization": ("name",),
    "document": ("kind", "number"),
    "term": ("from", "to"),
    "quote": ("speaker",),
    "appointment": ("person", "action", "post"),
}
SPAN_TYPES = frozenset({"money", "count", "percent", "measure", "date", "document", "quote"})
# What makes an entity-like gold fact one fact (its regions are merged).
ENTITY_KEYS = {
    "official": ("name",),
    "person": ("name",),
    "location": ("name", "level"),
    "organization": ("name",),
    "term": ("from", "to"),
    "appointment": ("person", "action", "post"),
}
NUMBER_KEYS = frozenset({"amount", "amount_max", "value", "value_max", "total", "from", "to"})
FROM_NAME, TO_NAME = "label", "text"
MODEL_VERSION = "vnfacts"


def label_config() -> str:
    """The labelling interface to paste into a Label Studio project (Settings → Labeling
    Interface → Code)."""
    labels = "\n".join(
        f'    <Label value="{label}" background="{COLOURS[label]}"/>' for label in LABELS.values()
    )
    return (
        "<View>\n"
        '  <Header value="$doc_id"/>\n'
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{labels}\n  </Labels>\n'
        f'  <Text name="{TO_NAME}" value="$text" granularity="symbol"/>\n'
        "</View>\n"
    )


# --- export -----------------------------------------------------------------------------


def _meta_line(kind: str, values: dict[str, Any]) -> str:
    parts = []
    for key in VALUE_KEYS[kind]:
        value = values.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            value = " | ".join(value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        parts.append(f"{key}={value}")
    return "; ".join(parts)


def _regions(doc_id: str, facts: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    seen: set[tuple[str, int, int]] = set()
    for fact in facts:
        kind = fact["type"]
        if kind not in LABELS:
            continue
        values = {k: fact[k] for k in VALUE_KEYS[kind] if fact.get(k) is not None}
        spans = [(fact["start"], fact["end"])]
        if kind not in SPAN_TYPES:
            spans += [tuple(m) for m in fact.get("mentions", ())]
        for start, end in spans:
            key = (LABELS[kind], start, end)
            if key in seen:
                continue
            seen.add(key)
            yield {
                "id": f"{doc_id}:{LABELS[kind]}:{start}-{end}",
                "from_name": FROM_NAME,
                "to_name": TO_NAME,
                "type": "labels",
                "origin": "prediction",
                "value": {"start": start, "end": end, "labels": [LABELS[kind]]},
                "meta": {"text": [_meta_line(kind, values)], **values},
            }


@dataclass
class Export:
    tasks: int = 0
    regions: int = 0
    errors: int = 0  # error records: documents with nothing to annotate
    missing: list[str] = field(default_factory=list)  # documents whose text was not found


def tasks_from_run(
    records: Path, inputs: Iterable[str] = ()
) -> tuple[list[dict[str, Any]], Export]:
    """One task per document of the run. The text is the record's `main_text` (HTML and
    converted input) or the input file's text; offsets are then valid in it."""
    # PDF records carry their text (main_text); the other inputs are read for theirs.
    texts = {item.doc_id: item.text for item in read_inputs(inputs) if isinstance(item, Document)}
    docs: dict[str, dict[str, Any]] = {}
    summary = Export()
    with records.open(encoding="utf-8") as stream:
        for line in stream:
            if not line.strip():
                continue
            record = json.loads(line)
            if "error" in record:
                summary.errors += 1
                continue
            doc = docs.setdefault(
                record["doc_id"], {"text": None, "facts": [], "titles": [], "date": None}
            )
            if record.get("main_text") and record.get("basis"):
                doc["text"] = record["main_text"]
            doc["facts"].extend(record["facts"])
            doc["titles"].append(record.get("title"))
            doc["date"] = doc["date"] or record.get("date")
    tasks = []
    for doc_id, doc in docs.items():
        text = doc["text"] if doc["text"] is not None else texts.get(doc_id)
        if text is None:
            summary.missing.append(doc_id)
            continue
        regions = list(_regions(doc_id, doc["facts"]))
        for region in regions:
            value = region["value"]
            value["text"] = text[value["start"] : value["end"]]
        data = {"text": text, "doc_id": doc_id, "titles": [t for t in doc["titles"] if t]}
        if doc["date"]:
            data["date"] = doc["date"]
        tasks.append(
            {"data": data, "predictions": [{"model_version": MODEL_VERSION, "result": regions}]}
        )
        summary.tasks += 1
        summary.regions += len(regions)
    return tasks, summary


def write_tasks(records: Path, out: Path, inputs: Iterable[str] = ()) -> tuple[Path, Export]:
    """tasks.json and, beside it, the labelling config (tasks.label-config.xml)."""
    tasks, summary = tasks_from_run(records, inputs)
    if summary.missing:
        shown = ", ".join(summary.missing[:5]) + (" …" if len(summary.missing) > 5 else "")
        raise VnfactsError(ErrorCode.E211, detail=shown)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    config = out.with_name(out.stem + ".label-config.xml")
    config.write_text(label_config(), encoding="utf-8")
    return config, summary


# --- import -----------------------------------------------------------------------------


class _Gold(BaseModel):
    """A gold fact of SPEC §3, as the import writes it (the values vnfacts emits)."""

    model_config = ConfigDict(extra="forbid")


class _Span(_Gold):
    """A fact located by its text and occurrence (SPEC §3)."""

    text: str
    occurrence: int


class _Quantity(_Span):
    value: float
    qualifier: Qualifier = "exact"


class GoldMoney(_Span):
    amount: float
    currency: str
    qualifier: Qualifier = "exact"
    amount_max: float | None = None
    per: str | None = None


class GoldCount(_Quantity):
    item: str
    value_max: float | None = None
    total: float | None = None


class GoldPercent(_Quantity):
    value_max: float | None = None


class GoldMeasure(_Quantity):
    unit: str
    item: str | None = None


class GoldDate(_Span):
    value: str


class GoldOfficial(_Gold):
    name: str
    titles: list[str] = []


class GoldPerson(_Gold):
    name: str


class GoldLocation(_Gold):
    name: str
    level: Level
    keyword: str | None = None


class GoldOrganization(_Gold):
    name: str


class GoldDocument(_Span):
    kind: str
    number: str | None = None


class GoldTerm(_Gold):
    from_: int = Field(alias="from")
    to: int

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class GoldQuote(_Span):
    speaker: str | None = None


class GoldAppointment(_Gold):
    person: str
    action: AppointmentAction
    post: str | None = None


GOLD_MODELS: dict[str, type[_Gold]] = {
    "money": GoldMoney,
    "count": GoldCount,
    "percent": GoldPercent,
    "measure": GoldMeasure,
    "date": GoldDate,
    "official": GoldOfficial,
    "person": GoldPerson,
    "location": GoldLocation,
    "organization": GoldOrganization,
    "document": GoldDocument,
    "term": GoldTerm,
    "quote": GoldQuote,
    "appointment": GoldAppointment,
}


@dataclass
class Note:
    """What happened to one region: kept with a difference, or skipped, and why."""

    doc_id: str
    start: int
    end: int
    label: str
    text: str
    message: str

    def line(self) -> str:
        return f"{self.doc_id} {self.start}-{self.end} {self.label} {self.text!r}: {self.message}"


@dataclass
class Imported:
    files: int = 0
    facts: int = 0
    regions: int = 0
    notes: list[Note] = field(default_factory=list)


def _number(value: str) -> float | int:
    number = float(value.replace(",", "."))
    return int(number) if number.is_integer() and "." not in value and "," not in value else number


def parse_meta_line(line: str, kind: str = "") -> dict[str, Any]:
    """'amount=29000000; currency=VND' → {'amount': 29000000, 'currency': 'VND'}; titles
    are split at ' | '; an empty value is null. Raises ValueError for a part with no '='."""
    values: dict[str, Any] = {}
    for part in line.split(";"):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise ValueError(f"{part!r} is not key=value")
        if not value or value.lower() in ("null", "none"):
            values[key] = None
        elif key == "titles":
            values[key] = [t.strip() for t in value.split("|") if t.strip()]
        elif key in NUMBER_KEYS and kind != "date":
            values[key] = _number(value)
        else:
            values[key] = value
    return values


def _annotation(task: dict[str, Any]) -> dict[str, Any] | None:
    """The task's latest annotation that was not cancelled."""
    kept: list[dict[str, Any]] = [
        a for a in task.get("annotations") or [] if not a.get("was_cancelled")
    ]
    if not kept:
        return None
    return max(
        kept, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), kept.index(a))
    )


def _utf16_to_code_points(text: str, offset: int) -> int:
    """Label Studio counts offsets in UTF-16 units (the browser's); a character outside the
    BMP (an emoji) is two of them and one code point."""
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def _locate(text: str, value: dict[str, Any]) -> tuple[int, int] | None:
    start, end = int(value["start"]), int(value["end"])
    written = value.get("text")
    if written is None or text[start:end] == written:
        return (start, end) if 0 <= start < end <= len(text) else None
    start16, end16 = _utf16_to_code_points(text, start), _utf16_to_code_points(text, end)
    if text[start16:end16] == written:
        return start16, end16
    return None


def occurrence(text: str, start: int, needle: str) -> int:
    """SPEC §3 occurrence of the span at `start`: overlapping matches counted."""
    count, pos = 0, text.find(needle)
    while 0 <= pos <= start:
        count += 1
        pos = text.find(needle, pos + 1)
    return count


class _Resolver:
    """vnfacts' own reading of a text, looked up by (type, start, end)."""

    def __init__(self, doc_id: str, text: str) -> None:
        self.text = text
        self.facts = self._index(doc_id, text)

    @staticmethod
    def _index(doc_id: str, text: str) -> dict[tuple[str, int, int], dict[str, Any]]:
        from .patterns import load
        from .records import records_for

        found: dict[tuple[str, int, int], dict[str, Any]] = {}
        for record in records_for(document_from_text(doc_id, text), load()):
            for fact in getattr(record, "facts", ()):
                data = fact.model_dump(mode="json", exclude_none=True)
                spans = [(fact.start, fact.end)]
                spans += [tuple(m) for m in data.get("mentions", ())]
                for start, end in spans:
                    found.setdefault((fact.type, start, end), data)
        return found

    def values(self, kind: str, start: int, end: int) -> dict[str, Any] | None:
        fact = self.facts.get((kind, start, end))
        if fact is None:
            # A region vnfacts did not find: read the region's text alone.
            span = self.text[start:end]
            alone = self._index("region", span)
            fact = next(
                (f for (k, s, e), f in alone.items() if k == kind and (s, e) == (0, len(span))),
                None,
            )
        if fact is None:
            return None
        return {k: fact[k] for k in VALUE_KEYS[kind] if fact.get(k) is not None}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= 1e-9 * max(abs(float(a)), abs(float(b)), 1.0)
    return bool(a == b)


def gold_from_task(
    task: dict[str, Any], index: int
) -> tuple[str, str, list[dict[str, Any]], list[Note]]:
    """(doc_id, text, gold facts, notes) of one exported task."""
    data = task.get("data") or {}
    text = data.get("text")
    if not isinstance(text, str):
        raise VnfactsError(ErrorCode.E212, detail=f"task {index} has no data.text")
    doc_id = str(data.get("doc_id") or task.get("id") or f"task-{index}")
    annotation = _annotation(task)
    notes: list[Note] = []
    if annotation is None:
        return (
            doc_id,
            text,
            [],
            [Note(doc_id, 0, 0, "-", "", "no annotation: the task gives an empty gold file")],
        )
    resolver = _Resolver(doc_id, text)
    spans: dict[tuple[str, int, int], dict[str, Any]] = {}
    entities: dict[tuple[str, ...], dict[str, Any]] = {}
    for region in annotation.get("result") or []:
        if region.get("type") != "labels" or "value" not in region:
            continue  # relations, choices, text areas: not facts
        value = region["value"]
        labels = value.get("labels") or []
        label = labels[0] if labels else "-"
        written = str(value.get("text", ""))
        where = _locate(text, value)
        if where is None:
            at = (value.get("start", -1), value.get("end", -1))
            skipped = "skipped: the offsets do not hold this text in the task's text"
            notes.append(Note(doc_id, *at, label, written, skipped))
            continue
        start, end = where
        span = text[start:end]

        here = partial(Note, doc_id, start, end, label, span)  # a note on this region
        if label not in TYPE_OF or len(labels) != 1:
            notes.append(here(f"skipped: one label of {', '.join(LABELS.values())} expected"))
            continue
        kind = TYPE_OF[label]
        meta = region.get("meta") or {}
        given = {k: meta[k] for k in VALUE_KEYS[kind] if k in meta}
        line = meta.get("text")
        line = line[0] if isinstance(line, list) and line else line
        if isinstance(line, str) and line.strip():
            try:
                given.update(parse_meta_line(line, kind))
            except ValueError as exc:
                notes.append(here(f"meta line ignored: {exc}"))
        fresh = resolver.values(kind, start, end)
        if fresh is None and not given:
            notes.append(
                here(
                    "skipped: vnfacts reads no value here and the region has none; "
                    f"write one in its meta, e.g. '{_example(kind)}'"
                )
            )
            continue
        values = dict(fresh or {})
        for key, mine in given.items():
            theirs = values.get(key)
            if fresh is not None and theirs is not None and not _same(mine, theirs):
                notes.append(
                    here(f"{key}: annotation {mine!r}, vnfacts reads {theirs!r}; annotation kept")
                )
            values[key] = mine
        values = {k: v for k, v in values.items() if v is not None}
        if kind in SPAN_TYPES:
            values.update(text=span, occurrence=occurrence(text, start, span))
        try:
            fact = GOLD_MODELS[kind](**values).model_dump(exclude_none=True)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
            )
            notes.append(here(f"skipped: {problems}"))
            continue
        fact = {"type": kind, **{k: v for k, v in fact.items() if k != "type"}}
        for number in NUMBER_KEYS:
            if isinstance(fact.get(number), float) and fact[number].is_integer():
                fact[number] = int(fact[number])
        if kind in SPAN_TYPES:
            spans[(kind, start, end)] = fact
            continue
        entity = (kind, *(str(fact.get(k, "")).casefold() for k in ENTITY_KEYS[kind]))
        if entity in entities and kind == "official":
            titles = entities[entity]["titles"]
            titles.extend(t for t in fact["titles"] if t not in titles)
        else:
            entities.setdefault(entity, fact)
    ordered = [spans[k] for k in sorted(spans, key=lambda k: (k[1], k[2], k[0]))]
    return doc_id, text, ordered + list(entities.values()), notes


def _example(kind: str) -> str:
    return {
        "money": "amount=29000000; currency=VND; qualifier=exact",
        "count": "value=390; item=đảng viên; qualifier=exact",
        "percent": "value=95.5; qualifier=exact",
        "measure": "value=12; unit=ha; qualifier=exact",
        "date": "value=2025-03-05",
        "official": "name=Phạm Quốc Lập; titles=Phó Bí thư Đảng ủy xã",
        "person": "name=Nguyễn Văn An",
        "location": "name=Quỳnh Phụ; level=district; keyword=huyện",
        "organization": "name=UBND huyện Phú Lương",
        "document": "kind=Nghị quyết; number=12-NQ/TU",
        "term": "from=2020; to=2025",
        "quote": "speaker=Phạm Quốc Lập",
        "appointment": "person=Nguyễn Văn An; action=appointed; post=Phó Giám đốc Sở Y tế",
    }[kind]


def import_annotations(export: Path, out: Path, texts: Path | None = None) -> Imported:
    """Gold files (and the texts they point into) from a Label Studio JSON export."""
    try:
        tasks = json.loads(export.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VnfactsError(ErrorCode.E212, detail=f"{export}: {exc}") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise VnfactsError(ErrorCode.E212, detail=f"{export}: a JSON list of tasks expected")
    out.mkdir(parents=True, exist_ok=True)
    texts = texts or out
    texts.mkdir(parents=True, exist_ok=True)
    summary = Imported()
    for index, task in enumerate(tasks):
        if not isinstance(task, dict):
            raise VnfactsError(ErrorCode.E212, detail=f"task {index} is not an object")
        doc_id, text, facts, notes = gold_from_task(task, index)
        summary.notes.extend(notes)
        annotation = _annotation(task) or {}
        summary.regions += sum(
            1 for r in annotation.get("result") or [] if r.get("type") == "labels"
        )
        (texts / f"{doc_id}.txt").write_bytes(text.encode("utf-8"))
        # the labelling interface offers every type, so the gold annotates every type
        gold = {"doc_id": doc_id, "types": list(SCORED_TYPES), "facts": facts}
        (out / f"{doc_id}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        summary.files += 1
        summary.facts += len(facts)
    return summary
