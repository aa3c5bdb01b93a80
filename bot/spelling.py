"""Words typed with a slip, read as the words the training examples use.

Patients type on phones: "dose it hert", "is the bma dangrous". Both the sentence encoder and the
classifier's n-grams read the message through :func:`spelling_read` (bot.featurizers.neutral_text),
so a slip in a topic's key word does not move the question to another topic.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.leaflet_words import common_words, one_edit

# A topic's key word typed with one slip ("dose it hert", "is it panful", "is the bma dangrous"),
# read as that word. Only a word that is not an English word itself (bot.leaflet_words.
# common_words) and only for these words: the topics' own vocabulary, long enough that one slip
# still says which word was meant.
TOPIC_KEY_WORDS = (
    "hurt", "hurts", "painful", "pain", "sore", "dangerous", "risky", "risks", "bleeding",
    "bleed", "infection", "infected", "prepare", "preparation", "normal", "abnormal", "results",
    "result", "needle", "numbing", "anaesthetic", "anesthetic", "sedation", "sedated", "asleep",
    "procedure", "transplant", "collected", "collect", "platelets", "uncomfortable", "diagnose",
    # session 18 (tests/dev/blind62: "complicatons from bone marow biopsy?", "white cels"): the
    # words of the risks, the page and the tests' names
    "complications", "complication", "cells", "types", "marrow", "blood", "expect", "biopsy",
    "aspiration", "trephine",
    # session 19 (tests/dev/blind65: "how to get redy for bone marrow aspirtion"): getting ready,
    # recovering, the sample, bruising
    "ready", "recovery", "recover", "sample", "bruise", "bruising",
    # their other forms, kept as typed
    "bleeds", "anaesthetics", "preparations", "transplants", "platelet", "sedate", "procedures",
    "aspirations", "biopsies", "bloods", "marrows", "cell", "type", "expects", "trephines",
    "samples", "sampled", "bruises", "bruised", "recovers", "recovered", "recovering",
)
_LONG_WORD = re.compile(r"\b[a-z]{4,}\b", re.IGNORECASE)
_INSIDE_A_SENTENCE = re.compile(r"\w[\s,]*$")


@lru_cache(maxsize=256)
def spelling_read(text: str) -> str:
    """``text`` with a topic's key word typed with one slip written as that word (cached: the
    featurizer and the classifier read the same message more than once)."""
    common = common_words()

    def read(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        if lower in common or lower in TOPIC_KEY_WORDS:
            return word
        if word[0].isupper() and word[1:].islower() and _INSIDE_A_SENTENCE.search(
                text[: match.start()]):
            return word  # a name ("the weather in Leeds"), not a slip of "bleeds"
        return next((key for key in TOPIC_KEY_WORDS if one_edit(lower, key)), word)

    return _LONG_WORD.sub(read, text)
