"""What `parley serve` does with slow, idle and surplus connections (SPEC §14, "Connections").

uvicorn closes a keep-alive connection that stays idle after a response, and answers 503 past
`limit_concurrency`; but a connection that never sends a request, or sends its headers or body
slowly, it holds for ever (a trial held 2,000 idle connections for 20 s, a short body 15 s+),
and it has no body read timeout. This protocol, uvicorn's own with three additions, closes:

- a new connection that sends nothing within `keep_alive_seconds`, as an idle keep-alive one;
- a request not whole (headers and body) within `read_timeout_seconds` of its first byte:
  answered 408 and closed (a deadline for the whole request, not per byte, so a trickle of
  bytes does not keep it open);
- a connection past `max_connections` open at once: answered 503 and closed at once, rather
  than held in a queue without bound.

A request that arrives whole in one read, as almost every one does, arms no timer.

The settings are read in each process from the environment (`PARLEY_*`), so workers started
by `parley serve --workers` have them too.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from parley.service.settings import get_settings


def _closing(status: bytes, text: bytes) -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; charset=utf-8\r\n"
        b"content-length: " + str(len(text)).encode() + b"\r\nconnection: close\r\n\r\n" + text
    )


TIMED_OUT = _closing(b"408 Request Timeout", b"the request did not arrive whole in time")
TOO_MANY = _closing(b"503 Service Unavailable", b"too many open connections; try again")


class GuardedHTTP(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.timeout_keep_alive = settings.keep_alive_seconds  # type: ignore[assignment]  # uvicorn's timer takes a float
        self.read_timeout = settings.read_timeout_seconds
        self.max_connections = settings.max_connections
        self.reading: asyncio.TimerHandle | None = None
        self.in_request = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]  # uvicorn's protocol, narrowed to the transport it is given
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            transport.write(TOO_MANY)
            transport.close()
            return
        # Idle from the start: closed as an idle keep-alive connection is (uvicorn cancels it on data).
        self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self.timeout_keep_alive_handler)

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_reading()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.in_request and self.reading is None and not self.transport.is_closing():
            self.reading = self.loop.call_later(self.read_timeout, self._read_timed_out)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.in_request = True

    def on_message_complete(self) -> None:
        self.in_request = False
        self._stop_reading()
        super().on_message_complete()

    def _stop_reading(self) -> None:
        if self.reading is not None:
            self.reading.cancel()
            self.reading = None

    def _read_timed_out(self) -> None:
        self.reading = None
        if self.transport.is_closing():
            return
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(TIMED_OUT)
        self.transport.close()  # the app, if it waits for the body, hears of a disconnect
