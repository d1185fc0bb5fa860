"""The pin of an export: a log position N, and optionally a system time T; and how it is read.

An export pinned to N holds the events and retractions at positions <= N; with `known_at`
T, only those recorded <= T. Positions are never reused and the log is never rewritten, so
the same pin reads the same facts on any later day. Read `published_by` a day, only what a
source had published by then counts; read according to `sources`, the event tables keep the
events citing them and the states show disputed values as they gave them (SPEC §9, §17).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parley.domain.facts import Fact
from parley.domain.outlets import cites, is_published_by, name_keys
from parley.service.application import Parley
from parley.service.exports.cells import instant


class PinRefused(ValueError):
    """A pin that names no state of the log (a position it has not reached)."""


@dataclass(frozen=True)
class Pin:
    position: int  # the last event's position at or before the one asked for; 0 for an empty log
    recorded_at: datetime | None  # that event's recorded time
    known_at: datetime | None = None
    sources: tuple[str, ...] = ()  # read according to these sources (SPEC §9)
    published_by: datetime | None = None  # count only what was published by then

    def admits(self, fact: Fact) -> bool:
        return self.known_at is None or fact.recorded_at <= self.known_at

    @property
    def source_keys(self) -> frozenset[str]:
        return name_keys(self.sources)

    def counts(self, fact: Fact) -> bool:
        """Whether the fact counts in a fold: published by `published_by`, when given."""
        return self.published_by is None or is_published_by(fact, self.published_by)

    def shows(self, fact: Fact) -> bool:
        """Whether an event table lists the fact: counted, and citing one of `sources` when given."""
        return self.counts(fact) and (not self.sources or cites(fact.sources, self.source_keys))

    def as_dict(self) -> dict[str, Any]:
        stated: dict[str, Any] = {
            "position": self.position,
            "recorded_at": instant(self.recorded_at),
            "known_at": instant(self.known_at),
        }
        if self.sources:
            stated["sources"] = list(self.sources)
        if self.published_by is not None:
            stated["published_by"] = instant(self.published_by)
        return stated


def pin_of(
    app: Parley,
    position: int | None = None,
    known_at: datetime | None = None,
    *,
    sources: tuple[str, ...] = (),
    published_by: datetime | None = None,
) -> Pin:
    """Pin to `position` (default: the last event now), counting only what was recorded by `known_at`,
    read according to `sources` and as published by `published_by`."""
    last = app.recorder.max_notification_id() or 0
    if position is not None and position > last:
        raise PinRefused(f"position {position} is beyond the log, whose last position is {last}")
    if position is not None and position < 0:
        raise PinRefused(f"position {position} is not a log position (0 or more)")
    at = last if position is None else position
    found = last_event_at_or_before(app, at)
    if found is None:
        return Pin(0, None, known_at, sources, published_by)
    event_position, event = found
    return Pin(event_position, event.recorded_at, known_at, sources, published_by)


def last_event_at_or_before(app: Parley, position: int) -> tuple[int, Any] | None:
    """The subject event with the greatest position <= `position` (the log also holds other records)."""
    window = 64
    while position > 0:
        start = max(position - window, 0)
        notifications = app.recorder.select_notifications(
            start=start, limit=window + 1, stop=position, topics=app.stored_topics, inclusive_of_start=False
        )
        if notifications:
            last = notifications[-1]
            return last.id, app.fact_of(last)
        position, window = start, window * 4
    return None
