"""What the application is asked to record, what it answers, and how it refuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.subjects import SubjectId


@dataclass(frozen=True)
class Submission:
    """One event to record, already validated against its type's data schema."""

    subject: SubjectId
    type: str
    occurred: FuzzyDate
    sources: list[dict[str, Any]]
    data: dict[str, Any]
    note: str | None = None
    event_id: str | None = None
    expected_version: int | None = None
    recorded_at: datetime | None = None  # kept from an export by `parley import`
    recorded_by: str | None = None

    def content(self) -> dict[str, Any]:
        """What idempotency compares: the fact itself, not how or when it was sent."""
        return content(str(self.subject), self.type, self.occurred.text, self.sources, self.data, self.note)


def content(subject: str, type_name: str, occurred: str, sources: Any, data: Any, note: str | None) -> dict[str, Any]:
    return {"subject": subject, "type": type_name, "occurred": occurred, "sources": sources, "data": data, "note": note}


@dataclass(frozen=True)
class Receipt:
    event_id: str
    subject: str
    version: int
    position: int
    recorded_at: datetime
    created: bool = field(default=True, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "subject": self.subject,
            "version": self.version,
            "position": self.position,
            "recorded_at": self.recorded_at.isoformat().replace("+00:00", "Z"),
        }


class ServiceError(Exception):
    pass


class TokenRefused(ServiceError):
    def __init__(self) -> None:
        super().__init__("the token is unknown or revoked")


class VersionConflict(ServiceError):
    def __init__(self, subject: str, expected: int, current: int, *, if_match: bool = False):
        super().__init__(f"{subject} is at version {current}, not {expected}")
        self.subject = subject
        self.expected = expected
        self.current = current
        self.if_match = if_match


class EventIdReused(ServiceError):
    def __init__(self, event_id: str):
        super().__init__(f"event_id {event_id} was already recorded with different content")
        self.event_id = event_id


class BatchItemRefused(ServiceError):
    """One event of a batch was refused, so none was stored."""

    def __init__(self, index: int, cause: Exception):
        super().__init__(f"event {index} of the batch was refused: {cause}")
        self.index = index
        self.cause = cause
