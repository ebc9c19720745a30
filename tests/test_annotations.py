"""Label Studio round trip (pipeline/annotations.py): tasks out, annotations in, gold that
`vnfacts evaluate` scores."""

from __future__ import annotations

import copy
import html
import json
from pathlib import Path
from typing import Any

import pytest

from pipeline import evaluate as ev
from pipeline.annotations import gold_from_task, label_config, parse_meta_line
from pipeline.cli import main

from .conftest import CORPUS


def _as_export(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What Label Studio exports when a person accepts every prediction as it is."""
    exported = copy.deepcopy(tasks)
    for number, task in enumerate(exported, start=1):
        task["id"] = number
        task["annotations"] = [
            {
                "id": number,
                "result": task["predictions"][0]["result"],
                "was_cancelled": False,
                "updated_at": "2026-12-04T08:00:00Z",
            }
        ]
    return exported


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A run over the seeds, the dev set and one HTML page made from a dev article (its
    offsets point into the extracted main text, not into the file)."""
    root = tmp_path_factory.mktemp("label-studio")
    paragraphs = (CORPUS / "dev" / "texts" / "d05.txt").read_text(encoding="utf-8").split("\n")
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p.strip())
    page = root / "page.html"
    page.write_text(f"<html><body><article>{body}</article></body></html>", encoding="utf-8")
    inputs = [str(CORPUS / "seeds" / "texts"), str(CORPUS / "dev" / "texts")]
    out = root / "out.jsonl"
    assert main(["extract", *inputs, str(page), "-o", str(out), "-q", "--workers", "1"]) == 0
    tasks = root / "tasks.json"
    command = ["export", str(out), "--format", "label-studio", "-o", str(tasks)]
    assert main([*command, "--inputs", *inputs, "-q"]) == 0
    return {"root": root, "out": out, "tasks": tasks, "page": page}


def test_tasks_carry_every_fact_with_its_values(run: dict[str, Path]) -> None:
    tasks = json.loads(run["tasks"].read_text(encoding="utf-8"))
    records = [json.loads(line) for line in run["out"].read_text(encoding="utf-8").splitlines()]
    assert len(tasks) == len({r["doc_id"] for r in records}) == 26
    regions = {
        (t["data"]["doc_id"], r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]): r
        for t in tasks
        for r in t["predictions"][0]["result"]
    }
    label = {"money": "MONEY", "count": "COUNT", "official": "OFFICIAL", "location": "LOCATION"}
    for record in records:
        for fact in record["facts"]:
            if fact["type"] not in label:
                continue
            region = regions[(record["doc_id"], fact["start"], fact["end"], label[fact["type"]])]
            assert region["value"]["text"] == fact["text"]
            assert (region["from_name"], region["to_name"], region["type"]) == (
                "label",
                "text",
                "labels",
            )
            if fact["type"] == "money":
                assert region["meta"]["amount"] == fact["amount"]
                assert region["meta"]["text"] == [
                    "; ".join(
                        f"{k}={int(fact[k]) if k == 'amount' else fact[k]}"
                        for k in ("amount", "currency", "qualifier", "amount_max", "per")
                        if k in fact
                    )
                ]
    page = next(t for t in tasks if t["data"]["doc_id"] == "page")
    main_text = next(r["main_text"] for r in records if r["doc_id"] == "page")
    assert page["data"]["text"] == main_text
    for region in page["predictions"][0]["result"]:
        value = region["value"]
        assert main_text[value["start"] : value["end"]] == value["text"]
    config = run["tasks"].with_name("tasks.label-config.xml").read_text(encoding="utf-8")
    assert config == label_config()
    assert '<Labels name="label" toName="text">' in config
    assert '<Label value="OFFICIAL"' in config


def test_accepted_predictions_come_back_as_gold_scored_at_one(run: dict[str, Path]) -> None:
    tasks = json.loads(run["tasks"].read_text(encoding="utf-8"))
    export = run["root"] / "export.json"
    export.write_text(json.dumps(_as_export(tasks), ensure_ascii=False), encoding="utf-8")
    gold = run["root"] / "gold"
    assert main(["import-annotations", str(export), "-o", str(gold), "-q"]) == 0
    docs = ev.load_gold(gold)
    assert len(docs) == 26
    scores = ev.score(docs, ev.load_predictions(run["out"]))
    assert list(scores) == list(ev.ALL_TYPES)
    for kind in ev.ALL_TYPES:
        assert scores[kind].tp > 0, kind
        assert (scores[kind].fp, scores[kind].fn) == (0, 0), kind
        assert scores[kind].f1 == 1.0
    assert scores["official"].title_f1 == 1.0
    assert scores["money"].extra == scores["count"].extra == 1.0


def _task(text: str, regions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": 7,
        "data": {"text": text, "doc_id": "t1"},
        "annotations": [
            {"id": 1, "result": [], "was_cancelled": True, "updated_at": "2026-12-05"},
            {"id": 2, "result": regions, "was_cancelled": False, "updated_at": "2026-12-04"},
        ],
    }


def _region(
    text: str, needle: str, label: str, meta: dict[str, Any] | None = None
) -> dict[str, Any]:
    start = text.index(needle)
    region: dict[str, Any] = {
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": start + len(needle), "text": needle, "labels": [label]},
    }
    if meta is not None:
        region["meta"] = meta
    return region


TEXT = (
    "Ông Nguyễn Văn An, Chủ tịch UBND xã Tân Lộc, trao 50 triệu đồng cho 12 hộ nghèo. "
    "Quỹ nhận thêm ba trăm nghìn đồng và 50 triệu đồng của thôn Đông."
)


def test_corrections_win_and_each_difference_is_reported() -> None:
    regions = [
        # The person corrected the amount in the meta line.
        _region(TEXT, "50 triệu đồng", "MONEY", {"text": ["amount=55000000; currency=VND"]}),
        # Added by hand, no values: vnfacts reads the region's text.
        _region(TEXT, "ba trăm nghìn đồng", "MONEY"),
        _region(TEXT, "Nguyễn Văn An", "OFFICIAL"),
        _region(
            TEXT, "thôn Đông", "LOCATION", {"text": ["name=Đông; level=village; keyword=thôn"]}
        ),
        # A bare name with no level anywhere: skipped, with what to write.
        _region(TEXT, "Tân Lộc", "LOCATION"),
        _region(TEXT, "12 hộ nghèo", "BANANA"),
        {"type": "relation", "from_id": "a", "to_id": "b"},
    ]
    doc_id, text, facts, notes = gold_from_task(_task(TEXT, regions), 0)
    assert (doc_id, text) == ("t1", TEXT)
    assert facts == [
        {
            "type": "money",
            "text": "50 triệu đồng",
            "occurrence": 1,
            "amount": 55000000,
            "currency": "VND",
            "qualifier": "exact",
        },
        {
            "type": "money",
            "text": "ba trăm nghìn đồng",
            "occurrence": 1,
            "amount": 300000,
            "currency": "VND",
            "qualifier": "exact",
        },
        {"type": "official", "name": "Nguyễn Văn An", "titles": ["Chủ tịch UBND xã Tân Lộc"]},
        {"type": "location", "name": "Đông", "level": "village", "keyword": "thôn"},
    ]
    assert [n.line() for n in notes] == [
        "t1 50-63 MONEY '50 triệu đồng': amount: annotation 55000000, vnfacts reads 50000000; "
        "annotation kept",
        "t1 36-43 LOCATION 'Tân Lộc': skipped: vnfacts reads no value here and the region has "
        "none; write one in its meta, e.g. 'name=Quỳnh Phụ; level=district; keyword=huyện'",
        "t1 68-79 BANANA '12 hộ nghèo': skipped: one label of MONEY, COUNT, PERCENT, MEASURE, "
        "DATE, OFFICIAL, PERSON, LOCATION, ORGANIZATION, DOCUMENT, TERM, QUOTE, APPOINTMENT "
        "expected",
    ]


def test_second_occurrence_and_browser_offsets() -> None:
    # Label Studio counts offsets in UTF-16 units: the emoji is two of them.
    text = "🎉 " + TEXT
    needle = "50 triệu đồng"
    second = text.index(needle, text.index(needle) + 1)
    utf16 = second + 1
    region = {
        "type": "labels",
        "value": {"start": utf16, "end": utf16 + len(needle), "text": needle, "labels": ["MONEY"]},
    }
    wrong = {
        "type": "labels",
        "value": {"start": 3, "end": 9, "text": "Nguyễn", "labels": ["PERSON"]},
    }
    _, _, facts, notes = gold_from_task(_task(text, [region, wrong]), 0)
    assert facts == [
        {
            "type": "money",
            "text": needle,
            "occurrence": 2,
            "amount": 50000000,
            "currency": "VND",
            "qualifier": "exact",
        }
    ]
    assert [n.message for n in notes] == [
        "skipped: the offsets do not hold this text in the task's text"
    ]


def test_meta_line_parsing() -> None:
    assert parse_meta_line("value=2,5; item=ha; qualifier=about; value_max=") == {
        "value": 2.5,
        "item": "ha",
        "qualifier": "about",
        "value_max": None,
    }
    assert parse_meta_line("name=Lê Hồn; titles=Chủ nhiệm UBKT Tỉnh ủy | Phó Bí thư") == {
        "name": "Lê Hồn",
        "titles": ["Chủ nhiệm UBKT Tỉnh ủy", "Phó Bí thư"],
    }
    assert parse_meta_line("value=2025-03-05", "date") == {"value": "2025-03-05"}
    with pytest.raises(ValueError, match="'amount 5' is not key=value"):
        parse_meta_line("amount 5")


def test_bad_meta_value_is_a_note_not_a_crash() -> None:
    region = _region(TEXT, "Tân Lộc", "LOCATION", {"text": ["name=Tân Lộc; level=hamlet"]})
    _, _, facts, notes = gold_from_task(_task(TEXT, [region]), 0)
    assert facts == []
    assert len(notes) == 1
    assert notes[0].message.startswith("skipped: level: Input should be 'country'")


def test_export_and_import_errors(
    run: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tasks = tmp_path / "tasks.json"
    assert main(["export", str(run["out"]), "--format", "label-studio", "-o", str(tasks)]) == 2
    message = capsys.readouterr().err
    assert message.startswith("vnfacts: E211 A Label Studio task needs each document's text")
    assert "000_c571056ba215774e" in message and message.rstrip().endswith("with --inputs.")
    bad = tmp_path / "export.csv"
    bad.write_text("id,text\n1,x\n", encoding="utf-8")
    assert main(["import-annotations", str(bad), "-o", str(tmp_path / "gold")]) == 2
    assert capsys.readouterr().err.startswith(
        f"vnfacts: E212 Not a Label Studio JSON export ({bad}: Expecting value"
    )
    bad.write_text('[{"data": {"url": "x"}}]', encoding="utf-8")
    assert main(["import-annotations", str(bad), "-o", str(tmp_path / "gold")]) == 2
    assert (
        "E212 Not a Label Studio JSON export (task 0 has no data.text)" in capsys.readouterr().err
    )
