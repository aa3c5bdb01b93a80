"""Answer feedback: the text channels' prompt (actions/feedback.py) only when the clinic profile
turns it on; the payload (bot/feedback.py) stored by the guard, linked to topic and procedure,
never reaching the model, so the conversation continues exactly as without it."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswerQuestion
from actions.feedback import feedback_buttons
from bot.feedback import helpful_value, is_feedback
from bot.replies import render
from tests.support.trackers import message


def test_feedback_payloads():
    assert helpful_value('/feedback{"helpful": "yes"}') == "yes"
    assert helpful_value('/feedback{"helpful":"no"}') == "no"
    for bad in ('/feedback{"helpful": "maybe"}', "/feedback", '/feedback{"helpful": 1}',
                "/feedback{not json}", '/feedback["yes"]', 'yes /feedback{"helpful": "yes"}'):
        assert helpful_value(bad) is None, bad
    assert is_feedback('/feedback{"helpful": "yes"}') and not is_feedback("feedback please")
    assert [helpful_value(b["payload"]) for b in feedback_buttons()] == ["yes", "no"]


def answer(channel: str) -> list[dict]:
    latest = {"text": "does a bone marrow biopsy hurt",
              "intent": {"name": "ask_sensation", "confidence": 1.0},
              "entities": [{"entity": "procedure", "value": "biopsy"}], "intent_ranking": []}
    tracker = Tracker.from_dict({
        "sender_id": "test-patient", "slots": {"procedure": None, "topic": None},
        "latest_message": latest,
        "events": [{"event": "user", "text": latest["text"], "parse_data": latest,
                    "input_channel": channel}],
        "latest_action_name": "action_listen",
    })
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion().run(dispatcher, tracker, {})
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
                       .replace("text_feedback_prompt: false", "text_feedback_prompt: true"),
                       encoding="utf-8")
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
    with sqlite3.connect(data_dir / "conversations.db") as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,))
        return [json.loads(row[0]) for row in rows]


def said(replies: list[dict]) -> str:
    return "\n\n".join(r.get("text") or "" for r in replies)


def without_timestamps(events: list[dict]) -> list[dict]:
    keep = ("event", "name", "value", "text")
    return [{k: e.get(k) for k in keep} for e in events]


@pytest.mark.e2e
@pytest.mark.parametrize("helpful", ["yes", "no"])
def test_feedback_is_stored_and_the_conversation_continues_as_without_it(
        rest, bot_servers, helpful):
    with_feedback, without = (f"feedback-{uuid.uuid4().hex[:10]}" for _ in range(2))
    for sender in (with_feedback, without):
        assert "Source:" in said(rest.say(sender, "how is a bone marrow biopsy done?"))
    assert rest.say(with_feedback, f'/feedback{{"helpful": "{helpful}"}}') == []  # no reply
    assert rest.say(with_feedback, '/feedback{"helpful": "perhaps"}') == []  # ignored
    # "it" is still the biopsy: the same answer as in the conversation without feedback
    follow_up = rest.say(with_feedback, "will it hurt?")
    assert said(follow_up) == said(rest.say(without, "will it hurt?"))
    assert "You will feel a sharp sting" in said(follow_up)

    stored = stored_events(bot_servers.data_dir, with_feedback)
    feedback = [e for e in stored if e["event"] == "slot" and e["name"] == "feedback"]
    assert [e["value"] for e in feedback] == [
        {"helpful": helpful, "topic": "how_performed", "procedure": "biopsy"}]
    # one slot event and nothing else: no message, no action, nothing for the model to see
    others = [e for e in stored if e not in feedback]
    assert without_timestamps(others) == without_timestamps(
        stored_events(bot_servers.data_dir, without))


@pytest.mark.e2e
def test_feedback_before_any_conversation_is_ignored(rest, bot_servers):
    sender = f"feedback-{uuid.uuid4().hex[:10]}"
    assert rest.say(sender, '/feedback{"helpful": "yes"}') == []
    assert stored_events(bot_servers.data_dir, sender) == []
    assert "automated assistant" in said(rest.say(sender, "hello"))
