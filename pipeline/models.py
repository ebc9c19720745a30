"""The records and facts of SPEC.md, as pydantic models (the JSON Schema is generated from them)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal[1] = 1

Qualifier = Literal["exact", "over", "under", "about", "at_least", "at_most"]
Number = int | float


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The span as written: original[start:end] == text.")
    start: int = Field(ge=0, description="Code-point offset into the original decoded text.")
    end: int = Field(ge=0)
    rule: str = Field(description="Id of the pattern rule that produced the fact.")
    page: int | None = Field(
        default=None, ge=1, description="PDF input: the page the fact is printed on (1-based)."
    )
    bbox: list[tuple[float, float, float, float]] | None = Field(
        default=None,
        description="PDF input: the boxes the fact is printed in, (x0, top, x1, bottom) in PDF "
        "points from the page's top left corner, one per line or column it runs over.",
    )


class Money(_Fact):
    type: Literal["money"] = "money"
    amount: Number
    currency: str = Field(description="ISO 4217 code; 'đồng' is VND.")
    qualifier: Qualifier = "exact"
    amount_max: Number | None = None
    per: str | None = Field(default=None, description="'78 triệu đồng/năm' gives 'năm'.")


class Count(_Fact):
    type: Literal["count"] = "count"
    value: Number
    item: str = Field(description="The counted noun phrase as written.")
    qualifier: Qualifier = "exact"
    value_max: Number | None = None
    total: Number | None = Field(default=None, description="'89/148 chi bộ' gives 148.")


class Percent(_Fact):
    type: Literal["percent"] = "percent"
    value: Number
    qualifier: Qualifier = "exact"
    value_max: Number | None = None


class Measure(_Fact):
    type: Literal["measure"] = "measure"
    value: Number
    unit: str
    item: str | None = None
    qualifier: Qualifier = "exact"


class Date(_Fact):
    type: Literal["date"] = "date"
    value: str = Field(
        description="ISO 8601 of what is written, partial allowed: '--09-24', '2023-04'; a "
        "range is an interval: '2021/2025'."
    )
    inferred: str | None = Field(
        default=None,
        description="The full date where the article's date gives the missing year "
        "('ngày 28/12' in an article of 2025-01-03: '2024-12-28').",
    )


class Term(_Fact):
    type: Literal["term"] = "term"
    from_: int = Field(alias="from", description="First year of the term of office.")
    to: int

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class Document(_Fact):
    type: Literal["document"] = "document"
    kind: str = Field(description="'Nghị quyết', 'Quyết định', … as written.")
    number: str | None = Field(description="'12-NQ/TU' as written; null for a law by name.")
    issuer: str | None = Field(
        default=None, description="The issuer's code in the number: 'TTg' of '1680/QĐ-TTg'."
    )
    date: str | None = Field(default=None, description="'ngày 5/3/2024' after the number, ISO.")
    title: str | None = Field(default=None, description="What the document is about ('về …').")


OrgKind = Literal[
    "party",
    "state",
    "council",
    "front",
    "mass",
    "security",
    "military",
    "judicial",
    "enterprise",
    "cooperative",
    "school",
    "health",
    "media",
    "fund",
    "other",
]


class Organization(_Fact):
    type: Literal["organization"] = "organization"
    name: str = Field(
        description="Abbreviations expanded: 'UBND huyện' is 'Ủy ban nhân dân huyện'."
    )
    kind: OrgKind = "other"
    unit: str | None = Field(
        default=None, description="The administrative unit it belongs to, as its name says."
    )
    mentions: list[tuple[int, int]] = Field(default_factory=list)


class Quote(_Fact):
    type: Literal["quote"] = "quote"
    speaker: str | None = Field(description="Name of the official or person who said it.")
    speaker_index: int | None = Field(
        default=None, description="Index in the record's facts of that official or person."
    )


AppointmentAction = Literal["elected", "appointed", "dismissed", "transferred", "retired"]


class Appointment(_Fact):
    type: Literal["appointment"] = "appointment"
    person: str
    action: AppointmentAction
    post: str | None = Field(description="The post as written.")
    body: str | None = Field(default=None, description="The deciding body, where named.")
    date: str | None = Field(default=None, description="Effective date (ISO), where given.")


class Title(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: str | None = None
    organization: str | None = None


class Official(_Fact):
    type: Literal["official"] = "official"
    name: str
    honorific: str | None = None
    titles: list[str]
    title_parts: list[Title] = Field(default_factory=list)
    mentions: list[tuple[int, int]] = Field(default_factory=list)


class Person(_Fact):
    type: Literal["person"] = "person"
    name: str
    honorific: str | None = None
    address: str | None = None
    mentions: list[tuple[int, int]] = Field(default_factory=list)


Level = Literal["country", "province", "district", "commune", "village"]


class Location(_Fact):
    type: Literal["location"] = "location"
    name: str
    level: Level
    keyword: str | None = None
    parent: str | None = None
    code: str | None = None
    code_2025: str | None = None
    name_2025: str | None = None
    mentions: list[tuple[int, int]] = Field(default_factory=list)


Fact = Annotated[
    Money
    | Count
    | Percent
    | Measure
    | Date
    | Term
    | Document
    | Official
    | Person
    | Location
    | Organization
    | Quote
    | Appointment,
    Field(discriminator="type"),
]


# The types `vnfacts evaluate` scores: SPEC §4's four, then docs/FACT-TYPES.md's seven.
SCORED_TYPES = (
    "money",
    "count",
    "official",
    "location",
    "organization",
    "document",
    "term",
    "date",
    "percent",
    "quote",
    "appointment",
)

# The label of each fact type where facts become labelled spans (spaCy, Label Studio).
LABELS = {
    "money": "MONEY",
    "count": "COUNT",
    "percent": "PERCENT",
    "measure": "MEASURE",
    "date": "DATE",
    "official": "OFFICIAL",
    "person": "PERSON",
    "location": "LOCATION",
    "organization": "ORGANIZATION",
    "document": "DOCUMENT",
    "term": "TERM",
    "quote": "QUOTE",
    "appointment": "APPOINTMENT",
}


class Record(BaseModel):
    """One article of one document."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = SCHEMA_VERSION
    doc_id: str
    article: int = Field(ge=0)
    title: str | None = None
    byline: str | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    date: str | None = Field(default=None, description="Publication date where the input gives it.")
    facts: list[Fact] = Field(default_factory=list)
    basis: Literal["html", "converted", "pdf"] | None = Field(
        default=None,
        description="'html': offsets point into `main_text`, the main text extracted from an "
        "HTML page; 'converted': into `main_text`, the text converted to Unicode from the "
        "legacy font encoding named in `encoding`; 'pdf': into `main_text`, the text read "
        "from a PDF's text layer, article by article; not into the file.",
    )
    pages: list[int] | None = Field(
        default=None, description="PDF input: the pages the article is printed on."
    )
    encoding: Literal["tcvn3", "vni", "viscii", "vps"] | None = Field(
        default=None, description="The legacy font encoding the input was converted from."
    )
    main_text: str | None = Field(
        default=None,
        description="For HTML, converted and PDF input, on article 0: the text the offsets "
        "refer to.",
    )
    checksum: str | None = Field(
        default=None, description="Fingerprint of the input document (sha256, 16 hex digits)."
    )
    warnings: list[str] | None = Field(
        default=None,
        description="What of the input was ignored, e.g. a date that is not ISO 8601 (W101).",
    )


class ErrorInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str
    message: str


class ErrorRecord(BaseModel):
    """A document that could not be processed; the batch goes on."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = SCHEMA_VERSION
    doc_id: str
    error: ErrorInfo
    checksum: str | None = Field(
        default=None, description="Fingerprint of the input document, where it could be read."
    )


OutputRecord = Record | ErrorRecord
