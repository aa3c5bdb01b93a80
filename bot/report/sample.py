"""Conversations written to a tracker store through Rasa's own API, for the report's tests and
its benchmark (a store the size of a busy clinic's month without running the bot for hours).

    python -m bot.report.sample 5000 DIR     # DIR/conversations.db with 5,000 conversations

The events are the ones the bot stores: user message (with intent, channel and, for red flags,
the category), the actions, the bot's replies, slots, and answer feedback (a slot event).
"""

from __future__ import annotations

import asyncio
import random
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import PROJECT_ROOT
from bot.settings import CONVERSATIONS_DB

ANSWER_ACTION = "action_answer_question"


@dataclass
class Turn:
    text: str
    intent: str
    actions: tuple[str, ...] = ()
    replies: tuple[str, ...] = ()
    slots: dict[str, Any] = field(default_factory=dict)
    red_flag: str | None = None
    only_slots: bool = False  # answer feedback: a slot event, no message (bot/feedback.py)
    reply_after: float = 0.25  # seconds from the message to the first reply


def answer(text: str, topic: str, procedure: str) -> Turn:
    return Turn(text, f"ask_{topic}", (ANSWER_ACTION,),
                (f"(the {topic} section)", f'Source: MedlinePlus, "{procedure}" (reviewed)'),
                {"topic": topic, "procedure": procedure})


def feedback(helpful: str, topic: str, procedure: str) -> Turn:
    return Turn("", "", (), (), {"feedback": {"helpful": helpful, "topic": topic,
                                              "procedure": procedure}}, only_slots=True)


def events_for(turns: list[Turn], channel: str, start: float) -> list:
    """Rasa events for one conversation, one second per turn from ``start``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa.shared.core.events import (
            ActionExecuted,
            BotUttered,
            SessionStarted,
            SlotSet,
            UserUttered,
        )
    events: list = [ActionExecuted("action_session_start", timestamp=start),
                    SessionStarted(timestamp=start),
                    ActionExecuted("action_listen", timestamp=start)]
    now = start
    for turn in turns:
        now += 1.0
        if turn.only_slots:
            events.extend(SlotSet(name, value, timestamp=now) for name, value in turn.slots.items())
            continue
        parse = {"text": turn.text, "intent": {"name": turn.intent, "confidence": 1.0},
                 "entities": []}
        if turn.red_flag:
            parse["red_flag"] = {"category": turn.red_flag, "matched": "(matched words)"}
        events.append(UserUttered(turn.text, parse["intent"], [], parse, timestamp=now,
                                  input_channel=channel))
        at = now + turn.reply_after
        for action in turn.actions:
            events.append(ActionExecuted(action, timestamp=at))
            for reply in turn.replies:
                events.append(BotUttered(reply, timestamp=at))
            for name, value in turn.slots.items():
                events.append(SlotSet(name, value, timestamp=at))
        events.append(ActionExecuted("action_listen", timestamp=at))
    return events


def open_store(db: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa.core.tracker_store import SQLTrackerStore
        from rasa.shared.core.domain import Domain

    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    db.parent.mkdir(parents=True, exist_ok=True)
    return SQLTrackerStore(domain, dialect="sqlite", db=str(db)), domain


def save(db: Path, conversations: list[tuple[str, list]]) -> None:
    """Stores ``(sender_id, events)`` pairs with SQLTrackerStore.save, as the bot does."""
    from rasa.shared.core.trackers import DialogueStateTracker

    store, domain = open_store(db)

    async def run() -> None:
        for sender, events in conversations:
            await store.save(DialogueStateTracker.from_events(sender, events, domain.slots))

    asyncio.run(run())
    store.engine.dispose()


TOPICS = ["how_performed", "sensation", "preparation", "risks", "purpose", "normal_results"]
UNANSWERED = [
    ("can you book me a taxi to the hospital", "out_of_scope", "action_decline_out_of_scope"),
    ("what is the weather tomorrow", "out_of_scope", "action_decline_out_of_scope"),
    ("marrow thingy", "nlu_fallback", "action_clarify_question"),
    ("how much does the biopsy cost", "ask_cost", "action_answer_clinic_question"),
]


def synthetic(count: int, start: float, seed: int = 13) -> list[tuple[str, list]]:
    """``count`` varied conversations over 30 days from ``start``: answers, feedback,
    unanswered questions, emergencies; web and SMS."""
    rng = random.Random(seed)
    conversations = []
    for number in range(count):
        turns = [Turn("/greet", "greet", ("action_greet_patient",), ("Hello",))]
        for _ in range(rng.randint(1, 4)):
            roll = rng.random()
            topic, procedure = rng.choice(TOPICS), rng.choice(["aspiration", "biopsy"])
            if roll < 0.65:
                turns.append(answer(f"question about {topic} {rng.randint(1, 50)}", topic,
                                    procedure))
                if rng.random() < 0.3:
                    turns.append(feedback(rng.choice(["yes", "yes", "no"]), topic, procedure))
            elif roll < 0.95:
                text, intent, action = rng.choice(UNANSWERED)
                turns.append(Turn(f"{text} {rng.randint(1, 3)}", intent, (action,), ("Sorry",)))
            else:
                turns.append(Turn("I have chest pain", "emergency", ("action_handle_emergency",),
                                  ("Call 911 now",), red_flag=rng.choice(["chest_pain",
                                                                          "suicidal"])))
        channel = "socketio" if rng.random() < 0.8 else "twilio"
        when = start + rng.uniform(0, 30 * 86400)
        conversations.append((f"sample-{number:06d}", events_for(turns, channel, when)))
    return conversations


def main(argv: list[str] | None = None) -> int:
    import time

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not args[0].isdigit():
        print("usage: python -m bot.report.sample COUNT DIR", file=sys.stderr)
        return 2
    started = time.monotonic()
    db = Path(args[1]) / CONVERSATIONS_DB
    save(db, synthetic(int(args[0]), time.time() - 30 * 86400))
    print(f"sample: {args[0]} conversations in {db} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
