"""Who held an office at a date (SPEC §11: "who was Secretary of State then"): the route the register
kind's declaration names in `routes`, `GET /subjects/{kind}?office=`, mounted under its kind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from parley.api.deps import READ_SECURITY, Views, iso
from parley.api.problems import documented
from parley.api.query_times import AsOf, KnownAt, times
from parley.api.responses import JSONResponse
from parley.domain.answers import Holders
from parley.domain.names import match_key
from parley.domain.search import query_words
from parley.domain.subject import Subject

PAGE = 1000


def routes(kind: type[Subject]) -> APIRouter:
    router = APIRouter(tags=["subjects"])
    plural = kind.plural

    @router.get(
        "",
        response_model=Holders,
        summary=f"Who held an office at a date, among the {plural}",
        responses=documented(401, 422, 503),
        openapi_extra=READ_SECURITY,
    )
    def office_holders(
        system: Views,
        office: Annotated[
            str | None,
            Query(
                max_length=200,
                examples=["Secretary of State"],
                description="The office, under SPEC §14's matching rule (case, accents and look-alike "
                "letters are the same office); every office held when left out.",
            ),
        ] = None,
        organisation: Annotated[
            str | None,
            Query(
                max_length=200,
                examples=["United States"],
                description="Only offices of this organisation (as the office is matched).",
            ),
        ] = None,
        as_of: AsOf = None,
        known_at: KnownAt = None,
    ) -> JSONResponse:
        """Every record holding the office at `as_of` as known at `known_at` (its `offices` then),
        in address order, with when each took it.

        Example: `GET /subjects/$kind?office=Secretary%20of%20State&as_of=2025-11-25`."""
        as_of_moment, known, reported = times(as_of, known_at)
        wanted = match_key(office) if office else None
        of = match_key(organisation) if organisation else None
        holders: list[Any] = []
        for items in _pages(system, kind.kind, office, as_of_moment, known):
            for item in items:
                state = item["state"] or {}
                for held in state.get("offices") or []:
                    if (wanted is None or match_key(held["office"]) == wanted) and (
                        of is None or (held.get("organisation") and match_key(held["organisation"]) == of)
                    ):
                        holders.append(
                            {
                                "subject": item["subject"],
                                "name": state.get("name"),
                                "office": held["office"],
                                "organisation": held.get("organisation"),
                                "since": held["since"],
                                "merged_into": state.get("merged_into"),
                            }
                        )
        return JSONResponse(
            {
                "office": office,
                "organisation": organisation,
                "as_of": iso(as_of_moment),
                "known_at": iso(reported),
                "holders": holders,
            }
        )

    return router


def _pages(system: Views, kind: str, office: str | None, as_of: datetime, known: datetime | None) -> Iterator[list]:
    """The states of the records that may hold the office, a page at a time: with an office asked,
    only those with an event holding its words (found through the search index); else every one."""
    asked = query_words(office) if office else []
    if asked:
        candidates = system.search_queries.holding_words(asked, known, [kind])
        for start in range(0, len(candidates), PAGE):
            yield system.state_reads.states(as_of, known, kind, "", PAGE, subjects=candidates[start : start + PAGE])[0]
        return
    after: str | None = ""
    while after is not None:
        items, after = system.state_reads.states(as_of, known, kind, after, PAGE)
        yield items
