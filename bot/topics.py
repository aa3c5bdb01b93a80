"""The table of answerable topics: topic id -> the intent that asks it and a patient-facing label.

Topic ids are the canonical section topics of the knowledge base (see bot/knowledge.py). The
answering action (actions/answer.py) is driven by this table; nothing here holds medical text.
"""

from __future__ import annotations

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
    "expectations": "What to expect",
    "results": "What the results show",
}

# Topics answered with more than one section: "what should I expect during the biopsy?" is how
# the test is done and how it feels; "what do the results show?" is what normal and abnormal
# results mean. Every other topic is answered with its own section.
COMPOSITE_TOPICS: dict[str, tuple[str, ...]] = {
    "expectations": ("how_performed", "sensation"),
    # "what do the results show?", "and the results?": neither normal nor abnormal named
    "results": ("normal_results", "abnormal_results"),
}

# Topics of the page that is about no one procedure (bone marrow and stem cells). After one of
# them, a follow-up that names no test stays on that page: "what are stem cells?" then "how do
# they get them?" is how stem cells are collected, not how the biopsy is done.
PAGE_TOPICS: frozenset[str] = frozenset(
    {"bone_marrow", "stem_cells", "blood_cells", "stem_cell_collection", "transplant"}
)
PAGE_FOLLOW_UPS: dict[str, str] = {"how_performed": "stem_cell_collection"}
# (what a follow-up asks on that page: bot/asks/page.py)

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

INTENT_PREFIX = "ask_"
# a test named and nothing asked ("the biopsy", "I'm booked for a BMA on Friday")
INFORM_INTENT = "inform_procedure"


def intent_for(topic: str) -> str:
    return f"{INTENT_PREFIX}{topic}"


def topic_for(intent: str | None, table: dict[str, str] = TOPIC_LABELS) -> str | None:
    """The topic of ``table`` asked by an intent, or None when it asks none of them."""
    if intent and intent.startswith(INTENT_PREFIX):
        topic = intent[len(INTENT_PREFIX):]
        if topic in table:
            return topic
    return None


def section_topics(topic: str) -> tuple[str, ...]:
    """The knowledge-base topics quoted for ``topic``: itself, or a composite's parts."""
    return COMPOSITE_TOPICS.get(topic, (topic,))


def local_topic_for(intent: str | None) -> str | None:
    return topic_for(intent, LOCAL_TOPIC_LABELS)
