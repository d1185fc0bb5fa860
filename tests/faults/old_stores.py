"""Stores as older versions of Parley left them, on either backend.

The fixtures are SQLite files; on PostgreSQL their rows are copied, byte for byte and in
order, into an empty database by eventsourcing's own recorder, before Parley opens it, so
Parley finds what an older version would have left there: events only, none of today's tables.
"""

from __future__ import annotations

import sqlite3
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresFactory
from eventsourcing.sqlite import SQLiteFactory
from eventsourcing.utils import Environment, get_topic

from parley.service.bootstrap import System, persistence_env
from parley.service.claims import EventIdClaimed
from parley.service.settings import Settings


def stored_rows(path: str) -> list[StoredEvent]:
    with sqlite3.connect(path.removeprefix("sqlite:///")) as db:
        rows = db.execute("SELECT originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid")
        return [StoredEvent(UUID(o), v, t, s) for o, v, t, s in rows]


def old_store(sqlite_path: str, database_url: str) -> str:
    """The URL of the old store at `sqlite_path` on this backend: itself, or its copy into PostgreSQL."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{sqlite_path.removeprefix('sqlite:///')}"
    factory = PostgresFactory(Environment("parley", persistence_env(Settings(database_url=database_url))))
    try:
        factory.application_recorder().insert_events(stored_rows(sqlite_path))
    finally:
        factory.close()
    return database_url


def with_claims(new_store: System, path: str) -> str:
    """An old SQLite store at `path` holding `new_store`'s facts as earlier versions wrote
    them: each followed by its `EventIdClaimed` (under today's module path)."""
    app = new_store.app
    rows = []
    for notification in app.recorder.select_notifications(start=None, limit=10**9):
        fact = app.mapper.to_domain_event(notification)
        entry = app.event_ids.get(fact.event_id)
        claim = EventIdClaimed.Created(
            originator_topic=get_topic(EventIdClaimed),
            originator_id=EventIdClaimed.create_id(entry.event_id),
            originator_version=1,
            timestamp=EventIdClaimed.Created.create_timestamp(),
            event_id=entry.event_id,
            subject=entry.subject,
            version=entry.version,
            digest=entry.digest,
        )
        rows += [notification, app.mapper.to_stored_event(claim)]
    factory = SQLiteFactory(Environment("parley", {"SQLITE_DBNAME": path}))
    try:
        factory.application_recorder().insert_events(rows)
    finally:
        factory.close()
    return path
