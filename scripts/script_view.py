"""The view a `parley project` script writes into, and reads the record through.

A tracking recorder in eventsourcing's sense: what the script writes with `execute` during a
batch commits in the same transaction as the tracked position. The database is Parley's own,
or a SQLite file (`--into`); the position lives in that database's tracking table, beside
the script's tables.

`state` and `event` answer as of the event being processed, never later, so running the
script again over the same log gives the same answers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder

from parley.domain.facts import FAR_FUTURE, Fact
from parley.domain.fuzzy_dates import FuzzyDate, end_of
from parley.domain.subjects import SubjectId
from parley.domain.timeline import fold
from parley.projections.log_reads import LogReads
from parley.projections.runner import ViewRunner
from parley.projections.sql import Cursor, Database
from parley.projections.state_reads import StateReads


class ViewsBehind(BaseException):
    """Parley's views must catch up before the batch can be processed (it is then run again).

    Not an Exception: a script's own `except Exception` must not swallow it."""


class ScriptView(TrackingRecorder):
    def __init__(self, database: Database, tracking: TrackingRecorder, states: StateReads, log: LogReads, views: ViewRunner):
        self.database = database
        self.tracking = tracking
        self.states = states
        self.log = log
        self.views = views
        self._cursor: Cursor | None = None
        self._start = 0
        self._position = 0
        self._fact: Fact | None = None
        self.reads_views = False  # whether the script asks `state` or `event`; most never do

    # The tracking recorder.

    def max_tracking_id(self, application_name: str) -> int | None:
        return self.tracking.max_tracking_id(application_name)

    def insert_tracking(self, tracking: Tracking) -> None:
        """Move the position from where the batch was read to its end, in the batch's transaction.

        A compare-and-set: if another run moved it meanwhile, the batch is refused (and reread).
        """
        cursor, table = self._current(), self._table()
        if self._start == 0:  # fails if a position was recorded meanwhile
            cursor.execute(
                f"INSERT INTO {table} (application_name, notification_id) VALUES (?, ?)",
                (tracking.application_name, tracking.notification_id),
            )
            return
        moved = cursor.execute(
            f"UPDATE {table} SET notification_id = ? WHERE application_name = ? AND notification_id = ?"
            " RETURNING notification_id",
            (tracking.notification_id, tracking.application_name, self._start),
        ).fetchone()
        if moved is None:
            raise IntegrityError(f"{tracking.application_name} moved past {self._start} since its batch was read")

    def create(self, name: str, tables: Sequence[str], drop: Sequence[str] | None) -> None:
        """Make the script's tables; with `drop`, first drop them and forget the position."""
        with self.database.transaction(commit=True) as cursor:
            if drop is not None:
                for statement in drop:
                    cursor.execute(statement)
                cursor.execute(f"DELETE FROM {self._table()} WHERE application_name = ?", (name,))
            for statement in tables:
                cursor.execute(statement)

    def ready_for(self, position: int) -> None:
        """Parley's own views hold the log up to `position`, if the script reads them."""
        if self.reads_views and self.views.position() < position:
            self.views.catch_up()

    @contextmanager
    def batch(self, tracking: Tracking, start: int) -> Iterator[None]:
        with self.database.transaction(commit=True) as cursor:
            self._cursor, self._start = cursor, start
            try:
                self.insert_tracking(tracking)
                yield
            finally:
                self._cursor = None

    def at(self, position: int, fact: Fact) -> None:
        self._position, self._fact = position, fact

    # What a script calls.

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run SQL in the batch's transaction (`?` placeholders on SQLite and PostgreSQL alike)."""
        return self._current().execute(sql, params)

    def state(
        self, subject: str | None = None, *, as_of: str | datetime | None = None, known_at: str | datetime | None = None
    ) -> dict[str, Any] | None:
        """A subject's state (default: the event's own), as of the event's latest instant unless
        `as_of` says otherwise, from what the log held at this event; None if it did not exist."""
        assert self._fact is not None, "state() is asked while an event is processed"
        self._views_ready()
        asked = SubjectId.parse(subject or self._fact.subject)
        facts = [_fact(e) for e in self.states.history(asked, None) or [] if e["position"] <= self._position]
        moment = _moment(as_of) or self._fact.occurred.latest or FAR_FUTURE
        return fold(asked.kind, facts, moment, _moment(known_at)).state

    def event(self, event_id: str) -> dict[str, Any] | None:
        """An event recorded up to this one, in SPEC §3's shape, retracted only if by then."""
        self._views_ready()
        found = self.log.event(event_id)
        if found is None or found["position"] > self._position:
            return None
        retraction = self.log.event(found["retracted_by"]) if found["retracted_by"] else None
        if retraction is None or retraction["position"] > self._position:
            found = {**found, "retracted_by": None, "retracted_at": None}
        return found

    def _views_ready(self) -> None:
        """Catching up inside the batch's transaction could wait on its own lock (SQLite), so
        the batch is given up, the views caught up outside it, and the batch run again."""
        if not self.reads_views or self.views.position() < self._position:
            self.reads_views = True
            raise ViewsBehind

    def _current(self) -> Cursor:
        if self._cursor is None:
            raise RuntimeError("the view is written only while an event is processed")
        return self._cursor

    def _table(self) -> str:
        return getattr(self.tracking, "tracking_table_name", "tracking")


def _moment(value: str | datetime | None) -> datetime | None:
    return end_of(value) if isinstance(value, str) else value


def _fact(event: dict[str, Any]) -> Fact:
    """A fact from an event as read (SPEC §3)."""
    return Fact(
        event_id=event["event_id"],
        subject=event["subject"],
        version=event["version"],
        type=event["type"],
        occurred=FuzzyDate(event["occurred"], _instant(event["occurred_earliest"]), _instant(event["occurred_latest"])),
        data=event["data"],
        sources=event["sources"],
        note=event["note"],
        recorded_at=_instant(event["recorded_at"]) or FAR_FUTURE,
        recorded_by=event["recorded_by"],
    )


def _instant(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
