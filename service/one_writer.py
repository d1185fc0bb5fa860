"""Racing writers decided in an order (SPEC §14): one careful writer at a time, across processes.

A write is first decided optimistically, on cached subjects, and saved: the store refuses a
version of a stream written twice. A write the store refused so is decided again carefully,
and that happens under the store's own write lock: PostgreSQL's `EXCLUSIVE` lock on the events
table (the lock every insert takes anyway, so that positions follow commit order), SQLite's
`BEGIN IMMEDIATE`. The lock is taken first, in a transaction on one connection; the subjects
are read, the write decided and its events inserted on that same connection, in that
transaction. No other writer, in this process or another, can store an event in between, so the
careful decision is the final one: decided in the order the lock is granted, never retried.

The optimistic path takes no new lock, so a single append costs what it did.

While a thread holds the lock, its datastore hands that thread the held connection
(`held`), so eventsourcing's recorder and Parley's own tables (event ids, tokens) read and
write inside the held transaction without knowing of it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_local = threading.local()


def held(datastore: Any) -> Any:
    """The connection this thread holds the write lock on, for `datastore`; else None."""
    holding = getattr(_local, "holding", None)
    return holding[1] if holding is not None and holding[0] is datastore else None


@contextmanager
def holding(datastore: Any, connection: Any) -> Iterator[None]:
    _local.holding = (datastore, connection)
    try:
        yield
    finally:
        _local.holding = None


class Writers:
    """One careful writer of this process at a time: the others wait here, not holding a
    connection each while they queue for the database's lock (which could empty the pool)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
