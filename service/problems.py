"""What a refusal looks like on the wire: a problem (RFC 9457, `application/problem+json`), and the
one mapping of the domain's and the service's refusals to problems. Shared by the API, which answers
them (api/problems.py registers the handlers), and by the commands, which say them in a line
(`parley draft`) or name a refused field as the API would (`parley import`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from parley.domain.errors import DomainError, InvalidFuzzyDate, InvalidSubject, RuleBroken, UnknownEventType
from parley.service.commands import BatchItemRefused, EventIdReused, OverLimit, VersionConflict

PROBLEM = "application/problem+json"
FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Problem(Exception):
    """An answer that is not a success, raised where the route knows it (404, 401, 422)."""

    def __init__(self, status: int, slug: str, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.headers = headers or {}
        self.extra = extra


FIELD_ERROR_SCHEMA = {
    "type": "object",
    "required": ["path", "message", "type"],
    "properties": {"path": {"type": "string"}, "message": {"type": "string"}, "type": {"type": "string"}},
}
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/FieldError"},
            "description": "validation errors, by field path",
        },
        "rule": {"type": "string", "description": "the rule a refused event would break"},
        "field": {
            "type": "string",
            "description": "the part of the refused event a rule concerns, as a path into "
            "it (`data.new_head`, `occurred`, `type`), for a form to show it there",
        },
        "collides_with": {
            "type": "object",
            "description": "the recorded event the refused one would make impossible",
            "properties": {"event_id": {"type": "string"}, "type": {"type": "string"}, "occurred": {"type": "string"}},
        },
        "current_version": {"type": "integer", "description": "the subject's version, on a conflict"},
        "index": {"type": "integer", "description": "the refused event of a batch"},
        "did_you_mean": {
            "type": "array",
            "items": {"type": "string"},
            "description": "on a 404 for a subject that has no events: the existing subjects spelled most like it, nearest first",
        },
    },
}


def as_problem(error: Exception, at: str = "body") -> Problem:
    """The problem answering a refusal; `at` is where in the request the refused event is."""
    if isinstance(error, Problem):
        return error
    if isinstance(error, BatchItemRefused):
        inner = as_problem(error.cause, f"body.events.{error.index}")
        inner.extra["index"] = error.index
        inner.detail = f"event {error.index} of the batch was refused, so none was stored: {inner.detail}"
        return inner
    if isinstance(error, RuleBroken):
        collides: dict[str, Any] = {"collides_with": error.collides_with} if error.collides_with else {}
        field: dict[str, Any] = {"field": error.field} if error.field else {}
        return Problem(
            409, "rule-broken", "The event breaks a rule of its subject", error.message, rule=error.rule, **field, **collides
        )
    if isinstance(error, OverLimit):
        errors = [{**breach, "path": f"{at}.{error.type}.{breach['path']}"} for breach in error.breaches]
        return Problem(
            422,
            "over-limit",
            "A value is over its configured limit",
            "; ".join(f"{e['path']}: {e['message']}" for e in errors[:5]),
            errors=errors,
        )
    if isinstance(error, VersionConflict):
        if error.if_match:
            return Problem(
                412,
                "precondition-failed",
                "If-Match does not hold the current version",
                str(error),
                current_version=error.current,
            )
        return Problem(409, "version-conflict", "The subject has moved on", str(error), current_version=error.current)
    if isinstance(error, EventIdReused):
        return Problem(409, "event-id-reused", "This event_id was recorded with other content", str(error))
    if isinstance(error, (InvalidFuzzyDate, InvalidSubject, UnknownEventType, DomainError)):
        return Problem(422, "invalid-input", "The request is not valid", str(error))
    raise error


def within(error: Mapping[str, Any]) -> tuple[str | int, ...]:
    """Where inside the validated value a check across its fields found the fault (`ctx.at`)."""
    at = (error.get("ctx") or {}).get("at")
    return tuple(int(part) if part.isdigit() else part for part in at.split(".")) if isinstance(at, str) else ()


def field_path(location: tuple[Any, ...]) -> str:
    """`body.<EventType>.data.<field>`: field names, indexes and event types; the names
    pydantic gives the members of a union (`constrained-str`, `(plain value)`) are left out."""
    return ".".join(str(part) for part in location if isinstance(part, int) or FIELD.fullmatch(str(part)))
