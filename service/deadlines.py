"""A bound on the API's database calls (SPEC §14, "A stalled database").

PostgreSQL's `statement_timeout` bounds a statement the server is running, but not a server
that has stopped answering: the connection stays open, the query or its answer sits in a
buffer, and the waiting thread waits for ever (a trial saw reads and writes hang for a 25 s
stall). So the API also bounds each use of a connection from this side: past its deadline the
connection's socket is shut down, which wakes the thread waiting on it with an error (the API
answers 503 with Retry-After) and makes the pool replace the connection.

One thread watches every connection in use, sleeping until the earliest deadline; deadlines
come in the order they are set, so a new one never wakes it. Long commands (`rebuild`,
`export`) run without a bound: `call_timeout` is None there.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Watchdog:
    """Cuts a connection used longer than `seconds` (half as long again as the statement
    timeout, so that a server that answers ends a long statement cleanly itself)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._calls: dict[int, tuple[float, Any]] = {}  # id of the watched use -> (deadline, connection)
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None

    @contextmanager
    def watching(self, connection: Any) -> Iterator[Any]:
        """Use `connection` for at most `seconds`: past it, it is cut."""
        key = id(object())
        with self._ready:
            self._calls[key] = (time.monotonic() + self.seconds, connection)
            if len(self._calls) == 1:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._watch, name="parley-deadlines", daemon=True)
                    self._thread.start()
                self._ready.notify()
        try:
            yield connection
        finally:
            with self._ready:
                self._calls.pop(key, None)  # gone if it was cut

    def _watch(self) -> None:
        while True:
            with self._ready:
                while not self._calls:
                    self._ready.wait()
                now = time.monotonic()
                earliest = min(deadline for deadline, _ in self._calls.values())
                if earliest > now:
                    self._ready.wait(earliest - now)
                    continue
                for key, (deadline, connection) in list(self._calls.items()):
                    if deadline <= now:
                        del self._calls[key]
                        cut(connection)


def cut(connection: Any) -> None:
    """Shut the connection's socket down under it: a thread waiting on it gets an error at once."""
    try:
        fileno = connection.pgconn.socket
    except Exception:  # noqa: BLE001 - already closed or never opened: nothing to cut
        return
    try:
        with socket.socket(fileno=os.dup(fileno)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
