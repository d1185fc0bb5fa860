"""The `event_ids` table: the store-wide index that makes `event_id` idempotent across processes.

Each recorded event's id is inserted into it in the same transaction as the event, by the
application recorder (service/sqlite.py, service/postgres.py). The id is the table's primary
key, so a second save of the same id is the database's unique violation, whichever process
tries: the save fails whole and the write is decided again, carefully (service/deciding.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from parley.projections.sql import Cursor, Database

TABLE = ("CREATE TABLE IF NOT EXISTS event_ids (event_id TEXT PRIMARY KEY, position BIGINT NOT NULL,"
         " subject TEXT NOT NULL, version BIGINT NOT NULL, digest TEXT NOT NULL)")
SQLITE_TABLE = TABLE + " WITHOUT ROWID"  # the key is the row: one b-tree, not a table and an index
INSERT = "INSERT INTO event_ids (event_id, position, subject, version, digest) VALUES (?, ?, ?, ?, ?)"


class EventId(NamedTuple):
    """Which subject and version an event id was recorded as, where, and a digest of its content."""

    event_id: str
    subject: str
    version: int
    digest: str
    position: int = 0  # known once the event is inserted


def digest(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def insert(cursor: Cursor, event_ids: Sequence[EventId] | None, positions: Sequence[int] | None) -> None:
    """Index the ids of events just inserted at `positions`, one id per event, in order."""
    if not event_ids:
        return
    assert positions is not None and len(positions) == len(event_ids), "one event id per stored event"
    cursor.executemany(INSERT, [(e.event_id, p, e.subject, e.version, e.digest) for e, p in zip(event_ids, positions)])


class EventIdIndex:
    """Looks event ids up; the recorders write them."""

    def __init__(self, database: Database):
        self.database = database

    def get(self, event_id: str) -> EventId | None:
        with self.database.transaction(commit=False) as cursor:
            row = cursor.execute(
                "SELECT event_id, subject, version, digest, position FROM event_ids WHERE event_id = ?", (event_id,)
            ).fetchone()
        return None if row is None else EventId(*(row[k] for k in EventId._fields))
