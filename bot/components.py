"""Rasa NLU graph components: procedure entities in canonical form, and the red-flag guard.

``ProcedureEntities`` goes right after ``SpacyEntityExtractor``: it rewrites every ``procedure``
entity to its canonical id (``"the BMA"`` -> ``aspiration``), so that the ``procedure`` slot's
``from_entity`` mapping in domain.yml remembers the test from *any* turn that names it (a
greeting, a statement, a clinic question), and adds the entity when the text names a procedure
that the entity ruler missed (a longer lay phrase won).

The red-flag guard:

Put it LAST in the NLU pipeline (after DIETClassifier and FallbackClassifier) so no classifier
can override it::

    pipeline:
      ...
      - name: FallbackClassifier
        threshold: 0.45
      - name: bot.components.RedFlagGuard
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
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot import PROJECT_ROOT, redflags
from bot.asks.declines import asks_beyond_the_leaflets, is_closing_thanks
from bot.asks.definitions import (
    definition_in_a_sentence,
    generic_test_spans,
    is_definition_question,
)
from bot.nlp import DEFAULT_MODEL_PATH, get_pipeline, pipeline_procedures
from bot.procedures import ProcedureVocabulary
from bot.safety_net import PROBABILITY_KEY as EMERGENCY_PROBABILITY_KEY
from bot.topics import INTENT_PREFIX, PAGE_TOPICS, intent_for

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


class _Stateless(GraphComponent):
    """A component with no configuration and nothing to train or load."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls()


def _set_intent_first(message: Message, name: str) -> None:
    """``name`` becomes the intent (confidence 1) and heads the ranking."""
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [e for e in (message.get(INTENT_RANKING_KEY) or []) if e.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)


PROCEDURE_ENTITY = "procedure"
OTHER_PROCEDURE_ENTITY = "other_procedure"


# "the biopsy, not the aspiration" / "it's a BMB rather than a BMA": a procedure right after one
# of these is the one the patient is NOT having; it is dropped when another procedure is named.
_NEGATION_BEFORE = re.compile(
    r"(?:\bnot|\bno|n't|\bnever|\brather\s+than|\binstead\s+of|\bwithout|\bexcept)"
    r"(?:\s+(?:a|an|the|just|only|any|having|doing|getting))*\s*$",
    re.IGNORECASE,
)


def _without_negated_procedures(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    procedures = [e for e in entities if e.get("entity") == PROCEDURE_ENTITY and "start" in e]
    negated = [e for e in procedures if _NEGATION_BEFORE.search(text[: int(e["start"])])]
    if not negated or len(negated) == len(procedures):
        return entities
    values = {e["value"] for e in procedures if e not in negated}
    return [e for e in entities if e not in negated and not (
        e.get("entity") == PROCEDURE_ENTITY and e.get("value") not in values)]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ProcedureEntities(_Stateless, EntityExtractorMixin):
    """``procedure`` entities with canonical values; a procedure the text names is never lost.

    The names come from the saved spaCy pipeline's procedure vocabulary, which ``prepare``
    builds from the knowledge base in use: a leaflet added for another test is recognised
    without retraining."""

    _procedures: ProcedureVocabulary | None = None

    @property
    def procedures(self) -> ProcedureVocabulary:
        """Read once per process from the pipeline's meta (the pipeline is loaded once too)."""
        if self._procedures is None:
            self._procedures = pipeline_procedures(get_pipeline(DEFAULT_MODEL_PATH))
        return self._procedures

    def process(self, messages: list[Message]) -> list[Message]:
        procedures = self.procedures
        for message in messages:
            entities = list(message.get(ENTITIES) or [])
            kept: list[dict[str, Any]] = []
            for entity in entities:
                if entity.get("entity") == PROCEDURE_ENTITY:
                    value = procedures.normalize(str(entity.get("value") or ""))
                    if value is None:
                        continue
                    entity = {**entity, "value": value}
                kept.append(entity)
            kept = _without_negated_procedures(str(message.get(TEXT) or ""), kept)
            names = {e.get("entity") for e in kept}
            text = message.get(TEXT)
            if PROCEDURE_ENTITY not in names and OTHER_PROCEDURE_ENTITY not in names and text:
                found = procedures.span(str(text))
                if found is not None:
                    start, end, value = found
                    kept.append(
                        {"entity": PROCEDURE_ENTITY, "value": value, "start": start,
                         "end": end, "extractor": self.__class__.__name__}
                    )
            if kept != entities:
                message.set(ENTITIES, kept, add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DefinitionQuestions(_Stateless, IntentClassifier):
    """"What is a bone marrow biopsy?" / "define BMA" / "trephine meaning": the intent is the
    overview of that procedure, whatever the classifier made of the words "bone marrow".

    Placed after the FallbackClassifier (a definition the classifier was unsure about is still
    answered) and before the red-flag guard (which always has the last word). Tight on purpose
    (:func:`bot.asks.definitions.is_definition_question`): the procedure must be all that is
    asked about.
    """

    OVERVIEW_INTENT = intent_for("overview")

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            spans = [
                (int(e["start"]), int(e["end"]))
                for e in message.get(ENTITIES) or []
                if e.get("entity") == PROCEDURE_ENTITY and "start" in e and "end" in e
            ]
            if not spans:
                # "what is a bone marrow test?", "bone marrow test?": the tests named together
                spans = generic_test_spans(text)
            if not (len(spans) == 1 and is_definition_question(text, spans[0])
                    or definition_in_a_sentence(text, spans)):
                continue
            _set_intent_first(message, self.OVERVIEW_INTENT)
        return messages


# A statement names the test and asks nothing: "had my bone marrow biopsy this morning", "my dad
# has a BMA on friday for low platelets". Nothing in it is a question: no "?", no sentence that
# opens like one (after greetings and fillers), no "I wanted to ask / know".
_OPENING_FILLERS = re.compile(
    r"^(?:(?:hi|hiya|hey|hello|ok|okay|so|well|um+|er+|right|and|but|also|oh|sorry|thanks|"
    r"thank\s+you|(?:good\s+)?(?:morning|afternoon|evening))\b[\s,.!:-]*)+",
    re.IGNORECASE,
)
_QUESTION_OPENING = re.compile(
    r"^(?:what|whats|what's|wat|wot|wht|how|hows|how's|hw|why|y|wy|when|whens|where|wheres|"
    r"which|who|whos|whom|whose|can|cn|could|cud|will|would|wud|should|shud|shall|is|isnt|"
    r"are|arent|r|do|does|doesnt|did|am|may|might|must|any|anything|tell|explain|describe|"
    r"define|please|pls|plz|help|info|information)\b",
    re.IGNORECASE,
)
_ASKING = re.compile(
    r"\b(?:ask|asking|know|wondering|wonder|curious|question|questions|explain|tell\s+me|"
    r"info|information|unsure|not\s+sure)\b",
    re.IGNORECASE,
)
_GREETING_OPENING = re.compile(
    r"^\W*(?:hi+|hiya|heya|hey+|hello|howdy|g'?day|hola|bonjour|ciao|good\s+(?:morning|afternoon|"
    r"evening|day)\b|(?:morning|mornin|afternoon|evening)\s*[!,.])", re.IGNORECASE)


# "I've got a question about...", "quick q re my BMA", "can I ask something about": a question
# announced, not asked
_ANNOUNCED_QUESTION = re.compile(
    r"\b(?:i(?:'ve|\s+have)?\s+(?:got\s+)?(?:a|some|one|a\s+few|few)\s+(?:quick\s+|small\s+)?"
    r"(?:question|questions|qs?|query|queries)|quick\s+(?:question|q)|can\s+i\s+ask\s+(?:you\s+)?"
    r"(?:something|a\s+question|a\s+few\s+things))\b(?:\s+(?:about|re|regarding|on|for))?",
    re.IGNORECASE)


def is_statement(text: str | None) -> bool:
    """The message tells, it does not ask (see the patterns above); 4 words or more."""
    if text and _GREETING_OPENING.match(text):
        text = _ANNOUNCED_QUESTION.sub("", text).rstrip(" ?")
    if not text or "?" in text or _ASKING.search(text) or len(text.split()) < 4:
        return False  # a fragment ("biopsy pain") is a question typed short
    sentences = [part.strip() for part in re.split(r"[.!;\n]+", text) if part.strip()]
    return bool(sentences) and not any(
        _QUESTION_OPENING.match(_OPENING_FILLERS.sub("", sentence)) for sentence in sentences
    )


# a word that asks, anywhere: "nobody told me why...", "reason for bone marrow aspiration", "...,
# when do we get results"
_INTERROGATIVE = re.compile(
    r"\b(?:when|what|how|which|where|who|reason|purpose|point|is\s+this|is\s+it|does|can|will|"
    r"should|would)\b"
    # "why" about the test ("nobody told me why they want to do it"), not about an illness
    # ("I've been anaemic for months and nobody knows why")
    r"|\bwhy\s+(?:they|he|she|i|we|it|this|the\s+\w+|a\s+\w+)\s+(?:\w+\s+){0,2}?(?:want|wants|need|"
    r"needs|are\s+doing|is\s+being|has\s+to|have\s+to|doing|ordered|do|does)\b", re.IGNORECASE)
# what a statement may say it fears: "I'm scared of the pain", "worried about the bleeding"
_FELT_WORDS = re.compile(
    r"\b(?:pain\w*|hurt\w*|sore\w*|needles?|agony|sting\w*|ache\w*|discomfort|uncomfortable|feel\w*|"
    r"felt|numb\w*|awake|sharp|pressure|risks?|risky|bleed\w*|infection\w*|complications?|danger\w*|"
    r"safe|safety|wrong|side\s+effects?|problems?|harm|damage\w*|nerve|bruis\w*|scar\w*)\b",
    re.IGNORECASE)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class StatementsNamingATest(_Stateless, IntentClassifier):
    """"I'm booked for a BMA on friday": a statement that names a test is that test being named
    (``inform_procedure``: the answering action gives what the test is, or continues the last
    question for it), when the classifier had no clear topic question for it.

    The classifier's answer is kept when it is a topic or clinic question it is sure of
    (``min_confidence``) or small talk other than a greeting. A statement that opens with a
    greeting is a greeting that names the test ("hi, my son has a biopsy tomorrow", "g'day, got a
    bone marow biospy next wk", "Hola, my father is going to have the aspiracion"). Placed after
    the FallbackClassifier, before the red-flag guard.
    """

    INFORM_INTENT = "inform_procedure"
    GREET_INTENT = "greet"
    # what a statement naming a test may have been taken for
    REPLACEABLE = frozenset({
        "greet", "out_of_scope", DEFAULT_NLU_FALLBACK_INTENT_NAME, "affirm", "deny",
        *(intent_for(topic) for topic in PAGE_TOPICS),
    })
    MIN_CONFIDENCE = 0.5
    FELT = frozenset({intent_for("sensation"), intent_for("risks")})
    # what a statement tells rather than asks: the reason for the test, waiting for results
    TOLD = frozenset({intent_for("purpose"), "ask_results_timing"})

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            names_test = any(
                e.get("entity") == PROCEDURE_ENTITY for e in message.get(ENTITIES) or []
            )
            if not names_test or not is_statement(text):
                continue
            intent = message.get(INTENT) or {}
            name = str(intent.get(INTENT_NAME_KEY) or "")
            confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            unsure_question = name.startswith(INTENT_PREFIX) and confidence < self.MIN_CONFIDENCE
            # a statement tells, it asks nothing: "...because of my anemia" (why), "...and we're
            # waiting for the results" (when) are told; only a fear of pain or of a risk it names
            # ("I'm scared of the pain of the aspiration") is something to answer
            told = name in self.TOLD and not _INTERROGATIVE.search(str(text))
            unnamed = name in self.FELT and not _FELT_WORDS.search(str(text))
            replaceable = name in self.REPLACEABLE or unsure_question or told or unnamed
            if _GREETING_OPENING.match(str(text)):
                if replaceable or name == self.INFORM_INTENT:
                    _set_intent_first(message, self.GREET_INTENT)
            elif replaceable:
                _set_intent_first(message, self.INFORM_INTENT)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TaskRequests(_Stateless, IntentClassifier):
    """"Write me a poem about bone marrow", "what treatment options are there?": a request for
    a task, or a question about treatment or prognosis, is out of scope (the honest decline),
    even when its words are a topic's. Before the red-flag guard."""

    OUT_OF_SCOPE_INTENT = "out_of_scope"

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if asks_beyond_the_leaflets(message.get(TEXT)):
                _set_intent_first(message, self.OUT_OF_SCOPE_INTENT)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ClosingThanks(_Stateless, IntentClassifier):
    """"My wife will take me then. Thank you", "gracias": a message with no question that ends by
    thanking is thanks (bot/topics.py), not the clinic question or decline its first words looked
    like. Before the red-flag guard ("still bleeding heavily, thanks" is an emergency)."""

    THANK_INTENT = "thank"
    KEPT = frozenset({THANK_INTENT, "goodbye"})  # "calling 999 now, thank you": goodbye

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = str((message.get(INTENT) or {}).get(INTENT_NAME_KEY) or "")
            if intent not in self.KEPT and is_closing_thanks(message.get(TEXT)):
                _set_intent_first(message, self.THANK_INTENT)
        return messages


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
        if len(text.split()) < MIN_NET_WORDS:
            return None  # "in my chest?!", "serious bleeding?": a follow-up, not a report
        category = "suicidal" if _SUICIDAL_HINT.search(text) else "unspecified"
        return redflags.RedFlag(category=category, matched=f"{NET_MATCH} {probability:.2f}")

    def _set_emergency(self, message: Message, flag: redflags.RedFlag) -> None:
        _set_intent_first(message, self.intent_name)
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
