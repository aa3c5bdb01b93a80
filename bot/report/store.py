"""Reading the conversations back from Rasa's SQL tracker store.

The store is the one the bot writes (endpoints.yml): SQLite at ``$BOT_DATA_DIR/conversations.db``
by default, PostgreSQL when ``DB_HOST`` (and ``DB_USER``...) are set (bot/production.py). Events
are read through Rasa's own SQLAlchemy model of the store (``SQLTrackerStore.SQLEvent``) and its
URL builder (``SQLTrackerStore.get_db_url``), never by hand-written SQL, and the store is only
read: a missing SQLite file is reported, not created.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.settings import CONVERSATIONS_DB, environment, silence_sqlalchemy
from bot.stores import ProductionConfigError, tracker_store

# event types the report needs (the others are never parsed)
WANTED_TYPES = ("user", "bot", "action", "slot", "rewind")


class ReportError(RuntimeError):
    """The store cannot be read: a clear one-line reason for the person running the report."""


@dataclass(frozen=True)
class StoreLocation:
    url: Any  # sqlalchemy URL or str
    description: str  # for messages: never contains a password
    sqlite_file: Path | None = None


def locate_store(env: Mapping[str, str] | None = None) -> StoreLocation:
    """Where the bot keeps its conversations, from the same settings as the bot itself."""
    env = environment() if env is None else env

    try:
        postgres = tracker_store(env)
    except ProductionConfigError as exc:
        raise ReportError(str(exc)) from None
    tracker_store_class = _sql_tracker_store()
    if postgres:
        url = tracker_store_class.get_db_url(
            "postgresql", host=postgres["url"], port=postgres["port"], db=postgres["db"],
            username=postgres["username"], password=env.get("DB_PASSWORD") or None,
        )
        where = f"PostgreSQL database {postgres['db']!r} on {postgres['url']}:{postgres['port']}"
        return StoreLocation(url, where)
    from bot.settings import Settings

    data_dir = Path(env["BOT_DATA_DIR"]) if env.get("BOT_DATA_DIR") else Settings().data_dir
    path = data_dir / CONVERSATIONS_DB
    return StoreLocation(tracker_store_class.get_db_url("sqlite", db=str(path)), str(path), path)


def _sql_tracker_store():
    silence_sqlalchemy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa.core.tracker_store import SQLTrackerStore
    return SQLTrackerStore


@dataclass(frozen=True)
class Event:
    conversation: int  # a number for this report only: sender ids never leave this module
    type: str
    timestamp: float
    data: dict[str, Any]


def read_events(location: StoreLocation, since: float, until: float) -> Iterator[Event]:
    """The events with ``since <= timestamp < until``, conversation by conversation, in order."""
    import sqlalchemy as sa

    if location.sqlite_file is not None and not location.sqlite_file.is_file():
        raise ReportError(
            f"no conversations store at {location.description}: the bot has not stored any "
            "conversation yet (is BOT_DATA_DIR right?)"
        )
    sql_event = _sql_tracker_store().SQLEvent
    engine = sa.create_engine(location.url)
    try:
        try:
            if not sa.inspect(engine).has_table(sql_event.__tablename__):
                raise ReportError(
                    f"{location.description} has no conversations table: the bot has not "
                    "stored any conversation yet"
                )
        except sa.exc.SQLAlchemyError as exc:
            raise ReportError(f"cannot read {location.description}: {exc.__class__.__name__}"
                              ) from None
        query = (
            sa.select(sql_event.sender_id, sql_event.type_name, sql_event.timestamp,
                      sql_event.data)
            .where(sql_event.timestamp >= since, sql_event.timestamp < until,
                   sql_event.type_name.in_(WANTED_TYPES))
            .order_by(sql_event.sender_id, sql_event.id)
        )
        numbers: dict[str, int] = {}
        with engine.connect() as connection:
            for sender, type_name, timestamp, data in connection.execute(query):
                number = numbers.setdefault(sender, len(numbers) + 1)
                try:
                    parsed = json.loads(data) if data else {}
                except ValueError:
                    continue
                yield Event(number, type_name, float(timestamp or 0), parsed)
    finally:
        engine.dispose()
