"""Statements that name a test ("I'm booked for a BMA on friday"): the test being named, or a
greeting that names it."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
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

from bot.asks.definitions import generic_test_spans, page_subject_defined_last
from bot.asks.feelings import asks_how_it_feels
from bot.asks.how_it_is_done import asks_how_it_is_done
from bot.asks.purpose import asks_why_it_is_needed
from bot.asks.statements import is_statement, opens_with_greeting, requests_information
from bot.components.common import PROCEDURE_ENTITY, Stateless, set_intent_first
from bot.topics import INFORM_INTENT, INTENT_PREFIX, PAGE_TOPICS, intent_for

# "what", except in "...won't understand what's going on"
_WHAT_ASKS = r"what(?!(?:'s|\u2019s|s|\s+is)\s+(?:going\s+on|happening)\b)"
# a word that asks, anywhere: "nobody told me why...", "reason for bone marrow aspiration", "...,
# when do we get results" (not a relative "..., who is 82")
_INTERROGATIVE = re.compile(
    rf"\b(?:when|{_WHAT_ASKS}|how|which|where|(?<!,\s)who|reason|"
    r"purpose|point|is\s+this|is\s+it|does|can|will|"
    r"should|would|shud|cud|wud|wat|wot|hw)\b"
    # "why" about the test ("nobody told me why they want to do it"), not about an illness
    # ("I've been anaemic for months and nobody knows why")
    r"|\bwhy\s+(?:they|he|she|i|we|it|this|the\s+\w+|a\s+\w+)\s+(?:\w+\s+){0,2}?(?:want|wants|need|"
    r"needs|are\s+doing|is\s+being|has\s+to|have\s+to|doing|ordered|do|does)\b", re.IGNORECASE)
# a question word in a statement: "...they want to know how it's done" (not "...won't understand
# what's going on")
_QUESTION_WORD = re.compile(
    rf"\b(?:when|{_WHAT_ASKS}|how|which|where|"
    r"whereabouts|why|wat|wot|wht|hw)\b"
    r"|\b(?:do|does|did|will|would|can|could|should|is|are|was|were|has|have)\s+(?:they|you|u|it|"
    r"i|he|she|we|the\s+\w+)\b",
    re.IGNORECASE)
# a question asked with its verb ("what can go wrong with his one, the biopsy", "how does the
# aspiration work"), not a test named short ("what about the biopsy?", "the biopsy one")
_ASKED_WITH_A_VERB = re.compile(
    r"^\W*(?:(?:and|so|but|ok|okay)\W+)?(?:what|wat|how|hw|why|when|where|which)\s+(?:\w+\s+)?"
    r"(?:can|could|will|would|does|do|did|is|are|should|might|may|goes|go|happens|happen)\b",
    re.IGNORECASE)
# someone the statement is about: "my 15yo son has a bone marrow biospy monday" tells; "other
# names for a bone marrow aspiration" is a question typed short
_SOMEONE = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'll|my|me|he|she|hes|shes|he's|she's|we|we're|our|they|they're|his|"
    r"her|their|mum|mom|mam|dad|son|daughter|husband|wife|partner|nan|gran|grandad|grandma)\b",
    re.IGNORECASE)
# what the papers say, told: "the letter says bone marrow biopsy" (session 17)
_PAPERS_SAY = re.compile(
    r"\b(?:letter|form|report|referral|paperwork|appointment|card|consent)\s+(?:\w+\s+)?"
    r"(?:says|said|reads|mentions|states|mentioned)\b", re.IGNORECASE)
# sedation told as how the test will be done: "My 15 year old is having a bone marrow aspiration
# under sedation on Monday"
_UNDER_SEDATION = re.compile(
    r"\b(?:under|with)\s+(?:(?:a|some|light|general|conscious|full)\s+)*(?:sedation|general|"
    r"anaesthetic|anesthetic|ga)\b", re.IGNORECASE)
# what a statement may say it fears: "I'm scared of the pain", "worried about the bleeding"
_FELT_WORDS = re.compile(
    r"\b(?:pain\w*|hurt\w*|sore\w*|needles?|agony|sting\w*|ache\w*|discomfort|uncomfortable|feel\w*|"
    r"felt|numb\w*|awake|sharp|pressure|risks?|risky|bleed\w*|infection\w*|complications?|danger\w*|"
    r"safe|safety|wrong|side\s+effects?|problems?|harm|damage\w*|nerve|bruis\w*|scar\w*)\b",
    re.IGNORECASE)


def asks_in_a_sentence(text: str) -> bool:
    """A sentence of the message asks how the test feels, how it is done or why it is needed,
    without a question mark ("I would like to understand how uncomfortable it will be")."""
    return asks_how_it_feels(text) or asks_how_it_is_done(text) or asks_why_it_is_needed(text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class StatementsNamingATest(Stateless, IntentClassifier):
    """"I'm booked for a BMA on friday": a statement that names a test is that test being named
    (``inform_procedure``: the answering action gives what the test is, or continues the last
    question for it), when the classifier had no clear topic question for it.

    The classifier's answer is kept when it is a topic or clinic question it is sure of
    (``min_confidence``) or small talk other than a greeting. A statement that opens with a
    greeting is a greeting that names the test ("hi, my son has a biopsy tomorrow", "g'day, got a
    bone marow biospy next wk", "Hola, my father is going to have the aspiracion"). Placed after
    the FallbackClassifier, before the red-flag guard.
    """

    GREET_INTENT = "greet"
    # what a statement naming a test may have been taken for
    REPLACEABLE = frozenset({
        "greet", "out_of_scope", DEFAULT_NLU_FALLBACK_INTENT_NAME, "affirm", "deny",
        # the red-flag guard, after this, decides emergencies from the rules alone: "...just
        # rang me crying, they want to do a bone marrow aspiration..." is a statement
        "emergency",
        *(intent_for(topic) for topic in PAGE_TOPICS),
    })
    MIN_CONFIDENCE = 0.5
    SEDATION_INTENT = "ask_sedation"
    OVERVIEW_INTENT = intent_for("overview")
    FELT = frozenset({intent_for("sensation"), intent_for("risks")})
    # what a statement tells rather than asks: the reason for the test, waiting for results
    # (not one's own circumstances, "im 20 weeks pregnant and the doctors want me to have a bone
    # marrow aspiration": the preparation says what to tell the team about them)
    TOLD = frozenset({intent_for("purpose"), "ask_results_timing"})
    # Nor how the test is done or its names, unless a question word or a question's word order is
    # in it ("... i can tell hes scared" asks nothing; "so for the aspiration do they take it from
    # the hip" asks)
    # (not its results: "my bone marrow biopsy results said aplastic anaemia", "dad had a marrow
    # biopsy and they think its myeloma" tell what the results mean)
    TOLD_UNLESS_ASKED = frozenset({intent_for("how_performed"), intent_for("alternative_names"),
                                   intent_for("expectations")})

    def _told(self, name: str, text: str) -> bool:
        """The statement tells what the classifier took for a question of topic ``name``."""
        if name in self.TOLD:
            return not _INTERROGATIVE.search(text)
        asked = bool(_QUESTION_WORD.search(text))
        if name == self.SEDATION_INTENT:
            return bool(_UNDER_SEDATION.search(text)) and not asked
        return name in self.TOLD_UNLESS_ASKED and not asked and bool(
            _SOMEONE.search(text) or _PAPERS_SAY.search(text))

    # the least confidence of a topic question asked with its verb, under the test named
    MIN_ASKED_CONFIDENCE = 0.15

    def _asked_instead(self, message: Message) -> str | None:
        """A question asked with its verb that the classifier took for the test being named:
        the likeliest topic question of its ranking."""
        intent = message.get(INTENT) or {}
        text = str(message.get(TEXT) or "")
        if intent.get(INTENT_NAME_KEY) != INFORM_INTENT or not _ASKED_WITH_A_VERB.search(text):
            return None
        for entry in (message.get(INTENT_RANKING_KEY) or [])[1:]:
            name = str(entry.get(INTENT_NAME_KEY) or "")
            if name.startswith(INTENT_PREFIX) and name not in self.REPLACEABLE:
                confident = float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
                return name if confident >= self.MIN_ASKED_CONFIDENCE else None
        return None

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if asked := self._asked_instead(message):
                set_intent_first(message, asked)
                continue
            # a test, or the tests named together ("...is booked in for a bone marrow test")
            names_test = any(
                e.get("entity") == PROCEDURE_ENTITY for e in message.get(ENTITIES) or []
            ) or bool(generic_test_spans(text))
            if not names_test or not is_statement(text) or page_subject_defined_last(text):
                continue  # (", wat even is bone marrow": a question without its "?")
            intent = message.get(INTENT) or {}
            name = str(intent.get(INTENT_NAME_KEY) or "")
            confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            unsure_question = name.startswith(INTENT_PREFIX) and confidence < self.MIN_CONFIDENCE
            # a statement tells, it asks nothing: "...because of my anemia" (why), "...and we're
            # waiting for the results" (when) are told; only a fear of pain or of a risk it names
            # ("I'm scared of the pain of the aspiration") is something to answer
            told = self._told(name, str(text))
            unnamed = name in self.FELT and not _FELT_WORDS.search(str(text))
            replaceable = name in self.REPLACEABLE or unsure_question or told or unnamed
            if opens_with_greeting(str(text)) and requests_information(str(text)):
                # "hi my wife is having a bone marrow asperation tomorow... just wanted to know a
                # bit about it first": what the test is, asked after the greeting
                if replaceable:
                    set_intent_first(message, INFORM_INTENT)
            elif requests_information(str(text)) and (
                    replaceable or name.startswith(INTENT_PREFIX)):
                # "...have booked a bone marrow biopsy for Wednesday. I'm trying to understand
                # what it is before we go in.": what the test is, asked at the end (session 17)
                set_intent_first(message, INFORM_INTENT)
            elif opens_with_greeting(str(text)) and asks_in_a_sentence(str(text)):
                continue  # "Good evening. ... I would like to understand how uncomfortable it
                # will be for him.": the question is read by the actions
            elif opens_with_greeting(str(text)):
                # "hi, it's about my son's bone marrow aspiration": what the test is would be
                # the answer to the test named, and it was named in a greeting
                if replaceable or name in {INFORM_INTENT, self.OVERVIEW_INTENT}:
                    set_intent_first(message, self.GREET_INTENT)
            elif replaceable and asks_how_it_feels(str(text)):
                # "She's booked for a bone marrow biopsy ... I'm trying to work out how much it's
                # going to hurt her so I can prepare": how it feels, asked in a statement
                set_intent_first(message, intent_for("sensation"))
            elif replaceable:
                set_intent_first(message, INFORM_INTENT)
        return messages
