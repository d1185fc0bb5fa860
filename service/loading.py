"""Subjects to decide on: from the cache when it has them, else read from the store.

A redaction through any process rewrites stored events without a new stream version, so a cached
subject may still hold a value removed since. Every read from the store (a careful decision, a
repeat's check, a subject not cached) first asks for the last redaction's position, and drops
the cache when it moved: whatever a process answers after deciding carefully ("no", "a repeat
of…") is decided on the values as stored. An optimistic decision may use a cached subject read
before a redaction, but its "no" is always decided again carefully, and its "yes" stores what
was sent, so nothing it answers depends on a removed value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from parley.domain.catalog import subject_class
from parley.domain.subject import Subject, SubjectCreated
from parley.domain.subjects import SubjectId
from parley.service.subject_cache import SubjectCache


class Subjects:
    def __init__(self, repository: Any, events: Any, cached: int):
        self.repository = repository
        self.events = events
        self.cache = SubjectCache(cached)
        self.redacted_at: Callable[[], int] | None = None  # the last redaction's position (set by bootstrap)
        self.seen_redaction: int | None = None  # the one the cache was last checked against

    def to_decide_on(self, sid: SubjectId, type_name: str, *, optimistic: bool) -> Subject | None:
        """A fork of the subject; optimistically, the cached one, and none for a creation."""
        epoch = self.cache.epoch
        cached = self.cache.get(sid.stream_id)
        if optimistic and cached is not None:
            return _read_in(cached.fork(), epoch)
        if optimistic and creates(sid, type_name):
            return None  # assumed new: the store refuses a second version 1 of the stream
        return self.load(sid)

    def load(self, sid: SubjectId) -> Subject | None:
        """A fork of the subject as stored now: the cached one brought up to date, or read whole."""
        self.since_redactions()
        epoch = self.cache.epoch
        cached = self.cache.get(sid.stream_id)
        if cached is None:
            try:
                cached = self.repository.get(sid.stream_id)
            except AggregateNotFoundError:
                return None
        else:
            newer = list(self.events.get(sid.stream_id, gt=cached.version))
            if newer:
                cached = cached.fork()
                for event in newer:
                    cached = event.mutate(cached)
        self.cache.put(cached, epoch)
        return _read_in(cached.fork(), epoch)

    def saved(self, subject: Subject) -> None:
        self.cache.put(subject, getattr(subject, EPOCH, None))

    def since_redactions(self) -> None:
        """Drop the cache when a redaction was recorded (by any process) since it was last checked."""
        if self.redacted_at is None:
            return
        last = self.redacted_at()
        if last != self.seen_redaction:
            self.cache.clear()
            self.seen_redaction = last


EPOCH = "_parley_cache_epoch"


def _read_in(subject: Subject, epoch: int) -> Subject:
    """The fork, marked with the cache's epoch it was read in (SubjectCache.put)."""
    subject.__dict__[EPOCH] = epoch
    return subject


def creates(sid: SubjectId, type_name: str) -> bool:
    event_class = getattr(subject_class(sid.kind), type_name, None)
    return isinstance(event_class, type) and issubclass(event_class, SubjectCreated)
