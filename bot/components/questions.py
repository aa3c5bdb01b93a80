"""Intent classifiers placed after the FallbackClassifier and before the red-flag guard: a
definition of a test is its overview, a request for a task or for treatment advice is out of
scope, a message that ends by thanking is thanks."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.asks.declines import asks_beyond_the_leaflets, is_closing_thanks
from bot.asks.definitions import (
    definition_in_a_sentence,
    definition_in_the_question_part,
    generic_test_spans,
    is_definition_question,
    page_subject_defined_last,
)
from bot.components.common import PROCEDURE_ENTITY, Stateless, set_intent_first
from bot.topics import intent_for


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DefinitionQuestions(Stateless, IntentClassifier):
    """"What is a bone marrow biopsy?" / "define BMA" / "trephine meaning": the intent is the
    overview of that procedure, whatever the classifier made of the words "bone marrow"; a last
    sentence asking what a stem cell, bone marrow or a transplant is: that page's section.

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
            if subject := page_subject_defined_last(text):
                # "...they want to test if i can donate. what is a stem cell?", "...i have to get
                # a bone marrow thing next week, wat even is bone marrow": what the page says it
                # is, whatever came before
                set_intent_first(message, intent_for(subject))
            elif (len(spans) == 1 and is_definition_question(text, spans[0])
                    or definition_in_a_sentence(text, spans)
                    or definition_in_the_question_part(text, spans)):
                set_intent_first(message, self.OVERVIEW_INTENT)
        return messages



@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TaskRequests(Stateless, IntentClassifier):
    """"Write me a poem about bone marrow", "what treatment options are there?": a request for
    a task, or a question about treatment or prognosis, is out of scope (the honest decline),
    even when its words are a topic's. Before the red-flag guard."""

    OUT_OF_SCOPE_INTENT = "out_of_scope"

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if asks_beyond_the_leaflets(message.get(TEXT)):
                set_intent_first(message, self.OUT_OF_SCOPE_INTENT)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ClosingThanks(Stateless, IntentClassifier):
    """"My wife will take me then. Thank you", "gracias": a message with no question that ends by
    thanking is thanks (bot/topics.py), not the clinic question or decline its first words looked
    like. Before the red-flag guard ("still bleeding heavily, thanks" is an emergency)."""

    THANK_INTENT = "thank"
    KEPT = frozenset({THANK_INTENT, "goodbye"})  # "calling 999 now, thank you": goodbye

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = str((message.get(INTENT) or {}).get(INTENT_NAME_KEY) or "")
            if intent not in self.KEPT and is_closing_thanks(message.get(TEXT)):
                set_intent_first(message, self.THANK_INTENT)
        return messages
