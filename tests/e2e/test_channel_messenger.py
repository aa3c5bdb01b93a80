"""Facebook Messenger: the real Rasa server (channel bot.channels.messenger.MessengerInput) gets
the page webhook's JSON signed with X-Hub-Signature-256; what it sends goes to the local
stand-in Graph API (Send API)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

import pytest

from actions.answer import render_answer
from bot.channels.text import MESSENGER_LIMIT
from bot.knowledge import KnowledgeBase

pytest_plugins = ["tests.support.platform_stub"]
pytestmark = pytest.mark.e2e

KB = KnowledgeBase.load()
CHANNEL = "facebook"
MESSENGER_CLASS = "bot.channels.messenger.MessengerInput"
PAGE_ID = "1234567890"


def section_text(doc_id: str, topic: str) -> str:
    return KB.document(doc_id).section(topic).text()


def new_user() -> str:
    return str(uuid.uuid4().int)[:16]


def event(psid: str, message: dict) -> dict:
    now = int(time.time() * 1000)
    return {"sender": {"id": psid}, "recipient": {"id": PAGE_ID}, "timestamp": now,
            "message": {"mid": f"m_{uuid.uuid4().hex}", **message}}


def page_entry(*events: dict) -> dict:
    """The webhook body for messaging events on the page."""
    return {"object": "page", "entry": [
        {"id": PAGE_ID, "time": int(time.time() * 1000), "messaging": list(events)}
    ]}


def post(bot, body: dict, signature: str | None, header: str = "X-Hub-Signature-256"
         ) -> tuple[int, bytes]:
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers[header] = signature if signature else bot.hub_signature(raw)
    return bot.post(CHANNEL, raw, headers)


def send(bot, psid: str, body: dict) -> list[dict]:
    before = len(bot.stub.messenger_messages(psid))
    status, answer = post(bot, body, "")
    assert status == 200, answer
    return bot.stub.wait(lambda: bot.stub.messenger_messages(psid)[before:], timeout=30)


def say(bot, psid: str, text: str) -> list[dict]:
    return send(bot, psid, page_entry(event(psid, {"text": text})))


def test_question_gets_the_section_through_the_send_api(channel_bot):
    psid = new_user()
    [reply] = say(channel_bot, psid, "does a bone marrow biopsy hurt?")
    assert reply["text"].startswith(section_text("bone-marrow-biopsy", "sensation"))
    assert reply["text"].endswith("https://medlineplus.gov/ency/article/003934.htm "
                                  "(reviewed 6/17/2024)")
    calls = channel_bot.stub.messenger_calls(psid)
    assert [c.json.get("sender_action") for c in calls][:2] == ["mark_seen", "typing_on"]
    send_call = calls[-1]
    assert send_call.path == "/messenger/v21.0/me/messages"
    assert send_call.json["messaging_type"] == "RESPONSE"
    token = channel_bot.env["MESSENGER_PAGE_ACCESS_TOKEN"]
    assert send_call.query["access_token"] == [token]
    proof = hmac.new(channel_bot.env["MESSENGER_APP_SECRET"].encode(), token.encode(),
                     hashlib.sha256).hexdigest()
    assert send_call.query["appsecret_proof"] == [proof]


def test_buttons_are_quick_replies_with_short_titles_and_a_tap_continues(channel_bot):
    psid = new_user()
    [ask] = say(channel_bot, psid, "will it hurt?")
    assert ask["text"].startswith("Which test is your question about?")
    assert [(q["title"], q["content_type"]) for q in ask["quick_replies"]] == [
        ("Aspiration", "text"), ("Biopsy", "text")]
    payload = ask["quick_replies"][0]["payload"]
    assert payload == '/inform_procedure{"procedure": "aspiration"}'
    tap = page_entry(event(psid, {"text": "Aspiration", "quick_reply": {"payload": payload}}))
    [answer] = send(channel_bot, psid, tap)
    assert answer["text"].startswith(section_text("bone-marrow-aspiration", "sensation"))


def test_long_answer_arrives_in_several_messages_within_the_limit(channel_bot):
    psid = new_user()
    parts = say(channel_bot, psid,
                "what do abnormal results of a bone marrow aspiration and a biopsy mean?")
    expected = render_answer([
        (KB.document(d), KB.document(d).section("abnormal_results"))
        for d in ("bone-marrow-aspiration", "bone-marrow-biopsy")
    ])
    texts = [p["text"] for p in parts]
    assert len(expected) > MESSENGER_LIMIT
    assert len(texts) >= 2 and all(len(t) <= MESSENGER_LIMIT for t in texts)
    assert " ".join(texts).split() == expected.split()
    lines = set(expected.splitlines())
    bullets = [line for t in texts for line in t.splitlines() if line.startswith("• ")]
    assert len(bullets) >= 20 and all(line in lines for line in bullets)


@pytest.mark.parametrize("case", ["missing", "wrong secret", "sha1 only", "tampered"])
def test_unsigned_or_wrongly_signed_requests_are_rejected_and_never_answered(channel_bot, case):
    bot, psid = channel_bot, new_user()
    body = page_entry(event(psid, {"text": "does a bone marrow biopsy hurt?"}))
    raw = json.dumps(body).encode()
    secret = bot.env["MESSENGER_APP_SECRET"]
    if case == "missing":
        status, _ = post(bot, body, None)
    elif case == "wrong secret":
        status, _ = post(bot, body, bot.hub_signature(raw, secret="not-the-app-secret"))
    elif case == "sha1 only":  # the legacy header alone is not enough
        sha1 = "sha1=" + hmac.new(secret.encode(), raw, hashlib.sha1).hexdigest()
        status, _ = post(bot, body, sha1, header="X-Hub-Signature")
    else:
        status, _ = post(bot, body, bot.hub_signature(raw.replace(b"hurt", b"harm")))
    assert status == 403
    assert bot.stub.wait(lambda: bot.stub.messenger_calls(psid), timeout=2) in (None, [])


def test_subscription_handshake_needs_the_verify_token(channel_bot):
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444",
             "hub.verify_token": channel_bot.env["MESSENGER_VERIFY_TOKEN"]}
    assert channel_bot.get(CHANNEL, query) == (200, b"1158201444")
    status, body = channel_bot.get(CHANNEL, {**query, "hub.verify_token": "guess"})
    assert status == 403 and b"1158201444" not in body


def test_echoes_deliveries_and_reads_are_not_answered(channel_bot):
    psid = new_user()
    echo = {"sender": {"id": PAGE_ID}, "recipient": {"id": psid},
            "timestamp": int(time.time() * 1000),
            "message": {"is_echo": True, "app_id": 1517776481860111, "mid": "m_echo",
                        "text": "does a bone marrow biopsy hurt?"}}
    delivery = {"sender": {"id": psid}, "recipient": {"id": PAGE_ID},
                "delivery": {"mids": ["m_1"], "watermark": 1458668856253}}
    read = {"sender": {"id": psid}, "recipient": {"id": PAGE_ID},
            "read": {"watermark": 1458668856253}}
    status, _ = post(channel_bot, page_entry(echo, delivery, read), "")
    assert status == 200
    assert channel_bot.stub.wait(lambda: channel_bot.stub.messenger_calls(psid),
                                 timeout=2) in (None, [])


def test_every_event_of_a_batch_is_answered_once(channel_bot):
    first, second = new_user(), new_user()
    batch = page_entry(event(first, {"text": "is there a risk of bleeding after a biopsy?"}),
                       event(second, {"text": "how do i prepare for a bone marrow biopsy?"}))
    status, _ = post(channel_bot, batch, "")
    assert status == 200
    [risks] = channel_bot.stub.wait(lambda: channel_bot.stub.messenger_messages(first))
    assert risks["text"].startswith(section_text("bone-marrow-biopsy", "risks"))
    [prep] = channel_bot.stub.wait(lambda: channel_bot.stub.messenger_messages(second))
    assert prep["text"].startswith(section_text("bone-marrow-biopsy", "preparation"))
    post(channel_bot, batch, "")  # redelivered
    assert len(channel_bot.stub.messenger_messages(first)) == 1
    assert len(channel_bot.stub.messenger_messages(second)) == 1


def test_messenger_channel_is_on_only_when_its_variables_are_set(render_channels, channel_env):
    names = ("MESSENGER_VERIFY_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_PAGE_ACCESS_TOKEN")
    variables = {k: channel_env[k] for k in names}
    assert MESSENGER_CLASS not in render_channels(
        **{k: v for k, v in variables.items() if k != "MESSENGER_APP_SECRET"})
    assert render_channels(**variables)[MESSENGER_CLASS] == {
        "verify": variables["MESSENGER_VERIFY_TOKEN"],
        "secret": variables["MESSENGER_APP_SECRET"],
        "page-access-token": variables["MESSENGER_PAGE_ACCESS_TOKEN"],
    }


def test_an_attachment_without_text_gets_asked_for_text(channel_bot):
    from bot.replies import render

    psid = new_user()
    image = {"attachments": [{"type": "image", "payload": {"url": "https://scontent.xx/1.jpg"}}]}
    [reply] = send(channel_bot, psid, page_entry(event(psid, image)))
    assert reply["text"] == render("empty_message")
