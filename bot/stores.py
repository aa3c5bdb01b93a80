"""The tracker and lock stores: embedded by default, production ones selected by environment
variables (docs/deployment.md), and the Redis lock store Rasa loads by its dotted path.

By default (nothing set) the bot keeps its embedded set-up from endpoints.yml: conversations in
SQLite under BOT_DATA_DIR and Rasa's in-memory lock store. That is right for one Rasa server.
Several Rasa servers behind a load balancer must share both:

* ``DB_HOST`` set: conversations in PostgreSQL (Rasa's SQL tables, through
  bot.tracker_store.CachedSQLTrackerStore), with ``DB_PORT``
  (5432), ``DB_NAME`` (``rasa``), ``DB_USER`` (required) and ``DB_PASSWORD``;
* ``REDIS_HOST`` set: conversation locks in Redis, with ``REDIS_PORT`` (6379), ``REDIS_DB`` (1)
  and ``REDIS_PASSWORD``. The lock store is :class:`RedisTicketLockStore`, Rasa's Redis lock
  store with each change of a lock made atomic: Rasa 3.6's own reads, changes and writes the
  lock in separate steps, so two servers receiving messages of one conversation at the same
  moment can both take the lock, and one turn's events are then lost from the tracker store
  (RasaHQ/rasa#9213; tests/e2e/test_scale_out.py shows it).

Passwords are never written to the rendered endpoints.yml: it refers to ``${DB_PASSWORD}`` /
``${REDIS_PASSWORD}``, which Rasa reads from its own environment when it loads the file.
A half-configured production store is an error that stops the start (a silent fall-back to
SQLite would split the conversations between the servers).

The launcher for such a deployment is bot/production.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# Rasa's SQL tracker store with recent conversations in memory (bot/tracker_store.py), by the
# dotted path Rasa loads it from; not imported here, so that `make run` stays quiet
TRACKER_STORE = "bot.tracker_store.CachedSQLTrackerStore"
DB_VARIABLES = ("DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD")
REDIS_VARIABLES = ("REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD")


class ProductionConfigError(SystemExit):
    """A production variable is missing or wrong; the message names it."""


def _get(values: Mapping[str, str], name: str) -> str:
    return (values.get(name) or "").strip()


def _number(values: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = _get(values, name) or str(default)
    try:
        number = int(raw)
    except ValueError:
        raise ProductionConfigError(f"{name}={raw!r} is not a number") from None
    if not low <= number <= high:
        raise ProductionConfigError(f"{name}={raw!r} must be between {low} and {high}")
    return number


def _host(values: Mapping[str, str], name: str) -> str:
    host = _get(values, name)
    if any(c in host for c in "/@:") or any(c.isspace() for c in host):
        raise ProductionConfigError(
            f"{name}={host!r} must be a host name or IPv4 address only, not a URL (the port "
            f"goes in {name.replace('HOST', 'PORT')})"
        )
    return host


def _switched_on(values: Mapping[str, str], variables: Sequence[str], on: str, off: str) -> bool:
    """Whether the first variable (the host) is set; the others without it are an error."""
    host = variables[0]
    if _get(values, host):
        return True
    extra = [name for name in variables[1:] if _get(values, name)]
    if extra:
        raise ProductionConfigError(
            f"{', '.join(extra)} set but {host} is not: set {host} to {on}, or unset them to {off}"
        )
    return False


def tracker_store(values: Mapping[str, str]) -> dict | None:
    """Rasa's SQL tracker store on PostgreSQL, or None when DB_HOST is not set."""
    if not _switched_on(values, DB_VARIABLES, "use PostgreSQL", "keep conversations in SQLite"):
        return None
    if not _get(values, "DB_USER"):
        raise ProductionConfigError("DB_HOST is set but DB_USER is not")
    store = {
        "type": TRACKER_STORE,
        "dialect": "postgresql",
        # Rasa's SQL tracker store takes the host as the endpoint's url
        "url": _host(values, "DB_HOST"),
        "port": _number(values, "DB_PORT", 5432, 1, 65535),
        "db": _get(values, "DB_NAME") or "rasa",
        "username": _get(values, "DB_USER"),
    }
    if values.get("DB_PASSWORD"):
        store["password"] = "${DB_PASSWORD}"
    return store


def lock_store(values: Mapping[str, str]) -> dict | None:
    """Rasa's Redis lock store, or None when REDIS_HOST is not set."""
    if not _switched_on(
        values, REDIS_VARIABLES, "lock conversations in Redis", "keep the in-memory lock store"
    ):
        return None
    store = {
        "type": f"{__name__}.{RedisTicketLockStore.__name__}",
        # as Rasa's Redis lock store: the host is the endpoint's url
        "url": _host(values, "REDIS_HOST"),
        "port": _number(values, "REDIS_PORT", 6379, 1, 65535),
        "db": _number(values, "REDIS_DB", 1, 0, 1_000_000),
    }
    if values.get("REDIS_PASSWORD"):
        store["password"] = "${REDIS_PASSWORD}"
    return store


def production_endpoints(values: Mapping[str, str]) -> dict | None:
    """The endpoints.yml blocks that replace the embedded defaults, or None when no production
    variable is set. ``values`` are the variables the template is rendered with (environment
    and settings)."""
    blocks = {
        key: block
        for key, block in (("tracker_store", tracker_store(values)),
                           ("lock_store", lock_store(values)))
        if block is not None
    }
    return blocks or None


_DELETE = object()


class RedisTicketLockStore(RedisLockStore):
    """Rasa's Redis lock store (same settings, same keys and ticket algorithm) in which every
    change of a conversation's lock is one Redis transaction (WATCH / MULTI / EXEC, retried when
    another server changed the lock in between)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # how Rasa creates a lock store named by its class
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple]) -> Any:
        """Apply ``change(lock) -> (what to store, result)`` atomically; ``what to store`` is a
        lock, ``_DELETE``, or None (leave it). Returns ``result``."""
        key = self.key_prefix + conversation_id

        def transaction(pipe) -> Any:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            store, result = change(lock)
            pipe.multi()
            if store is _DELETE:
                pipe.delete(key)
            elif store is not None:
                pipe.set(key, store.dumps())
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as exc:  # noqa: BLE001 - as Rasa's: any failure is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    def update_lock(self, conversation_id: str) -> None:
        def remove_expired(lock: TicketLock | None) -> tuple:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, remove_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back, and delete the lock if no one else holds a ticket, in one step
        (Rasa's does it in three, and can delete a lock another server just took a ticket of)."""

        def give_back(lock: TicketLock | None) -> tuple:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else _DELETE), None

        self._change(conversation_id, give_back)
