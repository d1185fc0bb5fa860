"""The live feed (`GET /events/stream`): newly recorded events as Server-Sent Events.

Each event goes out with `id:` set to its log position, so a client that reconnects with
`Last-Event-ID` (or `?after=`) gets everything after what it last saw, and nothing twice. A
stream polls the shared log (catch the projection up, then read past its position), so it
works the same with any number of API processes on one database, and it holds a database
connection only while it looks.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import anyio
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import Depends, Header, Query
from fastapi.sse import EventSourceResponse, ServerSentEvent

from parley.api.deps import Reader, SystemDep, beyond_the_log
from parley.api.metrics import FEED_CLIENTS, database_error
from parley.api.problems import documented
from parley.api.vocabulary import EXAMPLE_KIND, EXAMPLE_SUBJECT, EXAMPLE_TYPE, KINDS, EventType, KindName, Routes, SubjectAddress
from parley.domain.subjects import SubjectId
from parley.service.bootstrap import System
from parley.service.exports.lines import cloud_event_line, fact_as_read
from parley.service.problems import Problem

router = Routes(tags=["events"])
log = logging.getLogger("parley.feed")

BATCH = 200  # events per look; a client far behind gets them page after page, without waiting
RETRY_MS = 1000  # how soon a browser reconnects after the connection drops


@dataclass(frozen=True)
class Wanted:
    """The feed's filters; an empty one lets everything through."""

    kinds: frozenset[str]
    subjects: frozenset[str]
    types: frozenset[str]

    def admits(self, event: dict[str, Any]) -> bool:
        return (
            (not self.kinds or SubjectId.parse(event["subject"]).kind in self.kinds)
            and (not self.subjects or event["subject"] in self.subjects)
            and (not self.types or event["type"] in self.types)
        )


@dataclass(frozen=True)
class Look:
    """One look at the log: the wanted events after a position, and how far the log was read."""

    events: list[dict[str, Any]]
    read_to: int
    more: bool


def look(system: System, after: int, wanted: Wanted) -> Look:
    """Blocking (it reads the store): called in a worker thread, never on the event loop. What the
    log holds now is first in the views, or as much as the keeper applies in `views_wait_seconds`."""
    system.views.wait_for(system.app.recorder.max_notification_id() or 0, system.settings.views_wait_seconds)
    projected_to = system.projection.position()
    events = system.log_reads.events(after, BATCH)
    more = len(events) == BATCH
    # The projection holds every event up to the position it tracks, so a short page means the
    # log was read that far, past old stores' claims and filtered-out events that were not sent.
    read_to = events[-1]["position"] if more else max([after, projected_to, *(e["position"] for e in events)])
    return Look([event for event in events if wanted.admits(event)], read_to, more)


def start_position(
    system: SystemDep,
    last_event_id: Annotated[
        str | None,
        Header(
            description="The `id` of the last event received; wins over `after` (a browser sends it when it reconnects).",
            examples=["42"],
        ),
    ] = None,
    after: Annotated[
        int | None,
        Query(
            ge=0,
            le=2**62,
            examples=[0],
            description="A log position: send the events recorded after it. Default: only what is recorded from now on.",
        ),
    ] = None,
) -> int:
    """Where the feed starts. A browser reconnects to the same URL adding `Last-Event-ID`, so the
    header wins over `after`; with neither, the feed carries what is recorded from now on."""
    if last_event_id is not None:
        text = last_event_id.strip()
        if not text.isdigit() or len(text) > 18:
            raise Problem(
                422,
                "validation",
                "Last-Event-ID must hold a log position",
                f"Last-Event-ID: {last_event_id!r} is not a position such as 42",
                errors=[{"path": "header.last-event-id", "message": "not a position", "type": "int"}],
            )
        beyond_the_log(system, int(text), "header.last-event-id")
        return int(text)
    if after is not None:
        beyond_the_log(system, after, "query.after")
        return after
    return system.app.recorder.max_notification_id() or 0


FEED = {
    200: {
        "description": "a `ready` event, then each newly recorded event (`data`: the event as read, "
        "`id`: its position), with `: ping` comments while idle"
    }
}


def _sent(event: dict[str, Any], format_: str, source: str) -> ServerSentEvent:
    if format_ == "cloudevents":
        line = cloud_event_line(event["position"], fact_as_read(event), source)
        return ServerSentEvent(raw_data=line.rstrip("\n"), id=str(event["position"]))
    return ServerSentEvent(data=event, id=str(event["position"]))


@router.get(
    "/events/stream",
    response_class=EventSourceResponse,
    summary="Newly recorded events, live",
    responses={**FEED, **documented(401, 422)},
)
async def live_feed(
    system: SystemDep,
    _: Reader,
    start: Annotated[int, Depends(start_position)],
    kind: Annotated[
        list[KindName] | None,
        Query(max_length=len(KINDS), examples=[[EXAMPLE_KIND]], description="Only events of subjects of these kinds."),
    ] = None,
    subject: Annotated[
        list[SubjectAddress] | None,
        Query(max_length=100, examples=[[EXAMPLE_SUBJECT]], description="Only events of these subjects."),
    ] = None,
    type_: Annotated[
        list[EventType] | None,
        Query(alias="type", max_length=100, examples=[[EXAMPLE_TYPE]], description="Only events of these types."),
    ] = None,
    format_: Annotated[
        Literal["json", "cloudevents"],
        Query(
            alias="format",
            examples=["json"],
            description="Each event's "
            "`data`: the event as read, or a CloudEvents 1.0 structured JSON event as `parley export` "
            "writes it.",
        ),
    ] = "json",
) -> AsyncIterable[ServerSentEvent]:
    """Newly recorded events in recorded order, as Server-Sent Events (`text/event-stream`).

    Example: `curl -N '/events/stream?after=0&kind=$kind'`.

    Each event's `data` is the event as read and its `id` its log position. The stream opens
    with a `ready` event holding the position it starts after. While nothing is sent, a
    `: ping` comment keeps the connection open; it carries `id:` set to how far the log was
    read, so a filtered stream resumes from there instead of re-reading what it skipped.
    """
    wanted = Wanted(frozenset(kind or ()), frozenset(subject or ()), frozenset(type_ or ()))
    poll, keepalive = system.settings.feed_poll_seconds, system.settings.feed_keepalive_seconds
    position = start
    FEED_CLIENTS.inc()
    try:
        yield ServerSentEvent(event="ready", data={"position": position}, id=str(position), retry=RETRY_MS)
        quiet_since = anyio.current_time()
        while True:
            try:
                found = await anyio.to_thread.run_sync(look, system, position, wanted)
            except (OperationalError, InterfaceError) as error:
                # Keep the stream and retry at the next look: the client loses nothing, whereas
                # ending it would have a browser reconnect into a 503, after which it gives up.
                log.warning("live feed cannot read the event store: %s", error)
                database_error("feed")
                found = Look([], position, False)
            for event in found.events:
                yield _sent(event, format_, system.settings.cloudevents_source)
            position = found.read_to
            if found.events:
                quiet_since = anyio.current_time()
            elif anyio.current_time() - quiet_since >= keepalive:
                yield ServerSentEvent(comment="ping", id=str(position))
                quiet_since = anyio.current_time()
            if not found.more:
                await anyio.sleep(poll)
    finally:
        FEED_CLIENTS.dec()
