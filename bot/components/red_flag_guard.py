"""The red-flag guard.

Put it LAST in the NLU pipeline (after DIETClassifier and FallbackClassifier) so no classifier
can override it::

    pipeline:
      ...
      - name: FallbackClassifier
        threshold: 0.45
      - name: bot.components.red_flag_guard.RedFlagGuard
        # model: build/spacy_model    # optional; default <project>/build/spacy_model

For every message it runs :func:`bot.redflags.detect`:

* a red flag found -> ``intent = {"name": "emergency", "confidence": 1.0}``, first in
  ``intent_ranking``, and ``red_flag = {"category", "matched"}`` in the parse output;
* no red flag -> the intent ``emergency`` is never kept: if a classifier predicted it, the next
  best other intent from the ranking is used instead, and it is removed from the ranking.

It reuses the spaCy doc that ``SpacyNLP`` put on the message (``text_spacy_doc``) when that doc
is exactly what the detector needs (lower-cased text with lemmas); otherwise it runs the
project pipeline, loaded once per process.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot import PROJECT_ROOT, redflags
from bot.asks.declines import is_closing_thanks
from bot.components.common import set_intent_first
from bot.nlp import DEFAULT_MODEL_PATH, get_pipeline
from bot.safety_net import PROBABILITY_KEY as EMERGENCY_PROBABILITY_KEY
from bot.topics import INTENT_PREFIX

logger = logging.getLogger(__name__)

EMERGENCY_INTENT = "emergency"
RED_FLAG_KEY = "red_flag"


def _resolve_model_path(value: str | None) -> Path:
    if not value:
        return DEFAULT_MODEL_PATH
    path = Path(value).expanduser()
    if path.is_absolute() or path.exists():
        return path
    return PROJECT_ROOT / path  # config.yml paths are relative to the project


# What the learned second line's emergency was about, for the reply (the crisis line): any word
# of dying, ending one's life, self-harm or giving up.
_SUICIDAL_HINT = re.compile(
    r"\b(?:suicid\w*|kill\w*\s+(?:my|him|her)sel[fv]|kms|end(?:ing)?\s+(?:it|my\s+life|things)|"
    r"(?:and|end)\s+it\s+all|die|dying|dead|better\s+off|(?:be|been|being)\s+around|overdose|"
    r"pills|tablets|hang\w*|self[\s-]*harm\w*|cut\w*\s+my\w*|goodbyes?|letters?|burden|way\s+out|"
    r"bridge|jump\w*|hurt\w*\s+my\s*self|live|living|alive)\b",
    re.IGNORECASE,
)
NET_MATCH = "(learned)"
# Shorter messages are follow-up fragments ("and bleeding", "in my chest?!"), the learned
# line's likeliest mistakes on the development sets; the rules still read them.
MIN_NET_WORDS = 4
# A question in one short clause asking what, why, how, where or when ("what is it actually
# taking out of me": 0.89, blind68) asks for information; it tells nothing that is happening.
# Not "what do I do", "what's happening to me", nor a second clause or sentence where a report
# could sit ("how do I stop it, it's pouring"); the rules still read every message.
_INFORMATION_QUESTION = re.compile(
    r"^\W*(?:(?:and|so|but|ok|okay)\W+)?(?:what|which|why|where|when|how)\b"
    r"(?!\s+(?:do|should|can|shall|would|will|must)\s+(?:i|we)\s+do\b)"
    r"(?![^,.;:!?]*\b(?:happening|happened|wrong|going\s+on|and|but|because|cos|coz|or)\b)"
    r"[^,.;:!?]*[?.!]*\s*$", re.IGNORECASE)
MAX_QUESTION_WORDS = 12


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagGuard(GraphComponent, IntentClassifier):
    """Sets the intent ``emergency`` when (and only when) a red flag is detected."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # The spaCy pipeline built by `python -m bot.nlp build`; built in memory if missing.
            "model": None,
            # The intent set for a red flag (and never kept without one).
            "intent": EMERGENCY_INTENT,
            # Without a red flag, a classifier's "emergency" gives way to the best topic question
            # when that holds at least this share of the remaining confidence; else fallback.
            "min_share": 0.6,
            # The second line, after the rules: without a red flag, a message whose
            # bot.safety_net.EmergencyNet probability is at least this is an emergency too.
            # 0: rules only.
            "net_min": 0.0,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy"]

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = {**self.get_default_config(), **config}
        self.intent_name: str = self.component_config["intent"] or EMERGENCY_INTENT
        self.min_share = float(self.component_config["min_share"])
        self.net_min = float(self.component_config["net_min"])
        self.model_path = _resolve_model_path(self.component_config.get("model"))
        # Loaded once per process (cached by bot.nlp.get_pipeline).
        self.nlp = get_pipeline(self.model_path)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagGuard:
        return cls(config)

    # ----------------------------------------------------------------------------------------

    def detect(self, message: Message) -> redflags.RedFlag | None:
        text = message.get(TEXT)
        if not text or not isinstance(text, str):
            return None
        doc = message.get(SPACY_DOCS[TEXT])
        if doc is not None and redflags.can_reuse_doc(doc, text):
            return redflags.detect_doc(doc)
        return redflags.detect(text, self.nlp)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            try:
                flag = self.detect(message)
            except Exception:  # never let the guard take the whole NLU pipeline down
                logger.exception("Red-flag detection failed for a message")
                flag = None
            if flag is None:
                flag = self._net_flag(message)
            if flag is not None:
                self._set_emergency(message, flag)
            else:
                self._demote_emergency(message)
        return messages

    def _net_flag(self, message: Message) -> redflags.RedFlag | None:
        """The second line: what the rules missed ("went down like a sack of spuds in the
        hallway") when bot.safety_net.EmergencyNet is at least ``net_min`` sure it is an
        emergency. The category only chooses the reply: the crisis line for a suicidal message."""
        probability = message.get(EMERGENCY_PROBABILITY_KEY)
        if self.net_min <= 0 or probability is None or float(probability) < self.net_min:
            return None
        text = str(message.get(TEXT) or "")
        words = len(text.split())
        if words < MIN_NET_WORDS:
            return None  # "in my chest?!", "serious bleeding?": a follow-up, not a report
        if is_closing_thanks(text):
            return None  # "cheers thats really helpful" (0.85): thanks, which the rules still read
        if words <= MAX_QUESTION_WORDS and _INFORMATION_QUESTION.search(text):
            return None  # "what is it actually taking out of me"
        category = "suicidal" if _SUICIDAL_HINT.search(text) else "unspecified"
        return redflags.RedFlag(category=category, matched=f"{NET_MATCH} {probability:.2f}")

    def _set_emergency(self, message: Message, flag: redflags.RedFlag) -> None:
        set_intent_first(message, self.intent_name)
        message.set(RED_FLAG_KEY, flag.to_dict(), add_to_output=True)
        logger.info(
            "Red flag %s (%r): intent set to %s", flag.category, flag.matched, self.intent_name
        )

    def _demote_emergency(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        ranking = message.get(INTENT_RANKING_KEY) or []
        others = [e for e in ranking if e.get(INTENT_NAME_KEY) != self.intent_name]
        if intent.get(INTENT_NAME_KEY) == self.intent_name:
            # The classifier thought "emergency" but no red flag matched. Renormalised without
            # emergency, a clear question about a topic ("is heavy bleeding common after a
            # biopsy?") is answered; anything else is never guessed: the fallback offers the
            # likeliest topics and the clinic's contacts.
            rest = 1.0 - float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            best = dict(others[0]) if others else {}
            share = float(best.get(PREDICTED_CONFIDENCE_KEY) or 0.0) / rest if rest > 0 else 0.0
            best_name = str(best.get(INTENT_NAME_KEY, ""))
            if best_name.startswith(INTENT_PREFIX) and share >= self.min_share:
                replacement = best
            else:
                replacement = {
                    INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                    PREDICTED_CONFIDENCE_KEY: intent.get(PREDICTED_CONFIDENCE_KEY, 0.0),
                }
            message.set(INTENT, replacement, add_to_output=True)
        if len(others) != len(ranking):
            message.set(INTENT_RANKING_KEY, others, add_to_output=True)
