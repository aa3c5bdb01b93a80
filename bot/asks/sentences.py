"""A message's sentences: split after ".", "!" or "?" and the space that follows; the part of a
message that asks, when other parts tell (:func:`question_part`); and the word "marrow", which
several readings look for."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# the word "marrow", which several readings look for (one pattern for all of them)
MARROW_WORD = re.compile(r"\bmarrow\b", re.IGNORECASE)


def sentences(text: str | None) -> list[str]:
    """The message's sentences, in order, without empty ones."""
    return [part.strip() for part in _SENTENCE_END.split((text or "").strip()) if part.strip()]


def asked_sentences(text: str | None) -> list[str]:
    """The sentences that carry a question mark, or the whole message when none does ("they said
    sternal tap?? like in my CHEST??": both; "would that feel different": the message)."""
    return [part for part in sentences(text) if "?" in part] or [text or ""]


# The question in a message that tells something first: "After my lymphoma diagnosis they booked
# me a bone marrow biopsy. Can you walk me through how it's done?" asks how it is done. The parts
# are sentences, or the clause after a comma or dash that opens with a question word.
_QUESTION_WORDS = (r"(?:what|whats|what's|how|why|when|where|which|who|is|are|can|could|will|"
                   r"would|do|does|did|should|shall|may|might|am|any|anything)")
_PARTS = re.compile(
    rf"(?<=[.!?;])\s+|\n+|\s*(?:,|\s-|\u2013|\u2014)\s*(?={_QUESTION_WORDS}\b)",
    re.IGNORECASE,
)
_ASKS = re.compile(
    rf"\?\s*$|^\W*(?:(?:so|and|but|ok|okay|also|now|then|sorry|please)\W+)*{_QUESTION_WORDS}\b",
    re.IGNORECASE,
)
# With no question: "I just need someone to explain calmly how the biopsy gets done"
_REQUESTS = re.compile(r"\b(?:explain|describe|walk\s+(?:me|us|him|her)\s+through)\b",
                       re.IGNORECASE)
MIN_QUESTION_WORDS = 2
# ", which is scary enough.": a relative clause, not a question
_RELATIVE = re.compile(r"^\W*which\s+(?:is|was|has|had|means|meant|makes|made|would|will)\b[^?]*$",
                       re.IGNORECASE)
# "... But what I really want to know is how much it hurts. Can you tell me?": a request for an
# answer that names nothing leaves the one specific question
_GENERIC_REQUEST = re.compile(
    r"^\W*(?:(?:so|and|but|please)\W+)*(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?"
    r"(?:tell|explain|help|let|advise)\b(?:\s+\w+){0,3}|any\s+(?:idea|ideas|thoughts|advice)|"
    r"(?:please\s+)?(?:help|explain)(?:\s+\w+){0,2})\W*$",
    re.IGNORECASE,
)


def question_part(text: str) -> str | None:
    """The part of ``text`` that asks, when ``text`` also has parts that do not; else None. The
    last such part, or the first when the message opens with its question and then tells."""
    parts = [part.strip() for part in _PARTS.split(text) if part and part.strip()]
    if len(parts) < 2:
        return None
    asking = [p for p in parts if _ASKS.search(p) and len(p.split()) >= MIN_QUESTION_WORDS
              and not _RELATIVE.match(p)]
    if not asking:
        asking = [p for p in parts if _REQUESTS.search(p)]
    if len(asking) > 1:
        asking = [p for p in asking if not _GENERIC_REQUEST.match(p)] or asking
    if len(asking) != 1:
        return None  # no question, or two questions: the whole message decides
    return asking[0]
