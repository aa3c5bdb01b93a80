"""Telegram, on top of Rasa's Telegram connector (aiogram 2).

What differs from Rasa 3.6's ``TelegramInput``:

* Inbound updates are verified with the secret token Telegram sends in the
  ``X-Telegram-Bot-Api-Secret-Token`` header (set with setWebhook's ``secret_token``). A missing
  or wrong token gets 403 and never reaches the bot. (Rasa instead calls getMe on every update
  and compares the bot's user name, which proves nothing about the sender.)
* setWebhook is called when the server has started, if ``$BOT_PUBLIC_URL`` is set, with
  ``$BOT_PUBLIC_URL/webhooks/telegram/webhook`` and the secret token; without
  ``BOT_PUBLIC_URL`` it is left to the operator (docs/channels.md). Rasa called it with no URL
  while starting, and its unauthenticated ``/set_webhook`` route is gone.
* A reply is split into messages of at most 4,096 characters at paragraph / line / sentence
  boundaries; buttons are an inline keyboard, one button per row, under the last part; a tap is
  acknowledged (answerCallbackQuery) so the button stops spinning.
* ``/start`` (the first message of every Telegram chat) means hello, ``/help`` what can you do;
  a redelivered ``update_id`` is not answered twice; errors are logged, not raised (Telegram
  would redeliver the update forever). Messages go through the message guard (bot/guard.py):
  a photo or sticker in a private chat gets "I didn't receive any text".
* ``$TELEGRAM_API_BASE`` replaces https://api.telegram.org (tests: a local stand-in API).

credentials.yml: ``bot.channels.telegram.TelegramSecretInput`` with ``access_token`` (from
@BotFather) and ``secret_token`` (1-256 characters A-Z a-z 0-9 _ -).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import RecentIds, api_base, public_url
from bot.channels.text import TELEGRAM_LIMIT, split_message
from bot.guard import guarded

logger = logging.getLogger(__name__)

TELEGRAM_API = "https://api.telegram.org"
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
COMMANDS = {"start": "/greet", "help": "/ask_capabilities"}
_COMMAND = re.compile(r"/(\w+)(?:@\w+)?(?:\s.*)?", re.DOTALL)


def telegram_server() -> TelegramAPIServer:
    return TelegramAPIServer.from_base(api_base("TELEGRAM_API_BASE", TELEGRAM_API))


class TelegramTextOutput(TelegramOutput):
    """Sends through the Bot API (or $TELEGRAM_API_BASE), split to 4,096 characters."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, access_token: str) -> None:
        Bot.__init__(self, access_token, server=telegram_server())

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in split_message(text, TELEGRAM_LIMIT):
            await self.send_message(recipient_id, part)

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]],
                                     button_type: str | None = "vertical",
                                     **kwargs: Any) -> None:
        *first, last = split_message(text, TELEGRAM_LIMIT) or [""]
        for part in first:
            await self.send_message(recipient_id, part)
        await super().send_text_with_buttons(recipient_id, last, buttons,
                                             button_type=button_type, **kwargs)


class TelegramSecretInput(TelegramInput):
    """Telegram. Webhook: POST /webhooks/telegram/webhook."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        if not credentials.get("access_token") or not credentials.get("secret_token"):
            cls.raise_missing_credentials_exception()
        return cls(credentials["access_token"], credentials["secret_token"])

    def __init__(self, access_token: str, secret_token: str) -> None:
        if not SECRET_TOKEN.fullmatch(secret_token or ""):
            raise RasaException(
                "telegram: secret_token (TELEGRAM_SECRET_TOKEN) must be 1-256 characters "
                "A-Z a-z 0-9 _ -"
            )
        super().__init__(access_token, verify=None, webhook_url=None, debug_mode=False)
        self.secret_token = secret_token
        self.recent = RecentIds()

    def get_output_channel(self) -> TelegramTextOutput:
        return TelegramTextOutput(self.access_token)

    def webhook_address(self) -> str | None:
        base = public_url()
        return f"{base}/webhooks/{self.url_prefix()}/webhook" if base else None

    async def set_webhook(self) -> bool:
        """Register the webhook URL and the secret token with Telegram."""
        url = self.webhook_address()
        if not url:
            return False
        bot = Bot(self.access_token, server=telegram_server())
        try:
            await asyncio.wait_for(bot.request("setWebhook", {
                "url": url,
                "secret_token": self.secret_token,
                "allowed_updates": json.dumps(["message", "edited_message", "callback_query"]),
            }), timeout=30)
            logger.info("telegram: webhook set to %s", url)
            return True
        except Exception as exc:  # the bot still starts; the operator sees the error
            logger.error("telegram: setWebhook(%s) failed: %r", url, exc)
            return False
        finally:
            await bot.session.close()

    @staticmethod
    def text_of(text: str) -> str:
        command = _COMMAND.fullmatch(text.strip())
        if command and command[1].lower() in COMMANDS:
            return COMMANDS[command[1].lower()]
        return text

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        on_new_message = guarded(on_new_message)
        webhook = Blueprint(f"{self.name()}_webhook", __name__)
        out_channel = self.get_output_channel()

        @webhook.listener("after_server_start")
        async def register(app: Any, _loop: Any) -> None:
            if public_url():
                app.add_task(self.set_webhook())

        @webhook.listener("before_server_stop")
        async def close(_app: Any, _loop: Any) -> None:
            await out_channel.session.close()

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not hmac.compare_digest(secret.encode(), self.secret_token.encode()):
                logger.warning("telegram: update without the right secret token")
                return response.text("invalid secret token", status=403)
            try:
                update = json.loads(request.body or b"")
            except ValueError:
                update = None
            if not isinstance(update, dict):
                return response.text("not an update", status=400)
            if self.recent.seen(update.get("update_id")):
                return response.text("success")

            callback = update.get("callback_query")
            if isinstance(callback, dict):
                chat = ((callback.get("message") or {}).get("chat") or {}).get("id")
                text = callback.get("data")
                try:
                    await out_channel.answer_callback_query(callback.get("id"))
                except Exception as exc:
                    logger.warning("telegram: answerCallbackQuery failed: %r", exc)
            elif isinstance(update.get("message"), dict):
                msg = update["message"]
                chat = (msg.get("chat") or {}).get("id")
                text = msg.get("text")
                if not isinstance(text, str) and (msg.get("chat") or {}).get("type") == "private":
                    text = ""  # a photo, sticker, voice note...: the guard asks for text
            else:
                msg = update.get("edited_message") or {}
                chat = (msg.get("chat") or {}).get("id")
                text = msg.get("text")
            if chat is None or not isinstance(text, str):
                return response.text("success")  # group service messages, polls...: no answer
            try:
                await on_new_message(
                    UserMessage(self.text_of(text), out_channel, str(chat),
                                input_channel=self.name())
                )
            except Exception:
                logger.exception("telegram: handling an update failed")
            return response.text("success")

        return webhook
