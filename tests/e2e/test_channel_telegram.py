"""Telegram: the real Rasa server (channel bot.channels.telegram.TelegramSecretInput) gets
Telegram's webhook Update JSON with the secret-token header; what it sends goes to the local
stand-in Bot API."""

from __future__ import annotations

import json
import random
import time

import pytest

from actions.answer import render_answer
from bot.channels.text import TELEGRAM_LIMIT
from bot.knowledge import KnowledgeBase

pytest_plugins = ["tests.support.platform_stub"]
pytestmark = pytest.mark.e2e

KB = KnowledgeBase.load()
CHANNEL = "telegram"
TELEGRAM_CLASS = "bot.channels.telegram.TelegramSecretInput"
_updates = iter(range(random.randint(10_000, 900_000), 10**9))


def section_text(doc_id: str, topic: str) -> str:
    return KB.document(doc_id).section(topic).text()


def new_chat() -> int:
    return random.randint(10**8, 10**9)


def user(chat: int) -> dict:
    return {"id": chat, "is_bot": False, "first_name": "Pat", "language_code": "en"}


def text_update(chat: int, text: str) -> dict:
    """An Update with a private-chat message, as Telegram POSTs it to the webhook."""
    return {
        "update_id": next(_updates),
        "message": {
            "message_id": random.randint(1, 10**6), "from": user(chat),
            "chat": {"id": chat, "first_name": "Pat", "type": "private"},
            "date": int(time.time()), "text": text,
        },
    }


def button_update(chat: int, data: str) -> dict:
    """An Update for a tap on an inline keyboard button."""
    return {
        "update_id": next(_updates),
        "callback_query": {
            "id": str(random.randint(10**15, 10**16)), "from": user(chat),
            "message": {
                "message_id": random.randint(1, 10**6),
                "from": {"id": 42, "is_bot": True, "first_name": "Stub", "username": "stub_bot"},
                "chat": {"id": chat, "first_name": "Pat", "type": "private"},
                "date": int(time.time()), "text": "Which test is your question about?",
            },
            "chat_instance": "-123456789", "data": data,
        },
    }


def post(bot, update: dict, secret: str | None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return bot.post(CHANNEL, json.dumps(update).encode(), headers)


def send(bot, chat: int, update: dict) -> list[dict]:
    before = len(bot.stub.telegram_messages(chat))
    status, answer = post(bot, update, bot.env["TELEGRAM_SECRET_TOKEN"])
    assert status == 200, answer
    return bot.stub.wait(lambda: bot.stub.telegram_messages(chat)[before:], timeout=30)


def test_question_gets_the_section_as_plain_text(channel_bot):
    chat = new_chat()
    [reply] = send(channel_bot, chat, text_update(chat, "does a bone marrow biopsy hurt?"))
    assert reply["text"].startswith(section_text("bone-marrow-biopsy", "sensation"))
    assert reply["text"].startswith("You will feel a sharp sting when the numbing medicine")
    assert reply["text"].endswith("https://medlineplus.gov/ency/article/003934.htm "
                                  "(reviewed 6/17/2024)")
    assert "parse_mode" not in reply  # plain text: nothing in the leaflet is read as markup
    [call] = [c for c in channel_bot.stub.calls("telegram")
              if c.api_method == "sendMessage" and c.form.get("chat_id") == str(chat)]
    assert call.path == f"/telegram/bot{channel_bot.env['TELEGRAM_TOKEN']}/sendMessage"


def test_buttons_are_an_inline_keyboard_and_a_tap_continues(channel_bot):
    chat = new_chat()
    [ask] = send(channel_bot, chat, text_update(chat, "will it hurt?"))
    assert ask["text"].startswith("Which test is your question about?")
    keyboard = json.loads(ask["reply_markup"])["inline_keyboard"]
    assert [[b["text"] for b in row] for row in keyboard] == [
        ["Bone marrow aspiration"], ["Bone marrow biopsy"]]
    payload = keyboard[1][0]["callback_data"]
    assert payload == '/inform_procedure{"procedure": "biopsy"}'
    tap = button_update(chat, payload)
    [answer] = send(channel_bot, chat, tap)
    assert answer["text"].startswith(section_text("bone-marrow-biopsy", "sensation"))
    answered = channel_bot.stub.telegram_calls("answerCallbackQuery")
    assert tap["callback_query"]["id"] in [a["callback_query_id"] for a in answered]


def test_long_answer_is_within_the_limit_and_whole(channel_bot):
    chat = new_chat()
    parts = send(channel_bot, chat, text_update(
        chat, "what do abnormal results of a bone marrow aspiration and a biopsy mean?"))
    expected = render_answer([
        (KB.document(d), KB.document(d).section("abnormal_results"))
        for d in ("bone-marrow-aspiration", "bone-marrow-biopsy")
    ])
    texts = [p["text"] for p in parts]
    assert all(len(t) <= TELEGRAM_LIMIT for t in texts)
    # 2,532 characters: one Telegram message (splitting at 4,096 is in test_channel_text.py)
    assert texts == [expected]


def test_start_command_is_a_greeting(channel_bot):
    chat = new_chat()
    [hello] = send(channel_bot, chat, text_update(chat, "/start"))
    assert "automated assistant" in hello["text"]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"])
def test_updates_without_the_secret_token_are_rejected_and_never_answered(channel_bot, secret):
    chat = new_chat()
    status, _ = post(channel_bot, text_update(chat, "does a bone marrow biopsy hurt?"), secret)
    assert status == 403
    assert channel_bot.stub.wait(lambda: channel_bot.stub.telegram_messages(chat),
                                 timeout=2) in (None, [])


def test_a_redelivered_update_is_answered_once(channel_bot):
    chat = new_chat()
    update = text_update(chat, "is there a risk of bleeding after a biopsy?")
    assert len(send(channel_bot, chat, update)) == 1
    status, _ = post(channel_bot, update, channel_bot.env["TELEGRAM_SECRET_TOKEN"])
    assert status == 200
    assert len(channel_bot.stub.telegram_messages(chat)) == 1


def test_webhook_and_secret_token_are_registered_at_start(channel_bot):
    calls = channel_bot.stub.wait(
        lambda: channel_bot.stub.telegram_calls("setWebhook"), timeout=30)
    # each Rasa process behind the router registers the same webhook when it starts (Telegram
    # keeps the last; the same registration twice changes nothing)
    registered = calls[0]
    assert calls and all(call == registered for call in calls), calls
    assert registered["url"] == channel_bot.public_webhook(CHANNEL)
    assert registered["secret_token"] == channel_bot.env["TELEGRAM_SECRET_TOKEN"]
    assert json.loads(registered["allowed_updates"]) == [
        "message", "edited_message", "callback_query"]


def test_telegram_channel_is_on_only_when_its_variables_are_set(render_channels, channel_env):
    token, secret = channel_env["TELEGRAM_TOKEN"], channel_env["TELEGRAM_SECRET_TOKEN"]
    assert TELEGRAM_CLASS not in render_channels(TELEGRAM_TOKEN=token)
    channels = render_channels(TELEGRAM_TOKEN=token, TELEGRAM_SECRET_TOKEN=secret)
    assert channels[TELEGRAM_CLASS] == {"access_token": token, "secret_token": secret}


def test_a_photo_in_a_private_chat_gets_asked_for_text(channel_bot):
    from bot.replies import render

    chat = new_chat()
    update = text_update(chat, "")
    del update["message"]["text"]
    update["message"]["photo"] = [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90,
                                   "height": 90, "file_size": 1234}]
    [reply] = send(channel_bot, chat, update)
    assert reply["text"] == render("empty_message")
