"""Every error as `application/problem+json` (RFC 9457), mapped in this one place.

Routes never build HTTP errors from domain checks: they raise, and these handlers answer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from parley.api.metrics import database_error
from parley.api.responses import JSONResponse
from parley.domain.errors import DomainError, InvalidFuzzyDate, InvalidSubject, RuleBroken, UnknownEventType
from parley.service.commands import BatchItemRefused, EventIdReused, OverLimit, VersionConflict

PROBLEM = "application/problem+json"
FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
log = logging.getLogger("parley.api")
REQUEST_ID = "parley.request_id"  # the scope key where api/observing.py keeps the request's id


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
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"},
                   "description": "validation errors, by field path"},
        "rule": {"type": "string", "description": "the rule a refused event would break"},
        "field": {"type": "string", "description": "the part of the refused event a rule concerns, as a path into "
                                                   "it (`data.new_head`, `occurred`, `type`), for a form to show it there"},
        "collides_with": {
            "type": "object", "description": "the recorded event the refused one would make impossible",
            "properties": {"event_id": {"type": "string"}, "type": {"type": "string"}, "occurred": {"type": "string"}},
        },
        "current_version": {"type": "integer", "description": "the subject's version, on a conflict"},
        "index": {"type": "integer", "description": "the refused event of a batch"},
        "did_you_mean": {"type": "array", "items": {"type": "string"},
                         "description": "on a 404 for a subject that has no events: the existing subjects spelled "
                                        "most like it, nearest first"},
    },
}
MEANINGS = {
    400: "the body is not UTF-8 JSON, or nested too deep; the problem says where",
    401: "no valid bearer token (writes; reads when they are closed)",
    403: "the token's scope does not allow this (redaction needs an `admin` token)",
    404: "no such subject at that point",
    409: "a rule of the subject, expected_version or a reused event_id refuses it; nothing stored",
    412: "If-Match does not hold the subject's current version; nothing stored",
    413: "the body is over the size limit",
    415: "the body is not sent as JSON (Content-Type: application/json)",
    422: "the request does not match the schema or a limit; nothing stored",
    503: "the event store is unreachable; retry",
}
HEADERS = {
    401: {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
    503: {"Retry-After": {"required": True, "schema": {"type": "string"}}},
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the problems an operation can answer, as problem+json."""
    return {
        status: {
            "description": MEANINGS[status],
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            **({"headers": HEADERS[status]} if status in HEADERS else {}),
        }
        for status in statuses
    }


def problem_response(problem: Problem) -> JSONResponse:
    body = {
        "type": f"/problems/{problem.slug}",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        **problem.extra,
    }
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM, headers=problem.headers)


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
        return Problem(409, "rule-broken", "The event breaks a rule of its subject", error.message, rule=error.rule,
                       **field, **collides)
    if isinstance(error, OverLimit):
        errors = [{**breach, "path": f"{at}.{error.type}.{breach['path']}"} for breach in error.breaches]
        return Problem(422, "over-limit", "A value is over its configured limit",
                       "; ".join(f"{e['path']}: {e['message']}" for e in errors[:5]), errors=errors)
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
        where = next(e for e in errors if e.get("type") == "json_invalid")
        detail = f"not JSON at character {where['loc'][-1]}: {(where.get('ctx') or {}).get('error', where['msg'])}"
        return Problem(400, "unparseable-body", "The body is not JSON", detail,
                       errors=[{"path": "body", "message": detail, "type": "json_invalid"}])
    fields = [{"path": field_path((*e.get("loc", ()), *within(e))), "message": e.get("msg", ""),
               "type": e.get("type", "")} for e in errors]
    detail = "; ".join(f"{f['path']}: {f['message']}" for f in fields[:5])
    return Problem(422, "validation", "The request does not match the schema", detail, errors=fields)


def within(error: Mapping[str, Any]) -> tuple[str | int, ...]:
    """Where inside the validated value a check across its fields found the fault (`ctx.at`)."""
    at = (error.get("ctx") or {}).get("at")
    return tuple(int(part) if part.isdigit() else part for part in at.split(".")) if isinstance(at, str) else ()


def allowed_methods(request: Request) -> str | None:
    """The methods documented for this path: Starlette's 405 names only the first route's."""
    for template, operations in request.app.openapi()["paths"].items():
        pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part)
                          for part in re.split(r"(\{[^}]+\})", template))
        if re.fullmatch(pattern, request.url.path):
            methods = {method.upper() for method in operations if method in HTTP_METHODS}
            return ", ".join(sorted(methods | ({"HEAD"} if "GET" in methods else set())))  # api/heads.py
    return None


def field_path(location: tuple[Any, ...]) -> str:
    """`body.<EventType>.data.<field>`: field names, indexes and event types; the names
    pydantic gives the members of a union (`constrained-str`, `(plain value)`) are left out."""
    return ".".join(str(part) for part in location if isinstance(part, int) or FIELD.fullmatch(str(part)))


def register(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    def on_validation(_: Request, error: RequestValidationError) -> JSONResponse:
        return problem_response(validation_problem(error))

    @app.exception_handler(StarletteHTTPException)
    def on_http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        headers = dict(error.headers or {})
        if error.status_code == 405 and (allowed := allowed_methods(request)):
            headers["Allow"] = allowed
        return problem_response(Problem(error.status_code, "http", str(error.detail), str(error.detail),
                                        headers=headers))

    @app.exception_handler(Problem)
    @app.exception_handler(DomainError)
    @app.exception_handler(BatchItemRefused)
    @app.exception_handler(VersionConflict)
    @app.exception_handler(EventIdReused)
    @app.exception_handler(OverLimit)
    def on_refusal(_: Request, error: Exception) -> JSONResponse:
        return problem_response(as_problem(error))

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(IntegrityError)
    def on_store_down(_: Request, error: Exception) -> JSONResponse:
        """The store cannot take the request now, and retrying shortly will succeed.

        An IntegrityError should not reach here: a write the store refused for racing is decided
        again under the store's write lock (service/one_writer.py), where no writer can overtake
        it. Should one arrive all the same, it is a conflict of writers: busy, not broken.
        """
        retry = {"Retry-After": "1"}
        database_error("request")
        if isinstance(error, IntegrityError):
            log.warning("event store busy: %s", error)
            return problem_response(Problem(503, "store-busy", "The event store is busy",
                                            "concurrent writes to the same subject kept winning; retry shortly",
                                            headers=retry))
        log.warning("event store unavailable: %s", error)
        return problem_response(Problem(503, "store-unavailable", "The event store is unavailable",
                                        "the database could not be reached; retry shortly", headers=retry))

    @app.exception_handler(Exception)
    def on_bug(request: Request, error: Exception) -> JSONResponse:
        # Handlers run after the except block has ended, so the traceback is passed explicitly.
        # This answer goes out above the middleware that adds request ids, so it adds its own.
        request_id = request.scope.get(REQUEST_ID, "")
        log.error("unhandled error (request %s)", request_id, exc_info=error)
        return problem_response(Problem(500, "internal", "Internal error", "the service failed; the error was logged",
                                        headers={"X-Request-ID": request_id}, request_id=request_id))
