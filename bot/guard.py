"""What every channel does with an incoming message before and after Rasa handles it.

- cleans the text (control characters, zero-width and bidi marks removed, Unicode normalised);
- answers empty and over-long messages politely without running the model on them (an
  over-long message is still read by the red-flag rules, and a red flag gets the emergency
  reply first);
- stores answer feedback (/feedback{...} from the widget's buttons) without running the model
  (bot/feedback.py);
- redacts phone numbers, e-mail addresses and dates (of birth) before anything is stored;
- bounds the time to a reply, and guarantees one: when the action server is down or slow, or
  anything else fails, the patient gets a short apology with the clinic's phone number.

Channels use it by wrapping the ``on_new_message`` callback Rasa gives their blueprint:
``super().blueprint(guarded(on_new_message))``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.feedback import TEXT_CHANNELS as FEEDBACK_THANKS_CHANNELS
from bot.feedback import is_feedback
from bot.feedback import record as record_feedback
from bot.profile import current_profile
from bot.redflags import RedFlag, detect, emergency_reply
from bot.replies import render
from bot.settings import max_message_chars, reply_timeout

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


# --- cleaning ----------------------------------------------------------------------------------

_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]"
)


def clean_text(text: Any) -> str:
    """Printable text: NFC, no control characters (newlines and tabs become spaces), no
    zero-width or bidi formatting marks, whitespace collapsed."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cs", "Co", "Cn"))
    return " ".join(text.split())


# --- redaction ---------------------------------------------------------------------------------

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"  # 12/03/1980, 3.4.80
    r"|\b\d{4}-\d{1,2}-\d{1,2}\b"  # 1980-03-12
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}}\b"  # 3rd March 1980
    rf"|\b{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",  # March 3, 1980
    re.IGNORECASE,
)
# 7+ digits, optionally with +, spaces, dots, dashes or brackets between them
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d(?:[\s().-]{0,2}\d){6,14}(?![\w.])")


def redact(text: str) -> str:
    """Personal details replaced by placeholders: [email], [date], [phone]."""
    text = _EMAIL.sub("[email]", text)
    text = _DATE.sub("[date]", text)
    return _PHONE.sub("[phone]", text)


# --- a reply, always ---------------------------------------------------------------------------


class CountingOutputChannel:
    """Stands in for a channel's output channel: passes everything through and counts what was
    sent (any ``send_*`` call), so the guard knows whether the patient got a reply."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def __getattr__(self, item: str) -> Any:
        attribute = getattr(self.inner, item)
        if not (item.startswith("send_") and callable(attribute)):
            return attribute

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.sent += 1
            return await attribute(*args, **kwargs)

        return counted


# An over-long message is still read for red flags, up to this many characters.
MAX_RED_FLAG_CHARS = 5000


async def _red_flag(text: str) -> RedFlag | None:
    """The red flag in ``text`` (in a worker thread: spaCy on a few thousand characters)."""
    try:
        return await asyncio.get_running_loop().run_in_executor(None, detect, text)
    except Exception:  # noqa: BLE001 - the too-long reply still goes out
        logger.exception("red-flag check of an over-long message failed")
        return None


async def _say(message: UserMessage, reply: str) -> None:
    await message.output_channel.send_response(message.sender_id, {"text": reply})


def guarded(on_new_message: Handler) -> Handler:
    """``on_new_message`` with cleaning, limits, redaction and a guaranteed, timely reply."""

    async def handle(message: UserMessage) -> None:
        text = clean_text(message.text)
        if not text:
            await _say(message, render("empty_message"))
            return
        if len(text) > max_message_chars():
            # not processed, but never without the emergency advice a long, worried message
            # may need (the red-flag rules only, on the first MAX_RED_FLAG_CHARS characters)
            flag = await _red_flag(text[:MAX_RED_FLAG_CHARS])
            if flag is not None:
                profile = current_profile()
                await _say(message, emergency_reply(
                    flag, emergency_number=profile.emergency_number,
                    crisis_line=profile.crisis_line))
            await _say(message, render("too_long", max_chars=max_message_chars()))
            return
        if is_feedback(text):
            # "Helpful? Yes / No": stored without running the model (bot/feedback.py)
            message.text = text
            try:
                await record_feedback(message)
            except Exception:  # noqa: BLE001 - feedback is never worth an error for the patient
                logger.exception("storing answer feedback failed")
            if message.input_channel in FEEDBACK_THANKS_CHANNELS:
                await _say(message, render("feedback_thanks"))
            return
        # "/intent{...}" payloads come from our own buttons; everything else is patient text
        message.text = text if text.startswith("/") else redact(text)
        counter = CountingOutputChannel(message.output_channel)
        message.output_channel = counter
        task = asyncio.ensure_future(on_new_message(message))
        try:
            # shielded: a slow turn still finishes and is stored after the apology
            await asyncio.wait_for(asyncio.shield(task), reply_timeout())
        except asyncio.TimeoutError:
            logger.warning("no reply within %.0f s; sent the apology", reply_timeout())
        except Exception:  # noqa: BLE001 - whatever failed, the patient gets an answer
            logger.exception("handling a message failed; sent the apology")
        if counter.sent == 0:
            await counter.inner.send_response(message.sender_id, {"text": render("action_failed")})

    return handle
