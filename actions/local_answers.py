"""The clinic's own answer to a practical question (bot/topics.py LOCAL_TOPIC_LABELS), or an honest
"this depends on your clinic" with its contacts; and the practical question a short follow-up
continues ("can I drive home after?" then "and for kids?", "what about the biopsy", "n after?").

Used by the clinic action and by the actions a follow-up may reach first (the answering action,
the decline, "did you mean"). Never document text."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.followups import clinic_follow_up
from bot.profile import current_profile
from bot.replies import render
from bot.topics import LOCAL_TOPIC_LABELS, topic_for

CLINIC_TOPIC_SLOT = "clinic_topic"
# a follow-up the classifier reads as a leaflet question this surely is one ("and is it safe?")
MIN_LEAFLET_CONFIDENCE = 0.5


def say_local_answer(dispatcher: CollectingDispatcher, topic: str) -> list[EventType]:
    """The profile's answer to ``topic`` (or where to ask), remembered for follow-ups."""
    profile = current_profile()
    answer = profile.local_answer(topic)
    if answer:
        dispatcher.utter_message(text=render("local_answer", profile, answer=answer))
    else:
        dispatcher.utter_message(
            text=render("local_unanswered", profile, topic_label=LOCAL_TOPIC_LABELS[topic])
        )
    return [SlotSet(CLINIC_TOPIC_SLOT, topic)]


def continue_clinic_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, test_spans: list[tuple[int, int]]
) -> list[EventType] | None:
    """Right after a clinic answer, the clinic's answer to the practical question the latest
    message continues (bot/followups.py clinic_follow_up); None for anything else.
    ``test_spans``: where the message names a test (actions.answer.procedure_spans)."""
    last = tracker.get_slot(CLINIC_TOPIC_SLOT)
    if last not in LOCAL_TOPIC_LABELS:
        return None
    intent = tracker.latest_message.get("intent") or {}
    leaflet = (topic_for(intent.get("name")) is not None
               and (intent.get("confidence") or 0) >= MIN_LEAFLET_CONFIDENCE)
    topic = clinic_follow_up(tracker.latest_message.get("text"), last, test_spans, leaflet)
    return None if topic is None else say_local_answer(dispatcher, topic)
