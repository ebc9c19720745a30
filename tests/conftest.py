from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """A live `vnfacts serve` on 127.0.0.1 (a free port), for tests that need real HTTP."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "pipeline", "serve", "--host", "127.0.0.1"]
    process = subprocess.Popen([*command, "--port", str(port)])
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if json.load(response)["status"] == "ok":
                    break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(timeout=20)
