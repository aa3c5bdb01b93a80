"""Rasa's socket.io channel, restricted to the clinic page's own origin(s).

Rasa 3.6's ``SocketIOInput`` creates its ``AsyncServer`` with ``cors_allowed_origins=[]``, which
in python-engineio 4 means "no origin check at all": any website could open a socket to the bot.
It also calls the coroutine ``AsyncServer.enter_room`` without awaiting it (python-socketio 5),
so with ``session_persistence: true`` the socket never joins its session's room and the bot's
replies go nowhere. This subclass builds the same blueprint, with these fixes:

* only the origins listed in ``cors_allowed_origins`` (credentials.yml: a list or a
  space-separated string) or else the ``WEB_ORIGINS`` environment variable may connect; the
  default is the local clinic page, http://localhost:<WEB_PORT> and http://127.0.0.1:<WEB_PORT>
  (WEB_PORT defaults to 8080). A socket.io handshake with any other ``Origin`` header is
  refused with HTTP 400.
* with ``rasa run --cors`` (CORS_ORIGINS) listing the page's origin too, Sanic-CORS would add a
  second Access-Control-Allow-Origin header to the socket.io responses, which browsers reject;
  engine.io alone answers CORS on the socket.io path.
* ``session_request`` joins the room of the conversation, awaited; a ``session_id`` sent by the
  browser is kept only if it looks like one we issue (8-64 letters, digits, ``-`` or ``_``),
  otherwise a new one is issued.

Register it in credentials.yml as ``bot.channels.socketio.RestrictedSocketIOInput``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic_cors.core import SANIC_CORS_EVALUATED
from socketio import AsyncServer

from bot.guard import guarded

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


def default_origins() -> list[str]:
    """WEB_ORIGINS (space-separated) or the local page on WEB_PORT."""
    configured = os.environ.get("WEB_ORIGINS", "").split()
    if configured:
        return configured
    port = os.environ.get("WEB_PORT", "8080").strip() or "8080"
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


def parse_origins(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split()
    else:
        items = [str(item) for item in value]
    origins = [item.strip().rstrip("/") for item in items if item and item.strip()]
    for origin in origins:
        if origin == "*":
            raise ValueError("cors_allowed_origins: '*' would let any website use the bot")
        if not re.fullmatch(r"https?://[^/\s]+", origin):
            raise ValueError(
                f"cors_allowed_origins: {origin!r} is not an origin like https://clinic.example.org"
            )
    return origins


class RestrictedSocketIOInput(SocketIOInput):
    """socket.io channel that only the clinic page's origin(s) may use."""

    @classmethod
    def name(cls) -> str:
        # keep Rasa's channel name: trackers, metadata and the output channel stay "socketio"
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        channel = super().from_credentials(credentials)
        assert isinstance(channel, RestrictedSocketIOInput)
        origins = parse_origins(credentials.get("cors_allowed_origins")) or parse_origins(
            default_origins()
        )
        channel.cors_allowed_origins = origins
        return channel

    def __init__(self, *args: Any, cors_allowed_origins: list[str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cors_allowed_origins = parse_origins(cors_allowed_origins) or parse_origins(
            default_origins()
        )

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's socket.io blueprint, with the origin check and the awaited room join; every
        message goes through the message guard (bot/guard.py)."""
        on_new_message = guarded(on_new_message)
        # Checked by engine.io on every request (polling and websocket): a request whose Origin
        # header is not listed gets "400 ... is not an accepted origin".
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=list(self.cors_allowed_origins))
        self.sio = sio  # for get_output_channel
        socketio_webhook = _SocketBlueprint(
            sio, self.socketio_path or "/socket.io", "socketio_webhook", __name__
        )
        logger.info("socket.io channel: allowed origins %s", " ".join(self.cors_allowed_origins))

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            wanted = data.get("session_id") if isinstance(data, dict) else None
            if isinstance(wanted, str) and SESSION_ID.fullmatch(wanted):
                session_id = wanted
            else:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: dict) -> None:
            if not isinstance(data, dict):
                return
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not isinstance(sender_id, str) or not SESSION_ID.fullmatch(sender_id):
                    logger.warning("socket.io message without a valid session_id: ignored")
                    return
            else:
                sender_id = sid
            text = data.get("message", "")
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            message = UserMessage(
                text if isinstance(text, str) else "",
                SocketIOOutput(sio, self.bot_message_evt),
                sender_id,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
            await on_new_message(message)

        return socketio_webhook


class _SocketBlueprint(SocketBlueprint):
    """Attaches the socket.io server; engine.io alone answers CORS on its path."""

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        path = "/" + self.ctx.socketio_path.strip("/")

        async def engineio_answers_cors(request: Request) -> None:
            if request.path == path or request.path.startswith(path + "/"):
                # with `rasa run --cors` listing the page's origin as well, Sanic-CORS would add
                # a second Access-Control-Allow-Origin header, which browsers reject
                setattr(request.ctx, SANIC_CORS_EVALUATED, "1")

        app.register_middleware(engineio_answers_cors, "request")
        super().register(app, options)
