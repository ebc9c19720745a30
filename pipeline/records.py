"""Turn one document into its records: normalise, segment, match, resolve, and map back.

Every fact's `start`/`end` is mapped from the normalised text to the original, and its
`text` is cut from the original, so `original[start:end] == text` holds by construction.
"""

from __future__ import annotations

from collections.abc import Callable

import regex
from underthesea import sent_tokenize

from . import resolve
from .match import Candidate, item_extent, match, paragraph
from .models import (
    Count,
    Date,
    ErrorInfo,
    ErrorRecord,
    Measure,
    Money,
    OutputRecord,
    Percent,
    Record,
)
from .normalise import Normalised, normalise
from .patterns import Patterns
from .read import Document, DocumentError
from .segment import Article, segment
from .tokenise import tokenise

Builder = Callable[[regex.Match[str], str, Patterns], resolve.Fields]
_BUILDERS: dict[str, tuple[Builder, type[Money | Percent | Measure | Date]]] = {
    "money": (resolve.money, Money),
    "percent": (resolve.percent, Percent),
    "measure": (resolve.measure, Measure),
    "date": (resolve.date, Date),
}


class _Tokens:
    """Word tokens of the sentences that need them, made on first use (tokenising is slow)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences: dict[int, tuple[int, list[str], list[int]]] = {}

    def around(self, pos: int) -> tuple[list[str], list[int]]:
        lo, hi = paragraph(self.text, pos)
        if lo not in self.sentences:
            self._tokenise_paragraph(lo, hi)
        best = max((s for s in self.sentences if s <= pos), default=lo)
        _, words, starts = self.sentences[best]
        return words, starts

    def _tokenise_paragraph(self, lo: int, hi: int) -> None:
        chunk = self.text[lo:hi]
        cursor = 0
        for sentence in sent_tokenize(chunk) or [chunk]:
            found = chunk.find(sentence, cursor)
            if found < 0:
                continue
            cursor = found + len(sentence)
            doc = tokenise(sentence)
            base = lo + found
            starts = [base + s for s in doc.user_data["starts"]]
            self.sentences[base] = (base, [t.text for t in doc], starts)
        self.sentences.setdefault(lo, (lo, [], []))


def _fact(
    cand: Candidate, text: str, norm: Normalised, offset: int, patterns: Patterns, tokens: _Tokens
) -> Money | Count | Percent | Measure | Date:
    m = cand.match
    end = m.end()
    if cand.rule.type == "count":
        words, starts = tokens.around(m.start("item"))
        end = max(end, item_extent(words, starts, m.start("item"), patterns))
        fields = resolve.count(m, text, patterns, end)
        model: type[Money | Count | Percent | Measure | Date] = Count
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


def extract_article(
    norm: Normalised, article: Article, patterns: Patterns
) -> list[Money | Count | Percent | Measure | Date]:
    text = norm.text[article.start : article.end]
    tokens = _Tokens(text)
    return [_fact(c, text, norm, article.start, patterns, tokens) for c in match(text, patterns)]


def extract_document(doc: Document, patterns: Patterns) -> list[Record]:
    norm = normalise(doc.text)
    records = []
    for index, article in enumerate(segment(norm.text, patterns)):
        start, end = norm.to_original(article.start, article.end)
        records.append(
            Record(
                doc_id=doc.doc_id,
                article=index,
                title=article.title,
                byline=article.byline,
                start=start,
                end=end,
                date=doc.date,
                facts=list(extract_article(norm, article, patterns)),
            )
        )
    return records


def error_record(error: DocumentError) -> ErrorRecord:
    return ErrorRecord(
        doc_id=error.doc_id, error=ErrorInfo(kind=error.code.kind, message=error.message)
    )


def records_for(item: Document | DocumentError, patterns: Patterns) -> list[OutputRecord]:
    """The records of one input; an unexpected failure becomes an error record, not a crash."""
    if isinstance(item, DocumentError):
        return [error_record(item)]
    try:
        return list(extract_document(item, patterns))
    except Exception as exc:
        from .errors import ErrorCode

        return [
            error_record(DocumentError(item.doc_id, ErrorCode.E106, f"{type(exc).__name__}: {exc}"))
        ]
