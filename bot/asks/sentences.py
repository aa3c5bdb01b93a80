"""A message's sentences: split after ".", "!" or "?" and the space that follows."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str | None) -> list[str]:
    """The message's sentences, in order, without empty ones."""
    return [part.strip() for part in _SENTENCE_END.split((text or "").strip()) if part.strip()]
