"""Group commit: the writes of concurrent requests saved together, in one transaction.

Every save costs a disk sync (SQLite) or a table lock and a round trip (PostgreSQL), while
saving ten events costs little more than saving one. So each request thread queues its work;
one of them, the leader, takes everything queued and hands it to `commit` at once, then
passes the lead to the next waiting thread, so no request waits behind more than one group.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")

MAX_GROUP = 256  # bounds how long one group holds the store's write lock


class Pending(Generic[T]):
    """One queued piece of work and, once committed, its result or its error."""

    __slots__ = ("work", "result", "error", "done", "leads", "ready")

    def __init__(self, work: T):
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self.leads = False
        self.ready = threading.Event()


class GroupCommit(Generic[T]):
    def __init__(self, commit: Callable[[Sequence[Pending[T]]], None]):
        self.commit = commit  # sets each item's result or error; may raise for all
        self._lock = threading.Lock()
        self._queue: list[Pending[T]] = []
        self._leading = False

    def submit(self, work: T) -> Any:
        item = Pending(work)
        with self._lock:
            self._queue.append(item)
            item.leads = not self._leading
            self._leading = True
        if not item.leads:
            item.ready.wait()
        if item.leads:  # still set: it was given the lead, not a result
            self._lead()
        if item.error is not None:
            raise item.error
        return item.result

    def _lead(self) -> None:
        with self._lock:
            group, self._queue = self._queue[:MAX_GROUP], self._queue[MAX_GROUP:]
        try:
            self.commit(group)
        except BaseException as error:  # noqa: BLE001 - every waiting request must hear of it
            for item in group:
                if not item.done:
                    item.error, item.done = error, True
        finally:
            for item in group:
                item.done, item.leads = True, False
            with self._lock:
                if self._queue:
                    successor = self._queue[0]
                    successor.leads = True
                    successor.ready.set()
                else:
                    self._leading = False
            for item in group:
                item.ready.set()
