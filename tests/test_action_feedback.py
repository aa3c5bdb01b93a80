"""actions/feedback.py: answer feedback is stored (linked to topic and procedure) and undone in the
same turn; the text channels' prompt only when the clinic profile turns it on."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswerQuestion
from actions.feedback import ActionRecordFeedback, feedback_buttons, helpful_value
from bot.replies import render
from tests.trackers import message


def tracker(text: str, intent: str = "feedback", entities: list[dict] | None = None,
            channel: str = "socketio", slots: dict[str, Any] | None = None) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0},
              "entities": entities or [], "intent_ranking": []}
    return Tracker.from_dict({
        "sender_id": "test-patient",
        "slots": {"procedure": "biopsy", "topic": "sensation", "feedback": None,
                  **(slots or {})},
        "latest_message": latest,
        "events": [{"event": "user", "text": text, "parse_data": latest,
                    "input_channel": channel}],
        "latest_action_name": "action_listen",
    })


def record(t: Tracker) -> tuple[list[dict], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    return ActionRecordFeedback().run(dispatcher, t, {}), dispatcher


@pytest.mark.parametrize("value", ["yes", "no"])
def test_a_button_click_is_stored_with_topic_and_procedure_and_undone(value):
    events, dispatcher = record(tracker(
        f'/feedback{{"helpful": "{value}"}}', entities=[{"entity": "helpful", "value": value}]))
    assert events == [
        {"event": "slot", "timestamp": None, "name": "feedback",
         "value": {"helpful": value, "topic": "sensation", "procedure": "biopsy"}},
        {"event": "rewind", "timestamp": None},
    ]
    assert dispatcher.messages == []  # the widget thanks the patient itself


def test_feedback_from_a_text_channel_or_in_words_is_thanked():
    _, dispatcher = record(tracker('/feedback{"helpful": "no"}', channel="twilio",
                                   entities=[{"entity": "helpful", "value": "no"}]))
    assert dispatcher.messages == [message(render("feedback_thanks"))]
    events, dispatcher = record(tracker("that answer didn't help", channel="rest"))
    assert events[0]["value"]["helpful"] == "no"
    assert events[-1] == {"event": "rewind", "timestamp": None}
    assert dispatcher.messages == [message(render("feedback_thanks"))]


def test_unclear_feedback_is_not_stored_but_still_undone():
    events, _ = record(tracker('/feedback{"helpful": "maybe"}',
                               entities=[{"entity": "helpful", "value": "maybe"}]))
    assert events == [{"event": "rewind", "timestamp": None}]
    assert helpful_value({"text": "/feedback", "entities": []}) is None
    assert helpful_value({"text": "this answer was helpful"}) == "yes"
    assert helpful_value({"text": "this answer was not helpful"}) == "no"


def answer(channel: str) -> list[dict]:
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion().run(
        dispatcher,
        tracker("does a bone marrow biopsy hurt", intent="ask_sensation", channel=channel,
                entities=[{"entity": "procedure", "value": "biopsy"}], slots={"topic": None}),
        {})
    return dispatcher.messages


def test_text_channel_prompt_is_off_by_default(monkeypatch):
    monkeypatch.delenv("CLINIC_PROFILE", raising=False)
    for channel in ("twilio", "socketio", "rest"):
        replies = answer(channel)
        assert len(replies) == 1 and "Source:" in replies[0]["text"], channel


def test_text_channel_prompt_when_the_profile_turns_it_on(tmp_path, monkeypatch):
    from bot import PROJECT_ROOT

    profile = tmp_path / "clinic.yml"
    profile.write_text((PROJECT_ROOT / "clinic" / "default.yml").read_text(encoding="utf-8")
                       + "\ntext_feedback_prompt: true\n", encoding="utf-8")
    monkeypatch.setenv("CLINIC_PROFILE", str(profile))
    for channel in ("twilio", "whatsapp", "telegram", "facebook", "slack"):
        replies = answer(channel)
        assert len(replies) == 2, channel
        assert replies[1] == message(render("feedback_prompt"), feedback_buttons())
    # the web widget has its own buttons; the REST API gets no prompt
    for channel in ("socketio", "rest"):
        assert len(answer(channel)) == 1, channel


# ---------------------------------------------------------- the real servers: nothing changes


def stored_events(data_dir, sender: str) -> list[dict]:
    """The conversation as the tracker store holds it (Rasa's SQL store in the data dir)."""
    import json
    import sqlite3

    with sqlite3.connect(data_dir / "conversations.db") as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,))
        return [json.loads(row[0]) for row in rows]


def said(replies: list[dict]) -> str:
    return "\n\n".join(r.get("text") or "" for r in replies)


@pytest.mark.e2e
@pytest.mark.parametrize("helpful", ["yes", "no"])
def test_feedback_is_stored_and_the_conversation_continues_as_without_it(
        rest, bot_servers, helpful):
    import uuid

    with_feedback, without = (f"feedback-{uuid.uuid4().hex[:10]}" for _ in range(2))
    for sender in (with_feedback, without):
        assert "Source:" in said(rest.say(sender, "how is a bone marrow biopsy done?"))
    assert rest.say(with_feedback, f'/feedback{{"helpful": "{helpful}"}}') == []  # no reply
    # "it" is still the biopsy: the same answer as in the conversation without feedback
    follow_up = rest.say(with_feedback, "will it hurt?")
    assert said(follow_up) == said(rest.say(without, "will it hurt?"))
    assert "You will feel a sharp sting" in said(follow_up)

    events = stored_events(bot_servers.data_dir, with_feedback)
    slots = [e for e in events if e["event"] == "slot" and e["name"] == "feedback"]
    assert [s["value"] for s in slots] == [
        {"helpful": helpful, "topic": "how_performed", "procedure": "biopsy"}]
    at = events.index(slots[0])
    assert events[at + 1]["event"] == "rewind"  # undone: never part of the dialogue
    assert events[at + 2] == {**events[at + 2], "event": "action", "name": "action_listen"}
    # the turn after it was predicted exactly as in the conversation without feedback
    def actions_after_last_user(sender: str) -> list[str]:
        stored = stored_events(bot_servers.data_dir, sender)
        last_user = max(i for i, e in enumerate(stored) if e["event"] == "user")
        return [e["name"] for e in stored[last_user:] if e["event"] == "action"]

    assert actions_after_last_user(with_feedback) == actions_after_last_user(without) == [
        "action_answer_question", "action_listen"]
