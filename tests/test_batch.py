"""Batches (pipeline/batch.py, pipeline/distributed.py): process pools, resume, Dask."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.batch import completed
from pipeline.cli import main
from pipeline.patterns import Patterns
from pipeline.read import Document, Item
from pipeline.records import records_for

from .conftest import CORPUS

TEXTS = [str(CORPUS / "seeds" / "texts"), str(CORPUS / "dev" / "texts")]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local") / "one.jsonl"
    assert main(["extract", *TEXTS, "-o", str(out), "-q", "--workers", "1"]) == 0
    return out


def test_a_process_pool_gives_the_same_records_in_the_same_order(
    local_run: Path, tmp_path: Path
) -> None:
    out = tmp_path / "two.jsonl"
    assert main(["extract", *TEXTS, "-o", str(out), "-q", "--workers", "2"]) == 0
    assert _lines(out) == _lines(local_run)
    unordered = tmp_path / "any.jsonl"
    args = ["extract", *TEXTS, "-o", str(unordered), "-q", "--workers", "2", "--unordered"]
    assert main(args) == 0
    assert sorted(_lines(unordered)) == sorted(_lines(local_run))


def test_dask_local_cluster_gives_the_local_records(local_run: Path, tmp_path: Path) -> None:
    folder = tmp_path / "parts"
    args = ["extract", *TEXTS, "-o", str(folder), "-q", "--dask", "local", "--workers", "2"]
    assert main([*args, "--partition-size", "6"]) == 0
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [p["part"] for p in manifest["parts"]] == [f"part-0000{n}.jsonl" for n in range(5)]
    assert manifest["documents"] == 25 and manifest["errors"] == 0
    joined = [line for p in manifest["parts"] for line in _lines(folder / p["part"])]
    assert joined == _lines(local_run)


def _batch(folder: Path, count: int) -> None:
    folder.mkdir()
    for n in range(count):
        text = f"Xã An Ấp kết nạp {n % 50 + 1} đảng viên, được hỗ trợ {n % 90 + 1} triệu đồng."
        (folder / f"doc{n:04d}.txt").write_text(text, encoding="utf-8")


def test_resume_after_a_killed_run_gives_the_uninterrupted_output(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    _batch(inputs, 400)
    whole = tmp_path / "whole.jsonl"
    assert main(["extract", str(inputs), "-o", str(whole), "-q", "--workers", "1"]) == 0
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "pipeline", "extract", str(inputs), "-o", str(out)]
    command += ["-q", "--workers", "1", "--resume"]
    process = subprocess.Popen(command, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 20_000):
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = len(_lines(out))
    assert 0 < written < 400  # killed midway
    assert main(["extract", str(inputs), "-o", str(out), "-q", "--workers", "1", "--resume"]) == 0
    assert out.read_bytes() == whole.read_bytes()


def test_resume_skips_what_is_done_and_redoes_a_cut_last_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = tmp_path / "in"
    _batch(inputs, 5)
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(inputs), "-o", str(out), "--workers", "1", "--resume"]) == 0
    full = out.read_bytes()
    capsys.readouterr()
    out.write_bytes(full[: len(full) - 30])  # the last record cut in the middle
    probe = tmp_path / "probe.jsonl"
    probe.write_bytes(out.read_bytes())
    assert completed(probe) == {
        (f"doc{n:04d}", json.loads(line)["checksum"])
        for n, line in enumerate(full.decode("utf-8").splitlines()[:4])
    }
    assert probe.read_bytes() == full[: full.rindex(b"\n", 0, len(full) - 1) + 1]
    assert main(["extract", str(inputs), "-o", str(out), "--workers", "1", "--resume"]) == 0
    assert out.read_bytes() == full
    assert "(4 documents already in the output, skipped)" in capsys.readouterr().err


def test_resume_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "x.txt", "--resume"]) == 2
    assert capsys.readouterr().err.startswith("vnfacts: E206 --resume needs -o OUT")


def _documents(count: int) -> list[Item]:
    return [Document(f"doc{n}", f"Xã An Ấp kết nạp {n + 1} đảng viên.") for n in range(count)]


def _made_slow(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """A test-only hook: the document "slow" hangs (or kills its worker); forked workers
    inherit the patched function."""

    def patched(item: Item, patterns: Patterns) -> list[object]:
        if item.doc_id == "slow":
            if how == "sleep":
                time.sleep(3600)
            elif how == "spin":
                while True:
                    pass
            else:
                os._exit(3)
        return records_for(item, patterns)  # type: ignore[return-value]

    monkeypatch.setattr(batch, "records_for", patched)


@pytest.mark.parametrize(("how", "workers"), [("sleep", 2), ("spin", 1)])
def test_a_document_over_its_time_budget_becomes_an_error_and_the_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch, how: str, workers: int
) -> None:
    expected = list(batch.run(_documents(12)))
    _made_slow(monkeypatch, how)
    items = _documents(12)
    items.insert(5, Document("slow", "Xã An Ấp kết nạp 9 đảng viên."))
    began = time.monotonic()
    outcomes = list(batch.run(items, workers=workers, timeout=1.0))
    assert time.monotonic() - began < 30
    assert [o.doc_id for o in outcomes] == [item.doc_id for item in items]
    stopped = outcomes.pop(5)
    assert (stopped.errors, stopped.articles) == (1, 0)
    error = json.loads(stopped.lines[0])["error"]
    assert error["kind"] == "E110"
    assert error["message"].startswith("E110 The document took longer than 1 s to process")
    assert "raise --doc-timeout" in error["message"]
    assert outcomes == expected  # every other document, as without the slow one


def test_a_worker_that_dies_is_replaced_and_only_its_document_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _made_slow(monkeypatch, "exit")
    items = _documents(9)
    items.insert(2, Document("slow", "Xã An Ấp."))
    outcomes = list(batch.run(items, workers=2, timeout=60.0, ordered=False))
    assert sorted(o.doc_id for o in outcomes) == sorted(item.doc_id for item in items)
    [died] = [o for o in outcomes if o.errors]
    assert died.doc_id == "slow"
    assert json.loads(died.lines[0])["error"]["message"].startswith(
        "E111 The worker process stopped while processing this document (exit code 3)"
    )


def test_doc_timeout_on_the_command_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _made_slow(monkeypatch, "sleep")
    inputs = tmp_path / "in"
    _batch(inputs, 3)
    (inputs / "slow.txt").write_text("Xã An Ấp kết nạp 9 đảng viên.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["extract", str(inputs), "-o", str(out), "-q", "--workers", "1"]
    assert main([*args, "--doc-timeout", "0.5"]) == 1
    records = [json.loads(line) for line in _lines(out)]
    assert [r["doc_id"] for r in records] == ["doc0000", "doc0001", "doc0002", "slow"]
    assert records[-1]["error"]["kind"] == "E110"
