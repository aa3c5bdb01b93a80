"""A message's sentences: split after ".", "!" or "?" and the space that follows; and the word
"marrow", which several readings look for."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# the word "marrow", which several readings look for (one pattern for all of them)
MARROW_WORD = re.compile(r"\bmarrow\b", re.IGNORECASE)


def sentences(text: str | None) -> list[str]:
    """The message's sentences, in order, without empty ones."""
    return [part.strip() for part in _SENTENCE_END.split((text or "").strip()) if part.strip()]
