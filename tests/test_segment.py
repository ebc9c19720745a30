from __future__ import annotations

from itertools import pairwise

from pipeline import extract
from pipeline.patterns import Patterns
from pipeline.read import Document
from pipeline.records import extract_document
from pipeline.segment import dateline, segment

from .conftest import CORPUS

PAGE = (
    "Trang chủThời sựXã Yên Ninh\n\n"
    "Xã Yên Ninh kết nạp 9 đảng viên\n\n"
    "Năm nay xã kết nạp 9 đảng viên mới, hỗ trợ 20 triệu đồng.\n\n"
    "MINH ANH\n\n"
    "Cùng chủ đề\n\n"
    "Huyện khác kết nạp 120 đảng viên, chi 5 tỷ đồng.\n"
)


def test_breadcrumb_and_teasers_are_not_article_text(patterns: Patterns) -> None:
    [article] = segment(PAGE, patterns)
    assert PAGE[article.start : article.end].startswith("\n\nXã Yên Ninh kết nạp")
    assert "Cùng chủ đề" not in PAGE[article.start : article.end]
    assert article.title == "Xã Yên Ninh kết nạp 9 đảng viên"
    assert article.byline == "MINH ANH"


def test_seed_004_gives_no_fact_from_its_teasers(patterns: Patterns) -> None:
    path = next((CORPUS / "seeds" / "texts").glob("004_*.txt"))
    text = path.read_text(encoding="utf-8")
    teasers = text.index("\nCùng chủ đề\n")
    records = extract_document(Document(path.stem, text), patterns)
    facts = [f for r in records for f in r.facts]
    assert facts and all(f.end <= teasers for f in facts)


def _seed(prefix: str) -> str:
    path = next((CORPUS / "seeds" / "texts").glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def test_seed_000_splits_into_its_articles(patterns: Patterns) -> None:
    records = extract_document(Document("000", _seed("000")), patterns)
    assert [(r.title, r.byline) for r in records] == [
        ("Gỡ khó trong công tác phát triển đảng viên", "NGUYỄN CƯỜNG"),
        ("Hướng tới chính quyền số", "THANH THUY"),
        ("Tập huấn công tác người cao tuổi, công tác y tế trường học", "DUY TÙNG - HOÀNG LANH"),
        ("Liên hoan các nhóm nhảy học sinh, sinh viên tỉnh Thái Bình lần thứ I", "QUAN PHƯƠNG"),
        ("Trao quà tết Trung thu", "NHÓM PHÒNG VIÊN"),
        ("Tập trung giải phóng mặt bằng các dự án", None),
    ]
    text = _seed("000")
    # Articles follow each other, and every fact lies inside its article.
    assert all(a.end <= b.start for a, b in pairwise(records))
    assert all(r.start <= f.start and f.end <= r.end for r in records for f in r.facts)
    assert text[records[1].start :].lstrip("\n ").startswith("## HƯNG HÀ")


PLAIN = (
    "XÃ YÊN NINH KẾT NẠP ĐẢNG VIÊN\n"
    "Năm nay xã kết nạp 9 đảng viên mới, hỗ trợ 20 triệu đồng.\n"
    "MINH ANH\n"
    "KIẾN XƯƠNG\n"
    "Đánh giá 8 sản phẩm OCOP\n"
    "Hội đồng đánh giá 8 sản phẩm của 6 chủ thể.\n"
    "TÚ ANH\n"
)


def test_plain_text_page_splits_after_a_byline_and_keeps_place_labels(patterns: Patterns) -> None:
    articles = segment(PLAIN, patterns)
    assert [(a.title, a.byline) for a in articles] == [
        ("XÃ YÊN NINH KẾT NẠP ĐẢNG VIÊN", "MINH ANH"),
        ("Đánh giá 8 sản phẩm OCOP", "TÚ ANH"),
    ]
    assert PLAIN[articles[1].start :].startswith("KIẾN XƯƠNG\n")


def test_a_signature_run_into_the_last_paragraph_is_the_byline(patterns: Patterns) -> None:
    text = "Chi bộ kết nạp 2 đảng viên. Đỗ Thuần – Bí thư Chi bộ Các cơ quan Đảng"
    [article] = segment(text, patterns)
    assert article.byline == "Đỗ Thuần – Bí thư Chi bộ Các cơ quan Đảng"
    records = extract_document(Document("x", text), patterns)
    assert [f.type for f in records[0].facts] == ["count"]


def test_dateline_takes_the_latest_full_date_near_the_top() -> None:
    assert dateline(" date 2025-09-16 Sáng 16-9, UBND xã Hòa Hội") == "2025-09-16"
    assert dateline("Thứ Hai, 25/9/2023 08:00\nTin tức") == "2023-09-25"
    assert dateline("kỷ niệm 70 năm (01/7/1954 – 01/7/2024). Chiều 1/7") == "2024-07-01"
    assert dateline(" date 2020-07 Được biết") == "2020-07"
    assert dateline("Ngày 24/9, xã tổ chức hội nghị") is None  # no year: not a dateline
    assert dateline("x" * 500 + " 03/10/2025") is None  # too far from the top


def test_furniture_inside_a_page_gives_no_facts(patterns: Patterns) -> None:
    text = (
        "Lai Châu: 70 ngôi nhà bị lũ cuốn trôi\n"
        " date 2024-07 Tin sáng 14/7: 12 người tử vong ở Hà Giang....\n"
        "1. Dòng sự kiện: 2. Thành phố Thủ Đức 3. Huyện Cần Giờ\n"
        "Mưa lũ làm 5 nhà ở xã Nậm Hàng bị sập.\n"
        "[Đồng Nai: Tai nạn liên hoàn khiến 3 người bị thương]\n"
        "Huyện đã hỗ trợ 20 triệu đồng cho các hộ.\n"
        "Đà Nẵng: Đại hội MTTQ huyện Hòa Vang nhiệm kỳ mới\n"
        "Nghệ An: Trao 200 suất quà cho hộ nghèo\n"
    )
    facts = [f for r in extract(text) for f in r.facts]
    assert sorted(f.text for f in facts if f.type in ("count", "money", "location")) == [
        "20 triệu đồng",
        "5 nhà",
        "70 ngôi nhà",
        "Lai Châu",
        "xã Nậm Hàng",
    ]
    assert all(text[f.start : f.end] == f.text for f in facts)


def test_related_headlines_run_together_on_one_line_give_no_facts() -> None:
    text = (
        "Phú Yên đẩy nhanh giải ngân 3.200 tỷ đồng vốn đầu tư công\n"
        "Sáng 26/4, UBND tỉnh họp về tiến độ giải ngân 3.200 tỷ đồng.\n"
        "Huyện Tây Hòa đấu giá thành công 45 thửa đất, thu về gần 90 tỷ đồng Gia Lai: "
        "Gỡ vướng mặt bằng tuyến đường 500 tỷ đồng qua huyện Chư Sê Thủ tướng làm việc với "
        "tỉnh Đắk Lắk\n"
        "Đến nay đã giải ngân 600 tỷ đồng: Tuy An đạt 40%.\n"
    )
    facts = [f for r in extract(text) for f in r.facts if f.type in ("count", "money", "location")]
    # The headline's province stays; nothing of the strip (45 thửa, 90 and 500 tỷ, Tây Hòa,
    # Chư Sê, Đắk Lắk) is a fact.
    assert [f.text for f in facts] == ["3.200 tỷ đồng", "3.200 tỷ đồng", "600 tỷ đồng", "Phú Yên"]
    assert all(text[f.start : f.end] == f.text for f in facts)
