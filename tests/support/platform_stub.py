"""A local stand-in for the messaging platforms' APIs, and one Rasa server with every messaging
channel on, its API base URLs pointing at the stand-in.

``PlatformStub`` listens on 127.0.0.1 (a thread), records every request and answers the way the
real API answers a successful call:

* /twilio/2010-04-01/Accounts/<sid>/Messages.json  (Twilio Messages API, form-encoded)
* /telegram/bot<token>/<method>                    (Telegram Bot API, form-encoded)
* /messenger/v<version>/me/messages                (Messenger Send API, JSON)
* /slack/<method>                                  (Slack Web API, JSON or form-encoded)

Test modules use the fixtures with ``pytest_plugins = ["tests.support.platform_stub"]`` (and do not
import this module themselves, so that pytest can load it as a plugin): ``channel_bot``
(session-scoped: the stub, the action server and a Rasa server started with the channel
variables below; it signs requests the way each platform does), ``channel_env`` and
``render_channels``. Nothing here reaches the internet.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from bot.settings import Settings
from tests.support.servers import free_port

# --- the stand-in API -------------------------------------------------------------------------


@dataclass
class Recorded:
    platform: str
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}

    @property
    def json(self) -> Any:
        return json.loads(self.body or b"null")

    @property
    def fields(self) -> dict[str, Any]:
        """The call's parameters, whichever way they were encoded."""
        if self.headers.get("content-type", "").startswith("application/json"):
            return self.json
        return self.form

    @property
    def api_method(self) -> str:
        return self.path.rstrip("/").rsplit("/", 1)[-1]


class PlatformStub:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urlparse(self.path)
                recorded = Recorded(
                    platform=url.path.strip("/").split("/")[0],
                    method=self.command,
                    path=url.path,
                    query=parse_qs(url.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                with stub._lock:
                    stub.requests.append(recorded)
                status, answer = stub.answer(recorded)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> PlatformStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def base(self, platform: str) -> str:
        return f"{self.url}/{platform}"

    def answer(self, call: Recorded) -> tuple[int, Any]:
        n = next(self._ids)
        fields = call.fields if call.body else {}
        if call.platform == "twilio":
            return 201, {
                "sid": f"SM{n:032x}", "status": "queued", "body": fields.get("Body"),
                "to": fields.get("To"), "from": fields.get("From"), "num_segments": "1",
                "direction": "outbound-api", "api_version": "2010-04-01",
            }
        if call.platform == "telegram":
            method = call.api_method
            if method == "getMe":
                result: Any = {"id": 42, "is_bot": True, "first_name": "Stub",
                               "username": "stub_bot"}
            elif method == "sendMessage":
                result = {"message_id": n, "date": int(time.time()),
                          "chat": {"id": int(fields["chat_id"]), "type": "private"},
                          "text": fields.get("text", "")}
            else:
                result = True
            return 200, {"ok": True, "result": result}
        if call.platform == "messenger":
            recipient = (fields.get("recipient") or {}).get("id")
            if "message" in fields:
                return 200, {"recipient_id": recipient, "message_id": f"m_{n}"}
            return 200, {"recipient_id": recipient}
        if call.platform == "slack":
            return 200, {"ok": True, "channel": fields.get("channel"), "ts": f"{n}.000100",
                         "message": {"text": fields.get("text"), "type": "message"}}
        return 404, {"error": "unknown platform"}

    def calls(self, platform: str | None = None) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if platform is None or r.platform == platform]

    def wait(self, check: Callable[[], Any], timeout: float = 60, settle: float = 0.5) -> Any:
        """``check()`` once it is truthy and has stayed the same for ``settle`` seconds."""
        deadline = time.monotonic() + timeout
        last, since = None, time.monotonic()
        while time.monotonic() < deadline:
            value = check()
            if value != last:
                last, since = value, time.monotonic()
            elif value and time.monotonic() - since >= settle:
                return value
            time.sleep(0.1)
        return last

    # what each platform received, per recipient
    def twilio_bodies(self, to: str) -> list[str]:
        return [c.form["Body"] for c in self.calls("twilio")
                if c.method == "POST" and c.form.get("To") == to]

    def twilio_messages(self, to: str) -> list[dict[str, str]]:
        return [c.form for c in self.calls("twilio") if c.form.get("To") == to]

    def telegram_messages(self, chat_id: int | str) -> list[dict[str, str]]:
        return [c.form for c in self.calls("telegram")
                if c.api_method == "sendMessage" and c.form.get("chat_id") == str(chat_id)]

    def telegram_calls(self, method: str) -> list[dict[str, str]]:
        return [c.form for c in self.calls("telegram") if c.api_method == method]

    def messenger_messages(self, recipient: str) -> list[dict[str, Any]]:
        return [c.json["message"] for c in self.calls("messenger")
                if c.path.endswith("/me/messages") and "message" in c.json
                and c.json["recipient"]["id"] == recipient]

    def messenger_calls(self, recipient: str) -> list[Recorded]:
        return [c for c in self.calls("messenger")
                if (c.json or {}).get("recipient", {}).get("id") == recipient]

    def slack_messages(self, channel: str) -> list[dict[str, Any]]:
        return [c.fields for c in self.calls("slack")
                if c.api_method == "chat.postMessage" and c.fields.get("channel") == channel]


# --- the Rasa server with every channel on ---------------------------------------------------

PUBLIC_URL = "https://bot.clinic.example.org"  # what the platforms would call (and sign)

CHANNEL_ENV = {
    "TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2,
    "TWILIO_AUTH_TOKEN": "test-twilio-auth-token",
    "TWILIO_NUMBER": "+15550001000",
    "TWILIO_WHATSAPP_NUMBER": "+15550002000",
    "TELEGRAM_TOKEN": "123456:TEST-telegram-token_abcdefghijklmnopqrs",
    "TELEGRAM_SECRET_TOKEN": "test-telegram-secret_0123456789",
    "MESSENGER_VERIFY_TOKEN": "test-verify-token",
    "MESSENGER_APP_SECRET": "test-messenger-app-secret",
    "MESSENGER_PAGE_ACCESS_TOKEN": "test-page-access-token",
    "SLACK_BOT_TOKEN": "xoxb-test-slack-token",
    "SLACK_SIGNING_SECRET": "test-slack-signing-secret",
    "BOT_PUBLIC_URL": PUBLIC_URL,
}


@dataclass
class ChannelBot:
    settings: Settings
    stub: PlatformStub
    env: dict[str, str] = field(default_factory=lambda: dict(CHANNEL_ENV))

    @property
    def local(self) -> str:
        return f"http://127.0.0.1:{self.settings.rasa_port}"

    def webhook(self, channel: str) -> str:
        return f"{self.local}/webhooks/{channel}/webhook"

    def post(self, channel: str, body: bytes, headers: dict[str, str],
             query: dict[str, str] | None = None) -> tuple[int, bytes]:
        url = self.webhook(channel) + (f"?{urlencode(query)}" if query else "")
        return send(url, body, headers)

    def get(self, channel: str, query: dict[str, str]) -> tuple[int, bytes]:
        return send(f"{self.webhook(channel)}?{urlencode(query)}", None, {})

    def public_webhook(self, channel: str) -> str:
        """The URL the platform calls (BOT_PUBLIC_URL + path): what Twilio signs."""
        return f"{self.env['BOT_PUBLIC_URL']}/webhooks/{channel}/webhook"

    def twilio_signature(self, url: str, params: dict[str, str], token: str | None = None
                         ) -> str:
        return twilio_signature(url, params, token or self.env["TWILIO_AUTH_TOKEN"])

    def hub_signature(self, body: bytes, secret: str | None = None) -> str:
        return hub_signature(body, secret or self.env["MESSENGER_APP_SECRET"])

    def slack_headers(self, body: bytes, timestamp: int | None = None,
                      secret: str | None = None) -> dict[str, str]:
        return slack_headers(body, secret or self.env["SLACK_SIGNING_SECRET"], timestamp)


def send(url: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, body, headers, method="POST" if body is not None
                                     else "GET")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="session")
def platform_stub() -> Iterator[PlatformStub]:
    stub = PlatformStub().start()
    yield stub
    stub.stop()


@pytest.fixture(scope="session")
def channel_bot(trained_model: Path, tmp_path_factory: pytest.TempPathFactory,
                platform_stub: PlatformStub) -> Iterator[ChannelBot]:
    """The action server and a Rasa server with every messaging channel on (variables above,
    API base URLs at the stub). The variables are set only while the servers start."""
    settings = Settings(
        rasa_port=free_port(), action_port=free_port(), web_port=free_port(),
        data_dir=tmp_path_factory.mktemp("channel-bot-data"),
    )
    env = {
        **CHANNEL_ENV,
        "TWILIO_API_BASE": platform_stub.base("twilio"),
        "TELEGRAM_API_BASE": platform_stub.base("telegram"),
        "MESSENGER_API_BASE": platform_stub.base("messenger"),
        "SLACK_API_BASE": platform_stub.base("slack"),
    }
    with serving_channels(settings, trained_model, platform_stub, env) as bot:
        yield bot


@contextmanager
def serving_channels(settings: Settings, model: Path, stub: PlatformStub,
                     env: dict[str, str]) -> Iterator[ChannelBot]:
    """The servers started with ``env`` set (only while they start), as a ChannelBot."""
    from bot.serve import running

    with ExitStack() as stack:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            stack.enter_context(running(settings, model))
        yield ChannelBot(settings, stub, env)


# --- signing requests the way each platform does ---------------------------------------------

def twilio_signature(url: str, params: dict[str, str], auth_token: str) -> str:
    from twilio.request_validator import RequestValidator

    return RequestValidator(auth_token).compute_signature(url, params)


def hub_signature(body: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def slack_headers(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body,
                      hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


@pytest.fixture(scope="session")
def channel_env() -> dict[str, str]:
    """The channel variables the channel_bot server is started with (BOT_PUBLIC_URL too)."""
    return dict(CHANNEL_ENV)


API_BASE_VARIABLES = ("TWILIO_API_BASE", "TELEGRAM_API_BASE", "MESSENGER_API_BASE",
                      "SLACK_API_BASE")


@pytest.fixture
def render_channels(monkeypatch: pytest.MonkeyPatch, tmp_path: Path
                    ) -> Callable[..., dict[str, Any]]:
    """render(**variables): credentials.yml as `python -m bot run` renders it when exactly
    these channel variables are set (every other channel variable unset)."""
    import yaml

    from bot.serve import render_credentials

    def render(**variables: str) -> dict[str, Any]:
        for name in [*CHANNEL_ENV, *API_BASE_VARIABLES]:
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        path = render_credentials(Settings(data_dir=tmp_path))
        return yaml.safe_load(path.read_text()) or {}

    return render
