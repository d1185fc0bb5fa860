"""The OpenAPI document as other tools take it: valid 3.1.0, readable names, short operation ids.

FastAPI's document is finished here, once, in four steps that each keep a promise to the
tools that read it (openapi-spec-validator, client generators, Swagger UI):

- components are named by their model's name: pydantic titles a generic model by
  `model_parametrized_name` (`DisputedCount`) but keys it by its arguments' reprs;
- the live feed's media type gets a plain string schema: FastAPI writes `itemSchema`, which
  only OpenAPI 3.2 allows, and generators that take 3.1 refuse the whole document;
- the domain's names, texts and fuzzy dates show their grammar as a pattern (`grammars`), which
  their validators check in words rather than by a pattern constraint;
- the problem+json body is one component, `Problem`, listing every problem type and rule, and
  FastAPI's own validation-error models, which Parley never answers with, are left out.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from parley.api.grammars import show_grammars
from parley.api.problem_types import catalogue_text
from parley.service.problems import FIELD_ERROR_SCHEMA, PROBLEM_SCHEMA

REF = "#/components/schemas/"
IDENTIFIER = re.compile(r"^[A-Z][A-Za-z0-9]*$")
FEED_ITEM = {
    "id": "the event's log position (on a ping: how far the log was read)",
    "event": '`ready` on the first item, whose data is {"position": N}; absent on events',
    "data": {"$ref": REF + "EventOut"},
}


def operation_id(route: APIRoute) -> str:
    """An operation is known by its route function's name (`record_event`): short, and the
    name a generated client gives its method. Renaming a route function renames the method."""
    return route.name


# Finished documents by what they are made from: every app `create_app` makes in a process has
# the same routes, so the document (a few hundred milliseconds of work, asked for by the first
# request with a query) is made once per process, not once per app. Read-only once made.
_DOCUMENTS: dict[tuple[Any, ...], dict[str, Any]] = {}


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            key = made_from(app)
            if key not in _DOCUMENTS:
                document = finished(
                    get_openapi(
                        title=app.title,
                        version=app.version,
                        openapi_version=app.openapi_version,
                        summary=app.summary,
                        description=app.description,
                        routes=app.routes,
                        tags=app.openapi_tags,
                        servers=app.servers,
                    )
                )
                show_grammars(document, app.routes)
                _DOCUMENTS[key] = document
            app.openapi_schema = _DOCUMENTS[key]
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to replace the document


def made_from(app: FastAPI) -> tuple[Any, ...]:
    """What the document depends on: the app's own words, the catalog its kinds come from, and each
    documented route's path, methods and function (made once per catalog, so two apps of one process
    with one catalog share them)."""
    routes = tuple(
        (route.path, tuple(sorted(route.methods or ())), route.endpoint)
        for route in app.routes
        if isinstance(route, APIRoute) and route.include_in_schema
    )
    return (
        app.title,
        app.version,
        app.summary,
        app.description,
        app.openapi_version,
        repr(app.openapi_tags),
        repr(app.servers),
        routes,
        getattr(app.state, "catalog", None),
    )


def finished(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["FieldError"] = FIELD_ERROR_SCHEMA
    schemas["Problem"] = {**PROBLEM_SCHEMA, "description": "An answer that is not a success (RFC 9457). " + catalogue_text()}
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            _finish_responses(operation.get("responses", {}))
    names = _readable_names(schemas)
    document = _renamed(document, names)
    document["components"]["schemas"] = {names.get(key, key): value for key, value in document["components"]["schemas"].items()}
    return document


def _finish_responses(responses: dict[str, Any]) -> None:
    for response in responses.values():
        content = response.get("content", {})
        if "text/event-stream" in content:
            content["text/event-stream"] = {
                "schema": {"type": "string", "description": "Server-Sent Events (text/event-stream)"},
                "x-sse-item": FEED_ITEM,
            }


def _readable_names(schemas: dict[str, Any]) -> dict[str, str]:
    """Each component's new name: its model's title, when that is a plain name no other
    component has; otherwise it keeps its key (a test fails on any name left unreadable)."""
    titles = [schema.get("title") for schema in schemas.values()]
    return {
        key: schema["title"]
        for key, schema in schemas.items()
        if key != schema.get("title")
        and IDENTIFIER.match(schema.get("title") or "")
        and titles.count(schema["title"]) == 1
        and schema["title"] not in schemas
    }


def _renamed(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(REF):
                value = REF + names.get(value[len(REF) :], value[len(REF) :])
            out[key] = _renamed(value, names)
        return out
    if isinstance(node, list):
        return [_renamed(item, names) for item in node]
    return node
