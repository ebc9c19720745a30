"""vnfacts as a spaCy pipeline component (registered through the `spacy_factories` entry
point, so `nlp.add_pipe("vnfacts")` works after `pip install vnfacts`):

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("vnfacts")
    doc = nlp(text)
    doc.spans["vnfacts"]            # every fact, labelled MONEY, COUNT, OFFICIAL, LOCATION …
    doc.spans["vnfacts"][0]._.vnfacts   # the fact, as in the JSON record
    doc._.vnfacts_records           # the records (dicts, as `vnfacts extract` writes them)

Facts are found on the text by vnfacts itself, so they do not depend on the tokenizer; a
span is cut with `Doc.char_span`, exactly where the fact's boundaries fall on token
boundaries and otherwise widened to the tokens that hold it (`alignment_mode="expand"`:
with a whitespace tokenizer "29 triệu đồng," is one token too many). What happened to each
fact is counted in `doc._.vnfacts_alignment` (`exact`, `expanded`, `unaligned`); a fact
that cannot be aligned at all stays in the records, never silently dropped. A tokenizer
that splits punctuation, such as `vnfacts.Tokenizer.v1` (underthesea's word tokens), aligns
nearly every fact exactly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, get_words_and_spaces, registry
from spacy.vocab import Vocab

from .models import LABELS, ErrorRecord
from .patterns import load
from .read import document_from_text
from .records import records_for

ENTITY_TYPES = frozenset({"official", "person", "location"})


def _fact_of(span: Span) -> dict[str, Any] | None:
    """A span's fact, kept in the doc (so it survives `nlp.pipe(n_process=…)`), keyed by
    label and offsets: two facts may cover the same characters under different labels."""
    found: dict[str, dict[str, Any]] = span.doc._.vnfacts_facts or {}
    return found.get(f"{span.label_} {span.start_char} {span.end_char}")


for _name in ("vnfacts_records", "vnfacts_facts", "vnfacts_alignment"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Span.has_extension("vnfacts"):
    Span.set_extension("vnfacts", getter=_fact_of)


class Vnfacts:
    """Adds the facts of `doc.text` to `doc.spans[spans_key]`, and officials, persons and
    places to `doc.ents` where they overlap no entity already there."""

    def __init__(self, name: str = "vnfacts", spans_key: str = "vnfacts", ents: bool = True):
        self.name = name
        self.spans_key = spans_key
        self.ents = ents

    def __call__(self, doc: Doc) -> Doc:
        records = records_for(document_from_text("spacy", doc.text), load())
        spans: list[Span] = []
        facts: dict[str, dict[str, Any]] = {}
        alignment: Counter[str] = Counter(exact=0, expanded=0, unaligned=0)
        for record in records:
            if isinstance(record, ErrorRecord):
                continue
            for fact in record.facts:
                label = LABELS[fact.type]
                span = doc.char_span(fact.start, fact.end, label=label)
                kind = "exact"
                if span is None:
                    span = doc.char_span(fact.start, fact.end, label=label, alignment_mode="expand")
                    kind = "expanded"
                if span is None:
                    alignment["unaligned"] += 1
                    continue
                alignment[kind] += 1
                facts[f"{label} {span.start_char} {span.end_char}"] = fact.model_dump(
                    mode="json", exclude_none=True
                )
                spans.append(span)
        doc.spans[self.spans_key] = spans
        doc._.vnfacts_facts = facts
        doc._.vnfacts_alignment = dict(alignment)
        doc._.vnfacts_records = [r.model_dump(mode="json", exclude_none=True) for r in records]
        if self.ents:
            named = [s for s in spans if s.label_ in ("OFFICIAL", "PERSON", "LOCATION")]
            free = [s for s in named if not _overlaps(s, doc.ents)]
            doc.ents = sorted([*doc.ents, *filter_spans(free)], key=lambda s: s.start)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


def _overlaps(span: Span, ents: Iterable[Span]) -> bool:
    return any(span.start < e.end and e.start < span.end for e in ents)


def make_vnfacts(nlp: Language, name: str, spans_key: str, ents: bool) -> Vnfacts:
    return Vnfacts(name, spans_key, ents)


Language.factory(
    "vnfacts", default_config={"spans_key": "vnfacts", "ents": True}, func=make_vnfacts
)


class Tokenizer:
    """underthesea's word tokens ("đảng viên" is one token, punctuation its own), aligned to
    the text; the `vnfacts.Tokenizer.v1` tokenizer of a spaCy config."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from .tokenise import tokenise

        words, spaces = get_words_and_spaces([t.text for t in tokenise(text)], text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def __reduce__(self) -> tuple[type[Tokenizer], tuple[Vocab]]:
        return Tokenizer, (self.vocab,)


def make_tokenizer() -> Any:
    def create(nlp: Language) -> Tokenizer:
        return Tokenizer(nlp.vocab)

    return create


registry.tokenizers.register("vnfacts.Tokenizer.v1", func=make_tokenizer)
