"""A route of the truce kind's own (tests/truce_kind.py names it in `routes`): how long a truce held."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from parley.api.deps import Views
from parley.domain.subject import Subject
from parley.domain.subjects import SubjectId
from parley.service.problems import Problem


def routes(kind: type[Subject]) -> APIRouter:
    router = APIRouter(tags=["subjects"])

    @router.get("/{slug}/held", summary=f"Whether a {kind.label.lower()} holds now")
    def truce_held(slug: str, system: Views) -> dict[str, object]:
        """`holding` while no one has broken it."""
        found = system.state_reads.state(SubjectId(kind.kind, slug), datetime.now(UTC), None)
        if found is None or found.get("state") is None:
            raise Problem(404, "not-found", "No such subject", f"no {kind.kind} is called {slug}")
        return {"subject": f"{kind.kind}/{slug}", "holding": found["state"]["status"] == "holding"}

    return router
