"""Write records as JSON Lines, atomically when writing to a file."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO

from .models import OutputRecord


def dumps(record: OutputRecord) -> str:
    return record.model_dump_json(exclude_none=True)


class RecordWriter:
    """Writes to a temporary file beside OUT and renames it on success, so an interrupted
    run never leaves a truncated OUT; writes to standard output when OUT is None.

    With `append` (for --resume), it appends to OUT itself and flushes after each document,
    so an interrupted run keeps every document it finished.
    """

    def __init__(self, out: Path | None, append: bool = False) -> None:
        self.out = out
        self.append = append and out is not None
        self._tmp: Path | None = None
        self._stream: IO[str] = sys.stdout

    def __enter__(self) -> RecordWriter:
        if self.out is not None:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            if self.append:
                self._stream = self.out.open("a", encoding="utf-8", newline="\n")
                return self
            fd, name = tempfile.mkstemp(prefix=f".{self.out.name}.", dir=self.out.parent)
            self._tmp = Path(name)
            self._stream = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self

    def write(self, record: OutputRecord) -> None:
        self._stream.write(dumps(record) + "\n")

    def write_lines(self, lines: Iterable[str]) -> None:
        """The records of one document, already serialised, in one write."""
        self._stream.write("".join(f"{line}\n" for line in lines))
        if self.append:
            self._stream.flush()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._tmp is None:
            if self.append:
                self._stream.close()
            else:
                self._stream.flush()
            return
        self._stream.close()
        if exc_type is None and self.out is not None:
            os.replace(self._tmp, self.out)
        else:
            self._tmp.unlink(missing_ok=True)
