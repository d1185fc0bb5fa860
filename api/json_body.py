"""A write's body parsed once, refusing an object that gives a key twice (SPEC §14), by the
decoder `parley import` reads its lines with (service/json_text.py): FastAPI reads the body
through `UniqueKeysRequest.json`, and a refusal is a `JSONDecodeError`, which FastAPI answers
as the body being unreadable (400 naming the key and where it is, api/problems.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from parley.service.json_text import parsed_text


def parsed(body: bytes) -> Any:
    """The JSON value of the body (any encoding `json.loads` detects), every object's keys once."""
    return parsed_text(body.decode(json.detect_encoding(body), "surrogatepass"))


class UniqueKeysRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parsed(await self.body())
        return self._json


class UniqueKeysRoute(APIRoute):
    """A route whose JSON body is read by `parsed` (FastAPI's pattern for a custom Request)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def unique_keys(request: Request) -> Response:
            return await handler(UniqueKeysRequest(request.scope, request.receive))

        return unique_keys


class LeanBodyRoute(UniqueKeysRoute):
    """A write route whose one body is validated and handed to its endpoint directly when the
    request is well formed, skipping FastAPI's general request handling (dependency solving, its
    content-type parse by `email.message`, telemetry hooks): a tenth of a single append's CPU
    went there (docs/benchmarks.md). Anything else (no JSON media type, an unreadable body, a
    body that does not validate) is handed to FastAPI's own handler, on the same request and
    its body as read, so every refusal is exactly FastAPI's. The endpoint takes the body as its
    one parameter besides a `Request`, and returns a Response itself."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        general = APIRoute.get_route_handler(self)
        field, endpoint = self.body_field, self.endpoint
        assert field is not None and not self.dependant.dependencies, "one body, no dependencies"
        name = field.name
        request_name = self.dependant.request_param_name

        async def lean(request: Request) -> Response:
            request = UniqueKeysRequest(request.scope, request.receive)
            if _json_typed(request.scope["headers"]):
                try:
                    body = await request.json()
                except ValueError:
                    body = None  # FastAPI's handler answers it
                if body is not None:
                    value, errors = field.validate(body, {}, loc=("body",))
                    if not errors:
                        return await endpoint(**{name: value, request_name: request})  # type: ignore[arg-type]  # the parameters' names
            return await general(request)

        return lean


def _json_typed(headers: list[tuple[bytes, bytes]]) -> bool:
    for key, value in headers:
        if key == b"content-type":
            return value.lower().startswith(b"application/json")
    return False
