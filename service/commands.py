"""What the application is asked to record, what it answers, and how it refuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.names import normalised
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
    imported_recorded_at: datetime | None = None  # a file's time that `parley import --restamp` did not keep
    recorded_by: str | None = None
    if_match: int | str | None = None  # a version, or "*": the subject exists
    # Every text of `data` is as stored (domain/stored_texts.py): idempotency need not walk them.
    data_as_stored: bool = field(default=False, compare=False)

    def check_preconditions(self, subject: str, current: int) -> None:
        """`expected_version` and `If-Match` are each checked; when both are stale, If-Match
        answers (412), since a client that sent the header reads its status."""
        if self.if_match is not None and (current == 0 if self.if_match == "*" else self.if_match != current):
            raise VersionConflict(subject, self.if_match, current, if_match=True)
        if self.expected_version is not None and self.expected_version != current:
            raise VersionConflict(subject, self.expected_version, current)

    def content(self) -> dict[str, Any]:
        """What idempotency compares: the fact itself, not how or when it was sent."""
        return content(
            str(self.subject),
            self.type,
            self.occurred.text,
            self.sources,
            self.data,
            self.note,
            data_as_stored=self.data_as_stored,
        )


def content(
    subject: str, type_name: str, occurred: str, sources: Any, data: Any, note: str | None, *, data_as_stored: bool = False
) -> dict[str, Any]:
    """An event's content with every text normalised as the domain normalises names and texts
    (SPEC §6): an event stored before normalisation compares equal to its retry sent today.
    `data` known to be as stored is not walked again."""
    if not data_as_stored or type(sources) is not list:
        return _normalised(
            {"subject": subject, "type": type_name, "occurred": occurred, "sources": sources, "data": data, "note": note}
        )
    # The same, unrolled for what a validated event holds: sources as flat objects of texts.
    return {
        "subject": normalised(subject),
        "type": normalised(type_name),
        "occurred": normalised(occurred),
        "sources": [_flat(source) for source in sources],
        "data": data,
        "note": None if note is None else normalised(note),
    }


def _flat(source: Any) -> Any:
    if type(source) is not dict:
        return _normalised(source)
    return {key: normalised(value) if type(value) is str else _normalised(value) for key, value in source.items()}


def _normalised(value: Any) -> Any:
    if isinstance(value, str):
        return normalised(value)
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return value


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
    def __init__(self, subject: str, expected: int | str, current: int, *, if_match: bool = False):
        if expected == "*":
            super().__init__(f"If-Match: * asks that {subject} exists; it does not")
        else:
            super().__init__(f"{subject} is at version {current}, not {expected}")
        self.subject = subject
        self.expected = expected
        self.current = current
        self.if_match = if_match


class EventIdReused(ServiceError):
    def __init__(self, event_id: str):
        super().__init__(f"event_id {event_id} was already recorded with different content")
        self.event_id = event_id


class OverLimit(ServiceError):
    """A value of an event over its configured limit (service/limits.py): each named by its path
    in the event (`data.party`) and the setting that sets the limit."""

    def __init__(self, type_name: str, breaches: list[dict[str, str]]):
        super().__init__("; ".join(f"field `{b['path']}`: {b['message']}" for b in breaches[:5]))
        self.type = type_name
        self.breaches = breaches


class BatchItemRefused(ServiceError):
    """One event of a batch was refused, so none was stored."""

    def __init__(self, index: int, cause: Exception):
        super().__init__(f"event {index} of the batch was refused: {cause}")
        self.index = index
        self.cause = cause
