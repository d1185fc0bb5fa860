"""A small Server-Sent Events reader for the feed tests, parsing the stream as a browser does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Message:
    event: str
    data: str | None
    id: str | None
    comment: str | None

    @property
    def is_log_event(self) -> bool:
        return self.event == "message" and self.data is not None

    def json(self) -> Any:
        return json.loads(self.data or "null")


def messages(lines: Iterator[str]) -> Iterator[Message]:
    """Messages as dispatched at each blank line; a comment-only block (a ping) is one too."""
    event, data, id_, comment = "message", [], None, None
    for line in lines:
        if line == "":
            if data or id_ is not None or comment is not None:
                yield Message(event, "\n".join(data) if data else None, id_, comment)
            event, data, id_, comment = "message", [], None, None
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "":
            comment = value
        elif field == "event":
            event = value
        elif field == "data":
            data.append(value)
        elif field == "id":
            id_ = value


class Feed:
    """One open connection to `/events/stream`; leaving its `with` block drops it."""

    def __init__(self, response: httpx.Response):
        self.response = response
        self._messages = messages(response.iter_lines())
        self.ready = next(self._messages)
        assert self.ready.event == "ready", self.ready

    def next_message(self) -> Message:
        return next(self._messages)  # httpx's read timeout bounds the wait

    def events(self, count: int) -> list[dict[str, Any]]:
        """The next `count` log events, skipping pings."""
        found = []
        while len(found) < count:
            message = self.next_message()
            if message.is_log_event:
                assert message.id == str(message.json()["position"]), message
                found.append(message.json())
        return found

    def events_until(self, event_id: str) -> list[dict[str, Any]]:
        """Every log event up to and including the one with `event_id`."""
        found: list[dict[str, Any]] = []
        while not found or found[-1]["event_id"] != event_id:
            found.extend(self.events(1))
        return found


@contextmanager
def open_feed(base_url: str, params: dict[str, Any] | None = None, last_event_id: str | int | None = None) -> Iterator[Feed]:
    headers = {"Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    timeout = httpx.Timeout(10.0, read=15.0)
    with httpx.Client(base_url=base_url, timeout=timeout) as client:
        with client.stream("GET", "/events/stream", params=params, headers=headers) as response:
            assert response.status_code == 200, response.read()
            assert response.headers["content-type"].startswith("text/event-stream")
            yield Feed(response)
