"""Answer feedback on a text channel, end to end: with the clinic profile's text_feedback_prompt
on, an SMS answer is followed by "Did this answer help? ..." with numbered options; replying "2"
is stored as feedback on that answer (bot/feedback.py), thanked, and the conversation goes on.
Its own servers (the profile is read at start); the Twilio API is the local stand-in."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator

import pytest

from bot import PROJECT_ROOT
from bot.replies import render
from bot.settings import Settings
from tests.e2e.test_channel_twilio import post, sms_payload
from tests.support.platform_stub import CHANNEL_ENV, ChannelBot, free_port, serving_channels

pytest_plugins = ["tests.support.platform_stub"]
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def prompting_bot(trained_model, tmp_path_factory, platform_stub) -> Iterator[ChannelBot]:
    folder = tmp_path_factory.mktemp("prompting-bot")
    profile = folder / "clinic.yml"
    profile.write_text((PROJECT_ROOT / "clinic" / "default.yml").read_text(encoding="utf-8")
                       .replace("text_feedback_prompt: false", "text_feedback_prompt: true"),
                       encoding="utf-8")
    settings = Settings(rasa_port=free_port(), action_port=free_port(), web_port=free_port(),
                        data_dir=folder / "data")
    env = {**CHANNEL_ENV, "TWILIO_API_BASE": platform_stub.base("twilio"),
           "CLINIC_PROFILE": str(profile)}
    with serving_channels(settings, trained_model, platform_stub, env) as bot:
        yield bot


def sms(bot: ChannelBot, sender: str, body: str) -> list[str]:
    params = sms_payload(bot, sender, body)
    before = len(bot.stub.twilio_bodies(sender))
    status, answer = post(bot, params, bot.twilio_signature(bot.public_webhook("twilio"), params))
    assert status == 200, answer
    return bot.stub.wait(lambda: bot.stub.twilio_bodies(sender)[before:], timeout=60)


def test_sms_feedback_prompt_reply_is_stored_and_the_conversation_goes_on(prompting_bot):
    sender = "+1555" + str(uuid.uuid4().int)[:7]
    answer, prompt = sms(prompting_bot, sender, "does a bone marrow biopsy hurt?")
    assert answer.startswith("You will feel a sharp sting")
    assert prompt == ("Did this answer help? Reply 1 if it helped, 2 if not (or just ask your "
                      "next question).\n\n1. Yes\n2. No\n\nReply with 1 or 2.")
    assert sms(prompting_bot, sender, "2") == [render("feedback_thanks")]
    # ignoring the prompt is fine too: the next question is answered, about the same test
    risks, _ = sms(prompting_bot, sender, "what are the risks?")
    assert "bleeding" in risks.lower() or "infection" in risks.lower()

    with sqlite3.connect(prompting_bot.settings.data_dir / "conversations.db") as db:
        rows = db.execute("SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id",
                          (sender,)).fetchall()
    events = [json.loads(data) for _, data in rows]
    assert [e["value"] for e in events if e["event"] == "slot" and e["name"] == "feedback"] == [
        {"helpful": "no", "topic": "sensation", "procedure": "biopsy"}]
    assert "2" not in [e.get("text") for e in events if e["event"] == "user"]  # not a message
