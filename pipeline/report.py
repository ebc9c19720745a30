"""The review report: one self-contained HTML page of a run's records for an editor.

Per article: the text with every fact highlighted by type (hover a highlight for its value
and rule), and its fact list; for PDF input also the printed page it is on, with the box of
every fact drawn over it. Across the run: officials, places by level, money by place
and by article (with a chart drawn by matplotlib as inline SVG), the largest counts, and
every error record. The page loads nothing from the network.
"""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from .read import Document, PdfFile, read_inputs

TYPES = (
    "money",
    "count",
    "official",
    "person",
    "location",
    "organization",
    "percent",
    "measure",
    "date",
    "term",
    "document",
    "quote",
    "appointment",
)
COLOURS = {
    "organization": "#b3c7f2",
    "term": "#e6ee9c",
    "document": "#d7ccc8",
    "quote": "#f8bbd0",
    "appointment": "#b2dfdb",
    "money": "#f6c343",
    "count": "#7cc4f2",
    "official": "#f08a8a",
    "person": "#f3b6d6",
    "location": "#8fd694",
    "percent": "#c9b6f2",
    "measure": "#d9d9d9",
    "date": "#e8d7b0",
}


def describe(fact: dict[str, Any]) -> str:
    """The normalised value of a fact in one line, for its tooltip."""
    kind = fact["type"]
    if kind == "money":
        value = f"{fact['amount']:,} {fact['currency']}"
        if fact.get("amount_max") is not None:
            value += f" – {fact['amount_max']:,}"
        if fact.get("per"):
            value += f" / {fact['per']}"
        value += f" ({fact.get('qualifier', 'exact')})"
    elif kind == "count":
        value = f"{fact['value']:,}"
        if fact.get("value_max") is not None:
            value += f"–{fact['value_max']:,}"
        if fact.get("total") is not None:
            value += f" of {fact['total']:,}"
        value += f" × {fact['item']} ({fact.get('qualifier', 'exact')})"
    elif kind == "official":
        value = f"{fact['name']}: {'; '.join(fact['titles'])}"
    elif kind == "person":
        value = fact["name"] + (f", {fact['address']}" if fact.get("address") else "")
    elif kind == "location":
        value = f"{fact['name']} ({fact['level']}"
        value += f", in {fact['parent']}" if fact.get("parent") else ""
        value += f", code {fact['code']}" if fact.get("code") else ""
        value += ")"
    elif kind == "organization":
        value = fact["name"] + (f" ({fact['kind']}, {fact['unit']})" if fact.get("unit") else "")
    elif kind == "document":
        value = " ".join(str(fact[k]) for k in ("kind", "number") if fact.get(k))
        value += f" of {fact['date']}" if fact.get("date") else ""
    elif kind == "term":
        value = f"{fact['from']}–{fact['to']}"
    elif kind == "quote":
        value = f"said by {fact.get('speaker') or 'an unnamed speaker'}"
    elif kind == "appointment":
        value = f"{fact['person']} {fact['action']} {fact.get('post') or ''}".strip()
    elif kind in ("percent", "measure"):
        value = f"{fact['value']}{'%' if kind == 'percent' else ' ' + fact['unit']}"
    else:
        value = str(fact.get("value", ""))
    return f"{kind}: {value} · rule {fact['rule']}"


def highlight(text: str, base: int, facts: list[dict[str, Any]]) -> Markup:
    """`text` (which starts at offset `base` of its document) with a <mark> per fact.

    Facts may overlap ("2 xã Ba Nang" is a count and holds a place), so the text is cut at
    every fact boundary and each piece is wrapped in the marks of the facts that cover it;
    every mark carries its fact's number and document offsets.
    """
    spans = [(f["start"], f["end"], n, f, "fact") for n, f in enumerate(facts)]
    spans += [  # later mentions of an official, a person or a place, lighter
        (a, b, n, f, "mention")
        for n, f in enumerate(facts)
        for a, b in f.get("mentions") or []
        if (a, b) != (f["start"], f["end"])
    ]
    spans = sorted(
        (s for s in spans if 0 <= s[0] - base < s[1] - base <= len(text)), key=lambda s: s[0]
    )
    cuts = {0, len(text), *(s[0] - base for s in spans), *(s[1] - base for s in spans)}
    out: list[str] = []
    active: list[Any] = []  # the spans over the current piece: a sweep, not a scan per piece
    following = iter(spans)
    waiting = next(following, None)
    for a, b in pairwise(sorted(cuts)):
        while waiting is not None and waiting[0] - base <= a:
            active.append(waiting)
            waiting = next(following, None)
        active = [s for s in active if b <= s[1] - base]
        piece = str(escape(text[a:b]))
        for start, end, number, fact, kind in sorted(active, key=lambda s: s[1] - s[0]):
            attributes = (  # shortest first: the inner mark
                f' class="{kind} {fact["type"]}" data-fact="{number}"'
                f' data-start="{start}" data-end="{end}"'
                f' title="{escape(describe(fact))}"'
            )
            piece = f"<mark{attributes}>{piece}</mark>"
        out.append(piece)
    return Markup("".join(out))


@dataclass
class PageImage:
    """A printed page (PDF input) as an image, with the boxes of an article's facts on it
    in percentages of the page, so that they scale with the image."""

    number: int
    css: str  # the class that draws the page image (each page is in the report once)
    ratio: str  # width / height
    boxes: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Article:
    doc_id: str
    number: int
    title: str | None
    byline: str | None
    date: str | None
    facts: list[dict[str, Any]]
    html: Markup | None = None
    pages: list[PageImage] = field(default_factory=list)


class _Pages:
    """The pages of the PDF inputs, rendered once each (pypdfium2) as JPEG data URIs."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources
        self.cache: dict[tuple[str, int], tuple[str, float, float]] = {}

    def css(self) -> dict[str, str]:
        """CSS class → data URI of every page rendered."""
        return {_css(doc_id, n): src for (doc_id, n), (src, _, _) in self.cache.items()}

    def image(self, doc_id: str, number: int) -> tuple[str, float, float] | None:
        path = self.sources.get(doc_id)
        if path is None:
            return None
        key = (doc_id, number)
        if key not in self.cache:
            import base64

            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(path)
            try:
                page = pdf[number - 1]
                width, height = page.get_size()
                picture = page.render(scale=1.25).to_pil().convert("RGB")
            finally:
                pdf.close()
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=72)
            data = base64.b64encode(buffer.getvalue()).decode("ascii")
            self.cache[key] = (f"data:image/jpeg;base64,{data}", width, height)
        return self.cache[key]


def _css(doc_id: str, number: int) -> str:
    import hashlib

    return f"pg{hashlib.sha1(doc_id.encode()).hexdigest()[:8]}-{number}"


def _page_images(pages: _Pages, doc_id: str, record: dict[str, Any]) -> list[PageImage]:
    found: list[PageImage] = []
    for number in record.get("pages") or []:
        image = pages.image(doc_id, number)
        if image is None:
            return []
        _, width, height = image
        shown = PageImage(number, _css(doc_id, number), f"{width:.1f} / {height:.1f}")
        for fact in record["facts"]:
            if fact.get("page") != number:
                continue
            for x0, top, x1, bottom in fact.get("bbox") or []:
                shown.boxes.append(
                    {
                        "type": fact["type"],
                        "title": f"{fact['type']}: {describe(fact)}",
                        "left": 100 * x0 / width,
                        "top": 100 * top / height,
                        "width": 100 * (x1 - x0) / width,
                        "height": 100 * (bottom - top) / height,
                    }
                )
        found.append(shown)
    return found


@dataclass
class Run:
    articles: list[Article] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    page_images: dict[str, str] = field(default_factory=dict)  # CSS class → data URI


def load_run(records: Path, inputs: Iterable[str] = ()) -> Run:
    """The records of OUT, with each article's text from the inputs where they are given."""
    texts: dict[str, str] = {}
    printed: dict[str, str] = {}  # doc_id → the PDF it was read from
    if inputs:
        for item in read_inputs(inputs):
            if isinstance(item, PdfFile):
                item = item.read()
            if isinstance(item, Document):
                texts[item.doc_id] = item.text
                if item.basis == "pdf":
                    printed[item.doc_id] = item.source
    pages = _Pages(printed)
    run = Run()
    main_texts: dict[str, str] = {}
    for line in records.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        if "error" in record:
            run.errors.append(record)
            continue
        if record.get("main_text"):
            main_texts[record["doc_id"]] = record["main_text"]
        source = main_texts.get(record["doc_id"]) if record.get("basis") else None
        source = source if source is not None else texts.get(record["doc_id"])
        article = Article(
            record["doc_id"],
            record["article"],
            record.get("title"),
            record.get("byline"),
            record.get("date"),
            record["facts"],
        )
        if source is not None:
            start, end = record["start"], record["end"]
            article.html = highlight(source[start:end], start, record["facts"])
        if record.get("basis") == "pdf":
            article.pages = _page_images(pages, record["doc_id"], record)
        run.articles.append(article)
    run.page_images = pages.css()
    return run


def _facts(run: Run, kind: str) -> Iterator[tuple[Article, dict[str, Any]]]:
    for article in run.articles:
        for fact in article.facts:
            if fact["type"] == kind:
                yield article, fact


def officials(run: Run) -> list[dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for article, fact in _facts(run, "official"):
        entry = merged.setdefault(
            fact["name"].casefold(), {"name": fact["name"], "titles": [], "articles": set()}
        )
        entry["titles"] += [t for t in fact["titles"] if t not in entry["titles"]]
        entry["articles"].add((article.doc_id, article.number))
    rows = [{**e, "articles": len(e["articles"])} for e in merged.values()]
    return sorted(rows, key=lambda e: (-e["articles"], e["name"]))


def places(run: Run) -> dict[str, list[tuple[str, int]]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for _, fact in _facts(run, "location"):
        counts[fact["level"]][fact["name"]] += len(fact.get("mentions") or [1])
    order = ("province", "district", "commune", "village", "country")
    return {level: counts[level].most_common() for level in order if counts.get(level)}


def money_by_article(run: Run) -> list[tuple[str, float]]:
    totals = []
    for article in run.articles:
        amount = sum(
            f["amount"] for f in article.facts if f["type"] == "money" and f["currency"] == "VND"
        )
        if amount:
            totals.append(
                (f"{article.doc_id} #{article.number}: {article.title or ''}"[:90], amount)
            )
    return sorted(totals, key=lambda t: -t[1])


def money_by_place(run: Run) -> list[tuple[str, float]]:
    """VND amounts credited to the nearest unit named before them in the same article
    (commune, district or province); amounts before any unit go to "(no place)"."""
    totals: defaultdict[str, float] = defaultdict(float)
    for article in run.articles:
        marks = sorted(
            (start, f["name"])
            for f in article.facts
            if f["type"] == "location" and f["level"] in ("commune", "district", "province")
            for start, _ in (f.get("mentions") or [(f["start"], f["end"])])
        )
        for fact in article.facts:
            if fact["type"] != "money" or fact["currency"] != "VND":
                continue
            before = [name for start, name in marks if start <= fact["start"]]
            totals[before[-1] if before else "(no place)"] += fact["amount"]
    return sorted(totals.items(), key=lambda t: -t[1])


def documents(run: Run) -> list[dict[str, Any]]:
    """Documents cited, once per kind and number, with the articles that cite them."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for article, fact in _facts(run, "document"):
        key = (fact["kind"].casefold(), (fact.get("number") or fact["text"]).casefold())
        entry = merged.setdefault(key, {**fact, "articles": set()})
        entry["articles"].add((article.doc_id, article.number))
    rows = [{**e, "articles": len(e["articles"])} for e in merged.values()]
    return sorted(rows, key=lambda e: (-e["articles"], e["kind"], e.get("number") or ""))


def quotes_by_speaker(run: Run) -> list[tuple[str, list[tuple[Article, dict[str, Any]]]]]:
    """What each speaker said, speakers with the most quotes first (unnamed ones last)."""
    said: defaultdict[str, list[tuple[Article, dict[str, Any]]]] = defaultdict(list)
    for article, fact in _facts(run, "quote"):
        said[fact.get("speaker") or "(unnamed speaker)"].append((article, fact))
    return sorted(said.items(), key=lambda s: (s[0] == "(unnamed speaker)", -len(s[1]), s[0]))


def appointments(run: Run) -> list[tuple[Article, dict[str, Any]]]:
    return list(_facts(run, "appointment"))


def largest_counts(run: Run, limit: int = 20) -> list[tuple[Article, dict[str, Any]]]:
    found = list(_facts(run, "count"))
    return sorted(found, key=lambda pair: -float(pair[1]["value"]))[:limit]


def chart(rows: list[tuple[str, float]], title: str) -> Markup | None:
    """A horizontal bar chart as inline SVG (matplotlib), or None without data."""
    if not rows:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    rows = rows[:15][::-1]
    figure, axes = plt.subplots(figsize=(8, 0.35 * len(rows) + 1.2))
    axes.barh([name for name, _ in rows], [amount / 1e6 for _, amount in rows], color="#d9a400")
    axes.set_xlabel("triệu đồng (million VND)")
    axes.set_title(title)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    svg = buffer.getvalue()
    return Markup(svg[svg.index("<svg") :])


def render(run: Run, source: str = "") -> str:
    environment = Environment(
        loader=PackageLoader("pipeline", "templates"), autoescape=select_autoescape()
    )
    template = environment.get_template("report.html")
    by_place = money_by_place(run)
    return template.render(
        run=run,
        source=source,
        types=TYPES,
        colours=COLOURS,
        describe=describe,
        officials=officials(run),
        places=places(run),
        by_article=money_by_article(run),
        by_place=by_place,
        place_chart=chart([r for r in by_place if r[0] != "(no place)"], "Money by place"),
        largest=largest_counts(run),
        documents=documents(run),
        quotes=quotes_by_speaker(run),
        appointments=appointments(run),
        fact_count=sum(len(a.facts) for a in run.articles),
    )


def write_report(records: Path, out: Path, inputs: Iterable[str] = ()) -> Run:
    run = load_run(records, inputs)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(run, str(records)), encoding="utf-8")
    return run
