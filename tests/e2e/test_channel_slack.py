"""Slack: the real Rasa server (channel bot.channels.slack.SlackSignedInput) gets Events API
``event_callback`` JSON and Interactivity payloads signed with the signing secret; what it posts
goes to the local stand-in Web API (chat.postMessage)."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlencode

import pytest

from actions.answer import render_answer
from bot.channels.text import SLACK_LIMIT
from bot.knowledge import KnowledgeBase

pytest_plugins = ["tests.support.platform_stub"]
pytestmark = pytest.mark.e2e

KB = KnowledgeBase.load()
CHANNEL = "slack"
SLACK_CLASS = "bot.channels.slack.SlackSignedInput"
BOT_USER = "U0BOTUSER"


def section_text(doc_id: str, topic: str) -> str:
    return KB.document(doc_id).section(topic).text()


def new_user() -> tuple[str, str]:
    """A user and their direct-message channel with the bot."""
    tag = uuid.uuid4().hex[:9].upper()
    return f"U{tag}", f"D{tag}"


def dm_event(user: str, channel: str, text: str, **event: str) -> dict:
    """An Events API callback for a direct message to the bot (message.im)."""
    ts = f"{time.time():.6f}"
    return {
        "token": "legacy-verification-token", "team_id": "T0TEAM", "api_app_id": "A0APP",
        "event": {"client_msg_id": str(uuid.uuid4()), "type": "message", "text": text,
                  "user": user, "ts": ts, "team": "T0TEAM", "channel": channel,
                  "event_ts": ts, "channel_type": "im", **event},
        "type": "event_callback", "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": "T0TEAM", "user_id": BOT_USER,
                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    }


def button_click(user: str, channel: str, value: str) -> bytes:
    """An Interactivity request for a click on a button (form-encoded ``payload``)."""
    payload = {
        "type": "block_actions", "user": {"id": user, "username": "pat", "team_id": "T0TEAM"},
        "api_app_id": "A0APP", "container": {"type": "message", "channel_id": channel},
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "ts": f"{time.time():.6f}", "bot_id": "B0BOT"},
        "actions": [{"type": "button", "action_id": "a1", "block_id": "b1", "value": value,
                     "text": {"type": "plain_text", "text": "Bone marrow biopsy"},
                     "action_ts": f"{time.time():.6f}"}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def post(bot, raw: bytes, content_type: str = "application/json",
         signed: bool = True, **headers: str) -> tuple[int, bytes]:
    all_headers = {"Content-Type": content_type, **headers}
    if signed:
        all_headers.update(bot.slack_headers(raw))
    return bot.post(CHANNEL, raw, all_headers)


def send(bot, channel: str, raw: bytes, content_type: str = "application/json",
         **headers: str) -> list[dict]:
    before = len(bot.stub.slack_messages(channel))
    status, answer = post(bot, raw, content_type, **headers)
    assert status == 200, answer
    return bot.stub.wait(lambda: bot.stub.slack_messages(channel)[before:], timeout=30,
                         settle=1)


def say(bot, user: str, channel: str, text: str) -> list[dict]:
    return send(bot, channel, json.dumps(dm_event(user, channel, text)).encode())


def test_direct_message_gets_the_section(channel_bot):
    user, channel = new_user()
    [reply] = say(channel_bot, user, channel, "does a bone marrow biopsy hurt?")
    assert reply["text"].startswith(section_text("bone-marrow-biopsy", "sensation"))
    assert reply["text"].endswith("https://medlineplus.gov/ency/article/003934.htm "
                                  "(reviewed 6/17/2024)")
    assert "as_user" not in reply
    [call] = [c for c in channel_bot.stub.calls("slack")
              if c.api_method == "chat.postMessage" and c.fields.get("channel") == channel]
    assert call.path == "/slack/chat.postMessage"
    assert call.headers["authorization"] == f"Bearer {channel_bot.env['SLACK_BOT_TOKEN']}"


def test_buttons_stay_slack_buttons_and_a_click_continues(channel_bot):
    user, channel = new_user()
    [ask] = say(channel_bot, user, channel, "will it hurt?")
    assert ask["text"].startswith("Which test is your question about?")
    [section, actions] = ask["blocks"]
    assert section["text"]["text"] == ask["text"]
    buttons = {b["text"]["text"]: b["value"] for b in actions["elements"]}
    assert list(buttons) == ["Bone marrow aspiration", "Bone marrow biopsy"]
    [answer] = send(channel_bot, channel,
                    button_click(user, channel, buttons["Bone marrow biopsy"]),
                    content_type="application/x-www-form-urlencoded")
    assert answer["text"].startswith(section_text("bone-marrow-biopsy", "sensation"))


def test_long_answer_is_within_the_limit_and_whole(channel_bot):
    user, channel = new_user()
    parts = say(channel_bot, user, channel,
                "what do abnormal results of a bone marrow aspiration and a biopsy mean?")
    expected = render_answer([
        (KB.document(d), KB.document(d).section("abnormal_results"))
        for d in ("bone-marrow-aspiration", "bone-marrow-biopsy")
    ])
    texts = [p["text"] for p in parts]
    assert all(len(t) <= SLACK_LIMIT for t in texts)
    # 2,532 characters: one Slack message (splitting at 3,000 is in test_channel_text.py)
    assert texts == [expected]


@pytest.mark.parametrize("case", ["missing", "wrong secret", "six minutes old", "tampered"])
def test_unsigned_stale_or_wrongly_signed_requests_are_rejected(channel_bot, case):
    bot, (user, channel) = channel_bot, new_user()
    raw = json.dumps(dm_event(user, channel, "does a bone marrow biopsy hurt?")).encode()
    headers = {
        "missing": {},
        "wrong secret": bot.slack_headers(raw, secret="not-the-signing-secret"),
        "six minutes old": bot.slack_headers(raw, timestamp=int(time.time()) - 360),
        "tampered": bot.slack_headers(raw.replace(b"hurt", b"harm")),
    }[case]
    status, _ = post(bot, raw, signed=False, **headers)
    assert 400 <= status < 500
    assert bot.stub.wait(lambda: bot.stub.slack_messages(channel), timeout=3) in (None, [])


def test_retries_are_not_answered_twice_but_a_lost_event_is_answered(channel_bot):
    bot, (user, channel) = channel_bot, new_user()
    raw = json.dumps(dm_event(user, channel, "is there a risk of bleeding after a biopsy?")
                     ).encode()
    assert len(send(bot, channel, raw)) == 1
    for reason in ("http_timeout", "http_error"):
        status, _ = post(bot, raw, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": reason})
        assert status == 200
    time.sleep(3)
    assert len(bot.stub.slack_messages(channel)) == 1
    # a retry of an event whose first delivery never got here is answered
    user2, channel2 = new_user()
    raw2 = json.dumps(dm_event(user2, channel2, "how do i prepare for a biopsy?")).encode()
    [prep] = send(bot, channel2, raw2,
                  **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "connection_failed"})
    assert prep["text"].startswith(section_text("bone-marrow-biopsy", "preparation"))


def test_url_verification_answers_the_challenge_only_when_signed(channel_bot):
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    raw = json.dumps({"token": "x", "challenge": challenge, "type": "url_verification"}).encode()
    status, body = post(channel_bot, raw)
    assert status == 200
    assert json.loads(body) == {"challenge": challenge}
    status, _ = post(channel_bot, raw, signed=False)
    assert 400 <= status < 500


def test_the_bots_own_messages_are_not_answered(channel_bot):
    user, channel = new_user()
    own = dm_event(BOT_USER, channel, "does a bone marrow biopsy hurt?", bot_id="B0BOT")
    status, _ = post(channel_bot, json.dumps(own).encode())
    assert status == 200
    assert channel_bot.stub.wait(lambda: channel_bot.stub.slack_messages(channel),
                                 timeout=3) in (None, [])


def test_slack_channel_is_on_only_when_its_variables_are_set(render_channels, channel_env):
    token, secret = channel_env["SLACK_BOT_TOKEN"], channel_env["SLACK_SIGNING_SECRET"]
    assert SLACK_CLASS not in render_channels(SLACK_BOT_TOKEN=token)
    channels = render_channels(SLACK_BOT_TOKEN=token, SLACK_SIGNING_SECRET=secret)
    assert channels[SLACK_CLASS] == {"slack_token": token, "slack_signing_secret": secret}
