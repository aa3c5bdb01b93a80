"""Which results a question asks about: "what are they hoping to see in a good result" is what
normal results mean, "what if it's not normal" what abnormal results mean; "and the results?"
both (bot/topics.py COMPOSITE_TOPICS)."""

from __future__ import annotations

import re

_GOOD = re.compile(
    r"\b(?:good|normal|healthy|clear|fine|ok|okay|all\s+clear|nothing\s+wrong|negative)\s+"
    r"(?:\w+\s+){0,3}?(?:results?|report|outcome|sample|aspirate|biopsy|marrow)\b"
    r"|\b(?:results?|report|it|they)\s+(?:is|are|come\s+back|comes\s+back|came\s+back)\s+"
    r"(?:all\s+)?(?:normal|good|clear|fine|ok|okay)\b",
    re.IGNORECASE,
)
_BAD = re.compile(
    r"\b(?:bad|abnormal|not\s+normal|wrong|worrying|positive|unusual|off)\b",
    re.IGNORECASE,
)


def results_part(text: str | None) -> str:
    """'normal_results', 'abnormal_results', or 'results' (both) when neither is asked."""
    good = bool(text and _GOOD.search(text))
    bad = bool(text and _BAD.search(text))
    if good and not bad:
        return "normal_results"
    if bad and not good:
        return "abnormal_results"
    return "results"
