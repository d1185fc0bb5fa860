"""SQLite as Parley uses it: eventsourcing's recorder, writing each event's id with the event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing import sqlite
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from parley.projections.sql import Cursor
from parley.service import event_ids


class EventIdRecorder(sqlite.SQLiteApplicationRecorder):
    """Inserts the `event_ids` rows passed to `insert_events` in the events' transaction."""

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), event_ids.SQLITE_TABLE]

    def _insert_events(self, c: sqlite.SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        event_ids.insert(Cursor(c, postgres=False), kwargs.get("event_ids"), positions)
        return positions


class SQLiteFactory(sqlite.SQLiteFactory):
    application_recorder_class = EventIdRecorder


SQLITE = get_topic(SQLiteFactory)
