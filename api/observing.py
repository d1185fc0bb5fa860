"""Every request's id, metrics and log line, in one pure ASGI middleware (SPEC §16).

- `X-Request-ID`: taken from the request when it sends a usable one (1–200 visible ASCII
  characters), else made (32 hex digits, unique across processes); sent back on every answer,
  and added as `request_id` to every problem+json body, whichever layer wrote it (the door,
  the strict queries, the handlers).
- Metrics (api/metrics.py): the request counted by its route template (the path for those
  refused before routing, or `other`), method and status, with its duration; problems counted
  by status, type and rule as they go out.
- The log line (api/request_log.py), when lines are on.
- Headers a dependency adds to the answer, whoever writes it (`answer_headers`): a route's model,
  a Response of its own, a problem.

Pure ASGI rather than Starlette's `BaseHTTPMiddleware`, which runs the app in a task of its own
and streams its answer through a queue: on `POST /events` that costs more than the counting.
It sits inside the gzip middleware, so the problem bodies it reads are never compressed; the
time a large answer takes to compress is not in its duration.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from functools import cached_property

from fastapi import FastAPI, Request
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parley.api.metrics import Counting
from parley.api.problems import REQUEST_ID
from parley.api.request_log import NOTES, Notes, line

HEADER = b"x-request-id"
ANSWER_HEADERS = "parley.answer_headers"  # the scope key of the headers added to the answer
PROBLEM = b"application/problem+json"
MAX_ID = 200


class Observed:
    def __init__(self, app: ASGIApp, api: FastAPI, counting: Counting | None, logging: bool):
        self.app = app
        self.api = api
        self.counting = counting
        self.logging = logging
        # Ids made here are 32 hex digits (a UUID's, without its dashes): 80 random bits for this
        # process, then a count. A fresh uuid4 costs a system call for its random bytes.
        self._prefix = os.urandom(10).hex()
        self._made = itertools.count(1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = scope[REQUEST_ID] = _sent_id(scope["headers"]) or f"{self._prefix}{next(self._made):012x}"
        echoed = (HEADER, request_id.encode())
        added: list[tuple[bytes, bytes]] = []
        scope[ANSWER_HEADERS] = added
        status = 500
        held: Message | None = None  # a problem's start, held until its body has the id
        chunks: list[bytes] = []

        async def sending(message: Message) -> None:
            nonlocal status, held
            kind = message["type"]
            if kind == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", ()), echoed, *added]
                message = {**message, "headers": headers}
                if status >= 400 and any(name == b"content-type" and value.startswith(PROBLEM) for name, value in headers):
                    held = message
                    return
            elif kind == "http.response.body" and held is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                start, held = held, None
                body = self._problem(b"".join(chunks), request_id, status)
                if body is not None:  # else as it was: no body (an answer to HEAD), or not JSON
                    start["headers"] = [
                        (n, str(len(body)).encode() if n == b"content-length" else v) for n, v in start["headers"]
                    ]
                await send(start)
                message = {"type": "http.response.body", "body": b"".join(chunks) if body is None else body}
            await send(message)

        notes = Notes() if self.logging else None
        reset = NOTES.set(notes) if notes is not None else None
        try:
            await self.app(scope, receive, sending)
        finally:
            if reset is not None:
                NOTES.reset(reset)
            seconds = time.perf_counter() - started
            route = self._route(scope)
            if self.counting is not None:
                self.counting.request(route, scope["method"], status, seconds)
            if notes is not None:
                query = scope.get("query_string")
                target = scope["path"] + ("?" + query.decode("latin-1") if query else "")
                line(request_id, scope["method"], target, route, status, seconds, notes)

    def _problem(self, body: bytes, request_id: str, status: int) -> bytes | None:
        """The problem with its request id, counted; None when the body holds none."""
        try:
            problem = json.loads(body) if body else None
        except ValueError:
            return None
        if not isinstance(problem, dict):
            return None
        problem["request_id"] = request_id
        if self.counting is not None:
            self.counting.problem(status, problem)
        return json.dumps(problem, ensure_ascii=False, separators=(",", ":")).encode()

    def _route(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is not None:
            return getattr(route, "path_format", None) or getattr(route, "path", None) or "other"
        # Refused before routing (by the door, or the strict queries): the documented path it was for.
        return next((template for template, pattern in self._templates if pattern.match(scope["path"])), "other")

    @cached_property
    def _templates(self) -> list[tuple[str, re.Pattern[str]]]:
        paths = sorted(self.api.openapi()["paths"], key=lambda template: template.count("{"))
        return [(template, compile_path(template)[0]) for template in paths]


def _sent_id(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name == HEADER:
            if 0 < len(value) <= MAX_ID and value.isascii() and all(33 <= c < 127 for c in value):
                return value.decode()
            return None
    return None


def answer_headers(request: Request) -> list[tuple[bytes, bytes]]:
    """The headers this request's answer will carry besides its own (`Observed` adds them)."""
    return request.scope.get(ANSWER_HEADERS, [])
