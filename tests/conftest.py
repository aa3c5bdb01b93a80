"""Shared fixtures: the real servers, started once per test session on free ports."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

import pytest

from bot.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model for the current training data (trained only when stale)."""
    from bot import nlp, training

    nlp.ensure_pipeline()
    return training.ensure_model(quiet=True)


@pytest.fixture(scope="session")
def bot_servers(trained_model, tmp_path_factory) -> Settings:
    """The real action server and Rasa server, talking over HTTP, for the whole session."""
    from bot.serve import running

    settings = Settings(
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=free_port(),
        data_dir=tmp_path_factory.mktemp("bot-data"),
    )
    with running(settings, trained_model):
        yield settings


class RestClient:
    """Talks to the Rasa REST channel the way a website or app would."""

    def __init__(self, url: str):
        self.url = url

    def post(self, body: bytes, content_type: str = "application/json") -> tuple[int, object]:
        request = urllib.request.Request(self.url, body, {"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def say(self, sender: str, message: str) -> list[dict]:
        status, replies = self.post(json.dumps({"sender": sender, "message": message}).encode())
        assert status == 200, replies
        return replies


@pytest.fixture(scope="session")
def rest(bot_servers) -> RestClient:
    return RestClient(f"http://127.0.0.1:{bot_servers.rasa_port}/webhooks/rest/webhook")
