"""The pin of an export: a log position N, and optionally a system time T.

An export pinned to N holds the events and retractions at positions <= N; with `known_at`
T, only those recorded <= T. Positions are never reused and the log is never rewritten, so
the same pin reads the same facts on any later day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parley.domain.facts import Fact
from parley.service.application import FACT_TOPICS, Parley
from parley.service.exports.cells import instant


class PinRefused(ValueError):
    """A pin that names no state of the log (a position it has not reached)."""


@dataclass(frozen=True)
class Pin:
    position: int  # the last event's position at or before the one asked for; 0 for an empty log
    recorded_at: datetime | None  # that event's recorded time
    known_at: datetime | None = None

    def admits(self, fact: Fact) -> bool:
        return self.known_at is None or fact.recorded_at <= self.known_at

    def as_dict(self) -> dict[str, Any]:
        return {"position": self.position, "recorded_at": instant(self.recorded_at), "known_at": instant(self.known_at)}


def pin_of(app: Parley, position: int | None = None, known_at: datetime | None = None) -> Pin:
    """Pin to `position` (default: the last event now), counting only what was recorded by `known_at`."""
    last = app.recorder.max_notification_id() or 0
    if position is not None and position > last:
        raise PinRefused(f"position {position} is beyond the log, whose last position is {last}")
    if position is not None and position < 0:
        raise PinRefused(f"position {position} is not a log position (0 or more)")
    at = last if position is None else position
    found = last_event_at_or_before(app, at)
    if found is None:
        return Pin(0, None, known_at)
    event_position, event = found
    return Pin(event_position, event.timestamp, known_at)


def last_event_at_or_before(app: Parley, position: int) -> tuple[int, Any] | None:
    """The subject event with the greatest position <= `position` (the log also holds other records)."""
    window = 64
    while position > 0:
        start = max(position - window, 0)
        notifications = app.recorder.select_notifications(start=start, limit=window + 1, stop=position,
                                                          topics=FACT_TOPICS, inclusive_of_start=False)
        if notifications:
            last = notifications[-1]
            return last.id, app.mapper.to_domain_event(last)
        position, window = start, window * 4
    return None
