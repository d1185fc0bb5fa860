"""Drafts from a pasted report (SPEC §13): made, listed, read, deleted and confirmed.

Every call takes a write token: a draft is a person's work in progress, not yet the record."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response

from parley.api.deps import SystemDep, Writer
from parley.api.json_body import UniqueKeysRoute
from parley.api.problems import documented
from parley.api.responses import JSONResponse
from parley.service.draft_cases import confirm, make_draft
from parley.service.problems import Problem
from parley.service.requests import ConfirmIn, DraftIn

router = APIRouter(tags=["drafts"], route_class=UniqueKeysRoute)
DraftId = Annotated[
    UUID, Path(description="The draft's id, as `POST /drafts` answered it.", examples=["3f2b9a52-4c1e-4d8e-9b7a-1f0e2d3c4b5a"])
]
WRITE: dict[str, Any] = {"security": [{"bearer": []}]}


@router.post(
    "/drafts",
    status_code=201,
    summary="Draft events from a report",
    responses=documented(400, 401, 413, 415, 422, 503),
    openapi_extra=WRITE,
)
def post_draft(body: DraftIn, system: SystemDep, actor: Writer) -> JSONResponse:
    """Read a news report (English) and propose the events it reports, each beside the sentence it
    was read from (`span`, in code points of `text`), with `why` and `confidence`; a proposal that
    lacks something lists it under `missing`. The draft is stored; nothing enters the log until
    proposals are confirmed (`POST /drafts/{draft_id}/confirm`).

    Example: `{"text": "…", "source": {"name": "Forbes", "url": "https://…", "published": "2025-11-30"}}`."""
    made = make_draft(system, body, actor)
    return JSONResponse({"draft_id": made["draft_id"], "proposals": made["proposals"]}, 201)


@router.get("/drafts", summary="The drafts, newest first", responses=documented(401, 422, 503), openapi_extra=WRITE)
def list_drafts(
    system: SystemDep,
    _: Writer,
    limit: Annotated[int, Query(ge=1, le=1000, examples=[20], description="At most this many drafts.")] = 100,
    after: Annotated[
        str | None,
        Query(
            max_length=120,
            pattern=r"^\d{1,18}_[0-9a-f-]{36}$",
            examples=["1764460800000000_3f2b9a52-4c1e-4d8e-9b7a-1f0e2d3c4b5a"],
            description="The `next` of the previous page.",
        ),
    ] = None,
) -> JSONResponse:
    """Each draft's id, when and by whom (the token's name) it was made, its source, the start of
    its text, and how many proposals it holds and how many were recorded.

    Example: `GET /drafts?limit=20`; the next page: `GET /drafts?limit=20&after=<next>`."""
    drafts, following = system.app.drafts.page(limit, after)
    return JSONResponse({"drafts": drafts, "next": following})


@router.get("/drafts/{draft_id}", summary="One draft", responses=documented(401, 404, 422, 503), openapi_extra=WRITE)
def get_draft(draft_id: DraftId, system: SystemDep, _: Writer) -> JSONResponse:
    """The draft whole: its text, source, proposals, who made it and when, and under `recorded`
    what was recorded from it (by proposal id: the event's id, subject, version, position, when and by whom).

    Example: `GET /drafts/3f2b9a52-4c1e-4d8e-9b7a-1f0e2d3c4b5a`."""
    found = system.app.drafts.get(str(draft_id))
    if found is None:
        raise Problem(404, "not-found", "No such draft", f"no draft has the id {draft_id}")
    return JSONResponse(found)


@router.delete(
    "/drafts/{draft_id}", status_code=204, summary="Delete a draft", responses=documented(401, 404, 422, 503), openapi_extra=WRITE
)
def delete_draft(draft_id: DraftId, system: SystemDep, _: Writer) -> Response:
    """The draft is gone; events recorded from it stay in the log, as every event does, and
    confirming its proposals is then 404.

    Example: `DELETE /drafts/3f2b9a52-4c1e-4d8e-9b7a-1f0e2d3c4b5a`."""
    if not system.app.drafts.delete(str(draft_id)):
        raise Problem(404, "not-found", "No such draft", f"no draft has the id {draft_id}")
    return Response(status_code=204)


@router.post(
    "/drafts/{draft_id}/confirm",
    status_code=201,
    summary="Record chosen proposals of a draft",
    responses={
        200: {"description": "every proposal chosen had been recorded with this content"},
        **documented(400, 401, 404, 409, 413, 415, 422, 503),
    },
    openapi_extra=WRITE,
)
def confirm_draft(draft_id: DraftId, body: ConfirmIn, system: SystemDep, actor: Writer) -> JSONResponse:
    """Record the chosen proposals, each with its `edits` (field path → value), as one batch under
    every rule: all or none. Each event's id is derived from the draft and the proposal, so a
    repeat stores nothing twice (200); a proposal confirmed again with other edits is 409 naming
    the event recorded from it. A refused proposal is named (`proposal_id`, and `errors` at its
    path) with the rule it breaks.

    Example: `{"proposals": [{"proposal_id": "p3"}, {"proposal_id": "p7", "edits": {"data.point_count.disputed.0.sources": ["Axios"]}}]}`."""
    receipts, created = confirm(system, str(draft_id), body, actor)
    return JSONResponse({"draft_id": str(draft_id), "events": receipts}, 201 if created else 200)
