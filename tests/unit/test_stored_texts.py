"""Idempotency's content skips walking data whose texts the request schemas already stored
normalised (domain/stored_texts.py): it is what the full walk gives, for every event type,
and a schema that could let a text through unnormalised is walked as before."""

from __future__ import annotations

import json
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, StringConstraints, TypeAdapter

from parley.api.examples import EXTRA, scenario
from parley.domain.stored_texts import dumps_texts_as_stored
from parley.domain.values import Name, Text
from parley.scripts.bench.appends import batch_bodies
from parley.service.commands import content
from parley.service.requests import EVENT_MODELS, EventIn

EVENTS = TypeAdapter(EventIn)
MESSY = {
    "type": "DelegationFormed",
    "subject": "delegation/messy",
    "occurred": "2025-11-01",
    "sources": [{"name": "  Reu\u00a0 ters ", "url": "https://e\u0301x\x1cy", "quote": "e\u0301\t\tq "}],
    "data": {"party": " Ukrai\u0301ne ", "head": "Anna \u2003Adler", "members": [{"name": " Anna  Adler"}]},
    "note": "  a\n note ",
}


def canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True)


@pytest.mark.parametrize("event", [*scenario(), *EXTRA, MESSY, *batch_bodies(3)[2]], ids=lambda e: e["type"])
def test_content_is_what_the_full_walk_gives(event: dict) -> None:
    s = EVENTS.validate_python(event).submission()
    walked = content(str(s.subject), s.type, s.occurred.text, s.sources, s.data, s.note)
    assert canonical(s.content()) == canonical(walked)


def test_the_messy_event_skips_the_walk_and_its_url_is_still_normalised() -> None:
    s = EVENTS.validate_python(MESSY).submission()
    assert s.data_as_stored and s.sources[0]["url"] == "https://e\u0301x\x1cy"
    assert s.content()["sources"][0]["url"] == "https://éx y"


def test_every_event_type_but_a_retraction_skips_the_walk() -> None:
    skipped = {name for name, model in EVENT_MODELS.items() if dumps_texts_as_stored(model.model_fields["data"].annotation)}
    assert set(EVENT_MODELS) - skipped == {"EventRetracted"}  # its event_id is a patterned string


class PlainString(BaseModel):
    name: Name
    code: str


class Padded(BaseModel):
    text: Text = " padded "


class SpacedLiteral(BaseModel):
    status: Literal["agreed", "under  negotiation"]


class Patterned(BaseModel):
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


class AsStored(BaseModel):
    name: Name
    status: Literal["agreed", "rejected"]
    count: int = 0
    names: list[Name] = []


@pytest.mark.parametrize("model", [PlainString, Padded, SpacedLiteral, Patterned])
def test_a_text_not_normalised_by_its_schema_is_walked(model: type[BaseModel]) -> None:
    assert not dumps_texts_as_stored(model)


def test_names_literals_and_numbers_as_stored_are_not_walked() -> None:
    assert dumps_texts_as_stored(AsStored)
