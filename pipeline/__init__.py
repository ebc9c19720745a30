"""vnfacts: facts from Vietnamese news (money, counts, officials, places) as JSON records.

The modules follow the data flow: read → normalise → segment → tokenise → match → resolve
→ records → write.
"""

from __future__ import annotations

from pathlib import Path

from .models import ErrorRecord, OutputRecord, Record
from .patterns import load
from .read import document_from_text, read_file
from .records import records_for

__all__ = ["ErrorRecord", "Record", "extract", "extract_file"]
__version__ = "0.1.0"


def extract(text: str, doc_id: str = "text", date: str | None = None) -> list[OutputRecord]:
    """The records of one article or page given as a string."""
    return records_for(document_from_text(doc_id, text, date=date), load())


def extract_file(path: str | Path) -> list[OutputRecord]:
    """The records of one file (a .jsonl file gives the records of all its lines)."""
    patterns = load()
    return [r for item in read_file(Path(path)) for r in records_for(item, patterns)]
