"""Run-time settings from environment variables, with embedded defaults for a local run."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bot import PROJECT_ROOT


def env_port(name: str, default: int, error: type[Exception] = SystemExit) -> int:
    """The port in environment variable ``name`` (``default`` when unset); ``error`` when it is
    not a port number."""
    raw = os.environ.get(name, str(default)).strip()
    try:
        port = int(raw)
    except ValueError:
        raise error(f"{name}={raw!r} is not a port number") from None
    if not 0 < port < 65536:
        raise error(f"{name}={raw!r} is not a port number (1-65535)")
    return port


def env_rasa_processes(error: type[Exception] = SystemExit) -> int:
    """RASA_PROCESSES: how many Rasa processes `make run` starts behind the router
    (bot/router.py); default one per core. 1: no router, Rasa listens on RASA_PORT itself."""
    raw = os.environ.get("RASA_PROCESSES", "").strip()
    if not raw:
        return max(1, os.cpu_count() or 1)
    try:
        count = int(raw)
    except ValueError:
        raise error(f"RASA_PROCESSES={raw!r} is not a number") from None
    if not 1 <= count <= 64:
        raise error(f"RASA_PROCESSES={raw!r} must be between 1 and 64")
    return count


def probe_settings() -> tuple[Path, str] | None:
    """``BOT_PROBE_FILE`` (where the Rasa server writes per-step timings, bot/probe.py; for
    `make bench` only) and ``BOT_PROBE_SENDERS`` (the sender id prefix it records), or None."""
    path = os.environ.get("BOT_PROBE_FILE", "").strip()
    if not path:
        return None
    return Path(path), os.environ.get("BOT_PROBE_SENDERS", "bench-probe-")


STAFF_TOKEN_MIN_CHARS = 16


def staff_token(error: type[Exception] = SystemExit) -> str | None:
    """STAFF_TOKEN: the secret that opens the staff page (/staff on the web server); None (the
    page is off) when unset. ``error`` when it is too short to be a secret."""
    token = os.environ.get("STAFF_TOKEN", "").strip()
    if not token:
        return None
    if len(token) < STAFF_TOKEN_MIN_CHARS:
        raise error(f"STAFF_TOKEN must be at least {STAFF_TOKEN_MIN_CHARS} characters "
                    "(e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(24))')")
    return token


# For every Rasa process: no telemetry (the machine has no internet, and patients' conversations
# are nobody else's business), and less noise from libraries.
QUIET_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}


# The SQLite tracker store's file under BOT_DATA_DIR (endpoints.yml names the same file).
CONVERSATIONS_DB = "conversations.db"


@dataclass(frozen=True)
class Settings:
    rasa_port: int = field(default_factory=lambda: env_port("RASA_PORT", 5005))
    # The Rasa server is the patient-facing service; loopback unless a deployment says otherwise.
    rasa_host: str = field(default_factory=lambda: os.environ.get("RASA_HOST", "127.0.0.1"))
    action_port: int = field(default_factory=lambda: env_port("ACTION_PORT", 5055))
    data_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("BOT_DATA_DIR", PROJECT_ROOT / "var"))
    )
    cors_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(os.environ.get("CORS_ORIGINS", "").split())
    )
    # The clinic page with the chat widget (bot/web.py).
    web_port: int = field(default_factory=lambda: env_port("WEB_PORT", 8080))
    # Origins (scheme://host[:port]) whose pages may open the chat socket; empty: the page itself.
    web_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(os.environ.get("WEB_ORIGINS", "").split())
    )
    # Rasa processes behind the router on rasa_port (one per core by default).
    rasa_processes: int = field(default_factory=env_rasa_processes)

    @property
    def action_server_url(self) -> str:
        return os.environ.get(
            "ACTION_SERVER_URL", f"http://127.0.0.1:{self.action_port}/webhook"
        )

    @property
    def rest_url(self) -> str:
        host = "localhost" if self.rasa_host in ("127.0.0.1", "0.0.0.0") else self.rasa_host
        return f"http://{host}:{self.rasa_port}/webhooks/rest/webhook"

    @property
    def web_url(self) -> str:
        host = "localhost" if self.rasa_host in ("127.0.0.1", "0.0.0.0") else self.rasa_host
        return f"http://{host}:{self.web_port}/"

    @property
    def allowed_web_origins(self) -> tuple[str, ...]:
        return self.web_origins or (
            f"http://localhost:{self.web_port}", f"http://127.0.0.1:{self.web_port}"
        )

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def environment(self) -> dict[str, str]:
        """Variables the Rasa processes need (endpoints.yml refers to them)."""
        return {
            "ACTION_SERVER_URL": self.action_server_url,
            "BOT_DATA_DIR": str(self.data_dir.resolve()),
            # the action server listens on loopback only
            "SANIC_HOST": "127.0.0.1",
            # the socket.io channel (bot.channels.socketio) and the web page (bot.web)
            "RASA_PORT": str(self.rasa_port),
            "WEB_PORT": str(self.web_port),
            "WEB_ORIGINS": " ".join(self.allowed_web_origins),
            **QUIET_ENV,
        }
