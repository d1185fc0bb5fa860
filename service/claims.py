"""Event-id claims, as earlier versions stored them: an `EventIdClaimed` aggregate saved
beside each fact, whose stream id derives from the event id. Parley now indexes event ids in
the `event_ids` table instead; the class stays so that the claim rows still in old stores
decode, and the log, exports and views skip them (they filter by the facts' topics).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from parley.domain.subjects import SubjectId
from parley.projections.sql import Database
from parley.service import event_ids
from parley.service.topics import with_old_spellings

CLAIM_NAMESPACE = UUID("0d5c8f0e-4a8b-4f7e-9a43-1c2b7d9e6f21")


class EventIdClaimed(Aggregate):
    """Which subject and version an event id was recorded as, and a digest of its content."""

    class Created(Aggregate.Created):
        class_version = 1
        event_id: str
        subject: str
        version: int
        digest: str

    @staticmethod
    def create_id(event_id: str) -> UUID:
        return uuid5(CLAIM_NAMESPACE, event_id.lower())

    def __init__(self, event_id: str, subject: str, version: int, digest: str):
        self.event_id = event_id
        self.subject = subject
        self.version = version
        self.digest = digest


CLAIM_TOPICS = frozenset(with_old_spellings([get_topic(EventIdClaimed.Created)]))
MIGRATION = "event-id claims to event_ids"
MIGRATIONS = (
    "CREATE TABLE IF NOT EXISTS parley_migrations (name TEXT PRIMARY KEY, position BIGINT NOT NULL, done INTEGER NOT NULL)"
)
BATCH = 1000
Progress = Callable[[int, int], None]


def copy_claims(app: Any, database: Database, progress: Progress | None = None) -> int:
    """Copy every claim an older version stored into `event_ids`, once; returns how many.

    Stored rows are only read, never changed. Each batch is copied in one transaction with
    the position it reached, moved by compare-and-set, so a killed copy resumes where it
    stopped and two processes starting together copy each batch once between them.
    """
    copied = 0
    table = app.recorder.events_table_name
    while (start := _unfinished(database, table)) is not None:
        rows = app.recorder.select_notifications(start=start, limit=BATCH, inclusive_of_start=False)
        entries = _entries(app, database, table, rows)
        with database.transaction(commit=True) as cursor:
            end = rows[-1].id if rows else start
            moved = cursor.execute(
                "UPDATE parley_migrations SET position = ?, done = ? WHERE name = ? AND position = ? AND done = 0"
                " RETURNING position",
                (end, int(not rows), MIGRATION, start),
            ).fetchone()
            if moved is None:
                continue  # another process copied this batch first
            cursor.executemany(
                event_ids.INSERT + " ON CONFLICT (event_id) DO NOTHING",
                [(e.event_id, e.position, e.subject, e.version, e.digest) for e in entries],
            )
        copied += len(entries)
        if progress and rows:
            progress(end, app.recorder.max_notification_id() or end)
    return copied


def _unfinished(database: Database, table: str) -> int | None:
    """Where the copy stands, or None once it is done: at once for a store with no events."""
    with database.transaction(commit=True) as cursor:
        cursor.execute(MIGRATIONS)
        row = cursor.execute("SELECT position, done FROM parley_migrations WHERE name = ?", (MIGRATION,)).fetchone()
        if row is None:
            events = cursor.scalar(f"SELECT 1 FROM {table} LIMIT 1")
            cursor.execute(
                "INSERT INTO parley_migrations (name, position, done) VALUES (?, 0, ?) ON CONFLICT (name) DO NOTHING",
                (MIGRATION, int(events is None)),
            )
            row = cursor.execute("SELECT position, done FROM parley_migrations WHERE name = ?", (MIGRATION,)).fetchone()
    return None if row["done"] else row["position"]


def _entries(app: Any, database: Database, table: str, rows: Sequence[Notification]) -> list[event_ids.EventId]:
    """The claims among the rows, each with the position of the fact it claims: the row just
    before it, since a claim was always inserted right after its fact."""
    entries, previous = [], None
    for row in rows:
        if row.topic in CLAIM_TOPICS:
            claim = app.mapper.to_domain_event(row)
            stream_id = SubjectId.parse(claim.subject).stream_id
            if previous is not None and (previous.originator_id, previous.originator_version) == (stream_id, claim.version):
                position = previous.id
            else:
                position = _position_of(database, table, stream_id, claim.version)
            entries.append(event_ids.EventId(claim.event_id, claim.subject, claim.version, claim.digest, position))
        previous = row
    return entries


def _position_of(database: Database, table: str, stream_id: UUID, version: int) -> int:
    column, key = ("notification_id", stream_id) if database.postgres else ("rowid", stream_id.hex)
    with database.transaction(commit=False) as cursor:
        return cursor.scalar(f"SELECT {column} FROM {table} WHERE originator_id = ? AND originator_version = ?", (key, version))
