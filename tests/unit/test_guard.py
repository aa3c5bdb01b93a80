"""bot/guard.py: cleaning, redaction, limits and the guaranteed reply, on real Rasa objects."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.guard import clean_text, guarded, redact
from bot.replies import render


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  does it\u200b hurt?\u200f ", "does it hurt?"),
        ("line one\nline two\r\n\tend", "line one line two end"),
        ("bell\x07 and nul\x00 chars", "bell and nul chars"),
        ("\u202eevil rtl override", "evil rtl override"),
        ("مرحبا هل يؤلم", "مرحبا هل يؤلم"),  # RTL text itself is kept
        ("will it hurt 😟🙏", "will it hurt 😟🙏"),
        ("cafe\u0301", "café"),
        (None, ""),
        (["not", "text"], ""),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me on 07700 900123 please", "call me on [phone] please"),
        ("my number is +1 (555) 010-4477", "my number is [phone]"),
        ("email jane.doe+bm@example.co.uk about it", "email [email] about it"),
        ("my DOB is 12/03/1980", "my DOB is [date]"),
        ("born 1980-03-12", "born [date]"),
        ("born on 3rd March 1980", "born on [date]"),
        ("born March 3, 1980", "born [date]"),
        ("fever of 38.5 since yesterday", "fever of 38.5 since yesterday"),
        ("temp 102 after my biopsy on day 2", "temp 102 after my biopsy on day 2"),
        ("it took 20 minutes and 3 needles", "it took 20 minutes and 3 needles"),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


def run(handler, text):
    """Runs the guarded handler in its own thread and event loop (other tests, e.g. Playwright's
    sync API, may hold this thread's loop)."""
    channel = CollectingOutputChannel()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, guarded(handler)(UserMessage(text, channel, "patient-1"))).result()
    return channel.messages


def test_message_reaches_rasa_redacted_and_cleaned():
    seen = []

    async def rasa(message):
        seen.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    assert [m["text"] for m in run(rasa, "my\u200b number is 07700 900123")] == ["ok"]
    assert seen == ["my number is [phone]"]


def test_button_payloads_are_not_redacted():
    seen = []

    async def rasa(message):
        seen.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    run(rasa, '/inform_procedure{"procedure": "biopsy"}')
    assert seen == ['/inform_procedure{"procedure": "biopsy"}']


def test_empty_and_too_long_messages_are_answered_without_the_model(monkeypatch):
    async def rasa(message):
        raise AssertionError("must not be called")

    assert [m["text"] for m in run(rasa, " \u200b ")] == [render("empty_message")]
    monkeypatch.setenv("BOT_MAX_MESSAGE_CHARS", "50")
    assert [m["text"] for m in run(rasa, "x" * 51)] == [render("too_long", max_chars=50)]


def test_an_over_long_message_with_a_red_flag_gets_the_emergency_reply_first(monkeypatch):
    from bot.profile import current_profile
    from bot.redflags import detect, emergency_reply

    async def rasa(message):
        raise AssertionError("must not be called")

    monkeypatch.setenv("BOT_MAX_MESSAGE_CHARS", "200")
    worried = ("Sorry for the long message, I had my bone marrow biopsy this morning and I have "
               "been worrying all day about everything the doctor said. " * 2
               + "Now the dressing is soaked through with blood and it won't stop. " * 2)
    profile = current_profile()
    expected = emergency_reply(detect(worried), emergency_number=profile.emergency_number,
                               crisis_line=profile.crisis_line)
    assert [m["text"] for m in run(rasa, worried)] == [
        expected, render("too_long", max_chars=200)]
    calm = "I have a lot of questions about the biopsy and the results. " * 5
    assert [m["text"] for m in run(rasa, calm)] == [render("too_long", max_chars=200)]


def test_failure_or_silence_gets_the_apology_with_the_clinic_phone():
    async def broken(message):
        raise RuntimeError("action server down")

    async def silent(message):
        return None

    for handler in (broken, silent):
        assert [m["text"] for m in run(handler, "does it hurt")] == [render("action_failed")]


def test_slow_turn_gets_the_apology_in_bounded_time(monkeypatch):
    monkeypatch.setenv("BOT_REPLY_TIMEOUT", "0.2")

    async def slow(message):
        await asyncio.sleep(5)

    started = time.monotonic()
    messages = run(slow, "does it hurt")
    assert [m["text"] for m in messages] == [render("action_failed")]
    assert time.monotonic() - started < 3
