"""`python -m bot run` (what `make run` calls): starts both servers, answers, and stops both
cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from bot import PROJECT_ROOT
from tests.support.servers import free_port

pytestmark = pytest.mark.e2e


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def external_addresses() -> list[str]:
    out = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    return [a for a in out if ":" not in a and not a.startswith("127.")]


def start_run(tmp_path, **extra_env: str) -> tuple[subprocess.Popen, dict[str, int], str]:
    """`python -m bot run` on free ports, up to "Press Ctrl-C to stop."; its output so far."""
    ports = {"rasa": free_port(), "action": free_port(), "web": free_port()}
    env = {
        **os.environ, "RASA_PORT": str(ports["rasa"]), "ACTION_PORT": str(ports["action"]),
        "WEB_PORT": str(ports["web"]), "BOT_DATA_DIR": str(tmp_path), **extra_env,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        output.append(line)
        if "Press Ctrl-C to stop." in line:
            break
    return proc, ports, "".join(output)


def stop_run(proc: subprocess.Popen, ports: dict[str, int]) -> str:
    """SIGTERM: every server stops, exit 0. The rest of the output."""
    proc.send_signal(signal.SIGTERM)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, rest
    assert "run: stopped" in rest
    assert not any(port_open(p) for p in ports.values())
    return rest


NOISE = ("tensorflow", "cuda", "onednn", "warning", "deprecat", "traceback")


def test_run_starts_both_servers_and_stops_them_on_sigterm(trained_model, tmp_path):
    # every warning shown (as without `make`'s PYTHONWARNINGS): still none on the terminal
    proc, ports, text = start_run(tmp_path, PYTHONWARNINGS="default")
    rasa_port, action_port, web_port = ports["rasa"], ports["action"], ports["web"]
    try:
        assert "The bot is ready." in text, text
        assert f"http://localhost:{rasa_port}/webhooks/rest/webhook" in text
        assert "[4/4] Rasa model" in text  # progress while preparing
        assert f"http://localhost:{web_port}/" in text
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/", timeout=10) as page:
            assert b"Before your test" in page.read()

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

        rest = stop_run(proc, ports)
        # quiet start: only the project's own progress on the terminal; the servers' output
        # (TensorFlow, CUDA, deprecation notices) is in the log files
        terminal = text + rest
        assert not any(word in terminal.lower() for word in NOISE), terminal
        # one Rasa process per core behind the router (rasa.log when there is only one)
        logs = sorted((tmp_path / "logs").glob("rasa*.log"))
        assert logs and all("Rasa server is up and running" in log.read_text() for log in logs)
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


# --- a server that stops is restarted; patients still get replies -----------------------------


def child_pid(parent: int, marker: str) -> int:
    """The pid of the launcher's child whose command line contains ``marker``."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and marker in command:
            return int(entry)
    raise AssertionError(f"no child of {parent} runs {marker!r}")


def ask(port: int, sender: str, message: str) -> tuple[int | None, str]:
    """(HTTP status, the replies' text), or (None, the connection error)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        json.dumps({"sender": sender, "message": message}).encode(),
        {"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            replies = json.loads(response.read())
            return response.status, "\n\n".join(r.get("text") or "" for r in replies)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")
    except OSError as exc:
        return None, str(exc)


def test_run_restarts_a_killed_server_and_patients_keep_getting_replies(trained_model, tmp_path):
    from bot.knowledge import KnowledgeBase
    from bot.replies import render

    feel = KnowledgeBase.load().document("bone-marrow-biopsy").section("sensation").text()
    apology = render("action_failed")
    proc, ports, text = start_run(tmp_path, RASA_PROCESSES="2")
    try:
        assert "The bot is ready." in text, text
        status, reply = ask(ports["rasa"], "kill-1", "does a bone marrow biopsy hurt?")
        assert status == 200 and reply.startswith(feel)

        # the action server killed (a crash, the OOM killer): every message still gets a reply,
        # the apology while it is down, answers again once it is back
        os.kill(child_pid(proc.pid, f"--port {ports['action']}"), signal.SIGKILL)
        killed, replies = time.monotonic(), []
        while time.monotonic() - killed < 120:
            status, reply = ask(ports["rasa"], "kill-1", "does a bone marrow biopsy hurt?")
            assert status == 200 and reply, (status, reply)
            replies.append(reply)
            if reply.startswith(feel):
                break
            assert reply == apology
            time.sleep(0.2)
        assert replies[-1].startswith(feel), "answers did not resume"
        assert apology in replies, "the gap was covered by the apology"
        print(f"action server: {len(replies) - 1} apologies, answers again after "
              f"{time.monotonic() - killed:.1f} s")

        # one of the two Rasa processes killed under load: the router sends its conversations
        # to the other one (the trackers are in the shared SQLite store), so no message is
        # refused or lost, and the killed process is restarted
        status, reply = ask(ports["rasa"], "kill-2", "how is a bone marrow biopsy done?")
        assert status == 200 and reply
        results: list[tuple[int | None, str]] = []
        stop_load = threading.Event()

        def load(number: int) -> None:
            while not stop_load.is_set():
                results.append(ask(ports["rasa"], f"load-{number}-{len(results)}", "hello"))

        workers = [threading.Thread(target=load, args=(n,)) for n in range(4)]
        for worker in workers:
            worker.start()
        time.sleep(1)
        os.kill(child_pid(proc.pid, "bot.rasa_main"), signal.SIGKILL)
        killed = time.monotonic()
        time.sleep(5)
        stop_load.set()
        for worker in workers:
            worker.join()
        failed = [r for r in results if r[0] != 200 or not r[1]]
        assert len(results) > 20 and not failed, (len(results), failed[:3])
        print(f"Rasa process killed under load: {len(results)} messages in "
              f"{time.monotonic() - killed + 1:.1f} s, {len(failed)} errors, 0 refused")
        run_log = tmp_path / "logs" / "run.log"
        deadline = time.monotonic() + 180
        while not re.search(r"the Rasa server \d is back", run_log.read_text()):
            assert time.monotonic() < deadline, "the killed Rasa process did not come back"
            time.sleep(0.5)
        # "it" is still the biopsy: the procedure slot survived
        status, reply = ask(ports["rasa"], "kill-2", "will it hurt?")
        assert status == 200 and reply.startswith(feel), reply

        # the web server killed: back, too
        os.kill(child_pid(proc.pid, "bot.web"), signal.SIGKILL)
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ports['web']}/health", timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the web server did not come back"
                time.sleep(0.5)

        rest = stop_run(proc, ports)
        assert "the action server stopped: killed by signal SIGKILL (9)" in rest
        assert "the action server is back" in rest
        assert "the Rasa server 1 is back" in rest or "the Rasa server 2 is back" in rest
        log = (tmp_path / "logs" / "run.log").read_text()
        rasa = "Rasa server 1" if "the Rasa server 1 stopped" in log else "Rasa server 2"
        for name, file in (("action server", "actions.log"),
                           (rasa, f"rasa-{rasa[-1]}.log"), ("web server", "web.log")):
            assert f"the {name} stopped: killed by signal SIGKILL (9); restarting it in 1 s" \
                in log, log
            assert f"last lines of {file}:" in log
    finally:
        if proc.poll() is None:
            proc.kill()
