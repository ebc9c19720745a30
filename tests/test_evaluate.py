from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import VnfactsError
from pipeline.evaluate import find_occurrence, load_gold, norm, score

TEXT = "Trao 76 suất quà và 6 suất quà khác, tổng 29 triệu đồng. Ông Phạm Quốc Lập."


def _gold(tmp_path: Path, facts: list[dict[str, object]]) -> Path:
    (tmp_path / "texts").mkdir(exist_ok=True)
    (tmp_path / "gold").mkdir(exist_ok=True)
    (tmp_path / "texts" / "d1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "gold" / "d1.json").write_text(
        json.dumps({"doc_id": "d1", "facts": facts}, ensure_ascii=False), encoding="utf-8"
    )
    return tmp_path / "gold"


def test_occurrences_overlap() -> None:
    # "6 suất" inside "76 suất" is the first occurrence (SPEC §3)
    assert find_occurrence(TEXT, "6 suất", 1) == TEXT.index("76 suất") + 1
    assert find_occurrence(TEXT, "6 suất", 2) == TEXT.index(" 6 suất") + 1
    assert find_occurrence(TEXT, "6 suất", 3) == -1


def test_norm_folds_case_tones_and_spaces() -> None:
    assert norm("Hoà  Bình\n") == norm("hòa bình")


def test_gold_with_missing_span_is_refused(tmp_path: Path) -> None:
    gold = _gold(tmp_path, [{"type": "count", "text": "6 suất", "occurrence": 3, "value": 6}])
    with pytest.raises(VnfactsError) as err:
        load_gold(gold)
    assert err.value.message.startswith("E202 Gold file")
    assert "'6 suất'" in err.value.message


def test_scores_follow_spec(tmp_path: Path) -> None:
    gold = _gold(
        tmp_path,
        [
            {
                "type": "money",
                "text": "29 triệu đồng",
                "occurrence": 1,
                "amount": 29000000,
                "currency": "VND",
                "qualifier": "over",
            },
            {
                "type": "count",
                "text": "76 suất quà",
                "occurrence": 1,
                "value": 76,
                "item": "suất quà",
            },
            {
                "type": "count",
                "text": "6 suất quà",
                "occurrence": 2,
                "value": 6,
                "item": "suất quà",
            },
            {"type": "official", "name": "Phạm Quốc Lập", "titles": ["Phó Bí thư Đảng ủy xã"]},
            {"type": "location", "name": "Việt Nam", "level": "country"},
        ],
    )
    docs = load_gold(gold)
    start = TEXT.index("29 triệu")
    pred = {
        "d1": [
            {
                "type": "money",
                "start": start,
                "end": start + 13,
                "amount": 29000000.0,
                "currency": "VND",
                "qualifier": "exact",
            },
            {"type": "count", "start": 5, "end": 16, "value": 76, "item": "suất"},
            {"type": "count", "start": 20, "end": 26, "value": 7, "item": "suất quà"},
            {"type": "official", "name": "PHẠM QUỐC LẬP", "titles": ["Phó Bí thư Đảng uỷ xã", "x"]},
        ]
    }
    scores = score(docs, pred)
    assert (scores["money"].tp, scores["money"].fp, scores["money"].fn) == (1, 0, 0)
    assert scores["money"].extra == 0.0  # qualifier differs
    assert (scores["count"].tp, scores["count"].fp, scores["count"].fn) == (1, 1, 1)
    assert scores["count"].extra == 1.0  # "suất" is a prefix of "suất quà"
    assert scores["official"].tp == 1
    assert scores["official"].title_f1 == pytest.approx(2 / 3)
    # country level is not scored
    assert (scores["location"].tp, scores["location"].fn) == (0, 0)
