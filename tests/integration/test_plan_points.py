"""SPEC §12 through the API: a plan's points recorded, refused by name with nothing stored, and read
back as of any date; on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.integration.helpers import assert_problem, stored_rows

PLAN = "plan/us-peace-plan"
PROPOSED = {"type": "PlanProposed", "subject": PLAN, "occurred": "2025-11-20", "sources": [{"name": "Axios"}],
            "data": {"title": "US plan", "proposed_by": "United States", "point_count": 28, "topics": ["territory"]}}


def on(type_name: str, data: dict[str, Any], occurred: str = "2025-11-25") -> dict[str, Any]:
    return {"type": type_name, "subject": PLAN, "occurred": occurred,
            "sources": [{"name": "Axios"}, {"name": "WSJ"}], "data": data}


def refused(client, system, body: dict[str, Any], status: int, rule: str | None = None) -> dict[str, Any]:
    rows = stored_rows(system)
    problem = assert_problem(client.post("/events", json=body), status)
    assert problem.get("rule") == rule, problem
    assert stored_rows(system) == rows
    return problem


def test_each_point_rule_refuses_by_name_and_stores_nothing(client, system) -> None:
    refused(client, system, on("PlanPointAdded", {"key": "territory"}), 409, "creation-first")
    assert client.post("/events", json=PROPOSED).status_code == 201
    for key, number in (("territory", 1), ("exchanges", 2)):
        assert client.post("/events", json=on("PlanPointAdded", {"key": key, "number": number},
                                              occurred="2025-11-21")).status_code == 201
    refused(client, system, on("PlanPointAdded", {"key": "territory"}), 409, "point-added-once")
    refused(client, system, on("PlanPointChanged", {"key": "amnesty", "text": "x"}), 409, "point-in-plan")
    refused(client, system, on("PlanPointRemoved", {"key": "amnesty"}), 409, "point-in-plan")
    refused(client, system, on("PlanPointPositionTaken", {"key": "amnesty", "party": "Russia", "position": "opposes"}),
            409, "point-in-plan")
    refused(client, system, on("PlanPointStatusChanged", {"key": "amnesty", "status": "agreed"}), 409, "point-in-plan")
    refused(client, system, on("PlanPointsMerged", {"keys": ["territory", "amnesty"], "into": "territory"}), 409,
            "point-in-plan")
    refused(client, system, on("PlanPointChanged", {"key": "territory", "number": 1}), 409, "point-changes")
    refused(client, system, on("PlanPointStatusChanged", {"key": "territory", "status": "proposed"}), 409,
            "point-status-changes")
    assert client.post("/events", json=on("PlanPointAdded", {"key": "elections"})).status_code == 201
    refused(client, system, on("PlanPointsMerged", {"keys": ["territory", "exchanges"], "into": "elections"}), 409,
            "merge-into")
    # A point removed later cannot be changed after, nor a backdated change before it was added.
    assert client.post("/events", json=on("PlanPointRemoved", {"key": "elections"}, "2025-11-27")).status_code == 201
    refused(client, system, on("PlanPointChanged", {"key": "elections", "text": "x"}, "2025-11-28"), 409,
            "point-in-plan")
    refused(client, system, on("PlanPointChanged", {"key": "elections", "text": "x"}, "2025-11-24"), 409,
            "point-in-plan")
    # Bad data is 422 naming the field, nothing stored.
    problem = refused(client, system, on("PlanPointsMerged", {"keys": ["territory"], "into": "territory"}), 422)
    assert "keys" in str(problem)
    problem = refused(client, system, on("PlanPointStatusChanged", {"key": "territory", "status": "agreed",
                                                                   "implementation": 7}), 422)
    assert "implementation" in str(problem)


def test_points_are_bitemporal_like_every_field(client) -> None:
    assert client.post("/events", json=PROPOSED).status_code == 201
    added = client.post("/events", json=on("PlanPointAdded", {"key": "territory", "number": 1, "text": "Draft"},
                                           "2025-11-21")).json()
    client.post("/events", json=on("PlanRevised", {"point_count": {"disputed": [
        {"value": 19, "sources": ["Axios"]}, {"value": 22, "sources": ["WSJ"]}]}}, "2025-11-23"))
    client.post("/events", json=on("PlanPointPositionTaken", {"key": "territory", "party": "Ukraine", "position": {
        "disputed": [{"value": "opposes", "sources": ["Axios"]}, {"value": "reserves", "sources": ["WSJ"]}]}}))

    def state(**params: str) -> dict[str, Any]:
        response = client.get(f"/subjects/{PLAN}", params=params)
        assert response.status_code == 200, response.text
        return response.json()["state"]

    now = state()
    assert now["points_recorded"] == 1 and now["point_count"]["disputed"][0]["value"] == 19
    [point] = now["points"]
    assert point["revision"] == 1 and point["positions"]["Ukraine"]["disputed"][1]["value"] == "reserves"
    assert state(as_of="2025-11-22")["points"] == [{**point, "positions": {}, "revision": 0}]
    assert state(known_at=added["recorded_at"])["points"][0]["positions"] == {}
    assert state(source="WSJ")["points"][0]["positions"] == {"Ukraine": "reserves"}
    assert state(as_of="2025-11-20")["points"] == [] and state(as_of="2025-11-20")["points_recorded"] == 0
