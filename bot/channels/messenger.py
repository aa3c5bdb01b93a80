"""Facebook Messenger, on top of Rasa's Facebook connector (fbmessenger).

What differs from Rasa 3.6's ``FacebookInput``:

* Inbound requests are verified with ``X-Hub-Signature-256``: ``sha256=`` + the HMAC-SHA256 of
  the raw body with the app secret. A missing or wrong signature gets 403 and never reaches the
  bot (Rasa checked the SHA-1 ``X-Hub-Signature`` and answered a bad one with 200).
* The subscription handshake (GET ``hub.mode=subscribe``, ``hub.verify_token``) answers the
  challenge only for the right verify token, otherwise 403.
* Every messaging event of a batch is handled (Rasa stopped after the first); echoes of the
  page's own messages (``message.is_echo``), deliveries and reads are not answered, nor is a
  redelivered message id. Messages go through the message guard (bot/guard.py): an attachment
  without text gets "I didn't receive any text".
* A reply is split into messages of at most 2,000 characters at paragraph / line / sentence
  boundaries; buttons become quick replies under the last part, their titles shortened to
  Messenger's 20 characters ("Bone marrow biopsy" -> "Biopsy").
* The Send API is called without blocking the server, with ``appsecret_proof``, on Graph API
  ``v$MESSENGER_API_VERSION`` (default below; fbmessenger's own default, v2.12, is long gone).
  ``$MESSENGER_API_BASE`` replaces https://graph.facebook.com (tests: a local stand-in API).

credentials.yml: ``bot.channels.messenger.MessengerInput`` with ``verify`` (the verify token
you choose), ``secret`` (app secret) and ``page-access-token``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from fbmessenger import MessengerClient
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import RecentIds, api_base, webhook_blueprint
from bot.channels.text import MESSENGER_LIMIT, short_titles, split_message
from bot.guard import guarded

logger = logging.getLogger(__name__)

GRAPH_API = "https://graph.facebook.com"
GRAPH_API_VERSION = "21.0"
QUICK_REPLY_TITLE_LIMIT = 20
QUICK_REPLY_MAX = 13


def messenger_client(page_access_token: str, app_secret: str | None) -> MessengerClient:
    version = os.environ.get("MESSENGER_API_VERSION", "").strip().lstrip("v") or GRAPH_API_VERSION
    client = MessengerClient(page_access_token, app_secret=app_secret, api_version=version)
    client.graph_url = f"{api_base('MESSENGER_API_BASE', GRAPH_API)}/v{version}"
    return client


def signature_ok(app_secret: str, body: bytes, header: str) -> bool:
    """``header`` is ``sha256=<hex HMAC-SHA256 of body with app_secret>``."""
    method, _, signature = (header or "").partition("=")
    if method != "sha256" or not signature:
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


class MessengerTextBot(MessengerBot):
    """Sends through the Send API (or $MESSENGER_API_BASE), split to 2,000 characters."""

    @classmethod
    def name(cls) -> str:
        return "facebook"

    async def _post(self, call: Callable[..., Any], *args: Any) -> None:
        try:
            result = await asyncio.to_thread(call, *args)
        except Exception as exc:
            logger.error("messenger: Send API call failed: %r", exc)
            return
        if isinstance(result, dict) and result.get("error"):
            logger.error("messenger: Send API error: %s", result["error"])

    def send(self, recipient_id: str, element: Any) -> None:  # Rasa's synchronous path
        self.messenger_client.send(element.to_dict(), recipient_id, "RESPONSE")

    async def send_message(self, recipient_id: str, message: dict[str, Any]) -> None:
        await self._post(self.messenger_client.send, message, recipient_id, "RESPONSE")

    async def send_action(self, recipient_id: str, sender_action: str) -> None:
        await self._post(self.messenger_client.send_action, sender_action, recipient_id)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in split_message(text, MESSENGER_LIMIT):
            await self.send_message(recipient_id, {"text": part})

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        *first, last = split_message(text, MESSENGER_LIMIT) or [""]
        for part in first:
            await self.send_message(recipient_id, {"text": part})
        buttons = [b for b in buttons if b.get("payload")][:QUICK_REPLY_MAX]
        titles = short_titles([str(b.get("title") or "") for b in buttons],
                              QUICK_REPLY_TITLE_LIMIT)
        await self.send_message(recipient_id, {
            "text": last,
            "quick_replies": [
                {"content_type": "text", "title": title, "payload": b["payload"]}
                for title, b in zip(titles, buttons, strict=True)
            ],
        })

    async def send_quick_replies(self, recipient_id: str, text: str,
                                 quick_replies: list[dict[str, Any]], **kwargs: Any) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)


class MessengerInput(FacebookInput):
    """Facebook Messenger. Webhook: GET and POST /webhooks/facebook/webhook."""

    @classmethod
    def name(cls) -> str:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        keys = ("verify", "secret", "page-access-token")
        if not all(credentials.get(k) for k in keys):
            cls.raise_missing_credentials_exception()
        return cls(*(credentials[k] for k in keys))

    def __init__(self, fb_verify: str, fb_secret: str, fb_access_token: str) -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.recent = RecentIds()

    def get_output_channel(self) -> OutputChannel:
        return MessengerTextBot(messenger_client(self.fb_access_token, self.fb_secret))

    @staticmethod
    def text_of(event: dict[str, Any]) -> str | None:
        """The text (or button payload) of a messaging event a user sent, else None."""
        message = event.get("message")
        if isinstance(message, dict):
            if message.get("is_echo"):
                return None
            quick = (message.get("quick_reply") or {}).get("payload")
            # an attachment without text is "": the message guard asks for text
            return quick or message.get("text") or ""
        postback = event.get("postback")
        if isinstance(postback, dict):
            return postback.get("payload") or postback.get("title") or None
        return None  # delivery, read, reaction, ...

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        on_new_message = guarded(on_new_message)
        webhook = webhook_blueprint(self, __name__)

        @webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(
                token.encode(), self.fb_verify.encode()
            ):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("messenger: subscription request with a wrong verify token")
            return response.text("invalid verify token", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def webhook_post(request: Request) -> HTTPResponse:
            body = request.body or b""
            if not signature_ok(self.fb_secret, body,
                                request.headers.get("X-Hub-Signature-256", "")):
                logger.warning("messenger: request without a valid X-Hub-Signature-256")
                return response.text("invalid signature", status=403)
            try:
                payload = json.loads(body)
            except ValueError:
                return response.text("not JSON", status=400)
            if not isinstance(payload, dict) or payload.get("object") != "page":
                return response.text("EVENT_RECEIVED")
            for entry in payload.get("entry") or []:
                for event in (entry or {}).get("messaging") or []:
                    await self.handle_event(event, on_new_message)
            return response.text("EVENT_RECEIVED")

        return webhook

    async def handle_event(self, event: dict[str, Any],
                           on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        text = self.text_of(event)
        sender = (event.get("sender") or {}).get("id")
        if text is None or not sender:
            return
        if self.recent.seen((event.get("message") or {}).get("mid")):
            return
        out_channel = self.get_output_channel()
        assert isinstance(out_channel, MessengerTextBot)
        await out_channel.send_action(sender, "mark_seen")
        await out_channel.send_action(sender, "typing_on")
        try:
            await on_new_message(
                UserMessage(text, out_channel, sender, input_channel=self.name())
            )
        except Exception:
            logger.exception("messenger: handling a message failed")
