"""Deciding a write: each submission applied to a fork of its subject, before all are saved together.

Optimistically, a subject being created is assumed new and an `event_id` unrecorded, without
reading either, because the store refuses a second version 1 of a stream and a second
`event_ids` row in the same transaction as everything else. Only when the store (or a rule)
refuses is the write decided again, carefully: ids looked up, subjects loaded fresh.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from parley.domain.catalog import Catalog
from parley.domain.errors import DomainError
from parley.domain.subject import Subject, restamped
from parley.domain.subjects import SubjectId
from parley.service.commands import Receipt, ServiceError, Submission
from parley.service.event_ids import EventId, digest
from parley.service.idempotency import Idempotency, Refused
from parley.service.loading import Subjects
from parley.service.register_now import RegisterNow


class Decider:
    """What a decision reads: the subjects, the kinds that decide on them, earlier recordings."""

    def __init__(self, catalog: Catalog, subjects: Subjects, idempotency: Idempotency, register: RegisterNow | None = None):
        self.catalog = catalog
        self.subjects = subjects
        self.idempotency = idempotency
        self.register = register  # who is who as a write is decided, for the rules that compare people

    def decision(self, *, optimistic: bool) -> Decision:
        return Decision(self, optimistic=optimistic)


class Decision:
    """The new events of one write (a batch, or a group of single events) and their ids."""

    def __init__(self, decider: Decider, *, optimistic: bool):
        self.decider = decider
        self.optimistic = optimistic
        self.subjects: dict[SubjectId, Subject | None] = {}
        self.ids: dict[str, EventId] = {}
        self.events: list[Any] = []  # in decision order
        self.event_ids: list[EventId] = []  # one for each of `events`

    def decide(self, submission: Submission, actor: str) -> Receipt | str:
        """Apply one submission: the new event's id, or the receipt of its earlier recording.

        Optimistic, it raises Refused instead of a refusal, since a careful look (an id found,
        a fresher subject) may answer otherwise.
        """
        content_digest = digest(submission.content())
        event_id = (submission.event_id or str(uuid4())).lower()
        if submission.event_id is not None:
            repeat = self.decider.idempotency.earlier(self.ids, event_id, content_digest, optimistic=self.optimistic)
            if repeat is not None:
                return repeat
        try:
            subject = self._apply(submission, actor, event_id)
        except (DomainError, ServiceError):
            if self.optimistic:
                raise Refused from None
            raise
        self.ids[event_id] = entry = EventId(event_id, str(submission.subject), subject.version, content_digest)
        new = subject.collect_events()
        if submission.imported_recorded_at is not None:
            restamped(new[-1], submission.imported_recorded_at)  # type: ignore[arg-type]  # a Subject's events
        self.events += new
        self.event_ids.append(entry)
        return event_id

    def _apply(self, submission: Submission, actor: str, event_id: str) -> Subject:
        sid = submission.subject
        if sid not in self.subjects:
            self.subjects[sid] = self.decider.subjects.to_decide_on(sid, submission.type, optimistic=self.optimistic)
        subject = self.subjects[sid]
        current = subject.version if subject else 0
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
        cls = self.decider.catalog.subject_class(sid.kind)
        # Rules that compare people see the register as it stands now, with this write's own changes.
        people = self.decider.register
        register = (
            people.as_decided(self.subjects, fresh=not self.optimistic)
            if people is not None and cls.compares_people(submission.type)
            else None
        )
        if people is not None and sid.kind in people.kinds:
            people.touch()
        if subject is None:
            self.subjects[sid] = subject = cls.open(sid, submission.type, register=register, **content)
        else:
            subject.record(submission.type, register=register, **content)
        return subject
