"""The catalogue of errors: every message names what went wrong and what to do about it.

Document errors become error records in the output (the batch goes on); the others stop
the command with a clear message and exit code 2.
"""

from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    # Pattern files (raised at start-up).
    E001 = "E001 Pattern file {path} is not valid YAML: {detail}. Fix the syntax at the line shown."
    E002 = (
        "E002 Pattern file {path} does not match its schema:\n{detail}\n"
        "Fix or remove the keys named above; see patterns/README.md for the schema."
    )
    E003 = (
        "E003 No pattern folder found (looked in: {detail}). Reinstall the package, or set "
        "VNFACTS_PATTERNS to the folder holding the *.yaml files."
    )
    E004 = (
        "E004 Pattern {path} refers to unknown piece {{{detail}}}. Define it under 'pieces' "
        "or as a lexicon, or correct the name."
    )
    E005 = "E005 Pattern {path} does not compile as a regular expression: {detail}."
    E006 = (
        "E006 The gazetteer package {detail} is not installed or has no data/dataset.db; "
        "install it with: pip install 'vietnamadminunits>=1.0.4'."
    )
    # Documents (become error records).
    E101 = "E101 The document is empty or holds only whitespace; nothing to extract."
    E102 = "E102 The document looks binary ({detail}), not text; give a text, HTML or JSONL file."
    E103 = (
        "E103 The document's bytes could not be decoded as text ({detail}); convert it to "
        "UTF-8 first (for example with iconv)."
    )
    E104 = "E104 The file could not be read: {detail}. Check that it exists and is readable."
    E105 = (
        "E105 Line {detail} of the JSONL input is not a JSON object with a string 'text' "
        "field; fix or remove that line."
    )
    E106 = "E106 Extraction failed on this document: {detail}. Please report it with the input."
    E107 = (
        "E107 The HTML page gave no article text ({detail}); check that it is a saved article "
        "page, or extract its text yourself and give it as .txt."
    )
    E108 = (
        "E108 The document is too large ({detail}; the limit is 5,000,000); split it into "
        "pages or articles, for example as JSONL lines."
    )
    E109 = (
        "E109 The text looks typed in a legacy Vietnamese font encoding ({detail}), and no "
        "table (TCVN3/ABC, VNI, VISCII, VPS) converts it cleanly; convert it to Unicode "
        "first, for example with UniKey's converter, or split the parts that differ."
    )
    E110 = (
        "E110 The document took longer than {detail} s to process and was stopped; split it "
        "into smaller documents (pages, articles, JSONL lines) or raise --doc-timeout."
    )
    E111 = (
        "E111 The worker process stopped while processing this document ({detail}), for "
        "example killed for lack of memory; the other documents went on. Please report it "
        "with the input."
    )
    E112 = (
        "E112 The document's {detail} holds a lone surrogate, half of a UTF-16 pair and not a "
        "character, so no output can encode it (a broken conversion made it); fix the input "
        "there."
    )
    E113 = (
        "E113 The PDF has no text layer on page {detail}: it is a scan. OCR it first, e.g. "
        "ocrmypdf -l vie in.pdf out.pdf, or install the OCR extra (pip install 'vnfacts[ocr]' "
        "and Debian's tesseract-ocr-vie) so that vnfacts reads the page images."
    )
    E114 = "E114 The file cannot be read as a PDF: {detail}."
    E115 = (
        "E115 PDF input needs pypdfium2 ({detail}); install the extra with: "
        "pip install 'vnfacts[pdf]'."
    )
    # Warnings (the document is processed; the record says what was ignored).
    W101 = "W101 The date given with the document was ignored: {detail}."
    W103 = (
        "W103 Page {detail} of the PDF has no text layer and was read from its image by "
        "Tesseract (vie); OCR errors are possible there."
    )
    W102 = (
        "W102 Page {detail} of the PDF has no text layer and was left out; OCR it (ocrmypdf "
        "-l vie) to read it."
    )
    # Gold files and evaluation (stop the command).
    E201 = "E201 Gold file {path} is not valid: {detail}. See SPEC.md section 3 for the format."
    E202 = (
        "E202 Gold file {path}: fact {detail} is not found in the document text at the "
        "occurrence given. Correct 'text' or 'occurrence'."
    )
    E203 = "E203 No text found for gold file {path}; pass --texts DIR holding {detail}."
    E204 = "E204 Prediction file {path} is not valid JSON Lines: {detail}."
    E205 = "E205 Input {path} does not exist; give files, folders or '-' for standard input."
    E206 = "E206 --resume needs -o OUT: it reads OUT to know which documents are done."
    E207 = (
        "E207 Dask is not installed; install the extra with: pip install 'vnfacts[dask]' "
        "({detail})."
    )
    E208 = (
        "E208 This export format needs a library that is not installed ({detail}); install "
        "the extra with: pip install 'vnfacts[export]'."
    )
    E209 = (
        "E209 The web app needs FastAPI and uvicorn ({detail}); install the extra with: "
        "pip install 'vnfacts[serve]'."
    )
    E210 = "E210 --resume works with local runs only; a Dask run writes new parts each time."
    E211 = (
        "E211 A Label Studio task needs each document's text, and these have none in the "
        "records: {detail}; pass the run's inputs with --inputs."
    )
    E212 = (
        "E212 Not a Label Studio JSON export ({detail}); export the project as JSON "
        "(Export → JSON), not JSON-MIN or CSV."
    )

    def format(self, **kwargs: object) -> str:  # type: ignore[override]
        return str(self.value).format(**{"path": "", "detail": "", **kwargs})

    @property
    def kind(self) -> str:
        return self.name


class VnfactsError(Exception):
    """An error from the catalogue; `str()` is the full message."""

    def __init__(self, code: ErrorCode, **kwargs: object) -> None:
        self.code = code
        self.message = code.format(**kwargs)
        super().__init__(self.message)
