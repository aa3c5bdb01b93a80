"""Answer feedback: "Helpful? Yes / No" after a quoted answer.

The web widget shows the two buttons itself; on text channels (SMS, WhatsApp, Telegram,
Messenger, Slack) the answering action adds a one-line prompt with two numbered options only when
the clinic profile sets ``text_feedback_prompt: true`` (off by default). Either way the answer
arrives as the payload ``/feedback{"helpful": "yes"|"no"}`` (or as words, intent ``feedback``).

``action_record_feedback`` stores it as events in the tracker store: a ``SlotSet("feedback",
{"helpful", "topic", "procedure"})`` linking it to the answered topic and procedure, then
``UserUtteranceReverted()``. The revert takes the feedback turn (and the slot) out of the
conversation the policies see: slots such as ``procedure``/``topic`` and the next prediction are
exactly as if the patient had not clicked. A button click gets no reply (the widget thanks the
patient itself); feedback typed in words or sent from a text channel gets a short thank-you.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from bot.profile import current_profile
from bot.replies import render

FEEDBACK_SLOT = "feedback"
FEEDBACK_PAYLOAD = "/feedback"
# channels that show text only: buttons become numbered options or platform buttons
TEXT_CHANNELS = frozenset({"twilio", "whatsapp", "telegram", "facebook", "slack"})
_NEGATIVE = re.compile(r"\b(not|no|didn't|didnt|did not|useless|unhelpful|wasn't|nope)\b", re.I)


def feedback_buttons() -> list[dict[str, str]]:
    return [
        {"title": "Yes", "payload": FEEDBACK_PAYLOAD + '{"helpful": "yes"}'},
        {"title": "No", "payload": FEEDBACK_PAYLOAD + '{"helpful": "no"}'},
    ]


def offer_feedback(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """After a quoted answer: the text channels' one-line prompt, when the profile turns it on."""
    if tracker.get_latest_input_channel() not in TEXT_CHANNELS:
        return
    if not current_profile().text_feedback_prompt:
        return
    dispatcher.utter_message(text=render("feedback_prompt"), buttons=feedback_buttons())


def helpful_value(message: dict[str, Any]) -> str | None:
    """"yes" or "no" from the payload's entity, else from the words; None when unclear."""
    for entity in message.get("entities") or []:
        if entity.get("entity") == "helpful":
            value = str(entity.get("value", "")).strip().lower()
            if value in ("yes", "no"):
                return value
            return None
    text = message.get("text") or ""
    if text.startswith("/"):
        return None
    return "no" if _NEGATIVE.search(text) else "yes"


class ActionRecordFeedback(Action):
    def name(self) -> str:
        return "action_record_feedback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        helpful = helpful_value(message)
        events: list[EventType] = []
        if helpful is not None:
            events.append(SlotSet(FEEDBACK_SLOT, {
                "helpful": helpful,
                "topic": tracker.get_slot("topic"),
                "procedure": tracker.get_slot("procedure"),
            }))
        button = (message.get("text") or "").startswith(FEEDBACK_PAYLOAD)
        if not button or tracker.get_latest_input_channel() in TEXT_CHANNELS:
            dispatcher.utter_message(text=render("feedback_thanks"))
        # the feedback turn is taken out of the conversation: nothing else changes
        return events + [UserUtteranceReverted()]
