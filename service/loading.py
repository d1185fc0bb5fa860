"""Subjects to decide on: from the cache when it has them, else read from the store."""

from __future__ import annotations

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

    def to_decide_on(self, sid: SubjectId, type_name: str, *, optimistic: bool) -> Subject | None:
        """A fork of the subject; optimistically, the cached one, and none for a creation."""
        cached = self.cache.get(sid.stream_id)
        if optimistic and cached is not None:
            return cached.fork()
        if optimistic and creates(sid, type_name):
            return None  # assumed new: the store refuses a second version 1 of the stream
        return self.load(sid)

    def load(self, sid: SubjectId) -> Subject | None:
        """A fork of the subject as stored now: the cached one brought up to date, or read whole."""
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
        self.cache.put(cached)
        return cached.fork()

    def saved(self, subject: Subject) -> None:
        self.cache.put(subject)


def creates(sid: SubjectId, type_name: str) -> bool:
    event_class = getattr(subject_class(sid.kind), type_name, None)
    return isinstance(event_class, type) and issubclass(event_class, SubjectCreated)
