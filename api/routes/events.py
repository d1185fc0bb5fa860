"""Recording events and reading the global log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import orjson
from fastapi import Body, Path, Query, Request, Response

from parley.api.deps import (
    READ_SECURITY,
    REFUSED_TOKEN,
    SourceNames,
    SystemDep,
    Views,
    Writer,
    bearer_token,
    beyond_the_log,
    iso,
    sources_of,
    unauthorised,
)
from parley.api.json_body import LeanBodyRoute, UniqueKeysRoute
from parley.api.problems import documented
from parley.api.query_times import AS_PATTERN, PublishedBy, QueryTime
from parley.api.request_log import note, noting
from parley.api.responses import JSONResponse
from parley.api.vocabulary import (
    EXAMPLE_KIND,
    EXAMPLE_SUBJECT,
    EXAMPLE_TYPE,
    KINDS,
    BatchIn,
    EventIn,
    EventType,
    KindName,
    Routes,
    SubjectAddress,
    openapi_examples,
)
from parley.domain.answers import EventOut, EventPage, Receipt, Receipts
from parley.projections.log_reads import LogFilter
from parley.service.commands import TokenRefused
from parley.service.problems import Problem

router = Routes(tags=["events"])

ETAG = {"ETag": {"description": "the subject's version after this event", "schema": {"type": "string"}}}
CREATED = {
    201: {"description": "recorded", "headers": ETAG},
    200: {"description": "already recorded with this content", "headers": ETAG},
}
WRITE_PROBLEMS = documented(400, 401, 409, 413, 415, 422, 503)


# POST /events is the hot path, so its token and If-Match header are read from the request
# and documented here, rather than resolved as dependencies: FastAPI's dependency solving
# cost more per request than recording the event did.
# Its example is in words: a fuzzer sending an example version would only ever meet a 412.
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": 'Record only if the subject is at this version (its `ETag`, e.g. "3"), else 412; '
    "`*`: only if the subject exists.",
}
RECORD_EVENT = {"security": [{"bearer": []}], "parameters": [IF_MATCH]}
RECORDED = "Only events recorded {} this moment (system time). A date means the end of that day."


@router.post(
    "/events",
    status_code=201,
    response_model=Receipt,
    openapi_extra=RECORD_EVENT,
    summary="Record one event",
    responses={**CREATED, **WRITE_PROBLEMS, **documented(412)},
    route_class_override=LeanBodyRoute,
)
async def record_event(
    event: Annotated[EventIn, Body(openapi_examples=openapi_examples(CATALOG))],  # noqa: F821 (vocabulary.py gives CATALOG)
    request: Request,
) -> Response:
    """Record one sourced fact about one subject: its `type`, the `subject` (`kind/slug`), when
    it happened (`occurred`, a fuzzy date), its `sources` and the `data` of its type. The event
    is checked at its place on the subject's valid-time line; a rule it would break is a 409
    naming the rule, and nothing is stored. Send an `event_id` to make a retry safe: the same
    id and content answer the original receipt (200); other content is a 409.

    Example: see the request examples, one per event type."""
    # Async, so a request holds no thread: its token is checked, and its event stored, with the
    # group it is queued in (service/group_commit.py); the receipt is answered as built.
    token = bearer_token(request)
    if_match = request.headers.get("if-match")
    system = request.app.state.system
    submission = event.submission(_version_in(if_match))
    notes = noting(subject=str(event.subject), event_id=submission.event_id)
    try:
        receipt = await system.app.record_async(submission, token, notes and notes.sender)
    except TokenRefused:
        raise unauthorised(REFUSED_TOKEN) from None
    if notes is not None:
        notes.written["event_id"] = receipt.event_id
    # The same bytes JSONResponse writes (compact, UTF-8 as is), by orjson: the receipt holds only text and integers.
    return Response(
        orjson.dumps(receipt.as_dict()),
        201 if receipt.created else 200,
        {"ETag": f'"{receipt.version}"'},
        media_type="application/json",
    )


@router.post(
    "/events/batch",
    status_code=201,
    response_model=Receipts,
    summary="Record several events, all or none",
    responses={200: CREATED[200], 201: {"description": "recorded"}, **WRITE_PROBLEMS},
    route_class_override=UniqueKeysRoute,
)
def record_batch(batch: BatchIn, system: SystemDep, actor: Writer) -> JSONResponse:
    """Record `events` in the order given, all or none: one refused event refuses the batch,
    and the problem's `index` names it. 201 when any event was new, 200 when every one had
    been recorded before (by `event_id`).

    Example: `{"events": [{"type": "$type", ...}, {"type": "StatementRecorded", ...}]}`."""
    limit = system.settings.max_batch_events
    if len(batch.events) > limit:
        raise Problem(
            422,
            "batch-too-large",
            "Too many events in one batch",
            f"a batch holds at most {limit} events; this one has {len(batch.events)}",
            errors=[{"path": "body.events", "message": f"at most {limit} events (setting max_batch_events)", "type": "too_long"}],
        )
    note(subjects=[str(e.subject) for e in batch.events], event_ids=[e.event_id and str(e.event_id) for e in batch.events])
    receipts = system.app.record_batch([e.submission() for e in batch.events], actor)
    note(event_ids=[r.event_id for r in receipts])
    # Answered as built: `response_model` (kept for the OpenAPI document) would validate and
    # serialise every receipt again.
    return JSONResponse({"events": [r.as_dict() for r in receipts]}, 201 if any(r.created for r in receipts) else 200)


LOG_END = {
    200: {
        "description": "a page of the log",
        "headers": {
            "Parley-Log-End": {
                "description": "the log's last position now: `after` beyond it is refused (422)",
                "schema": {"type": "string"},
            }
        },
    }
}


@router.get(
    "/events",
    response_model=EventPage,
    responses={**LOG_END, **documented(401, 413, 422, 503)},
    summary="The log of every event, in recorded order",
    openapi_extra=READ_SECURITY,
)
def read_log(
    system: Views,
    after: Annotated[
        int,
        Query(
            ge=0,
            le=2**62,
            examples=[0],
            description="A log position: the events recorded after it (`next` of the previous page).",
        ),
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, examples=[100], description="At most this many events.")] = 100,
    subject: Annotated[
        list[SubjectAddress] | None,
        Query(max_length=100, examples=[[EXAMPLE_SUBJECT]], description="Only events of these subjects."),
    ] = None,
    id_: Annotated[
        list[UUID] | None,
        Query(
            alias="id",
            max_length=100,
            examples=[["11ce5fcf-efe9-512c-b682-b95e77230aa8"]],
            description="Only the events with these ids (at most 100 a call): a comparison's `caused_by`, say. "
            "An id no event has is no event listed.",
        ),
    ] = None,
    kind: Annotated[
        list[KindName] | None,
        Query(max_length=len(KINDS), examples=[[EXAMPLE_KIND]], description="Only events of subjects of these kinds."),
    ] = None,
    type_: Annotated[
        list[EventType] | None,
        Query(alias="type", max_length=100, examples=[[EXAMPLE_TYPE]], description="Only events of these types."),
    ] = None,
    recorded_after: Annotated[
        QueryTime | None, Query(json_schema_extra=AS_PATTERN, examples=["2025-11-30"], description=RECORDED.format("after"))
    ] = None,
    recorded_before: Annotated[
        QueryTime | None,
        Query(json_schema_extra=AS_PATTERN, examples=["2025-12-01"], description=RECORDED.format("on or before")),
    ] = None,
    occurred_after: Annotated[
        QueryTime | None,
        Query(
            json_schema_extra=AS_PATTERN,
            examples=["2025-11-22"],
            description="Only events that certainly happened after this (the earliest instant of their fuzzy date is "
            "after it; an open start never is). A date means the end of that day.",
        ),
    ] = None,
    occurred_before: Annotated[
        QueryTime | None,
        Query(
            json_schema_extra=AS_PATTERN,
            examples=["2025-11-30"],
            description="Only events that certainly happened by this (the latest instant of their fuzzy date is on or "
            "before it; an open end never is). A date means the end of that day.",
        ),
    ] = None,
    occurred_from: Annotated[
        QueryTime | None,
        Query(
            json_schema_extra=AS_PATTERN,
            examples=["2025-11-22"],
            description="With `occurred_to`, a window of valid time: only events that may have happened in it, as a "
            "timeline of it shows them (the latest instant of their fuzzy date is after `occurred_from`; an "
            "open end always is). A date means the end of that day: `occurred_from=2025-11-22` starts on "
            "23 November.",
        ),
    ] = None,
    occurred_to: Annotated[
        QueryTime | None,
        Query(
            json_schema_extra=AS_PATTERN,
            examples=["2025-11-30"],
            description="The window's end: only events that may have happened by it (the earliest instant of their "
            "fuzzy date is on or before it; an open start always is). A date means the end of that day.",
        ),
    ] = None,
    source: SourceNames = None,
    published_by: PublishedBy = None,
) -> Response:
    """Every event in the order it was recorded, each with its `position` in the log, for
    keeping a copy in sync or replaying the record. Positions increase but need not be
    consecutive. `next` is the position to pass as `after` for the next page (null at the end).
    The filters combine: an event is listed when it passes each one given.

    Example: `GET /events?after=0&limit=5`; `GET /events?kind=$kind&occurred_after=2025-11-30`;
    `GET /events?source=WSJ`; the events a comparison names: `GET /events?id=…&id=…`; the events a timeline of 23-30 November shows, of two subjects:
    `GET /events?occurred_from=2025-11-22&occurred_to=2025-11-30&subject=$subject&subject=…`."""
    _in_order("recorded", recorded_after, recorded_before)
    _in_order("occurred", occurred_after, occurred_before)
    _in_order("occurred", occurred_from, occurred_to, ("from", "to"))
    only = LogFilter(
        subjects=tuple(subject or ()),
        event_ids=tuple(dict.fromkeys(str(i) for i in id_ or ())),
        kinds=tuple(kind or ()),
        types=tuple(type_ or ()),
        recorded_after=recorded_after,
        recorded_before=recorded_before,
        occurred_after=occurred_after,
        occurred_before=occurred_before,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        sources=sources_of(source),
        published_by=published_by,
    )
    end = beyond_the_log(system, after, "query.after")
    events, last = system.log_reads.events_json(after, limit, only)
    # Each event is written once, from its stored row (JSON), rather than parsed and written again.
    body = f'{{"events":[{",".join(events)}],"next":{last if len(events) == limit else "null"}'
    warnings = _unknown_subjects(system, only.subjects)
    body += f',"warnings":{orjson.dumps(warnings).decode()}}}' if warnings else "}"
    return Response(body, media_type="application/json", headers={"Parley-Log-End": str(end)})


def _unknown_subjects(system: Views, subjects: tuple[str, ...]) -> list[dict[str, Any]]:
    """A warning for each subject asked for that has no events, with the nearest that do (SPEC §17)."""
    warnings = []
    for subject in dict.fromkeys(subjects):
        nearest = system.state_reads.nearest_subjects(subject)
        if nearest is not None:
            said = f"no subject is called {subject}" + (f"; did you mean {' or '.join(nearest)}?" if nearest else "")
            warnings.append({"subject": subject, "detail": said, "did_you_mean": nearest})
    return warnings


# Apart from `router`, to be routed after GET /events/stream, which its path would take (and
# refuse as no id): an id that is not a UUID is a 422 naming it, not a 404 (SPEC §14).
one = Routes(tags=["events"])


@one.get(
    "/events/{event_id}",
    response_model=EventOut,
    responses=documented(401, 404, 422, 503),
    summary="One event, by its id",
    openapi_extra=READ_SECURITY,
)
def get_event(
    event_id: Annotated[
        UUID,
        Path(
            description="The event's id, as a receipt, `retracted_by` or `caused_by` gives it.",
            examples=["11ce5fcf-efe9-512c-b682-b95e77230aa8"],
        ),
    ],
    system: Views,
) -> JSONResponse:
    """The event as read (SPEC §3): its subject, type, dates, sources and data, where it stands
    in the log, and whether and when it was retracted. 404 when no event has this id.

    Example: `GET /events/11ce5fcf-efe9-512c-b682-b95e77230aa8`."""
    found = system.log_reads.event(str(event_id))
    if found is None:
        raise Problem(404, "not-found", "No such event", f"no event has the id {event_id}")
    return JSONResponse(found)


def _in_order(name: str, start: datetime | None, end: datetime | None, ends: tuple[str, str] = ("after", "before")) -> None:
    """A range whose start is after its end is refused, as `/changes` refuses one (SPEC §14)."""
    first, last = f"{name}_{ends[0]}", f"{name}_{ends[1]}"
    if start is not None and end is not None and start > end:
        raise Problem(
            422,
            "validation",
            f"{first} is after {last}",
            f"{first} {iso(start)} is after {last} {iso(end)}: the range holds nothing",
            errors=[{"path": f"query.{first}", "message": f"after {last}", "type": "range"}],
        )


def _version_in(if_match: str | None) -> int | str | None:
    """The version If-Match holds, or "*": the subject exists."""
    if if_match is None:
        return None
    if if_match.strip() == "*":
        return "*"
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 18:
        raise Problem(
            422,
            "validation",
            "If-Match must hold a version",
            f'If-Match: {if_match!r} is not a subject version such as "3"',
            errors=[{"path": "header.if-match", "message": "not a version", "type": "int"}],
        )
    return int(text)
