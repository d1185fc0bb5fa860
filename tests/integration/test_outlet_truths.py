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
        "../2025-12-05", None, "2025-12-05T23:59:59.999999Z", True)
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
