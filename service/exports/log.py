"""The log as of a pin, read in pages keyed by position: no read holds a long transaction.

Everything is read from the event log itself (decoded and upcast as the application reads
it), never from the projections' views, so an export does not change when the views are
rebuilt. Topic filters name old spellings too (service/topics.py), so old stores export.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import cast
from uuid import UUID

from eventsourcing.persistence import Notification

from parley.domain.facts import RETRACTION, Fact
from parley.service.application import Parley
from parley.service.exports.pin import Pin

PAGE = 1000


def type_of_topic(topic: str) -> str:
    """`parley.domain.plan:Plan.StatementRecorded` is a StatementRecorded."""
    return topic.rpartition(".")[2]


@dataclass(frozen=True)
class Retraction:
    event_id: str
    recorded_at: datetime


class PinnedLog:
    def __init__(self, app: Parley, pin: Pin, page: int = PAGE):
        self.app = app
        self.pin = pin
        self.page = page

    def of_type(self, type_name: str) -> tuple[str, ...]:
        """The topics of one type of event of every kind the store holds."""
        return tuple(t for t in self.app.stored_topics if type_of_topic(t) == type_name)

    def facts(self, topics: Sequence[str] | None = None) -> Iterator[tuple[int, Fact]]:
        """(position, fact) in position order, at or before the pin and known at it; by default of
        every kind the store holds, declared or not (SPEC §10: read as stored)."""
        digests: dict[int, str] = {}
        for notification in self._notifications(self.app.stored_topics if topics is None else topics):
            if notification.id not in digests:
                digests = self._digests(notification.id)
            fact = self.app.fact_of(notification)
            if self.pin.admits(fact):
                yield notification.id, replace(fact, digest=digests.get(notification.id))

    def _digests(self, first: int) -> dict[int, str]:
        """The chain's digests of the facts from `first`, a page of them (SPEC §15)."""
        with self.app.database.transaction(commit=False) as cursor:
            rows = cursor.execute(
                "SELECT position, digest FROM event_chain WHERE position >= ? AND position <= ? ORDER BY position LIMIT ?",
                (first, self.pin.position, self.page),
            ).fetchall()
        return {r["position"]: bytes(r["digest"]).hex() for r in rows}

    def _notifications(self, topics: Sequence[str]) -> Iterator[Notification]:
        """The stored rows of these topics up to the pin, read a page at a time."""
        after = 0
        while after < self.pin.position:
            page = self.app.recorder.select_notifications(
                start=after, limit=self.page, stop=self.pin.position, topics=topics, inclusive_of_start=False
            )
            if not page:
                return
            yield from page
            after = page[-1].id

    def retractions(self) -> dict[str, Retraction]:
        """Each withdrawn event's id, with the retraction that withdrew it as of the pin (read
        `published_by` a day, a retraction no source had published by then withdraws nothing)."""
        return {
            f.data["event_id"]: Retraction(f.event_id, f.recorded_at)
            for _, f in self.facts(self.of_type(RETRACTION))
            if self.pin.counts(f)
        }

    def streams(self) -> list[tuple[str, UUID, int]]:
        """(subject, stream id, last version at the pin) of every subject, in subject order.

        Only a stream's first event is decoded (for its address): versions come with each row.
        """
        names: dict[UUID, str] = {}
        versions: dict[UUID, int] = {}
        for notification in self._notifications(self.app.stored_topics):
            stream = cast(UUID, notification.originator_id)  # a subject's stream
            if notification.originator_version == 1:
                names[stream] = self.app.fact_of(notification).subject
            versions[stream] = notification.originator_version
        return sorted((names[stream], stream, version) for stream, version in versions.items())

    def subject_facts(self, stream: UUID, version: int, leaving_out: frozenset[str] = frozenset()) -> list[Fact]:
        """A subject's facts up to its version at the pin (a stream's versions rise with positions),
        known at the pin; those of the types `leaving_out` are not even decoded."""
        stored = self.app.recorder.select_events(stream, lte=version)
        facts = (self.app.fact_of(s) for s in stored if type_of_topic(s.topic) not in leaving_out)
        return [fact for fact in facts if self.pin.admits(fact)]
