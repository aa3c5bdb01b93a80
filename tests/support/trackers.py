"""Build rasa_sdk Trackers from a small dict, as in RasaHQ's financial-demo action tests."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

EMPTY_SLOTS = {"procedure": None, "topic": None, "clinic_topic": None}


def tracker(
    intent: str,
    text: str = "",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    ranking: list[tuple[str, float]] | None = None,
    **extra: Any,
) -> Tracker:
    confidence = ranking[0][1] if ranking else 1.0
    return Tracker.from_dict(
        {
            "sender_id": "test-patient",
            "slots": {**EMPTY_SLOTS, **(slots or {})},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": confidence},
                "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking or []],
                "entities": entities or [],
                **extra,
            },
            "events": [],
            "latest_action_name": "action_listen",
        }
    )


def message(text: str, buttons: list[dict] | None = None) -> dict[str, Any]:
    """A message exactly as CollectingDispatcher records it."""
    return {
        "text": text,
        "buttons": buttons or [],
        "elements": [],
        "custom": {},
        "template": None,
        "response": None,
        "image": None,
        "attachment": None,
    }
