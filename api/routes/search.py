"""`GET /search`: subjects, people and statements by words in any script (SPEC §11)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from parley.api.deps import READ_SECURITY, Views, iso
from parley.api.problems import documented
from parley.api.query_times import AsOf, KnownAt, times
from parley.api.responses import JSONResponse
from parley.api.vocabulary import KindQuery, Routes
from parley.domain.answers import SearchResults
from parley.domain.search import MAX_QUERY, MAX_WORDS, query_words

router = Routes(tags=["search"])

Q = Annotated[
    str,
    Query(
        min_length=1,
        max_length=MAX_QUERY,
        examples=["Андрій Єрмак"],
        description="Words to find, in any script: each is matched under SPEC §14's matching rule "
        "(case, accents and look-alike letters fold), whole or as a word's beginning, "
        f"and every word must match (the first {MAX_WORDS} words are searched; a "
        "query of no letter or digit finds nothing).",
    ),
]
Limit = Annotated[int, Query(ge=1, le=100, examples=[20], description="At most this many hits.")]


@router.get(
    "/search",
    response_model=SearchResults,
    summary="Find subjects, people and statements by words",
    responses=documented(401, 422, 503),
    openapi_extra=READ_SECURITY,
)
def search(
    q: Q, system: Views, as_of: AsOf = None, known_at: KnownAt = None, kind: KindQuery = None, limit: Limit = 20
) -> JSONResponse:
    """The people whose names (in any spelling or script the register holds, as known at `known_at`),
    descriptions or offices hold the words, with the subjects and statements that name them under
    any of their spellings; the subjects whose events hold the words; and the statements that do.
    Each hit says which field matched; hits are ranked by Parley's own score, best first, the same
    on every backend. Events count as a state counts them (certain by `as_of`, recorded and not
    withdrawn by `known_at`); a person's own record counts over all of valid time, as the register does.

    Example: `GET /search?q=Єрмак`: Andriy Yermak's record, found by his Ukrainian spelling, and
    the delegation whose head the sources call "Andrey Yermak"."""
    # Words beyond the first MAX_WORDS are not searched, and a query of no letter or digit finds
    # nothing: every `q` the schema allows is answered (schemathesis's ST202 found '\x95' refused).
    asked = query_words(q)[:MAX_WORDS]
    as_of_moment, known, reported = times(as_of, known_at)
    register = system.register_reads.register(known)
    kinds = [kind] if kind else list(system.catalog.kinds)
    hits = system.search_queries.search(asked, as_of_moment, known, kinds, limit, register) if asked else []
    return JSONResponse({"q": q, "as_of": iso(as_of_moment), "known_at": iso(reported), "hits": hits})
