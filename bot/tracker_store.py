"""The tracker store: Rasa's SQL tracker store with recently active conversations kept in memory.

endpoints.yml (SQLite, embedded) and bot.stores.tracker_store (PostgreSQL) name it by its dotted
path, ``bot.tracker_store.CachedSQLTrackerStore``; Rasa loads it with the same settings as its
own ``type: SQL`` store.
"""

from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    stored: int  # how many of tracker.events are in the database
    last_id: int  # the highest event id of this conversation in the database


class CachedSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store (same tables, same settings) that keeps recently active
    conversations in memory, so that a turn costs O(its new events), not O(the conversation).

    Rasa's own store rebuilds the tracker from every event of the session on each message and,
    to save, counts the stored events first. This one keeps the tracker it handed out:

    * ``retrieve`` asks the database only for the conversation's highest event id. When that is
      the id this process last wrote or read, and the tracker holds no unsaved events (a turn
      that failed before saving), the kept tracker is returned; otherwise it is rebuilt from
      the database as Rasa does. So another server's writes (several Rasa processes on one
      PostgreSQL) are always seen.
    * ``save`` appends only the events added since, and remembers the new highest id.

    At most ``max_conversations`` trackers are kept (least recently used first out).
    """

    def __init__(self, *args: Any, max_conversations: int = 2000, **kwargs: Any) -> None:
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self.max_conversations = int(max_conversations)
        super().__init__(*args, **kwargs)

    # the domain (its slots) is part of every kept tracker: a new model's domain clears them
    @property
    def domain(self) -> Domain | None:
        return self._domain

    @domain.setter
    def domain(self, domain: Domain | None) -> None:
        self._domain = domain or Domain.empty()
        self._cache.clear()

    def _last_id(self, connection: Any, sender_id: str) -> int:
        table = self.SQLEvent.__table__
        query = sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sender_id)
        return int(connection.execute(query).scalar() or 0)

    def _keep(self, sender_id: str, entry: _Cached) -> None:
        self._cache[sender_id] = entry
        self._cache.move_to_end(sender_id)
        while len(self._cache) > self.max_conversations:
            self._cache.popitem(last=False)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        entry = self._cache.get(sender_id)
        with self.engine.connect() as connection:  # SQLAlchemy Core: no ORM session per turn
            last_id = self._last_id(connection, sender_id)
        if entry is not None and entry.last_id == last_id and last_id and (
            len(entry.tracker.events) == entry.stored
        ):
            self._cache.move_to_end(sender_id)
            return entry.tracker
        self._cache.pop(sender_id, None)
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            # an event written between the two reads makes last_id stale: the next retrieve
            # then sees a higher id and rebuilds, so nothing is missed
            self._keep(sender_id, _Cached(tracker, len(tracker.events), last_id))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        entry = self._cache.get(tracker.sender_id)
        if entry is None or entry.tracker is not tracker:
            await super().save(tracker)
            with self.engine.connect() as connection:
                last_id = self._last_id(connection, tracker.sender_id)
            self._keep(tracker.sender_id, _Cached(tracker, len(tracker.events), last_id))
            return
        await self.stream_events(tracker)
        new = list(itertools.islice(tracker.events, entry.stored, None))
        if new:
            with self.engine.begin() as connection:  # one transaction: the rows, then their ids
                connection.execute(
                    self.SQLEvent.__table__.insert(),
                    [self._row(tracker.sender_id, event) for event in new],
                )
                last_id = self._last_id(connection, tracker.sender_id)
        else:
            last_id = entry.last_id
        entry.stored += len(new)
        entry.last_id = last_id
        self._cache.move_to_end(tracker.sender_id)

    @staticmethod
    def _row(sender_id: str, event: Any) -> dict[str, Any]:
        """The database row of one event, as Rasa's SQLTrackerStore.save writes it."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
