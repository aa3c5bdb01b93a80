"""Rasa input channels of our own (registered in credentials.yml by their module path).

Messaging platforms (docs/channels.md): ``twilio`` (SMS and WhatsApp), ``telegram``,
``messenger``, ``slack``; shared text rendering in ``text``. Helpers shared by them below.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse


def webhook_blueprint(channel: InputChannel, module: str) -> Blueprint:
    """A channel's blueprint, with the health route every Rasa channel answers (GET /)."""
    webhook = Blueprint(f"{channel.name()}_webhook", module)

    @webhook.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    return webhook


def api_base(variable: str, default: str) -> str:
    """The platform's API base URL: ``$variable`` when set (tests point it at a local stand-in
    API), else the real one. No trailing slash."""
    return (os.environ.get(variable, "").strip() or default).rstrip("/")


def public_url() -> str | None:
    """BOT_PUBLIC_URL, the address the platforms reach this server at (e.g.
    https://bot.clinic.example.org), without a trailing slash; None when unset."""
    value = os.environ.get("BOT_PUBLIC_URL", "").strip().rstrip("/")
    return value or None


class RecentIds:
    """The last ``size`` ids seen (message / event / update ids), to drop a platform's
    redelivery of something already answered."""

    def __init__(self, size: int = 5000) -> None:
        self.size = size
        self._seen: OrderedDict[Any, None] = OrderedDict()

    def seen(self, key: Any) -> bool:
        """True if ``key`` was seen before; remembers it otherwise. Empty keys are never seen."""
        if key in (None, ""):
            return False
        if key in self._seen:
            self._seen.move_to_end(key)
            return True
        self._seen[key] = None
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return False


# credentials.yml class -> what `make run` can print about it
MESSAGING_CHANNELS = {
    "bot.channels.twilio.TwilioTextInput": ("SMS (Twilio)", "twilio"),
    "bot.channels.twilio.TwilioWhatsAppInput": ("WhatsApp (Twilio)", "whatsapp"),
    "bot.channels.telegram.TelegramSecretInput": ("Telegram", "telegram"),
    "bot.channels.messenger.MessengerInput": ("Messenger", "facebook"),
    "bot.channels.slack.SlackSignedInput": ("Slack", "slack"),
}


def messaging_summary(credentials: dict[str, Any]) -> list[str]:
    """One line per messaging channel: on (with its webhook URL) or off. ``credentials`` is the
    rendered credentials.yml (``yaml.safe_load`` of ``bot.serve.render_credentials(...)``)."""
    base = public_url() or "https://<your-host>"
    return [
        f"{label}: on, webhook {base}/webhooks/{path}/webhook" if key in credentials
        else f"{label}: off (variables not set, see docs/channels.md)"
        for key, (label, path) in MESSAGING_CHANNELS.items()
    ]
