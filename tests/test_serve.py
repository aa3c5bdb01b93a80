"""`python -m bot run` (what `make run` calls): starts both servers, answers, and stops both
cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from bot import PROJECT_ROOT
from tests.conftest import free_port

pytestmark = pytest.mark.e2e


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def external_addresses() -> list[str]:
    out = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    return [a for a in out if ":" not in a and not a.startswith("127.")]


def test_run_starts_both_servers_and_stops_them_on_sigterm(trained_model, tmp_path):
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    env = {
        **os.environ, "RASA_PORT": str(rasa_port), "ACTION_PORT": str(action_port),
        "WEB_PORT": str(web_port), "BOT_DATA_DIR": str(tmp_path),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            output.append(line)
            if "Press Ctrl-C to stop." in line:
                break
        text = "".join(output)
        assert "The bot is ready." in text, text
        assert f"http://localhost:{rasa_port}/webhooks/rest/webhook" in text
        assert "[4/4] Rasa model" in text  # progress while preparing
        assert f"http://localhost:{web_port}/" in text
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/", timeout=10) as page:
            assert b"Your bone marrow test" in page.read()

        request = urllib.request.Request(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            json.dumps({"sender": "serve-test", "message": "hello"}).encode(),
            {"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert json.loads(response.read())[0]["text"].startswith("Hello")

        # the action server listens on loopback only: not reachable on the machine's own address
        for address in external_addresses():
            with socket.socket() as sock:
                sock.settimeout(1)
                assert sock.connect_ex((address, action_port)) != 0, address
        # the management API is off
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"http://127.0.0.1:{rasa_port}/status", timeout=5)
        assert err.value.code in (403, 404)

        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, rest
        assert "run: stopped" in rest
        assert not any(port_open(p) for p in (rasa_port, action_port, web_port))
    finally:
        if proc.poll() is None:
            proc.kill()


def test_management_api_is_off_by_default_and_never_open():
    from bot.serve import StartError, management_api_args

    assert management_api_args({}) == []
    assert management_api_args({"RASA_ENABLE_API": "0"}) == []
    with pytest.raises(StartError, match="never started without authentication"):
        management_api_args({"RASA_ENABLE_API": "1"})
    assert management_api_args({"RASA_ENABLE_API": "1", "RASA_API_TOKEN": "s3cret"}) == [
        "--enable-api", "--auth-token", "s3cret",
    ]
    assert management_api_args({"RASA_ENABLE_API": "true", "RASA_JWT_SECRET": "k"}) == [
        "--enable-api", "--jwt-secret", "k", "--jwt-method", "HS256",
    ]
