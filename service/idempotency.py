"""Idempotency by `event_id`: a repeat is answered as first recorded, other content is refused.

Optimistically nothing is looked up: the `event_ids` table refuses a second insert of an id,
and the write is then decided again carefully, where the earlier entry is read.
"""

from __future__ import annotations

from typing import Any

from parley.domain.subjects import SubjectId
from parley.service.commands import EventIdReused, Receipt, content
from parley.service.event_ids import EventId, digest


class Refused(Exception):
    """An optimistic decision that must be made again carefully before anyone is told no."""


def earlier(app: Any, in_write: dict[str, EventId], event_id: str, content_digest: str, *,
            optimistic: bool) -> Receipt | str | None:
    """For an id recorded before: its receipt, or its id if recorded earlier in this write."""
    in_batch = in_write.get(event_id)
    entry = in_batch or (None if optimistic else app.event_ids.get(event_id))
    if entry is None:
        return None
    if entry.digest != content_digest:
        if optimistic:
            raise Refused
        if in_batch or not _stored_as(app, entry, content_digest):
            raise EventIdReused(event_id)
    return event_id if in_batch else _receipt_of(app, entry)


def _stored_as(app: Any, entry: EventId, content_digest: str) -> bool:
    """Whether the event as read now has this content: the digest was taken from the event as
    first recorded, and an upcaster may since have added fields to it."""
    stored = app.subjects.load(SubjectId.parse(entry.subject))
    fact = stored.find(entry.event_id) if stored else None
    if fact is None:
        return False
    now = content(fact.subject, fact.type, fact.occurred.text, fact.sources, fact.data, fact.note)
    return digest(now) == content_digest


def _receipt_of(app: Any, entry: EventId) -> Receipt:
    stream_id = SubjectId.parse(entry.subject).stream_id
    (event,) = app.events.get(stream_id, gt=entry.version - 1, lte=entry.version)
    return Receipt(event_id=entry.event_id, subject=entry.subject, version=entry.version,
                   position=entry.position, recorded_at=event.timestamp, created=False)
