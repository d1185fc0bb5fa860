"""What a client sends: one request model per event type, told apart by `type`, and a batch of them;
and what drafting a report takes. Shared by the API, which validates bodies with them, and by
`parley import` and `parley draft`, which validate what they read the same way (STYLE: shapes shared
by the server, the client and the scripts live where all three import them; the answers are
`parley.domain.answers`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import Annotated, Any, Literal, Union
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, model_validator
from pydantic_core import PydanticCustomError

from parley.domain.catalog import BUILT_IN, Catalog
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.stored_texts import dumps_texts_as_stored
from parley.domain.subjects import KIND, SLUG, SubjectId
from parley.domain.values import MAX_ITEMS, FuzzyText, Name, Source, Text, cites_every_source, is_from_the_future, uncited_sources
from parley.service.commands import Submission

# The most events one batch may hold; `max_batch_events` may set fewer.
MAX_BATCH = 1000
MAX_REPORT = 100_000  # characters of a report to draft from; a body is bounded by the door's limit too


def subject_text(kinds: Sequence[str], example: str | None = None) -> Any:
    """A `kind/slug` address of one of `kinds`; a kind's own event types name a subject of that kind."""
    pattern = rf"^({'|'.join(kinds)})/{SLUG.pattern.strip('^$')}$"
    return Annotated[str, Field(pattern=pattern, examples=[example or f"{kinds[0]}/example"])]


AnySubject = Annotated[str, Field(pattern=rf"^{KIND.pattern.strip('^$')}/{SLUG.pattern.strip('^$')}$")]
Occurred = Annotated[FuzzyText, Field(examples=["2025-11-23", "../2025-11-30"])]


class EventBase(BaseModel):
    """An event as sent. JSON types are taken as sent (strict), but for `event_id`, a UUID
    read from its string. Validated with the context key `recorded_at` (default now), the
    moment the event is recorded at, which its `occurred` may not follow."""

    model_config = ConfigDict(extra="forbid", strict=True)

    event_id: Annotated[UUID | None, Field(strict=False)] = Field(
        None, description="makes the post idempotent; the server assigns one if absent"
    )
    subject: AnySubject
    occurred: Occurred = Field(description="when it happened (valid time), as a fuzzy date")
    sources: Annotated[list[Source], Field(min_length=1, max_length=MAX_ITEMS)]
    note: Text | None = None
    expected_version: int | None = Field(None, ge=0, description="refused with 409 unless the subject is at it")

    @model_validator(mode="after")
    def _checks_across_fields(self, info: ValidationInfo) -> EventBase:
        recorded_at = (info.context or {}).get("recorded_at") or datetime.now(UTC)
        if is_from_the_future(FuzzyDate.parse(self.occurred), recorded_at):
            raise PydanticCustomError(
                "occurred_in_future",
                "{occurred} begins after the event is recorded ({recorded_at}); "
                "an event from the future cannot be recorded (only planned_for may be any date)",
                {"occurred": self.occurred, "recorded_at": recorded_at.isoformat(), "at": "occurred"},
            )
        for index, source in enumerate(self.sources):
            if source.published is not None and is_from_the_future(FuzzyDate.parse(source.published), recorded_at):
                raise PydanticCustomError(
                    "published_in_future",
                    "{published} begins after the event is recorded ({recorded_at}); a "
                    "source cannot have been published later than the event citing it was recorded",
                    {"published": source.published, "recorded_at": recorded_at.isoformat(), "at": f"sources.{index}.published"},
                )
        if cites_every_source(self.data, self.sources):  # type: ignore[attr-defined]  # each event type's own data model
            return self
        sources = [source.model_dump() for source in self.sources]
        data = self.data.model_dump(mode="json", exclude_none=True)  # type: ignore[attr-defined]  # each event type's own data model
        for path, name in uncited_sources(data, sources):
            raise PydanticCustomError(
                "dispute_source_not_cited",
                "'{name}' backs a disputed value but is not one of the event's sources",
                {"name": name, "at": path},
            )
        return self

    def submission(self, if_match: int | str | None = None) -> Submission:
        dumped = self.model_dump(mode="json", exclude_none=True, include=_DUMPED)  # one call for both
        return Submission(
            subject=SubjectId.parse(self.subject),
            type=self.type,  # type: ignore[attr-defined]  # each event type's own Literal
            occurred=FuzzyDate.parse(self.occurred),
            sources=dumped["sources"],
            data=dumped["data"],
            note=self.note,
            event_id=str(self.event_id) if self.event_id else None,
            expected_version=self.expected_version,
            if_match=if_match,
            data_as_stored=dumps_texts_as_stored(type(self.data)),  # type: ignore[attr-defined, arg-type]  # each type's own model
        )


_DUMPED = {"sources", "data"}


@cache
def _event_model(type_name: str, data_model: type[BaseModel], kinds: tuple[str, ...], example: str | None) -> type[EventBase]:
    return create_model(
        type_name + "Event",
        __base__=EventBase,
        type=(Literal[type_name], ...),  # type: ignore[arg-type]  # a name known at run time
        subject=(subject_text(kinds, example), ...),
        data=(data_model, ...),
    )


@lru_cache(maxsize=16)
def event_models(catalog: Catalog) -> dict[str, type[EventBase]]:
    """One request model per event type the catalog declares: a kind's own types name a subject
    of that kind; those every kind accepts, a subject of any declared kind."""
    models = {}
    for type_name in catalog.types:
        kind = catalog.kind_of_type(type_name)
        cls = catalog.subject_class(kind or catalog.kinds[0])
        example = (catalog.example(cls, type_name) or {}).get("subject")
        models[type_name] = _event_model(type_name, cls.data_models[type_name], (kind,) if kind else catalog.kinds, example)
    return models


@lru_cache(maxsize=16)
def event_in(catalog: Catalog) -> Any:
    models = tuple(event_models(catalog).values())
    return Annotated[Union[models], Field(discriminator="type")]  # noqa: UP007 (a tuple of classes)


class Batch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: list[Any]


@lru_cache(maxsize=16)
def batch_in(catalog: Catalog) -> type[Batch]:
    return create_model(
        "BatchIn",
        __base__=Batch,
        __module__=__name__,
        events=(Annotated[list[event_in(catalog)], Field(min_length=1, max_length=MAX_BATCH)], ...),  # type: ignore[misc, arg-type]  # a union made at run time
    )


# The built-in kinds' models; a service's own are its catalog's (api/vocabulary.py).
EVENT_MODELS = event_models(BUILT_IN)
EventIn = event_in(BUILT_IN)
BatchIn = batch_in(BUILT_IN)


# Drafting a report (SPEC §13): the report, and the proposals chosen to confirm.


class DraftSource(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    name: Name
    url: Annotated[str, Field(max_length=2000, pattern=r"^https?://[^\s\x00]+$")] | None = None
    published: Annotated[
        FuzzyText, Field(examples=["2025-11-30"], description="when the report was published: its dates are read from it")
    ]


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    text: Annotated[str, Field(min_length=1, max_length=MAX_REPORT, description="the report, as published")]
    source: DraftSource
    language: Literal["en"] = "en"


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    proposal_id: Annotated[str, Field(min_length=1, max_length=40)]
    edits: dict[str, Any] | None = Field(
        None,
        description="field path (`data.new_head`, `occurred`, "
        "`data.point_count.disputed.0.sources`) → the value to record instead",
    )


class ConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    proposals: Annotated[list[Choice], Field(min_length=1, max_length=1000)]
