from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.patterns import Patterns, load

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
EXAMPLES = ROOT / "patterns" / "examples"


def corpus_texts() -> list[Path]:
    return sorted(CORPUS.glob("*/texts/*.txt"))


@pytest.fixture(scope="session")
def patterns() -> Patterns:
    return load()
