"""`GET /catalog`: the kinds this service declares, their words, event types and schemas (SPEC §10)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import Request
from pydantic import BaseModel, Field, TypeAdapter

from parley.api.problems import documented
from parley.api.responses import JSONResponse
from parley.api.vocabulary import Routes
from parley.domain.answers import item_fields, typed_state
from parley.domain.catalog import Catalog
from parley.domain.subject import Subject

router = Routes(tags=["catalog"])
COMPARE = "parley.api.compare:routes"  # the route comparing two drafts of a kind's item list


class CatalogEvent(BaseModel):
    type: str
    label: str = Field(description="the type in words")
    sentence: str = Field(
        description="what an event of this type reports, for a page: `{field}` is the data's "
        "field in words; a part in `[…]` only when every field it names is present"
    )
    data_schema: dict[str, Any] = Field(description="the JSON Schema of its `data`")
    example: dict[str, Any] | None = Field(description="an event of this type as a client sends it")
    cues: list[str] = Field(description="phrases of a report that suggest a fact of this type, for drafting (SPEC §13)")


class CatalogItemList(BaseModel):
    field: str = Field(description="the state field listing the items (`points`)")
    key: str = Field(description="the item field naming an item across drafts")
    columns: list[str] = Field(description="the item's other fields, in order: what a table of the items shows")
    compare: bool = Field(description="whether `GET /subjects/{kind}/{slug}/compare` compares two drafts of it")
    events: list[str] = Field(description="the event types about its items")


class CatalogKind(BaseModel):
    kind: str
    label: str
    plural: str
    colour: str = Field(description="a CSS colour (`#rrggbb`): its line and border on the page")
    description: str
    creates: list[str] = Field(description="the event types that create a subject of this kind")
    events: list[CatalogEvent]
    state_schema: dict[str, Any] = Field(description="the JSON Schema of its state")
    summary_fields: list[str] = Field(description="the state fields a summary of a subject shows")
    title: str = Field(
        description="what people call a subject, from its state or an event's data, in a sentence's "
        "form; empty when its address names it"
    )
    expectations: bool = Field(description="whether its subjects are planned for a date and may be overdue (SPEC §9)")
    item_lists: list[CatalogItemList] = Field(description="the state fields that list keyed items (a plan's points, SPEC §12)")
    revised_by: str | None = Field(description="the event type whose events number its revisions, when it has one")


class CatalogOut(BaseModel):
    kinds: list[CatalogKind]


@router.get(
    "/catalog", response_model=CatalogOut, summary="The kinds of subject and their event types", responses=documented(422)
)
def read_catalog(request: Request) -> JSONResponse:
    """Every kind this service declares, in order: its words, the event types it accepts with the
    JSON Schema of their data and an example, and the JSON Schema of its state. The page and the
    client read it; kinds added with `PARLEY_KINDS_EXTRA` are listed as the built-in ones are.

    Example: `GET /catalog`: the first kind is `$kind`, created by its first event type."""
    return JSONResponse(catalog_body(request.app.state.catalog))


@lru_cache(maxsize=16)
def catalog_body(catalog: Catalog) -> dict[str, Any]:
    return {"kinds": [_kind(catalog, cls) for cls in catalog.classes]}


def _kind(catalog: Catalog, cls: type[Subject]) -> dict[str, Any]:
    return {
        "kind": cls.kind,
        "label": cls.label,
        "plural": cls.plural,
        "colour": cls.colour,
        "description": cls.description,
        "creates": [name for name, event_type in cls.event_types.items() if event_type is cls.creation],
        "events": [
            {
                "type": name,
                "label": event_type.label,
                "sentence": event_type.sentence,
                "data_schema": TypeAdapter(event_type.data_model).json_schema(),
                "example": catalog.example(cls, name),
                "cues": list(cls.drafting_cues.get(name, ())),
            }
            for name, event_type in ((t, cls.event_types[t]) for t in _ordered(catalog, cls))
        ],
        "state_schema": typed_state(cls).model_json_schema(),
        "summary_fields": list(cls.summary_fields),
        "title": cls.title,
        "expectations": cls.has_expectations(),
        "item_lists": [
            {
                "field": name,
                "key": spec.key,
                "columns": [c for c in item_fields(cls, name) if c != spec.key],
                "compare": COMPARE in cls.routes,
                "events": list(spec.types),
            }
            for name, spec in cls.item_lists.items()
        ],
        "revised_by": cls.revised_by,
    }


def _ordered(catalog: Catalog, cls: type[Subject]) -> list[str]:
    return [t for t in catalog.types if t in cls.event_types]
