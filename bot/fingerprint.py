"""One way to fingerprint what a build step depends on: every rebuild-when-stale step (the spaCy
pipeline, the Rasa model, the NLU components in Rasa's training cache) hashes its inputs here."""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def files_digest(paths: Iterable[Path], root: Path | None = None) -> Any:
    """A sha256 over each file's name (relative to ``root``, else its base name) and bytes."""
    digest = hashlib.sha256()
    for path in paths:
        name = str(path.relative_to(root)) if root is not None else path.name
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest


def modules_fingerprint(*modules: str) -> str:
    """The fingerprint of these modules' source files."""
    paths = [Path(importlib.import_module(name).__file__ or "") for name in modules]
    return files_digest(paths).hexdigest()[:16]
