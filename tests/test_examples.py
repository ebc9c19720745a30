"""One generic runner for the example files of every fact type (patterns/examples/*.yaml)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from pipeline import extract
from pipeline.evaluate import norm
from pipeline.models import Record

from .conftest import EXAMPLES


def _cases() -> tuple[list[Any], list[Any]]:
    positives, negatives = [], []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kind = data["type"]
        for group in data["examples"]:
            for text in group["texts"]:
                expected = {
                    **group["value"],
                    **({"text": group["span"]} if "span" in group else {}),
                }
                positives.append(pytest.param(kind, text, expected, id=f"{kind}:{text}"))
        for text in data.get("negatives", []):
            negatives.append(pytest.param(kind, text, id=f"{kind}-not:{text}"))
    return positives, negatives


POSITIVES, NEGATIVES = _cases()


def _facts(text: str, kind: str) -> list[Any]:
    records = extract(text)
    assert all(isinstance(r, Record) for r in records), records
    return [f for r in records if isinstance(r, Record) for f in r.facts if f.type == kind]


def test_there_are_enough_examples() -> None:
    numeric = [p for p in POSITIVES + NEGATIVES if p.values[0] in ("money", "count")]
    assert len(numeric) >= 150
    people = [p for p in POSITIVES + NEGATIVES if p.values[0] == "official"]
    assert len(people) >= 120
    places = [p for p in POSITIVES + NEGATIVES if p.values[0] == "location"]
    assert len(places) >= 100


@pytest.mark.parametrize(("kind", "text", "expected"), POSITIVES)
def test_example(kind: str, text: str, expected: dict[str, Any]) -> None:
    facts = _facts(text, kind)
    if "text" in expected:  # the example names which of several facts it is about
        facts = [f for f in facts if f.text == expected["text"]]
    assert len(facts) == 1, [f.text for f in facts]
    fact = facts[0].model_dump()
    assert text[fact["start"] : fact["end"]] == fact["text"]
    for key, value in expected.items():
        if key == "item":
            got = norm(fact["item"])
            want = norm(value)
            assert got.startswith(want) or want.startswith(got), (fact["item"], value)
        else:
            assert fact[key] == value, (key, fact)


@pytest.mark.parametrize(("kind", "text"), NEGATIVES)
def test_negative(kind: str, text: str) -> None:
    assert [f.text for f in _facts(text, kind)] == []
