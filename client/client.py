"""`Client`: Parley's HTTP API from Python, synchronous, over httpx.

Writes are safe to retry: every event is sent with an `event_id` (one is made here when the
caller gives none), so when an answer is lost — a timeout, a dropped connection, a 503 — the
same request is sent again, and the server answers the first receipt instead of storing the
event twice (SPEC §3, idempotency).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from parley.client.feed import messages
from parley.domain.answers import (
    ChangesPage,
    Comparison,
    EventOut,
    EventPage,
    History,
    Holders,
    Mentions,
    Receipt,
    Receipts,
    Redaction,
    Redactions,
    SubjectState,
    subject_page,
    subject_state,
)
from parley.domain.catalog import BUILT_IN, Catalog

Moment = str | date | datetime
Model = TypeVar("Model", bound=BaseModel)
RETRIED = (httpx.TransportError,)  # no answer: connection refused or dropped, timeouts
PAGE = 1000
IDS = 100  # the most ids one `GET /events?id=…` takes


class _Declared(BaseModel):
    kinds: list[dict[str, Any]]


class ParleyError(Exception):
    """A refusal from the service: its status and problem (RFC 9457: type, title, detail, …)."""

    def __init__(self, status: int, problem: dict[str, Any]):
        super().__init__(f"{status} {problem.get('title', '')}: {problem.get('detail', '')}")
        self.status = status
        self.problem = problem


class Client:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        attempts: int = 5,
        backoff: float = 0.2,
        transport: httpx.BaseTransport | None = None,
        kinds: Catalog = BUILT_IN,
    ):
        """`kinds`: the catalog whose states come back typed, e.g. `load(("parley.scripts.kinds.ceasefire",))`
        for a service with that extra kind (`catalog()` lists what the service declares)."""
        self.kinds = kinds
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=base_url, headers=headers, timeout=timeout, transport=transport)
        self.attempts = attempts
        self.backoff = backoff

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    # Writing.

    def record(self, event: Mapping[str, Any], *, if_match: int | str | None = None) -> Receipt:
        """Record one event (SPEC §3's body); its receipt, also when it was recorded before."""
        headers = {"If-Match": f'"{if_match}"' if isinstance(if_match, int) else if_match} if if_match else {}
        return self._send("POST", "/events", Receipt, json=_with_id(event), headers=headers)

    def record_batch(self, events: Sequence[Mapping[str, Any]]) -> list[Receipt]:
        """Record events all together or none; their receipts in order."""
        body = {"events": [_with_id(event) for event in events]}
        return self._send("POST", "/events/batch", Receipts, json=body).events

    # Reading.

    def catalog(self) -> list[dict[str, Any]]:
        """The kinds the service declares (SPEC §10): each one's words, event types and schemas."""
        return self._send("GET", "/catalog", _Declared).kinds

    # `source` reads the record according to those sources, `published_by` counts only what a
    # source had published by that day (SPEC §9).

    def state(
        self,
        subject: str,
        *,
        as_of: Moment | None = None,
        known_at: Moment | None = None,
        source: Sequence[str] = (),
        published_by: date | str | None = None,
    ) -> SubjectState:
        params = {**_times(as_of=as_of, known_at=known_at), **_reading(source, published_by)}
        return self._send("GET", f"/subjects/{subject}", subject_state(self.kinds), params=params)

    def history(
        self, subject: str, *, known_at: Moment | None = None, source: Sequence[str] = (), published_by: date | str | None = None
    ) -> History:
        params = {**_times(known_at=known_at), **_reading(source, published_by)}
        return self._send("GET", f"/subjects/{subject}/history", History, params=params)

    def states(
        self,
        *,
        as_of: Moment | None = None,
        known_at: Moment | None = None,
        kind: str | None = None,
        source: Sequence[str] = (),
        published_by: date | str | None = None,
    ) -> Iterator[SubjectState]:
        """Every subject's state, page after page."""
        params = {**_times(as_of=as_of, known_at=known_at), **({"kind": kind} if kind else {}), **_reading(source, published_by)}
        after: str | None = ""
        while after is not None:
            page = self._send("GET", "/state", subject_page(self.kinds), params={**params, "after": after, "limit": PAGE})
            yield from page.subjects
            after = page.next

    def changes(
        self,
        start: Moment,
        end: Moment | None = None,
        *,
        known_at: Moment | None = None,
        kind: str | None = None,
        source: Sequence[str] = (),
        published_by: date | str | None = None,
    ) -> ChangesPage:
        """What changed between two valid dates: every page in one (`subjects`, and the causing
        `events` by id, each once)."""
        params = {
            **_times(**{"from": start, "to": end, "known_at": known_at}),
            **({"kind": kind} if kind else {}),
            **_reading(source, published_by),
        }
        whole: ChangesPage | None = None
        after: str | None = ""
        while after is not None:
            page = self._send("GET", "/changes", ChangesPage, params={**params, "after": after, "limit": PAGE})
            if whole is None:
                whole = page
            else:
                whole.subjects += page.subjects
                whole.events.update(page.events)
            after = page.next
        assert whole is not None
        whole.next = None
        return whole

    def compare(
        self,
        subject: str,
        start: Moment | None = None,
        end: Moment | None = None,
        *,
        from_revision: int | None = None,
        to_revision: int | None = None,
        known_at: Moment | None = None,
    ) -> Comparison:
        """Two drafts of a subject's item list (a plan's points, SPEC §12), each end a date or a
        revision: each item added, removed, merged, changed or unchanged, with the ids of the events
        that caused it (`caused_by`); `events(ids)` reads those events."""
        revisions = {
            name: value for name, value in (("from_revision", from_revision), ("to_revision", to_revision)) if value is not None
        }
        params = {**_times(**{"from": start, "to": end, "known_at": known_at}), **revisions}
        return self._send("GET", f"/subjects/{subject}/compare", Comparison, params=params)

    def events(self, ids: Iterable[str | uuid.UUID]) -> Iterator[EventOut]:
        """The events with these ids (a comparison's `caused_by`), in recorded order, 100 a request;
        an id no event has is left out."""
        wanted = list(dict.fromkeys(str(event_id) for event_id in ids))
        found: list[EventOut] = []
        for start in range(0, len(wanted), IDS):
            page = self._send("GET", "/events", EventPage, params={"id": wanted[start : start + IDS], "limit": IDS})
            found += page.events
        yield from sorted(found, key=lambda event: event.position)

    # Who is who (SPEC §11): `state` and `states` carry the names matched beside each state, and a person's
    # `roles`; these ask the register kind's own routes.

    def mentions(self, person: str, *, as_of: Moment | None = None, known_at: Moment | None = None) -> Mentions:
        """The events of every subject that name a person (`kind/slug`) under any of their spellings."""
        return self._send("GET", f"/subjects/{person}/mentions", Mentions, params=_times(as_of=as_of, known_at=known_at))

    def office_holders(
        self,
        kind: str,
        office: str | None = None,
        *,
        organisation: str | None = None,
        as_of: Moment | None = None,
        known_at: Moment | None = None,
    ) -> Holders:
        """Who of a register kind held an office at `as_of` (every office held when `office` is None)."""
        params = {
            **_times(as_of=as_of, known_at=known_at),
            **({"office": office} if office else {}),
            **({"organisation": organisation} if organisation else {}),
        }
        return self._send("GET", f"/subjects/{kind}", Holders, params=params)

    def log(
        self,
        after: int = 0,
        *,
        limit: int | None = None,
        subjects: Sequence[str] = (),
        kinds: Sequence[str] = (),
        types: Sequence[str] = (),
        recorded_after: Moment | None = None,
        recorded_before: Moment | None = None,
        occurred_after: Moment | None = None,
        occurred_before: Moment | None = None,
    ) -> Iterator[EventOut]:
        """The log in recorded order after a position, page after page (at most `limit` events);
        the filters combine as the API's do."""
        params: dict[str, Any] = {
            **_only(subjects, kinds, types),
            **_times(
                recorded_after=recorded_after,
                recorded_before=recorded_before,
                occurred_after=occurred_after,
                occurred_before=occurred_before,
            ),
        }
        left = limit
        while left is None or left > 0:
            size = PAGE if left is None else min(PAGE, left)
            page = self._send("GET", "/events", EventPage, params={**params, "after": after, "limit": size})
            yield from page.events
            if page.next is None:
                return
            after = page.next
            left = None if left is None else left - len(page.events)

    def get_event(self, event_id: str | uuid.UUID) -> EventOut:
        return self._send("GET", f"/events/{event_id}", EventOut)

    def redactions(self, event_id: str | uuid.UUID | None = None) -> list[Redaction]:
        """The redactions made (SPEC §15), oldest first: who removed which values of which event,
        when and why (never the values); of one event's values when `event_id` is given."""
        path = "/redactions" if event_id is None else f"/events/{event_id}/redactions"
        return self._send("GET", path, Redactions).redactions

    def follow(
        self, after: int | None = None, *, subjects: Sequence[str] = (), kinds: Sequence[str] = (), types: Sequence[str] = ()
    ) -> Iterator[EventOut]:
        """Events as they are recorded, from after `after` (default: from now on), forever.

        A dropped connection is opened again with `Last-Event-ID` set to the last position seen,
        so nothing is missed and nothing comes twice.
        """
        params: dict[str, Any] = {**_only(subjects, kinds, types), **({"after": after} if after is not None else {})}
        last: str | None = None
        failures = 0
        while True:
            headers = {"Last-Event-ID": last} if last is not None else {}
            try:
                with self.http.stream(
                    "GET",
                    "/events/stream",
                    params=params,
                    headers=headers,
                    timeout=httpx.Timeout(self.http.timeout.connect, read=None),
                ) as response:
                    if response.status_code != 200:
                        response.read()
                        raise _refusal(response)
                    failures = 0
                    for message in messages(response.iter_lines()):
                        last = message.id if message.id is not None else last
                        if message.event == "message" and message.data is not None:
                            yield EventOut.model_validate_json(message.data)
            except RETRIED:
                failures += 1
                if failures >= self.attempts:
                    raise
                time.sleep(self.backoff * 2 ** (failures - 1))

    def _send(self, method: str, path: str, model: type[Model], **kwargs: Any) -> Model:
        """The answer as `model`; a request that got no answer (or 503) is sent again as it was."""
        for attempt in range(self.attempts):
            try:
                response = self.http.request(method, path, **kwargs)
            except RETRIED:
                if attempt == self.attempts - 1:
                    raise
            else:
                if response.status_code != 503 or attempt == self.attempts - 1:
                    if response.is_success:
                        return model.model_validate_json(response.content)
                    raise _refusal(response)
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")


def _with_id(event: Mapping[str, Any]) -> dict[str, Any]:
    """The event with an `event_id`, so a retry of it is recognised as the same event."""
    body = dict(event)
    body["event_id"] = str(body.get("event_id") or uuid.uuid4())
    return body


def _times(**moments: Moment | None) -> dict[str, str]:
    return {name: value if isinstance(value, str) else value.isoformat() for name, value in moments.items() if value is not None}


def _only(subjects: Sequence[str], kinds: Sequence[str], types: Sequence[str]) -> dict[str, list[str]]:
    """The filters of the log and the feed, each repeatable."""
    return {name: list(values) for name, values in (("subject", subjects), ("kind", kinds), ("type", types)) if values}


def _reading(source: Sequence[str], published_by: date | str | None) -> dict[str, Any]:
    day = published_by.isoformat()[:10] if isinstance(published_by, date) else published_by
    return {**({"source": list(source)} if source else {}), **({"published_by": day} if day else {})}


def _refusal(response: httpx.Response) -> ParleyError:
    try:
        problem = response.json()
    except ValueError:
        problem = {"title": response.reason_phrase, "detail": response.text[:500]}
    return ParleyError(response.status_code, problem if isinstance(problem, dict) else {"detail": problem})
