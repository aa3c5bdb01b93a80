"""Start the action server, the Rasa server and the web server, wait until each answers, keep
them up (bot/supervise.py restarts one that stops), and stop them all cleanly on Ctrl-C /
SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot import PROJECT_ROOT
from bot.settings import (
    SERVER_THREADS_ENV,
    Settings,
    child_environment,
    environment,
    start_timeout,
)
from bot.supervise import Supervisor
from bot.training import rasa_executable

START_TIMEOUT = start_timeout()


def stop_group(
    process: subprocess.Popen, timeout: float, stop_signal: int = signal.SIGTERM
) -> None:
    """Stop a process started in its own session, and its children: ``stop_signal``, then
    SIGKILL if it is still running after ``timeout`` seconds."""
    try:
        os.killpg(process.pid, stop_signal)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


@dataclass
class Service:
    name: str
    cmd: list[str]
    health_url: str
    log: Path
    process: subprocess.Popen | None = None
    # started together with the services after it; waited for before the next one that is not
    wait_later: bool = False

    def start(self, env: dict[str, str]) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            self.cmd, cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        handle.close()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def returncode(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self, timeout: float = 15) -> None:
        if self.alive():
            assert self.process is not None
            stop_group(self.process, timeout)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


_VARIABLE = re.compile(r"\$\{(\w+)\}")


def _render(name: str, settings: Settings, drop_incomplete: bool) -> Path:
    """Fill the ${VARIABLES} of a committed template (endpoints.yml, credentials.yml) from the
    settings and the environment, and write the result to the data dir for Rasa to read.

    With ``drop_incomplete``, a top-level block (a channel) that refers to an unset variable is
    left out: a channel whose variables are not set is off.
    """
    values = {**environment(), **settings.environment()}
    template = yaml.safe_load((PROJECT_ROOT / name).read_text(encoding="utf-8")) or {}

    def fill(node):
        if isinstance(node, dict):
            return {key: fill(value) for key, value in node.items()}
        if isinstance(node, list):
            return [fill(value) for value in node]
        if isinstance(node, str):
            return _VARIABLE.sub(lambda m: values.get(m[1], ""), node)
        return node

    def complete(node) -> bool:
        return all(values.get(var) for var in _VARIABLE.findall(yaml.safe_dump(node)))

    rendered = {
        key: fill(block)
        for key, block in template.items()
        if not drop_incomplete or complete(block)
    }
    if name == "endpoints.yml":
        # production: PostgreSQL tracker store / Redis lock store when their variables are set
        from bot.stores import production_endpoints

        rendered.update(production_endpoints(values) or {})
    target = settings.data_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(rendered, sort_keys=False), encoding="utf-8")
    return target


def render_endpoints(settings: Settings) -> Path:
    return _render("endpoints.yml", settings, drop_incomplete=False)


def render_credentials(settings: Settings) -> Path:
    return _render("credentials.yml", settings, drop_incomplete=True)


def management_api_args(env: dict[str, str] | None = None) -> list[str]:
    """Rasa's HTTP management API stays off unless RASA_ENABLE_API=1, and then only with a
    token (RASA_API_TOKEN) or a JWT secret (RASA_JWT_SECRET): never open."""
    env = environment() if env is None else env
    if env.get("RASA_ENABLE_API", "").lower() not in ("1", "true", "yes"):
        return []
    if env.get("RASA_JWT_SECRET"):
        return ["--enable-api", "--jwt-secret", env["RASA_JWT_SECRET"],
                "--jwt-method", env.get("RASA_JWT_METHOD", "HS256")]
    if env.get("RASA_API_TOKEN"):
        return ["--enable-api", "--auth-token", env["RASA_API_TOKEN"]]
    raise StartError(
        "RASA_ENABLE_API is set but neither RASA_API_TOKEN nor RASA_JWT_SECRET is: "
        "the management API is never started without authentication"
    )


def free_port() -> int:
    """A free loopback port (for the Rasa processes behind the router, and the tools' servers)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rasa_command(settings: Settings, model: Path, port: int, interface: str) -> list[str]:
    """The project's Rasa entry point: `rasa run` with bot/rasa_main.py's fixes installed."""
    cmd = [
        sys.executable, "-m", "bot.rasa_main", "run", "--model", str(model), "--port", str(port),
        "--interface", interface, "--credentials", str(render_credentials(settings)),
        "--endpoints", str(render_endpoints(settings)),
    ]
    if settings.cors_origins:
        cmd += ["--cors", *settings.cors_origins]
    return cmd + management_api_args()


def services(settings: Settings, model: Path) -> list[Service]:
    """The action server, the Rasa process(es), the router in front of them when there are
    several (bot/router.py), and the web server, in the order they start."""
    rasa = rasa_executable()
    logs = settings.log_dir
    action = Service(
        "action server",
        [rasa, "run", "actions", "--actions", "actions", "--port", str(settings.action_port)],
        f"http://127.0.0.1:{settings.action_port}/health",
        logs / "actions.log",
    )
    if settings.rasa_processes == 1:
        rasa_servers = [Service(
            "Rasa server", rasa_command(settings, model, settings.rasa_port, settings.rasa_host),
            f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/", logs / "rasa.log",
        )]
    else:
        # each on a loopback port of its own; only the router is reachable from outside. The
        # first starts alone (it creates the tracker store's tables), the others together.
        ports = [free_port() for _ in range(settings.rasa_processes)]
        rasa_servers = [
            Service(f"Rasa server {number}", rasa_command(settings, model, port, "127.0.0.1"),
                    f"http://127.0.0.1:{port}/webhooks/rest/", logs / f"rasa-{number}.log",
                    wait_later=number > 1)
            for number, port in enumerate(ports, start=1)
        ]
        rasa_servers.append(Service(
            "router",
            [sys.executable, "-m", "bot.router", "--port", str(settings.rasa_port),
             "--host", settings.rasa_host,
             *[arg for port in ports for arg in ("--backend", f"http://127.0.0.1:{port}")]],
            f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/", logs / "router.log",
        ))
    web = Service(
        "web server",
        [sys.executable, "-m", "bot.web", "--port", str(settings.web_port),
         "--host", settings.rasa_host, "--rasa-port", str(settings.rasa_port)],
        f"http://127.0.0.1:{settings.web_port}/health",
        logs / "web.log",
    )
    return [action, *rasa_servers, web]


class StartError(RuntimeError):
    pass


def server_environment(settings: Settings) -> dict[str, str]:
    """What the servers get: this process's environment, one compute thread each unless set
    otherwise (SERVER_THREADS_ENV), the settings, and the knowledge base in use (the clinic's
    documents added, bot/prepare.py), passed down explicitly."""
    from bot.prepare import knowledge_base_path

    own = environment()
    threads = {name: own.get(name, value) for name, value in SERVER_THREADS_ENV.items()}
    return child_environment({
        **threads, **settings.environment(),
        "KNOWLEDGE_BASE": str(knowledge_base_path(settings)),
    })


def _wait_healthy(service: Service) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not service.healthy():
        if not service.alive():
            raise StartError(f"the {service.name} stopped:\n{service.tail()}")
        if time.monotonic() > deadline:
            raise StartError(f"the {service.name} did not answer in {START_TIMEOUT:.0f} s")
        time.sleep(0.5)


@contextmanager
def running(settings: Settings, model: Path) -> Iterator[list[Service]]:
    """All servers up for the duration of the block; stopped afterwards whatever happens."""
    env = server_environment(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    started = services(settings, model)
    try:
        waiting: list[Service] = []
        for service in started:
            print(f"run: starting the {service.name} (log: {service.log})", flush=True)
            service.start(env)
            waiting.append(service)
            if not service.wait_later:
                for pending in waiting:
                    _wait_healthy(pending)
                waiting = []
        yield started
    finally:
        for service in reversed(started):
            service.stop()


def serve_forever(settings: Settings, model: Path) -> int:
    """Run until Ctrl-C / SIGTERM; a server that stops is restarted (bot/supervise.py). Exit 1
    when a server does not start the first time (a set-up error, not a crash)."""
    stop = {"signal": None}

    def _handler(signum, _frame):
        stop["signal"] = signum

    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)
    try:
        with running(settings, model) as started:
            print(
                "\nThe bot is ready.\n"
                f"  REST channel:  POST {settings.rest_url}\n"
                '                 body: {"sender": "<conversation id>", "message": "<text>"}\n'
                "  Terminal chat: make chat (in another terminal)\n"
                f"  Web page:      {settings.web_url}\n"
                "Press Ctrl-C to stop.",
                flush=True,
            )
            env = server_environment(settings)
            supervisor = Supervisor(started, env, settings.log_dir / "run.log", START_TIMEOUT)
            while stop["signal"] is None:
                supervisor.check()
                time.sleep(0.5)
            print("\nrun: stopping", flush=True)
    except StartError as exc:
        print(f"run: {exc}", file=sys.stderr)
        return 1
    print("run: stopped", flush=True)
    return 0
