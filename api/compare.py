"""Two drafts compared (SPEC §12): the route a kind with item lists (a plan's points) names in
`routes`, `GET /subjects/{kind}/{slug}/compare`, mounted under its kind as every kind's own routes are."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from parley.api.deps import READ_SECURITY, Views, iso
from parley.api.problems import documented
from parley.api.query_times import AS_PATTERN, KnownAt, QueryTime, now, times
from parley.domain.answers import Comparison
from parley.domain.compare import Cut, NoSuchRevision
from parley.domain.errors import InvalidSubject
from parley.domain.subject import Subject
from parley.domain.subjects import SubjectId
from parley.projections.comparing import Asked, comparison
from parley.service.problems import Problem

Slug = Annotated[
    str,
    Path(
        description="The subject's name within its kind: lower-case letters, digits and `-`.",
        pattern=r"^[a-z0-9-]{1,80}$",
        examples=["us-peace-plan"],
    ),
]
Revision = Annotated[int | None, Query(ge=0, le=1_000_000, examples=[1])]


def routes(kind: type[Subject]) -> APIRouter:
    router = APIRouter(tags=["subjects"])
    label = kind.label.lower()
    field = next(iter(kind.item_lists))

    @router.get(
        "/{slug}/compare",
        response_model=Comparison,
        response_model_by_alias=True,
        summary=f"Two drafts of a {label}'s {field} compared",
        responses=documented(401, 404, 422, 503),
        openapi_extra=READ_SECURITY,
    )
    def compare(
        slug: Slug,
        system: Views,
        from_: Annotated[
            QueryTime | None,
            Query(
                alias="from",
                json_schema_extra=AS_PATTERN,
                examples=["2025-11-22"],
                description="The earlier draft as the state at a date (the end of that day) or a date and time; "
                "or give `from_revision`.",
            ),
        ] = None,
        to: Annotated[
            QueryTime | None,
            Query(
                json_schema_extra=AS_PATTERN,
                examples=["2025-12-01"],
                description="The later draft as the state at a date or a date and time; or give `to_revision`. Default: now.",
            ),
        ] = None,
        from_revision: Annotated[
            Revision,
            Query(
                description="The earlier draft as a revision: revision r is the state just before the revision r+1 "
                "(0 is the draft first proposed), or now for the last."
            ),
        ] = None,
        to_revision: Annotated[
            Revision, Query(description="The later draft as a revision number, read as `from_revision` is.")
        ] = None,
        known_at: KnownAt = None,
    ) -> Response:
        """Each item of either draft, as `added`, `removed`, `merged` (with the key it went `into`),
        `changed` (each field's before and after, a party's position as `positions.<party>`) or
        `unchanged`, each with the ids of the events between the drafts that touched it
        (`caused_by`, in fold order); `causes` counts them, each once. The answer names its causes
        and does not carry them (a plan's whole history may be thousands): `GET /events?id=…&id=…`
        reads their bodies, 100 ids a call, as the log shows them now. A draft is given as a date
        (`from`, `to`) or a revision (`from_revision`, `to_revision`), one of each end.

        Example: `GET /subjects/$subject/compare?from_revision=0&to_revision=1`."""
        try:
            subject = SubjectId.parse(f"{kind.kind}/{slug}")
        except InvalidSubject as error:
            raise Problem(422, "validation", "Not a subject's name", str(error)) from None
        for date, revision, name in ((from_, from_revision, "from"), (to, to_revision, "to")):
            if date is not None and revision is not None:
                raise Problem(
                    422,
                    "validation",
                    f"{name} given twice",
                    f"give {name} or {name}_revision, not both",
                    errors=[{"path": f"query.{name}_revision", "message": "given with " + name, "type": "conflict"}],
                )
        if from_ is None and from_revision is None:
            raise Problem(
                422,
                "validation",
                "from is missing",
                "give from (a date) or from_revision (a number)",
                errors=[{"path": "query.from", "message": "missing", "type": "missing"}],
            )
        _, known, reported = times(None, known_at)
        start, end = Asked(from_, from_revision), Asked(to, to_revision)
        try:
            found = comparison(system.state_reads, subject, field, start, end, known, now())
        except NoSuchRevision as error:
            name = "from_revision" if from_revision == error.revision else "to_revision"
            raise Problem(
                422,
                "validation",
                "No such revision",
                str(error),
                errors=[{"path": f"query.{name}", "message": str(error), "type": "range"}],
            ) from None
        if found is None:
            raise Problem(404, "not-found", f"No such {label}", f"{subject} has no events known at {iso(reported)}")
        low, high = found.cuts
        if low.key() > high.key():
            raise Problem(
                422,
                "validation",
                "from is after to",
                f"the draft asked as from ({iso(low.moment)}) comes after the one asked as to ({iso(high.moment)})",
                errors=[{"path": "query.from", "message": "after to", "type": "range"}],
            )
        body = {
            "subject": str(subject),
            "field": field,
            "known_at": iso(reported),
            "from": _draft(low, from_revision),
            "to": _draft(high, to_revision),
            **found.found,
            "causes": found.causes,
        }
        return Response(orjson.dumps(body), media_type="application/json")

    return router


def _draft(cut: Cut, revision: int | None) -> dict[str, Any]:
    return {"as_of": iso(cut.moment), "revision": revision}
