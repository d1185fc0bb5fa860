"""What every read model of the subject-states projection shares: the generation readers use,
read in one transaction with the answer, and the statements on that generation's tables."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any, TypeVar

from eventsourcing.persistence import PersistenceError

from parley.domain.catalog import BUILT_IN, Catalog
from parley.domain.facts import RETRACTION, STATEMENT
from parley.domain.timeline import in_valid_time_order
from parley.projections import items
from parley.projections.generations import Generations
from parley.projections.rows import EVENT_COLUMNS, fact_of, with_digest
from parley.projections.sql import Cursor, Database, table_gone
from parley.projections.subject_states import Names, SubjectStates

T = TypeVar("T")

SELECT_EVENTS = f"SELECT {EVENT_COLUMNS}, {with_digest('{events}')} FROM {{events}}"
# The interval holding `as_of` is the last one starting by then (intervals are contiguous).
STATE_AT = (
    "SELECT s.state, s.valid_to, v.version FROM {states} s JOIN {versions} v ON v.subject = s.subject"
    " WHERE s.subject = ? AND s.valid_from <= ? ORDER BY s.valid_from DESC LIMIT 1"
)
# Stored states hold no statements (see subject_states.py); these are the ones the fold applies.
STATEMENTS = (
    f"SELECT data, occurred FROM {{events}} WHERE subject = ? AND type = '{STATEMENT}'"
    " AND retracted_by IS NULL AND latest <= ? ORDER BY latest, version"
)
PENDING = (
    f"{SELECT_EVENTS} WHERE subject = ? AND type <> '{RETRACTION}' AND retracted_by IS NULL"
    " AND (earliest IS NULL OR earliest <= ?) AND (latest IS NULL OR latest > ?)"
)
CHANGED_SUBJECTS = "SELECT DISTINCT subject FROM {events} WHERE latest > ? AND latest <= ? AND recorded_at <= ? AND subject > ?"
SUBJECT_PAGE = "SELECT subject FROM {versions} WHERE subject > ?"
VERSION = "SELECT version FROM {versions} WHERE subject = ?"
READ_AGAIN = 3


@dataclass(frozen=True)
class Statements:
    """The statements above, on one generation's tables."""

    select_events: str
    state_at: str
    statements: str
    pending: str
    changed_subjects: str
    subject_page: str
    version: str
    items_at: str
    names: Names


@lru_cache(maxsize=8)
def statements_of(generation: int) -> Statements:
    names = SubjectStates.names(generation)
    return Statements(
        *(
            names.sql(template)
            for template in (  # type: ignore[arg-type, call-arg]  # eight texts, then names
                SELECT_EVENTS,
                STATE_AT,
                STATEMENTS,
                PENDING,
                CHANGED_SUBJECTS,
                SUBJECT_PAGE,
                VERSION,
                items.AT,
            )
        ),
        names,
    )


def on_the_live_generation(read: Callable[..., T]) -> Callable[..., T]:
    """Reads the pointer row first, and reads again if a rebuild dropped that generation meanwhile.

    The pointer is one indexed row, read in the same transaction as the answer, so every
    process follows a switch made by any other at its next read. The drop waits for readers
    already on the old tables (PostgreSQL) or leaves their snapshot alone (SQLite); only a
    reader between its pointer read and its first use of the old tables can find them gone.
    """

    @wraps(read)
    def reading(self: object, *args: Any, **kwargs: Any) -> T:
        for attempt in range(READ_AGAIN):
            try:
                return read(self, *args, **kwargs)
            except PersistenceError as error:
                if attempt == READ_AGAIN - 1 or not table_gone(error):
                    raise
        raise AssertionError("unreachable")

    return reading


class Reads:
    """A read model of the subject-states projection: each read is one transaction on the live generation."""

    def __init__(self, database: Database, catalog: Catalog = BUILT_IN):
        self.database = database
        self.catalog = catalog
        self.generations = Generations(SubjectStates.name, database.postgres)

    @contextmanager
    def _reading(self) -> Iterator[tuple[Cursor, Statements]]:
        with self.database.transaction(commit=False) as cursor:
            yield cursor, statements_of(self.generations.current(cursor))


def rows_of(cursor: Cursor, sql: Statements, subject: str) -> list[Any]:
    """A subject's stored events, in version order."""
    return cursor.execute(f"{sql.select_events} WHERE subject = ? ORDER BY version", (subject,)).fetchall()


def valid_time_sorted(rows: list[Any]) -> list[Any]:
    order = {f.event_id: i for i, f in enumerate(in_valid_time_order(fact_of(r) for r in rows))}
    return sorted(rows, key=lambda r: order[r["event_id"]])
