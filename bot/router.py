"""The router: the Rasa port that patients and channels reach, in front of one Rasa process per
core, each conversation pinned to one process.

Why: one Rasa process uses one core (its NLU and policies run in one Python thread), so on a
2-core machine a second process nearly doubles what the bot can answer; and while one process
restarts after a crash, the other keeps answering.

* **Pinning.** A conversation's messages all go to one process, so its turns are handled in
  order by one process (Rasa's lock store is per process): REST and messaging webhooks by sender
  id (:func:`conversation_key`), socket.io by session (the ``sid`` the process gave at the
  handshake; a websocket stays on its process for its lifetime). A conversation the router has
  not seen goes to the process with the fewest messages in flight (ties: a hash of its id), and
  the router remembers it (the last ``MAX_CONVERSATIONS``): under load a new patient does not
  queue behind a busy process while the other is idle. After a router restart a conversation
  may land on the other process; its tracker is in the shared store, which that process reads.
* **Failover.** A process that refuses the connection (stopped, or starting again) is skipped for
  a short while and the message goes to the next one: the conversation continues there, because
  the trackers are in the shared tracker store (SQLite by default, PostgreSQL in production). A
  process that dies while handling a message is retried on the next one as well; Rasa saves the
  tracker only after the reply, so the message is not stored twice.
* Anything else (health checks, the management API when enabled) goes to the first process that
  answers.

Started by `make run` (bot/serve.py) when there is more than one Rasa process; with one, Rasa
listens on the public port itself. ``python -m bot.router --port P --backend URL ...``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import time
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs

from aiohttp import (
    ClientError,
    ClientSession,
    ClientTimeout,
    WSMsgType,
    WSServerHandshakeError,
    web,
)

logger = logging.getLogger("bot.router")

# A process that refused a connection is tried last for this long.
DOWN_FOR = 2.0
# socket.io sessions remembered (oldest forgotten first).
MAX_SESSIONS = 50_000
MAX_CONVERSATIONS = 100_000
# Rasa answers a message within seconds; a stuck process must not hold a patient for ever.
BACKEND_TIMEOUT = ClientTimeout(total=120, connect=2)

# Headers that belong to one connection, never forwarded (RFC 9110 7.6.1), plus those aiohttp
# sets itself.
_HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length",
})
# Where each channel's webhook keeps its conversation id, first match wins: REST "sender",
# Messenger entry[].messaging[].sender.id, Telegram message.chat.id, Twilio "From", Slack user.
_SENDER_KEYS = ("sender", "chat", "From", "from", "user", "user_id", "channel")


def _find_sender(data: Any, depth: int = 0) -> str | None:
    """The first conversation id found breadth-first in a webhook's JSON or form data."""
    if depth > 6:
        return None
    if isinstance(data, dict):
        for key in _SENDER_KEYS:
            value = data.get(key)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                return str(value)
            if isinstance(value, dict) and isinstance(value.get("id"), (str, int)):
                return str(value["id"])
        children = list(data.values())
    elif isinstance(data, list):
        children = data
    else:
        return None
    for child in children:
        found = _find_sender(child, depth + 1)
        if found:
            return found
    return None


def conversation_key(path: str, query: str, content_type: str, body: bytes) -> str | None:
    """What pins a request to one process: the socket.io session, or the webhook's sender."""
    if path.startswith("/socket.io"):
        sid = parse_qs(query).get("sid")
        return f"sid:{sid[0]}" if sid else None
    if not path.startswith("/webhooks/") or not body:
        return None
    data: Any = None
    if "json" in content_type:
        try:
            data = json.loads(body)
        except ValueError:
            return None
    elif "form" in content_type:
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items() if v}
        if "payload" in form:  # Slack buttons: a JSON document in a form field
            try:
                data = json.loads(form["payload"])
            except ValueError:
                data = form
        else:
            data = form
    sender = _find_sender(data)
    return f"sender:{sender}" if sender else None


class Router:
    def __init__(self, backends: Sequence[str]) -> None:
        if not backends:
            raise ValueError("the router needs at least one Rasa process")
        self.backends = [b.rstrip("/") for b in backends]
        self.down_until = [0.0] * len(self.backends)
        self.sessions: OrderedDict[str, int] = OrderedDict()
        self.conversations: OrderedDict[str, int] = OrderedDict()
        self.in_flight = [0] * len(self.backends)
        self._turn = itertools.count()
        self._client: ClientSession | None = None

    # ---- choosing a process ------------------------------------------------------------------

    def order(self, key: str | None) -> list[int]:
        """The processes to try, in order: the conversation's own first, those that recently
        refused a connection last."""
        count = len(self.backends)
        now = time.monotonic()
        if key and key.startswith("sid:") and key[4:] in self.sessions:
            first = self.sessions[key[4:]]
        elif key and key in self.conversations:
            first = self.conversations[key]
            self.conversations.move_to_end(key)
        elif key:
            first = self._least_busy(zlib.crc32(key.encode()) % count, now)
            self.conversations[key] = first
            while len(self.conversations) > MAX_CONVERSATIONS:
                self.conversations.popitem(last=False)
        else:
            first = next(self._turn) % count
        order = [(first + step) % count for step in range(count)]
        return sorted(order, key=lambda i: self.down_until[i] > now)

    def _least_busy(self, hashed: int, now: float) -> int:
        """The answering process with the fewest messages in flight; ties go to ``hashed`` and
        the processes after it."""
        count = len(self.backends)
        up = [i for i in range(count) if self.down_until[i] <= now] or list(range(count))
        return min(up, key=lambda i: (self.in_flight[i], (i - hashed) % count))

    def _remember_session(self, index: int, body: bytes) -> None:
        """socket.io's handshake answer ``0{"sid": ...}``: later requests of that session go to
        the process that made it."""
        start = body.find(b"{")
        if start < 0:
            return
        try:
            sid = json.loads(body[start:body.rfind(b"}") + 1]).get("sid")
        except (ValueError, AttributeError):
            return
        if isinstance(sid, str):
            self.sessions[sid] = index
            self.sessions.move_to_end(sid)
            while len(self.sessions) > MAX_SESSIONS:
                self.sessions.popitem(last=False)

    # ---- serving -----------------------------------------------------------------------------

    async def client(self) -> ClientSession:
        if self._client is None:
            self._client = ClientSession(timeout=BACKEND_TIMEOUT, auto_decompress=False)
        return self._client

    async def close(self, _app: web.Application | None = None) -> None:
        if self._client is not None:
            await self._client.close()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self._websocket(request)
        body = await request.read()
        key = conversation_key(request.path, request.query_string, request.content_type, body)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        client = await self.client()
        for index in self.order(key):
            url = self.backends[index] + request.path_qs
            self.in_flight[index] += 1
            try:
                async with client.request(request.method, url, headers=headers, data=body,
                                          allow_redirects=False) as answer:
                    payload = await answer.read()
                    if request.path.startswith("/socket.io") and key is None:
                        self._remember_session(index, payload)
                    out = {k: v for k, v in answer.headers.items()
                           if k.lower() not in _HOP_BY_HOP}
                    return web.Response(status=answer.status, headers=out, body=payload)
            except (ClientError, asyncio.TimeoutError, OSError) as exc:
                self.down_until[index] = time.monotonic() + DOWN_FOR
                logger.warning("Rasa process %s did not answer (%s); trying the next",
                               self.backends[index], type(exc).__name__)
            finally:
                self.in_flight[index] -= 1
        return web.json_response(
            {"error": "The assistant is restarting. Please try again in a moment."}, status=503
        )

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        key = conversation_key(request.path, request.query_string, "", b"")
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in _HOP_BY_HOP and not k.lower().startswith("sec-websocket")}
        client = await self.client()
        for index in self.order(key):
            url = self.backends[index].replace("http", "ws", 1) + request.path_qs
            try:
                upstream = await client.ws_connect(url, headers=headers, autoping=False,
                                                   timeout=BACKEND_TIMEOUT.connect or 2)
            except WSServerHandshakeError as exc:
                # the process answered and refused (a foreign origin, an unknown session): its
                # answer is the answer
                return web.Response(status=exc.status, text=exc.message or "")
            except (ClientError, asyncio.TimeoutError, OSError):
                self.down_until[index] = time.monotonic() + DOWN_FOR
                continue
            downstream = web.WebSocketResponse(autoping=False)
            await downstream.prepare(request)
            try:
                await asyncio.gather(_pump(downstream, upstream), _pump(upstream, downstream))
            finally:
                await upstream.close()
                await downstream.close()
            return downstream
        raise web.HTTPServiceUnavailable(text="The assistant is restarting.")


async def _pump(source: Any, target: Any) -> None:
    """Copy websocket messages from ``source`` to ``target`` until either side closes."""
    async for message in source:
        if target.closed:
            break
        if message.type == WSMsgType.TEXT:
            await target.send_str(message.data)
        elif message.type == WSMsgType.BINARY:
            await target.send_bytes(message.data)
        elif message.type == WSMsgType.PING:
            await target.ping(message.data)
        elif message.type == WSMsgType.PONG:
            await target.pong(message.data)
        else:
            break
    await target.close()


def make_app(backends: Sequence[str]) -> web.Application:
    router = Router(backends)
    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", router.handle)
    app.on_cleanup.append(router.close)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.router", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--backend", action="append", required=True,
                        help="base URL of one Rasa process (repeat for each)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    web.run_app(make_app(args.backend), host=args.host, port=args.port, print=None,
                access_log=None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
