"""Run-time settings from environment variables, with embedded defaults for a local run.

The one place that reads the environment (tools/check_imports.py fails the tests when another
runtime module does; the messaging channels read their own credentials). Other modules get
values from here, and child processes get theirs from :func:`child_environment`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

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


DEFAULT_KNOWLEDGE_BASE = PROJECT_ROOT / "knowledge" / "knowledge_base.yml"
DEFAULT_CLINIC_PROFILE = PROJECT_ROOT / "clinic" / "default.yml"


def environment() -> dict[str, str]:
    """A copy of this process's environment (templates are filled from it)."""
    return dict(os.environ)


def child_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a server or tool this process starts: its own, plus ``extra``."""
    return {**os.environ, **(extra or {})}


def knowledge_base_path() -> Path:
    """KNOWLEDGE_BASE: the knowledge base in use. `make run` passes it to the servers when the
    clinic adds documents of its own (bot/serve.py); else the committed one."""
    return Path(os.environ.get("KNOWLEDGE_BASE") or DEFAULT_KNOWLEDGE_BASE)


def clinic_profile_path() -> Path:
    """CLINIC_PROFILE: the clinic profile file; else the shipped clinic/default.yml."""
    return Path(os.environ.get("CLINIC_PROFILE") or DEFAULT_CLINIC_PROFILE)


def max_message_chars() -> int:
    """BOT_MAX_MESSAGE_CHARS: longer messages get the "too long" reply (bot/guard.py)."""
    return int(os.environ.get("BOT_MAX_MESSAGE_CHARS", "1000"))


def reply_timeout() -> float:
    """BOT_REPLY_TIMEOUT: seconds before the guard answers with the apology (bot/guard.py)."""
    return float(os.environ.get("BOT_REPLY_TIMEOUT", "15"))


def start_timeout() -> float:
    """BOT_START_TIMEOUT: seconds a server may take to answer after starting."""
    return float(os.environ.get("BOT_START_TIMEOUT", "180"))


def action_host() -> str:
    """ACTION_HOST: where `python -m bot.production actions` listens (loopback by default)."""
    return os.environ.get("ACTION_HOST", "127.0.0.1")


def silence_sqlalchemy() -> None:
    """Rasa's SQL tracker store warns about SQLAlchemy 2.0 on import; not news for a report."""
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


def public_socket_url(raw: str, error: type[Exception] = SystemExit) -> str:
    """CHAT_SOCKET_URL: scheme and host (and port) only, e.g. https://chat.clinic.example.org."""
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise error(f"CHAT_SOCKET_URL={raw!r} must look like https://chat.clinic.example.org")
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class WebSettings:
    """The clinic page's settings (bot/web.py)."""

    port: int = 8080
    host: str = "127.0.0.1"
    rasa_port: int = 5005
    socket_url: str | None = None  # public URL of the Rasa server, when not "<page host>:rasa_port"
    staff_token: str | None = None  # STAFF_TOKEN: the staff page is off without it

    @classmethod
    def from_env(cls, error: type[Exception] = SystemExit) -> WebSettings:
        public = os.environ.get("CHAT_SOCKET_URL", "").strip()
        return cls(
            port=env_port("WEB_PORT", 8080, error),
            host=os.environ.get("WEB_HOST") or os.environ.get("RASA_HOST") or "127.0.0.1",
            rasa_port=env_port("RASA_PORT", 5005, error),
            socket_url=public_socket_url(public, error) if public else None,
            staff_token=staff_token(error),
        )


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


# For every server: one BLAS/OpenMP thread per process. The sentence encoder's matrix products
# would otherwise start a thread per core in every Rasa process, and those threads spin: measured
# with `make bench` on 2 cores, 8 conversations, a Rasa process used 42.5 ms of CPU per message
# with the default threads and 20.4 ms with one; two Rasa processes behind the router went from
# 44 to 73 messages/s. One process per core is how `make run` uses the cores (bot/router.py).
SERVER_THREADS_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
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
