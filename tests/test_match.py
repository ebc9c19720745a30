"""Candidates and overlaps (pipeline/match.py)."""

from __future__ import annotations

import random

import pytest

from pipeline import extract
from pipeline.match import Taken


def test_taken_merges_spans_and_answers_overlaps() -> None:
    taken = Taken([(10, 20), (30, 40)])
    assert [taken.overlaps(a, b) for a, b in [(0, 10), (19, 21), (20, 30), (35, 36)]] == [
        False,
        True,
        False,
        True,
    ]
    taken.add(18, 32)  # joins both
    assert taken.overlaps(24, 25) and not taken.overlaps(40, 50)
    taken.add(5, 5)  # empty: claims nothing
    assert not taken.overlaps(4, 6)


def test_taken_agrees_with_a_scan_of_every_span() -> None:
    rng = random.Random(5)
    spans: list[tuple[int, int]] = []
    taken = Taken()
    for _ in range(2000):
        a = rng.randrange(10_000)
        b = a + rng.randrange(1, 30)
        expected = any(x < b and a < y for x, y in spans)
        assert taken.overlaps(a, b) == expected
        if rng.random() < 0.5:
            spans.append((a, b))
            taken.add(a, b)


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("Trung Kênh 31,6 tỷ đồng, Quảng Phú 25,9 tỷ.", [31_600_000_000, 25_900_000_000]),
        # Another sentence, or far away in one long paragraph, is not "beside" an amount.
        ("Quỹ nhận 31,6 tỷ đồng. Xã Quảng Phú có 25,9 tỷ.", [31_600_000_000]),
        ("Quỹ nhận 31,6 tỷ đồng, " + "và " * 200 + "Quảng Phú 25,9 tỷ.", [31_600_000_000]),
    ],
)
def test_an_elliptic_amount_needs_money_beside_it(text: str, amounts: list[int]) -> None:
    [record] = extract(text)
    assert [f.amount for f in record.facts if f.type == "money"] == amounts
