"""Write records as JSON Lines, atomically when writing to a file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO

from .models import OutputRecord


def dumps(record: OutputRecord) -> str:
    return record.model_dump_json(exclude_none=True)


class RecordWriter:
    """Writes to a temporary file beside OUT and renames it on success, so an interrupted
    run never leaves a truncated OUT; writes to standard output when OUT is None."""

    def __init__(self, out: Path | None) -> None:
        self.out = out
        self._tmp: Path | None = None
        self._stream: IO[str] = sys.stdout

    def __enter__(self) -> RecordWriter:
        if self.out is not None:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{self.out.name}.", dir=self.out.parent)
            self._tmp = Path(name)
            self._stream = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self

    def write(self, record: OutputRecord) -> None:
        self._stream.write(dumps(record) + "\n")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._tmp is None:
            self._stream.flush()
            return
        self._stream.close()
        if exc_type is None and self.out is not None:
            os.replace(self._tmp, self.out)
        else:
            self._tmp.unlink(missing_ok=True)
