"""A fact: one recorded event as the timeline sees it, free of storage detail; and the orders
in which a timeline's facts are taken."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from parley.domain.fuzzy_dates import FuzzyDate

RETRACTION = "EventRetracted"
STATEMENT = "StatementRecorded"
FAR_FUTURE = datetime.max.replace(tzinfo=UTC)

State = dict[str, Any]


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
    imported_recorded_at: datetime | None = None  # see FactRecorded.imported_recorded_at
    digest: str | None = None  # its link in the store's chain (hex, SPEC §15), when read from a store's log

    @property
    def is_retraction(self) -> bool:
        return self.type == RETRACTION

    def valid_time_key(self) -> tuple[bool, datetime | None, int]:
        """Events fold in the order they certainly happened by; ties keep recorded order.

        An event with an open latest end never certainly happened, so it sorts last.
        """
        latest = self.occurred.latest
        return (latest is None, latest or FAR_FUTURE, self.version)


def known_facts(facts: Iterable[Fact], known_at: datetime | None) -> list[Fact]:
    return [f for f in facts if known_at is None or f.recorded_at <= known_at]


def active_facts(known: Sequence[Fact]) -> list[Fact]:
    """Facts that shape state: not retractions, and not withdrawn by a known retraction."""
    withdrawn = {f.data["event_id"] for f in known if f.type == RETRACTION}
    return [f for f in known if f.type != RETRACTION and f.event_id not in withdrawn]


def in_valid_time_order(facts: Iterable[Fact]) -> list[Fact]:
    return sorted(facts, key=Fact.valid_time_key)


def statement_of(fact: Fact) -> dict[str, Any]:
    return statement(fact.data, fact.occurred.text)


def statement(data: dict[str, Any], occurred: str) -> dict[str, Any]:
    """A statement as the state lists it, from a `StatementRecorded`'s data and valid time."""
    return {"speaker": data["speaker"], "role": data.get("role"), "quote": data["quote"], "occurred": occurred}
