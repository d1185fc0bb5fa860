"""Parley's application service: record sourced events, read the log, keep views current."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.catalog import SUBJECT_CLASSES, subject_class
from domain.errors import DomainError
from domain.subject import FactRecorded, Subject
from domain.subjects import SubjectId
from projections.queries import SubjectQueries
from projections.runner import ProjectionRunner
from service.claims import EventIdClaimed, claim_id, digest
from service.commands import BatchItemRefused, EventIdReused, Receipt, ServiceError, Submission, VersionConflict

FACT_TOPICS = tuple(
    get_topic(cls.event_class(type_name)) for cls in SUBJECT_CLASSES for type_name in cls.data_models
)
ATTEMPTS = 5


class Parley(Application):
    name = "parley"
    projection: ProjectionRunner
    queries: SubjectQueries

    def record(self, submission: Submission, actor: str) -> Receipt:
        try:
            return self.record_batch([submission], actor)[0]
        except BatchItemRefused as refused:
            raise refused.cause from None

    def record_batch(self, submissions: Sequence[Submission], actor: str) -> list[Receipt]:
        """All stored in one transaction, or none; a lost race is retried from a fresh load."""
        for attempt in range(ATTEMPTS):
            try:
                return self._record_once(submissions, actor)
            except IntegrityError:
                if attempt == ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _record_once(self, submissions: Sequence[Submission], actor: str) -> list[Receipt]:
        subjects: dict[SubjectId, Subject | None] = {}
        claims: dict[str, EventIdClaimed] = {}
        decided: list[Receipt | str] = []
        new_events: list[Any] = []  # in submission order, each fact followed by its claim
        for index, submission in enumerate(submissions):
            try:
                decided.append(self._decide(submission, actor, subjects, claims))
            except (DomainError, ServiceError) as refusal:
                raise BatchItemRefused(index, refusal) from None
            if isinstance(decided[-1], str):
                new_events += subjects[submission.subject].collect_events()
                new_events += claims[decided[-1]].collect_events()
        recordings = self.save(*new_events) if new_events else []
        stored = {
            r.domain_event.event_id: Receipt(
                event_id=r.domain_event.event_id,
                subject=r.domain_event.subject,
                version=r.domain_event.originator_version,
                position=r.notification.id,
                recorded_at=r.domain_event.timestamp,
            )
            for r in recordings
            if isinstance(r.domain_event, FactRecorded)
        }
        return [stored[item] if isinstance(item, str) else item for item in decided]

    def _decide(
        self, submission: Submission, actor: str, subjects: dict[SubjectId, Subject | None],
        claims: dict[str, EventIdClaimed],
    ) -> Receipt | str:
        """Apply one submission to its aggregate: the new event's id, or the earlier receipt."""
        content_digest = digest(submission.content())
        event_id = (submission.event_id or str(uuid4())).lower()
        if submission.event_id is not None:
            in_batch = claims.get(event_id)
            earlier = in_batch or self._claim(event_id)
            if earlier is not None:
                if earlier.digest != content_digest:
                    raise EventIdReused(event_id)
                return event_id if in_batch else self._receipt_of(earlier)
        sid = submission.subject
        if sid not in subjects:
            subjects[sid] = self._load(sid)
        aggregate = subjects[sid]
        current = aggregate.version if aggregate else 0
        if submission.expected_version is not None and submission.expected_version != current:
            raise VersionConflict(str(sid), submission.expected_version, current)
        content = {
            "event_id": event_id,
            "occurred": submission.occurred,
            "sources": submission.sources,
            "data": submission.data,
            "note": submission.note,
            "recorded_by": submission.recorded_by or actor,
            "recorded_at": submission.recorded_at,
        }
        if aggregate is None:
            subjects[sid] = aggregate = subject_class(sid.kind).open(sid, submission.type, **content)
        else:
            aggregate.record(submission.type, **content)
        claims[event_id] = EventIdClaimed(
            event_id=event_id, subject=str(sid), version=aggregate.version, digest=content_digest
        )
        return event_id

    def _load(self, sid: SubjectId) -> Subject | None:
        try:
            return self.repository.get(sid.stream_id)
        except AggregateNotFoundError:
            return None

    def _claim(self, event_id: str) -> EventIdClaimed | None:
        try:
            return self.repository.get(claim_id(event_id))
        except AggregateNotFoundError:
            return None

    def _receipt_of(self, claim: EventIdClaimed) -> Receipt:
        self.projection.catch_up()
        row = self.queries.event(claim.event_id)
        return Receipt(
            event_id=claim.event_id,
            subject=claim.subject,
            version=claim.version,
            position=row["position"],
            recorded_at=datetime.fromisoformat(row["recorded_at"].replace("Z", "+00:00")),
            created=False,
        )

    def log(self, after: int = 0, limit: int = 1000) -> list[Any]:
        """The raw log of subject events after a position, decoded, in recorded order."""
        notifications = self.recorder.select_notifications(
            start=after, limit=limit, topics=FACT_TOPICS, inclusive_of_start=False
        )
        return [(n.id, self.mapper.to_domain_event(n)) for n in notifications]
