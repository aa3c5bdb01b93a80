"""Where documents are and what a document that cannot be ingested reports (IngestError)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from bot import PROJECT_ROOT

DOCUMENTS_DIR = PROJECT_ROOT / "documents"
SOURCES_FILE = "sources.yml"
ACCEPTED_SUFFIXES = (".txt", ".md")

HEADER = """\
# GENERATED FILE - DO NOT EDIT BY HAND.
# Built by `make ingest` (python -m bot.ingest) from the source documents in documents/
# and their metadata in documents/sources.yml. To change it, edit those and run `make ingest`;
# `python -m bot.ingest --check` fails when this file is out of date.
"""



def _display_path(path: str | os.PathLike[str]) -> str:
    """``path`` relative to the current directory when it is inside it."""
    absolute = Path(os.path.abspath(path))
    cwd = Path.cwd()
    if cwd != Path(cwd.anchor):
        with contextlib.suppress(ValueError):
            return absolute.relative_to(cwd).as_posix()
    return str(absolute)


class IngestError(Exception):
    """A source document (or sources.yml) that cannot be ingested.

    ``file`` is the offending file, ``reason`` says what is wrong; ``str()`` is "<file>: <reason>".
    """

    def __init__(self, file: str | os.PathLike[str], reason: str) -> None:
        self.file = _display_path(file)
        self.reason = reason
        super().__init__(f"{self.file}: {reason}")

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"
