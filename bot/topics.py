"""The table of answerable topics: topic id -> the intent that asks it and a patient-facing label.

Topic ids are the canonical section topics of the knowledge base (see bot/knowledge.py). The
answering action (actions/answer.py) is driven by this table; nothing here holds medical text.
"""

from __future__ import annotations

import re

# topic id -> label shown on "did you mean" buttons
TOPIC_LABELS: dict[str, str] = {
    "overview": "What the test is",
    "how_performed": "How the test is done",
    "preparation": "How to prepare",
    "sensation": "Whether it hurts",
    "purpose": "Why the test is done",
    "normal_results": "What normal results mean",
    "abnormal_results": "What abnormal results mean",
    "risks": "Risks of the test",
    "alternative_names": "Other names for the test",
    "bone_marrow": "What bone marrow is",
    "stem_cells": "What stem cells are",
    "blood_cells": "The types of blood cells",
    "stem_cell_collection": "How stem cells are collected",
    "transplant": "What a bone marrow transplant is",
}

# Practical questions the documents do not answer and each clinic answers its own way
# (clinic profile `local_answers`). topic id -> how the bot names the subject.
LOCAL_TOPIC_LABELS: dict[str, str] = {
    "duration": "how long the test takes",
    "fasting": "eating and drinking before the test",
    "driving": "driving or getting home afterwards",
    "sedation": "sedation, gas and air or anaesthetic",
    "who_performs": "who does the test",
    "hospital_stay": "whether you need to stay in hospital",
    "results_timing": "when and how you get your results",
    "bathing": "showering and bathing afterwards",
    "activity": "exercise and work afterwards",
    "pain_relief": "pain relief afterwards",
    "cost": "cost and insurance",
}

PROCEDURE_LABELS: dict[str, str] = {
    "aspiration": "bone marrow aspiration",
    "biopsy": "bone marrow biopsy",
}

INTENT_PREFIX = "ask_"

# A patient talking about their own results ("my results", "my report came back") gets the general
# text plus a statement that only their care team can interpret them.
_OWN_RESULTS = re.compile(
    r"\b(my|mine|our|his|her|their)\b[\w\s']{0,25}\b(results?|reports?|counts?|numbers|findings)\b"
    r"|\b(results?|reports?)\b[\w\s']{0,20}\b(came|come|are|were|is|was)\s+(back|in|out)\b",
    re.IGNORECASE,
)


def intent_for(topic: str) -> str:
    return f"{INTENT_PREFIX}{topic}"


def topic_for(intent: str | None, table: dict[str, str] = TOPIC_LABELS) -> str | None:
    """The topic of ``table`` asked by an intent, or None when it asks none of them."""
    if intent and intent.startswith(INTENT_PREFIX):
        topic = intent[len(INTENT_PREFIX):]
        if topic in table:
            return topic
    return None


def local_topic_for(intent: str | None) -> str | None:
    return topic_for(intent, LOCAL_TOPIC_LABELS)


def mentions_own_results(text: str | None) -> bool:
    return bool(text and _OWN_RESULTS.search(text))
