"""What a request must show before the app sees it, refused in SPEC §6's order.

A write (every `POST`, each with a JSON body: `/events`, `/events/batch`, `/drafts`, a draft's
confirmation, a redaction) without an `Authorization: Bearer …` header is 401
before its body is read, and one whose body is not JSON by its content type, not UTF-8 by its
charset, or compressed (a Content-Encoding other than identity, or gzip bytes) is 415. Any body
over the limit is 413; so that a client that sends its whole body before reading (Python's
http.client does) still reads that answer, the body is read on and dropped up to a bound,
then the answer goes out with `Connection: close`. A write's body that is not UTF-8, not
JSON, or nested too deep is 400 saying where. Whether a sent token is live is decided later,
with the write.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate, repeat
from typing import Any

import anyio
from fastapi.security.utils import get_authorization_scheme_param
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parley.api.deps import NO_TOKEN

WRITES = re.compile(r"^/(?:events(?:/batch)?|drafts(?:/[^/]+/confirm)?|events/[^/]+/redactions)$")
JSON_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json$")
CHARSET = re.compile(r"(?i)(?:^|;)\s*charset\s*=\s*([^;\s]*)")
UTF_8 = frozenset({"utf-8", "utf8"})
GZIP_MAGIC = b"\x1f\x8b"  # what every gzip stream begins with; no JSON text can
MAX_DEPTH = 64  # far deeper than any event (a batch's deepest value is 9 levels down)
DRAIN_FACTOR = 8  # a body over the limit is read on up to 8 times the limit, or
DRAIN_SECONDS = 10.0  # for 10 seconds, whichever ends first
# A JSON string, written as runs between escapes: the same matches as `"(?:[^"\\]|\\.)*"`, which
# stepped through its alternation once per character (a batch's bodies cost 8 µs an event).
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NESTING = {ord("{"): 1, ord("["): 1, ord("}"): -1, ord("]"): -1}
_ONLY_BRACKETS = {c: None for c in range(128) if c not in _NESTING}
_STEPS = {chr(c): step for c, step in _NESTING.items()}


class Door:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        write = scope["method"] == "POST" and WRITES.match(scope["path"]) is not None
        if write and (refusal := _unsigned(headers) or _not_json_typed(headers)):
            await _answer(send, refusal)
            return
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse_too_large(receive, send, already=0)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its whole body
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await self._refuse_too_large(receive, send, already=size, more=message.get("more_body", False))
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if write and (refusal := unreadable(body)):
            await _answer(send, refusal)
            return
        whole: Message | None = {"type": "http.request", "body": body, "more_body": False}

        async def replayed() -> Message:
            nonlocal whole
            if whole is None:
                return await receive()  # after the body: a disconnect, for streaming answers
            message, whole = whole, None
            return message

        await self.app(scope, replayed, send)

    async def _refuse_too_large(self, receive: Receive, send: Send, *, already: int, more: bool = True) -> None:
        """Read on and drop the body, up to the bound, so the client can read the 413."""
        bound, read = DRAIN_FACTOR * self.max_bytes, already
        with anyio.move_on_after(DRAIN_SECONDS):
            while more and read <= bound:
                message = await receive()
                if message["type"] != "http.request":
                    return
                read += len(message.get("body", b""))
                more = message.get("more_body", False)
        await _answer(
            send, problem(413, "body-too-large", "The body is too large", f"request bodies are limited to {self.max_bytes} bytes")
        )


def _unsigned(headers: dict[bytes, bytes]) -> dict[str, Any] | None:
    scheme, token = get_authorization_scheme_param(headers.get(b"authorization", b"").decode("latin-1"))
    if scheme.lower() == "bearer" and token.strip():
        return None
    return problem(
        401, "unauthorised", "A valid bearer token is needed", NO_TOKEN, headers=[(b"www-authenticate", b'Bearer realm="parley"')]
    )


def _not_json_typed(headers: dict[bytes, bytes]) -> dict[str, Any] | None:
    sent = headers.get(b"content-type", b"").decode("latin-1")
    media_type, _, parameters = sent.partition(";")
    if not JSON_TYPE.match(media_type.strip().lower()):
        return _unsupported(f"send Content-Type: application/json (this request sent {sent or 'none'})")
    charset = CHARSET.search(parameters)
    if charset is not None and charset.group(1).strip('"').lower() not in UTF_8:
        return _unsupported(f"the body must be UTF-8 (this request sent charset={charset.group(1)})")
    encoding = headers.get(b"content-encoding", b"identity").decode("latin-1").strip().lower()
    if encoding not in ("identity", ""):
        return _unsupported(f"send the body uncompressed: Content-Encoding {encoding} is not read")
    return None


def _unsupported(detail: str) -> dict[str, Any]:
    return problem(415, "unsupported-media-type", "The body must be JSON", detail)


def unreadable(body: bytes) -> dict[str, Any] | None:
    """Why a write's body cannot be read as JSON text, saying where; None when it can."""
    if body.startswith(GZIP_MAGIC):
        return _unsupported("the body is gzip-compressed: send it uncompressed")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        return _unparseable(f"byte {error.start} is not UTF-8 ({body[error.start : error.start + 1]!r})")
    if body.count(b"{") + body.count(b"[") > MAX_DEPTH and (deep := _too_deep_at(text)) is not None:
        return _unparseable(f"the JSON is nested more than {MAX_DEPTH} levels deep at character {deep}")
    return None  # JSON that does not parse is the app's to refuse (400 with the character, problems.py)


def _too_deep_at(text: str) -> int | None:
    """Where the nesting first passes MAX_DEPTH (None if it never does); strings do not nest."""
    brackets = _outside_strings(text).translate(_ONLY_BRACKETS)
    if max(accumulate(map(_STEPS.get, brackets, repeat(0))), default=0) <= MAX_DEPTH:  # each step in C
        return None
    depth, in_string, escaped = 0, False, False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif in_string:
            escaped, in_string = char == "\\", char != '"'
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
            if depth > MAX_DEPTH:
                return index
        elif char in "}]":
            depth -= 1
    return None


def _outside_strings(text: str) -> str:
    """The text without its JSON strings (what `_STRINGS` finds). Without a backslash, no quote
    is escaped: strings lie between each pair of quotes, and a last quote left alone opens none."""
    if "\\" in text:
        return _STRINGS.sub("", text)
    parts = text.split('"')
    return "".join(parts[0::2]) + ('"' + parts[-1] if len(parts) % 2 == 0 else "")


def _unparseable(detail: str) -> dict[str, Any]:
    return problem(
        400,
        "unparseable-body",
        "The body is not JSON",
        detail,
        errors=[{"path": "body", "message": detail, "type": "json_invalid"}],
    )


def problem(
    status: int, slug: str, title: str, detail: str, *, headers: list[tuple[bytes, bytes]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "status": status,
        "headers": headers or [],
        "body": {"type": f"/problems/{slug}", "title": title, "status": status, "detail": detail, **extra},
    }


async def _answer(send: Send, refusal: dict[str, Any]) -> None:
    """The problem, and the connection closed: what is left of the body is never read."""
    body = json.dumps(refusal["body"]).encode()
    await send(
        {
            "type": "http.response.start",
            "status": refusal["status"],
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *refusal["headers"],
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
