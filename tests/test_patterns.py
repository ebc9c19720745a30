from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import VnfactsError
from pipeline.patterns import Patterns, compile_folder


def _folder(tmp_path: Path, body: str) -> Path:
    (tmp_path / "rules.yaml").write_text(body, encoding="utf-8")
    return tmp_path


def test_shipped_patterns_compile(patterns: Patterns) -> None:
    ids = [r.id for r in patterns.rules]
    assert len(ids) == len(set(ids))
    assert {"money.amount", "count.digits"} <= set(ids)
    # money outranks counts, so a number in an amount is never also a count
    assert ids.index("money.amount") < ids.index("count.digits")


def test_broken_yaml_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(VnfactsError) as err:
        compile_folder(_folder(tmp_path, "description: [unclosed\n"))
    assert err.value.message.startswith("E001 Pattern file")
    assert "rules.yaml" in err.value.message and "line" in err.value.message


def test_schema_errors_are_all_reported_with_their_path(tmp_path: Path) -> None:
    body = (
        "description: x\n"
        "colour: red\n"
        "rules:\n"
        "  - {id: money.a, type: money, pattern: '1', flavour: x}\n"
        "  - {id: bad id, type: nonsense, pattern: '1'}\n"
    )
    with pytest.raises(VnfactsError) as err:
        compile_folder(_folder(tmp_path, body))
    message = err.value.message
    assert message.startswith("E002")
    assert "rules.yaml: colour: Extra inputs are not permitted" in message
    assert "rules.yaml: rules.0.flavour" in message
    assert "rules.yaml: rules.1.id" in message
    assert "rules.yaml: rules.1.type" in message


def test_unknown_piece_is_named(tmp_path: Path) -> None:
    body = "description: x\nrules:\n  - {id: money.a, type: money, pattern: '{NOPE}'}\n"
    with pytest.raises(VnfactsError) as err:
        compile_folder(_folder(tmp_path, body))
    assert "E004" in err.value.message and "{NOPE}" in err.value.message
    assert "rules.0 (money.a)" in err.value.message


def test_bad_regex_is_named(tmp_path: Path) -> None:
    body = "description: x\nrules:\n  - {id: money.a, type: money, pattern: '(unclosed'}\n"
    with pytest.raises(VnfactsError) as err:
        compile_folder(_folder(tmp_path, body))
    assert err.value.message.startswith("E005 Pattern rules.yaml: rules.0 (money.a)")


def test_lexicon_needs_a_source(tmp_path: Path) -> None:
    body = "description: x\nlexicons:\n  UNIT: {entries: [kg]}\n"
    with pytest.raises(VnfactsError) as err:
        compile_folder(_folder(tmp_path, body))
    assert "lexicons.UNIT.source: Field required" in err.value.message
