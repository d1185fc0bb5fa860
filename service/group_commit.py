"""Group commit: the writes of concurrent requests saved together, in one transaction.

Every save costs a disk sync (SQLite) or a table lock and a round trip (PostgreSQL), while
saving ten events costs little more than saving one. So requests queue their work, and one
writer thread takes everything queued at once, hands it to `commit`, and answers each
request; while it commits, the next group gathers.

Requests queue from threads (`submit`, which blocks) or from the event loop (`submit_async`,
which awaits): an `async` route then costs no thread-pool hop per request. The profile of
`POST /events` showed the hops, not the writing, bounding throughput: with every request in
a thread of its own, threads queued for the interpreter lock.

The writer thread commits on both backends. Committing SQLite groups on the event loop
itself was tried and measured side by side against it (docs/decisions.md, "How a single
event is written"): the loop then sat idle through every disk sync, where with the writer
committing it reads and validates the next requests meanwhile, since the sync releases the
interpreter lock. The loop wakes the writer once per pass, not once per request.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")

MAX_GROUP = 256  # bounds how long one group holds the store's write lock


class Closed(RuntimeError):
    """The application is closing: no new writes are taken."""


class Pending(Generic[T]):
    """One queued piece of work and, once committed, its result or its error."""

    __slots__ = ("work", "result", "error", "done", "answered")

    def __init__(self, work: T, answered: threading.Event | asyncio.Future[None]):
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self.answered = answered  # set from the writer thread, or settled on its event loop

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit(Generic[T]):
    def __init__(self, commit: Callable[[Sequence[Pending[T]]], None], *, name: str = "parley-writer"):
        self.commit = commit  # sets each item's result or error; may raise for all
        self.name = name
        self.observe: Callable[[int, float], None] | None = None  # told each group's size and commit seconds
        self._ready = threading.Condition()
        self._queue: deque[Pending[T]] = deque()
        self._writer: threading.Thread | None = None
        self._waking: set[asyncio.AbstractEventLoop] = set()  # loops with a wake-up scheduled
        self._closed = False

    def submit(self, work: T) -> Any:
        """Queue the work and wait for its group to be committed (from any thread but the writer's)."""
        answered = threading.Event()
        item = Pending(work, answered)
        self._enqueue(item)
        answered.wait()
        return item.outcome()

    async def submit_async(self, work: T, seen: Callable[[T], None] | None = None) -> Any:
        """Queue the work and await its group's commit without holding a thread meanwhile;
        `seen` is shown the work as the commit left it, before its outcome is returned or raised."""
        loop = asyncio.get_running_loop()
        item = Pending(work, loop.create_future())
        self._enqueue(item, wake=False)
        if loop not in self._waking:  # commit once the loop has queued all it can
            self._waking.add(loop)
            loop.call_soon(self._wake, loop)
        await item.answered  # type: ignore[misc]  # a Future on a loop; if the request is dropped, a write already queued still happens
        if seen is not None:
            seen(item.work)
        return item.outcome()

    def close(self) -> None:
        """Commit what is queued, then stop the writer; later submissions raise `Closed`."""
        with self._ready:
            self._closed = True
            self._ready.notify()
            writer = self._writer
        if writer is not None and writer is not threading.current_thread():
            writer.join()

    def _enqueue(self, item: Pending[T], *, wake: bool = True) -> None:
        with self._ready:
            if self._closed:
                raise Closed("the application is closing")
            self._queue.append(item)
        if wake:
            self._notify()

    def _notify(self) -> None:
        """Wake the writer, started here so that it never takes a group before it is told to."""
        with self._ready:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write, name=self.name, daemon=True)
                self._writer.start()
            self._ready.notify()

    def _wake(self, loop: asyncio.AbstractEventLoop) -> None:
        """Wake the writer for everything an event loop queued in one pass: waking it for each
        request costs a thread switch per request, which the profile showed as the largest cost."""
        self._waking.discard(loop)
        self._notify()

    def _write(self) -> None:
        while True:
            with self._ready:
                while not self._queue and not self._closed:
                    self._ready.wait()
                if not self._queue:
                    return  # closed, and everything queued was answered
            self._commit(self._take())

    def _take(self) -> list[Pending[T]]:
        with self._ready:
            return [self._queue.popleft() for _ in range(min(MAX_GROUP, len(self._queue)))]

    def _commit(self, group: list[Pending[T]]) -> None:
        if not group:
            return
        observe, started = self.observe, time.perf_counter()
        try:
            self.commit(group)
        except BaseException as error:  # noqa: BLE001 - every waiting request must hear of it
            for item in group:
                if not item.done:
                    item.error = error
        took = time.perf_counter() - started
        if observe is not None:  # before the answers, so that a scrape after an answered write counts it
            observe(len(group), took)
        _answer(group)


def _answer(group: list[Pending[T]]) -> None:
    """Wake each waiting thread, and each event loop once for all of its requests."""
    loops: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
    for item in group:
        item.done = True
        if isinstance(item.answered, threading.Event):
            item.answered.set()
        else:
            loops.setdefault(item.answered.get_loop(), []).append(item.answered)
    for loop, futures in loops.items():
        try:
            loop.call_soon_threadsafe(_settle, futures)
        except RuntimeError:  # that loop has closed: nobody is waiting there any more
            pass


def _settle(futures: list[asyncio.Future[None]]) -> None:
    for future in futures:
        if not future.done():  # not cancelled by a dropped request
            future.set_result(None)
