"""The live feed over real HTTP, on SQLite and PostgreSQL, with two API processes on one store."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Service
from tests.e2e.sse import open_feed

pytestmark = pytest.mark.e2e


def new_trip(writer: httpx.Client) -> str:
    subject = f"trip/feed-{uuid.uuid4().hex[:10]}"
    record(writer, subject, "TripScheduled", {"traveller": "Steve Witkoff", "destination": "Moscow", "planned_for": "2025-12-02"})
    return subject


def record(writer: httpx.Client, subject: str, type_: str, data: dict[str, Any], occurred: str = "2025-11-30") -> dict[str, Any]:
    response = writer.post(
        "/events",
        json={
            "type": type_,
            "subject": subject,
            "occurred": occurred,
            "data": data,
            "sources": [{"name": "Feed test", "url": "https://example.org/feed"}],
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def statement(writer: httpx.Client, subject: str, quote: str) -> dict[str, Any]:
    return record(writer, subject, "StatementRecorded", {"speaker": "Dmitry Peskov", "quote": quote})


def log_after(service: Service, position: int) -> list[int]:
    response = httpx.get(f"{service.url}/events", params={"after": position, "limit": 1000})
    return [event["position"] for event in response.json()["events"]]


def test_a_client_from_position_zero_replays_the_log_in_recorded_order(two_servers: Service) -> None:
    with two_servers.writer() as writer:
        for n in range(3):
            statement(writer, new_trip(writer), f"replayed {n}")
    with open_feed(two_servers.url, {"after": 0}) as feed:
        assert feed.ready.json() == {"position": 0}
        expected = log_after(two_servers, 0)
        received = feed.events(len(expected))
    assert [event["position"] for event in received] == expected
    assert set(received[0]) >= {
        "event_id",
        "position",
        "subject",
        "version",
        "type",
        "occurred",
        "occurred_earliest",
        "occurred_latest",
        "recorded_at",
        "sources",
        "data",
    }


def test_a_dropped_client_resumes_with_every_event_exactly_once(two_servers: Service) -> None:
    with two_servers.writer() as writer:
        subject = new_trip(writer)
        with open_feed(two_servers.url) as feed:  # no position: from now on
            start = int(feed.ready.id)
            sent = [statement(writer, subject, f"before the drop {n}") for n in range(3)]
            seen = feed.events(2)
        # Dropped after two: the third may have been on the wire, but it was never taken in.
        sent += [statement(writer, subject, f"while away {n}") for n in range(2)]
        # A browser reconnects to the same URL adding Last-Event-ID, which wins over ?after=;
        # positions are the shared log's, so any process can take the client back.
        other_process = two_servers.servers[1].url
        with open_feed(other_process, {"after": start}, last_event_id=seen[-1]["position"]) as feed:
            assert feed.ready.id == str(seen[-1]["position"])
            sent.append(statement(writer, subject, "after the return"))
            seen += feed.events_until(sent[-1]["event_id"])
    assert [event["event_id"] for event in seen] == [receipt["event_id"] for receipt in sent]
    assert [event["position"] for event in seen] == log_after(two_servers, start)


def test_a_feed_on_one_process_carries_events_recorded_through_another(two_servers: Service) -> None:
    with two_servers.writer(index=1) as other_process, open_feed(two_servers.servers[0].url) as feed:
        subject = new_trip(other_process)
        receipt = statement(other_process, subject, "recorded elsewhere")
        received = feed.events_until(receipt["event_id"])
    assert [event["subject"] for event in received] == [subject, subject]
    assert received[-1]["recorded_by"].startswith("e2e-")


def test_filters_pass_only_the_kinds_subjects_and_types_asked_for(two_servers: Service) -> None:
    with two_servers.writer() as writer:
        watched, other = new_trip(writer), new_trip(writer)
        start = log_after(two_servers, 0)[-1]
        by_subject = open_feed(two_servers.url, {"after": start, "subject": watched, "type": "StatementRecorded"})
        by_kind = open_feed(two_servers.url, {"after": start, "kind": ["plan", "delegation"]})
        with by_subject as subject_feed, by_kind as kind_feed:
            statement(writer, other, "not watched")
            record(writer, watched, "TripRescheduled", {"planned_for": "2025-12-03"})
            wanted = statement(writer, watched, "watched")
            plan = record(
                writer,
                f"plan/feed-{uuid.uuid4().hex[:8]}",
                "PlanProposed",
                {"title": "A plan", "proposed_by": "Nobody", "topics": []},
            )
            assert [e["event_id"] for e in subject_feed.events(1)] == [wanted["event_id"]]
            assert [e["event_id"] for e in kind_feed.events(1)] == [plan["event_id"]]


def test_an_idle_feed_pings_with_how_far_it_has_read(two_servers: Service) -> None:
    with two_servers.writer() as writer, open_feed(two_servers.url, {"subject": "trip/nobody-goes-here"}) as feed:
        passed = statement(writer, new_trip(writer), "filtered out")
        ping = feed.next_message()
        while ping.id is None or int(ping.id) < passed["position"]:
            ping = feed.next_message()
    assert ping.comment == "ping" and ping.data is None


def test_a_last_event_id_that_is_not_a_position_is_refused(two_servers: Service) -> None:
    response = httpx.get(f"{two_servers.url}/events/stream", headers={"Last-Event-ID": "yesterday"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["path"] == "header.last-event-id"
