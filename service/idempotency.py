"""Idempotency by `event_id`: a repeat is answered as first recorded, other content is refused.

Optimistically nothing is looked up: the `event_ids` table refuses a second insert of an id,
and the write is then decided again carefully, where the earlier entry is read.
"""

from __future__ import annotations

from typing import Any

from parley.domain.subjects import SubjectId
from parley.service.commands import EventIdReused, Receipt, content
from parley.service.event_ids import EventId, EventIdIndex, digest
from parley.service.loading import Subjects


class Refused(Exception):
    """An optimistic decision that must be made again carefully before anyone is told no."""


class Idempotency:
    """Earlier recordings of an event id: read from the id index, the subjects and the log."""

    def __init__(self, event_ids: EventIdIndex, subjects: Subjects, events: Any):
        self.event_ids = event_ids
        self.subjects = subjects
        self.events = events  # the event store: an earlier recording's time

    def earlier(
        self, in_write: dict[str, EventId], event_id: str, content_digest: str, *, optimistic: bool
    ) -> Receipt | str | None:
        """For an id recorded before: its receipt, or its id if recorded earlier in this write."""
        in_batch = in_write.get(event_id)
        entry = in_batch or (None if optimistic else self.event_ids.get(event_id))
        if entry is None:
            return None
        if entry.digest != content_digest:
            if optimistic:
                raise Refused
            if in_batch or not self._stored_as(entry, content_digest):
                raise EventIdReused(event_id)
        return event_id if in_batch else self._receipt_of(entry)

    def _stored_as(self, entry: EventId, content_digest: str) -> bool:
        """Whether the event as read now has this content: the digest was taken from the event as
        first recorded, and an upcaster may since have added fields to it."""
        stored = self.subjects.load(SubjectId.parse(entry.subject))
        fact = stored.find(entry.event_id) if stored else None
        if fact is None:
            return False
        now = content(fact.subject, fact.type, fact.occurred.text, fact.sources, fact.data, fact.note)
        return digest(now) == content_digest

    def _receipt_of(self, entry: EventId) -> Receipt:
        stream_id = SubjectId.parse(entry.subject).stream_id
        (event,) = self.events.get(stream_id, gt=entry.version - 1, lte=entry.version)
        return Receipt(
            event_id=entry.event_id,
            subject=entry.subject,
            version=entry.version,
            position=entry.position,
            recorded_at=event.timestamp,
            created=False,
        )
