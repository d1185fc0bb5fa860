"""SPEC §6 over HTTP, each item of issue 15 as a request that is refused: its status, its
problem type, the field path or rule it names, and a log left as it was."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.helpers import assert_problem, event, stored_rows

SUDAN = event(subject="delegation/sudan", data={"party": "Sudan", "head": "Dafallah al-Haj", "members": [{"name": "A"}]})
PLAN = {
    "type": "PlanProposed",
    "subject": "plan/us-peace-plan",
    "occurred": "2025-11-20",
    "sources": [{"name": "Axios"}, {"name": "WSJ"}],
    "data": {"title": "US plan", "proposed_by": "United States", "point_count": 28, "topics": ["territory"]},
}
MEETING = {
    "type": "MeetingScheduled",
    "subject": "meeting/geneva",
    "occurred": "2025-11-20",
    "sources": [{"name": "Axios"}],
    "data": {"location": "Geneva", "planned_for": "2025-11-23", "participants": []},
}


def on(
    subject: dict[str, Any], type_name: str, data: dict[str, Any], occurred: str = "2025-11-25", **more: Any
) -> dict[str, Any]:
    return {
        "type": type_name,
        "subject": subject["subject"],
        "occurred": occurred,
        "sources": subject["sources"],
        "data": data,
        **more,
    }


def refused(client, system, body: dict[str, Any], status: int, kind: str, headers: dict[str, str] | None = None):
    before = client.get("/events").json()["events"]
    rows = stored_rows(system)
    problem = assert_problem(client.post("/events", json=body, headers=headers or {}), status)
    assert problem["type"] == f"/problems/{kind}", problem
    assert stored_rows(system) == rows and client.get("/events").json()["events"] == before
    return problem


def paths(problem: dict[str, Any]) -> list[str]:
    return [error["path"] for error in problem["errors"]]


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        (on(SUDAN, "DelegationHeadReplaced", {"new_head": "dafallah al-haj "}), "head-differs"),
        (on(SUDAN, "DelegationMemberJoined", {"name": "a "}), "member-once"),
    ],
)
def test_names_cannot_dodge_rules(client, system, body, rule) -> None:
    """Item 1: a name spelled otherwise is the same name to every rule."""
    assert client.post("/events", json=SUDAN).status_code == 201
    assert refused(client, system, body, 409, "rule-broken")["rule"] == rule
    assert client.get("/subjects/delegation/sudan").json()["state"]["members"] == [{"name": "A", "role": None}]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (event(data={"party": "   ", "members": []}), "body.DelegationFormed.data.party"),
        (event(data={"party": "Ukraine", "head": " ", "members": []}), "body.DelegationFormed.data.head"),
        (event(sources=[{"name": "  "}]), "body.DelegationFormed.sources.0.name"),
    ],
)
def test_a_name_of_white_space_is_422(client, system, body, path) -> None:
    assert paths(refused(client, system, body, 422, "validation")) == [path]


def test_names_are_stored_normalised(client) -> None:
    body = event(sources=[{"name": " Forbes  Ukraine "}], data={"party": " Ukraine ", "members": [{"name": "A\u2003B"}]})
    assert client.post("/events", json=body).status_code == 201
    stored = client.get("/events").json()["events"][0]
    assert stored["sources"] == [{"name": "Forbes Ukraine"}]
    assert stored["data"] == {"party": "Ukraine", "members": [{"name": "A B"}]}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (on(PLAN, "PlanRevised", {"point_count": True}), "body.PlanRevised.data.point_count"),
        (on(PLAN, "PlanRevised", {"point_count": "12"}), "body.PlanRevised.data.point_count"),
        (on(PLAN, "PlanRevised", {"published": "yes"}), "body.PlanRevised.data.published"),
        (on(PLAN, "PlanRevised", {"summary": "New"}, expected_version="1"), "body.PlanRevised.expected_version"),
        (
            on(
                PLAN,
                "PlanRevised",
                {"point_count": {"disputed": [{"value": 19, "sources": ["Axios"]}, {"value": 19, "sources": ["WSJ"]}]}},
            ),
            "body.PlanRevised.data.point_count.disputed.1.value",
        ),
        (
            on(
                PLAN,
                "PlanRevised",
                {"point_count": {"disputed": [{"value": 19, "sources": ["Axios"]}, {"value": 22, "sources": ["Reuters"]}]}},
            ),
            "body.PlanRevised.data.point_count.disputed.1.sources.0",
        ),
        (on(PLAN, "PlanRevised", {"summary": "Later"}, occurred="2030-01-01"), "body.PlanRevised.occurred"),
        (
            {
                "type": "TripCompleted",
                "subject": "trip/witkoff-moscow",
                "occurred": "2030",
                "sources": [{"name": "Axios"}],
                "data": {},
            },
            "body.TripCompleted.occurred",
        ),
    ],
)
def test_types_disputes_and_the_future_are_422_with_their_path(client, system, body, path) -> None:
    """Items 2, 3 and 13: types as sent, disputes that dispute, nothing from the future."""
    assert client.post("/events", json=PLAN).status_code == 201
    assert paths(refused(client, system, body, 422, "validation")) == [path]


@pytest.mark.parametrize(
    ("first", "body", "rule"),
    [
        (None, on(PLAN, "PlanRevised", {}), "revision-changes"),
        (
            on(PLAN, "PlanStatusChanged", {"status": "rejected"}),
            on(PLAN, "PlanStatusChanged", {"status": "rejected"}),
            "status-differs",
        ),
        (None, on(MEETING, "MeetingRescheduled", {"planned_for": "2025-11-23"}, occurred="2025-11-21"), "reschedule-moves"),
    ],
)
def test_an_empty_change_is_409_naming_its_rule(client, system, first, body, rule) -> None:
    """Item 13: a change that changes nothing is no change."""
    assert client.post("/events", json=PLAN if body["subject"] == PLAN["subject"] else MEETING).status_code == 201
    if first:
        assert client.post("/events", json=first).status_code == 201
    assert refused(client, system, body, 409, "rule-broken")["rule"] == rule


def test_if_match_and_expected_version_are_each_checked(client, system) -> None:
    """Item 4: a current If-Match does not excuse a stale expected_version; both stale is 412."""
    assert client.post("/events", json=PLAN).status_code == 201
    revised = on(PLAN, "PlanRevised", {"summary": "New"})
    stale_body = refused(client, system, {**revised, "expected_version": 0}, 409, "version-conflict", {"If-Match": '"1"'})
    assert stale_body["current_version"] == 1
    refused(client, system, {**revised, "expected_version": 1}, 412, "precondition-failed", {"If-Match": '"0"'})
    refused(client, system, {**revised, "expected_version": 0}, 412, "precondition-failed", {"If-Match": '"0"'})
    assert client.post("/events", json={**revised, "expected_version": 1}, headers={"If-Match": '"1"'}).status_code == 201


def test_if_match_star_means_the_subject_exists(client, system) -> None:
    """Item 13: `If-Match: *` is a precondition, not a malformed version."""
    refused(client, system, on(PLAN, "PlanRevised", {"summary": "New"}), 412, "precondition-failed", {"If-Match": "*"})
    assert client.post("/events", json=PLAN).status_code == 201
    response = client.post("/events", json=on(PLAN, "PlanRevised", {"summary": "New"}), headers={"If-Match": "*"})
    assert response.status_code == 201


def test_a_backdated_event_names_the_later_event_it_collides_with(client, system) -> None:
    """Item 8: the 409 names the cancellation, not a holding that never was."""
    assert client.post("/events", json=MEETING).status_code == 201
    cancelled = client.post("/events", json=on(MEETING, "MeetingCancelled", {}, occurred="2025-11-22")).json()
    problem = refused(client, system, on(MEETING, "MeetingHeld", {}, occurred="2025-11-21"), 409, "rule-broken")
    assert problem["collides_with"] == {"event_id": cancelled["event_id"], "type": "MeetingCancelled", "occurred": "2025-11-22"}
    assert "MeetingCancelled" in problem["detail"] and "already held" in problem["detail"]


def test_a_refused_retraction_names_the_event_to_retract_first(client, system) -> None:
    """Item 8: retracting what a later event depends on says which to retract first."""
    assert client.post("/events", json=SUDAN).status_code == 201
    joined = client.post("/events", json=on(SUDAN, "DelegationMemberJoined", {"name": "B"})).json()["event_id"]
    left = client.post("/events", json=on(SUDAN, "DelegationMemberLeft", {"name": "b"}, occurred="2025-11-26")).json()
    problem = refused(client, system, on(SUDAN, "EventRetracted", {"event_id": joined, "reason": "wrong"}), 409, "rule-broken")
    assert problem["collides_with"]["event_id"] == left["event_id"]
    assert f"retract {left['event_id']} first" in problem["detail"]


@pytest.mark.parametrize("known_at", [None, "now"])
def test_a_state_shows_every_field_of_its_kind_null_when_unknown(client, known_at) -> None:
    """Item 11: a plan's summary is there (null) before any revision carries one."""
    proposed = client.post("/events", json=PLAN).json()
    params = {"known_at": proposed["recorded_at"]} if known_at else {}
    state = client.get("/subjects/plan/us-peace-plan", params=params).json()["state"]
    assert state["summary"] is None
    assert set(state) == {
        "kind",
        "statements",
        "title",
        "proposed_by",
        "point_count",
        "topics",
        "published",
        "status",
        "revision",
        "summary",
        "points",
        "points_recorded",
    }  # the points of SPEC §12
    assert state["points"] == {} or state["points"] == [], state["points"]
    assert client.get("/state", params=params).json()["subjects"][0]["state"] == state


def test_an_old_export_imports_normalised_and_a_line_breaking_a_newer_check_is_refused_by_number(system) -> None:
    """The file's recorded time is the present an event may not follow; names are normalised."""
    from parley.scripts.transfer import ImportRefused, import_lines

    unpublished = [{"name": "Forbes"}]  # SUDAN's source was published after these lines were recorded

    def line(occurred: str, recorded_at: str, **data: Any) -> str:
        return json.dumps(
            {
                **SUDAN,
                "occurred": occurred,
                "recorded_at": recorded_at,
                "recorded_by": "old",
                "sources": unpublished,
                "data": {**SUDAN["data"], **data},
            }
        )

    lines = [
        line("2025-11-20", "2025-11-21T00:00:00+00:00", party=" Sudan  "),
        json.dumps(
            {
                **on(SUDAN, "DelegationMemberJoined", {"name": "B"}, occurred="2025-11-25"),
                "sources": unpublished,
                "recorded_at": "2025-11-22T00:00:00+00:00",
            }
        ),
    ]
    with pytest.raises(ImportRefused) as refused:
        import_lines(system.app, lines, "tests")
    assert refused.value.line == 2 and "after the event is recorded" in str(refused.value)
    assert (refused.value.stored.lines, refused.value.stored.recorded) == ("line 1", 1)  # the lines before it are stored
    system.projection.catch_up()
    assert system.log_reads.events(0, 10)[0]["data"]["party"] == "Sudan"
