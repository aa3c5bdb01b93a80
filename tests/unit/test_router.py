"""bot/router.py: conversations pinned to one Rasa process, failover when a process is down,
socket.io sessions and websockets kept on their process.

The Rasa processes here are small aiohttp servers that say which process answered: the router is
tested on its own, over real HTTP and websockets. The real servers behind it are tested in
tests/e2e/test_serve.py (a Rasa process killed under load under `python -m bot run`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import urllib.parse

import pytest
from aiohttp import ClientSession, WSMsgType, web

from bot.router import Router, conversation_key, make_app
from tests.support.servers import free_port

# --- conversation ids, per channel ----------------------------------------------------------


@pytest.mark.parametrize(("path", "content_type", "body", "key"), [
    ("/webhooks/rest/webhook", "application/json",
     {"sender": "patient-1", "message": "hi"}, "sender:patient-1"),
    ("/webhooks/telegram/webhook", "application/json",
     {"update_id": 1, "message": {"message_id": 5, "from": {"id": 77}, "chat": {"id": 42},
                                  "text": "hi"}}, "sender:42"),
    ("/webhooks/facebook/webhook", "application/json",
     {"object": "page", "entry": [{"id": "p", "messaging": [
         {"sender": {"id": "psid-9"}, "recipient": {"id": "p"}, "message": {"text": "hi"}}]}]},
     "sender:psid-9"),
    ("/webhooks/slack/webhook", "application/json",
     {"type": "event_callback", "event": {"type": "message", "user": "U123", "text": "hi"}},
     "sender:U123"),
])
def test_json_webhooks_are_keyed_by_their_sender(path, content_type, body, key):
    assert conversation_key(path, "", content_type, json.dumps(body).encode()) == key


def test_form_webhooks_are_keyed_by_their_sender():
    twilio = urllib.parse.urlencode({"From": "whatsapp:+15550100", "Body": "hi"}).encode()
    assert conversation_key("/webhooks/twilio/webhook", "", "application/x-www-form-urlencoded",
                            twilio) == "sender:whatsapp:+15550100"
    slack_button = urllib.parse.urlencode(
        {"payload": json.dumps({"type": "block_actions", "user": {"id": "U9"}})}).encode()
    assert conversation_key("/webhooks/slack/webhook", "", "application/x-www-form-urlencoded",
                            slack_button) == "sender:U9"


def test_socketio_is_keyed_by_session_and_other_requests_by_nothing():
    assert conversation_key("/socket.io/", "EIO=4&transport=polling&sid=abc", "", b"") == "sid:abc"
    assert conversation_key("/socket.io/", "EIO=4&transport=polling", "", b"") is None
    assert conversation_key("/webhooks/rest/", "", "", b"") is None
    assert conversation_key("/webhooks/rest/webhook", "", "application/json", b"{bad") is None


def test_one_conversation_always_goes_to_the_same_process_and_conversations_spread():
    router = Router(["http://a", "http://b"])
    keys = [f"sender:patient-{n}" for n in range(200)]
    first = {key: router.order(key)[0] for key in keys}
    assert all(router.order(key)[0] == first[key] for key in keys)
    assert 60 < sum(first.values()) < 140  # roughly half on each
    router.down_until[0] = float("inf")  # process a refused a connection
    assert all(router.order(key) == [1, 0] for key in keys)


# --- over HTTP, with two stand-in Rasa processes ----------------------------------------------


async def _process(name: str, port: int) -> web.AppRunner:
    async def webhook(request: web.Request) -> web.Response:
        data = await request.json()
        return web.json_response([{"recipient_id": data["sender"], "text": f"{name}"}])

    async def handshake(request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            ws = web.WebSocketResponse()
            await ws.prepare(request)
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    await ws.send_str(f"{name}:{message.data}")
            return ws
        if "sid" in request.query:
            return web.Response(text=f"{name}:{request.query['sid']}")
        handshake_answer = {"sid": f"session-{name}", "upgrades": ["websocket"]}
        return web.Response(text="0" + json.dumps(handshake_answer))

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_get("/socket.io/", handshake)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


async def _router(backends: list[str]) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(make_app(backends))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


@contextlib.asynccontextmanager
async def _behind_a_router():
    """Stand-in processes "a" and "b" behind a router: (the processes, the router's URL)."""
    ports = [free_port(), free_port()]
    processes = [await _process("a", ports[0]), await _process("b", ports[1])]
    router, url = await _router([f"http://127.0.0.1:{p}" for p in ports])
    try:
        yield processes, url
    finally:
        await router.cleanup()
        for process in processes:
            await process.cleanup()


async def _say(session: ClientSession, url: str, sender: str) -> tuple[int, str]:
    async with session.post(f"{url}/webhooks/rest/webhook",
                            json={"sender": sender, "message": "hi"}) as answer:
        body = await answer.json() if answer.status == 200 else await answer.text()
        return answer.status, body[0]["text"] if answer.status == 200 else body


def test_messages_are_pinned_and_fail_over_when_a_process_stops():
    async def scenario() -> None:
        async with _behind_a_router() as (processes, url), ClientSession() as session:
            senders = [f"patient-{n}" for n in range(20)]
            first = {s: (await _say(session, url, s))[1] for s in senders}
            assert set(first.values()) == {"a", "b"}
            for sender in senders:  # the same process every time
                assert (await _say(session, url, sender))[1] == first[sender]
            await processes[0].cleanup()  # process "a" stops (a crash)
            for sender in senders:  # every conversation still answered, by "b"
                assert await _say(session, url, sender) == (200, "b")
            await processes[1].cleanup()  # both down: a clear 503, not a hang or a 500
            status, body = await _say(session, url, "patient-1")
            assert status == 503 and "restarting" in body

    asyncio.run(scenario())


def test_socketio_sessions_and_websockets_stay_on_their_process():
    async def scenario() -> None:
        async with _behind_a_router() as (_, url), ClientSession() as session:
            for _ in range(4):  # handshakes alternate between the processes
                async with session.get(f"{url}/socket.io/?EIO=4&transport=polling") as r:
                    sid = json.loads((await r.text())[1:])["sid"]
                name = sid.rsplit("-", 1)[1]
                for _ in range(3):  # the session's polls go where it was made
                    async with session.get(
                            f"{url}/socket.io/?EIO=4&transport=polling&sid={sid}") as r:
                        assert await r.text() == f"{name}:{sid}"
                ws_url = f"{url}/socket.io/?EIO=4&transport=websocket&sid={sid}"
                async with session.ws_connect(ws_url) as ws:
                    await ws.send_str("2probe")
                    assert (await ws.receive()).data == f"{name}:2probe"

    asyncio.run(scenario())


def test_a_new_conversation_goes_to_the_process_with_fewer_messages_in_flight():
    router = Router(["http://a", "http://b"])
    router.in_flight = [3, 0]  # process a is busy
    keys = [f"sender:new-{n}" for n in range(20)]
    assert all(router.order(key)[0] == 1 for key in keys)
    router.in_flight = [0, 5]  # now b is busy: the conversations already seen stay put
    assert all(router.order(key)[0] == 1 for key in keys)
    assert router.order("sender:another")[0] == 0
    router.down_until[0] = float("inf")  # a busy-free but refusing process is not chosen
    router.in_flight = [0, 9]
    assert router.order("sender:one-more")[0] == 1
