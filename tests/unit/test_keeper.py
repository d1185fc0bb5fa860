"""The thread that keeps a serving process's views current (projections/keeper.py), with runners
that need no database: a read waiting for a position wakes it, so the wait is as long as the
catching up, never a poll interval; a runner that fails is retried and the wait ends at its bound."""

from __future__ import annotations

import threading
import time

from parley.projections.keeper import ViewKeeper

HOUR = 3600.0  # a poll interval no test waits out


class Log:
    """A log whose end moves when a test records, and a runner that applies up to it."""

    def __init__(self) -> None:
        self.end = 0
        self.applied = 0
        self.rounds = 0
        self.failing: Exception | None = None
        self.applying = threading.Event()  # cleared, a round holds inside its catching up
        self.applying.set()
        self.entered = threading.Event()  # set as a round begins catching up

    def catch_up(self, batch_size: int | None = None, stop: threading.Event | None = None) -> int:
        self.rounds += 1
        self.entered.set()
        if self.failing is not None:
            raise self.failing
        self.applying.wait(1.0)
        done, self.applied = self.end - self.applied, self.end
        return done


def test_a_read_waiting_for_a_position_wakes_the_keeper_at_once() -> None:
    log = Log()
    keeper = ViewKeeper([log], lambda: log.end, poll_seconds=HOUR)
    try:
        assert keeper.wait_for(0, timeout=1.0)
        for position in (1, 2, 3):
            log.end = position
            started = time.perf_counter()
            assert keeper.wait_for(position, timeout=5.0)
            assert time.perf_counter() - started < 2.0  # woken, not polled: the interval is an hour
            assert log.applied == position
    finally:
        keeper.stop(timeout=1.0)


def test_a_view_already_holding_the_position_answers_without_a_round() -> None:
    log = Log()
    keeper = ViewKeeper([log], lambda: log.end, poll_seconds=HOUR)
    try:
        log.end = 5
        assert keeper.wait_for(5, timeout=1.0)
        rounds = log.rounds
        assert keeper.wait_for(4, timeout=1.0) and keeper.wait_for(5, timeout=1.0)
        assert log.rounds == rounds
    finally:
        keeper.stop(timeout=1.0)


def test_a_wait_ends_at_its_bound_when_the_views_cannot_catch_up_and_the_failure_is_told() -> None:
    log = Log()
    log.failing = RuntimeError("the views' table is locked")
    keeper = ViewKeeper([log], lambda: 7, poll_seconds=0.05)
    try:
        started = time.perf_counter()
        assert not keeper.wait_for(7, timeout=0.2)
        assert time.perf_counter() - started >= 0.2
        assert keeper.failure == "RuntimeError: the views' table is locked" and keeper.reached == 0
        log.failing = None  # tried again after `poll_seconds`
        assert keeper.wait_for(7, timeout=1.0) and keeper.failure is None
    finally:
        keeper.stop(timeout=1.0)


def test_a_write_recorded_during_a_round_is_applied_by_the_next() -> None:
    log = Log()
    keeper = ViewKeeper([log], lambda: log.end, poll_seconds=HOUR)
    try:
        assert keeper.wait_for(0, timeout=1.0)
        log.applying.clear()
        log.entered.clear()
        log.end = 1
        first = threading.Thread(target=keeper.wait_for, args=(1, 1.0))
        first.start()
        assert log.entered.wait(1.0)  # the round has read the log's end, 1
        log.end = 2  # recorded after the round read the log's end
        log.applying.set()
        assert keeper.wait_for(2, timeout=1.0) and log.applied == 2
        first.join()
    finally:
        keeper.stop(timeout=1.0)


def test_a_stopped_keeper_ends_its_thread_and_its_waits() -> None:
    log = Log()
    keeper = ViewKeeper([log], lambda: log.end, poll_seconds=HOUR)
    keeper.start()
    keeper.stop(timeout=1.0)
    log.end = 1
    assert not keeper.wait_for(1, timeout=0.1)
    assert not any(t.name == "parley-views" and t.is_alive() for t in threading.enumerate() if t is keeper._thread)
