"""A write's body parsed once, refusing an object that gives a key twice (SPEC §14).

`json.loads` keeps the last of two values for one key, so `{"subject": "a", …, "subject": "b"}`
was stored under `b` without a word. The decoder here builds each object from its pairs and
refuses the object whose pairs outnumber its keys, in the same parse: FastAPI reads the body
through `UniqueKeysRequest.json`, and a refusal is a `JSONDecodeError`, which FastAPI answers
as the body being unreadable (400 naming the key and where it is, api/problems.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute


class _KeyTwice(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    built = dict(pairs)
    if len(built) != len(pairs):
        seen: set[str] = set()
        raise _KeyTwice(next(key for key, _ in pairs if key in seen or seen.add(key)))  # type: ignore[func-returns-value]  # set.add answers None: the key is kept as it is seen
    return built


# One decoder, made once: `json.loads(..., object_pairs_hook=…)` would make a decoder a call,
# which cost as much as the parse itself; this one costs 3 % more than `json.loads` alone.
_DECODER = json.JSONDecoder(object_pairs_hook=_unique)


def parsed(body: bytes) -> Any:
    """The JSON value of the body (any encoding `json.loads` detects), every object's keys once."""
    return parsed_text(body.decode(json.detect_encoding(body), "surrogatepass"))


def parsed_text(text: str) -> Any:
    """The JSON value of the text, every object's keys once (`parley import` reads its lines so)."""
    try:
        return _DECODER.decode(text)
    except _KeyTwice as twice:
        raise json.JSONDecodeError(f"the key {json.dumps(twice.key, ensure_ascii=False)} is given twice in one "
                                   f"object", text, _second(text, twice.key)) from None


def _second(text: str, key: str) -> int:
    """Where the key is given the second time (as written unescaped; else at the start)."""
    written = re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:"
    places = [found.start() for found in re.finditer(written, text)]
    return places[1] if len(places) > 1 else 0


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
