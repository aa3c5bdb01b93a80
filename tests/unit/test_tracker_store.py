"""The tracker store that keeps recent conversations in memory (bot.tracker_store), on a real
SQLite file: events in order exactly once, another server's writes seen, a failed turn
never half-kept."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered

from bot import PROJECT_ROOT
from bot.stores import TRACKER_STORE
from bot.tracker_store import CachedSQLTrackerStore

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "conversations.db")


def store(db: str, **kwargs) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=db, **kwargs)


def rows(db: str, sender: str) -> list[tuple[str, str | None]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT type_name, COALESCE(intent_name, action_name) FROM events"
            " WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()


def since_start(tracker) -> list:
    events = list(tracker.events)
    starts = [i for i, e in enumerate(events) if isinstance(e, SessionStarted)]
    return events[starts[-1]:]


def turn(tracker, text: str, intent: str) -> None:
    tracker.update(UserUttered(text, {"name": intent, "confidence": 1.0}))
    tracker.update(ActionExecuted("action_answer_question"))
    tracker.update(ActionExecuted("action_listen"))


def new_conversation(s: CachedSQLTrackerStore, sender: str):
    tracker = run(s.get_or_create_tracker(sender))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    run(s.save(tracker))
    return tracker


def test_each_event_is_stored_once_in_order_and_the_tracker_is_kept(db):
    s = store(db)
    tracker = new_conversation(s, "a")
    for number in range(3):
        again = run(s.retrieve("a"))
        assert again is tracker  # kept in memory: not rebuilt from the events
        turn(again, f"question {number}", "ask_risks")
        run(s.save(again))
    stored = rows(db, "a")
    assert [name for kind, name in stored if kind == "user"] == ["ask_risks"] * 3
    assert len(stored) == len(tracker.events) == 4 + 3 * 3
    # the database alone gives the same session (a restarted server, which as Rasa's own store
    # reads the events from the latest session start)
    rebuilt = run(store(db).retrieve("a"))
    assert [e.as_dict() for e in rebuilt.events] == [e.as_dict() for e in since_start(tracker)]


def test_the_same_rows_as_rasas_own_sql_store(db, tmp_path):
    theirs_db = str(tmp_path / "rasa.db")
    ours, theirs = store(db), SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=theirs_db)
    for s in (ours, theirs):
        tracker = new_conversation(s, "a")
        tracker = run(s.retrieve("a"))
        turn(tracker, "does it hurt", "ask_sensation")
        tracker.update(SlotSet("procedure", "biopsy"))
        run(s.save(tracker))
    assert rows(db, "a") == rows(theirs_db, "a")


def test_another_servers_write_is_seen(db):
    one, two = store(db), store(db)
    tracker = new_conversation(one, "a")
    assert run(one.retrieve("a")) is tracker
    # the other server answers a turn of the same conversation
    elsewhere = run(two.retrieve("a"))
    turn(elsewhere, "how is it done", "ask_how_performed")
    elsewhere.update(SlotSet("procedure", "aspiration"))
    run(two.save(elsewhere))
    fresh = run(one.retrieve("a"))
    assert fresh is not tracker
    assert fresh.get_slot("procedure") == "aspiration"
    assert fresh.latest_message.intent["name"] == "ask_how_performed"
    # and this server's next turn is appended after it, once
    turn(fresh, "does it hurt", "ask_sensation")
    run(one.save(fresh))
    assert [n for k, n in rows(db, "a") if k == "user"] == ["ask_how_performed", "ask_sensation"]


def test_a_turn_that_was_never_saved_is_not_kept(db):
    s = store(db)
    new_conversation(s, "a")
    tracker = run(s.retrieve("a"))
    turn(tracker, "will it hurt", "ask_sensation")  # the turn fails before saving
    again = run(s.retrieve("a"))
    assert again is not tracker
    assert not [e for e in again.events if isinstance(e, UserUttered)]


def test_only_the_most_recent_conversations_are_kept(db):
    s = store(db, max_conversations=2)
    first = new_conversation(s, "a")
    new_conversation(s, "b")
    new_conversation(s, "c")
    assert run(s.retrieve("c")) is not None
    again = run(s.retrieve("a"))  # forgotten, so rebuilt from the database
    assert again is not first and len(again.events) == len(since_start(first))


def test_a_new_domain_forgets_the_kept_trackers(db):
    s = store(db)
    tracker = new_conversation(s, "a")
    s.domain = DOMAIN
    assert run(s.retrieve("a")) is not tracker


def test_an_unknown_conversation_is_none(db):
    assert run(store(db).retrieve("nobody")) is None


def test_endpoints_name_this_store_by_a_path_rasa_can_load():
    # Rasa falls back to an in-memory store, with only a warning, when the path is wrong
    from rasa.shared.utils.common import class_from_module_path

    assert class_from_module_path(TRACKER_STORE) is CachedSQLTrackerStore
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["tracker_store"]["type"] == TRACKER_STORE
