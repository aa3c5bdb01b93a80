"""Terminal chat over the REST channel. Buttons are shown as numbered options; typing the number
sends the button's payload. Starts the servers first when the bot is not already running."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

from bot.settings import Settings


def send(url: str, sender: str, message: str, timeout: float = 30) -> list[dict]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"[]")


def _reachable(url: str) -> bool:
    try:
        with urllib.request.urlopen(url.rsplit("/", 1)[0] + "/", timeout=2):
            return True
    except (urllib.error.URLError, OSError):
        return False


def conversation(url: str) -> None:
    sender = f"terminal-{uuid.uuid4().hex[:8]}"
    buttons: list[dict] = []
    print("Type your question (empty line or Ctrl-D to quit).")
    while True:
        try:
            text = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if not text:
            return
        if text.isdigit() and 0 < int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        buttons = []
        try:
            replies = send(url, sender, text)
        except (urllib.error.URLError, OSError) as exc:
            print(f"bot> (the bot cannot be reached: {exc})")
            continue
        for reply in replies:
            if reply.get("text"):
                print("bot> " + reply["text"].replace("\n", "\n     "))
            for button in reply.get("buttons") or []:
                buttons.append(button)
                print(f"     {len(buttons)}. {button['title']}")


def chat() -> int:
    settings = Settings()
    if _reachable(settings.rest_url):
        conversation(settings.rest_url)
        return 0
    from bot.prepare import prepare
    from bot.serve import StartError, running

    model = prepare()
    try:
        with running(settings, model):
            conversation(settings.rest_url)
    except StartError as exc:
        print(f"chat: {exc}")
        return 1
    return 0
