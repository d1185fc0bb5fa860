"""Redaction with an audit (SPEC §15): an admin removes values of an event for good."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from parley.api.deps import READ_SECURITY, Admin, Reader, SystemDep
from parley.api.json_body import UniqueKeysRoute
from parley.api.problems import documented
from parley.api.responses import JSONResponse
from parley.domain.answers import Redactions
from parley.domain.values import MAX_TEXT
from parley.service.problems import Problem
from parley.service.redact import redact
from parley.service.redaction import RedactionRefused
from parley.service.redaction_records import entry

router = APIRouter(tags=["events"], route_class=UniqueKeysRoute)
EventId = Annotated[UUID, Path(description="The event's id.", examples=["11ce5fcf-efe9-512c-b682-b95e77230aa8"])]
ADMIN_ONLY: dict[str, Any] = {"security": [{"bearer": []}]}


class RedactionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"fields": ["sources.0.name", "data.quote"], "reason": "the source asked to be protected"}]
        },
    )

    fields: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=300)]],
        Field(
            min_length=1,
            max_length=100,
            description="The values to remove, as dotted paths into the event: "
            "`sources.0.name`, `sources.1` (a whole source), `data.quote`, `note`.",
        ),
    ]
    reason: Annotated[
        str, StringConstraints(max_length=MAX_TEXT), Field(description="Why they are removed (kept, and shown in their place).")
    ]


@router.post(
    "/events/{event_id}/redactions",
    status_code=201,
    summary="Redact values of an event (admin)",
    responses={
        200: {"description": "every value named was already redacted; nothing stored"},
        **documented(400, 401, 403, 404, 409, 413, 415, 422, 503),
    },
    openapi_extra=ADMIN_ONLY,
)
def post_redaction(
    event_id: Annotated[UUID, Path(description="The event's id.", examples=["11ce5fcf-efe9-512c-b682-b95e77230aa8"])],
    body: RedactionIn,
    system: SystemDep,
    actor: Admin,
) -> JSONResponse:
    """Remove values of a recorded event for good — the one exception to "never updated or
    deleted". Each value is replaced, in the stored event and in every answer, export and view,
    by `{"redacted": true, "reason": …}`; its salted hash is kept, so the chain, checkpoints,
    proofs and releases still verify. Who, when, why and which values are recorded as an event
    on the `redactions` stream. Needs a token of the `admin` scope (403 otherwise). 201 with
    what was redacted; 200 when every value named was already redacted.

    Example: `{"fields": ["sources.0.name", "data.quote"], "reason": "the source asked to be protected"}`."""
    try:
        answer, created = redact(system, str(event_id), body.fields, body.reason, actor)
    except RedactionRefused as refused:
        slug = {404: "not-found", 409: "chain-broken"}.get(refused.status, "validation")
        extra: dict[str, Any] = {"errors": refused.errors} if refused.errors else {}
        raise Problem(refused.status, slug, refused.title, refused.detail, **extra) from None
    return JSONResponse(answer, 201 if created else 200)


def _listed(system: SystemDep, event_id: str | None) -> dict[str, Any]:
    redactions = system.redactions
    assert redactions is not None, "set by build"
    return {"redactions": [entry(record, system.signer) for record in redactions.listed(event_id)]}


@router.get(
    "/redactions",
    response_model=Redactions,
    responses=documented(401, 422, 503),
    openapi_extra=READ_SECURITY,
    summary="The redactions made: who, when, which values of which event, and why",
)
def list_redactions(
    system: SystemDep,
    _: Reader,
    event_id: Annotated[
        UUID | None,
        Query(description="Only the redactions of this event's values.", examples=["11ce5fcf-efe9-512c-b682-b95e77230aa8"]),
    ] = None,
) -> dict[str, Any]:
    """Every redaction, oldest first: the event, the paths of the values removed, the reason, who
    and when, and the redaction's own position and chain digest — never the values. A service
    with a signing key signs each entry (docs/verifying.md §7), so a holder of a copy written
    before a redaction can check it: `parley verify OLD_DIR --redactions URL --key HEX`.

    Example: `GET /redactions?event_id=11ce5fcf-efe9-512c-b682-b95e77230aa8`."""
    return _listed(system, None if event_id is None else str(event_id))


@router.get(
    "/events/{event_id}/redactions",
    response_model=Redactions,
    responses=documented(401, 404, 422, 503),
    openapi_extra=READ_SECURITY,
    summary="The redactions of one event's values",
)
def event_redactions(event_id: EventId, system: SystemDep, _: Reader) -> dict[str, Any]:
    """The redactions of this event's values, oldest first, as `GET /redactions` lists them; an
    empty list for an event none of whose values was redacted, 404 for no such event.

    Example: `GET /events/11ce5fcf-efe9-512c-b682-b95e77230aa8/redactions`."""
    if system.app.event_ids.get(str(event_id)) is None:
        raise Problem(404, "not-found", "No such event", f"no event has the id {event_id}")
    return _listed(system, str(event_id))
