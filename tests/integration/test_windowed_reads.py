"""What a page asks for at scale: the log windowed by valid time for a list of subjects, and the
states of a list of subjects read in one query set (issue 28). On both backends."""

from __future__ import annotations

from typing import Any

import pytest

from parley.projections.state_reads import StateReads
from tests.integration.helpers import assert_problem

SOURCES = [{"name": "Reuters"}]
EVENTS = [  # (type, subject, occurred, data)
    ("DelegationFormed", "delegation/ukraine", "2025-11-01", {"party": "Ukraine", "head": "Andriy Yermak", "members": []}),
    ("DelegationHeadReplaced", "delegation/ukraine", "../2025-11-25", {"new_head": "Rustem Umerov"}),  # open start
    ("DelegationFormed", "delegation/russia", "2025-11-21/2025-11-23", {"party": "Russia", "members": []}),
    (
        "TripScheduled",
        "trip/witkoff-moscow",
        "2025-11-28",
        {"traveller": "Steve Witkoff", "destination": "Moscow", "planned_for": "2025-12-02"},
    ),
    ("StatementRecorded", "trip/witkoff-moscow", "2025-11-18/..", {"speaker": "Dmitry Peskov", "quote": "Soon."}),  # open end
    ("StatementRecorded", "delegation/russia", "2025-12-10", {"speaker": "Dmitry Peskov", "quote": "Later."}),
]


@pytest.fixture
def recorded(client) -> None:
    for type_, subject, occurred, data in EVENTS:
        answer = client.post(
            "/events", json={"type": type_, "subject": subject, "occurred": occurred, "sources": SOURCES, "data": data}
        )
        assert answer.status_code == 201, answer.text


def window(client, **params: Any) -> list[tuple[str, str]]:
    answer = client.get("/events", params=params)
    assert answer.status_code == 200, answer.text
    return [(event["type"], event["occurred"]) for event in answer.json()["events"]]


def test_the_log_in_a_window_of_valid_time_holds_what_may_have_happened_in_it(client, recorded) -> None:
    # 22-27 November: what a timeline of those days shows, open ends reaching in from either side.
    assert window(client, occurred_from="2025-11-21", occurred_to="2025-11-27") == [
        ("DelegationHeadReplaced", "../2025-11-25"),
        ("DelegationFormed", "2025-11-21/2025-11-23"),
        ("StatementRecorded", "2025-11-18/.."),
    ]
    # One end alone: everything that reaches past it.
    assert window(client, occurred_from="2025-11-28") == [
        ("StatementRecorded", "2025-11-18/.."),
        ("StatementRecorded", "2025-12-10"),
    ]
    assert window(client, occurred_to="2025-11-01") == [
        ("DelegationFormed", "2025-11-01"),
        ("DelegationHeadReplaced", "../2025-11-25"),
    ]
    # With a list of subjects, and a page at a time.
    only = {"occurred_from": "2025-11-21", "occurred_to": "2025-11-30", "subject": ["delegation/russia", "trip/witkoff-moscow"]}
    assert window(client, **only) == [
        ("DelegationFormed", "2025-11-21/2025-11-23"),
        ("TripScheduled", "2025-11-28"),
        ("StatementRecorded", "2025-11-18/.."),
    ]
    first = client.get("/events", params={**only, "limit": 2}).json()
    rest = client.get("/events", params={**only, "limit": 2, "after": first["next"]}).json()
    assert [e["occurred"] for e in first["events"] + rest["events"]] == ["2025-11-21/2025-11-23", "2025-11-28", "2025-11-18/.."]


def test_a_window_ending_before_it_starts_or_not_a_date_is_422_and_documented(client, recorded) -> None:
    problem = assert_problem(client.get("/events", params={"occurred_from": "2025-11-30", "occurred_to": "2025-11-01"}), 422)
    assert problem["errors"][0]["path"] == "query.occurred_from"
    assert_problem(client.get("/events", params={"occurred_from": "last week"}), 422)
    parameters = {p["name"] for p in client.get("/openapi.json").json()["paths"]["/events"]["get"]["parameters"]}
    assert {"occurred_from", "occurred_to"} <= parameters


def test_the_states_of_a_list_of_subjects_are_read_at_once(client, recorded, monkeypatch) -> None:
    asked = ["trip/witkoff-moscow", "delegation/ukraine"]

    def unpinned(answer: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in answer.items() if name != "known_at"}  # "now", read twice

    one_by_one = [unpinned(client.get(f"/subjects/{s}", params={"as_of": "2025-11-29"}).json()) for s in sorted(asked)]

    def no_single_reads(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a state read one subject at a time")

    monkeypatch.setattr(StateReads, "state", no_single_reads)
    answer = client.get("/state", params={"as_of": "2025-11-29", "subject": asked})
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert [unpinned(item) for item in page["subjects"]] == one_by_one and page["next"] is None and "warnings" not in page
    assert one_by_one[0]["state"]["head"] == "Rustem Umerov" and one_by_one[1]["pending"]  # a pending statement
    # Before a subject existed it is left out; a misspelt one is named with the nearest.
    early = client.get("/state", params={"as_of": "2025-11-10", "subject": [*asked, "delegation/rusia"]}).json()
    assert [s["subject"] for s in early["subjects"]] == ["delegation/ukraine"]
    assert early["warnings"][0]["did_you_mean"] == ["delegation/russia"]
    # With a kind as well: both must hold; a page at a time.
    assert [s["subject"] for s in client.get("/state", params={"subject": asked, "kind": "trip"}).json()["subjects"]] == [
        "trip/witkoff-moscow"
    ]
    first = client.get("/state", params={"subject": asked, "limit": 1}).json()
    assert first["next"] == "delegation/ukraine"


def test_a_list_of_subjects_is_checked(client, recorded) -> None:
    assert_problem(client.get("/state", params={"subject": "not a subject"}), 422)
    assert_problem(client.get("/state", params={"subject": [f"delegation/d-{n}" for n in range(101)]}), 422)
    parameters = {p["name"] for p in client.get("/openapi.json").json()["paths"]["/state"]["get"]["parameters"]}
    assert "subject" in parameters
