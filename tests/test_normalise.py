from __future__ import annotations

import unicodedata

import pytest

from pipeline.normalise import normalise


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("Hoà  Bình", "Hòa Bình"),
        ("thuỷ lợi, quý, khoẻ, hoàn", "thủy lợi, quý, khỏe, hoàn"),
        ("và 1\n\nchi bộ", "và 1 chi bộ"),
        ("Câu một.\n\nCâu hai.", "Câu một.\nCâu hai."),
        ("cuối dòng \nđầu dòng", "cuối dòng đầu dòng"),
        ("# Tiêu đề\nĐoạn", "# Tiêu đề\nĐoạn"),
        ("số 1680/QĐ-\nTTg", "số 1680/QĐ-TTg"),
        ("a\u200bb", "ab"),
        ("x\u00a0y", "x y"),
        (unicodedata.normalize("NFD", "Quỳnh Phụ"), "Quỳnh Phụ"),
    ],
)
def test_normalised_text(original: str, expected: str) -> None:
    assert normalise(original).text == expected


@pytest.mark.parametrize(
    "original",
    [
        "Hoà  Bình\n\nthuỷ",
        unicodedata.normalize("NFD", "Ông Phạm Quốc Lập, 19,9 tỷ"),
        "a \r\n b\u200b c",
    ],
)
def test_every_span_maps_back(original: str) -> None:
    n = normalise(original)
    for a in range(len(n.text)):
        for b in range(a + 1, len(n.text) + 1):
            s, e = n.to_original(a, b)
            assert 0 <= s < e <= len(original)
    # a whole word maps to the whole word as written
    word_end = n.text.index(" ")
    s, e = n.to_original(0, word_end)
    assert original[s:e].split()[0] == original[s:e].strip()
    assert unicodedata.normalize("NFC", original[s:e]).replace("oà", "òa") != ""


def test_nfd_word_maps_to_its_nfd_characters() -> None:
    original = unicodedata.normalize("NFD", "đồng Quỳnh")
    n = normalise(original)
    start = n.text.index("Quỳnh")
    s, e = n.to_original(start, start + len("Quỳnh"))
    assert original[s:e] == unicodedata.normalize("NFD", "Quỳnh")
