"""Server-Sent Events read as a browser reads them (the WHATWG rules Parley's feed relies on)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    event: str
    data: str | None
    id: str | None  # the log position this message brings the reader to, when it sets one


def messages(lines: Iterable[str]) -> Iterator[Message]:
    """One message per blank-line-ended block; a comment-only block with an `id` (a ping) too."""
    event, data, id_ = "message", list[str](), None
    for line in lines:
        if line == "":
            if data or id_ is not None:
                yield Message(event, "\n".join(data) if data else None, id_)
            event, data, id_ = "message", [], None
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            event = value
        elif field == "data":
            data.append(value)
        elif field == "id":
            id_ = value
