"""Practical questions the documents do not answer (how long it takes, fasting, driving home...):
the clinic's own answer from its profile, said to come from the clinic, or an honest "this
depends on your clinic" with its contacts. Never another topic's document text."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswerQuestion
from bot.asks.circumstances import asks_about_own_medicines_before
from bot.asks.feelings import asks_how_long_it_hurts
from bot.profile import current_profile
from bot.replies import render
from bot.topics import LOCAL_TOPIC_LABELS, local_topic_for


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
        if topic == "duration" and asks_how_long_it_hurts(
            tracker.latest_message.get("text"), tracker.get_slot("topic")
        ):
            # "how long does the soreness last?": how it feels, from the leaflet
            return ActionAnswerQuestion().answer(dispatcher, tracker, "sensation")
        if asks_about_own_medicines_before(tracker.latest_message.get("text")):
            # "should I stop my ibuprofen before the BMB?": the leaflets' preparation
            return ActionAnswerQuestion().answer(dispatcher, tracker, "preparation")
        profile = current_profile()
        answer = profile.local_answer(topic)
        if answer:
            dispatcher.utter_message(text=render("local_answer", profile, answer=answer))
        else:
            dispatcher.utter_message(
                text=render("local_unanswered", profile, topic_label=LOCAL_TOPIC_LABELS[topic])
            )
        return []
