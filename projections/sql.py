"""One way to run the projections' SQL on eventsourcing's SQLite and PostgreSQL datastores.

Statements are written with `?` placeholders and portable types (BIGINT, TEXT, INTEGER);
PostgreSQL gets `%s`. Rows are read by column name on both.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, overload

from eventsourcing.postgres import PostgresDatastore
from psycopg.errors import UndefinedTable

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NEVER = 2**62  # an interval's open end


@overload
def to_us(moment: datetime) -> int: ...
@overload
def to_us(moment: None) -> None: ...
@overload
def to_us(moment: datetime | None) -> int | None: ...
def to_us(moment: datetime | None) -> int | None:
    """Instants are stored as integer microseconds since the epoch: exact and sortable."""
    if moment is None:
        return None
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


@overload
def from_us(micros: int) -> datetime: ...
@overload
def from_us(micros: int | None) -> datetime | None: ...
def from_us(micros: int | None) -> datetime | None:
    if micros is None:
        return None
    return EPOCH + timedelta(microseconds=micros)


class Cursor:
    def __init__(self, raw: Any, postgres: bool):
        self.raw = raw
        self.postgres = postgres

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        self.raw.execute(_dialect(sql, self.postgres), params)
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.raw.executemany(_dialect(sql, self.postgres), rows)

    def fetchall(self) -> list[Any]:
        return list(self.raw.fetchall())

    def fetchone(self) -> Any:
        return self.raw.fetchone()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.execute(sql, params).raw.fetchone()
        if row is None:
            return None
        return row[next(iter(row.keys()))] if self.postgres else row[0]


class Database:
    """The datastore the event store uses, so a view commits with its tracking record."""

    def __init__(self, datastore: Any):
        self.datastore = datastore
        self.postgres = isinstance(datastore, PostgresDatastore)

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=commit) as raw:
            yield Cursor(raw, self.postgres)

    def create(self, statements: Sequence[str]) -> None:
        with self.transaction(commit=True) as cursor:
            for statement in statements:
                cursor.execute(statement)


def table_gone(error: BaseException) -> bool:
    """A statement met a table that a committed drop has removed (eventsourcing wraps the driver's error)."""
    cause = error.__cause__
    return isinstance(cause, UndefinedTable) or "no such table" in str(error)


@lru_cache(maxsize=512)
def _dialect(sql: str, postgres: bool) -> str:
    return sql.replace("?", "%s") if postgres else sql
