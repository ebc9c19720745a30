from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from pipeline.cli import main

from .conftest import CORPUS


def test_extract_stdin_to_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = "Xã An Ấp hiện có 9 chi bộ, được hỗ trợ 29 triệu đồng.".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["extract", "-"]) == 0
    out, err = capsys.readouterr()
    [record] = [json.loads(line) for line in out.splitlines()]
    assert record["doc_id"] == "stdin"
    assert [(f["type"], f["text"]) for f in record["facts"]] == [
        ("count", "9 chi bộ"),
        ("money", "29 triệu đồng"),
        ("location", "Xã An Ấp"),
    ]
    assert err.strip() == "vnfacts: 1 documents, 1 articles, 3 facts, 0 errors"


def test_extract_with_errors_exits_1_and_keeps_every_document(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Có 5 hộ nghèo.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out" / "facts.jsonl"
    assert main(["extract", str(tmp_path), "-o", str(out), "-q"]) == 1
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in lines] == ["empty", "good"]
    assert lines[0]["error"]["kind"] == "E101"
    assert not list(out.parent.glob(".facts.jsonl.*"))  # no temporary file left behind


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["extract"])
    assert exc.value.code == 2


def test_schema_is_generated(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"Record", "ErrorRecord", "Money", "Count"} <= set(schema["$defs"])


def test_evaluate_on_the_dev_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dev.jsonl"
    assert main(["extract", str(CORPUS / "dev" / "texts"), "-o", str(out), "-q"]) == 0
    assert (
        main(["evaluate", "--gold", str(CORPUS / "dev" / "gold"), "--pred", str(out), "--json"])
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    figures = report[str(CORPUS / "dev" / "gold")]
    assert figures["money"]["f1"] >= 0.9
    assert figures["count"]["f1"] >= 0.9


def test_evaluate_reports_bad_gold_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x.json").write_text("{not json", encoding="utf-8")
    pred = tmp_path / "p.jsonl"
    pred.write_text("", encoding="utf-8")
    assert main(["evaluate", "--gold", str(tmp_path), "--pred", str(pred)]) == 2
    assert capsys.readouterr().err.startswith("vnfacts: E201 Gold file")
