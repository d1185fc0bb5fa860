"""The subject aggregate: one stream of sourced facts per `kind/slug`.

Each kind subclasses `Subject` with its own nested event classes and the evolvers that
fold them into state. Recording an event checks the whole timeline with the event at its
valid-time place, so a backdated fact cannot make the subject's history impossible.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from datetime import datetime
from typing import Any, ClassVar

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.utils import get_topic
from pydantic import BaseModel

from parley.domain.errors import RuleBroken, UnknownEventType
from parley.domain.facts import RETRACTION, STATEMENT, Fact
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.subjects import SubjectId

State = dict[str, Any]
Evolver = Callable[[State, Fact], State]
Check = Callable[[State | None, Fact], None]

KIND_CLASSES: dict[str, type[Subject]] = {}


class FactRecorded(Aggregate.Event):
    """Base of every subject event: the fact's content, as recorded."""

    subject: str
    event_id: str
    occurred: str
    sources: list[dict[str, Any]]
    data: dict[str, Any]
    note: str | None
    recorded_by: str

    def as_fact(self) -> Fact:
        return Fact(
            event_id=self.event_id,
            subject=self.subject,
            version=self.originator_version,
            type=type(self).__name__,
            occurred=FuzzyDate.parse(self.occurred),
            data=self.data,
            sources=self.sources,
            note=self.note,
            recorded_at=self.timestamp,
            recorded_by=self.recorded_by,
        )

    def apply(self, aggregate: Subject) -> None:
        aggregate.facts.append(self.as_fact())
        aggregate.checked = None  # the timeline changed; the next record folds it whole


class SubjectCreated(FactRecorded, Aggregate.Created):
    """A fact that creates its subject.

    A creation may also be recorded on an existing stream, after the first creation
    was retracted; then it mutates the aggregate like any other event.
    """

    def mutate(self, aggregate: Any) -> Any:
        if aggregate is None:
            return super().mutate(None)
        return CanMutateAggregate.mutate(self, aggregate)

    def apply(self, aggregate: Subject) -> None:
        if not hasattr(aggregate, "facts"):
            aggregate.subject = self.subject
            aggregate.facts = []
        super().apply(aggregate)


class Subject(Aggregate):
    """One subject's stream: `subject` (its address) and `facts`, checked by folding them."""

    kind: ClassVar[str]
    state_fields: ClassVar[tuple[str, ...]]  # what its state shows (SPEC §2), besides statements
    creation: ClassVar[type[SubjectCreated]]
    data_models: ClassVar[dict[str, type[BaseModel]]]
    evolvers: ClassVar[dict[str, Evolver]]
    # Rules added or tightened after facts were first recorded: checked on the state before a
    # new fact (and on the facts it would move), never on stored facts that always broke them.
    checks: ClassVar[dict[str, tuple[Check, ...]]] = {}
    # The types that conclude a planned subject (held, completed, cancelled); none for kinds
    # that are not planned for a date.
    concluded_by: ClassVar[tuple[str, ...]] = ()

    class StatementRecorded(FactRecorded):
        class_version = 1

    class EventRetracted(FactRecorded):
        class_version = 1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            KIND_CLASSES[cls.kind] = cls

    @classmethod
    def event_class(cls, type_name: str) -> type[FactRecorded]:
        event_class = getattr(cls, type_name, None)
        if type_name not in cls.data_models or not isinstance(event_class, type):
            raise UnknownEventType(
                f"a {cls.kind} accepts {', '.join(cls.data_models)}; not {type_name!r}"
            )
        return event_class

    @classmethod
    def open(cls, subject: SubjectId, type_name: str, **content: Any) -> Subject:
        """Start a subject's stream with the fact that creates it."""
        event_class = cls.event_class(type_name)
        if not issubclass(event_class, SubjectCreated):
            raise RuleBroken(
                "creation-first",
                f"{subject} does not exist yet: its first event must be {cls.creation.__name__}",
            )
        candidate = _candidate(str(subject), 1, type_name, content)
        from parley.domain.timeline import check_timeline

        checked = check_timeline(cls.kind, [candidate], candidate)
        opened = cls._create(event_class, id=subject.stream_id, **_event_fields(str(subject), content))
        opened.checked = checked
        return opened

    def record(self, type_name: str, **content: Any) -> None:
        """Record a fact, refusing it if the timeline with it in place is impossible."""
        from parley.domain.timeline import check_added, check_timeline

        event_class = self.event_class(type_name)
        candidate = _candidate(self.subject, self.version + 1, type_name, content)
        checked = getattr(self, "checked", None)
        checked = checked and check_added(self.kind, checked, candidate)
        if checked is None:
            checked = check_timeline(self.kind, [*self.facts, candidate], candidate)
        fields = _event_fields(self.subject, content)
        if issubclass(event_class, SubjectCreated):
            fields.update(originator_topic=get_topic(type(self)))
        self.trigger_event(event_class, **fields)
        self.checked = checked

    def fork(self) -> Subject:
        """A copy to decide a command on, so a refused or unsaved command leaves this one as it was.

        Facts and checked states are never changed in place, so they are shared, not copied.
        """
        twin = copy(self)
        twin.facts = list(self.facts)
        twin._pending_events = []
        return twin

    def find(self, event_id: str) -> Fact | None:
        return next((fact for fact in self.facts if fact.event_id == event_id), None)


def _candidate(subject: str, version: int, type_name: str, content: dict[str, Any]) -> Fact:
    return Fact(
        event_id=content["event_id"],
        subject=subject,
        version=version,
        type=type_name,
        occurred=content["occurred"],
        data=content["data"],
        sources=content["sources"],
        note=content.get("note"),
        recorded_at=content.get("recorded_at") or datetime.max,
        recorded_by=content["recorded_by"],
    )


def _event_fields(subject: str, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "subject": subject,
        "event_id": content["event_id"],
        "occurred": content["occurred"].text,
        "sources": content["sources"],
        "data": content["data"],
        "note": content.get("note"),
        "recorded_by": content["recorded_by"],
        "timestamp": content.get("recorded_at"),
    }


COMMON_TYPES = (STATEMENT, RETRACTION)
