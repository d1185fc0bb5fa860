"""Keeps a serving process's views current: requests read them, this writes them.

One thread per serving process catches every projection up (projections/runner.py): whenever a
read needs more than the views hold, and every `poll_seconds` besides, for what other processes
record. A read that must see what the log held when it came (read-your-writes) waits on the
condition the thread signals after each round, bounded by its own timeout: no request applies an
event, opens a write transaction or sleeps to poll (docs/decisions.md, "Reads").
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

log = logging.getLogger("parley.views")
THREAD = "parley-views"  # the one thread of a process that writes its views


class Runner(Protocol):
    def catch_up(self, batch_size: int | None = None, stop: threading.Event | None = None) -> int: ...


class ViewKeeper:
    def __init__(self, runners: Sequence[Runner], log_end: Callable[[], int], poll_seconds: float):
        self.runners = list(runners)
        self.log_end = log_end  # the log's last position, as a read sees it
        self.poll_seconds = poll_seconds
        self.reached = 0  # every view holds whatever the log held up to this position
        self.failure: str | None = None  # why the last round failed, until one succeeds
        self._rounds = threading.Condition()
        self._wanted = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._round = threading.RLock()  # held through each round, and by whoever pauses the keeper

    def start(self) -> None:
        """Start keeping the views current (once: a stopped keeper stays stopped)."""
        with self._rounds:
            if self._thread is None and not self._stopped.is_set():
                self._thread = threading.Thread(target=self._run, name=THREAD, daemon=True)
                self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the round under way (its transaction commits or rolls back as a whole)."""
        self._stopped.set()
        self._wanted.set()
        with self._rounds:
            self._rounds.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No round runs meanwhile (one under way ends first): a redaction rewrites stored events
        and the views of their subjects, and the keeper must read neither half-done."""
        with self._round:
            yield

    def wait_for(self, position: int, timeout: float) -> bool:
        """Whether the views hold the log up to `position`, waiting at most `timeout` seconds for a
        round to bring them there (started now if none is under way)."""
        if self._thread is None:
            self.start()  # an app served without its lifespan (a test's) reads all the same
        with self._rounds:
            if self.reached >= position:
                return True
            self._wanted.set()
            return (
                self._rounds.wait_for(lambda: self.reached >= position or self._stopped.is_set(), timeout)
                and self.reached >= position
            )

    def _run(self) -> None:
        while not self._stopped.is_set():
            self._wanted.clear()  # before reading the log's end: a wish made during the round starts another
            try:
                with self._round:
                    last = self.log_end()
                    for runner in self.runners:
                        runner.catch_up(stop=self._stopped)
            except Exception as error:  # noqa: BLE001 - logged and told to /readyz; tried again as for a round
                self.failure = f"{type(error).__name__}: {' '.join(str(error).split())[:200]}"
                log.warning("the views could not catch up: %s", self.failure)
                self._wanted.wait(self.poll_seconds)  # the next read, or the next look: one try each
                continue
            if self._stopped.is_set():
                return  # the round may have stopped short of `last`
            with self._rounds:
                self.failure = None
                self.reached = max(self.reached, last)
                self._rounds.notify_all()
            self._wanted.wait(self.poll_seconds)
