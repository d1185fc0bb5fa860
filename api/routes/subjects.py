"""Reading subjects: state at a date, history, every state, and what changed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from parley.api.deps import AS_PATTERN, READ_SECURITY, AsOf, KnownAt, Views, iso, moment, times
from parley.api.problems import Problem, documented
from parley.api.schemas import ChangesPage, History, SubjectPage, SubjectState
from parley.api.states import shown
from parley.domain.errors import InvalidSubject
from parley.domain.subjects import KINDS, SubjectId

router = APIRouter(tags=["subjects"])

Kind = Annotated[str | None, Query(pattern="^(delegation|plan|meeting|trip)$", description=", ".join(KINDS))]
Limit = Annotated[int, Query(ge=1, le=1000)]
After = Annotated[str, Query(max_length=100, pattern=r"^((delegation|plan|meeting|trip)/[a-z0-9-]{1,80})?$",
                             description="the `next` cursor of the previous page")]
READ = {"responses": documented(401, 413, 422, 503), "openapi_extra": READ_SECURITY}
ONE = {"responses": documented(401, 404, 413, 422, 503), "openapi_extra": READ_SECURITY}


@router.get("/subjects/{kind}/{slug}", response_model=SubjectState, **ONE)
def subject_state(kind: str, slug: str, system: Views, as_of: AsOf = None, known_at: KnownAt = None) -> JSONResponse:
    subject = _subject(kind, slug)
    as_of_moment, known, reported = times(as_of, known_at)
    found = system.queries.state(subject, as_of_moment, known)
    if found is None:
        raise Problem(404, "not-found", "No such subject at that point",
                      f"{subject} did not exist on {iso(as_of_moment)} as known at {iso(reported)}")
    return JSONResponse(_shown(found, {"as_of": iso(as_of_moment), "known_at": iso(reported)}),
                        headers={"ETag": f'"{found["version"]}"'})


@router.get("/subjects/{kind}/{slug}/history", response_model=History, **ONE)
def subject_history(kind: str, slug: str, system: Views, known_at: KnownAt = None) -> JSONResponse:
    subject = _subject(kind, slug)
    _, known, reported = times(None, known_at)
    events = system.queries.history(subject, known)
    if events is None:
        raise Problem(404, "not-found", "No such subject", f"{subject} has no events known at {iso(reported)}")
    return JSONResponse({"subject": subject, "known_at": iso(reported), "events": events})


@router.get("/state", response_model=SubjectPage, **READ)
def all_states(system: Views, as_of: AsOf = None, known_at: KnownAt = None, kind: Kind = None,
               after: After = "", limit: Limit = 100) -> JSONResponse:
    as_of_moment, known, reported = times(as_of, known_at)
    items, cursor = system.queries.states(as_of_moment, known, kind, after, limit)
    shown = {"as_of": iso(as_of_moment), "known_at": iso(reported)}
    return JSONResponse({"subjects": [_shown(item, shown) for item in items], "next": cursor})


@router.get("/changes", response_model=ChangesPage, response_model_by_alias=True, **READ)
def changes(
    system: Views,
    from_: Annotated[str, Query(alias="from", max_length=40, json_schema_extra=AS_PATTERN, examples=["2025-11-22"])],
    to: Annotated[str | None, Query(max_length=40, json_schema_extra=AS_PATTERN, examples=["2025-12-01"])] = None,
    known_at: KnownAt = None, kind: Kind = None, after: After = "", limit: Limit = 100,
) -> JSONResponse:
    start = moment(from_, "from")
    end, known, reported = times(to, known_at)
    if start > end:
        raise Problem(422, "validation", "from is after to", f"from {iso(start)} is after to {iso(end)}",
                      errors=[{"path": "query.from", "message": "after to", "type": "range"}])
    items, cursor = system.queries.changes(start, end, known, kind, after, limit)
    return JSONResponse({"from": iso(start), "to": iso(end), "known_at": iso(reported), "subjects": items, "next": cursor})


def _shown(found: dict, times_: dict) -> dict:
    """A state as answered. Read routes answer what the views hold, unvalidated: their
    response models document the shape, and a state stored under older rules is still shown."""
    return {**found, **times_, "state": shown(found["subject"], found["state"])}


def _subject(kind: str, slug: str) -> str:
    try:
        return str(SubjectId.parse(f"{kind}/{slug}"))
    except InvalidSubject as error:
        raise Problem(404, "not-found", "No such subject", str(error)) from None
