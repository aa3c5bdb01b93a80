"""SMS through Twilio: the real Rasa server (channel bot.channels.twilio.TwilioTextInput) gets
Twilio's signed, form-encoded webhook; what it sends goes to the local stand-in Twilio API."""

from __future__ import annotations

import urllib.request
import uuid
from urllib.parse import urlencode

import pytest

from actions.answer import render_answer
from bot.channels.text import SMS_LIMIT, sms_text
from bot.channels.twilio import TwilioTextInput
from bot.knowledge import KnowledgeBase

pytest_plugins = ["tests.support.platform_stub"]
pytestmark = pytest.mark.e2e

KB = KnowledgeBase.load()
CHANNEL = "twilio"
SMS_CLASS = "bot.channels.twilio.TwilioTextInput"
WHATSAPP_CLASS = "bot.channels.twilio.TwilioWhatsAppInput"


def section_text(doc_id: str, topic: str) -> str:
    return KB.document(doc_id).section(topic).text()


def new_sender() -> str:
    return "+1555" + str(uuid.uuid4().int)[:7]


def sms_payload(bot, sender: str, body: str) -> dict[str, str]:
    """What Twilio POSTs for an incoming SMS (blank fields included: they are signed too)."""
    return {
        "ToCountry": "US", "ToState": "", "SmsMessageSid": f"SM{uuid.uuid4().hex}",
        "NumMedia": "0", "ToCity": "", "FromZip": "", "SmsSid": f"SM{uuid.uuid4().hex}",
        "FromState": "", "SmsStatus": "received", "FromCity": "", "Body": body,
        "FromCountry": "US", "To": bot.env["TWILIO_NUMBER"], "ToZip": "", "NumSegments": "1",
        "MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": bot.env["TWILIO_ACCOUNT_SID"],
        "From": sender, "ApiVersion": "2010-04-01",
    }


def post(bot, params: dict[str, str], signature: str | None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    return bot.post(CHANNEL, urlencode(params).encode(), headers)


def text(bot, sender: str, body: str, payload: dict[str, str] | None = None) -> list[str]:
    """Send an SMS to the bot, signed like Twilio does; the message bodies sent back."""
    params = payload or sms_payload(bot, sender, body)
    before = len(bot.stub.twilio_bodies(sender))
    status, answer = post(bot, params, bot.twilio_signature(bot.public_webhook(CHANNEL), params))
    assert status == 200, answer
    assert answer.startswith(b"<?xml") and b"<Response></Response>" in answer
    return bot.stub.wait(lambda: bot.stub.twilio_bodies(sender)[before:], timeout=30)


def test_sms_question_gets_the_section_and_its_source(channel_bot):
    sender = new_sender()
    [reply] = text(channel_bot, sender, "does a bone marrow biopsy hurt?")
    assert reply.startswith(
        "You will feel a sharp sting when the numbing medicine is injected."
    )
    assert reply.startswith(sms_text(section_text("bone-marrow-biopsy", "sensation")))
    assert reply.endswith(
        "https://medlineplus.gov/ency/article/003934.htm (reviewed 6/17/2024)"
    )
    [sent] = channel_bot.stub.twilio_messages(sender)
    assert sent["From"] == channel_bot.env["TWILIO_NUMBER"]
    [call] = [c for c in channel_bot.stub.calls("twilio") if c.form.get("To") == sender]
    assert call.path == (
        f"/twilio/2010-04-01/Accounts/{channel_bot.env['TWILIO_ACCOUNT_SID']}/Messages.json"
    )
    assert call.headers["authorization"].startswith("Basic ")


def test_buttons_become_numbered_options_and_the_number_chooses(channel_bot):
    sender = new_sender()
    [ask] = text(channel_bot, sender, "will it hurt?")
    assert "1. Bone marrow aspiration\n2. Bone marrow biopsy" in ask
    assert ask.startswith("Which test is your question about?")
    assert ask.endswith("Reply with 1 or 2.")
    [answer] = text(channel_bot, sender, "2")
    assert answer.startswith(sms_text(section_text("bone-marrow-biopsy", "sensation")))


@pytest.mark.parametrize("reply, doc_id", [
    ("aspiration", "bone-marrow-aspiration"),
    ("Bone marrow biopsy", "bone-marrow-biopsy"),
    ("1.", "bone-marrow-aspiration"),
])
def test_the_option_words_choose_too(channel_bot, reply, doc_id):
    sender = new_sender()
    text(channel_bot, sender, "how do i prepare")
    [answer] = text(channel_bot, sender, reply)
    assert answer.startswith(sms_text(section_text(doc_id, "preparation")))


def test_long_answer_arrives_in_several_sms_within_the_limit_never_cut_mid_bullet(channel_bot):
    sender = new_sender()
    parts = text(channel_bot, sender,
                 "what do abnormal results of a bone marrow aspiration and a biopsy mean?")
    expected = sms_text(render_answer([
        (KB.document(d), KB.document(d).section("abnormal_results"))
        for d in ("bone-marrow-aspiration", "bone-marrow-biopsy")
    ]))
    assert len(expected) > SMS_LIMIT
    assert len(parts) >= 2
    assert all(len(part) <= SMS_LIMIT for part in parts)
    assert " ".join(parts).split() == expected.split()  # all of it, in order, no word cut
    lines = set(expected.splitlines())
    bullets = [line for part in parts for line in part.splitlines() if line.startswith("- ")]
    assert len(bullets) >= 20 and all(line in lines for line in bullets)
    assert "•" not in "".join(parts)  # GSM-7 characters only: no UCS-2 SMS


@pytest.mark.parametrize("case", ["missing", "wrong token", "other url", "tampered body"])
def test_unsigned_or_wrongly_signed_requests_are_rejected_and_never_answered(channel_bot, case):
    bot, sender = channel_bot, new_sender()
    params = sms_payload(bot, sender, "does a bone marrow biopsy hurt?")
    public = bot.public_webhook(CHANNEL)
    signature = {
        "missing": None,
        "wrong token": bot.twilio_signature(public, params, token="not-the-auth-token"),
        # signed for the server's local address, not the public URL Twilio calls
        "other url": bot.twilio_signature(bot.webhook(CHANNEL), params),
        "tampered body": bot.twilio_signature(public, {**params, "Body": "hello"}),
    }[case]
    status, _ = post(channel_bot, params, signature)
    assert status == 403
    assert channel_bot.stub.wait(lambda: channel_bot.stub.twilio_bodies(sender),
                                 timeout=2) in (None, [])


def test_a_redelivered_message_is_answered_once(channel_bot):
    bot, sender = channel_bot, new_sender()
    params = sms_payload(bot, sender, "is there a risk of bleeding after a biopsy?")
    assert len(text(bot, sender, "", payload=params)) == 1
    status, _ = post(bot, params, bot.twilio_signature(bot.public_webhook(CHANNEL), params))
    assert status == 200
    assert len(channel_bot.stub.twilio_bodies(sender)) == 1


def test_opt_out_keywords_are_left_to_twilio(channel_bot):
    bot, sender = channel_bot, new_sender()
    params = sms_payload(bot, sender, "STOP")
    status, _ = post(bot, params, bot.twilio_signature(bot.public_webhook(CHANNEL), params))
    assert status == 200
    assert channel_bot.stub.wait(lambda: channel_bot.stub.twilio_bodies(sender),
                                 timeout=2) in (None, [])


def test_signed_urls_without_a_public_url_follow_the_proxy_headers(monkeypatch):
    monkeypatch.delenv("BOT_PUBLIC_URL", raising=False)

    class FakeRequest:
        path, query_string = "/webhooks/twilio/webhook", ""
        url = "http://127.0.0.1:5005/webhooks/twilio/webhook"
        headers = {"x-forwarded-proto": "https", "host": "bot.example.org"}

    assert TwilioTextInput.signed_urls(FakeRequest()) == [
        "http://127.0.0.1:5005/webhooks/twilio/webhook",
        "https://bot.example.org/webhooks/twilio/webhook",
    ]
    monkeypatch.setenv("BOT_PUBLIC_URL", "https://bot.clinic.example.org/")
    assert TwilioTextInput.signed_urls(FakeRequest()) == [
        "https://bot.clinic.example.org/webhooks/twilio/webhook"
    ]


def test_sms_channel_is_on_only_when_its_variables_are_set(render_channels, channel_env):
    sid, token, number = (channel_env[k] for k in
                          ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER"))
    assert SMS_CLASS not in render_channels()
    assert SMS_CLASS not in render_channels(TWILIO_ACCOUNT_SID=sid, TWILIO_AUTH_TOKEN=token)
    channels = render_channels(TWILIO_ACCOUNT_SID=sid, TWILIO_AUTH_TOKEN=token,
                               TWILIO_NUMBER=number)
    assert channels[SMS_CLASS] == {
        "account_sid": sid, "auth_token": token, "twilio_number": number,
    }
    assert WHATSAPP_CLASS not in channels


def test_the_bot_starts_without_the_channels_whose_variables_are_unset(bot_servers, rest):
    """The shared server was started without channel variables: REST works, Twilio is off."""
    credentials = (bot_servers.data_dir / "credentials.yml").read_text()
    if "TwilioTextInput" in credentials:
        pytest.skip("TWILIO_* variables were set when the shared server started")
    assert rest.say(f"sms-off-{uuid.uuid4().hex[:6]}", "hello")
    request = urllib.request.Request(
        f"http://127.0.0.1:{bot_servers.rasa_port}/webhooks/twilio/webhook", b"", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=10)
    assert err.value.code == 404


def test_a_picture_without_text_gets_asked_for_text(channel_bot):
    from bot.replies import render

    bot, sender = channel_bot, new_sender()
    params = {**sms_payload(bot, sender, ""), "NumMedia": "1", "MediaContentType0": "image/jpeg",
              "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME"}
    [reply] = text(bot, sender, "", payload=params)
    assert reply == sms_text(render("empty_message"))
