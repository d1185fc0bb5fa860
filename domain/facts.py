"""A fact: one recorded event as the timeline sees it, free of storage detail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from parley.domain.fuzzy_dates import FuzzyDate

RETRACTION = "EventRetracted"
STATEMENT = "StatementRecorded"
FAR_FUTURE = datetime.max.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Fact:
    event_id: str
    subject: str
    version: int
    type: str
    occurred: FuzzyDate
    data: dict[str, Any]
    sources: list[dict[str, Any]]
    note: str | None
    recorded_at: datetime
    recorded_by: str

    @property
    def is_retraction(self) -> bool:
        return self.type == RETRACTION

    def valid_time_key(self) -> tuple[bool, datetime | None, int]:
        """Events fold in the order they certainly happened by; ties keep recorded order.

        An event with an open latest end never certainly happened, so it sorts last.
        """
        latest = self.occurred.latest
        return (latest is None, latest or FAR_FUTURE, self.version)
