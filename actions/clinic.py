"""Practical questions the documents do not answer (how long it takes, fasting, driving home...):
the clinic's own answer from its profile, said to come from the clinic, or an honest "this
depends on your clinic" with its contacts. Never another topic's document text."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswerQuestion
from actions.local_answers import CLINIC_TOPIC_SLOT, say_local_answer
from actions.readings import (
    picks_up_the_last_answer,
    procedure_spans,
    reacts_to_the_last_answer,
)
from bot.asks.circumstances import (
    adds_own_medicine,
    asks_about_own_medicines_before,
    asks_what_to_tell_them,
)
from bot.asks.feelings import (
    asks_how_it_feels,
    asks_how_it_feels_not_sedation,
    asks_how_it_feels_then_how_long,
    asks_how_long_it_hurts,
)
from bot.asks.how_it_is_done import (
    asks_about_both_together,
    asks_how_it_is_done,
    asks_what_is_put_on_after,
    takes_the_liquid_alongside,
)
from bot.asks.page import asks_when_stem_cells_are_released
from bot.asks.purpose import asks_what_it_is_for
from bot.asks.risks import asks_about_risks
from bot.asks.sentences import asked_sentences
from bot.followups import only_names_a_test
from bot.replies import render
from bot.topics import local_topic_for

# the clinic questions that are about how it feels themselves ("what can I take for the pain
# after", "will the gas and air stop it hurting", "how long does it hurt"), read above
_FEELING_KEPT = frozenset({"pain_relief", "sedation", "duration"})


class ActionAnswerClinicQuestion(Action):
    def name(self) -> str:
        return "action_answer_clinic_question"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        topic = local_topic_for((tracker.latest_message.get("intent") or {}).get("name"))
        if topic is None:
            dispatcher.utter_message(text=render("fallback"))
            return []
        text = tracker.latest_message.get("text")
        if tracker.get_slot(CLINIC_TOPIC_SLOT) is None and tracker.get_slot("topic") is not None:
            # right after a leaflet answer: "few seconds really??" is that answer doubted, "and
            # if they do the aspirate too?" the same question for the other test
            if reacts_to_the_last_answer(tracker) or picks_up_the_last_answer(tracker):
                return ActionAnswerQuestion().answer(dispatcher, tracker, tracker.get_slot("topic"))
            if only_names_a_test(text, procedure_spans(tracker), tracker.get_slot("topic")):
                return ActionAnswerQuestion().answer(dispatcher, tracker, None)
        if (tracker.get_slot("topic") == "preparation"
                and tracker.get_slot(CLINIC_TOPIC_SLOT) is None and adds_own_medicine(text)):
            # "she's on aspirin as well" right after the preparation: what to tell them
            return ActionAnswerQuestion().answer(dispatcher, tracker, "preparation")
        if (asks_about_both_together(text) or asks_what_is_put_on_after(text)
                or takes_the_liquid_alongside(text)
                or (asks_how_it_is_done(text) and topic != "duration")):
            # "will they do the trephine and the aspirate at the same time", "what does the doctor
            # do during it", "will they put a dressing on after", "do they suck some liquid out
            # as well": how the test is done, from the leaflet
            return ActionAnswerQuestion().answer(dispatcher, tracker, "how_performed")
        if topic == "duration" and asks_how_long_it_hurts(
            tracker.latest_message.get("text"), tracker.get_slot("topic")
        ):
            # "how long does the soreness last?": how it feels, from the leaflet
            return ActionAnswerQuestion().answer(dispatcher, tracker, "sensation")
        if topic == "duration" and asks_how_it_feels_then_how_long(text):
            # "what will I feel and how long does it take": how it feels from the leaflet, then
            # the clinic's answer (session 19, tests/dev/blind65)
            events = ActionAnswerQuestion().answer(dispatcher, tracker, "sensation")
            say_local_answer(dispatcher, topic)
            return events
        if topic == "sedation" and asks_how_it_feels_not_sedation(text):
            # "...on Monday under sedation. She keeps asking if it will hurt": how it feels
            return ActionAnswerQuestion().answer(dispatcher, tracker, "sensation")
        if topic not in _FEELING_KEPT and any(
                asks_how_it_feels(part) for part in asked_sentences(text)):
            # "my consultant might do a biopsy instead, would that feel different": how it feels
            # (not "When will I hear back? The waiting is worse than the test itself", told)
            return ActionAnswerQuestion().answer(dispatcher, tracker, "sensation")
        if asks_about_risks(tracker.latest_message.get("text")):
            # "what signs should I look out for after? they're sending me home": the risks
            return ActionAnswerQuestion().answer(dispatcher, tracker, "risks")
        if asks_when_stem_cells_are_released(text, tracker.get_slot("topic")):
            # "when do they leave the marrow" after where stem cells are: when they are released
            return ActionAnswerQuestion().answer(dispatcher, tracker, "stem_cells")
        if asks_what_it_is_for(text):
            # "my insurance company wants to know what a bone marrow aspiration is for"
            return ActionAnswerQuestion().answer(dispatcher, tracker, "purpose")
        if asks_about_own_medicines_before(text) or asks_what_to_tell_them(text):
            # "should I stop my ibuprofen before the BMB?": the leaflets' preparation
            return ActionAnswerQuestion().answer(dispatcher, tracker, "preparation")
        return say_local_answer(dispatcher, topic)
