"""The text channels' answer feedback prompt: after a quoted answer, on SMS, WhatsApp, Telegram,
Messenger and Slack, a one-line "Did this answer help? Reply 1 ... 2 ..." with two options, only
when the clinic profile sets ``text_feedback_prompt: true`` (off by default). The web widget
shows its own "Helpful? Yes / No". The options' payload ``/feedback{"helpful": ...}`` is recorded
by the message guard without reaching the model (bot/feedback.py).
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.feedback import PAYLOAD, TEXT_CHANNELS
from bot.profile import current_profile
from bot.replies import render


def feedback_buttons() -> list[dict[str, str]]:
    return [
        {"title": "Yes", "payload": PAYLOAD + '{"helpful": "yes"}'},
        {"title": "No", "payload": PAYLOAD + '{"helpful": "no"}'},
    ]


def offer_feedback(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """After a quoted answer: the text channels' one-line prompt, when the profile turns it on."""
    if tracker.get_latest_input_channel() not in TEXT_CHANNELS:
        return
    if not current_profile().text_feedback_prompt:
        return
    dispatcher.utter_message(text=render("feedback_prompt"), buttons=feedback_buttons())
