"""Every error as `application/problem+json` (RFC 9457), answered in this one place.

Routes never build HTTP errors from domain checks: they raise, and these handlers answer with
the problem `service/problems.py` maps the refusal to.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from parley.api.metrics import database_error
from parley.api.responses import JSONResponse
from parley.domain.errors import DomainError
from parley.service.commands import BatchItemRefused, EventIdReused, OverLimit, VersionConflict
from parley.service.problems import PROBLEM, Problem, as_problem, field_path, within

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
log = logging.getLogger("parley.api")
REQUEST_ID = "parley.request_id"  # the scope key where api/observing.py keeps the request's id
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


def validation_problem(error: RequestValidationError) -> Problem:
    errors = error.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        where = next(e for e in errors if e.get("type") == "json_invalid")
        detail = f"not JSON at character {where['loc'][-1]}: {(where.get('ctx') or {}).get('error', where['msg'])}"
        return Problem(
            400,
            "unparseable-body",
            "The body is not JSON",
            detail,
            errors=[{"path": "body", "message": detail, "type": "json_invalid"}],
        )
    fields = [
        {"path": field_path((*e.get("loc", ()), *within(e))), "message": e.get("msg", ""), "type": e.get("type", "")}
        for e in errors
    ]
    detail = "; ".join(f"{f['path']}: {f['message']}" for f in fields[:5])
    return Problem(422, "validation", "The request does not match the schema", detail, errors=fields)


def allowed_methods(request: Request) -> str | None:
    """The methods documented for this path: Starlette's 405 names only the first route's."""
    for template, operations in request.app.openapi()["paths"].items():
        pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[^}]+\})", template))
        if re.fullmatch(pattern, request.url.path):
            methods = {method.upper() for method in operations if method in HTTP_METHODS}
            return ", ".join(sorted(methods | ({"HEAD"} if "GET" in methods else set())))  # api/heads.py
    return None


def register(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    def on_validation(_: Request, error: RequestValidationError) -> JSONResponse:
        return problem_response(validation_problem(error))

    @app.exception_handler(StarletteHTTPException)
    def on_http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        headers = dict(error.headers or {})
        if error.status_code == 405 and (allowed := allowed_methods(request)):
            headers["Allow"] = allowed
        return problem_response(Problem(error.status_code, "http", str(error.detail), str(error.detail), headers=headers))

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
            return problem_response(
                Problem(
                    503,
                    "store-busy",
                    "The event store is busy",
                    "concurrent writes to the same subject kept winning; retry shortly",
                    headers=retry,
                )
            )
        log.warning("event store unavailable: %s", error)
        return problem_response(
            Problem(
                503,
                "store-unavailable",
                "The event store is unavailable",
                "the database could not be reached; retry shortly",
                headers=retry,
            )
        )

    @app.exception_handler(Exception)
    def on_bug(request: Request, error: Exception) -> JSONResponse:
        # Handlers run after the except block has ended, so the traceback is passed explicitly.
        # This answer goes out above the middleware that adds request ids, so it adds its own.
        request_id = request.scope.get(REQUEST_ID, "")
        log.error("unhandled error (request %s)", request_id, exc_info=error)
        return problem_response(
            Problem(
                500,
                "internal",
                "Internal error",
                "the service failed; the error was logged",
                headers={"X-Request-ID": request_id},
                request_id=request_id,
            )
        )
