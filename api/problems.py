"""Every error as `application/problem+json` (RFC 9457), mapped in this one place.

Routes never build HTTP errors from domain checks: they raise, and these handlers answer.
"""

from __future__ import annotations

import logging
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.limits import BodyTooLarge
from domain.errors import DomainError, InvalidFuzzyDate, InvalidSubject, RuleBroken, UnknownEventType
from service.commands import BatchItemRefused, EventIdReused, VersionConflict

PROBLEM = "application/problem+json"
log = logging.getLogger("parley.api")


class Problem(Exception):
    """An answer that is not a success, raised where the route knows it (404, 401, 422)."""

    def __init__(self, status: int, slug: str, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(problem: Problem) -> JSONResponse:
    body = {
        "type": f"/problems/{problem.slug}",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        **problem.extra,
    }
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM, headers=problem.headers)


def as_problem(error: Exception) -> Problem:
    if isinstance(error, Problem):
        return error
    if isinstance(error, BatchItemRefused):
        inner = as_problem(error.cause)
        inner.extra["index"] = error.index
        inner.detail = f"event {error.index} of the batch was refused, so none was stored: {inner.detail}"
        return inner
    if isinstance(error, RuleBroken):
        return Problem(409, "rule-broken", "The event breaks a rule of its subject", error.message, rule=error.rule)
    if isinstance(error, VersionConflict):
        if error.if_match:
            return Problem(412, "precondition-failed", "If-Match does not hold the current version",
                           str(error), current_version=error.current)
        return Problem(409, "version-conflict", "The subject has moved on", str(error), current_version=error.current)
    if isinstance(error, EventIdReused):
        return Problem(409, "event-id-reused", "This event_id was recorded with other content", str(error))
    if isinstance(error, (InvalidFuzzyDate, InvalidSubject, UnknownEventType, DomainError)):
        return Problem(422, "invalid-input", "The request is not valid", str(error))
    raise error


def validation_problem(error: RequestValidationError) -> Problem:
    errors = error.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return Problem(400, "unparseable-body", "The body is not JSON", "the request body could not be parsed as JSON")
    fields = [
        {"path": ".".join(str(part) for part in e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", "")}
        for e in errors
    ]
    detail = "; ".join(f"{f['path']}: {f['message']}" for f in fields[:5])
    return Problem(422, "validation", "The request does not match the schema", detail, errors=fields)


def register(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    def on_validation(_: Request, error: RequestValidationError) -> JSONResponse:
        return problem_response(validation_problem(error))

    @app.exception_handler(StarletteHTTPException)
    def on_http(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return problem_response(Problem(error.status_code, "http", str(error.detail), str(error.detail),
                                        headers=dict(error.headers or {})))

    @app.exception_handler(Problem)
    @app.exception_handler(DomainError)
    @app.exception_handler(BatchItemRefused)
    @app.exception_handler(VersionConflict)
    @app.exception_handler(EventIdReused)
    def on_refusal(_: Request, error: Exception) -> JSONResponse:
        return problem_response(as_problem(error))

    @app.exception_handler(BodyTooLarge)
    def on_too_large(_: Request, __: Exception) -> JSONResponse:
        limit = app.state.system.settings.max_body_bytes
        return problem_response(Problem(413, "body-too-large", "The body is too large",
                                        f"request bodies are limited to {limit} bytes"))

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    def on_store_down(_: Request, error: Exception) -> JSONResponse:
        log.warning("event store unavailable: %s", error)
        return problem_response(Problem(503, "store-unavailable", "The event store is unavailable",
                                        "the database could not be reached; retry shortly", headers={"Retry-After": "1"}))

    @app.exception_handler(Exception)
    def on_bug(_: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return problem_response(Problem(500, "internal", "Internal error", "the service failed; the error was logged"))
