"""Request and response bodies. One request model per event type, told apart by `type`."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, create_model

from parley.domain.catalog import SUBJECT_CLASSES, kind_of_type
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.subjects import KINDS, SubjectId
from parley.domain.values import MAX_ITEMS, FuzzyText, Source, Text
from parley.service.commands import Submission

# The most events one batch may hold; `max_batch_events` may set fewer.
MAX_BATCH = 1000


def subject_text(kind: str | None) -> Any:
    """A `kind/slug` address; a kind's own event types name a subject of that kind."""
    kinds = kind or "|".join(KINDS)
    return Annotated[str, Field(pattern=rf"^({kinds})/[a-z0-9-]{{1,80}}$", examples=[f"{kind or 'delegation'}/ukraine"])]


AnySubject = subject_text(None)
Occurred = Annotated[FuzzyText, Field(examples=["2025-11-23", "../2025-11-30"])]


class EventBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_id: UUID | None = Field(None, description="makes the post idempotent; the server assigns one if absent")
    subject: AnySubject
    occurred: Occurred = Field(description="when it happened (valid time), as a fuzzy date")
    sources: Annotated[list[Source], Field(min_length=1, max_length=MAX_ITEMS)]
    note: Text | None = None
    expected_version: int | None = Field(None, ge=0, description="refused with 409 unless the subject is at it")

    def submission(self, expected_version: int | None = None) -> Submission:
        return Submission(
            subject=SubjectId.parse(self.subject),
            type=self.type,  # type: ignore[attr-defined]
            occurred=FuzzyDate.parse(self.occurred),
            sources=[s.model_dump(exclude_none=True) for s in self.sources],
            data=self.data.model_dump(mode="json", exclude_none=True),  # type: ignore[attr-defined]
            note=self.note,
            event_id=str(self.event_id) if self.event_id else None,
            expected_version=self.expected_version if expected_version is None else expected_version,
        )


def _event_model(type_name: str, data_model: type[BaseModel]) -> type[EventBase]:
    return create_model(
        type_name + "Event",
        __base__=EventBase,
        type=(Literal[type_name], ...),  # type: ignore[valid-type]
        subject=(subject_text(kind_of_type(type_name)), ...),
        data=(data_model, ...),
    )


EVENT_MODELS = {
    type_name: _event_model(type_name, model)
    for cls in SUBJECT_CLASSES
    for type_name, model in cls.data_models.items()
}
EventIn = Annotated[Union[tuple(EVENT_MODELS.values())], Field(discriminator="type")]  # type: ignore[valid-type]


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: Annotated[list[EventIn], Field(min_length=1, max_length=MAX_BATCH)]


class Receipt(BaseModel):
    event_id: str
    subject: str
    version: int
    position: int
    recorded_at: str


class Receipts(BaseModel):
    events: list[Receipt]


class EventOut(BaseModel):
    event_id: str
    position: int
    subject: str
    version: int
    type: str
    occurred: str
    occurred_earliest: str | None
    occurred_latest: str | None
    recorded_at: str
    recorded_by: str
    sources: list[dict[str, Any]]
    data: dict[str, Any]
    note: str | None
    retracted_by: str | None
    retracted_at: str | None


class EventPage(BaseModel):
    events: list[EventOut]
    next: int | None = Field(description="pass as `after` for the next page; null at the end")


class SubjectState(BaseModel):
    subject: str
    version: int
    as_of: str
    known_at: str
    state: dict[str, Any]
    pending: list[EventOut]


class SubjectPage(BaseModel):
    subjects: list[SubjectState]
    next: str | None


class History(BaseModel):
    subject: str
    known_at: str
    events: list[EventOut]


class FieldChange(BaseModel):
    field: str
    before: Any
    after: Any
    caused_by: list[EventOut]


class SubjectChanges(BaseModel):
    subject: str
    changes: list[FieldChange]


class ChangesPage(BaseModel):
    from_: str = Field(alias="from")
    to: str
    known_at: str
    subjects: list[SubjectChanges]
    next: str | None
