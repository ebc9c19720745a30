"""Load, validate and compile the pattern files (patterns/*.yaml) once per process.

A pattern file has lexicons (surface forms, with their source), pieces (named regular
expressions that may refer to other pieces and lexicons as {NAME}) and rules (a fact type
and a pattern). Every file is validated with pydantic (`extra="forbid"`); all problems are
reported at once, naming the file, the path inside it and what to do.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ErrorCode, VnfactsError

RuleType = Literal[
    "money",
    "count",
    "percent",
    "measure",
    "date",
    "term",
    "document",
    "ignore",
    "location",
    "official",
]
LexiconValue = str | int | float | None

# Higher-priority types claim their numbers first (SPEC §2: money and measures are not counts).
TYPE_PRIORITY: dict[str, int] = {
    "money": 0,
    "percent": 1,
    "measure": 2,
    "term": 2,
    "document": 2,
    "date": 3,
    "ignore": 4,
    "count": 5,
    "location": 0,
    "official": 0,
}
# Rules compete for a span only within their layer: "2 xã Ba Nang" is a count and a place.
LAYER: dict[str, str] = {"location": "entity", "official": "person"}
_REFERENCE = regex.compile(r"(?<!\\[pP])\{([A-Z][A-Z0-9_]*)\}")


class Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=3, description="Where the entries come from.")
    entries: dict[str, LexiconValue] | list[str]
    case: Literal["ignore", "exact"] = Field(
        default="ignore",
        description="As a piece, match the entries in any case, or only as written "
        "('Quyết định 12' cites a decision, 'quyết định 3 nội dung' is a verb).",
    )

    @field_validator("entries")
    @classmethod
    def _not_empty(cls, value: dict[str, LexiconValue] | list[str]) -> object:
        if not value:
            raise ValueError("a lexicon needs at least one entry")
        return value

    def mapping(self) -> dict[str, LexiconValue]:
        if isinstance(self.entries, list):
            return dict.fromkeys(self.entries)
        return dict(self.entries)


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z_]+\.[a-z_0-9]+$", description="type.name, unique")
    type: RuleType
    pattern: str
    description: str = ""
    needs: Literal["money_nearby"] | None = None


class PatternFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str
    lexicons: dict[str, Lexicon] = Field(default_factory=dict)
    pieces: dict[str, str] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)


@dataclass(frozen=True)
class CompiledRule:
    id: str
    type: str
    regex: regex.Pattern[str]
    needs: str | None
    file: str

    @property
    def priority(self) -> int:
        return TYPE_PRIORITY[self.type]

    @property
    def layer(self) -> str:
        return LAYER.get(self.type, "number")


@dataclass
class Patterns:
    rules: list[CompiledRule]
    lexicons: dict[str, dict[str, LexiconValue]]
    pieces: dict[str, str] = field(repr=False)
    folder: Path | None = None

    def lookup(self, lexicon: str, surface: str) -> LexiconValue:
        """Value of `surface` in a lexicon, compared case-insensitively."""
        return self._folded(lexicon).get(surface.casefold())

    def alternation(self, lexicon: str, ignore_case: bool = True) -> str:
        """A regular expression matching any entry of the lexicon, longest first; a lexicon
        used as a piece ({NAME}) ignores case, this one can keep it ("dự" but not "Dự")."""
        return _lexicon_regex(self.lexicons[lexicon], ignore_case)

    def has(self, lexicon: str, surface: str) -> bool:
        """Whether `surface` is an entry of the lexicon, compared case-insensitively."""
        return surface.casefold() in self._folded(lexicon)

    def _folded(self, lexicon: str) -> Mapping[str, LexiconValue]:
        cached = _FOLDED.get((id(self), lexicon))
        if cached is None:
            cached = {k.casefold(): v for k, v in self.lexicons[lexicon].items()}
            _FOLDED[(id(self), lexicon)] = cached
        return cached


_FOLDED: dict[tuple[int, str], Mapping[str, LexiconValue]] = {}


def pattern_folder() -> Path:
    """The patterns of an installed wheel, of a checkout, or of $VNFACTS_PATTERNS."""
    here = Path(__file__).resolve().parent
    candidates = [here / "patterns", here.parent / "patterns"]
    env = os.environ.get("VNFACTS_PATTERNS")
    if env:
        candidates.insert(0, Path(env))
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise VnfactsError(ErrorCode.E003, detail=", ".join(str(c) for c in candidates))


def _lexicon_regex(entries: Iterable[str], ignore_case: bool = True) -> str:
    # Longest first so that "nghìn tỷ" wins over "nghìn"; case-insensitive for headlines.
    alternatives = sorted(entries, key=lambda s: (-len(s), s))
    body = "|".join(regex.escape(a, literal_spaces=True) for a in alternatives)
    return f"(?i:{body})" if ignore_case else f"(?:{body})"


def _format_validation(path: Path, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"  - {path.name}: {where}: {err['msg']}")
    return "\n".join(lines)


def read_file(path: Path) -> PatternFile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise VnfactsError(ErrorCode.E001, path=path, detail=str(exc).replace("\n", " ")) from None
    try:
        return PatternFile.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        raise VnfactsError(
            ErrorCode.E002, path=path, detail=_format_validation(path, exc)
        ) from None


def compile_folder(folder: Path) -> Patterns:
    files = {path: read_file(path) for path in sorted(folder.glob("*.yaml"))}
    lexicons: dict[str, dict[str, LexiconValue]] = {}
    pieces: dict[str, str] = {}
    problems: list[str] = []
    for path, parsed in files.items():
        for name, lexicon in parsed.lexicons.items():
            if name in lexicons or name in pieces:
                problems.append(f"  - {path.name}: lexicons.{name}: defined twice; rename one")
            lexicons[name] = lexicon.mapping()
            pieces[name] = _lexicon_regex(lexicon.mapping(), lexicon.case == "ignore")
        for name, piece in parsed.pieces.items():
            if name in pieces:
                problems.append(f"  - {path.name}: pieces.{name}: defined twice; rename one")
            pieces[name] = piece
    if problems:
        raise VnfactsError(ErrorCode.E002, path=folder, detail="\n".join(problems))

    expanded: dict[str, str] = {}

    def expand(name: str, where: str, seen: tuple[str, ...] = ()) -> str:
        if name in expanded:
            return expanded[name]
        if name not in pieces or name in seen:
            raise VnfactsError(ErrorCode.E004, path=where, detail=name)
        body = _REFERENCE.sub(lambda m: expand(m.group(1), where, (*seen, name)), pieces[name])
        expanded[name] = f"(?:{body})"
        return expanded[name]

    rules: list[CompiledRule] = []
    ids: set[str] = set()
    for path, parsed in files.items():
        for index, rule in enumerate(parsed.rules):
            where = f"{path.name}: rules.{index} ({rule.id})"
            if rule.id in ids:
                raise VnfactsError(ErrorCode.E002, path=path, detail=f"  - {where}: id used twice")
            ids.add(rule.id)
            source = _REFERENCE.sub(lambda m, w=where: expand(m.group(1), w), rule.pattern)
            try:
                compiled = regex.compile(source, regex.V0)
            except regex.error as exc:
                raise VnfactsError(ErrorCode.E005, path=where, detail=str(exc)) from None
            rules.append(CompiledRule(rule.id, rule.type, compiled, rule.needs, path.name))
    for name in pieces:
        expand(name, f"pieces.{name}")
    rules.sort(key=lambda r: r.priority)
    return Patterns(rules=rules, lexicons=lexicons, pieces=expanded, folder=folder)


@cache
def load() -> Patterns:
    """The compiled patterns, built once per process."""
    return compile_folder(pattern_folder())
