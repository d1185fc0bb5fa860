"""A person's mentions (SPEC §11): the route the register kind's declaration names in `routes`,
`GET /subjects/{kind}/{slug}/mentions`, mounted under its kind as every kind's own routes are."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from parley.api.deps import READ_SECURITY, Views, iso
from parley.api.problems import documented
from parley.api.query_times import AsOf, KnownAt, times
from parley.api.responses import JSONResponse
from parley.domain.answers import Mentions
from parley.domain.errors import InvalidSubject
from parley.domain.register import merged_end
from parley.domain.subject import Subject
from parley.domain.subjects import SubjectId
from parley.service.problems import Problem

Slug = Annotated[
    str,
    Path(
        description="The person's name within their kind: lower-case letters, digits and `-`.",
        pattern=r"^[a-z0-9-]{1,80}$",
        examples=["andriy-yermak"],
    ),
]


def routes(kind: type[Subject]) -> APIRouter:
    router = APIRouter(tags=["subjects"])
    label = kind.label.lower()

    @router.get(
        "/{slug}/mentions",
        response_model=Mentions,
        summary=f"The events that name a {label}",
        responses=documented(401, 404, 422, 503),
        openapi_extra=READ_SECURITY,
    )
    def mentions(slug: Slug, system: Views, as_of: AsOf = None, known_at: KnownAt = None) -> JSONResponse:
        """The events of every subject that name the person under any of their spellings, as the
        register stood at `known_at` (and the records merged into theirs), certain by `as_of`, in
        valid-time order, each with the fields that name them. A name that matches two people
        names neither. 404 when no such person is registered as known then.

        Example: `GET /subjects/$subject/mentions`."""
        try:
            subject = str(SubjectId.parse(f"{kind.kind}/{slug}"))
        except InvalidSubject as error:
            raise Problem(422, "validation", "Not a subject's name", str(error)) from None
        as_of_moment, known, reported = times(as_of, known_at)
        register = system.register_reads.register(known)
        if subject not in register.entries:
            raise Problem(
                404, "not-found", f"No such {label}", f"no {label} is registered as {subject} as known at {iso(reported)}"
            )
        found = system.register_reads.mentions(
            merged_end(subject, register.entries),
            as_of_moment,
            known,
            register,
            lambda keys: system.search_queries.naming_events(keys, as_of_moment, known),
        )
        return JSONResponse({"subject": subject, "as_of": iso(as_of_moment), "known_at": iso(reported), "events": found})

    return router
