"""A client load for crash tests, and a ledger of what the server answered to each event.

Each thread writes to a delegation of its own: one `DelegationFormed`, then statements,
posted as batches and single events. Every seventh batch carries an event that breaks a
rule, so the whole batch is refused (409). Every event has an id chosen here, so the log
can be checked against the ledger event by event.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.processes import Server

BATCH = 10
SOURCES = [{"name": "Load generator"}]


def formed(subject: str) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "type": "DelegationFormed",
        "subject": subject,
        "occurred": "2025-11-01",
        "sources": SOURCES,
        "data": {"party": subject, "members": [{"name": "Andriy Yermak"}]},
    }


def statement(subject: str, number: int) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "type": "StatementRecorded",
        "subject": subject,
        "occurred": f"2025-11-{number % 28 + 1:02d}",
        "sources": SOURCES,
        "data": {"speaker": "Dmitry Peskov", "quote": f"statement {number}"},
    }


def rule_breaking(subject: str) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "type": "DelegationMemberLeft",
        "subject": subject,
        "occurred": "2025-11-30",
        "sources": SOURCES,
        "data": {"name": "Nobody in it"},
    }


@dataclass
class Ledger:
    """What the client knows of each event it sent."""

    acknowledged: dict[str, int] = field(default_factory=dict)  # event id -> position answered
    refused: set[str] = field(default_factory=set)  # answered 4xx, or never sent (connection refused)
    unanswered: list[list[dict[str, Any]]] = field(default_factory=list)  # sent, no answer: retried later
    changed: threading.Condition = field(default_factory=threading.Condition)

    def record(self, events: list[dict[str, Any]], response: httpx.Response) -> None:
        with self.changed:
            if response.is_success:
                body = response.json()
                receipts = body["events"] if "events" in body else [body]
                for receipt in receipts:
                    self.acknowledged[receipt["event_id"]] = receipt["position"]
            else:
                assert response.status_code in (409, 422), response.text
                self.refused.update(e["event_id"] for e in events)
            self.changed.notify_all()

    def wait_for(self, count: int, timeout: float = 120) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.acknowledged) >= count, timeout), len(self.acknowledged)


def requests_for(subject: str) -> Iterator[list[dict[str, Any]]]:
    """Endless requests for one subject: lists of one event go to POST /events."""
    for count in itertools.count(1):
        batch = [statement(subject, count * BATCH + i) for i in range(BATCH)]
        if count % 7 == 0:
            batch[BATCH // 2] = rule_breaking(subject)
        yield batch
        yield [statement(subject, count)]


def drive(server: Server, token: str, ledger: Ledger, subject: str, until: int, *, create: bool) -> None:
    """Post until the ledger holds `until` acknowledged events, or the server goes away."""
    with server.client(token) as client:
        if create and not send(client, ledger, [formed(subject)]):
            return
        for events in requests_for(subject):
            if len(ledger.acknowledged) >= until or not send(client, ledger, events):
                return


def load(server: Server, token: str, ledger: Ledger, subjects: list[str], until: int, *, create: bool) -> list[threading.Thread]:
    """One client thread per subject, started; join them to wait for the load to end."""
    threads = [
        threading.Thread(target=drive, args=(server, token, ledger, s, until), kwargs={"create": create}) for s in subjects
    ]
    for thread in threads:
        thread.start()
    return threads


def send(client: httpx.Client, ledger: Ledger, events: list[dict[str, Any]]) -> bool:
    try:
        response = (
            client.post("/events", json=events[0]) if len(events) == 1 else client.post("/events/batch", json={"events": events})
        )
    except httpx.ConnectError:
        with ledger.changed:
            ledger.refused.update(e["event_id"] for e in events)
        return False
    except httpx.TransportError:
        with ledger.changed:
            ledger.unanswered.append(events)
        return False
    ledger.record(events, response)
    return True


def read_all(client: httpx.Client, path: str, key: str, cursor: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paged list."""
    items: list[dict[str, Any]] = []
    after: Any = 0 if key == "events" else ""
    while True:
        page = client.get(path, params={**params, "after": after, "limit": 1000})
        assert page.status_code == 200, page.text
        items += page.json()[key]
        after = page.json()[cursor]
        if after is None:
            return items


def answers(client: httpx.Client) -> dict[str, Any]:
    """What the views answer: the log, every state, every history, the changes of November."""
    log = read_all(client, "/events", "events", "next")
    states = [_without_now(s) for s in read_all(client, "/state", "subjects", "next", as_of="2025-12-31")]
    histories = {s["subject"]: _without_now(client.get(f"/subjects/{s['subject']}/history").json()) for s in states}
    changes = _without_now(client.get("/changes", params={"from": "2025-11-01", "to": "2025-11-30"}).json())
    return {"log": log, "states": states, "histories": histories, "changes": changes}


def _without_now(answer: dict[str, Any]) -> dict[str, Any]:
    # `known_at` defaults to the moment of asking; the rest must match to the letter.
    return {k: v for k, v in answer.items() if k != "known_at"}
