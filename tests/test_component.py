"""The spaCy component (pipeline/component.py), registered through entry points."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy import displacy

from pipeline.cli import main

from .conftest import CORPUS

ARTICLE = next((CORPUS / "seeds" / "texts").glob("000_*.txt"))


def _extracted(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["extract", str(ARTICLE), "-q", "--workers", "1", "--doc-timeout", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    return [fact for line in lines for fact in json.loads(line)["facts"]]


def test_every_fact_is_a_span_with_its_fact(capsys: pytest.CaptureFixture[str]) -> None:
    facts = _extracted(capsys)
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("vnfacts")  # found through the spacy_factories entry point
    doc = nlp(ARTICLE.read_text(encoding="utf-8"))
    spans = doc.spans["vnfacts"]
    alignment = doc._.vnfacts_alignment
    assert alignment["unaligned"] == 0 and alignment["exact"] + alignment["expanded"] == len(facts)
    assert [s._.vnfacts for s in spans] == facts  # the same dicts as in the JSON records
    exact = [
        s for s in spans if (s.start_char, s.end_char) == (s._.vnfacts["start"], s._.vnfacts["end"])
    ]
    assert len(exact) == alignment["exact"]
    for span in exact:
        assert span.text == span._.vnfacts["text"]
    for span in spans:  # an expanded span holds its fact
        assert span.start_char <= span._.vnfacts["start"] < span._.vnfacts["end"] <= span.end_char
        assert span.label_ == span._.vnfacts["type"].upper()
    assert {e.label_ for e in doc.ents} <= {"OFFICIAL", "PERSON", "LOCATION"} and doc.ents
    assert [r["doc_id"] for r in doc._.vnfacts_records] == ["spacy"] * 6
    html = displacy.render(doc, style="span", options={"spans_key": "vnfacts"})
    assert "OFFICIAL" in html and "MONEY" in html


def test_the_vnfacts_tokenizer_aligns_every_fact_and_pipe_works_in_processes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    facts = _extracted(capsys)
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vnfacts.Tokenizer.v1"}}})
    nlp.add_pipe("vnfacts", config={"ents": False})
    text = ARTICLE.read_text(encoding="utf-8")
    docs = list(nlp.pipe([text, text], n_process=2))
    for doc in docs:
        assert doc.text == text and not doc.ents
        assert doc._.vnfacts_alignment == {"exact": len(facts), "expanded": 0, "unaligned": 0}
        assert [(s.text, s.start_char, s.end_char) for s in doc.spans["vnfacts"]] == [
            (f["text"], f["start"], f["end"]) for f in facts
        ]
        assert [s._.vnfacts for s in doc.spans["vnfacts"]] == facts
