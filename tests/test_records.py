"""The offset invariant: original[start:end] == text for every fact of every record."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
import regex

from pipeline import extract, extract_file
from pipeline.errors import ErrorCode
from pipeline.models import Location, Official, Person, Record
from pipeline.patterns import Patterns
from pipeline.read import Document, DocumentError
from pipeline.records import extract_document, records_for

from .conftest import corpus_texts

_OPEN = regex.compile(r"(?<![qQ])([oO])([àáảãạ])(?!\p{L})")


def _new_tone(text: str) -> str:
    """The other tone-mark convention: "hòa" → "hoà", "thủy" → "thuỷ"."""

    def move(m: regex.Match[str]) -> str:
        base, *tone = unicodedata.normalize("NFD", m.group(1))
        return base + unicodedata.normalize("NFC", m.group(2) + "".join(tone))

    return regex.sub(r"([òóỏõọÒÓỎÕỌ])([aAeE])(?!\p{L})", move, text)


VARIANTS = {
    "as-is": lambda t: t,
    "nfd": lambda t: unicodedata.normalize("NFD", t),
    "new-tone": _new_tone,
    "crlf": lambda t: t.replace("\n", "\r\n"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", corpus_texts(), ids=lambda p: p.stem)
def test_offsets_hold(path: Path, variant: str, patterns: Patterns) -> None:
    original = VARIANTS[variant](path.read_text(encoding="utf-8"))
    records = extract_document(Document(path.stem, original), patterns)
    assert records
    for record in records:
        assert 0 <= record.start <= record.end <= len(original)
        for fact in record.facts:
            assert original[fact.start : fact.end] == fact.text, fact


@pytest.mark.parametrize("path", corpus_texts()[:6], ids=lambda p: p.stem)
def test_variants_give_the_same_values(path: Path, patterns: Patterns) -> None:
    text = path.read_text(encoding="utf-8")

    def values(t: str) -> list[tuple[str, object]]:
        facts = [f for r in extract_document(Document("x", t), patterns) for f in r.facts]
        return [(f.type, getattr(f, "amount", getattr(f, "value", None))) for f in facts]

    assert values(unicodedata.normalize("NFD", text)) == values(text)
    assert values(_new_tone(text)) == values(text)


def test_new_tone_helper_changes_text() -> None:
    assert _new_tone("Hòa Bình, khỏe") == "Hoà Bình, khoẻ"


def test_money_fact_fields(patterns: Patterns) -> None:
    [record] = extract_document(
        Document("d", "Quỹ hỗ trợ hơn 19,9 tỷ đồng cho 390 đảng viên."), patterns
    )
    money, count = record.facts
    assert (money.type, money.text, money.start, money.end) == ("money", "19,9 tỷ đồng", 15, 27)
    assert money.amount == 19_900_000_000 and money.qualifier == "over"
    assert money.rule == "money.amount"
    assert (count.type, count.text, count.value, count.item) == (
        "count",
        "390 đảng viên",
        390,
        "đảng viên",
    )


def test_error_item_becomes_error_record(patterns: Patterns) -> None:
    [record] = records_for(DocumentError("bad", ErrorCode.E101), patterns)
    assert not isinstance(record, Record)
    assert record.error.kind == "E101"
    assert "empty" in record.error.message


def test_html_records_point_into_the_main_text(tmp_path: Path) -> None:
    from .test_read import PAGE

    path = tmp_path / "trang.html"
    path.write_text(PAGE, encoding="utf-8")
    [record] = extract_file(path)
    assert isinstance(record, Record)
    assert record.basis == "html" and record.main_text is not None
    assert record.date == "2023-09-25"
    money = [f for f in record.facts if f.type == "money"]
    assert [(f.text, record.main_text[f.start : f.end]) for f in money] == [
        ("20 triệu đồng", "20 triệu đồng")
    ]
    assert all(record.main_text[f.start : f.end] == f.text for f in record.facts)


def test_a_long_paragraph_without_line_breaks_is_tokenised_near_each_count(
    patterns: Patterns,
) -> None:
    sentence = "Xã An Ấp kết nạp 9 đảng viên mới và nhận 20 triệu đồng. "
    text = sentence * 1000  # 57,000 characters in one paragraph
    [record] = extract_document(Document("dai", text), patterns)
    counts = [f for f in record.facts if f.type == "count"]
    assert len(counts) == 1000
    assert {(f.value, f.item) for f in counts} == {(9, "đảng viên")}
    assert all(text[f.start : f.end] == f.text for f in record.facts)


def test_bare_names_of_a_unit_are_its_mentions() -> None:
    text = "Huyện Quỳnh Phụ có 38 xã. Quỳnh Phụ đã kết nạp 390 đảng viên.\nQUỲNH PHỤ"
    [record] = extract(text)
    [place] = [f for f in record.facts if f.type == "location"]
    assert [text[a:b] for a, b in place.mentions] == ["Huyện Quỳnh Phụ", "Quỳnh Phụ", "QUỲNH PHỤ"]


def _sentences() -> list[str]:
    """Whole sentences of the seed and dev articles (no headings, bylines or teasers)."""
    found: set[str] = set()
    for path in corpus_texts():
        if path.parent.parent.name not in ("seeds", "dev"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in regex.split(r"(?<=[.!?])\s+", line.strip()):
                if len(sentence) > 40 and sentence[-1] in ".!?" and not sentence.isupper():
                    found.add(" ".join(sentence.split()))
    return sorted(found)


def _numbers(records: list[Record], shift: int = 0) -> set[tuple[object, ...]]:
    """Numeric facts with their values, offsets shifted by `shift`."""
    return {
        (
            f.type,
            f.start + shift,
            f.end + shift,
            getattr(f, "value", None),
            getattr(f, "amount", None),
        )
        for r in records
        for f in r.facts
        if f.type in ("money", "count", "percent", "measure", "date")
    }


def _mentions(records: list[Record], shift: int = 0) -> set[tuple[str, int, int]]:
    """Every mention of an official, person or place, by name."""
    return {
        (f.name, a + shift, b + shift)
        for r in records
        for f in r.facts
        if isinstance(f, Official | Person | Location)
        for a, b in f.mentions
    }


def test_a_million_characters_in_one_paragraph_give_the_facts_of_their_sentences(
    patterns: Patterns,
) -> None:
    sentences = _sentences()
    picked: list[str] = []
    rng = random.Random(11)
    while sum(map(len, picked)) < 1_000_000:
        picked.append(rng.choice(sentences))
    one = extract_document(Document("one", " ".join(picked)), patterns)
    lines = extract_document(Document("lines", "\n".join(picked)), patterns)
    assert len(one) == len(lines) == 1
    # With paragraph breaks or without, the same facts at the same offsets.
    assert _numbers(one) == _numbers(lines) and _mentions(one) == _mentions(lines)
    alone: dict[str, list[Record]] = {}
    numbers: set[tuple[object, ...]] = set()
    mentions: set[tuple[str, int, int]] = set()
    at = 0
    for sentence in picked:
        if sentence not in alone:
            alone[sentence] = [
                r
                for r in extract_document(Document("s", sentence), patterns)
                if isinstance(r, Record)
            ]
        numbers |= _numbers(alone[sentence], at)
        mentions |= _mentions(alone[sentence], at)
        at += len(sentence) + 1
    # Each sentence gives on the page what it gives alone; the page adds only mentions that
    # need the rest of the page (a bare name of a unit named with its keyword elsewhere).
    assert _numbers(one) == numbers
    assert mentions <= _mentions(one)
    assert len(numbers) > 5000


def test_a_list_of_names_shares_the_change_and_the_post(patterns: Patterns) -> None:
    """Issue 14: "chỉ định các ông, bà A, B giữ chức X" and a list with no verb of its own
    after the sentence that names the change both give one appointment per name."""
    text = (
        "Bộ Chính trị chỉ định ông Trịnh Việt Hùng, Bí thư Tỉnh ủy Thái Nguyên giữ chức Bí thư "
        "Tỉnh ủy Lào Cai. Bộ Chính trị cũng chỉ định các ông, bà Hoàng Giang, Trần Huy Tuấn giữ "
        "chức Phó Bí thư Tỉnh ủy.\nBộ Chính trị điều động, chỉ định ông Trương Quốc Huy giữ chức "
        "Bí thư Tỉnh ủy Phú Thọ. Các ông, bà: Trần Duy Đông, Bùi Thị Minh giữ chức Phó Bí thư "
        "Tỉnh ủy Phú Thọ."
    )
    [record] = extract_document(Document("x", text), patterns)
    found = [(f.person, f.action, f.post, f.body) for f in record.facts if f.type == "appointment"]
    assert found == [
        ("Trịnh Việt Hùng", "appointed", "Bí thư Tỉnh ủy Lào Cai", "Bộ Chính trị"),
        ("Hoàng Giang", "appointed", "Phó Bí thư Tỉnh ủy", "Bộ Chính trị"),
        ("Trần Huy Tuấn", "appointed", "Phó Bí thư Tỉnh ủy", "Bộ Chính trị"),
        ("Trương Quốc Huy", "appointed", "Bí thư Tỉnh ủy Phú Thọ", "Bộ Chính trị"),
        ("Trần Duy Đông", "appointed", "Phó Bí thư Tỉnh ủy Phú Thọ", None),
        ("Bùi Thị Minh", "appointed", "Phó Bí thư Tỉnh ủy Phú Thọ", None),
    ]
    for fact in record.facts:
        assert text[fact.start : fact.end] == fact.text


def test_organisations_fold_into_their_fullest_name(patterns: Patterns) -> None:
    """A short form before or after the one full form it abbreviates is a mention of it."""
    text = (
        "UBND tỉnh họp. Sau đó, Chủ tịch UBND tỉnh Cà Mau Nguyễn Văn A cho biết: Tỉnh sẽ hỗ trợ. "
        "Hội Nông dân tỉnh và Hội Nông dân tỉnh Cà Mau cùng UBND huyện Trần Văn Thời, UBND huyện "
        "U Minh dự."
    )
    [record] = extract_document(Document("x", text), patterns)
    orgs = {f.name: len(f.mentions) for f in record.facts if f.type == "organization"}
    assert orgs == {
        "Ủy ban nhân dân tỉnh Cà Mau": 2,
        "Hội Nông dân tỉnh Cà Mau": 2,
        "Ủy ban nhân dân huyện Trần Văn Thời": 1,
        "Ủy ban nhân dân huyện U Minh": 1,
    }
    [quote] = [f for f in record.facts if f.type == "quote"]
    assert (quote.text, quote.speaker) == ("Tỉnh sẽ hỗ trợ.", "Nguyễn Văn A")
    assert record.facts[quote.speaker_index].name == "Nguyễn Văn A"  # type: ignore[union-attr]


def test_an_abbreviation_in_parentheses_is_no_part_of_an_organisations_key(
    patterns: Patterns,
) -> None:
    """Scoring compares "Đoàn đại biểu Quốc hội (ĐBQH) TP Cần Thơ" as the name without it."""
    from pipeline.resolve import organizations

    with_aside = organizations.key("Đoàn đại biểu Quốc hội (ĐBQH) TP Cần Thơ", patterns)
    assert with_aside == organizations.key("Đoàn đại biểu Quốc hội TP Cần Thơ", patterns)
    assert with_aside == "đoàn đại biểu quốc hội cần thơ"  # the unit word left out too
    [record] = extract_document(
        Document("x", "Ngày 14-10, Đoàn đại biểu Quốc hội (ĐBQH) TP Cần Thơ tổ chức hội nghị."),
        patterns,
    )
    [org] = [f for f in record.facts if f.type == "organization"]
    assert org.text == "Đoàn đại biểu Quốc hội (ĐBQH) TP Cần Thơ"
