"""SPEC §14 through the API on both stores (issue 27): look-alike and invisible names, matching
topics, a retraction before its subject, a source published after the recording. Each refusal
stores nothing; what is accepted reads back as sent."""

from __future__ import annotations

from tests.integration.helpers import assert_problem, event, replaced, stored_rows

RUBIO = "Marco Rubio"


def test_look_alike_names_are_refused_and_store_nothing(client, system) -> None:
    members = [{"name": RUBIO}, {"name": "Marco\u200b Rubio"}, {"name": "Marc\u043e Rubio"}, {"name": "\uff2darco Rubio"}]
    problem = assert_problem(client.post("/events", json=event(data={"party": "US", "members": members})), 422)
    assert {e["path"] for e in problem["errors"]} == {
        "body.DelegationFormed.data.members.1.name",
        "body.DelegationFormed.data.members.2.name",
    }
    assert "U+200B" in problem["detail"]
    problem = assert_problem(
        client.post("/events", json=event(data={"party": "US", "members": [{"name": RUBIO}, {"name": "\uff2darco Rubio"}]})), 422
    )
    assert problem["errors"][0]["path"] == "body.DelegationFormed.data.members.1.name"
    assert_problem(client.post("/events", json=event(data={"party": "\u200b", "members": []})), 422)
    assert stored_rows(system) == 0
    assert (
        client.post("/events", json=event(data={"party": "US", "head": RUBIO, "members": [{"name": RUBIO}]})).status_code == 201
    )
    assert_problem(client.post("/events", json=replaced("Marco Rubio\u200e")), 422)
    assert assert_problem(client.post("/events", json=replaced("\uff2darco Rubi\u00f3")), 409)["rule"] == "head-differs"
    assert stored_rows(system) == 1


def test_matching_topics_a_retraction_before_creation_and_a_published_2099_are_refused(client, system) -> None:
    plan = {
        "type": "PlanProposed",
        "subject": "plan/p",
        "occurred": "2025-11-20",
        "sources": [{"name": "Axios"}],
        "data": {"title": "A plan", "proposed_by": "US", "topics": ["Security", "security"]},
    }
    assert assert_problem(client.post("/events", json=plan), 422)["errors"][0]["path"] == "body.PlanProposed.data.topics.1"
    plan["data"]["topics"] = ["Security", "a"]
    created = client.post("/events", json=plan)
    assert created.status_code == 201, created.text
    revised = {**plan, "type": "PlanRevised", "occurred": "2025-11-25", "data": {"topics_added": ["A "]}}
    assert assert_problem(client.post("/events", json=revised), 409)["rule"] == "revision-changes"
    retraction = {
        **plan,
        "type": "EventRetracted",
        "occurred": "2025-01-01",
        "data": {"event_id": created.json()["event_id"], "reason": "wrong"},
    }
    assert assert_problem(client.post("/events", json=retraction), 409)["rule"] == "creation-first"
    future = {**revised, "data": {"topics_removed": ["SECURITY"]}, "sources": [{"name": "Axios", "published": "2099-01-01"}]}
    problem = assert_problem(client.post("/events", json=future), 422)
    assert problem["errors"][0]["path"] == "body.PlanRevised.sources.0.published"
    assert stored_rows(system) == 1
    future["sources"] = [{"name": "Axios", "published": "2025-11-30"}]
    assert client.post("/events", json=future).status_code == 201
    assert client.get("/subjects/plan/p").json()["state"]["topics"] == ["a"]
