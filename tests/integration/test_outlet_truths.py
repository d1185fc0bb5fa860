"""The bundled scenario's truths about expectations, outlets and publication time (issue 17)."""

from __future__ import annotations

import json

import pytest

from parley.api.examples import scenario
from parley.scripts.transfer import import_lines


@pytest.fixture
def example(system, client):
    import_lines(system.app, [json.dumps(e) for e in scenario()], "parley-example")
    return client


def answer(client, subject: str, **params) -> dict:
    response = client.get(f"/subjects/{subject}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_witkoff_meeting_putin_is_overdue_on_6_december_and_not_on_4_december(example):
    assert answer(example, "meeting/witkoff-putin", as_of="2025-12-06")["state"]["overdue"] is True
    assert answer(example, "meeting/witkoff-putin", as_of="2025-12-04")["state"]["overdue"] is False


def test_expectations_list_the_scheduled_meetings_and_trips_with_their_bounds(example):
    page = example.get("/expectations", params={"as_of": "2025-12-06"}).json()
    by_subject = {e["subject"]: e for e in page["expectations"]}
    putin = by_subject["meeting/witkoff-putin"]
    assert (putin["planned_for"], putin["planned_for_earliest"], putin["planned_for_latest"], putin["overdue"]) == (
        "../2025-12-05",
        None,
        "2025-12-05T23:59:59.999999Z",
        True,
    )
    assert "meeting/florida-round" not in by_subject  # held on 30 November
    trips = example.get("/expectations", params={"as_of": "2025-12-06", "kind": "trip"}).json()["expectations"]
    assert trips and all(e["subject"].startswith("trip/") for e in trips)


def test_the_plan_has_19_points_according_to_axios_and_22_according_to_the_wsj(example):
    axios = answer(example, "plan/us-peace-plan", as_of="2025-11-24", source="Axios")
    assert axios["state"]["point_count"] == 19 and axios["resolved"] == ["point_count"]
    assert answer(example, "plan/us-peace-plan", as_of="2025-11-24", source="wsj ")["state"]["point_count"] == 22
    both = answer(example, "plan/us-peace-plan", as_of="2025-11-24", source=["Axios", "WSJ"])
    assert len(both["state"]["point_count"]["disputed"]) == 2 and both["resolved"] == []


def test_published_by_29_november_the_plan_does_not_exist_yet(example):
    response = example.get("/subjects/plan/us-peace-plan", params={"as_of": "2025-11-29", "published_by": "2025-11-29"})
    assert response.status_code == 404
    assert answer(example, "plan/us-peace-plan", as_of="2025-11-29", published_by="2025-11-30")["state"]["point_count"]


def test_the_united_states_delegation_on_22_november_answers_with_its_pending_formation(example):
    found = answer(example, "delegation/united-states", as_of="2025-11-22")
    assert found["state"] is None
    assert [e["type"] for e in found["pending"]] == ["DelegationFormed"]
    listed = example.get("/state", params={"as_of": "2025-11-22", "kind": "delegation"}).json()["subjects"]
    assert {s["subject"]: s["state"] for s in listed}["delegation/united-states"] is None


@pytest.mark.parametrize("params", [{"source": " "}, {"published_by": "2025-11-29T12:00:00Z"}, {"published_by": "2025-02-30"}])
def test_a_blank_source_or_a_published_by_that_is_not_a_day_is_refused(client, params):
    response = client.get("/state", params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any(f"query.{next(iter(params))}" in error["path"] for error in response.json()["errors"])


def test_the_log_and_a_history_according_to_an_outlet_list_only_the_events_citing_it(example):
    def cites(event, *names):
        return any(s["name"].casefold() in names for s in event["sources"])

    everything = example.get("/events", params={"limit": 1000}).json()["events"]
    by_axios = example.get("/events", params={"source": "axios", "limit": 1000}).json()["events"]
    assert by_axios and by_axios == [e for e in everything if cites(e, "axios")]
    pages, after = [], 0
    while after is not None:  # two names, a page of one at a time: each event once, in log order
        page = example.get("/events", params={"source": ["Axios", "WSJ"], "after": after, "limit": 1}).json()
        pages += page["events"]
        after = page["next"]
    assert pages == [e for e in everything if cites(e, "axios", "wsj")]
    narrowed = example.get("/events", params={"source": "Forbes", "kind": "plan", "limit": 1000}).json()["events"]
    assert narrowed and narrowed == [e for e in everything if cites(e, "forbes") and e["subject"].startswith("plan/")]
    history = example.get("/subjects/plan/us-peace-plan/history", params={"source": "WSJ"}).json()["events"]
    assert [e["type"] for e in history] == ["PlanRevised", "PlanPointAdded", "PlanPointAdded"]


def test_the_log_as_published_by_a_day_holds_only_what_a_source_had_published(example):
    before = example.get("/events", params={"published_by": "2025-11-29", "limit": 1000}).json()["events"]
    assert not [e for e in before if e["subject"] == "plan/us-peace-plan"]
    by_30th = example.get("/events", params={"published_by": "2025-11-30", "limit": 1000}).json()["events"]
    assert "PlanProposed" in [e["type"] for e in by_30th if e["subject"] == "plan/us-peace-plan"]
    history = example.get("/subjects/plan/us-peace-plan/history", params={"published_by": "2025-11-29"}).json()
    assert history["events"] == []


def post(client, type_, subject, occurred, data, sources):
    response = client.post(
        "/events", json={"type": type_, "subject": subject, "occurred": occurred, "sources": sources, "data": data}
    )
    assert response.status_code == 201, response.text
    return response.json()["event_id"]


def test_changes_according_to_an_outlet_leave_out_what_it_reported_the_same_at_both_ends(client):
    outlets = [{"name": "Axios", "published": "2025-11-21"}, {"name": "WSJ", "published": "2025-11-21"}]
    post(
        client,
        "MeetingScheduled",
        "meeting/geneva",
        "2025-11-20",
        {
            "location": {"disputed": [{"value": "Geneva", "sources": ["Axios"]}, {"value": "Bern", "sources": ["WSJ"]}]},
            "planned_for": "2025-11-23",
            "participants": [],
        },
        outlets,
    )
    post(
        client,
        "MeetingHeld",
        "meeting/geneva",
        "2025-11-23",
        {"location": "Geneva"},
        [{"name": "Reuters", "published": "2025-11-24"}],
    )
    window = {"from": "2025-11-22", "to": "2025-11-30"}
    plain = client.get("/changes", params=window).json()["subjects"][0]
    assert {c["field"] for c in plain["changes"]} == {"location", "status"}
    axios = client.get("/changes", params={**window, "source": "Axios"}).json()["subjects"][0]
    assert {c["field"] for c in axios["changes"]} == {"status"} and axios["resolved"] == ["location"]
    wsj = client.get("/changes", params={**window, "source": "WSJ"}).json()["subjects"][0]
    assert {c["field"]: c["before"] for c in wsj["changes"]}["location"] == "Bern"
    published = client.get("/changes", params={**window, "published_by": "2025-11-23"}).json()["subjects"]
    assert published == []  # the meeting being held was published on the 24th


def test_a_retraction_withdraws_only_once_a_source_had_published_it(client):
    outlet = [{"name": "Axios", "published": "2025-11-20"}]
    post(
        client,
        "PlanProposed",
        "plan/p",
        "2025-11-20",
        {"title": "P", "proposed_by": "US", "point_count": 28, "topics": []},
        outlet,
    )
    revision = post(client, "PlanRevised", "plan/p", "2025-11-22", {"point_count": 19}, outlet)
    post(
        client,
        "EventRetracted",
        "plan/p",
        "2025-11-25",
        {"event_id": revision, "reason": "misreported"},
        [{"name": "Axios", "published": "2025-11-26"}],
    )

    def read(published_by):
        params = {"as_of": "2025-11-30", "published_by": published_by}
        count = client.get("/subjects/plan/p", params=params).json()["state"]["point_count"]
        history = client.get("/subjects/plan/p/history", params={"published_by": published_by}).json()["events"]
        logged = client.get("/events", params={"published_by": published_by}).json()["events"]
        return count, [e["retracted_by"] is not None for e in history], [e["retracted_by"] is not None for e in logged]

    assert read("2025-11-25") == (19, [False, False], [False, False])
    assert read("2025-11-26") == (28, [False, True, False], [False, True, False])


def test_expectations_page_like_state_and_overdue_is_never_a_change(example):
    whole = example.get("/expectations", params={"as_of": "2025-12-06"}).json()["expectations"]
    paged, after = [], ""
    while after is not None:
        page = example.get("/expectations", params={"as_of": "2025-12-06", "limit": 1, "after": after}).json()
        paged += page["expectations"]
        after = page["next"]
    assert paged == whole
    changed = example.get("/changes", params={"from": "2025-12-04", "to": "2025-12-06"}).json()["subjects"]
    assert not [c for s in changed for c in s["changes"] if c["field"] == "overdue"]
