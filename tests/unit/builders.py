"""Build subjects in memory, with no storage, for domain tests."""

from __future__ import annotations

import uuid
from typing import Any

from parley.domain.catalog import subject_class
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.subject import Subject
from parley.domain.subjects import SubjectId


def content(
    occurred: str, data: dict[str, Any], event_id: str | None = None, sources: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "event_id": event_id or str(uuid.uuid4()),
        "occurred": FuzzyDate.parse(occurred),
        "data": data,
        "sources": sources or [{"name": "Forbes"}],
        "note": None,
        "recorded_by": "tests",
    }


def open_subject(
    subject: str, type_name: str, occurred: str, data: dict[str, Any], sources: list[dict[str, Any]] | None = None
) -> Subject:
    sid = SubjectId.parse(subject)
    return subject_class(sid.kind).open(sid, type_name, **content(occurred, data, sources=sources))


def record(
    aggregate: Subject,
    type_name: str,
    occurred: str,
    data: dict[str, Any],
    event_id: str | None = None,
    sources: list[dict[str, Any]] | None = None,
) -> str:
    fields = content(occurred, data, event_id, sources)
    aggregate.record(type_name, **fields)
    return fields["event_id"]


def ukraine() -> Subject:
    return open_subject(
        "delegation/ukraine",
        "DelegationFormed",
        "2025-11-20",
        {"party": "Ukraine", "head": "Andriy Yermak", "members": [{"name": "Andriy Yermak"}]},
    )


def trip() -> Subject:
    return open_subject(
        "trip/witkoff-moscow",
        "TripScheduled",
        "2025-11-30",
        {"traveller": "Steve Witkoff", "destination": "Moscow", "planned_for": "2025-12-01"},
    )


def meeting() -> Subject:
    return open_subject(
        "meeting/florida-round",
        "MeetingScheduled",
        "2025-11-25",
        {"location": "Florida", "planned_for": "2025-11-30", "participants": []},
    )


def plan() -> Subject:
    return open_subject(
        "plan/us-peace-plan",
        "PlanProposed",
        "2025-11-20",
        {"title": "US plan", "proposed_by": "United States", "point_count": 28, "topics": ["territory"]},
    )
