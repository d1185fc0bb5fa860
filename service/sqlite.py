"""SQLite as Parley uses it: eventsourcing's recorder, writing each event's id with the event."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, cast

from eventsourcing import sqlite
from eventsourcing.persistence import OperationalError, StoredEvent
from eventsourcing.utils import get_topic

from parley.projections.sql import Cursor
from parley.service import chain, event_ids
from parley.service.one_writer import Writers, held, holding


class EventIdRecorder(sqlite.SQLiteApplicationRecorder):
    """Inserts the `event_ids` rows passed to `insert_events`, and links the facts into the
    chain (service/chain.py), in the events' transaction; their bodies are hashed before it."""

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), event_ids.SQLITE_TABLE, chain.SQLITE_TABLE]

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        return super().insert_events(stored_events, chain=chain.prepare_all(stored_events), **kwargs)

    def _insert_events(self, c: sqlite.SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        cursor = Cursor(c, postgres=False)
        event_ids.insert(cursor, kwargs.get("event_ids"), positions)
        chain.append(cursor, kwargs.get("chain"), positions)
        return positions

    @contextmanager
    def one_writer(self) -> Iterator[None]:
        """The database's write lock (`BEGIN IMMEDIATE`), held on this process's writer
        connection, which this thread's reads and writes then use (service/one_writer.py)."""
        datastore = cast(OrderedDatastore, self.datastore)  # made one by SQLiteFactory
        with datastore.writers.lock, datastore.get_connection(commit=True) as conn:
            cursor = conn.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise OperationalError(error) from error
            try:
                with holding(datastore, conn):
                    yield
            except BaseException:
                conn.rollback()
                raise
            try:
                conn.commit()
            except sqlite3.OperationalError as error:
                raise OperationalError(error) from error


class OrderedDatastore(sqlite.SQLiteDatastore):
    """Hands a thread that holds the write lock its held connection, inside the held
    transaction (service/one_writer.py)."""

    writers: Writers

    def transaction(self, *, commit: bool) -> AbstractContextManager[sqlite.SQLiteCursor]:  # type: ignore[override]  # not always a generator's
        connection = held(self)
        if connection is None:  # no wrapping generator: every write and read passes here
            return self._immediate() if commit else super().transaction(commit=False)
        return _inside(connection)

    @contextmanager
    def _immediate(self) -> Iterator[sqlite.SQLiteCursor]:
        with self.get_connection(commit=True) as connection, _Immediate(connection, commit=True) as cursor, cursor:
            yield cursor


class _Immediate(sqlite.SQLiteTransaction):
    """A write transaction that takes the write lock as it begins, waiting for it up to the busy
    timeout. One begun deferred (`BEGIN`) that reads before it writes is refused at once, without
    waiting, when another connection committed in between (SQLITE_BUSY_SNAPSHOT): the compaction
    after a redaction, another `parley serve` worker, a command."""

    def __enter__(self) -> sqlite.SQLiteCursor:
        cursor = self.connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise OperationalError(error) from error
        return cursor


@contextmanager
def _inside(connection: sqlite.SQLiteConnection) -> Iterator[sqlite.SQLiteCursor]:
    cursor = connection.cursor()
    with cursor:
        yield cursor


class SQLiteFactory(sqlite.SQLiteFactory):
    application_recorder_class = EventIdRecorder

    def __init__(self, env: Any):
        super().__init__(env)
        # eventsourcing makes its datastore itself; Parley's adds the held connection.
        self.datastore.__class__ = OrderedDatastore
        cast(OrderedDatastore, self.datastore).writers = Writers()


SQLITE = get_topic(SQLiteFactory)
