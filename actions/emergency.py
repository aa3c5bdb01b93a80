"""The emergency reply. The decision is made before any ML by
bot.components.red_flag_guard.RedFlagGuard, which sets the intent ``emergency`` and attaches the
red flag it matched to the message."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.profile import current_profile
from bot.redflags import RedFlag, detect, emergency_reply


class ActionHandleEmergency(Action):
    def name(self) -> str:
        return "action_handle_emergency"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        found = message.get("red_flag") or {}
        flag = (
            RedFlag(category=found["category"], matched=found.get("matched", ""))
            if found.get("category")
            else detect(message.get("text") or "")
        )
        profile = current_profile()
        dispatcher.utter_message(
            text=emergency_reply(
                flag or RedFlag(category="unspecified", matched=""),
                emergency_number=profile.emergency_number,
                crisis_line=profile.crisis_line,
            )
        )
        return []
