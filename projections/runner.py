"""Keeps a projection current: reads the log after its tracked position and applies it.

SQLite's recorder has no subscriptions, so catching up reads the notification log; the
same code runs on PostgreSQL. Each batch is written in one transaction with its tracking
record, moved first from the position the batch was read after: if another process moved it
meanwhile, the batch is refused and reread, so every event is applied exactly once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError

from parley.projections import subject_states
from parley.projections.sql import Cursor, Database

Progress = Callable[[int, int], None]
REBUILD_BATCH = 10_000
LAYOUTS = "CREATE TABLE IF NOT EXISTS projection_layouts (name TEXT PRIMARY KEY, layout INTEGER NOT NULL)"


class ProjectionRunner:
    name = subject_states.NAME

    def __init__(self, app: Application, database: Database, tracking: object, topics: Sequence[str], batch_size: int = 1000):
        self.app = app
        self.database = database
        self.tracking = tracking
        self.topics = list(topics)
        self.batch_size = batch_size
        self._lock = threading.Lock()

    def create_tables(self) -> None:
        """Create the views; views of an older layout are dropped, to be refolded from the log."""
        with self.database.transaction(commit=True) as cursor:
            cursor.execute(LAYOUTS)
            layout = cursor.scalar("SELECT layout FROM projection_layouts WHERE name = ?", (self.name,))
            if layout != subject_states.LAYOUT:
                self._drop(cursor)
                cursor.execute(
                    "INSERT INTO projection_layouts (name, layout) VALUES (?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET layout = excluded.layout",
                    (self.name, subject_states.LAYOUT),
                )
            for statement in subject_states.TABLES:
                cursor.execute(statement)

    def position(self) -> int:
        return self.tracking.max_tracking_id(self.name) or 0

    def catch_up(self, progress: Progress | None = None, batch_size: int | None = None) -> int:
        """Apply everything recorded so far; returns how many events this call applied."""
        applied = 0
        with self._lock:
            while True:
                start = self.position()
                notifications = self.app.recorder.select_notifications(
                    start=start, limit=batch_size or self.batch_size, topics=self.topics, inclusive_of_start=False
                )
                if not notifications:
                    return applied
                batch = [(n.id, self.app.mapper.to_domain_event(n).as_fact()) for n in notifications]
                try:
                    with self.database.transaction(commit=True) as cursor:
                        self._advance(cursor, start, notifications[-1].id)
                        subject_states.apply_batch(cursor, batch)
                except IntegrityError:
                    continue  # another process applied this batch first
                applied += len(batch)
                if progress:
                    progress(len(batch), notifications[-1].id)

    def _advance(self, cursor: Cursor, start: int, end: int) -> None:
        """Move the tracked position from `start` to `end`, first thing in the batch's transaction.

        A compare-and-set, not an upsert: if another process applied events after `start`, or a
        rebuild reset the views, since this batch was read, the batch is refused and reread.
        """
        table = self._tracking_table()
        if start == 0:  # fails if a position was recorded meanwhile
            cursor.execute(f"INSERT INTO {table} (application_name, notification_id) VALUES (?, ?)", (self.name, end))
            return
        moved = cursor.execute(
            f"UPDATE {table} SET notification_id = ? WHERE application_name = ? AND notification_id = ?"
            " RETURNING notification_id",
            (end, self.name, start),
        ).fetchone()
        if moved is None:
            raise IntegrityError(f"{self.name} moved past {start} since its batch was read")

    def rebuild(self, progress: Progress | None = None) -> int:
        """Drop the views and refold them from position zero through `catch_up`."""
        with self._lock, self.database.transaction(commit=True) as cursor:
            self._drop(cursor)
            for statement in subject_states.TABLES:
                cursor.execute(statement)
        # Larger batches than live updating uses: a subject refolds once per batch however many
        # of its events the batch holds, and each commit writes every page the batch touched.
        return self.catch_up(progress, max(self.batch_size, REBUILD_BATCH))

    def _drop(self, cursor: Cursor) -> None:
        for statement in subject_states.DROP:
            cursor.execute(statement)
        cursor.execute("DELETE FROM " + self._tracking_table() + " WHERE application_name = ?", (self.name,))

    def _tracking_table(self) -> str:
        return getattr(self.tracking, "tracking_table_name", "tracking")
