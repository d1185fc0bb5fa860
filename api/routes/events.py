"""Recording events and reading the global log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Header, Query, Response

from api.deps import SystemDep, Views, Writer
from api.examples import openapi_examples
from api.problems import Problem
from api.schemas import BatchIn, EventIn, EventPage, Receipt, Receipts
from service.commands import VersionConflict

router = APIRouter(tags=["events"])

CREATED = {201: {"description": "recorded"}, 200: {"description": "already recorded with this content"}}


@router.post("/events", status_code=201, response_model=Receipt, responses=CREATED)
def record_event(
    event: Annotated[EventIn, Body(openapi_examples=openapi_examples())],
    system: SystemDep,
    actor: Writer,
    response: Response,
    if_match: Annotated[str | None, Header(description='the subject\'s current version, e.g. "3"')] = None,
) -> dict:
    expected = _version_in(if_match)
    submission = event.submission(expected)
    try:
        receipt = system.app.record(submission, actor)
    except VersionConflict as conflict:
        if if_match is None:
            raise
        raise VersionConflict(conflict.subject, conflict.expected, conflict.current, if_match=True) from None
    response.status_code = 201 if receipt.created else 200
    response.headers["ETag"] = f'"{receipt.version}"'
    return receipt.as_dict()


@router.post("/events/batch", status_code=201, response_model=Receipts, responses=CREATED)
def record_batch(batch: BatchIn, system: SystemDep, actor: Writer, response: Response) -> dict:
    limit = system.settings.max_batch_events
    if len(batch.events) > limit:
        raise Problem(422, "batch-too-large", "Too many events in one batch",
                      f"a batch holds at most {limit} events; this one has {len(batch.events)}")
    receipts = system.app.record_batch([e.submission() for e in batch.events], actor)
    response.status_code = 201 if any(r.created for r in receipts) else 200
    return {"events": [r.as_dict() for r in receipts]}


@router.get("/events", response_model=EventPage)
def read_log(
    system: Views,
    after: Annotated[int, Query(ge=0, le=2**62, description="a position; events after it")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict:
    events = system.queries.events(after, limit)
    return {"events": events, "next": events[-1]["position"] if len(events) == limit else None}


def _version_in(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 18:
        raise Problem(422, "validation", "If-Match must hold a version",
                      f"If-Match: {if_match!r} is not a subject version such as \"3\"",
                      errors=[{"path": "header.if-match", "message": "not a version", "type": "int"}])
    return int(text)
