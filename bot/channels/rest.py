"""The REST channel (POST /webhooks/rest/webhook) with input checks and the message guard.

Body: {"sender": "<conversation id>", "message": "<text>", "metadata": {...}?}. A body that is not
a JSON object, or a missing/invalid sender or a non-text message, gets 400 with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage as BadRequest
from sanic.request import Request

from bot.guard import guarded

SENDER = re.compile(r"^[\w.:@+-]{1,128}$")


def _body(request: Request) -> dict[str, Any]:
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - sanic raises its own for malformed JSON
        body = None
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object: {\"sender\": ..., \"message\": ...}")
    return body


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> str:
        sender = _body(req).get("sender")
        if not isinstance(sender, str) or not SENDER.match(sender):
            raise BadRequest(
                "'sender' must be a conversation id: 1-128 letters, digits or . _ : @ + -"
            )
        return sender

    def _extract_message(self, req: Request) -> str:
        message = _body(req).get("message", "")
        if not isinstance(message, str):
            raise BadRequest("'message' must be text")
        return message

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = _body(request).get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        return super().blueprint(guarded(on_new_message))
