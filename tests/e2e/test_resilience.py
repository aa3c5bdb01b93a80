"""Faults, bad input and privacy against the real servers over HTTP."""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid

import pytest

from bot.knowledge import KnowledgeBase
from bot.profile import current_profile
from bot.replies import render
from bot.serve import running
from bot.settings import Settings
from tests.support.servers import RestClient, free_port

pytestmark = pytest.mark.e2e

KB = KnowledgeBase.load()
BIOPSY_FEEL = KB.document("bone-marrow-biopsy").section("sensation").text()


def said(replies) -> str:
    return "\n\n".join(r["text"] for r in replies if r.get("text"))


def sender() -> str:
    return f"resilience-{uuid.uuid4().hex[:10]}"


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "The body must be a JSON object"),
        (b"[1, 2, 3]", "The body must be a JSON object"),
        (b'"just a string"', "The body must be a JSON object"),
        (json.dumps({"message": "hello"}).encode(), "'sender' must be a conversation id"),
        (json.dumps({"sender": 123, "message": "hello"}).encode(), "'sender' must be"),
        (json.dumps({"sender": "", "message": "hello"}).encode(), "'sender' must be"),
        (json.dumps({"sender": "a" * 200, "message": "hi"}).encode(), "'sender' must be"),
        (json.dumps({"sender": "ok", "message": ["a list"]}).encode(), "'message' must be text"),
        (json.dumps({"sender": "ok", "message": {"text": "x"}}).encode(), "'message' must be"),
    ],
)
def test_malformed_requests_get_400_with_a_reason(rest, body, reason):
    status, answer = rest.post(body)
    assert status == 400
    assert reason in str(answer)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", render("empty_message")),
        ("   \u200b\u200b  ", render("empty_message")),
        ("x" * 100_000, render("too_long", max_chars=1000)),
        ("does a bone\x00 marrow\x07 biopsy\x1b hurt?", None),
        ("\u202bdoes a bone marrow biopsy hurt?\u202c", None),
        ("does a bone\u200b marrow biopsy hurt? 😟😟", None),
    ],
)
def test_odd_messages_get_a_polite_reply(rest, message, expected):
    reply = said(rest.say(sender(), message))
    if expected is None:
        assert reply.startswith(BIOPSY_FEEL)
    else:
        assert reply == expected


def test_non_latin_text_gets_a_reply_not_an_error(rest):
    status, replies = rest.post(
        json.dumps({"sender": sender(), "message": "هل تؤلم خزعة نخاع العظم؟"}).encode()
    )
    assert status == 200 and replies and replies[0]["text"]


def test_server_keeps_serving_after_bad_input(rest):
    for body in (b"{", b"[]", b"null", json.dumps({"sender": 1}).encode()):
        rest.post(body)
    assert said(rest.say(sender(), "does a bone marrow biopsy hurt?")).startswith(BIOPSY_FEEL)


# --- privacy -------------------------------------------------------------------------------


def test_personal_details_are_redacted_before_storage_and_logs_carry_no_text(rest, bot_servers):
    who = sender()
    marker = f"zebra{uuid.uuid4().hex[:6]}"
    rest.say(who, f"{marker} my phone is 07700 900123, email jo@example.com, born 12/03/1980")
    db = sqlite3.connect(bot_servers.data_dir / "conversations.db")
    rows = [r[0] for r in db.execute(
        "select data from events where sender_id = ? and type_name = 'user'", (who,)
    )]
    db.close()
    assert rows, "the conversation was stored"
    stored = json.loads(rows[-1])["text"]
    assert stored == f"{marker} my phone is [phone], email [email], born [date]"
    for log in bot_servers.log_dir.glob("*.log"):
        text = log.read_text(errors="replace")
        assert marker not in text and "07700 900123" not in text, log.name


# --- faults --------------------------------------------------------------------------------


@pytest.fixture()
def own_servers(trained_model, tmp_path):
    """A separate pair of servers this test may stop and restart."""
    settings = Settings(
        rasa_port=free_port(), action_port=free_port(), web_port=free_port(), data_dir=tmp_path
    )
    with running(settings, trained_model) as services:
        yield settings, services


def test_action_server_down_then_back(own_servers):
    settings, (action, _server, *_) = own_servers
    env = {**os.environ, **settings.environment()}
    client = RestClient(f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook")
    who = sender()
    action.stop()
    started = time.monotonic()
    reply = said(client.say(who, "does a bone marrow biopsy hurt?"))
    assert time.monotonic() - started < 20
    assert reply == render("action_failed")
    assert current_profile().phone in reply
    action.start(env)
    deadline = time.monotonic() + 120
    while not action.healthy():
        assert time.monotonic() < deadline, action.tail()
        time.sleep(0.5)
    assert said(client.say(who, "does a bone marrow biopsy hurt?")).startswith(BIOPSY_FEEL)


def test_rasa_server_restart_keeps_the_conversation(own_servers):
    settings, (_action, server, *_) = own_servers
    env = {**os.environ, **settings.environment()}
    client = RestClient(f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook")
    who = sender()
    assert said(client.say(who, "how is a bone marrow biopsy done?"))
    server.stop()
    server.start(env)
    deadline = time.monotonic() + 180
    while not server.healthy():
        assert time.monotonic() < deadline, server.tail()
        time.sleep(0.5)
    # the procedure (a slot) survived the restart: "it" is still the biopsy
    assert said(client.say(who, "will it hurt?")).startswith(BIOPSY_FEEL)
