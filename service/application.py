"""Parley's application service: record sourced events, read the log, keep views current.

Writes are decided optimistically and proved by the store: a subject being created is
assumed new and an `event_id` unclaimed, without reading either, because the store refuses a
second version 1 of a stream or a second claim of an id in the same transaction as everything
else. Only when the store (or a rule) refuses is the write decided again, carefully: claims
looked up, subjects loaded fresh. Concurrent single-event writes are saved in one transaction
(see group_commit.py), whose commit also checks their tokens, one query a group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from parley.domain.catalog import SUBJECT_CLASSES, subject_class
from parley.domain.errors import DomainError
from parley.domain.subject import FactRecorded, Subject, SubjectCreated
from parley.domain.subjects import SubjectId
from parley.projections.queries import SubjectQueries
from parley.projections.runner import ProjectionRunner
from parley.service.claims import EventIdClaimed, claim_id, claimed, digest
from parley.service.commands import (
    BatchItemRefused, EventIdReused, Receipt, ServiceError, Submission, TokenRefused, content,
)
from parley.service.group_commit import GroupCommit, Pending
from parley.service.subject_cache import SubjectCache
from parley.service.tokens import TokenStore
from parley.service.topics import with_old_spellings

Work = tuple[Submission, str | None, str | None]  # a submission, and who sends it: a name, or a token

FACT_TOPICS = with_old_spellings(
    get_topic(cls.event_class(type_name)) for cls in SUBJECT_CLASSES for type_name in cls.data_models
)
ATTEMPTS = 5
CACHED_SUBJECTS = 4096  # enough for the subjects in active use; each holds its facts


class Refused(Exception):
    """An optimistic decision that must be made again carefully before anyone is told no."""


class Parley(Application):
    name = "parley"
    projection: ProjectionRunner
    queries: SubjectQueries
    tokens: TokenStore

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.subjects = SubjectCache(CACHED_SUBJECTS)
        local_file = type(self.recorder).__module__ == "eventsourcing.sqlite"
        self._group: GroupCommit[Work] = GroupCommit(self._record_group, inline=local_file)

    def record(self, submission: Submission, actor: str) -> Receipt:
        """One event; concurrent calls share a transaction, each answered on its own."""
        return self._group.submit((submission, actor, None))

    async def record_async(self, submission: Submission, token: str) -> Receipt:
        """`record` from the event loop, sent with a write token: TokenRefused if it is not live."""
        return await self._group.submit_async((submission, None, token))

    def close(self) -> None:
        self._group.close()  # what is queued is committed and answered first
        super().close()

    def record_batch(self, submissions: Sequence[Submission], actor: str) -> list[Receipt]:
        """All stored in one transaction, or none; a lost race is retried from a fresh load."""
        try:
            return self._record_once(submissions, actor, optimistic=True)
        except (Refused, IntegrityError):
            pass
        for attempt in range(ATTEMPTS):
            try:
                return self._record_once(submissions, actor, optimistic=False)
            except IntegrityError:
                if attempt == ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _record_group(self, group: Sequence[Pending[Work]]) -> None:
        """Decide each queued event alone, save the accepted ones together, answer each."""
        subjects: dict[SubjectId, Subject | None] = {}
        claims: dict[str, EventIdClaimed.Created] = {}
        decided: dict[int, str] = {}
        new_events: list[Any] = []
        careful: list[Pending[Work]] = []
        group = self._authorised(group)
        for index, item in enumerate(group):
            submission, actor, _ = item.work
            try:
                event_id = self._decide(submission, actor, subjects, claims, optimistic=True)
            except Refused:
                careful.append(item)
                continue
            assert isinstance(event_id, str)
            decided[index] = event_id
            fact_events = subjects[submission.subject].collect_events()
            if fact_events:  # a repeat within the group adds nothing
                new_events += [*fact_events, claims[event_id]]
        try:
            stored = self._save(new_events, subjects)
        except IntegrityError:  # someone else wrote first: decide every event again, alone
            careful, stored, decided = list(group), {}, {}
        first: set[str] = set()
        for index, event_id in decided.items():
            receipt = stored[event_id]
            group[index].result = receipt if event_id not in first else replace(receipt, created=False)
            group[index].done = True
            first.add(event_id)
        for item in careful:
            submission, actor, _ = item.work
            try:
                item.result = self.record_batch([submission], actor)[0]
            except BatchItemRefused as refused:
                item.error = refused.cause
            except Exception as error:  # noqa: BLE001 - this request's own failure, told to it alone
                item.error = error
            item.done = True

    def _authorised(self, group: Sequence[Pending[Work]]) -> list[Pending[Work]]:
        """The items sent by a name or a live token, each given its name; the rest refused."""
        holders = self.tokens.holders({token for _, _, token in (item.work for item in group) if token})
        kept = []
        for item in group:
            submission, actor, token = item.work
            if token is not None:
                actor = holders.get(token)
                if actor is None:
                    item.error, item.done = TokenRefused(), True
                    continue
                item.work = (submission, actor, None)
            kept.append(item)
        return kept

    def _record_once(self, submissions: Sequence[Submission], actor: str, *, optimistic: bool) -> list[Receipt]:
        subjects: dict[SubjectId, Subject | None] = {}
        claims: dict[str, EventIdClaimed.Created] = {}
        decided: list[Receipt | str] = []
        new_events: list[Any] = []  # in submission order, each fact followed by its claim
        for index, submission in enumerate(submissions):
            try:
                decided.append(self._decide(submission, actor, subjects, claims, optimistic=optimistic))
            except (DomainError, ServiceError) as refusal:
                raise BatchItemRefused(index, refusal) from None
            fact_events = subjects[submission.subject].collect_events() if isinstance(decided[-1], str) else []
            if fact_events:  # a repeat within the batch adds nothing
                new_events += [*fact_events, claims[decided[-1]]]
        stored = self._save(new_events, subjects)
        return [stored[item] if isinstance(item, str) else item for item in decided]

    def _save(self, new_events: list[Any], subjects: dict[SubjectId, Subject | None]) -> dict[str, Receipt]:
        """Store the events in one transaction; the receipts by event id. Saved subjects are cached."""
        # The event store directly: `save` would first ask of every event whether it is an
        # aggregate (a slow Protocol check), and Parley uses none of its snapshot or notify hooks.
        recordings = self.events.put(new_events) if new_events else []
        for aggregate in subjects.values():
            if aggregate is not None:
                self.subjects.put(aggregate)
        return {
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

    def _decide(
        self, submission: Submission, actor: str, subjects: dict[SubjectId, Subject | None],
        claims: dict[str, EventIdClaimed.Created], *, optimistic: bool,
    ) -> Receipt | str:
        """Apply one submission to its aggregate: the new event's id, or the earlier receipt.

        Optimistic, it reads nothing it can leave to the store to refuse, and raises Refused
        instead of a refusal, since a careful look (a claim found, a fresher subject) may
        answer otherwise.
        """
        content_digest = digest(submission.content())
        event_id = (submission.event_id or str(uuid4())).lower()
        if submission.event_id is not None:
            in_batch = claims.get(event_id)
            earlier = in_batch or (None if optimistic else self._claim(event_id))
            if earlier is not None:
                if earlier.digest != content_digest:
                    if optimistic:
                        raise Refused
                    if in_batch or not self._stored_as(earlier, content_digest):
                        raise EventIdReused(event_id)
                return event_id if in_batch else self._receipt_of(earlier)
        sid = submission.subject
        if sid not in subjects:
            subjects[sid] = self._cached_or_loaded(sid, submission.type, optimistic)
        aggregate = subjects[sid]
        current = aggregate.version if aggregate else 0
        try:
            submission.check_preconditions(str(sid), current)
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
        except (DomainError, ServiceError):
            if optimistic:
                raise Refused from None
            raise
        claims[event_id] = claimed(event_id, str(sid), aggregate.version, content_digest)
        return event_id

    def _cached_or_loaded(self, sid: SubjectId, type_name: str, optimistic: bool) -> Subject | None:
        """A fork of the subject to decide on; optimistically, a creation assumes a new subject."""
        cached = self.subjects.get(sid.stream_id)
        if optimistic and cached is not None:
            return cached.fork()
        if optimistic and _creates(sid, type_name):
            return None
        return self._load(sid)

    def _load(self, sid: SubjectId) -> Subject | None:
        """The subject as stored now: the cached one brought up to date, or read whole."""
        cached = self.subjects.get(sid.stream_id)
        if cached is None:
            try:
                cached = self.repository.get(sid.stream_id)
            except AggregateNotFoundError:
                return None
        else:
            newer = list(self.events.get(sid.stream_id, gt=cached.version))
            if newer:
                cached = cached.fork()
                for event in newer:
                    cached = event.mutate(cached)
        self.subjects.put(cached)
        return cached.fork()

    def _stored_as(self, claim: EventIdClaimed | EventIdClaimed.Created, content_digest: str) -> bool:
        """Whether the event as read now has this content: a claim's digest was taken from the
        event as first recorded, and an upcaster may since have added fields to it."""
        stored = self._load(SubjectId.parse(claim.subject))
        fact = stored.find(claim.event_id) if stored else None
        if fact is None:
            return False
        now = content(fact.subject, fact.type, fact.occurred.text, fact.sources, fact.data, fact.note)
        return digest(now) == content_digest

    def _claim(self, event_id: str) -> EventIdClaimed | EventIdClaimed.Created | None:
        try:
            return self.repository.get(claim_id(event_id))
        except AggregateNotFoundError:
            return None

    def _receipt_of(self, claim: EventIdClaimed | EventIdClaimed.Created) -> Receipt:
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


def _creates(sid: SubjectId, type_name: str) -> bool:
    event_class = getattr(subject_class(sid.kind), type_name, None)
    return isinstance(event_class, type) and issubclass(event_class, SubjectCreated)
