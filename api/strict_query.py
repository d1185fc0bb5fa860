"""Queries as strict as bodies (SPEC §6): an unknown parameter, or a single-valued one given
twice, is 422 naming it. What an operation takes is read from its OpenAPI document, so a
parameter is known exactly when it is documented; undocumented routes (the page) are left be."""

from __future__ import annotations

import json
import re
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send


class StrictQueries:
    def __init__(self, app: ASGIApp, api: FastAPI):
        self.app = app
        self.api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string") and (problem := self.refusal(scope)):
            body = json.dumps(problem).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 422,
                    "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)

    def refusal(self, scope: Scope) -> dict[str, Any] | None:
        operation = self._operation(scope)
        if operation not in self._parameters:
            return None  # no such operation (the app answers 404 or 405), or an undocumented page
        single, multiple = self._parameters[operation]
        errors, seen = [], set()
        for name, _ in parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True):
            if name not in single and name not in multiple:
                known = ", ".join(sorted(single | multiple)) or "none"
                errors.append(_error(name, f"unknown query parameter (this operation takes: {known})", "unknown"))
            elif name in single and name in seen:
                errors.append(_error(name, "given more than once; it takes one value", "repeated"))
            seen.add(name)
        if not errors:
            return None
        return {
            "type": "/problems/validation",
            "title": "The query does not match the operation",
            "status": 422,
            "detail": "; ".join(f"{e['path']}: {e['message']}" for e in errors[:5]),
            "errors": errors,
        }

    def _operation(self, scope: Scope) -> tuple[str, str] | None:
        method = scope["method"].lower()
        for template, pattern in self._templates:
            if pattern.match(scope["path"]) and (template, method) in self._parameters:
                return template, method
        return None

    @cached_property
    def _templates(self) -> list[tuple[str, re.Pattern[str]]]:
        """Each documented path as a pattern, the most literal first: `/events/stream` before
        `/events/{event_id}`, as the router's own converters (`uuid`) would tell them apart."""
        paths = sorted(self.api.openapi()["paths"], key=lambda template: template.count("{"))
        return [(template, compile_path(template)[0]) for template in paths]

    @cached_property
    def _parameters(self) -> dict[tuple[str, str], tuple[set[str], set[str]]]:
        """Per operation, its query parameters that take one value and those that take many."""
        found = {}
        for path, operations in self.api.openapi()["paths"].items():
            for method, operation in operations.items():
                query = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
                many = {p["name"] for p in query if _is_array(p.get("schema", {}))}
                found[path, method] = ({p["name"] for p in query} - many, many)
        return found


def _is_array(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "array" or any(_is_array(s) for s in schema.get("anyOf", []))


def _error(name: str, message: str, kind: str) -> dict[str, str]:
    return {"path": f"query.{name}", "message": message, "type": kind}
