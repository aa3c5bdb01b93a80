"""WhatsApp through Twilio: the real Rasa server (channel bot.channels.twilio.TwilioWhatsAppInput)
gets Twilio's signed webhook for a WhatsApp message; what it sends goes to the local stand-in
Twilio API."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import pytest

from actions.answer import render_answer
from bot.channels.text import WHATSAPP_LIMIT
from bot.knowledge import KnowledgeBase

pytest_plugins = ["tests.support.platform_stub"]
pytestmark = pytest.mark.e2e

KB = KnowledgeBase.load()
CHANNEL = "whatsapp"
WHATSAPP_CLASS = "bot.channels.twilio.TwilioWhatsAppInput"


def section_text(doc_id: str, topic: str) -> str:
    return KB.document(doc_id).section(topic).text()


def new_sender() -> str:
    return "whatsapp:+4477" + str(uuid.uuid4().int)[:8]


def whatsapp_payload(bot, sender: str, body: str) -> dict[str, str]:
    """What Twilio POSTs for an incoming WhatsApp message."""
    sid = f"SM{uuid.uuid4().hex}"
    return {
        "SmsMessageSid": sid, "NumMedia": "0", "ProfileName": "Pat", "MessageType": "text",
        "SmsSid": sid, "WaId": sender.removeprefix("whatsapp:+"), "SmsStatus": "received",
        "Body": body, "To": f"whatsapp:{bot.env['TWILIO_WHATSAPP_NUMBER']}",
        "NumSegments": "1", "ReferralNumMedia": "0", "MessageSid": sid,
        "AccountSid": bot.env["TWILIO_ACCOUNT_SID"], "From": sender, "ApiVersion": "2010-04-01",
    }


def post(bot, params: dict[str, str], signature: str | None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    return bot.post(CHANNEL, urlencode(params).encode(), headers)


def message(bot, sender: str, body: str) -> list[str]:
    params = whatsapp_payload(bot, sender, body)
    before = len(bot.stub.twilio_bodies(sender))
    status, answer = post(bot, params, bot.twilio_signature(bot.public_webhook(CHANNEL), params))
    assert status == 200, answer
    return bot.stub.wait(lambda: bot.stub.twilio_bodies(sender)[before:], timeout=30)


def test_whatsapp_question_is_answered_from_the_whatsapp_number(channel_bot):
    sender = new_sender()
    [reply] = message(channel_bot, sender, "does a bone marrow biopsy hurt?")
    assert reply.startswith(section_text("bone-marrow-biopsy", "sensation"))
    assert reply.endswith("https://medlineplus.gov/ency/article/003934.htm (reviewed 6/17/2024)")
    [sent] = channel_bot.stub.twilio_messages(sender)
    assert sent["From"] == f"whatsapp:{channel_bot.env['TWILIO_WHATSAPP_NUMBER']}"


def test_buttons_become_numbered_options_and_the_number_chooses(channel_bot):
    sender = new_sender()
    [ask] = message(channel_bot, sender, "will it hurt?")
    assert "1. Bone marrow aspiration\n2. Bone marrow biopsy" in ask
    [answer] = message(channel_bot, sender, "2")
    assert answer.startswith(section_text("bone-marrow-biopsy", "sensation"))
    other = new_sender()  # (the first one's procedure is remembered now)
    [ask] = message(channel_bot, other, "how do i prepare")
    assert "2. Bone marrow biopsy" in ask
    [answer] = message(channel_bot, other, "the aspiration")
    assert answer.startswith(section_text("bone-marrow-aspiration", "preparation"))


def test_long_answer_arrives_in_several_messages_within_the_limit(channel_bot):
    sender = new_sender()
    parts = message(channel_bot, sender,
                    "what do abnormal results of a bone marrow aspiration and a biopsy mean?")
    expected = render_answer([
        (KB.document(d), KB.document(d).section("abnormal_results"))
        for d in ("bone-marrow-aspiration", "bone-marrow-biopsy")
    ])
    assert len(parts) >= 2 and all(len(p) <= WHATSAPP_LIMIT for p in parts)
    assert " ".join(parts).split() == expected.split()
    lines = set(expected.splitlines())
    bullets = [line for p in parts for line in p.splitlines() if line.startswith("• ")]
    assert len(bullets) >= 20 and all(line in lines for line in bullets)


@pytest.mark.parametrize("case", ["missing", "wrong token", "signed for the sms webhook"])
def test_unsigned_or_wrongly_signed_requests_are_rejected_and_never_answered(channel_bot, case):
    bot, sender = channel_bot, new_sender()
    params = whatsapp_payload(bot, sender, "does a bone marrow biopsy hurt?")
    signature = {
        "missing": None,
        "wrong token": bot.twilio_signature(bot.public_webhook(CHANNEL), params, token="nope"),
        "signed for the sms webhook": bot.twilio_signature(bot.public_webhook("twilio"), params),
    }[case]
    status, _ = post(bot, params, signature)
    assert status == 403
    assert bot.stub.wait(lambda: bot.stub.twilio_bodies(sender), timeout=2) in (None, [])


def test_whatsapp_channel_is_on_only_when_its_variables_are_set(render_channels, channel_env):
    twilio = {k: channel_env[k] for k in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN")}
    assert WHATSAPP_CLASS not in render_channels(**twilio)
    channels = render_channels(**twilio, TWILIO_WHATSAPP_NUMBER="+15550002000")
    assert channels[WHATSAPP_CLASS]["twilio_number"] == "+15550002000"
    assert "bot.channels.twilio.TwilioTextInput" not in channels  # SMS needs TWILIO_NUMBER
