"""The subject aggregate: one stream of sourced facts per `kind/slug`.

Each kind subclasses `Subject` and declares each of its event types once, as a nested class
that names the type's data (`data_model`), how a fact of it changes the state (`evolved`),
and the rules checked on a new one (`checks`). Recording an event checks the whole timeline
with the event at its valid-time place, so a backdated fact cannot make the subject's history
impossible.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.utils import get_topic
from pydantic import BaseModel

from parley.domain.checking import check_added, check_timeline
from parley.domain.common import EventRetractedData, StatementRecordedData
from parley.domain.errors import RuleBroken, UnknownEventType
from parley.domain.facts import Fact, State, statement_of
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.items import ItemList
from parley.domain.register import Who
from parley.domain.samples import Sample
from parley.domain.shown import KindState
from parley.domain.subjects import SubjectId

Check = Callable[[State | None, Fact], None]
# A rule that compares people (SPEC §11): given the register as the write is decided, checked on
# the event being recorded only, never on stored ones.
RegisterCheck = Callable[[State | None, Fact, Who], None]


class FactRecorded(Aggregate.Event):
    """Base of every subject event: the fact's content, as recorded.

    A type of event declares, besides its fields, what a fact of it may hold (`data_model`),
    how it changes the subject's state (`evolved`), and the rules added or tightened after
    facts were first recorded (`checks`): checked on the state before a new fact (and on the
    facts it would move), never on stored facts that always broke them. These are class
    attributes, not fields: nothing of them is stored with an event.
    """

    # Class variables, not fields of the stored event (a dataclass leaves ClassVars out).
    data_model: ClassVar[type[BaseModel]] = BaseModel
    checks: ClassVar[tuple[Check, ...]] = ()
    # The rules that compare people through the register as the write is decided (SPEC §11: a
    # head replaced by the same person under another spelling); checked on a new fact alone.
    register_checks: ClassVar[tuple[RegisterCheck, ...]] = ()
    label: ClassVar[str] = ""  # in words ("Head replaced"); derived from the type's name unless declared
    # An event of this type as a client sends it (`type` aside), shown in `/catalog` and the
    # OpenAPI document; types every kind accepts take their kind's creation example's subject.
    example: ClassVar[dict[str, Any] | None] = None
    # One line saying what a fact of this type reports, for the page: `{field}` is the data's
    # field in words; a part in `[…]` is shown only when every field it names is present.
    sentence: ClassVar[str] = ""
    # The paths of the names of people its data gives (SPEC §11: "head", "members[].name"), whose
    # events a person's mentions list.
    person_fields: ClassVar[tuple[str, ...]] = ()
    # The time a line of `parley import --restamp` said it was recorded, kept on the event that
    # was recorded now instead (`restamped`); absent from every other event, so not a field.
    imported_recorded_at: ClassVar[str | None] = None  # an ISO 8601 text

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
            imported_recorded_at=datetime.fromisoformat(self.imported_recorded_at) if self.imported_recorded_at else None,
        )

    def apply(self, aggregate: Subject) -> None:
        # A fact just recorded was built as the candidate its rules were checked on (`record`):
        # that one is kept, given the time the event was recorded at, rather than built again.
        candidate = aggregate.__dict__.pop("_candidate", None)
        if candidate is None:
            fact = self.as_fact()
        else:
            fact = candidate
            object.__setattr__(fact, "recorded_at", self.timestamp)  # made here, shared with nothing yet
        aggregate.facts.append(fact)
        aggregate.checked = None  # the timeline changed; the next record folds it whole

    @staticmethod
    def evolved(state: State, fact: Fact) -> State:
        raise NotImplementedError(f"{fact.type} does not change a state")


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
    """One subject's stream: `subject` (its address) and `facts`, checked by folding them.

    A kind of subject is declared once, by subclassing this in a module of its own (SPEC §10):
    its name, its words, its state model, and its event types as nested classes. Everything
    else (paths, filters, schemas, the page, exports) is derived from the declaration.
    """

    kind: ClassVar[str]  # lower-case letters, digits and `_`: the first part of its subjects' addresses
    # Its words: what the page, the catalog and the documents call it.
    label: ClassVar[str]  # "Delegation"
    plural: ClassVar[str]  # "delegations"
    colour: ClassVar[str]  # "#1d4ed8": its line and border on the page
    description: ClassVar[str]  # one line
    state_model: ClassVar[type[KindState]]  # the fields its state shows (SPEC §2), statements included
    summary_fields: ClassVar[tuple[str, ...]] = ()  # the state fields the page's summary of a subject shows
    # What people call a subject, from its state or its events' data, in a sentence's form ("{party}",
    # "{traveller} to {destination}"); empty: its address names it.
    title: ClassVar[str] = ""
    # Derived from `state_model`: what its state shows, besides statements.
    state_fields: ClassVar[tuple[str, ...]] = ()
    creation: ClassVar[type[SubjectCreated]]  # its one type of event that creates a subject
    # The types that conclude a planned subject (held, completed, cancelled): a kind that has
    # them has expectations (SPEC §9: a `planned_for`, and overdue when it passes unconcluded).
    concluded_by: ClassVar[tuple[str, ...]] = ()
    # Hooks for what is particular to a kind (SPEC §10); a kind declares those it has.
    # Sample facts of it that pass its rules (domain/samples.py), for generated records.
    sample: ClassVar[type[Sample]] = Sample
    # Routes of its own (a person's mentions, a plan's compare), as "module:function" names of
    # functions given the kind's class and returning a FastAPI router, mounted under
    # /subjects/{kind}: the API imports them when the app is made; the domain knows no HTTP.
    routes: ClassVar[tuple[str, ...]] = ()
    # Drafting cues (SPEC §13): per event type of its own, the phrases of a report that suggest
    # a fact of that type ("talks were postponed"); listed by GET /catalog for drafting tools.
    drafting_cues: ClassVar[dict[str, tuple[str, ...]]] = {}
    # The words a report calls its subjects by ("delegation", "negotiating team"): a statement made
    # "at the talks" belongs to a meeting, "the plan" is the plan the report is about.
    drafting_nouns: ClassVar[tuple[str, ...]] = ()
    # The slug a drafted new subject is given, from its creating event's data: "{traveller}-{destination}"
    # (a person by surname; a date `{planned_for:month}` by its year and month). Its fields are also
    # what a drafted event must share with a known subject to be one of its events.
    drafting_subject: ClassVar[str] = ""
    # People (SPEC §11, domain/register.py): the paths of the names of people a state holds
    # ("head", "former_heads[]", "members[].name"), matched to the register when an answer is read;
    # every kind's statements name their speakers. A kind whose subjects are people declares
    # `register_entry`: a state's spellings (its name first) and the record it is merged into.
    person_fields: ClassVar[tuple[str, ...]] = ()
    # Lists of keyed items in its state (a plan's points, domain/items.py), by field: kept by the
    # views one row per item and interval, compared item by item, changed field by field.
    item_lists: ClassVar[dict[str, ItemList]] = {}
    # The type whose facts number its revisions ("revision r" is the state just before the r+1st,
    # SPEC §12): a kind that has one can be compared by revisions.
    revised_by: ClassVar[str | None] = None
    register_entry: ClassVar[Callable[[State], tuple[list[str], str | None]] | None] = None
    # The places its states give people, by path, and the role each is (SPEC §11's `roles`:
    # {"head": "head", "members[].name": "member"}), read into a person's state when it is read.
    role_fields: ClassVar[dict[str, str]] = {}
    # Fields of its state computed when an answer is read (a person's `roles`), never folded nor
    # stored: in its state model, for the schema, but not among `state_fields`.
    read_fields: ClassVar[tuple[str, ...]] = ()
    if TYPE_CHECKING:  # set by the creation's `apply`; not fields, which would be arguments of `__init__`
        subject: str
        facts: list[Fact]
    # Derived from the nested event classes when a kind is defined (as `creation` is): its
    # types, by name, in the order declared, those every kind records last; the data each takes.
    event_types: ClassVar[dict[str, type[FactRecorded]]] = {}
    data_models: ClassVar[dict[str, type[BaseModel]]] = {}

    class StatementRecorded(FactRecorded):
        class_version = 1
        data_model = StatementRecordedData
        person_fields = ("speaker",)
        sentence = "{speaker}: “{quote}”"
        example = {
            "occurred": "2025-11-23",
            "sources": [{"name": "Forbes", "published": "2025-11-30"}],
            "data": {"speaker": "Marco Rubio", "role": "US Secretary of State", "quote": "possibly the most productive"},
        }

        @staticmethod
        def evolved(state: State, fact: Fact) -> State:
            return {**state, "statements": [*state["statements"], statement_of(fact)]}

    class EventRetracted(FactRecorded):
        """Withdraws an earlier fact: the fold leaves both out, so it never changes a state itself."""

        class_version = 1
        data_model = EventRetractedData
        sentence = "Retraction of an earlier report"
        example = {
            "occurred": "2025-12-01",
            "sources": [{"name": "Axios", "url": "https://www.axios.com/"}],
            "data": {"event_id": "d8c0c5a4-3e5b-5f0e-9a43-0b6c1f0f2f11", "reason": "The outlet corrected its report"},
        }

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)  # eventsourcing defines the kind's own copies of inherited events here
        cls.event_types = {
            name: value
            for name, value in vars(cls).items()
            if isinstance(value, type) and issubclass(value, FactRecorded) and value.__qualname__ == f"{cls.__qualname__}.{name}"
        }
        cls.data_models = {name: event_type.data_model for name, event_type in cls.event_types.items()}
        cls.creation = next(t for t in cls.event_types.values() if issubclass(t, SubjectCreated))
        for name, event_type in cls.event_types.items():
            event_type.label = event_type.label or in_words(name, cls.__name__)
        if "state_model" in vars(cls):
            cls.state_fields = tuple(
                name for name in cls.state_model.model_fields if name != "statements" and name not in cls.read_fields
            )
        if "kind" in vars(cls):
            DEFINED.setdefault(cls.kind, cls)  # a second class of one kind is refused by any catalog declaring it

    @classmethod
    def compares_people(cls, type_name: str) -> bool:
        """Whether a new fact of that type is checked against the register (SPEC §11)."""
        event_type = cls.event_types.get(type_name)
        return event_type is not None and bool(event_type.register_checks)

    @classmethod
    def has_expectations(cls) -> bool:
        return bool(cls.concluded_by)

    @classmethod
    def event_class(cls, type_name: str) -> type[FactRecorded]:
        if type_name not in cls.event_types:
            raise UnknownEventType(f"a {cls.kind} accepts {', '.join(cls.event_types)}; not {type_name!r}")
        return cls.event_types[type_name]

    @classmethod
    def evolve(cls, state: State | None, fact: Fact) -> State:
        """One fact applied to a state; raises RuleBroken when the fact cannot happen here."""
        creation = cls.creation.__name__
        if state is None:
            if fact.type != creation:
                raise RuleBroken(  # it exists later on: the event's date is what is wrong
                    "creation-first",
                    f"{fact.subject} does not exist at {fact.occurred}: its first event must be {creation}",
                    field="occurred",
                )
            return cls.creation.evolved({"statements": []}, fact)
        if fact.type == creation:
            raise RuleBroken("created-once", f"{fact.subject} was already created before {fact.occurred}")
        return cls.event_types[fact.type].evolved(state, fact)

    @classmethod
    def open(cls, subject: SubjectId, type_name: str, *, register: Who | None = None, **content: Any) -> Subject:
        """Start a subject's stream with the fact that creates it; `register` is who is who as the
        write is decided, for the rules that compare people (None: those are not checked)."""
        event_class = cls.event_class(type_name)
        if not issubclass(event_class, SubjectCreated):
            raise RuleBroken(
                "creation-first",
                f"{subject} does not exist yet: its first event must be {cls.creation.__name__}",
            )
        candidate = _candidate(str(subject), 1, type_name, content)
        checked = check_timeline(cls, [candidate], candidate, register)
        opened = cls._create(event_class, id=subject.stream_id, **_event_fields(str(subject), content))
        opened.checked = checked
        return opened

    def record(self, type_name: str, *, register: Who | None = None, **content: Any) -> None:
        """Record a fact, refusing it if the timeline with it in place is impossible (and, given
        `register`, if it breaks a rule that compares people)."""
        event_class = self.event_class(type_name)
        candidate = _candidate(self.subject, self.version + 1, type_name, content)
        checked = getattr(self, "checked", None)
        checked = checked and check_added(type(self), checked, candidate, register)
        if checked is None:
            checked = check_timeline(type(self), [*self.facts, candidate], candidate, register)
        fields = _event_fields(self.subject, content)
        if issubclass(event_class, SubjectCreated):
            fields.update(originator_topic=get_topic(type(self)))
        self._candidate = candidate  # the fact `apply` keeps (FactRecorded.apply)
        try:
            self.trigger_event(event_class, **fields)
        finally:
            self.__dict__.pop("_candidate", None)
        self.checked = checked

    def fork(self) -> Subject:
        """A copy to decide a command on, so a refused or unsaved command leaves this one as it was.

        Facts and checked states are never changed in place, so they are shared, not copied.
        """
        # What `copy(self)` does for an aggregate (no slots, no copy hooks), without its
        # generic protocol, which cost a tenth of deciding a single event.
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)
        twin.facts = list(self.facts)
        twin._pending_events = []
        return twin

    def find(self, event_id: str) -> Fact | None:
        return next((fact for fact in self.facts if fact.event_id == event_id), None)


DEFINED: dict[str, type[Subject]] = {}
"""Every kind defined in this process, by name: what folds a kind's facts. Which kinds a service
accepts and shows is its catalog's to say (catalog.py); a kind defined but not declared is skipped."""


def in_words(type_name: str, prefix: str = "") -> str:
    """`DelegationHeadReplaced` of a delegation reads "Head replaced"."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", type_name.removeprefix(prefix) or type_name).lower()
    return words[:1].upper() + words[1:]


def restamped(event: FactRecorded, file_time: datetime) -> None:
    """Keep on a new event the recorded time its imported line gave, which the import did not
    keep (SPEC §14): stored with the event, read back by `as_fact`."""
    object.__setattr__(event, "imported_recorded_at", file_time.isoformat())


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
