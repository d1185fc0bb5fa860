"""Reading subjects: state at a date, history, every state, and what changed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Path, Query

from parley.api.deps import READ_SECURITY, SourceNames, Views, iso, sources_of
from parley.api.problems import documented
from parley.api.query_times import AS_PATTERN, AsOf, KnownAt, PublishedBy, QueryTime, times
from parley.api.responses import JSONResponse
from parley.api.routes.events import _unknown_subjects
from parley.api.vocabulary import EXAMPLE_SUBJECT, After, KindPath, KindQuery, PlannedKind, Routes, SubjectAddress
from parley.domain.answers import ChangesPage, ExpectationPage, History, SubjectPage, SubjectState, shown
from parley.domain.errors import InvalidSubject
from parley.domain.register import PEOPLE, Register, names_in
from parley.domain.subjects import SubjectId
from parley.service.problems import Problem

router = Routes(tags=["subjects"])

Limit = Annotated[int, Query(ge=1, le=1000, examples=[100], description="At most this many subjects on a page.")]
SlugPath = Annotated[
    str, Path(description="The subject's name within its kind: lower-case letters, digits and `-`.", examples=["ukraine"])
]
READ = {"responses": documented(401, 413, 422, 503), "openapi_extra": READ_SECURITY}
ONE = {"responses": documented(401, 404, 413, 422, 503), "openapi_extra": READ_SECURITY}


@router.get("/subjects/{kind}/{slug}", response_model=SubjectState, summary="A subject's state at a date", **ONE)
def subject_state(
    kind: KindPath,
    slug: SlugPath,
    system: Views,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    source: SourceNames = None,
    published_by: PublishedBy = None,
) -> JSONResponse:
    """The subject's fields as they stood at `as_of`, as the record said at `known_at`, with the
    events that may have happened by then but not certainly (`pending`). `"state": null` while
    its creation is only pending; 404 when it certainly did not exist then. With `source`, disputed
    values resolve to what those sources gave (`resolved` lists them); with `published_by`, only
    what a source had published by that day counts. `ETag` holds the subject's version, for
    `If-Match` on the next write.

    Example: `GET /subjects/$subject?as_of=2025-11-25`: the state on 25 November 2025, and what
    was reported only as "on or before 30 November" pending."""
    subject = _subject(kind, slug, system)
    as_of_moment, known, reported = times(as_of, known_at)
    found = system.state_reads.state(subject, as_of_moment, known, sources=sources_of(source), published_by=published_by)
    if found is None:
        _no_such_subject(subject, system)
        raise Problem(
            404,
            "not-found",
            "No such subject at that point",
            f"{subject} did not exist on {iso(as_of_moment)} as known at {iso(reported)}",
        )
    register = system.register_reads.register(known)
    roles = _roles([found], as_of_moment, known, system, register)
    return JSONResponse(
        _shown(found, {"as_of": iso(as_of_moment), "known_at": iso(reported)}, system, register, roles),
        headers={"ETag": f'"{found["version"]}"'},
    )


@router.get("/subjects/{kind}/{slug}/history", response_model=History, summary="Every event of a subject", **ONE)
def subject_history(
    kind: KindPath,
    slug: SlugPath,
    system: Views,
    known_at: KnownAt = None,
    source: SourceNames = None,
    published_by: PublishedBy = None,
) -> JSONResponse:
    """The subject's events in valid-time order (ties in recorded order), each with its sources,
    when it was recorded, and whether and when it was retracted as known at `known_at`. With
    `source`, only the events citing one of them; with `published_by`, only those published by then.

    Example: `GET /subjects/$subject/history`."""
    subject = _subject(kind, slug, system)
    _, known, reported = times(None, known_at)
    events = system.state_reads.history(subject, known, sources=sources_of(source), published_by=published_by)
    if events is None:
        _no_such_subject(subject, system)
        raise Problem(404, "not-found", "No such subject", f"{subject} has no events known at {iso(reported)}")
    return JSONResponse({"subject": str(subject), "known_at": iso(reported), "events": events})


@router.get("/state", response_model=SubjectPage, summary="Every subject's state at a date", **READ)
def all_states(
    system: Views,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    kind: KindQuery = None,
    subject: Annotated[
        list[SubjectAddress] | None,
        Query(
            max_length=100,
            examples=[[EXAMPLE_SUBJECT]],
            description="Only these subjects (up to 100), as a page shows those in view.",
        ),
    ] = None,
    after: After = "",
    limit: Limit = 100,
    source: SourceNames = None,
    published_by: PublishedBy = None,
) -> JSONResponse:
    """Each subject's state at `as_of` as known at `known_at`, as `GET /subjects/{kind}/{slug}`
    answers it, in subject order, a page at a time (`next` is the cursor for `after`). Subjects
    that certainly did not exist then are left out. With `subject`, only those subjects: one
    question for the states a page shows, whatever the record holds; a subject with no events
    is left out with a warning naming the nearest that have some (SPEC §17).

    Example: `GET /state?as_of=2025-11-30&kind=$kind`; `GET /state?as_of=2025-11-30&subject=$subject`."""
    as_of_moment, known, reported = times(as_of, known_at)
    items, cursor = system.state_reads.states(
        as_of_moment,
        known,
        kind,
        after,
        limit,
        sources=sources_of(source),
        published_by=published_by,
        subjects=None if subject is None else tuple(dict.fromkeys(subject)),
    )
    shown = {"as_of": iso(as_of_moment), "known_at": iso(reported)}
    register = system.register_reads.register(known)
    roles = _roles(items, as_of_moment, known, system, register)
    body: dict = {"subjects": [_shown(item, shown, system, register, roles) for item in items], "next": cursor}
    warnings = _unknown_subjects(system, tuple(subject or ()))
    if warnings:
        body["warnings"] = warnings
    return JSONResponse(body)


@router.get("/expectations", response_model=ExpectationPage, summary="What is still expected", **READ)
def expectations(
    system: Views,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    kind: PlannedKind = None,
    after: After = "",
    limit: Limit = 100,
    source: SourceNames = None,
    published_by: PublishedBy = None,
) -> JSONResponse:
    """Every subject of a kind with expectations ($planned) still scheduled at `as_of`, with when it is planned for and whether
    it is overdue: planned for before `as_of` (every alternative, when disputed; never when open-ended)
    and not held, completed or cancelled, nor pending so. A page at a time, like `/state`.

    Example: `GET /expectations?as_of=2025-12-06`: what was planned before 4-5 December and not
    reported concluded is overdue."""
    as_of_moment, known, reported = times(as_of, known_at)
    items, cursor = system.state_reads.expectations(
        as_of_moment, known, kind, after, limit, sources=sources_of(source), published_by=published_by
    )
    return JSONResponse({"as_of": iso(as_of_moment), "known_at": iso(reported), "expectations": items, "next": cursor})


@router.get(
    "/changes", response_model=ChangesPage, response_model_by_alias=True, summary="What changed between two dates", **READ
)
def changes(
    system: Views,
    from_: Annotated[
        QueryTime,
        Query(
            alias="from",
            json_schema_extra=AS_PATTERN,
            examples=["2025-11-22"],
            description="The start of the window: a date (the end of that day) or a date and time. The state at "
            "`from` is the `before` of each change.",
        ),
    ],
    to: Annotated[
        QueryTime | None,
        Query(
            json_schema_extra=AS_PATTERN,
            examples=["2025-12-01"],
            description="The end of the window: a date (the end of that day) or a date and time; not before `from`. "
            "The state at `to` is the `after`. Default: now.",
        ),
    ] = None,
    known_at: KnownAt = None,
    kind: KindQuery = None,
    after: After = "",
    limit: Limit = 100,
    source: SourceNames = None,
    published_by: PublishedBy = None,
) -> JSONResponse:
    """Per subject, each field whose value at `to` differs from its value at `from`, with the
    ids of the events in the window that changed it, oldest first (`caused_by`); each of those
    events is under `events`, once, by id. An event counts in the window when it certainly
    happened after `from` and by `to` (its latest instant). A field unknown before and still
    unknown or empty after is left out. Subjects come in subject order, a page at a time.

    With `source`, values are compared as those sources give them (`resolved` lists the disputed
    ones they settled); with `published_by`, only what was published by that day counts.

    Example: `GET /changes?from=2025-11-22&to=2025-12-01`: Ukraine's head went from Yermak to
    Umerov."""
    start = from_
    end, known, reported = times(to, known_at)
    if start > end:
        raise Problem(
            422,
            "validation",
            "from is after to",
            f"from {iso(start)} is after to {iso(end)}",
            errors=[{"path": "query.from", "message": "after to", "type": "range"}],
        )
    items, causes, cursor = system.state_reads.changes(
        start, end, known, kind, after, limit, sources=sources_of(source), published_by=published_by
    )
    register = system.register_reads.register(known)
    for item in items:
        item[PEOPLE] = _people_changed(item, system, register)
    return JSONResponse(
        {"from": iso(start), "to": iso(end), "known_at": iso(reported), "subjects": items, "events": causes, "next": cursor}
    )


def _shown(
    found: dict, times_: dict, system: Views, register: Register, roles: dict[str, list[dict[str, str]]] | None = None
) -> dict:
    """A state as answered, with the people its names match as the register stood at `known_at`
    (SPEC §11), and a person's `roles`. Read routes answer what the views hold, unvalidated: their
    response models document the shape, and a state stored under older rules is still shown."""
    subject = SubjectId.parse(found["subject"])
    paths = system.catalog.person_paths(subject.kind)
    people = register.people_in(names_in(found["state"], paths))
    state = shown(subject, found["state"])
    if state is not None and roles is not None and found["subject"] in roles:
        state["roles"] = roles[found["subject"]]
    return {**found, **times_, "state": state, PEOPLE: people}


def _people_changed(item: dict, system: Views, register: Register) -> dict:
    """The people of a subject's changes (SPEC §11): the names their befores and afters hold that match,
    as the register stood at `known_at`."""
    paths = system.catalog.person_paths(SubjectId.parse(item["subject"]).kind)
    names = [
        name
        for end in ("before", "after")
        for name in names_in({change["field"]: change[end] for change in item["changes"]}, paths)
    ]
    return register.people_in(names)


def _roles(
    items: list[dict], as_of: datetime, known: datetime | None, system: Views, register: Register
) -> dict[str, list[dict[str, str]]]:
    """The roles of the people among `items` (SPEC §11: computed when read), by their own address;
    a record merged into another has the roles of the person it is one with."""
    kinds = set(system.catalog.register_kinds)
    records = [item["subject"] for item in items if SubjectId.parse(item["subject"]).kind in kinds and item["state"]]
    if not records:
        return {}
    finals = {record: register.final(record) for record in records}
    roles = system.register_reads.roles(
        sorted(set(finals.values())),
        as_of,
        known,
        register,
        lambda keys, kinds: system.search_queries.naming(keys, as_of, known, kinds),
    )
    return {record: roles.get(final, []) for record, final in finals.items()}


def _subject(kind: str, slug: str, system: Views) -> SubjectId:
    try:
        subject = SubjectId.parse(f"{kind}/{slug}")
    except InvalidSubject as error:
        nearest = system.state_reads.nearest_subjects(f"{kind}/{slug}") or []
        raise Problem(404, "not-found", "No such subject", str(error) + _suggested(nearest), did_you_mean=nearest) from None
    if not system.catalog.declares(kind):
        raise Problem(
            404,
            "not-found",
            "No such kind",
            f"the kind {kind!r} is not declared here; declared kinds: {', '.join(system.catalog.kinds)}",
        )
    return subject


def _no_such_subject(subject: SubjectId, system: Views) -> None:
    """404 naming the nearest existing subjects when `subject` has no events at all (a typo, most
    likely); returns when it has some, so the caller speaks of the dates asked."""
    nearest = system.state_reads.nearest_subjects(str(subject))
    if nearest is not None:
        raise Problem(
            404, "not-found", "No such subject", f"no subject is called {subject}" + _suggested(nearest), did_you_mean=nearest
        )


def _suggested(nearest: list[str]) -> str:
    return f"; did you mean {' or '.join(nearest)}?" if nearest else ""
