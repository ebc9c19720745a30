"""The gazetteer (pipeline/resolve/gazetteer.py): codes, disambiguation, 2025 successors."""

from __future__ import annotations

from pipeline.resolve import gazetteer
from pipeline.resolve.gazetteer import Successor


def test_lookup_by_name_and_level() -> None:
    known = gazetteer.load()
    (district,) = known.lookup("Quỳnh Phụ", "district")
    assert (district.code, district.province) == ("338", "Thái Bình")
    assert [u.code for u in known.lookup("Hoà Bình", "province")] == ["17"]  # new-style tone


def test_a_repeated_name_is_resolved_by_context_or_left_alone() -> None:
    known = gazetteer.load()
    assert len(known.lookup("An Thái", "commune")) == 3
    assert known.resolve("An Thái", "commune", None, set()) is None
    near = known.resolve("An Thái", "commune", None, {gazetteer.compact("Quỳnh Phụ")})
    assert near is not None and near.code == "12499"
    by_parent = known.resolve("An Thái", "commune", "Quỳnh Phụ", set())
    assert by_parent is not None and by_parent.code == "12499"


def test_spellings_that_differ_in_spaces_and_apostrophes() -> None:
    known = gazetteer.load()
    assert [u.code for u in known.lookup("Đakrông", "district")] == ["467"]
    assert [u.code for u in known.lookup("Dran", "commune")] == ["24928"]


def test_successors_after_the_2025_reorganisation() -> None:
    known = gazetteer.load()
    (commune,) = known.lookup("An Ấp", "commune")
    assert known.successor(commune) == Successor("12526", "Đồng Bằng")
    (province,) = known.lookup("Thái Bình", "province")
    assert known.successor(province) == Successor("33", "Hưng Yên")
    (district,) = known.lookup("Quỳnh Phụ", "district")
    assert known.successor(district) is None


def test_known_prefix_trims_a_heading_run_into_the_text() -> None:
    known = gazetteer.load()
    assert known.known_prefix("Quỳnh Phụ Từ") == "Quỳnh Phụ"
    assert known.known_prefix("Không Có") is None


def test_the_date_decides_the_structure_a_unit_is_resolved_in() -> None:
    from pipeline import extract

    text = "Ngày 03/10/2025, Chi bộ xã Hữu Liên kết nạp 2 đảng viên."
    [record] = extract(text)
    [place] = [f for f in record.facts if f.type == "location"]
    assert (record.date, place.code, place.name_2025) == ("2025-10-03", "06400", "Hữu Liên")
    [before] = extract(text.replace("2025", "2023"))
    [old] = [f for f in before.facts if f.type == "location"]
    assert (old.code, old.code_2025) == ("06388", "06400")
    assert gazetteer.structure_for("2025-06-30") == "legacy"
    assert gazetteer.structure_for("2025-07-01") == "2025"
