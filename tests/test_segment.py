from __future__ import annotations

from pipeline.patterns import Patterns
from pipeline.read import Document
from pipeline.records import extract_document
from pipeline.segment import segment

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
