"""SMS and WhatsApp through Twilio, on top of Rasa's Twilio connector.

What Rasa 3.6's ``TwilioInput`` lacks, added here:

* Inbound requests are verified: ``X-Twilio-Signature`` must be the HMAC-SHA1 (auth token) of
  the URL Twilio called plus the sorted POST parameters (``twilio.request_validator``). A missing
  or wrong signature gets 403 and never reaches the bot. The URL is ``$BOT_PUBLIC_URL`` + path
  when set, else the URL as this server saw it (``X-Forwarded-Proto``/``-Host`` honoured).
* Text only: buttons become numbered options ("1. Bone marrow aspiration"); the reply "1",
  "aspiration" or "bone marrow aspiration" is translated into the button's payload before it
  reaches Rasa (the options are remembered per sender, in memory, for the next message only).
* A reply is split into messages of at most 1,600 characters (Twilio's ``Body`` limit, for SMS
  and WhatsApp alike) at paragraph / line / sentence boundaries, paragraphs packed together.
  On SMS, typographic characters become GSM-7 ones (``•`` -> ``-``) so a message is not sent
  as UCS-2.
* Messages are sent without blocking the server (the Twilio client is synchronous), a
  redelivered ``MessageSid`` is not answered twice, SMS opt-out keywords (STOP ...) are left to
  Twilio, and the webhook answers with empty TwiML (no reply from Twilio itself).
* Messages go through the message guard (bot/guard.py): a picture without text gets "I didn't
  receive any text", phone numbers and dates in the text are redacted, a reply is guaranteed.
* ``$TWILIO_API_BASE`` replaces https://api.twilio.com (tests: a local stand-in API).

credentials.yml: ``bot.channels.twilio.TwilioTextInput`` (SMS, /webhooks/twilio/webhook) and
``bot.channels.twilio.TwilioWhatsAppInput`` (/webhooks/whatsapp/webhook), each with
``account_sid``, ``auth_token``, ``twilio_number``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioException
from twilio.request_validator import RequestValidator

from bot.channels import RecentIds, api_base, public_url, webhook_blueprint
from bot.channels.text import (
    SMS_LIMIT,
    WHATSAPP_LIMIT,
    OptionMemory,
    render_options,
    sms_text,
    split_message,
)
from bot.guard import guarded

logger = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
# Twilio handles these itself on SMS (opt-out / opt-in); the bot does not answer them.
SMS_KEYWORDS = frozenset(
    "STOP STOPALL UNSUBSCRIBE CANCEL END QUIT REVOKE OPTOUT START UNSTOP".split()
)


class _Params(dict):
    """POST parameters, each a list of values, as ``RequestValidator`` reads them."""

    def getall(self, name: str) -> list[str]:
        return self[name]


def whatsapp_address(number: str) -> str:
    number = number.strip()
    return number if number.startswith("whatsapp:") else f"whatsapp:{number}"


class TwilioTextOutput(TwilioOutput):
    """Sends text through the Twilio Messages API: split to the limit, buttons as numbers."""

    limit = SMS_LIMIT
    sms = True

    @classmethod
    def name(cls) -> str:
        return "twilio"

    def __init__(self, account_sid: str, auth_token: str, twilio_number: str,
                 memory: OptionMemory | None = None) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.memory = memory if memory is not None else OptionMemory()
        self.api_base = api_base("TWILIO_API_BASE", TWILIO_API)

    def get_hostname(self, uri: str) -> str:
        uri = super().get_hostname(uri)
        if self.api_base == TWILIO_API:
            return uri
        parsed = urlparse(uri)
        return self.api_base + parsed.path + (f"?{parsed.query}" if parsed.query else "")

    async def _send_message(self, message_data: dict[str, Any]) -> Any:
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except (TwilioException, OSError) as exc:  # API error, or the API unreachable
            logger.error("twilio: sending to %s failed: %r", message_data.get("to"), exc)
            return None

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        if self.sms:
            text = sms_text(text)
        for part in split_message(text, self.limit):
            await self._send_message(
                {"to": recipient_id, "from_": self.twilio_number, "body": part}
            )

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        self.memory.remember(recipient_id, buttons)
        await self.send_text_message(recipient_id, render_options(text, buttons))


class TwilioWhatsAppOutput(TwilioTextOutput):
    limit = WHATSAPP_LIMIT
    sms = False

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def __init__(self, account_sid: str, auth_token: str, twilio_number: str,
                 memory: OptionMemory | None = None) -> None:
        super().__init__(account_sid, auth_token, whatsapp_address(twilio_number), memory)


class TwilioTextInput(TwilioInput):
    """SMS through Twilio. Webhook: POST /webhooks/twilio/webhook."""

    output_class: type[TwilioTextOutput] = TwilioTextOutput

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        missing = [k for k in ("account_sid", "auth_token", "twilio_number")
                   if not credentials.get(k)]
        if missing:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials["account_sid"], credentials["auth_token"], credentials["twilio_number"]
        )

    def __init__(self, account_sid: str, auth_token: str, twilio_number: str,
                 debug_mode: bool = False) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode=debug_mode)
        self.validator = RequestValidator(auth_token)
        self.memory = OptionMemory()
        self.recent = RecentIds()

    def get_output_channel(self) -> OutputChannel:
        return self.output_class(
            self.account_sid, self.auth_token, self.twilio_number, self.memory
        )

    @staticmethod
    def signed_urls(request: Request) -> list[str]:
        """The URL(s) Twilio may have signed for this request."""
        path = request.path + (f"?{request.query_string}" if request.query_string else "")
        base = public_url()
        if base:
            return [base + path]
        urls = [request.url]
        proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip()
        host = (request.headers.get("x-forwarded-host") or request.headers.get("host") or "")
        host = host.split(",")[0].strip()
        if proto and host:
            urls.append(f"{proto}://{host}{path}")
        return urls

    def is_signed(self, request: Request, params: dict[str, list[str]]) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature:
            return False
        return any(
            self.validator.validate(url, _Params(params), signature)
            for url in self.signed_urls(request)
        )

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        on_new_message = guarded(on_new_message)
        webhook = webhook_blueprint(self, __name__)

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            params = parse_qs(
                (request.body or b"").decode("utf-8", "replace"), keep_blank_values=True
            )
            if not self.is_signed(request, params):
                logger.warning("%s: request without a valid X-Twilio-Signature", self.name())
                return response.text("invalid signature", status=403)
            reply = response.text(EMPTY_TWIML, content_type="text/xml")

            def field(name: str) -> str:
                return (params.get(name) or [""])[0]

            sender, text = field("From"), field("Body")
            if self.recent.seen(field("MessageSid") or field("SmsSid")):
                return reply
            if not sender:
                return reply
            if self.output_class.sms and text.strip().upper() in SMS_KEYWORDS:
                return reply
            text = self.memory.translate(sender, text.replace("¡", "@"))
            try:
                await on_new_message(
                    UserMessage(text, self.get_output_channel(), sender,
                                input_channel=self.name())
                )
            except Exception:
                logger.exception("%s: handling a message failed", self.name())
            return reply

        return webhook


class TwilioWhatsAppInput(TwilioTextInput):
    """WhatsApp through Twilio. Webhook: POST /webhooks/whatsapp/webhook.
    ``twilio_number`` may be given with or without the ``whatsapp:`` prefix."""

    output_class = TwilioWhatsAppOutput

    @classmethod
    def name(cls) -> str:
        return "whatsapp"
