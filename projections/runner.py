"""Keeps a projection current: reads the log after its tracked position and applies it.

SQLite's recorder has no subscriptions, so catching up reads the notification log; the
same code runs on PostgreSQL. Each batch is written in one transaction with its tracking
record, moved first from the position the batch was read after: if another process moved it
meanwhile, or a rebuild switched readers to a new generation, the batch is refused and
reread, so every event is applied exactly once to the views readers use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError

from parley.domain.facts import Fact
from parley.projections.generations import Generations
from parley.projections.rebuild import Progress, Rebuild
from parley.projections.sql import Cursor, Database
from parley.projections.stored_facts import fact_of
from parley.projections.subject_states import SubjectStates

Batch = Sequence[tuple[int, Fact]]
Apply = Callable[[Cursor, int, Batch], None]


class ViewRunner:
    """Runs one projection (an object with `name`, `layout`, `tables`, `indexes`, `apply_batch`, `drop`)."""

    def __init__(
        self,
        app: Application,
        database: Database,
        tracking: object,
        topics: Sequence[str],
        batch_size: int = 1000,
        projection: Any = None,
        rebuild_batch: int = 10_000,
    ):
        self.app = app
        self.database = database
        self.tracking = tracking
        self.tracking_table: str = getattr(tracking, "tracking_table_name", "tracking")
        self.topics = list(topics)
        self.batch_size = batch_size
        self.rebuild_batch = rebuild_batch
        self.projection = projection or SubjectStates()
        self.name: str = self.projection.name
        self.generations = Generations(self.name, database.postgres)
        self._lock = threading.Lock()

    def create_tables(self) -> None:
        """Find or make the generation readers use; one of an older layout is rebuilt, as `rebuild` does."""
        with self.database.transaction(commit=True) as cursor:
            self.generations.create_tables(cursor)
            current = self.generations.current(cursor)
            if current is None:
                current = self._first_generation(cursor)
            layout = self.generations.layout(cursor, current)
        if layout != self.projection.layout:
            self.rebuild()
        elif hasattr(self.projection, "fold_unfolded"):
            with self.database.transaction(commit=True) as cursor:
                self.projection.fold_unfolded(cursor, current)

    def _first_generation(self, cursor: Cursor) -> int:
        """Views made before generations are adopted as generation 0; a new store starts at 1."""
        legacy = self.generations.legacy_layout(cursor)
        generation = 0 if legacy is not None else 1
        self.generations.register(cursor, generation, self.projection.layout if legacy is None else legacy)
        if legacy is None:
            for statement in self.projection.tables(generation) + self.projection.indexes(generation):
                cursor.execute(statement)
        self.generations.point_at(cursor, generation)
        return generation

    def current(self) -> tuple[int, int]:
        """The generation readers use, and the position it has applied up to."""
        with self.database.transaction(commit=False) as cursor:
            row = cursor.execute(
                f"SELECT p.generation, t.notification_id FROM projection_pointers p"
                f" LEFT JOIN {self.tracking_table} t ON t.application_name = p.tracking WHERE p.name = ?",
                (self.name,),
            ).fetchone()
        return row["generation"], row["notification_id"] or 0

    def position(self) -> int:
        return self.current()[1]

    def lag(self) -> tuple[int, int]:
        """The position the views have applied up to, and how many log positions they are behind:
        none when nothing of theirs was recorded after it (a store's other rows are not theirs)."""
        position = self.position()
        last = self.app.recorder.max_notification_id() or 0
        if last <= position or not self.app.recorder.select_notifications(
            start=position, limit=1, topics=self.topics, inclusive_of_start=False
        ):
            return position, 0
        return position, last - position

    def catch_up(self, batch_size: int | None = None, stop: threading.Event | None = None) -> int:
        """Apply everything recorded so far, or until `stop` is set; returns how many events this call applied."""
        applied = 0
        with self._lock:
            while stop is None or not stop.is_set():
                generation, start = self.current()
                batch = self.read_after(start, batch_size or self.batch_size)
                if not batch:
                    return applied
                try:
                    self.write_batch(generation, start, batch)
                except IntegrityError:
                    continue  # another process applied this batch first, or readers moved on
                applied += len(batch)
            return applied

    def read_after(self, start: int, limit: int) -> list[tuple[int, Fact]]:
        notifications = self.app.recorder.select_notifications(
            start=start, limit=limit, topics=self.topics, inclusive_of_start=False
        )
        return [(n.id, fact_of(self.app.mapper, n)) for n in notifications]

    def write_batch(self, generation: int, start: int, batch: Batch, apply: Apply | None = None) -> None:
        """Apply `batch`, read after `start`, to `generation` in one transaction with its tracking.

        Without `apply`, the live path: refused if readers no longer use `generation`. With
        it, a rebuild's step: it fails if its generation was dropped by another rebuild.
        """
        with self.database.transaction(commit=True) as cursor:
            if apply is None:
                self._advance(cursor, generation, start, batch[-1][0])
                self.generations.check_current(cursor, generation)
                self.projection.apply_batch(cursor, generation, batch)
            else:  # checked first: a dropped generation's tracking is gone too, and the move would fail
                self.generations.check_registered(cursor, generation)
                self._advance(cursor, generation, start, batch[-1][0])
                apply(cursor, generation, batch)

    def _advance(self, cursor: Cursor, generation: int, start: int, end: int) -> None:
        """Move the generation's tracked position from `start` to `end`, first thing in the batch's transaction.

        A compare-and-set, not an upsert: if another process applied events after `start`
        since this batch was read, the batch is refused and reread.
        """
        name, table = self.generations.tracking_name(generation), self.tracking_table
        if start == 0:  # fails if a position was recorded meanwhile
            cursor.execute(f"INSERT INTO {table} (application_name, notification_id) VALUES (?, ?)", (name, end))
            return
        moved = cursor.execute(
            f"UPDATE {table} SET notification_id = ? WHERE application_name = ? AND notification_id = ?"
            " RETURNING notification_id",
            (end, name, start),
        ).fetchone()
        if moved is None:
            raise IntegrityError(f"{name} moved past {start} since its batch was read")

    def reproject(self, subjects: Sequence[str], stored: Callable[[Sequence[str], int, Cursor], Batch]) -> None:
        """Apply the events of `subjects` again, from nothing, up to the position the views have
        applied: what a redaction needs once it rewrote stored events (SPEC §15). `stored` reads
        the subjects' events up to a position, on the cursor of this write: asking the pool for a
        second connection while holding its writer waits on writers queued for that writer, whose
        place in the queue blocks it (eventsourcing's pool hands connections out one at a time). A projection makes the subjects' rows again by its
        `reproject(cursor, generation, subjects, events)`, or by `forget` and `apply_batch`; one
        with neither is rebuilt.

        The tracking row is taken first, so a batch another process read before the rewrite
        fails its compare-and-set and is read again, rewritten."""
        if not hasattr(self.projection, "forget") and not hasattr(self.projection, "reproject"):
            self.rebuild()
            return
        with self._lock, self.database.transaction(commit=True) as cursor:
            generation = self.generations.current(cursor)
            assert generation is not None, "readers use a generation from create_tables on"
            name = self.generations.tracking_name(generation)
            held = cursor.execute(
                f"UPDATE {self.tracking_table} SET notification_id = notification_id WHERE application_name = ?"
                " RETURNING notification_id",
                (name,),
            ).fetchone()
            if held is None:
                return  # nothing applied yet: the live path will apply the rewritten events
            batch = stored(subjects, held["notification_id"], cursor)
            if hasattr(self.projection, "reproject"):  # a projection that makes a subject's rows again itself
                self.projection.reproject(cursor, generation, subjects, batch)
                return
            self.projection.forget(cursor, generation, subjects)
            if batch:
                self.projection.apply_batch(cursor, generation, batch)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Build the views again beside the live ones, then switch readers to them; returns the events folded."""
        return Rebuild(self, progress).run()
