from __future__ import annotations

import re

from .conftest import ROOT


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", readme, flags=re.S)


def test_readme_starts_with_setup_and_test_commands() -> None:
    extract, test = _commands()[:2]
    assert "pip install" in extract and "vnfacts extract corpus/" in extract
    assert "pip install" in test and "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _commands()[1].replace(" -q ", " ")
    assert test_command in ci.replace(" -q ", " ")
