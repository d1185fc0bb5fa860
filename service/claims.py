"""Event-id claims: the store-wide index that makes `event_id` idempotent across processes.

Each recorded event is saved together with a claim whose stream id derives from the
event id. A second save of the same id conflicts in the store itself, on SQLite and on
PostgreSQL alike, so two processes cannot both record it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

CLAIM_NAMESPACE = UUID("0d5c8f0e-4a8b-4f7e-9a43-1c2b7d9e6f21")


class EventIdClaimed(Aggregate):
    """Which subject and version an event id was recorded as, and a digest of its content."""

    class Created(Aggregate.Created):
        class_version = 1
        event_id: str
        subject: str
        version: int
        digest: str

    @staticmethod
    def create_id(event_id: str) -> UUID:
        return claim_id(event_id)

    def __init__(self, event_id: str, subject: str, version: int, digest: str):
        self.event_id = event_id
        self.subject = subject
        self.version = version
        self.digest = digest


def claim_id(event_id: str) -> UUID:
    return uuid5(CLAIM_NAMESPACE, event_id.lower())


def digest(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


CLAIM_TOPIC = get_topic(EventIdClaimed)


def claimed(event_id: str, subject: str, version: int, content_digest: str) -> EventIdClaimed.Created:
    """The event that creates an `EventIdClaimed`, as `EventIdClaimed(...)` would record it.

    Built directly because a claim is only ever saved, never changed, and constructing the
    aggregate costs eventsourcing a signature inspection per event.
    """
    return EventIdClaimed.Created(
        originator_topic=CLAIM_TOPIC, originator_id=claim_id(event_id), originator_version=1,
        timestamp=EventIdClaimed.Created.create_timestamp(),
        event_id=event_id, subject=subject, version=version, digest=content_digest,
    )
