"""Talking to the servers under test: free ports and a REST client."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from bot.serve import free_port  # noqa: F401 - defined once, used by the tests from here


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
