"""Officials and persons (pipeline/resolve/people.py) through the public API."""

from __future__ import annotations

from pipeline import extract
from pipeline.models import Official, Person, Record


def _people(text: str) -> list[Official | Person]:
    return [
        f
        for r in extract(text)
        if isinstance(r, Record)
        for f in r.facts
        if isinstance(f, Official | Person)
    ]


def test_later_references_are_mentions_of_the_same_official() -> None:
    text = (
        "Theo đồng chí Phạm Văn Tuân, Ủy viên Ban Thường vụ, Trưởng ban Tổ chức Tỉnh ủy: "
        "công tác tốt. Đồng chí Trưởng ban Tổ chức Tỉnh ủy đề nghị. Ông Tuân nhấn mạnh."
    )
    (official,) = _people(text)
    assert isinstance(official, Official)
    assert [text[a:b] for a, b in official.mentions] == [
        "Phạm Văn Tuân",
        "Đồng chí Trưởng ban Tổ chức Tỉnh ủy",
        "Tuân",
    ]
    assert (official.start, official.end) == (14, 27)


def test_an_ambiguous_short_reference_attaches_to_nobody() -> None:
    text = (
        "Ông Nguyễn Văn Hùng, Chủ tịch UBND xã và ông Trần Văn Hùng, Bí thư Chi bộ thôn dự. "
        "Ông Hùng cho biết."
    )
    people = _people(text)
    assert sorted(p.name for p in people) == ["Nguyễn Văn Hùng", "Trần Văn Hùng"]
    assert all(len(p.mentions) == 1 for p in people)


def test_person_with_address_and_no_post() -> None:
    (person,) = _people("Bà Tạ Thị Xuân, thôn Đồng Thái, xã Cộng Hòa phấn khởi nhận quà.")
    assert isinstance(person, Person)
    assert (person.name, person.honorific, person.address) == (
        "Tạ Thị Xuân",
        "Bà",
        "thôn Đồng Thái, xã Cộng Hòa",
    )


def test_title_parts_expand_abbreviations_only_in_the_organisation() -> None:
    (official,) = _people(
        "Đ/c Hoàng Thế Hòe - Ủy viên BTV huyện ủy, Chủ tịch Ủy ban MTTQ huyện Mỹ Lộc trao quà."
    )
    assert isinstance(official, Official)
    assert official.titles == ["Ủy viên BTV huyện ủy", "Chủ tịch Ủy ban MTTQ huyện Mỹ Lộc"]
    assert [(p.role, p.organization) for p in official.title_parts] == [
        ("Ủy viên", "Ban Thường vụ huyện ủy"),
        ("Chủ tịch", "Ủy ban Mặt trận Tổ quốc huyện Mỹ Lộc"),
    ]


def test_all_caps_names_get_their_capitals_back() -> None:
    (official,) = _people("ĐỒNG CHÍ ĐINH TRỌNG XÁ, Tỉnh ủy viên, Bí thư Huyện ủy Quỳnh Phụ")
    assert official.name == "Đinh Trọng Xá"
    assert official.honorific == "Đồng chí"
